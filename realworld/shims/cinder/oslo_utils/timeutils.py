"""oslo_utils.timeutils.utcnow: a fixed clock (the initial revision writes it into its default rows)."""
import datetime


def utcnow() -> datetime.datetime:
    return datetime.datetime(2026, 1, 1, 0, 0, 0)
