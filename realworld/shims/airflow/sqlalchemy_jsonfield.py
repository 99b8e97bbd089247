"""sqlalchemy_jsonfield.JSONField (airflow 2's revisions use it): UnicodeText, stored as the dialect's
JSON type where it has one."""
import json as _json

import sqlalchemy as sa


class JSONField(sa.types.TypeDecorator):
    impl = sa.types.UnicodeText
    cache_ok = False

    def __init__(self, enforce_string=False, enforce_unicode=False, json=_json, json_type=sa.JSON, *args, **kwargs):
        self._enforce_string = enforce_string
        self._json_type = json_type
        super().__init__(*args, **kwargs)

    def load_dialect_impl(self, dialect):
        if not self._enforce_string and dialect.name in ("mysql", "postgresql", "sqlite"):
            return dialect.type_descriptor(self._json_type)
        return dialect.type_descriptor(self.impl)
