"""The database user a run records is read without a transaction of its own."""

from __future__ import annotations

import sqlalchemy as sa

from ledger import dialects
from ledger.storage.db import dialect_of
from ledger.storage.session import db_user


def test_db_user_is_read_in_the_transaction_the_next_statement_runs_in(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        user = db_user(conn)
        if dialects.database(dialect_of(conn)).current_user_sql is None:
            assert user is None  # SQLite has no users
            return
        assert user
        # No BEGIN and COMMIT of its own: the next statement (the applier lock) shares the transaction.
        assert conn.in_transaction()
        assert conn.exec_driver_sql(dialects.database(dialect_of(conn)).current_user_sql).scalar() == user
