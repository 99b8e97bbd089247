"""invenio_db.utils' column type helpers that the modules' revisions call, with invenio_db.shared's UTCDateTime
(a TypeDecorator over a timezone-aware DateTime), as invenio-db 2.6.1 defines them; the rest (Flask's app, the
versioning manager) left out."""
from datetime import datetime, timezone
from functools import partial

from alembic import op
from sqlalchemy.types import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator):
    """Custom UTC datetime type."""

    impl = DateTime(timezone=True)
    cache_ok = False

    def process_bind_param(self, value, dialect):
        if value is None:
            return value
        if isinstance(value, str):
            value = datetime.strptime(value.replace(" ", "T")[0:19], "%Y-%m-%dT%H:%M:%S")
        return value.replace(tzinfo=timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return value
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def update_table_columns_column_type(table_name, column_name, to_type=None, existing_type=None,
                                     existing_nullable=None):
    """Update column type."""
    op.alter_column(table_name, column_name, type_=to_type(), existing_type=existing_type(),
                    existing_nullable=existing_nullable)


update_table_columns_column_type_to_utc_datetime = partial(
    update_table_columns_column_type, to_type=UTCDateTime, existing_type=DateTime, existing_nullable=True)

update_table_columns_column_type_to_datetime = partial(
    update_table_columns_column_type, to_type=DateTime, existing_type=UTCDateTime, existing_nullable=True)
