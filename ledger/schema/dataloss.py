"""Data that a run is about to lose, counted before any of its statements runs.

``apply`` and ``rollback`` check their whole plan before they run it; the ops of that plan
that drop a table or a column, or narrow a column's type (:mod:`ledger.schema.narrowing`), are looked
up here in the live database: the rows of each dropped table, the non-null values of each dropped
or narrowed column, and nothing else, all counted in one ``SELECT`` of scalar subqueries (one
round trip per :data:`CHUNK` counts, not one per count: a rollback of many revisions that drop
tables waited for the database once per table). Tables and columns that the
same run creates first are not counted (they hold nothing yet); renames within the run are
followed back to the names the database has now.

The rows an ``INSERT`` inserted by their key are deleted by its reverse (:mod:`ledger.schema.seedrows`):
those whose values are no longer the constants inserted (in the columns the database still has under
their names as followed) changed since, and deleting them loses those changes: counted too.

A :class:`Loss` with rows is what the command line asks consent for (``--allow-data-loss``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs
import sqlalchemy as sa

from ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateTableOp,
    DropColumnOp,
    DropTableOp,
    LedgerError,
    MigrateOperation,
    RenameTableOp,
    SchemaState,
)
from ops.classes import define, frozen
from ops.specs import TableSpec, partitions_of

from ledger.format.events import Event

from ledger.dialects.convertible import holds_value, live_types
from ledger.schema.narrowing import narrowing
from ledger.schema.seedrows import SeedRows, deleted_rows, key_condition, seed_rows

__all__ = ["DataLossRefused", "Consent", "Loss", "data_loss", "measure"]

TableKey = tuple[str | None, str]


class DataLossRefused(LedgerError, RuntimeError):
    """A run that would lose data was not allowed to: nothing of it ran."""


@frozen
class Loss:
    """A table or column whose data the run drops, or a column whose type it narrows, with how
    many rows (or non-null values) it holds now."""

    kind: str  # "table" | "column" | "narrowing" | "rows" (inserted rows changed since)
    table: str
    column: str | None
    rows: int
    #: where in the plan: "revision 0003" or "revision 0003, seq 17"
    where: str
    #: for a narrowing: "from VARCHAR(40) to VARCHAR(10)"; for rows: which ("the 2 rows inserted into t (...)")
    change: str = ""

    def describe(self) -> str:
        count = f"{self.rows} row{'s' if self.rows != 1 else ''}"
        values = f"{self.rows} non-null value{'s' if self.rows != 1 else ''}"
        if self.kind == "table":
            return f"table {self.table} is dropped with its rows: {count} ({self.where})"
        if self.kind == "rows":
            them = "them" if self.rows != 1 else "it"
            return (f"{self.rows} of {self.change} changed since {'they were' if self.rows != 1 else 'it was'} "
                    f"inserted: deleting {them} loses those changes ({self.where})")
        if self.kind == "column":
            return f"column {self.table}.{self.column} is dropped with its data: {values} ({self.where})"
        return f"column {self.table}.{self.column} narrows {self.change}: {values} ({self.where})"

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "table": self.table, "column": self.column, "rows": self.rows,
                "where": self.where, "change": self.change or None, "describe": self.describe()}


#: Called with the losses of a plan (all with rows) before any statement runs; raises to refuse.
Consent = Callable[[Sequence[Loss]], None]


def _full(key: TableKey) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


@define
class _Origins:
    """Where the tables and columns of the plan's states are in the live database right now."""

    start: SchemaState
    #: current table -> the live table it is (renames followed); absent: the same name
    tables: dict[TableKey, TableKey] = attrs.field(factory=dict)
    created: set[TableKey] = attrs.field(factory=set)
    #: (current table, current column) -> live column name; absent: the same name
    columns: dict[tuple[TableKey, str], str] = attrs.field(factory=dict)
    added: set[tuple[TableKey, str]] = attrs.field(factory=set)

    def table(self, key: TableKey) -> TableKey | None:
        if key in self.created:
            return None
        live = self.tables.get(key, key)
        return live if live in self.start.tables else None

    def column(self, key: TableKey, name: str) -> tuple[TableKey, str] | None:
        live = self.table(key)
        if live is None or (key, name) in self.added:
            return None
        column = self.columns.get((key, name), name)
        return (live, column) if self.start.tables[live].column(column) is not None else None

    def follow(self, op: MigrateOperation) -> None:
        if isinstance(op, CreateTableOp):
            self.created.add(op.table.key)
        elif isinstance(op, RenameTableOp):
            old, new = (op.schema, op.old_table_name), (op.schema, op.new_table_name)
            if old in self.created:
                self.created.discard(old)
                self.created.add(new)
            self.tables[new] = self.tables.pop(old, old)
            self.columns = {((new if k == old else k), c): v for (k, c), v in self.columns.items()}
            self.added = {((new if k == old else k), c) for k, c in self.added}
        elif isinstance(op, DropTableOp):
            for dropped in (op, *op._dependents):  # a partitioned table's partitions go with it
                if isinstance(dropped, DropTableOp):
                    key = (dropped.schema, dropped.table_name)
                    self.created.discard(key)
                    self.tables.pop(key, None)
        elif isinstance(op, AddColumnOp):
            self.added.add(((op.schema, op.table_name), op.column.name))
        elif isinstance(op, AlterColumnOp) and op.modify_name and op.modify_name != op.column_name:
            key = (op.schema, op.table_name)
            if (key, op.column_name) in self.added:
                self.added.discard((key, op.column_name))
                self.added.add((key, op.modify_name))
            self.columns[(key, op.modify_name)] = self.columns.pop((key, op.column_name), op.column_name)
        elif isinstance(op, DropColumnOp):
            self.added.discard(((op.schema, op.table_name), op.column_name))


