"""oslo_utils.timeutils.utcnow: the standard library's clock (solum's columns take it as their Python-side default)."""
import datetime


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
