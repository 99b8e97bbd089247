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

import logging
from typing import Any

import sqlalchemy as sa

from ops.base import LedgerError

from ledger import dialects
from ledger.dialects.database import READS_ONLY, THROWAWAY

__all__ = ["DatabaseError", "READS_ONLY", "THROWAWAY", "UnknownDatabase", "create_engine", "dialect_of", "sync_url"]

#: says which driver runs a URL that named an async one (shown by the command line's ``-v``)
log = logging.getLogger("schema_ledger.engine")
_SAID: set[tuple[str, str]] = set()


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


def sync_url(url: str | sa.URL) -> sa.URL:
    """``url`` as schema-ledger runs it: a URL naming an async driver (``postgresql+asyncpg``,
    ``mysql+aiomysql``, ``sqlite+aiosqlite``, as an async application's ``alembic.ini`` holds it)
    names instead the first installed synchronous driver of that database (its query options
    unchanged); said once per URL on the ``schema_ledger.engine`` logger. No synchronous driver
    installed: a DatabaseError naming what to install."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise DatabaseError(f"not a database URL: {url!s}") from None
    try:
        is_async = bool(getattr(parsed.get_dialect(), "is_async", False))
    except (sa.exc.NoSuchModuleError, ImportError):
        return parsed  # create_engine names the unknown driver
    if not is_async:
        return parsed
    backend = parsed.get_backend_name()
    try:
        database: dialects.Database | None = dialects.database(backend)
    except dialects.UnsupportedDialectError:
        database = None
    drivers = database.sync_drivers if database is not None else ()
    for driver in drivers:
        candidate = parsed.set(drivername=f"{backend}+{driver}")
        try:
            candidate.get_dialect().import_dbapi()
        except (sa.exc.NoSuchModuleError, ImportError):
            continue
        said = (parsed.drivername, candidate.drivername)
        if said not in _SAID:
            _SAID.add(said)
            log.info("schema-ledger: %s is an async driver; its commands run on %s", parsed.drivername,
                     candidate.drivername)
        return candidate
    extra = database.extra if database is not None else None
    install = f"pip install 'schema-ledger[{extra}]'" if extra else "install one"
    raise DatabaseError(
        f"{parsed.drivername} is an async driver and schema-ledger's commands need a synchronous one; none of "
        f"{', '.join(drivers) or 'its drivers'} is installed: {install}, or give a URL naming a synchronous driver "
        f"({backend}+{drivers[0] if drivers else '...'}://...)")


def create_engine(url: str | sa.URL, **kwargs: Any) -> sa.Engine:
    """An engine set up by its database's object (default driver, SQLite's transactions); a URL naming
    an async driver runs on a synchronous one (:func:`sync_url`)."""
    parsed = sync_url(url)
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
