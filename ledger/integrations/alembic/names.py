"""Names the database chose: constraints created without a name, and names SQLAlchemy shortened."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Mapping
from typing import Any

import sqlalchemy as sa

import ops as lops
from ops import MigrateOperation
from ops.names import kind_of, name_rule
from ops.specs import (
    DEFAULT_NAMING_CONVENTION,
    CheckSpec,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    UniqueSpec,
    conventional_name,
)

from ledger.dialects import Database
from ledger.integrations.alembic.base import PLACEHOLDER
from ops import classes as oc


class ResolvesNames:
    """Reads back the names the database gave to constraints created without one."""

    #: the op being recorded's read of its table (``_table_read``): ((schema, table), what was read)
    _op_read: tuple[tuple[str | None, str], Any] | None = None

    def _table_read(self, table: str, schema: str | None) -> Any:
        """What the database holds of ``table`` now (``Database.table_read``: its keys, its CHECKs' text,
        its columns' defaults), read once for the op being recorded (forgotten as ``_resolve_names``, the
        first step of recording each op after it ran, begins); None where the database has no such read."""
        if self._op_read is None or self._op_read[0] != (schema, table):
            with self._quiet():
                self._op_read = ((schema, table), self._database.table_read(self.conn, table, schema))
        return self._op_read[1]

    def _resolve_names(self, op: MigrateOperation) -> MigrateOperation | None:
        """``op`` with the names the database gave; None when it holds nothing the op made (a CHECK
        it does not show: MariaDB keeps one declared on a column as part of the column)."""
        self._op_read = None  # what an earlier op read of its table is not what this one left
        placeholders = _placeholder_specs(op)
        if not placeholders:
            return op
        assert self.state is not None
        table_name, schema = op.table_name, getattr(op, "schema", None)  # type: ignore[attr-defined]
        read = self._table_read(table_name, schema)
        with self._quiet():
            live = _live_constraints(self.conn, self._database, table_name, schema, {type(spec) for spec in placeholders},
                                     read=read.constraints if read is not None else None)
        clashes = name_rule(self.state.names_per)[1]
        # What each placeholder's name must differ from, as the database keeps names apart
        # (MariaDB: per table, so two tables may each hold a unique key ``name``).
        held = [(kind_of(c), c.name) for c in op.table.constraints + op.table.indexes
                if c.name and not c.name.startswith(PLACEHOLDER)] if isinstance(op, lops.CreateTableOp) else []
        mapping: dict[int, str] = {}
        unmatched: set[str] = set()
        unseen: list[Any] = []
        for spec in placeholders:
            kind = kind_of(spec)
            taken = self.state.taken_names(table_name, kind, schema) | {n for k, n in held if k in clashes[kind]}
            name = None
            for candidate_spec, candidate in live:
                if candidate and candidate not in taken and _same_constraint(spec, candidate_spec):
                    name = candidate
                    break
            if name is None and isinstance(spec, CheckSpec) and not any(
                    isinstance(c, CheckSpec) and (n is None or n not in taken) for c, n in live):
                unseen.append(spec)
                continue
            if name is None:
                # the database shows no name for it (SQLite): the fold's name for it, marked unnamed
                name = conventional_name(_KIND[type(spec)], table_name, spec, DEFAULT_NAMING_CONVENTION)
                base, n = name, 2
                while name in taken:
                    name, n = f"{base}_{n}", n + 1
                unmatched.add(name)
            held.append((kind, name))
            mapping[id(spec)] = name
        if unseen:
            if not isinstance(op, lops.CreateTableOp):
                return None
            op = oc.evolve(op, table=oc.evolve(op.table, checks=tuple(
                c for c in op.table.checks if all(c is not u for u in unseen))))
        op = _rename_specs(op, mapping, unmatched)
        if isinstance(op, lops.CreateTableOp):
            kept = {}
            for spec, _name in live:
                if isinstance(spec, UniqueSpec):
                    kept[tuple(spec.columns)] = kept.get(tuple(spec.columns), 0) + 1
            op = _without_repeated_uniques(op, unmatched, kept)
        return op


def _compiled_name(name: str | None, dialect: sa.Dialect, kind: str = "constraint") -> str | None:
    """``name`` as SQLAlchemy wrote it in the DDL: a name over the dialect's identifier length is
    one a naming convention or ``op.f()`` made (SQLAlchemy refuses any other), which SQLAlchemy
    shortened to ``<first max-8 characters>_<4 hex digits of its md5>``."""
    limit = getattr(dialect, f"max_{kind}_name_length", None) or dialect.max_identifier_length
    if name is None or not limit or len(name) <= limit or name.startswith(PLACEHOLDER):
        return name
    return name[0:limit - 8] + "_" + sa.util.md5_hex(name)[-4:]


def as_compiled_names(op: MigrateOperation, dialect: sa.Dialect) -> MigrateOperation:
    """``op`` with each constraint and index name as SQLAlchemy wrote it for ``dialect``."""
    def fix(spec: Any) -> Any:
        if spec is None:
            return None
        name = _compiled_name(spec.name, dialect, "index" if isinstance(spec, IndexSpec) else "constraint")
        return spec if name == spec.name else oc.evolve(spec, name=name)

    if isinstance(op, lops.CreateTableOp):
        table = op.table
        fixed = oc.evolve(table, primary_key=fix(table.primary_key),
                             foreign_keys=tuple(fix(s) for s in table.foreign_keys),
                             uniques=tuple(fix(s) for s in table.uniques), checks=tuple(fix(s) for s in table.checks),
                             indexes=tuple(fix(s) for s in table.indexes))
        return op if fixed == table else oc.evolve(op, table=fixed)
    if isinstance(op, lops.CreateIndexOp):
        index = fix(op.index)
        return op if index is op.index else oc.evolve(op, index=index)
    if isinstance(op, lops.AddConstraintOp):
        constraint = fix(op.constraint)
        return op if constraint is op.constraint else oc.evolve(op, constraint=constraint)
    if isinstance(op, lops.DropIndexOp):
        name = _compiled_name(op.index_name, dialect, "index")
        return op if name == op.index_name else oc.evolve(op, index_name=name)
    if isinstance(op, lops.DropConstraintOp):
        name = _compiled_name(op.constraint_name, dialect)
        return op if name == op.constraint_name else oc.evolve(op, constraint_name=name)
    return op


def _without_repeated_uniques(op: lops.CreateTableOp, unmatched: set[str],
                              live: Mapping[tuple[str, ...], int]) -> lops.CreateTableOp:
    """Several unnamed UNIQUE constraints on the same columns are as many as the database keeps
    (PostgreSQL one, SQLite and MariaDB each of them); so in the fold. One the database did not
    make at all is left out: PostgreSQL makes no UNIQUE that repeats the primary key's columns in
    its CREATE TABLE (``Column(unique=True)`` on the primary key column)."""
    primary = tuple(op.table.primary_key.columns) if op.table.primary_key is not None else None
    # those the database holds by name first, whatever their order: an unnamed one is one more only
    # where the database keeps more (Column(unique=True) beside UniqueConstraint: PostgreSQL keeps one)
    counted = [tuple(u.columns) for u in op.table.uniques if u.name not in unmatched]
    kept: list[UniqueSpec] = []
    for unique in op.table.uniques:
        if unique.name in unmatched:
            columns = tuple(unique.columns)
            if counted.count(columns) >= live.get(columns, 0 if columns == primary else 1):
                continue
            counted.append(columns)
        kept.append(unique)
    return oc.evolve(op, table=oc.evolve(op.table, uniques=tuple(kept)))


_KIND = {PrimaryKeySpec: "pk", UniqueSpec: "uq", ForeignKeySpec: "fk", CheckSpec: "ck"}


def _placeholder_specs(op: MigrateOperation) -> list[Any]:
    if isinstance(op, lops.CreateTableOp):
        specs: list[Any] = list(op.table.constraints)
    elif isinstance(op, lops.AddConstraintOp):
        specs = [op.constraint]
    else:
        return []
    return [s for s in specs if s.name and s.name.startswith(PLACEHOLDER)]


def _rename_specs(op: MigrateOperation, mapping: dict[int, str], unmatched: Collection[str] = ()) -> MigrateOperation:
    """``op`` with each placeholder named as ``mapping`` says; those in ``unmatched`` (the database
    shows no name for them) marked ``unnamed``."""
    def fix(spec: Any) -> Any:
        if id(spec) not in mapping:
            return spec
        name = mapping[id(spec)]
        return oc.evolve(spec, name=name, unnamed=True) if name in unmatched else oc.evolve(spec, name=name)

    if isinstance(op, lops.CreateTableOp):
        table = op.table
        return oc.evolve(op, table=oc.evolve(
            table,
            primary_key=fix(table.primary_key) if table.primary_key else None,
            foreign_keys=tuple(fix(s) for s in table.foreign_keys),
            uniques=tuple(fix(s) for s in table.uniques),
            checks=tuple(fix(s) for s in table.checks),
        ))
    return oc.evolve(op, constraint=fix(op.constraint))  # type: ignore[misc]


def _live_constraints(conn: sa.Connection, database: Database, table: str, schema: str | None,
                      kinds: Collection[type] | None = None, *,
                      read: list[tuple[Any, ...]] | None = None) -> list[tuple[Any, str | None]]:
    """The live table's constraints as (spec-like value, name) pairs, for matching by content;
    ``kinds``: only these spec classes (a match needs the same kind), so only their catalog reads.
    Listed as the inspector lists them: the primary key, the foreign keys, the unique constraints,
    the CHECKs, each kind by name; read in one query where the database has one (a CHECK's text
    is then left empty: matching does not read it). ``read``: that query's rows, read already."""
    wanted = (PrimaryKeySpec, ForeignKeySpec, UniqueSpec, CheckSpec) if kinds is None else tuple(kinds)
    if read is None:
        read = database.constraints(conn, table, schema)
    if read is not None:
        made = {"p": lambda c, r, rc: PrimaryKeySpec(None, c), "f": lambda c, r, rc: ForeignKeySpec(None, c, r, rc),
                "u": lambda c, r, rc: UniqueSpec(None, c), "c": lambda c, r, rc: CheckSpec(None, "")}
        specs = [(made[kind](columns, referent, referent_columns), name)
                 for kind, name, columns, referent, referent_columns in sorted(read, key=lambda row: "pfuc".index(row[0]))]
        return [(spec, name) for spec, name in specs if isinstance(spec, wanted)]
    inspector = sa.inspect(conn)
    found: list[tuple[Any, str | None]] = []
    if PrimaryKeySpec in wanted:
        pk = inspector.get_pk_constraint(table, schema=schema)
        if pk and pk.get("constrained_columns"):
            found.append((PrimaryKeySpec(None, tuple(pk["constrained_columns"])), pk.get("name")))
    if ForeignKeySpec in wanted:
        for fk in inspector.get_foreign_keys(table, schema=schema):
            spec = ForeignKeySpec(None, tuple(fk["constrained_columns"]), fk["referred_table"],
                                  tuple(fk["referred_columns"]))
            found.append((spec, fk.get("name")))
    if UniqueSpec in wanted:
        for name, columns in database.unique_constraints(conn, inspector, table, schema):
            found.append((UniqueSpec(None, columns), name))
    if CheckSpec in wanted:
        with contextlib.suppress(NotImplementedError):
            for ck in inspector.get_check_constraints(table, schema=schema):
                found.append((CheckSpec(None, ck.get("sqltext", "")), ck.get("name")))
    return found


def _same_constraint(spec: Any, live: Any) -> bool:
    if type(spec) is not type(live):
        return False
    if isinstance(spec, ForeignKeySpec):
        return (spec.columns, spec.referent_table, spec.referent_columns) == (
            live.columns, live.referent_table, live.referent_columns)
    if isinstance(spec, CheckSpec):
        return True  # check texts are rewritten by the database; the first unclaimed one is it
    return tuple(spec.columns) == tuple(live.columns)
