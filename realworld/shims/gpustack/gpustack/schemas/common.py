"""gpustack.schemas.common: the column types its revisions name, as gpustack defines them."""
from datetime import timezone

import sqlalchemy as sa
from sqlalchemy import JSON as SQLAlchemyJSON

__all__ = ["JSON", "SQLAlchemyJSON", "UTCDateTime"]


class JSON(SQLAlchemyJSON):
    pass


class UTCDateTime(sa.TypeDecorator):
    impl = sa.TIMESTAMP(timezone=False)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None:
            value = value.replace(tzinfo=timezone.utc)
        return value
