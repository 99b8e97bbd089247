"""The JSON-as-text column types that OpenStack projects define in their own
``db/sqlalchemy/models.py`` (magnum 23.0.0's, and python-watcher 17.0.0's, a copy of magnum's):
a dict or a list kept as JSON in a ``TEXT`` column. Each project's models module of the shims
takes them from here."""
import json

from sqlalchemy.types import TEXT, TypeDecorator

__all__ = ["JSONEncodedDict", "JSONEncodedList", "JsonEncodedType"]


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
