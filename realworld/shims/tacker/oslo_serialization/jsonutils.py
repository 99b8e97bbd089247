"""oslo_serialization.jsonutils: the standard library's json (what tacker.db.types and 6e56d4474b2a call)."""
from json import dumps, loads

__all__ = ["dumps", "loads", "dump_as_bytes"]


def dump_as_bytes(obj):
    return dumps(obj).encode("utf-8")
