"""waiverdb.models.base (waiverdb 1.4.0): its JSON serializer and the JSON column type a revision
selects with, as waiverdb writes them (without flask_sqlalchemy's ``db``)."""
import json

from sqlalchemy.dialects.postgresql import JSON
from sqlalchemy.dialects.postgresql.psycopg2 import _PGJSON
from sqlalchemy.sql.elements import ColumnElement, Null
from sqlalchemy.sql.expression import cast
from sqlalchemy.sql.sqltypes import Text

json_serializer = json.encoder.JSONEncoder(sort_keys=True, separators=(',', ':')).encode


class EqualityComparableJSONType(_PGJSON):
    """JSON whose equality compares the serialized text."""

    class Comparator(JSON.Comparator):

        def __eq__(self, other):
            rhs = cast(other, Text) if isinstance(other, ColumnElement) else json_serializer(other)
            return cast(self.expr, Text) == rhs

    comparator_factory = Comparator

    def bind_processor(self, dialect):
        def process(value):
            if hasattr(self, 'NULL') and value is self.NULL:
                value = None
            elif isinstance(value, Null) or (value is None and self.none_as_null):
                return None
            return json_serializer(value)
        return process
