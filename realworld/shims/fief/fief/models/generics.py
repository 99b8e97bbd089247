"""fief.models.generics (fief-server 0.27.0): its two column types, as fief defines them, without
pydantic (``GUID.UUIDChar.python_type`` is ``uuid.UUID`` rather than pydantic's ``UUID4``)."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import TIMESTAMP
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.types import CHAR, TypeDecorator


class GUID(TypeDecorator):
    """Platform-independent GUID type: PostgreSQL's UUID, CHAR(36) elsewhere."""

    class UUIDChar(CHAR):
        python_type = uuid.UUID

    impl = UUIDChar
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(UUID())
        else:
            return dialect.type_descriptor(CHAR(36))

    def process_bind_param(self, value, dialect):
        if value is None:
            return value
        elif dialect.name == "postgresql":
            return str(value)
        else:
            if not isinstance(value, uuid.UUID):
                return str(uuid.UUID(value))
            else:
                return str(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return value
        else:
            if not isinstance(value, uuid.UUID):
                value = uuid.UUID(value)
            return value


class TIMESTAMPAware(TypeDecorator):
    """A TIMESTAMP read back offset-aware (UTC) on MySQL and SQLite too."""

    impl = TIMESTAMP
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect):
        if value is not None and dialect.name != "postgresql":
            return value.replace(tzinfo=UTC)
        return value
