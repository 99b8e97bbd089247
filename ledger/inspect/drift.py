"""Drift: how the live schema differs from the fold of the ledger, told as the ops that lead there.

:func:`drift` compares both sides normalized for the database (what ``compare`` sees), after
naming the live side's unnamed constraints as the fold's (:func:`adopt_names`); verify --live,
recover, stamp and the Alembic hook read it. :func:`reflect_live` is the live schema without
the ledger's own tables and Alembic's version tables; :func:`check_touched_drift` is apply's
check, before it runs, of the tables its plan touches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ops import LedgerError, MigrateOperation, SchemaState
from ops.specs import (
    PARTITION_OPTIONS,
    CheckSpec,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableSpec,
    UniqueSpec,
    named,
)

from ledger import dialects
from ledger.project.config import Config
from ledger.schema.comparison import stored_options
from ledger.schema.diff import diff
from ledger.schema.reflect import compare, normalize, reflect, reflect_schemas, without_type_checks
from ledger.storage.db import dialect_of
from ledger.support.gcpause import collection_paused

from ledger.inspect.touched import DriftError, alembic_version_tables, check_touched_drift, touched_tables
from ops import classes as oc

__all__ = [
    "IGNORED_TABLES",
    "Drift",
    "DriftError",
    "adopt_names",
    "alembic_version_tables",
    "check_touched_drift",
    "compare_touched",
    "describe_drift",
    "drift",
    "reflect_live",
    "touched_tables",
    "without_foreign_key_indexes",
]

#: Tables of the live database that the ledger never describes: Alembic's version table.
IGNORED_TABLES = ("alembic_version",)


@oc.frozen
class Drift:
    """How the live schema differs from the fold: the ops that lead there, and compare's lines."""

    ops: tuple[MigrateOperation, ...]
    differences: tuple[str, ...]

    def lines(self) -> list[str]:
        """One line per op, or compare's lines when no op list could be made."""
        if self.ops:
            return [describe_drift(op) for op in self.ops]
        return list(self.differences)

    def to_json(self) -> dict[str, Any]:
        return {"ops": [describe_drift(op) for op in self.ops], "differences": list(self.differences)}


def describe_drift(op: MigrateOperation) -> str:
    """``op.describe()`` with normalized types shown as the DDL type they stand for."""
    return re.sub(r"""ddl\((['"])(.*?)\1\)""", r"\2", op.describe())


@collection_paused  # the states compared and what is made of them are acyclic (see reflect's)
def drift(fold: SchemaState, live: SchemaState, dialect: str) -> Drift | None:
    """None when ``live`` equals ``fold`` for everything compared; else how they differ.

    Both sides are normalized for the dialect (what compare sees) before they are diffed, so
    the ops speak about what the database keeps: a changed type shows as the DDL type.
    """
    lines = differences(fold, live, dialect)
    if not lines:
        return None
    live = adopt_names(live, fold, dialect)
    try:
        ops = diff(*_options_held_by_both(_comparable(fold, dialect),
                                          _comparable(without_type_checks(live, fold, dialect), dialect)))
    except LedgerError:
        ops = []  # a state that no op list can reach: compare's lines still say what differs
    return Drift(tuple(ops), tuple(lines))


@collection_paused
def differences(fold: SchemaState, live: SchemaState, dialect: str) -> list[str]:
    """compare's lines of how ``live`` differs from ``fold`` ([] when they agree), with ``live``'s
    unnamed constraints named as the fold's first (``adopt_names``)."""
    return compare(fold, adopt_names(live, fold, dialect), dialect)


def _options_held_by_both(a: SchemaState, b: SchemaState) -> tuple[SchemaState, SchemaState]:
    """``a`` and ``b`` without the table options that only one side holds for a table (a table
    made without them takes the database's defaults: not a difference, as compare has it)."""
    def without(state: SchemaState, other: SchemaState) -> SchemaState:
        bare = {k: oc.evolve(t, dialect_options=tuple((o, v) for o, v in t.dialect_options if o in PARTITION_OPTIONS))
                for k, t in state.tables.items()
                if t.dialect_options and not (k in other.tables and other.tables[k].dialect_options)}
        return SchemaState({**state.tables, **bare}) if bare else state

    return without(a, b), without(b, a)


