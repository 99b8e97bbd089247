"""wuttjamaican.db.util.UUID, as the package has it: PostgreSQL's UUID there, CHAR(32) of hex elsewhere."""

import uuid as _uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID as PGUUID


class UUID(sa.types.TypeDecorator):
    impl = sa.CHAR
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(PGUUID())
        return dialect.type_descriptor(sa.CHAR(32))

    def process_bind_param(self, value, dialect):
        if value is None:
            return value
        if dialect.name == "postgresql":
            return str(value)
        if not isinstance(value, _uuid.UUID):
            value = _uuid.UUID(value)
        return f"{value.int:032x}"

    def process_result_value(self, value, dialect):
        if value is None:
            return value
        if not isinstance(value, _uuid.UUID):
            value = _uuid.UUID(value)
        return value
