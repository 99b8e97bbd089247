"""open_webui.internal.db.JSONField: JSON stored as text (open-webui 0.12.4, with json for its codec)."""
import json

from sqlalchemy import types


class JSONField(types.TypeDecorator):
    impl = types.UnicodeText
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return json.dumps(value, ensure_ascii=False) if value is not None else None

    def process_result_value(self, value, dialect):
        return json.loads(value) if value is not None else None

    def copy(self, **kwargs):
        return JSONField(length=self.impl.length)
