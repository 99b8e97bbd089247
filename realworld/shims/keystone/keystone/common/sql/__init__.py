"""keystone.common.sql: the column types keystone's revisions use (keystone 30.0.0's, without their
value conversions, which a migration on an empty database never runs)."""
import sqlalchemy as sa
from sqlalchemy import types as sql_types

Text = sa.Text


class JsonBlob(sql_types.TypeDecorator):
    impl = sa.Text
    cache_ok = True


class DateTimeInt(sql_types.TypeDecorator):
    impl = sa.BigInteger
    cache_ok = True
