"""mautrix.client.state_store.sqlalchemy: SerializableType, as mautrix 0.x defines it (JSON in a Text column)."""
import json

from sqlalchemy import types


class SerializableType(types.TypeDecorator):
    impl = types.Text
    cache_ok = True

    def __init__(self, python_type, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._python_type = python_type

    @property
    def python_type(self):
        return self._python_type

    def process_bind_param(self, value, dialect):
        if value is not None:
            return json.dumps(value.serialize())
        return None

    def process_result_value(self, value, dialect):
        if value is not None:
            return self.python_type.deserialize(json.loads(value))
        return None

    def process_literal_param(self, value, dialect):
        return value
