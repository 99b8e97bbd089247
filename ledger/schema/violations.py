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
database has now. Nothing after SQL the plan runs (which may change any rows) is counted, nor a
column whose type the plan changes first: there the database says. SQL that cannot change rows
(it makes, alters or drops a type, a view or an index, without CASCADE) does not stop the count.

A type change is counted too: a narrowing (:mod:`ledger.schema.narrowing`: values the run would
refuse to cut or round when it comes to that step) and a string column made a number, boolean,
date, enum or UUID again (:mod:`ledger.dialects.convertible`: the values PostgreSQL's cast or MariaDB
refuses; SQLite converts anything), and on PostgreSQL a named enum type made again without
values some rows hold, in every column of that type the plan has at that step (a table it drops
before is not counted), per removed value (:func:`ledger.dialects.convertible.removed_labels`);
an enum of one column (MariaDB/MySQL's ``ENUM``, the CHECK of a non-native ``Enum`` with
``create_constraint``, also held as a CHECK of its own that lists the column's values) in that
column, per value outside its new labels
(:func:`ledger.dialects.convertible.labels_refused`). Those rows are never deleted, not even in a table
the plan drops later (what is in the way is the value, not the row): the rollback is refused.

Rows of a table that the plan drops later (with its rows, which the run's data-loss consent
covers), as it drops every table whose foreign keys refer to it, are not in the way:
:attr:`Violation.dropped` names that drop, and :attr:`Violation.delete` is the statement that
deletes exactly the breaking rows, run just before the constraint comes back.

The delete of rows an ``INSERT`` inserted by their key (:mod:`ledger.schema.seedrows`) is checked the
same way: the rows of the live database that refer to them by a foreign key (of another table, or of
their own) stop the rollback, named, unless their table is dropped later, where they are deleted just
before (a cascade or a key set NULL would change rows of a table that stays, silently).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs
import sqlalchemy as sa

from ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreateUniqueConstraintOp,
    DropTableOp,
    ExecuteSQLOp,
    LedgerError,
    MigrateOperation,
    SchemaState,
)
from ops.classes import frozen

from ledger import dialects
from ledger.dialects.convertible import held_labels, labels_refused, outside_labels, removed_labels, unconvertible
from ledger.schema.dataloss import CHUNK, TableKey, _full, _Origins, _quote
from ledger.schema.narrowing import _sa, _type_sql, narrowing
from ledger.schema.seedrows import SeedRows, key_condition, seed_rows
from ledger.support.lazyre import lazy

__all__ = ["ConstraintRefused", "Violation", "violations"]


class ConstraintRefused(LedgerError, RuntimeError):
    """Rows in the database do not hold to a constraint the run would add: nothing of it ran."""


@frozen
class Violation:
    """A constraint the run adds (where in the plan) and how many rows of the live database break it."""

    table: str
    constraint: str
    rows: int
    where: str
    #: the ledger seq of the step that adds it
    seq: int
    #: the statement that deletes exactly the rows that break it
    delete: str = ""
    #: where the plan drops that table later, with its rows (None: the table stays)
    dropped: str | None = None
    #: for a type change: the column and its new type ("column t.c to INTEGER"); its rows are never deleted
    retype: str = ""
    #: for an enum type made again without a value: that value (``retype`` names the column holding it)
    removed: str = ""
    #: for rows that refer to rows an ``INSERT`` inserted, which the step deletes: those rows
    refers: str = ""
    #: the deletes, run before ``delete``, of the rows of other tables that refer to the rows it deletes
    first: tuple[str, ...] = ()

    def describe(self) -> str:
        count = f"{self.rows} row{'s' if self.rows != 1 else ''}"
        if self.removed:
            enum = f"enum type {self.constraint}" if self.constraint else "the enum"
            return (f"{self.where} takes the value {self.removed!r} out of {enum}, which "
                    f"{count} of {self.table} {'hold' if self.rows != 1 else 'holds'} in {self.retype}")
        if self.refers:
            return (f"{self.where} deletes {self.refers}, which {count} of {self.table} "
                    f"refer{'s' if self.rows == 1 else ''} to by {self.constraint}")
        if self.retype:
            return (f"{self.where} changes {self.retype}, which {count} of {self.table} "
                    f"{'hold values' if self.rows != 1 else 'holds a value'} it cannot convert")
        return f"{self.where} adds {self.constraint}, which {count} of {self.table} break"

    def describe_kept(self) -> str:
        """Rows a step would delete that rows of a table that stays refer to, passed over (``--skip-irreversible``)."""
        return f"{self.describe()}: the inserted rows stay (--skip-irreversible passes over their delete)"

    def describe_deleted(self) -> str:
        return (f"{self.describe()}: {'they are' if self.rows != 1 else 'it is'} deleted just before, as the "
                f"rollback drops {self.table} with its rows later ({self.dropped})")


