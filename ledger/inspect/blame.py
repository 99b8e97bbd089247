"""Blame: the events that created and changed a table or a column, oldest first.

Read through the ledger's indexed ``table_name`` column; renames of the table are followed
back to its earlier names, renames of a column too, and rollbacks are shown with the seq they
undo.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from ops import (
    AddColumnOp,
    AddConstraintOp,
    AlterColumnOp,
    CreateIndexOp,
    CreateTableOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableOp,
    LedgerError,
    MigrateOperation,
    RenameTableOp,
)
from ops.specs import CheckSpec

from ledger.format.events import STATE_KINDS, Event
from ledger.inspect.audit import InvalidInput, read_transaction
from ledger.inspect.status import describe_event
from ledger.project.config import Config
from ledger.storage.session import store_for

__all__ = ["Blame", "BlameEntry", "blame", "blame_events"]


@attrs.frozen
class BlameEntry:
    """One event that created or changed the object."""

    event: Event
    #: the table's name when the event was recorded (differs from the current one before a rename)
    table_name: str
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        e = self.event
        return {
            "seq": e.seq, "kind": e.kind, "revision": e.revision, "recorded_at": e.recorded_at,
            "actor": {"os_user": e.actor.os_user, "db_user": e.actor.db_user, "host": e.actor.host,
                      "by": e.actor.by, "tool_version": e.actor.tool_version},
            "message": e.message, "op_type": e.op_type, "table_name": self.table_name,
            "describe": describe_event(e), "reverses": e.reverses, "note": self.note,
        }


@attrs.frozen
class Blame:
    """The history of a table or column, oldest first."""

    table: str
    column: str | None
    entries: tuple[BlameEntry, ...]

    @property
    def target(self) -> str:
        return f"{self.table}.{self.column}" if self.column else self.table

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "column": self.column, "entries": [e.to_json() for e in self.entries]}


def _split_target(target: str) -> tuple[str, str | None]:
    table, _, column = target.partition(".")
    if not table or (target.count(".") and not column):
        raise InvalidInput(f"{target!r} is not TABLE or TABLE.COLUMN")
    return table, column or None


def blame(config: Config, target: str) -> Blame:
    """The events that created and changed ``target`` (``TABLE`` or ``TABLE.COLUMN``) in ``config``'s ledger."""
    table, column = _split_target(target)
    store = store_for(config)
    with read_transaction(config) as conn:
        if not store.exists(conn):
            return Blame(table, column, ())
        t = store.table

        def of_table(name: str) -> list[Event]:
            query = sa.select(t).where(t.c.table_name == name).order_by(t.c.seq)
            return [Event.from_row(row) for row in conn.execute(query)]

        renames = [Event.from_row(row) for row in conn.execute(
            sa.select(t).where(t.c.op_type == "rename_table").order_by(t.c.seq))]
        return blame_events(table, column, of_table, renames)


def blame_events(
    table: str, column: str | None, of_table: Any, renames: Sequence[Event],
) -> Blame:
    """Blame from ``of_table(name) -> events of that table name`` and the rename events.

    The history is walked back from now: events of ``table`` after the newest rename to it,
    then the events of its former name up to that rename, and so on.
    """
    segments: list[tuple[str, int, float]] = []  # (name, after seq, up to seq)
    name, upto = table, float("inf")
    for event in sorted(renames, key=lambda e: e.seq, reverse=True):
        if event.kind not in STATE_KINDS or event.seq >= upto:
            continue
        op = _op(event)
        if isinstance(op, RenameTableOp) and op.new_table_name == name and op.old_table_name != name:
            segments.append((name, event.seq, upto))
            name, upto = op.old_table_name, event.seq
    segments.append((name, 0, upto))
    entries: list[BlameEntry] = []
    for segment_name, after, until in reversed(segments):
        for event in of_table(segment_name):
            if event.kind in STATE_KINDS and after < event.seq <= until:
                entries.append(BlameEntry(event, segment_name, _note(event, segment_name, table)))
    entries.sort(key=lambda e: e.event.seq)
    if column is not None:
        entries = _column_history(entries, column)
    return Blame(table, column, tuple(entries))


def _op(event: Event) -> MigrateOperation | None:
    try:
        return event.op
    except LedgerError:
        return None


def _note(event: Event, name: str, current: str) -> str | None:
    notes = []
    if event.kind == "revert" and event.reverses is not None:
        notes.append(f"rollback of seq {event.reverses}")
    if name != current:
        notes.append(f"as {name}")
    return "; ".join(notes) or None


def _column_history(entries: list[BlameEntry], column: str) -> list[BlameEntry]:
    """The entries whose op touches ``column``, with column renames followed back (newest first)."""
    kept: list[BlameEntry] = []
    name = column
    for entry in reversed(entries):
        op = _op(entry.event)
        if op is None:
            continue
        if isinstance(op, AlterColumnOp) and op.modify_name == name and op.column_name != name:
            kept.append(attrs.evolve(entry, note=_join(entry.note, f"renamed from {op.column_name}")))
            name = op.column_name
            continue
        touched = _columns_touched(op)
        if touched is None or name in touched or _builds_on(op, name):
            note = entry.note if name == column else _join(entry.note, f"as column {name}")
            kept.append(attrs.evolve(entry, note=note))
    return list(reversed(kept))


def _join(note: str | None, more: str) -> str:
    return f"{note}; {more}" if note else more


def _builds_on(op: MigrateOperation, column: str) -> bool:
    """Whether ``op`` adds or drops a CHECK, or an expression or partial index, whose SQL names ``column``."""
    from ops.types import sql_references

    if isinstance(op, (AddConstraintOp, DropConstraintOp)):
        added = op if isinstance(op, AddConstraintOp) else op._reverse  # noqa: SLF001 - see _columns_touched
        spec = added.constraint if added is not None else None
        return isinstance(spec, CheckSpec) and sql_references(spec.sqltext, column)
    if isinstance(op, (CreateIndexOp, DropIndexOp)):
        index = op.index if isinstance(op, CreateIndexOp) else op._reverse  # noqa: SLF001 - see _columns_touched
        return index is not None and index.uses(column)
    return False


def _columns_touched(op: MigrateOperation) -> frozenset[str] | None:
    """The columns ``op`` creates, changes, drops or builds on; None for the whole table."""
    if isinstance(op, (DropTableOp, RenameTableOp)):
        return None
    if isinstance(op, CreateTableOp):
        return frozenset(op.table.column_names)
    if isinstance(op, AddColumnOp):
        return frozenset({op.column.name})
    if isinstance(op, DropColumnOp):
        return frozenset({op.column_name})
    if isinstance(op, AlterColumnOp):
        return frozenset({op.column_name} | ({op.modify_name} if op.modify_name else set()))
    if isinstance(op, CreateIndexOp):
        return frozenset(op.index.columns) | frozenset(op.index.option_columns)
    if isinstance(op, DropIndexOp):
        index = op._reverse  # noqa: SLF001 - the completed drop keeps the index it drops
        return frozenset(index.columns) if index is not None else frozenset()
    if isinstance(op, AddConstraintOp):
        return frozenset(op.constraint.column_names)
    if isinstance(op, DropConstraintOp):
        added = op._reverse  # noqa: SLF001 - the completed drop keeps the constraint it drops
        return frozenset(added.constraint.column_names) if added is not None else frozenset()
    return frozenset()
