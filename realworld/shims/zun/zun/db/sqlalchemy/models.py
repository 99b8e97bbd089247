"""zun.db.sqlalchemy.models (zun 18.0.0): the JSON-as-text column types its revisions declare
(the OpenStack shim's, realworld/shims/oslo/realworld_json_text.py)."""
from realworld_json_text import JSONEncodedDict, JSONEncodedList, JsonEncodedType

__all__ = ["JSONEncodedDict", "JSONEncodedList", "JsonEncodedType"]
