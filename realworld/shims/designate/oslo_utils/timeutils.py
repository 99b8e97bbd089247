"""oslo_utils.timeutils.utcnow, a fixed clock (designate's revisions write it into rows)."""
import datetime


def utcnow() -> datetime.datetime:
    return datetime.datetime(2026, 1, 1, 0, 0, 0)