def _quote(conn: sa.Connection, key: TableKey) -> str:
    preparer = conn.dialect.identifier_preparer
    name = preparer.quote(key[1])
    return f"{preparer.quote_schema(key[0])}.{name}" if key[0] else name


#: counts per SELECT: well under every database's limit on the columns of a result (and MySQL's
#: 61 tables of a join, should its optimizer merge the subqueries)
CHUNK = 50


def _count_sql(conn: sa.Connection, key: TableKey, column: str | None) -> str:
    where = "" if column is None else f" WHERE {conn.dialect.identifier_preparer.quote(column)} IS NOT NULL"
    return f"(SELECT COUNT(*) FROM {_quote(conn, key)}{where})"


def _counts(conn: sa.Connection, wanted: Sequence[tuple[TableKey, str | None] | str]
            ) -> dict[tuple[TableKey, str | None] | str, int]:
    """The rows of each table (column None) or the non-null values of each column of ``wanted``, or
    what a count's own SQL (a ``str``) counts, ``CHUNK`` counts to a ``SELECT``."""
    targets = list(dict.fromkeys(wanted))
    found: dict[tuple[TableKey, str | None] | str, int] = {}
    for at in range(0, len(targets), CHUNK):
        chunk = targets[at:at + CHUNK]
        row = conn.exec_driver_sql("SELECT " + ", ".join(
            target if isinstance(target, str) else _count_sql(conn, *target) for target in chunk)).one()
        found.update(zip(chunk, (int(value or 0) for value in row)))
    return found


def _partitioned(table: TableSpec | None) -> bool:
    return table is not None and any(key == "postgresql_partition_by" for key, _ in table.dialect_options)


def _rows_sql(conn: sa.Connection, origins: _Origins, before: SchemaState, key: TableKey) -> str | None:
    """The count of the rows the table ``key`` holds at a step whose state is ``before``, or None
    (nothing live). A partitioned table holds the rows of its partitions of ``before`` (those the plan
    dropped before are not its any more, though the live table counts them still): the sum of its
    leaf partitions' counts."""
    live = origins.table(key)
    if live is None:
        return None
    if not _partitioned(before.tables.get(key)):
        return _count_sql(conn, live, None)
    leaves = [found for table in partitions_of(before.tables, key[1], key[0])
              if not _partitioned(table) and (found := origins.table(table.key)) is not None]
    return "(" + " + ".join(_count_sql(conn, leaf, None) for leaf in leaves) + ")" if leaves else None