class _Retyped(_Origins):
    """The origins of the plan's tables and columns, and the live columns whose type it changes
    (a plain subclass: attrs would make the class again at import, about 2 M instructions)."""

    __slots__ = ("retyped",)

    def __init__(self, start: SchemaState) -> None:
        super().__init__(start)
        self.retyped: set[tuple[TableKey, str]] = set()

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
           origins: _Retyped) -> tuple[str, str, TableKey, str | None, str | None] | None:
    """(table, constraint as said, the live table, the condition its breaking rows meet in the live
    database (None: every row), the same condition in the names the plan's tables have at that step,
    where the rows are deleted) for an op that adds a constraint rows can break."""
    quote = conn.dialect.identifier_preparer.quote
    key = (getattr(op, "schema", None), getattr(op, "table_name", ""))
    if isinstance(op, AlterColumnOp) and op.modify_nullable is False:
        table = before.tables.get(key)
        column = table.column(op.column_name) if table is not None else None
        if column is None or not column.nullable:
            return None
        found = _columns(origins, key, [op.column_name])
        if found is None:
            return None
        return (f"{_full(key)}", f"NOT NULL on column {_full(key)}.{op.column_name}", found[0],
                f"{quote(found[1][0])} IS NULL", f"{quote(op.column_name)} IS NULL")
    if isinstance(op, AddColumnOp):
        # a NOT NULL column with no default (the reverse of its drop) comes back to rows that have
        # no value for it: refused, unless the database fills in its type's implicit default
        spec = op.column
        if spec.nullable or spec.server_default is not None or spec.identity is not None \
                or spec.computed is not None or dialects.database(dialects.dialect_name(conn)).fills_added_not_null:
            return None
        live = origins.table(key)
        if live is None:
            return None
        return (_full(key), f"column {_full(key)}.{spec.name} NOT NULL with no default", live, None, None)
    if isinstance(op, CreateForeignKeyOp) and dialects.database(dialects.dialect_name(conn)).checks_foreign_keys(conn):
        spec = op.constraint
        source = _columns(origins, key, spec.columns)
        referent_key = (spec.referent_schema, spec.referent_table)
        referent = _columns(origins, referent_key, spec.referent_columns)
        if source is None or (referent is None and referent_key not in origins.created):
            return None

        def orphans(table_key: TableKey, columns: list[str], referred: tuple[TableKey, list[str]] | None) -> str:
            table = _quote(conn, table_key)
            present = " AND ".join(f"{table}.{quote(c)} IS NOT NULL" for c in columns)
            # a referenced table the run makes again comes back empty: every key refers to nothing
            missing = "" if referred is None else " AND NOT EXISTS (SELECT 1 FROM {} r WHERE {})".format(
                _quote(conn, referred[0]),
                " AND ".join(f"r.{quote(r)} = {table}.{quote(c)}" for c, r in zip(columns, referred[1])))
            return present + missing

        return (_full(key), f"foreign key {spec.name} on {_full(key)}({', '.join(spec.columns)}) -> "
                f"{_full(referent_key)}", source[0], orphans(*source, referent),
                orphans(key, list(spec.columns), None if referent is None else (referent_key, list(spec.referent_columns))))
    if isinstance(op, CreateUniqueConstraintOp) or (isinstance(op, CreateIndexOp) and op.unique):
        if isinstance(op, CreateIndexOp):
            if any(element.expression for element in op.index.elements) or \
                    any(k.endswith("_where") for k, _ in op.index.dialect_options):
                return None  # an expression or a partial index: not counted here
            names, what = op.columns, f"unique index {op.index_name}"
        else:
            names, what = op.columns, f"unique constraint {op.constraint.name}"
        found = _columns(origins, key, names)
        if found is None:
            return None

        def shared(table_key: TableKey, columns: list[str]) -> str:
            cols = ", ".join(quote(c) for c in columns)
            present = " AND ".join(f"{quote(c)} IS NOT NULL" for c in columns)
            # the rows sharing a key (the derived table lets MySQL delete from the table it reads)
            return (f"({cols}) IN (SELECT {cols} FROM (SELECT {cols} FROM {_quote(conn, table_key)} "
                    f"WHERE {present} GROUP BY {cols} HAVING COUNT(*) > 1) d)")

        return (_full(key), f"{what} on {_full(key)}({', '.join(names)})", found[0], shared(*found),
                shared(key, list(names)))
    return None


