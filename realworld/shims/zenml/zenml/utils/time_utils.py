import datetime as dt


def utc_now(tz_aware=False):
    now = dt.datetime.now(dt.timezone.utc)
    return now if tz_aware else now.replace(tzinfo=None)
