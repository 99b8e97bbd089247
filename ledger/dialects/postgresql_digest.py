"""PostgreSQL's catalog digest of each table (``Database.table_digests``), read by the Alembic hook
before and after each SQL text statement that names no table it changes, and its scope: the tables
such a statement can change (``PostgreSQL.digest_scope``), read before it runs.

Each read costs two round trips: the setting of ``jit`` read and set off (with the scope, before a
statement), then the digest query, which sets ``jit`` back itself as it runs (it is planned by
then), or after it fails. Where the session cannot compile with ``jit`` (``pg_jit_available()``
false, read once per connection) ``jit`` is left alone: the scope's read and the digest, or the
digest alone.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from .postgresql_catalog import INDEX_TABLE, TABLE_DIGESTS, TYPE_TABLES
from ledger.support.lazyre import lazy, mentions
from ledger.support.sqltext import skip_leading

#: an ``ALTER INDEX`` that renames one index, an ``ALTER TYPE`` (one statement each): their digest scope
_ALTERED = lazy(r"\s*ALTER\s+(?:(?P<index>INDEX)\s+(?:IF\s+EXISTS\s+)?|TYPE\s+)(?P<name>(?:\"[^\"]+\"|\w+)"
                r"(?:\s*\.\s*(?:\"[^\"]+\"|\w+))?)\s+(?P<rest>(?:RENAME|ADD|OWNER|SET|ALTER|DROP)\b[^;]*);?\s*$", re.I)
#: what of an ``ALTER INDEX`` the index's table alone bounds: a rename (``_ALTERED``'s ``rest``)
_RENAMED_TO = lazy(r"RENAME\s+TO\s+(?:\"[^\"]+\"|\w+)\s*", re.I)
#: the setting of ``jit`` read, and set off (the first columns of the read before the digest)
_JIT_OFF = ["current_setting('jit')", "set_config('jit', 'off', false)"]


def digest_scope(conn: sa.Connection, statement: str) -> list[int] | None:
    """The tables (oids) that ``ALTER INDEX name RENAME TO`` (the index's) or ``ALTER TYPE name``
    (:data:`TYPE_TABLES`) can change, read before it runs; None for any other statement."""
    asked = _scope_read(statement)
    return None if asked is None else _scope_of(asked, conn.execute(sa.text(f"SELECT {asked[1]}"), asked[2]).one())


def scoped_digests(conn: sa.Connection, statement: str) -> tuple[dict[str, str], list[int] | None]:
    """:func:`table_digests` of the tables :func:`digest_scope` tells, with them: the scope is read
    with the setting of ``jit`` (set off), in one round trip."""
    asked, jit = _scope_read(statement), _has_jit(conn)
    if asked is None and not jit:
        return table_digests(conn), None
    row = conn.execute(sa.text("SELECT " + ", ".join(_JIT_OFF * jit + ([] if asked is None else [asked[1]]))),
                       {} if asked is None else asked[2]).one()
    scope = None if asked is None else _scope_of(asked, row[2 if jit else 0:])
    return _digests(conn, scope, None, row[0] if jit else None), scope


def table_digests(conn: sa.Connection, schema: str | None = None, tables: Sequence[int] | None = None) -> dict[str, str]:
    """``PostgreSQL.table_digests``: :data:`TABLE_DIGESTS` with ``jit`` off (see the module's docstring)."""
    jit = conn.execute(sa.text("SELECT " + ", ".join(_JIT_OFF))).scalar() if _has_jit(conn) else None
    return _digests(conn, tables, schema, jit)


def _has_jit(conn: sa.Connection) -> bool:
    """Whether the session can compile a query with ``jit`` (PostgreSQL 11 and later, where
    ``pg_jit_available()``: a JIT provider is installed and ``jit`` is on), read once per
    connection (the pool's record of it keeps it); where it cannot, ``jit`` is neither read nor
    set around the digest. A migration that sets ``jit`` on later in that session has its digests
    planned with it (slower, the same rows)."""
    if (conn.dialect.server_version_info or (0,)) < (11,):
        return False
    info = conn.connection.info
    known = info.get(_JIT_KNOWN)
    if known is None:
        known = info[_JIT_KNOWN] = bool(conn.execute(sa.text("SELECT pg_jit_available()")).scalar())
    return known


#: the key of :func:`_has_jit`'s answer in a connection's ``info``
_JIT_KNOWN = "schema_ledger.jit_available"


def _digests(conn: sa.Connection, tables: Sequence[int] | None, schema: str | None, jit: str | None) -> dict[str, str]:
    """:data:`TABLE_DIGESTS` (of ``tables`` only, unless None), ``jit`` set off before; ``jit``: the
    setting to give back (None or ``off``: none), by the query as it runs, or after it fails (in a
    transaction that failure aborts, its rollback or the savepoint's gives it back)."""
    sql = TABLE_DIGESTS + ("" if tables is None else " AND c.oid = ANY(CAST(:tables AS oid[]))")
    params = {"schema": schema, "tables": list(tables or ())}
    if jit in (None, "off"):
        return {name: digest for name, digest in conn.execute(sa.text(sql), params)}
    try:
        # planned with jit off; the one row of r, which the LEFT JOIN keeps, gives it back as the query runs
        rows = conn.execute(sa.text(f"SELECT d.*, r.jit FROM (SELECT set_config('jit', :jit, false) AS jit) AS r"
                                    f" LEFT JOIN ({sql}) AS d ON true"), {**params, "jit": jit}).all()
    except sa.exc.DBAPIError:
        with contextlib.suppress(sa.exc.DBAPIError):
            conn.execute(sa.text("SELECT set_config('jit', :jit, false)"), {"jit": jit})
        raise
    return {row[0]: row[1] for row in rows if row[0] is not None}


def _scope_read(statement: str) -> tuple[str, str, dict[str, str]] | None:
    """What to read for :func:`digest_scope`: ``(kind, columns of a SELECT list, parameters)``; None
    when the statement's scope is every table."""
    found = _ALTERED.match(statement, skip_leading(statement)) if mentions(statement, "alter") else None
    if found is None or (found.group("index") and not _RENAMED_TO.fullmatch(found.group("rest"))):
        return None
    if found.group("index"):
        return "index", INDEX_TABLE, {"name": found.group("name")}
    return "type", f"CAST(ARRAY({TYPE_TABLES}) AS bigint[])", {"name": found.group("name")}  # (pg8000: no oid[])


def _scope_of(asked: tuple[str, str, dict[str, str]], row: Sequence[Any]) -> list[int] | None:
    """The oids :func:`_scope_read`'s columns read as ``row``."""
    if asked[0] == "index":
        if row[0] is None:
            return []  # no such relation: no table
        return [row[1]] if row[0] in ("i", "I") else None  # not an index (a table PostgreSQL renames): every table
    return [oid for oid in row[0] or () if oid]