def _retype(conn: sa.Connection, op: MigrateOperation, before: SchemaState, origins: _Retyped,
            where: str, seq: int) -> Violation | None:
    """A type change of a live column whose values of some rows do not survive it: a narrowing
    (:mod:`ledger.schema.narrowing`, which the run refuses when it comes to it) or a string the new
    type cannot convert (:mod:`ledger.dialects.convertible`); None when no row is in the way."""
    if not isinstance(op, AlterColumnOp) or op.modify_type is None:
        return None
    key = (op.schema, op.table_name)
    table = before.tables.get(key)
    column = table.column(op.column_name) if table is not None else None
    found = _columns(origins, key, [op.column_name])
    if column is None or found is None or column.type == op.modify_type:
        return None
    quote = conn.dialect.identifier_preparer.quote
    live, name = _quote(conn, found[0]), quote(found[1][0])
    narrowed = narrowing(op, before)
    if narrowed is not None:
        condition = narrowed.condition(dialects.dialect_name(conn)).replace("{col}", name)
        rows = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {live} WHERE {name} IS NOT NULL AND {condition}").scalar()
    else:
        old, new = _sa(column.type), _sa(op.modify_type)
        rows = None if old is None or new is None else unconvertible(conn, live, name, old, new)
    if not rows:
        return None
    return Violation(_full(key), "", int(rows), where, seq,
                     retype=f"column {_full(key)}.{op.column_name} to {_type_sql(op.modify_type, conn.dialect)}")


def _referring(conn: sa.Connection, seed: SeedRows, before: SchemaState, origins: _Retyped, where: str,
               seq: int) -> list[tuple[Violation, TableKey, set[TableKey], str]]:
    """For each foreign key that refers to the table of ``seed`` (the rows a step deletes, that an
    ``INSERT`` inserted): the rows of the live database that refer to those rows by it, as a check
    of :func:`violations` (the violation, its live table, the tables referring to that one, its count)."""
    quote = conn.dialect.identifier_preparer.quote
    parent, found = seed.table, []
    rows = [[row[p] or "" for p in seed.key] for row in seed.found.rows]
    key = _columns(origins, parent.key, [seed.column(p) or "" for p in seed.key])
    if key is None:
        return []
    chosen = key_condition([quote(c) for c in key[1]], rows)
    stepwise = key_condition([quote(seed.column(p) or "") for p in seed.key], rows)
    own = [(parent, fk) for fk in parent.foreign_keys
           if fk.referent_table == parent.name and (fk.referent_schema or parent.schema) == parent.schema]
    for child, fk in [*before.referencing(parent.name, parent.schema), *own]:
        source = _columns(origins, child.key, fk.columns)
        referent = _columns(origins, parent.key, fk.referent_columns)
        if source is None or referent is None:
            continue
        cols, refs = ", ".join(quote(c) for c in source[1]), ", ".join(quote(c) for c in referent[1])
        condition = (f"({cols}) IN (SELECT {refs} FROM (SELECT {refs} FROM {_quote(conn, referent[0])} "
                     f"WHERE {chosen}) d)" + (f" AND NOT ({chosen})" if child is parent else ""))
        sql = f" FROM {_quote(conn, source[0])} WHERE {condition}"
        # the rows of the tables that refer to those (as the tables are at that step) go before them
        at_step = (f"({', '.join(quote(c) for c in fk.columns)}) IN (SELECT {', '.join(quote(c) for c in fk.referent_columns)} "
                   f"FROM (SELECT {', '.join(quote(c) for c in fk.referent_columns)} FROM {_quote(conn, parent.key)} "
                   f"WHERE {stepwise}) d)")
        first, referring = ([], set()) if child is parent else _first(conn, before, child.key, at_step, origins,
                                                                      frozenset({parent.key, child.key}))
        # rows referring by a key that cascades or is set NULL go with the delete of the inserted rows, by the
        # database: a delete of them before it is refused where those rows refer back to them (prefect's pool
        # names its queue as default): only the rows referring to them go first (a SET NULL: none)
        action = (fk.ondelete or "").upper()
        delete = "" if action in ("CASCADE", "SET NULL") else "DELETE" + sql
        first = [] if action == "SET NULL" else first
        found.append((Violation(child.fullname, f"foreign key {fk.name}", 0, where, seq, delete,
                                refers=seed.describe(), first=tuple(first)), source[0], referring,
                      "SELECT COUNT(*)" + sql))
    return found


