"""nova.db.types (nova 34.0.0): the column types of the initial revisions (IPv6 addresses are stored
as given: no rows are written)."""
import sqlalchemy as sa
import sqlalchemy.dialects.mysql
import sqlalchemy.dialects.postgresql
from sqlalchemy import types


def MediumText():
    return sa.Text().with_variant(sqlalchemy.dialects.mysql.MEDIUMTEXT(), 'mysql')


class IPAddress(types.TypeDecorator):
    """An SQLAlchemy type representing an IP-address."""

    impl = types.String
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == 'postgresql':
            return dialect.type_descriptor(sqlalchemy.dialects.postgresql.INET())
        return dialect.type_descriptor(types.String(39))


class CIDR(types.TypeDecorator):
    """An SQLAlchemy type representing a CIDR definition."""

    impl = types.String
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == 'postgresql':
            return dialect.type_descriptor(sqlalchemy.dialects.postgresql.INET())
        return dialect.type_descriptor(types.String(43))
