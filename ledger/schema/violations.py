"""Rows that a plan's constraint would refuse, counted before any of its statements runs.

A rollback re-adds what a revision took away: a NOT NULL it dropped, a NOT NULL column with no
default it dropped (where the database does not fill the rows in), a foreign key, a unique
constraint or unique index. When rows written since (by the application, or by a data
revision that ``--skip-irreversible`` marks undone without undoing what it wrote) do not hold
to it, the database refuses that statement half way through the run: earlier revisions are
rolled back already, and on MariaDB/MySQL a reverse has run and its intent is in doubt. So
each such op of the plan is looked up in the live database first, as
:mod:`ledger.schema.dataloss` counts the data a plan drops: the NULLs of a column made NOT
NULL, the rows whose key has no referenced row, the rows sharing a unique key (in one
``SELECT`` per :data:`CHUNK` counts). Tables and columns that the same run creates first hold
nothing yet and are not counted; renames within the run are followed back to the names the
database has now.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import sqlalchemy as sa

from ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreateUniqueConstraintOp,
    ExecuteSQLOp,
    LedgerError,
    MigrateOperation,
    SchemaState,
)

from ledger import dialects
from ledger.schema.dataloss import CHUNK, TableKey, _full, _Origins, _quote

__all__ = ["ConstraintRefused", "Violation", "violations"]


class ConstraintRefused(LedgerError, RuntimeError):
    """Rows in the database do not hold to a constraint the run would add: nothing of it ran."""


@attrs.frozen
class Violation:
    """A constraint the run adds (where in the plan) and how many rows of the live database break it."""

    table: str
    constraint: str
    rows: int
    where: str

    def describe(self) -> str:
        count = f"{self.rows} row{'s' if self.rows != 1 else ''}"
        return f"{self.where} adds {self.constraint}, which {count} of {self.table} break"


@attrs.define
class _Retyped(_Origins):
    """The origins of the plan's tables and columns, and the live columns whose type it changes."""

    retyped: set[tuple[TableKey, str]] = attrs.field(factory=set)

    def follow(self, op: MigrateOperation) -> None:
        if isinstance(op, AlterColumnOp) and op.modify_type is not None:
            column = self.column((op.schema, op.table_name), op.column_name)
            if column is not None:
                self.retyped.add(column)
        super().follow(op)


def _columns(origins: _Retyped, key: TableKey, names: Iterable[str]) -> tuple[TableKey, list[str]] | None:
    """The live table and column names of ``names`` of table ``key``, or None when any is new or
    the plan changes its type before (its values then are what the cast makes of them, and the live
    column may not compare with the one a foreign key refers to)."""
    live_table = origins.table(key)
    if live_table is None:
        return None
    found = []
    for name in names:
        column = origins.column(key, name)
        if column is None or column in origins.retyped:
            return None
        found.append(column[1])
    return live_table, found


