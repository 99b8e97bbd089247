"""What the databases share about the ledger table: the refusal its triggers raise, how they are
named, the column types that need a variant, and the pieces of the applier lock.

Each database object writes its own triggers (:meth:`Database.ledger_triggers`) and holds its own
lock (:meth:`Database.applier_lock`); ``ledger.storage.store`` asks it for both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ops.base import LedgerError

__all__ = ["REFUSAL", "LockTimeout", "LongBlob", "LongText", "commit_if_open", "lock_timeout", "refusal_literal", "released",
           "rollback_if_open", "trigger_name"]

#: what a refusal trigger says when a row of the ledger is changed or deleted
REFUSAL = "schema-ledger: the ledger table is append-only; rows cannot be changed or deleted"


class LongText(sa.Text):
    """MySQL's LONGTEXT (what its type compiler writes for this visit name), without importing
    SQLAlchemy's MySQL package, which a connection to another database never needs."""

    __visit_name__ = "LONGTEXT"


class LongBlob(sa.LargeBinary):
    """MySQL's LONGBLOB, as :class:`LongText`."""

    __visit_name__ = "LONGBLOB"


class LockTimeout(LedgerError, TimeoutError):
    """Another applier holds the lock for longer than the timeout allows."""


def lock_timeout(what: str, timeout: float) -> LockTimeout:
    """The error of a lock on ``what`` (the ledger's full name) not had within ``timeout`` seconds."""
    return LockTimeout(f"another schema-ledger run holds the lock on {what} "
                       f"(waited {timeout:g} s; raise --lock-timeout to wait longer)")


def trigger_name(table: sa.Table, prep: sa.sql.compiler.IdentifierPreparer, suffix: str) -> str:
    """The quoted name of the ledger trigger ``<table>_<suffix>``, in the table's schema."""
    trigger = prep.quote(f"{table.name}_{suffix}")
    return f"{prep.quote_schema(table.schema)}.{trigger}" if table.schema else trigger


def refusal_literal() -> str:
    """:data:`REFUSAL` as the inside of a SQL string literal."""
    return REFUSAL.replace("'", "''")


@contextlib.contextmanager
def released(conn: sa.Connection, unlock: sa.TextClause, params: dict[str, Any]) -> Iterator[None]:
    """Run the block, then release the session lock with ``unlock``.

    A connection that was lost took its session, and the lock, with it: there is nothing to
    release, and the error that ended the block is the one to report.
    """
    def release() -> None:
        if conn.invalidated or conn.closed:
            return
        rollback_if_open(conn)
        conn.execute(unlock, params)
        commit_if_open(conn)

    try:
        yield
    except BaseException:
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            release()
        raise
    release()


def commit_if_open(conn: sa.Connection) -> None:
    if conn.in_transaction():
        conn.commit()


def rollback_if_open(conn: sa.Connection) -> None:
    if conn.in_transaction():
        conn.rollback()
