"""magnum.db.sqlalchemy.models (magnum 23.0.0): the JSON-as-text column types its revisions declare."""
import json

from sqlalchemy.types import TEXT, TypeDecorator


class JsonEncodedType(TypeDecorator):
    """Abstract base type serialized as json-encoded string in db."""
    type = None
    impl = TEXT
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return json.dumps(self.type() if value is None else value)

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(value)


class JSONEncodedDict(JsonEncodedType):
    type = dict


class JSONEncodedList(JsonEncodedType):
    type = list
