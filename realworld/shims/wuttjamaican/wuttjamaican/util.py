"""wuttjamaican.util.make_utc, as the package has it."""

import datetime


def make_utc(dt=None, tzinfo=False):
    if dt is None:
        now = datetime.datetime.now(datetime.timezone.utc)
        return now if tzinfo else now.replace(tzinfo=None)
    if dt.tzinfo:
        if dt.tzinfo is not datetime.timezone.utc:
            dt = dt.astimezone(datetime.timezone.utc)
        return dt if tzinfo else dt.replace(tzinfo=None)
    return dt.replace(tzinfo=datetime.timezone.utc) if tzinfo else dt
