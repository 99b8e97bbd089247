"""oslo_db.sqlalchemy.types.SoftDeleteInteger (oslo.db 18.1.1): the ``deleted`` column of masakari's tables."""
from sqlalchemy.types import Integer, TypeDecorator


class SoftDeleteInteger(TypeDecorator):
    """Coerce a bound param to be a proper integer before passing it to DBAPI."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else int(value)