def _comparable(state: SchemaState, dialect: str) -> SchemaState:
    """``state`` normalized, every constraint and index named (a fold needs names; the same
    unnamed item gets the same name on both sides, the fold's when the live side adopted it)."""
    normal = normalize(state, dialect, held_names=False)
    tables = {}
    for raw, (key, table) in zip(state.tables.values(), normal.tables.items()):
        tables[key] = oc.evolve(
            table,
            dialect_options=stored_options(raw, dialect),  # the diff changes them where both sides hold them
            primary_key=named(table.primary_key, table.name) if table.primary_key else None,
            foreign_keys=tuple(named(i, table.name) for i in table.foreign_keys),
            uniques=tuple(named(i, table.name) for i in table.uniques),
            checks=tuple(named(i, table.name) for i in table.checks),
            indexes=tuple(named(i, table.name) for i in table.indexes),
        )
    return SchemaState(tables)


def _bare(table: TableSpec, item: Any, dialect: str) -> TableSpec:
    """What ``dialect`` keeps of ``item`` on ``table``, without its name: how unnamed items are matched."""
    alone = TableSpec(
        name=table.name, columns=table.columns, schema=table.schema,
        primary_key=oc.evolve(item, name=None, autoincrement=False) if isinstance(item, PrimaryKeySpec) else None,
        foreign_keys=(oc.evolve(item, name=None),) if isinstance(item, ForeignKeySpec) else (),
        uniques=(oc.evolve(item, name=None),) if isinstance(item, UniqueSpec) else (),
        checks=(oc.evolve(item, name=None),) if isinstance(item, CheckSpec) else (),
        indexes=(oc.evolve(item, name=None),) if isinstance(item, IndexSpec) else (),
    )
    normal = normalize(SchemaState({alone.key: alone}), dialect)
    return oc.evolve(next(iter(normal.tables.values())), columns=())


def adopt_names(live: SchemaState, fold: SchemaState, dialect: str) -> SchemaState:
    """``live`` with each unnamed constraint named as the fold's constraint it is.

    SQLite keeps no name for a constraint created without one (hand-written SQL, or a
    database adopted with ``baseline``); the fold always has one. Such a constraint is the
    fold's constraint of the same kind and definition whose name is not otherwise in use.
    """
    tables = dict(live.tables)
    adopted = False
    for key, table in live.tables.items():
        want = fold.tables.get(key)
        if want is None or not _unnamed(table):
            continue
        adopted = True
        pk = table.primary_key
        if pk is not None and pk.name is None and want.primary_key is not None \
                and _bare(table, pk, dialect) == _bare(want, want.primary_key, dialect):
            pk = oc.evolve(pk, name=want.primary_key.name, unnamed=want.primary_key.unnamed)

        def adopt(items: Sequence[Any], wanted: Sequence[Any]) -> tuple[Any, ...]:
            taken = {i.name for i in items if i.name is not None}
            free = [w for w in wanted if w.name not in taken]
            out = []
            for item in items:
                if item.name is None:
                    shape = _bare(table, item, dialect)
                    match = next((w for w in free if _bare(want, w, dialect) == shape), None)  # noqa: B023
                    if match is not None:
                        free.remove(match)
                        item = oc.evolve(item, name=match.name, unnamed=match.unnamed)
                out.append(item)
            return tuple(out)

        tables[key] = oc.evolve(
            table, primary_key=pk, foreign_keys=adopt(table.foreign_keys, want.foreign_keys),
            uniques=adopt(table.uniques, want.uniques), checks=adopt(table.checks, want.checks),
        )
    if not adopted and (live.names_per, live.referents) == (_PLAIN.names_per, _PLAIN.referents):
        return live  # nothing unnamed (PostgreSQL names every constraint): the state as it is
    return SchemaState(tables)


