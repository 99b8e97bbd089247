"""oslo_serialization.jsonutils: the standard library's json (what the revisions call)."""
from json import dumps, loads

__all__ = ["dumps", "loads"]
