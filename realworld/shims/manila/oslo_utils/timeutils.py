"""oslo_utils.timeutils.utcnow, a fixed clock (manila's data migrations write it into rows)."""
import datetime


def utcnow() -> datetime.datetime:
    return datetime.datetime(2026, 1, 1, 0, 0, 0)
