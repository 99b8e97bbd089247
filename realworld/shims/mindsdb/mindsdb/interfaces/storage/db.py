"""mindsdb.interfaces.storage.db: its two column types, as mindsdb defines them (JSON and lists in text)."""
import json

from sqlalchemy import types


class Array(types.TypeDecorator):
    impl = types.String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, str) or value is None:
            return value
        return ",|,|,".join(value)

    def process_result_value(self, value, dialect):
        return value.split(",|,|,") if value is not None else None


class Json(types.TypeDecorator):
    impl = types.String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return json.dumps(value) if value is not None else None

    def process_result_value(self, value, dialect):
        if isinstance(value, dict):
            return value
        return json.loads(value) if value is not None else None
