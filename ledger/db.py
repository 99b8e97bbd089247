"""Engines that behave the same on every database schema-ledger supports.

MariaDB/MySQL sessions run in strict mode (``STRICT_TRANS_TABLES`` is added to the session's
``sql_mode`` when the server's default lacks it), so that a value that does not fit is refused
rather than truncated.

SQLite's Python driver does not open a transaction before DDL, so DDL would commit on its own
and a failed revision could not be rolled back. Engines made here let SQLAlchemy drive the
transaction instead, and start each one with ``BEGIN IMMEDIATE`` so that the writer lock is
taken at the start (the ledger head is then read under it).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from ops.base import LedgerError

__all__ = ["DatabaseError", "READS_ONLY", "THROWAWAY", "UnknownDatabase", "create_engine", "dialect_of"]

#: Execution option of a connection that never writes: on SQLite its transactions start with a
#: plain BEGIN (a shared lock, taken at the first read) instead of BEGIN IMMEDIATE.
READS_ONLY = "schema_ledger_reads_only"


#: SQLite files whose contents need not survive a crash (a drill's own temporary scratch
#: database, deleted afterwards): their connections commit without waiting for the disk
#: (``PRAGMA synchronous = OFF``). Transactions and rollbacks work as on any other file.
THROWAWAY: set[str] = set()


class DatabaseError(LedgerError, RuntimeError):
    """The database could not be reached or refused what was asked of it."""


class UnknownDatabase(DatabaseError):
    """A URL names a database or driver SQLAlchemy does not have (a typo, most often): an input error."""


def dialect_of(bind: Any) -> str:
    """"sqlite", "postgresql" or "mysql" (MariaDB included) for an engine, connection or URL."""
    if isinstance(bind, str):
        name = sa.make_url(bind).get_backend_name()
    elif isinstance(bind, sa.URL):
        name = bind.get_backend_name()
    else:
        name = getattr(bind, "dialect", bind).name
    return "mysql" if name in ("mysql", "mariadb") else name


def create_engine(url: str | sa.URL, **kwargs: Any) -> sa.Engine:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise DatabaseError(f"not a database URL: {url!s}") from None
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() in ("mysql", "mariadb") and "+" not in parsed.drivername:
        parsed = parsed.set(drivername=f"{parsed.get_backend_name()}+pymysql")
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except sa.exc.NoSuchModuleError:
        raise UnknownDatabase(f"{parsed.render_as_string()}: unknown database or driver {parsed.drivername!r} "
                              "(known: sqlite, postgresql, mysql, mariadb)") from None
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise DatabaseError(f"cannot use {parsed.render_as_string()}: {exc}") from None
    if engine.dialect.name == "sqlite":
        _transactional_sqlite(engine)
    elif engine.dialect.name in ("mysql", "mariadb"):
        _strict_mysql(engine)
    return engine


def _strict_mysql(engine: sa.Engine) -> None:
    """Every session in strict mode: a value that does not fit a column (an ALTER that shortens a
    VARCHAR under a longer value) is refused instead of cut to fit with a warning."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT @@SESSION.sql_mode")
        modes = [m for m in str(cursor.fetchone()[0] or "").split(",") if m]
        if "STRICT_TRANS_TABLES" not in modes and "STRICT_ALL_TABLES" not in modes:
            cursor.execute("SET SESSION sql_mode = %s", (",".join([*modes, "STRICT_TRANS_TABLES"]),))
        cursor.close()


def _transactional_sqlite(engine: sa.Engine) -> None:
    throwaway = engine.url.database in THROWAWAY

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver must not manage transactions
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 60000")
        if throwaway:
            cursor.execute("PRAGMA synchronous = OFF")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        # A connection that only reads (status, verify, log) must not queue behind a writer.
        reads_only = conn.get_execution_options().get(READS_ONLY, False)
        conn.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")
