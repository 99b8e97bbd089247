"""dstack/_internal/server/models.py: the column types its revisions declare."""

from datetime import timezone

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator


class NaiveDateTime(TypeDecorator):
    """Offset-naive datetimes in the database, UTC ones in Python."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


class EncryptedString(TypeDecorator):
    """A string stored encrypted (no row is bound on a new database)."""

    impl = String
    cache_ok = True
