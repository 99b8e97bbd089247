"""The schema at any point of a ledger, from the ledger alone: written out, materialized, compared.

The events come from the database's ledger table (read, never the live schema) or from an
exported ledger file (``log --format jsonl``), so a schema can be rebuilt with no database
at all. Either way the hash chain is checked first: a schema rebuilt from a ledger whose
chain is broken would be a guess.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Sequence
from pathlib import Path

import attrs
import sqlalchemy as sa

from ops import ExecuteSQLOp, LedgerError, LedgerFormatError, MigrateOperation, SchemaState

from ledger import dialects
from ledger.storage.archive import read_jsonl
from ledger.project.config import Config
from ledger.schema.diff import diff
from ledger.format.events import Event, verify_chain
from ledger.format.alembic_record import ALEMBIC_DOWNGRADE, ALEMBIC_KIND, downgrade_told_by_text
from ledger.project.points import InvalidPoint, resolve_point, state_at
from ledger.schema.reflect import compare, reflect_schemas
from ledger.schema.render import render_ddl, render_json, render_mermaid
from ledger.storage.session import connect, store_for, tx, wrap_db_errors
from ledger.storage import snapshots
from ledger.storage.scan import events as read_events
from ledger.storage.scan import read_rows

__all__ = [
    "FORMATS",
    "Materialized",
    "NotEmptyError",
    "diff_points",
    "ledger_events",
    "materialize",
    "render_schema",
    "schema_at",
    "schema_at_point",
]

FORMATS = ("ddl", "json", "mermaid")


class NotEmptyError(LedgerError, RuntimeError):
    """``materialize`` was pointed at a database that already has tables."""


def ledger_events(config: Config | None = None, *, ledger_file: str | Path | None = None) -> list[Event]:
    """Every event of the database's ledger, or of an exported ledger file; the chain must verify."""
    if ledger_file is not None:
        events = list(read_jsonl(ledger_file))
        where = str(ledger_file)
    else:
        if config is None:
            raise LedgerError("no database and no ledger file to read the history from")
        store = store_for(config)
        with connect(config.url, reads_only=True) as conn, wrap_db_errors(), tx(conn):
            events = list(read_events(conn, store))
        where = f"ledger table {store.fullname}"
    problems = verify_chain(events)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise LedgerFormatError(f"{where}: the hash chain does not verify: {problems[0]}{more}; "
                                "a schema rebuilt from it could not be trusted")
    return events


def recorded_sql_at(events: Sequence[Event], point: str | None = None) -> list[str]:
    """The SQL of the ``execute`` events applied up to ``point`` (default: the head), in order; a
    baseline's too (the schemas and sequences its tables need)."""
    end = events[-1].seq if point is None and events else resolve_point(point or "head", events, applied_only=False)
    return [event.op.sqltext for event in events
            if event.seq <= end and event.kind in ("apply", "baseline") and isinstance(event.op, ExecuteSQLOp)]


def schema_at(events: Sequence[Event], point: str | None = None) -> SchemaState:
    """The schema as of ``point`` (default: the head): the fold of every event up to it.

    A revision that has since been rolled back names the end of its latest apply.
    """
    if point is None:
        return state_at(events, events[-1].seq if events else 0)
    return state_at(events, resolve_point(point, events, applied_only=False))


def render_schema(state: SchemaState, fmt: str, dialect: str | None) -> str:
    """``state`` as DDL for ``dialect``, as JSON, or as a Mermaid ER diagram."""
    if fmt == "ddl":
        if dialect is None:
            raise LedgerError("DDL needs a dialect: give --dialect (sqlite, postgresql, mysql or mariadb)")
        return render_ddl(state, dialect)
    if fmt == "json":
        return render_json(state)
    if fmt == "mermaid":
        return render_mermaid(state, dialect)
    raise LedgerError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


def diff_points(events: Sequence[Event], a: str, b: str) -> list[MigrateOperation]:
    """The completed ops that lead from the schema at point ``a`` to the schema at point ``b``."""
    return diff(schema_at(events, a), schema_at(events, b))


