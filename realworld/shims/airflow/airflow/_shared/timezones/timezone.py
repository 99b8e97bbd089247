import datetime as dt

utc = dt.timezone.utc


def utcnow():
    return dt.datetime.now(utc)
