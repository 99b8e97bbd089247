"""oslo_serialization.jsonutils: the standard library's json (what heat.db.types calls)."""
from json import dumps, loads

__all__ = ["dumps", "loads"]
