"""flaskbb.utils.helpers.time_utcnow, as flaskbb 2.2.0 defines it."""

from datetime import UTC, datetime


def time_utcnow():
    return datetime.now(UTC)