def _check(conn: sa.Connection, op: MigrateOperation, before: SchemaState,
           origins: _Retyped) -> tuple[str, str, str] | None:
    """(table, constraint as said, the COUNT query) for an op that adds a constraint rows can break."""
    quote = conn.dialect.identifier_preparer.quote
    if isinstance(op, AlterColumnOp) and op.modify_nullable is False:
        key = (op.schema, op.table_name)
        table = before.tables.get(key)
        column = table.column(op.column_name) if table is not None else None
        if column is None or not column.nullable:
            return None
        found = _columns(origins, key, [op.column_name])
        if found is None:
            return None
        return (f"{_full(key)}", f"NOT NULL on column {_full(key)}.{op.column_name}",
                f"SELECT COUNT(*) FROM {_quote(conn, found[0])} WHERE {quote(found[1][0])} IS NULL")
    if isinstance(op, AddColumnOp):
        # a NOT NULL column with no default (the reverse of its drop) comes back to rows that have
        # no value for it: refused, unless the database fills in its type's implicit default
        spec = op.column
        if spec.nullable or spec.server_default is not None or spec.identity is not None \
                or spec.computed is not None or dialects.database(dialects.dialect_name(conn)).fills_added_not_null:
            return None
        key = (op.schema, op.table_name)
        live = origins.table(key)
        if live is None:
            return None
        return (_full(key), f"column {_full(key)}.{spec.name} NOT NULL with no default",
                f"SELECT COUNT(*) FROM {_quote(conn, live)}")
    if isinstance(op, CreateForeignKeyOp) and dialects.database(dialects.dialect_name(conn)).checks_foreign_keys(conn):
        spec = op.constraint
        source = _columns(origins, (op.schema, op.table_name), spec.columns)
        referent_key = (spec.referent_schema, spec.referent_table)
        referent = _columns(origins, referent_key, spec.referent_columns)
        if source is None or (referent is None and referent_key not in origins.created):
            return None
        present = " AND ".join(f"s.{quote(c)} IS NOT NULL" for c in source[1])
        # a referenced table the run makes again comes back empty: every key refers to nothing
        missing = "" if referent is None else " AND NOT EXISTS (SELECT 1 FROM {} r WHERE {})".format(
            _quote(conn, referent[0]), " AND ".join(f"r.{quote(r)} = s.{quote(c)}" for c, r in zip(source[1], referent[1])))
        return (_full((op.schema, op.table_name)), f"foreign key {spec.name} on {_full((op.schema, op.table_name))}"
                f"({', '.join(spec.columns)}) -> {_full(referent_key)}",
                f"SELECT COUNT(*) FROM {_quote(conn, source[0])} s WHERE {present}{missing}")
    if isinstance(op, CreateUniqueConstraintOp) or (isinstance(op, CreateIndexOp) and op.unique):
        if isinstance(op, CreateIndexOp):
            if any(element.expression for element in op.index.elements) or \
                    any(k.endswith("_where") for k, _ in op.index.dialect_options):
                return None  # an expression or a partial index: not counted here
            names, what = op.columns, f"unique index {op.index_name}"
        else:
            names, what = op.columns, f"unique constraint {op.constraint.name}"
        found = _columns(origins, (op.schema, op.table_name), names)
        if found is None:
            return None
        cols = ", ".join(quote(c) for c in found[1])
        present = " AND ".join(f"{quote(c)} IS NOT NULL" for c in found[1])
        return (_full((op.schema, op.table_name)), f"{what} on {_full((op.schema, op.table_name))}({', '.join(names)})",
                f"SELECT COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n FROM {_quote(conn, found[0])} "
                f"WHERE {present} GROUP BY {cols} HAVING COUNT(*) > 1) d")
    return None


def violations(conn: sa.Connection, start: SchemaState,
               steps: Iterable[tuple[MigrateOperation, SchemaState, str]]) -> list[Violation]:
    """The constraints ``steps`` add (each a completed op, the state before it, and where it is in
    the plan) that rows of the live database, whose schema is ``start``, break; only those with rows."""
    origins = _Retyped(start)
    checks: list[tuple[Violation, str]] = []
    ran_sql = False
    for op, before, where in steps:
        ran_sql = ran_sql or isinstance(op, ExecuteSQLOp)
        # SQL the plan runs first (a data revision's reverse) may delete the rows a NOT NULL column
        # with no default would come back to: what the table holds then is not known, so not counted
        check = None if ran_sql and isinstance(op, AddColumnOp) else _check(conn, op, before, origins)
        if check is not None:
            table, constraint, query = check
            checks.append((Violation(table, constraint, 0, where), query))
        origins.follow(op)
    found: list[Violation] = []
    for at in range(0, len(checks), CHUNK):  # CHUNK counts to a round trip, as dataloss counts
        chunk = checks[at:at + CHUNK]
        row = conn.exec_driver_sql("SELECT " + ", ".join(f"({query})" for _v, query in chunk)).one()
        found += [attrs.evolve(v, rows=int(n or 0)) for (v, _q), n in zip(chunk, row) if n]
    return found