def _first(conn: sa.Connection, before: SchemaState, key: TableKey, condition: str | None, origins: _Retyped,
           seen: frozenset[TableKey]) -> tuple[list[str], set[TableKey]]:
    """The deletes (the deepest first) of the rows of other tables that refer by a foreign key to the rows
    of table ``key`` meeting ``condition`` (every row: None), in the names the plan's tables have at that
    step, and the live tables whose rows they delete: a delete of rows other rows refer to is refused
    by the database (or cascades)."""
    quote = conn.dialect.identifier_preparer.quote
    deletes: list[str] = []
    tables: set[TableKey] = set()
    rows = f"{_quote(conn, key)}" + (f" WHERE {condition}" if condition else "")
    for child, fk in before.referencing(key[1], key[0]):
        if child.key in seen:
            continue
        cols, refs = ", ".join(quote(c) for c in fk.columns), ", ".join(quote(c) for c in fk.referent_columns)
        referring = f"({cols}) IN (SELECT {refs} FROM (SELECT {refs} FROM {rows}) d)"
        deeper, found = _first(conn, before, child.key, referring, origins, seen | {child.key})
        deletes += [*deeper, f"DELETE FROM {_quote(conn, child.key)} WHERE {referring}"]
        tables |= found | {t for t in (origins.table(child.key),) if t is not None}
    return deletes, tables


def _seeded(conn: sa.Connection, seed: SeedRows, origins: _Retyped) -> tuple[bool, tuple[TableKey, str] | None]:
    """Whether the live rows the delete of ``seed`` takes are known, and if any can be: their live
    table and the condition they meet there. None can be when its table is made by the plan, or a
    key column is one the plan adds back with no default, which every live row then holds NULL in
    (fittrackee's ``sports.img``); not known when a key column comes back with a default or the plan
    changes its type before."""
    live = origins.table(seed.table.key)
    if live is None:
        return True, None
    names, nulls = [], False
    for at in seed.key:
        name = seed.column(at) or ""
        column = origins.column(seed.table.key, name)
        spec = seed.table.column(name)
        if column is not None and column not in origins.retyped:
            names.append(column[1])
        elif column is None and spec is not None and spec.server_default is None and spec.identity is None \
                and spec.computed is None:
            nulls = True
        else:
            return False, None
    if nulls:
        return True, None
    quote = conn.dialect.identifier_preparer.quote
    return True, (live, key_condition([quote(c) for c in names], [[row[p] or "" for p in seed.key] for row in seed.found.rows]))


#: a CHECK that lists a column's values, as an ``Enum``'s (canonical SQL): the column, the values
_LISTED = lazy(r"(\w+) in \(((?:_\w+ )?'(?:[^']|'')*'(?:, (?:_\w+ )?'(?:[^']|'')*')*)\)")
_VALUE = lazy(r"'((?:[^']|'')*)'")


