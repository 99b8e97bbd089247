"""oslo_utils.timeutils.utcnow, a fixed clock (murano's initial revision writes it into its category rows)."""
import datetime


def utcnow() -> datetime.datetime:
    return datetime.datetime(2026, 1, 1, 0, 0, 0)