@attrs.frozen
class Materialized:
    """What ``materialize`` ran, and how the database it built differs from the state (nothing, normally)."""

    statements: tuple[str, ...]
    differences: tuple[str, ...]


def _ddl_dialect(conn: sa.Connection) -> str:
    name = dialects.dialect_name(conn)
    return dialects.database(name).flavour_of(conn.dialect) or name


def materialize(state: SchemaState, url: str, recorded_sql: Sequence[str] = ()) -> Materialized:
    """Create ``state`` in the empty database at ``url``, then compare what it reflects with ``state``.

    PostgreSQL and SQLite create everything in one transaction; MySQL/MariaDB commit each
    statement. No ledger table is created: the result is a copy of a past schema to look at,
    not a database to migrate. ``recorded_sql``: the SQL the ledger's ``execute`` events ran up
    to that point, in order; those that make what tables need (PostgreSQL's ``CREATE EXTENSION``,
    see :meth:`ledger.dialects.Database.prepares_schema`) run first.
    """
    with connect(url) as conn, wrap_db_errors():
        with tx(conn):
            existing = sorted(sa.inspect(conn).get_table_names())
        if existing:
            shown = ", ".join(existing[:5]) + (", ..." if len(existing) > 5 else "")
            raise NotEmptyError(f"{_safe(url)} is not empty ({len(existing)} table{'s' if len(existing) != 1 else ''}: {shown}); "
                                "materialize creates a schema in an empty database only")
        from ledger.schema.render import ddl_statements

        dialect = dialects.dialect_name(conn)
        prepares = dialects.database(dialect).prepares_schema
        statements = [s for s in recorded_sql if prepares(s)] + ddl_statements(state, _ddl_dialect(conn), conn)
        if not dialects.transactional_ddl(dialect):
            for statement in statements:
                with tx(conn):
                    dialects.execute(conn, [statement])
        else:
            with tx(conn):
                dialects.execute(conn, statements)
        with tx(conn):
            live = reflect_schemas(conn, state, exclude=())
    return Materialized(tuple(statements), tuple(compare(state, live, dialect)))


def _safe(url: str) -> str:
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def schema_at_point(config: Config, point: str | None) -> SchemaState | None:
    """The schema at ``point`` (default: the head) from a snapshot (``schema --at``), or None when no
    snapshot serves.

    The point is resolved to a ledger position first: ``@SEQ`` and the head directly, a revision,
    a time or ``-N`` from a lean read of each event's seq, kind, revision, reverses, time and
    message (no payloads; ``-N`` after an Alembic downgrade is left to the full read). None when the ledger has no usable snapshot at or below that position, or the
    point names nothing in the ledger (the caller's full read then says why).
    """
    text = (point or "").strip()
    match = re.fullmatch(r"@(\d+)", text)
    store = store_for(config)
    with connect(config.url, reads_only=True) as conn, wrap_db_errors(), tx(conn):
        if not store.exists(conn):
            return None
        head = store.head(conn)
        if head is None:
            return None
        if match is not None:
            seq = int(match.group(1))
        elif text in ("", "head", "@head"):
            seq = head.seq
        else:
            marks = list(read_rows(conn, store, ("seq", "kind", "revision", "reverses", "recorded_at", "message")))
            if text.startswith("-") and (any(downgrade_told_by_text(m) for m in marks) or conn.execute(
                    sa.select(store.table.c.seq).where(store.table.c.kind == ALEMBIC_KIND,
                                                       store.table.c.payload.contains(ALEMBIC_DOWNGRADE)).limit(1)
            ).first() is not None):
                return None  # -N after an Alembic downgrade: which revisions are in effect takes the fold
            try:
                # Rows have the attributes resolve_point reads of an event (seq, kind, revision, ...).
                seq = resolve_point(text, typing.cast("list[Event]", marks), applied_only=False)
            except InvalidPoint:
                return None
        if not 1 <= seq <= head.seq or snapshots.usable(conn, store, seq) is None:
            return None
        state, _start = snapshots.state_at(conn, store, seq)
    return state