_PLAIN = SchemaState()


def _unnamed(table: Any) -> bool:
    """Whether ``table`` has a primary key, foreign key, unique or CHECK constraint without a name."""
    return (table.primary_key is not None and table.primary_key.name is None) or any(
        item.name is None for item in (*table.foreign_keys, *table.uniques, *table.checks))


@collection_paused
def reflect_live(conn: sa.Connection, config: Config, held: SchemaState | None = None, *,
                 every_schema: bool = False, foreign_key_indexes: bool = False) -> SchemaState:
    """The live schema of ``config``'s database (its default schema, and the other schemas ``held``, the
    fold, has tables in; with ``every_schema`` each schema of the application the database holds, as
    ``baseline`` adopts them), without the ledger table and Alembic's version tables (nor the indexes
    MariaDB/MySQL make for foreign keys under names of their own, after a key's column where the key
    was made without a name, unless ``held`` has them, or with ``foreign_key_indexes``: ``baseline`` and
    ``import-alembic --from-url`` adopt them as the indexes of their tables the database holds)."""
    versions = {*IGNORED_TABLES, *alembic_version_tables(conn, held=held)}
    database = dialects.database(dialect_of(conn))
    # (PostgreSQL's ``user_schemas``: the databases that have schemas of their own)
    user_schemas = getattr(database, "user_schemas", None) if every_schema else None
    others = [s for s in user_schemas(conn) if s != config.ledger_schema] if user_schemas is not None else []
    live = reflect_schemas(conn, held, exclude=(config.ledger_table, f"{config.ledger_table}_snapshots",
                                                *sorted(versions)), others=others,
                           exclude_in=lambda schema: alembic_version_tables(conn, schema, held=held))
    return without_foreign_key_indexes(live, held) if database.indexes_foreign_keys and not foreign_key_indexes else live


def without_foreign_key_indexes(state: SchemaState, held: SchemaState | None = None) -> SchemaState:
    """MariaDB/MySQL without the index they make for a foreign key created without a name.

    Such an index is named after the key's first column (``parent_id``, ``parent_id_2``), not
    after the constraint as for a named key (which reflect already leaves out). It belongs to
    the foreign key: it comes and goes with it. An index of that name that ``held`` (the fold)
    has on the table was made on purpose (``sa.Index("parent_id", "parent_id")``) and is kept.
    """
    tables = dict(state.tables)
    for key, table in state.tables.items():
        held_table = held.tables.get(key) if held is not None else None
        own = {i.name for i in held_table.indexes} if held_table is not None else set()

        def backs_key(index: IndexSpec) -> bool:
            return index.name not in own and not index.unique and not index.dialect_options and any(
                index.columns == fk.columns and len(index.elements) == len(fk.columns)  # noqa: B023
                and re.fullmatch(rf"{re.escape(fk.columns[0])}(_\d+)?", index.name or "") is not None
                for fk in table.foreign_keys  # noqa: B023
            )

        kept = tuple(i for i in table.indexes if not backs_key(i))
        if kept != table.indexes:
            tables[key] = oc.evolve(table, indexes=kept)
    return SchemaState(tables)



# =============================================================================================
# Drift in the tables a plan touches (apply's check before it runs)
# =============================================================================================


def compare_touched(conn: sa.Connection, fold: SchemaState, tables: set[str], leave_out: tuple[str, ...]) -> list[str]:
    """How the live ``tables`` differ from ``fold``'s, one line each (none: alike); the tables named in
    ``leave_out`` are not reflected."""
    dialect = dialect_of(conn)
    live = reflect(conn, exclude=leave_out)
    expected = SchemaState({key: table for key, table in fold.tables.items()
                            if key[0] is None and key[1] in tables})
    if dialects.database(dialect).indexes_foreign_keys:
        live = without_foreign_key_indexes(live, expected)
    found = drift(expected, live, dialect)
    return [] if found is None else found.lines()
