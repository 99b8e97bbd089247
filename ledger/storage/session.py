"""A run's session with its database: connecting, transactions, the ledger store a project names,
who is connected, and database errors turned into one-line messages.

Every command that reads or writes a ledger goes through these: ``connect`` (a database that
cannot be reached is a :class:`DatabaseError`, not a traceback), ``store_for`` (the ledger table a
configuration names, with its seal), ``tx`` (a transaction of its own), ``wrap_db_errors`` (a
driver error as a one-line :class:`DatabaseError`, SQLite's busy write lock as a
:class:`LockTimeout`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from ledger import dialects
from ledger.storage.db import READS_ONLY, DatabaseError, create_engine, dialect_of
from ledger.storage.store import LedgerStore, LockTimeout
from ledger.support.gcpause import started

__all__ = [
    "connect",
    "db_message",
    "db_user",
    "missing_sqlite_file",
    "safe_url",
    "store_for",
    "tx",
    "wrap_db_errors",
]


def store_for(config: Any) -> LedgerStore:
    """The ledger table ``config`` names, with the seal its writing runs end with."""
    store = LedgerStore(config.ledger_table, config.ledger_schema)
    if config.sign_key is not None or config.anchor_path is not None:
        # Signing loads the cryptography package: a command with nothing to seal does not import it.
        from ledger.storage.seal import seal_for

        store.seal = seal_for(config, store.fullname)
    return store


def db_message(exc: BaseException) -> str:
    """The database's own message, on one line (at most 500 characters)."""
    original = getattr(exc, "orig", None) or exc
    text = " ".join(str(original).split())
    return text[:500]


@contextlib.contextmanager
def tx(conn: sa.Connection) -> Iterator[sa.Connection]:
    """A transaction of its own: anything an earlier read left open is committed first."""
    if conn.in_transaction():
        conn.commit()
    with conn.begin():
        yield conn


def safe_url(url: str) -> str:
    """``url`` with its password hidden (as it is shown in messages)."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


@contextlib.contextmanager
def connect(url: str, *, reads_only: bool = False, lock_timeout: float | None = None) -> Iterator[sa.Connection]:
    """A connection to ``url``; a database that cannot be reached is a DatabaseError, not a traceback.

    ``reads_only``: the connection never writes, so on SQLite it does not take the write lock,
    and a SQLite file that does not exist reads as an empty database (no file is created).
    ``lock_timeout``: where each transaction takes the write lock (SQLite), every one waits at most
    that long for it, those before the applier lock is taken too (a rollback's check of the ledger).
    """
    engine = create_engine("sqlite://" if reads_only and missing_sqlite_file(url) else url, poolclass=sa.pool.NullPool)
    try:
        try:
            conn = engine.connect()
        except sa.exc.DBAPIError as exc:
            raise DatabaseError(f"cannot connect to {safe_url(url)}: {db_message(exc)}{_why_not(engine)}") from None
        started()  # the command's start-up is over (ledger.support.gcpause)
        with conn:
            if lock_timeout is not None:
                dialects.database(conn.dialect.name).lock_wait(conn, lock_timeout)
            if reads_only:
                conn.execution_options(**{READS_ONLY: True})
            try:
                yield conn
            except (DatabaseError, sa.exc.DBAPIError) as exc:
                # SQLite opens a file lazily: a file that is no database is found at the first
                # statement, whose message names no file
                message = db_message(exc) if isinstance(exc, sa.exc.DBAPIError) else str(exc)
                if message != _NOT_SQLITE or (database := dialects.database_file(url)) is None:
                    raise
                raise DatabaseError(f"{safe_url(url)}: {database} is not an SQLite database ({_NOT_SQLITE}): "
                                    "is it the right file?") from None
    finally:
        engine.dispose()


#: SQLite's message for a file that does not begin as its database files do
_NOT_SQLITE = "file is not a database"


def missing_sqlite_file(url: str) -> bool:
    """Whether ``url`` names a SQLite file that does not exist (connecting would create it)."""
    try:
        database = dialects.database_file(url)
    except sa.exc.ArgumentError:
        return False
    if database is None:
        return False
    # A missing folder is not "an empty database": connecting reports it (see _why_not).
    path = database.expanduser()
    return not path.exists() and path.absolute().parent.is_dir()


def _why_not(engine: sa.Engine) -> str:
    """What SQLite's "unable to open database file" means, when it is a missing folder."""
    database = dialects.database_file(engine.url)
    if database is None:
        return ""
    folder = database.expanduser().absolute().parent
    return f" (the folder {folder} does not exist)" if not folder.is_dir() else ""


def db_user(conn: sa.Connection) -> str | None:
    """The database user ``conn`` is connected as (None where the database has no such notion).

    Read in the transaction the connection is in, or begins, and left open: what the command
    runs next (taking the applier lock, the guard's read) goes in the same transaction, and a
    transaction of its own would cost two round trips more (its BEGIN and its COMMIT). The read
    touches no table, so the open transaction holds no lock.
    """
    query = dialects.database(dialect_of(conn)).current_user_sql
    if query is None:
        return None
    return str(conn.exec_driver_sql(query).scalar())


@contextlib.contextmanager
def wrap_db_errors(lock_timeout: float | None = None) -> Iterator[None]:
    """A driver error in the block becomes a one-line DatabaseError; with ``lock_timeout``, SQLite's
    busy write lock (the applier lock there) becomes a LockTimeout."""
    try:
        yield
    except sa.exc.DBAPIError as exc:
        message = db_message(exc)
        # SQLite's applier lock is its write lock: waiting it out ends in "database is locked".
        if lock_timeout is not None and "database is locked" in message:
            raise LockTimeout(f"another writer holds the SQLite database's write lock (waited {lock_timeout:g} s; "
                              "raise --lock-timeout to wait longer)") from None
        raise DatabaseError(message) from None
