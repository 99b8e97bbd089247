"""superset.utils.json: its dumps/loads over the standard library's."""
import json
from typing import Any


def dumps(obj: Any, default: Any = None, allow_nan: bool = False, ignore_nan: bool = False,
          sort_keys: bool = False, indent: Any = None, separators: Any = None, cls: Any = None,
          encoding: str | None = None) -> str:
    return json.dumps(obj, default=default, allow_nan=allow_nan or ignore_nan, sort_keys=sort_keys,
                      indent=indent, separators=separators, cls=cls)


def loads(obj: Any, encoding: str | None = None, allow_nan: bool = False, object_hook: Any = None) -> Any:
    return json.loads(obj, object_hook=object_hook)


JSONDecodeError = json.JSONDecodeError


def validate_json(obj: Any) -> None:
    if obj:
        json.loads(obj)
