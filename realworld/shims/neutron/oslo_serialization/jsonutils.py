"""oslo_serialization.jsonutils: the standard library's json."""
from json import dumps, loads

__all__ = ["dumps", "loads"]
