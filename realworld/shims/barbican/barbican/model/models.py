"""barbican.model.models.JsonBlob (barbican 23.0.0): JSON as text."""
import json

import sqlalchemy as sa
from sqlalchemy import types as sql_types


class JsonBlob(sql_types.TypeDecorator):
    """JsonBlob is custom type for fields which need to store JSON text."""
    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else json.dumps(value)

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(value)