def _listed(conn: sa.Connection, op: CreateCheckConstraintOp, before: SchemaState, origins: _Retyped,
            where: str, seq: int) -> list[Violation]:
    """A CHECK that lists its column's values (an ``Enum``'s with ``create_constraint``, held as a
    CHECK of its own where a naming convention named it) added where rows hold another value: one
    violation per value, as for the type's own (:func:`labels_refused`)."""
    from ledger.schema.sqltext import canonical_sql  # only for a CHECK: its module and its imports

    found = _LISTED.fullmatch(canonical_sql(op.constraint.sqltext, dialect=dialects.dialect_name(conn)))
    table = before.tables.get((op.schema, op.table_name))
    if found is None or table is None:
        return []
    column = next((c.name for c in table.columns if c.name.lower() == found.group(1)), None)
    live = _columns(origins, (op.schema, op.table_name), [column]) if column is not None else None
    if live is None:
        return []
    quote = conn.dialect.identifier_preparer.quote
    values = [value.replace("''", "'") for value in _VALUE.findall(found.group(2))]
    held = outside_labels(conn, _quote(conn, live[0]), quote(live[1][0]), values)
    return [Violation(_full((op.schema, op.table_name)), op.constraint.name or "", rows, where, seq,
                      retype=f"column {_full((op.schema, op.table_name))}.{column}", removed=value)
            for value, rows in held.items()]


def _removed(conn: sa.Connection, op: MigrateOperation, before: SchemaState, origins: _Retyped,
             where: str, seq: int) -> list[Violation]:
    """An enum type made again without values some rows hold (:func:`removed_labels`): in every
    column of that type that exists at that point of the plan (a table dropped before is not
    counted), one violation per column and value held. Those columns count as retyped after."""
    if isinstance(op, CreateCheckConstraintOp):
        return _listed(conn, op, before, origins, where, seq)
    if not isinstance(op, AlterColumnOp) or op.modify_type is None:
        return []
    table = before.tables.get((op.schema, op.table_name))
    column = table.column(op.column_name) if table is not None else None
    old, new = (None, None) if column is None else (_sa(column.type), _sa(op.modify_type))
    if old is None or new is None:
        return []
    quote = conn.dialect.identifier_preparer.quote
    if labels_refused(conn, old, new):
        # an enum of this column alone (MariaDB/MySQL's ENUM, a CHECK): every value outside its labels
        live = _columns(origins, (op.schema, op.table_name), [op.column_name])
        if live is None:
            return []
        held = outside_labels(conn, _quote(conn, live[0]), quote(live[1][0]), list(new.enums))
        return [Violation(_full((op.schema, op.table_name)), new.name or "", rows, where, seq,
                          retype=f"column {_full((op.schema, op.table_name))}.{op.column_name}", removed=value)
                for value, rows in held.items()]
    labels = removed_labels(conn, old, new)
    if not labels:
        return []
    assert isinstance(new, sa.Enum)
    found = []
    for key, other in before.tables.items():
        for spec in other.columns:
            typed = _sa(spec.type)
            if not isinstance(typed, sa.Enum) or typed.name != new.name or typed.schema != new.schema:
                continue
            live = _columns(origins, key, [spec.name])
            if live is None:
                continue
            held = held_labels(conn, _quote(conn, live[0]), quote(live[1][0]), labels)
            found += [Violation(_full(key), new.name or "", rows, where, seq,
                                retype=f"column {_full(key)}.{spec.name}", removed=label)
                      for label, rows in held.items()]
            # every column of the type is converted here: a later step's values are what this one made
            origins.retyped.add((live[0], live[1][0]))
    return found


#: SQL that cannot change rows: it makes, alters or drops a type, a view or an index, makes or drops a
#: trigger, a function, a procedure or extended statistics
_KEEPS_ROWS = lazy(
    r"\s*(?:(?:CREATE|ALTER|DROP)\s+TYPE|(?:CREATE\s+(?:OR\s+REPLACE\s+)?|DROP\s+)"
    r"(?:VIEW|TRIGGER|FUNCTION|PROCEDURE|STATISTICS)|(?:CREATE\s+(?:UNIQUE\s+)?|DROP\s+)INDEX)\b", re.IGNORECASE)


#: what a statement holds that is not its own SQL: strings, a function's ``$$`` body, a trigger's ``BEGIN ... END``
_BODIES = lazy(r"\$(\w*)\$.*?\$\1\$|'(?:[^']|'')*'|\bBEGIN\b.*\bEND\b", re.IGNORECASE | re.DOTALL)


def _keeps_rows(sql: str) -> bool:
    """Whether ``sql`` (one statement, or none) leaves every row as it is (a ``;`` or ``CASCADE`` in a
    function's or trigger's body is not the statement's)."""
    text = _BODIES.sub(" ", sql).strip().rstrip(";")
    return not text or (";" not in text and _KEEPS_ROWS.match(text) is not None
                        and re.search(r"\bCASCADE\b", text, re.IGNORECASE) is None)


