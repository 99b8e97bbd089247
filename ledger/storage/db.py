"""Engines that behave the same on every database schema-ledger supports.

Each database's object (:mod:`ledger.dialects`) sets its engines up: SQLite's Python driver does
not open a transaction before DDL, so DDL would commit on its own and a failed revision could
not be rolled back; engines made here let SQLAlchemy drive the transaction instead, and start
each one with ``BEGIN IMMEDIATE`` so that the writer lock is taken at the start (the ledger head
is then read under it).

MariaDB/MySQL sessions run in strict mode (``STRICT_TRANS_TABLES`` is added to the session's
``sql_mode`` when the server's default lacks it), so that a value that does not fit is refused
rather than truncated.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ops.base import LedgerError

from ledger import dialects
from ledger.dialects.sqlite_db import READS_ONLY, THROWAWAY

__all__ = ["DatabaseError", "READS_ONLY", "THROWAWAY", "UnknownDatabase", "create_engine", "dialect_of"]


class DatabaseError(LedgerError, RuntimeError):
    """The database could not be reached or refused what was asked of it."""


class UnknownDatabase(DatabaseError):
    """A URL names a database or driver SQLAlchemy does not have (a typo, most often): an input error."""


def dialect_of(bind: Any) -> str:
    """The database's name ("sqlite", "postgresql" or "mysql", MariaDB included) for an engine,
    connection or URL (:func:`ledger.dialects.dialect_name`); an unsupported backend's own name."""
    try:
        return dialects.dialect_name(bind)
    except dialects.UnsupportedDialectError:
        if isinstance(bind, (str, sa.URL)):
            return sa.make_url(bind).get_backend_name()
        return str(getattr(bind, "dialect", bind).name)


def create_engine(url: str | sa.URL, **kwargs: Any) -> sa.Engine:
    """An engine set up by its database's object (default driver, SQLite's transactions)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise DatabaseError(f"not a database URL: {url!s}") from None
    try:
        database: dialects.Database | None = dialects.database(parsed.get_backend_name())
    except dialects.UnsupportedDialectError:
        database = None
    if database is not None and database.default_driver and "+" not in parsed.drivername:
        parsed = parsed.set(drivername=f"{parsed.get_backend_name()}+{database.default_driver}")
    problem = database.url_problem(parsed) if database is not None else None
    if problem is not None:
        raise DatabaseError(problem)
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except sa.exc.NoSuchModuleError:
        raise UnknownDatabase(f"{parsed.render_as_string()}: unknown database or driver {parsed.drivername!r} "
                              f"(known: {', '.join(dialects.backends())})") from None
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise DatabaseError(f"cannot use {parsed.render_as_string()}: {exc}") from None
    if database is not None:
        database.setup_engine(engine)
    return engine
