"""dstack/_internal/utils/common.py: the clock a few data revisions read."""

from datetime import datetime, timezone


def get_current_datetime() -> datetime:
    return datetime.now(tz=timezone.utc)