def _changed_sql(conn: sa.Connection, origins: _Origins, seed: SeedRows,
                 types: dict[TableKey, dict[str, str]]) -> str | None:
    """The count of the rows ``seed`` names whose values are no longer those inserted, in the live
    table (None: the table or a key column is not live, or no constant inserted is in a live column)."""
    key = seed.table.key
    live = origins.table(key)
    found = seed.found
    columns = [origins.column(key, name) if (name := seed.column(at)) is not None else None
               for at in range(len(found.columns))]
    if live is None or any(columns[p] is None for p in seed.key):
        return None
    quote = conn.dialect.identifier_preparer.quote
    compared = [at for at, column in enumerate(columns) if column is not None and at not in seed.key]
    if compared and live not in types:  # the live types a constant is stored as (one read a table)
        types[live] = live_types(conn, _quote(conn, live))
    typed = types.get(live, {})
    each = []
    for row in found.rows:
        same = [holds_value(conn, quote(columns[at][1]), row[at], typed.get(columns[at][1]))
                for at in compared if row[at] is not None]
        if same:
            where = key_condition([quote(columns[p][1]) for p in seed.key], [[row[p] for p in seed.key]])
            each.append(f"({where} AND NOT ({' AND '.join(same)}))")
    if not each:
        return None
    return f"(SELECT COUNT(*) FROM {_quote(conn, live)} WHERE {' OR '.join(each)})"


def measure(conn: sa.Connection, start: SchemaState,
            steps: Iterable[tuple[MigrateOperation, SchemaState, str]]) -> list[Loss]:
    """The losses of ``steps`` (each a completed op, the state before it, and where it is in the
    plan), counted in the live database whose schema is ``start``; only those with rows."""
    origins = _Origins(start)
    types: dict[TableKey, dict[str, str]] = {}
    # Each loss with the live table (and column) whose data it counts.
    found: list[tuple[Loss, tuple[TableKey, str | None] | str]] = []
    for op, before, where in steps:
        if isinstance(op, DropTableOp):
            if (count := _rows_sql(conn, origins, before, (op.schema, op.table_name))) is not None:
                found.append((Loss("table", _full((op.schema, op.table_name)), None, 0, where), count))
        elif isinstance(op, DropColumnOp):
            column = origins.column((op.schema, op.table_name), op.column_name)
            if column is not None:
                found.append((Loss("column", _full((op.schema, op.table_name)), op.column_name, 0, where), column))
        elif (narrowed := narrowing(op, before)) is not None:
            column = origins.column((narrowed.schema, narrowed.table), narrowed.column)
            if column is not None:
                change = narrowed.describe(conn.dialect).split(" narrows ", 1)[1]
                found.append((Loss("narrowing", narrowed.fullname, narrowed.column, 0, where, change), column))
        elif (seed := seed_rows(op, before)) is not None and (changed := _changed_sql(conn, origins, seed, types)) is not None:
            found.append((Loss("rows", seed.table.fullname, None, 0, where, seed.describe()), changed))
        origins.follow(op)
    if not found:
        return []
    counts = _counts(conn, [target for _loss, target in found])
    return [attrs.evolve(loss, rows=counts[target]) for loss, target in found if counts[target]]


def _named(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema else name


def data_loss(op: MigrateOperation, undone: Event, *, short: bool = False, state: SchemaState | None = None) -> str | None:
    """What data undoing ``undone`` with the completed ``op`` drops, deletes (rows an ``INSERT`` inserted, with
    ``state``: the one ``op`` applies to) or does not bring back, or None. ``short`` leaves out where the undone
    event is (what a drill report shows per revision)."""
    where = "" if short else f" (revision {undone.revision}, seq {undone.seq})"
    if state is not None and (rows := deleted_rows(op, state)) is not None:
        return f"{rows}{where}"
    if isinstance(op, DropTableOp):
        return f"table {_named(op.table_name, op.schema)} is dropped with its rows{where}"
    if isinstance(op, DropColumnOp):
        return f"column {_named(op.table_name, op.schema)}.{op.column_name} is dropped with its data{where}"
    if isinstance(op, CreateTableOp):
        return f"table {op.table.fullname} comes back empty: its rows were dropped{where}"
    if isinstance(op, AddColumnOp):
        return (f"column {_named(op.table_name, op.schema)}.{op.column.name} comes back without its data "
                f"(NULL or its default){where}")
    return None
