"""oslo_serialization.jsonutils: the standard library's json (what murano's JsonBlob type calls)."""
from json import dumps, loads

__all__ = ["dumps", "loads"]