def violations(conn: sa.Connection, start: SchemaState,
               steps: Iterable[tuple[MigrateOperation, SchemaState, str, int]]) -> list[Violation]:
    """The constraints ``steps`` add (each a completed op, the state before it, where it is in the
    plan, and the seq of the event it undoes) that rows of the live database, whose schema is ``start``, break, and
    the type changes whose values some rows cannot keep; only those with rows, in plan order, each
    constraint with the drop of its table later in the plan, if any."""
    origins = _Retyped(start)
    # each check: the violation, its live table, the live tables whose foreign keys refer to it, the count
    checks: list[tuple[int, Violation, TableKey, set[TableKey], str]] = []
    drops: dict[TableKey, str] = {}  # live table -> where the plan drops it, after a check
    retyped: list[tuple[int, Violation]] = []  # the type changes' (counted as they are met), by step
    ran_sql = False
    # live table -> the rows the delete of rows an INSERT inserted takes from it earlier in the plan
    gone: dict[TableKey, list[str]] = {}
    for step, (op, before, where, seq) in enumerate(steps):
        seed = None if ran_sql else seed_rows(op, before)
        known, deleted = (False, None) if seed is None else _seeded(conn, seed, origins)
        if seed is not None:
            checks += [(step, *found) for found in _referring(conn, seed, before, origins, where, seq)]
        if deleted is not None:
            gone.setdefault(deleted[0], []).append(deleted[1])
        # SQL the plan runs first (a data revision's reverse) may delete or update the rows a
        # constraint after it would be counted against: what they hold then is not known, so
        # nothing after it is counted (the database says). The delete of rows an INSERT inserted by
        # their key takes known rows of one table: what comes after is counted without them.
        ran_sql = ran_sql or (isinstance(op, ExecuteSQLOp) and not known and not _keeps_rows(op.sqltext))
        check = None if ran_sql else _check(conn, op, before, origins)
        # a type change's values are counted in the live table as it is, the rows deleted before it
        # too (a count too high refuses before anything runs; one too low stops the run half way)
        if not ran_sql and (retype := _retype(conn, op, before, origins, where, seq)) is not None:
            retyped.append((step, retype))
        if not ran_sql:
            retyped += [(step, v) for v in _removed(conn, op, before, origins, where, seq)]
        if check is not None:
            table, constraint, live, condition, at_step = check
            kept = [f"NOT ({rows})" for rows in gone.get(live, ())]
            condition = " AND ".join([*([condition] if condition else []), *kept]) or None
            rows = f" FROM {_quote(conn, live)}" + (f" WHERE {condition}" if condition else "")
            # the rows are deleted just before the step, when the plan has given its tables the names they
            # have there (a rename the plan undoes earlier), not the names the database has now
            delete = f"DELETE FROM {_quote(conn, (op.schema, op.table_name))}" + (f" WHERE {at_step}" if at_step else "")
            first, referring = _first(conn, before, (op.schema, op.table_name), at_step, origins,
                                      frozenset({(op.schema, op.table_name)}))
            checks.append((step, Violation(table, constraint, 0, where, seq, delete, first=tuple(first)), live,
                           referring, "SELECT COUNT(*)" + rows))
        if checks and isinstance(op, DropTableOp) and (live := origins.table((op.schema, op.table_name))) is not None:
            drops.setdefault(live, where)
        origins.follow(op)
    found = list(retyped)
    for at in range(0, len(checks), CHUNK):  # CHUNK counts to a round trip, as dataloss counts
        chunk = checks[at:at + CHUNK]
        row = conn.exec_driver_sql("SELECT " + ", ".join(f"({query})" for *_c, query in chunk)).one()
        # rows are deleted only where nothing that stays loses with them (a cascade, a key set NULL):
        # their table and every table whose foreign keys refer to it (and to those, on) are dropped later
        found += [(step, attrs.evolve(v, rows=int(n), dropped=drops.get(live) if referring <= drops.keys() else None))
                  for (step, v, live, referring, _q), n in zip(chunk, row) if n]
    return [v for _step, v in sorted(found, key=lambda pair: pair[0])]
