"""oslo_utils.timeutils.utcnow: a column default of keystone's initial revision."""
import datetime


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
