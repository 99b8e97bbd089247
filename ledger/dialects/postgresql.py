"""PostgreSQL: ALTER COLUMN clauses, COMMENT ON, and the life of named ENUM types."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import DOMAIN
from sqlalchemy.dialects.postgresql.named_types import CreateDomainType, CreateEnumType

from ops import (
    AlterColumnOp, AlterTableOptionsOp, CreateTableOp, DropConstraintOp, ExecuteSQLOp, MigrateOperation, SchemaState,
)
from ops.specs import ColumnSpec, PrimaryKeySpec, TableSpec, TypeSpec, UniqueSpec, sql_references

from . import ddltext
from .assembled import AssembledGenerator
from .base import handles
from .typechecks import makes_constraint, type_checks
from ops import classes as oc

__all__ = ["PostgreSQLGenerator", "enum_types", "enums_in"]

_ENUMS = ("Enum", "postgresql.ENUM")

EnumKey = tuple[str | None, str]


def _enums_in(value: Any) -> Iterator[TypeSpec]:
    if isinstance(value, TypeSpec):
        kw = value.kw
        if value.name in _ENUMS and kw.get("name") and kw.get("native_enum", True):
            yield value
        for item in value.args + tuple(v for _, v in value.kwargs):
            yield from _enums_in(item)
    elif isinstance(value, tuple):
        for item in value:
            yield from _enums_in(item)


def enums_in(type_: TypeSpec) -> list[TypeSpec]:
    """The named native ENUM types a column type uses: itself, an ARRAY's item, nested ones."""
    return list(_enums_in(type_))


def _enum_key(spec: TypeSpec) -> EnumKey:
    kw = spec.kw
    return (kw.get("schema"), str(kw["name"]))


def enum_types(state: SchemaState) -> dict[EnumKey, TypeSpec]:
    """Every named native ENUM type that a column of ``state`` uses, by (schema, name)."""
    found: dict[EnumKey, TypeSpec] = {}
    for key in sorted(state.tables, key=lambda k: (k[0] or "", k[1])):
        for column in state.tables[key].columns:
            for spec in _enums_in(column.type):
                found.setdefault(_enum_key(spec), spec)
    return found


def _tables_by_id(state: SchemaState) -> dict[int, TableSpec]:
    """The tables of ``state`` by identity (made in C: no Python step per table)."""
    tables = dict(state.tables.pairs()).values()
    return dict(zip(map(id, tables), tables))


def _uses_enum(table: TableSpec, uses: dict[int, tuple[Any, bool]]) -> bool:
    """Whether a column of ``table`` uses a named ENUM type; ``uses``: the answers so far, by identity."""
    known = uses.get(id(table))
    if known is None or known[0] is not table:
        if len(uses) > 4096:
            uses.clear()
        known = uses[id(table)] = (table, any(True for c in table.columns for _ in _enums_in(c.type)))
    return known[1]


def _is_enum(column: ColumnSpec) -> bool:
    return any(True for _ in _enums_in(column.type))


def _named_types(type_: Any) -> list[Any]:
    """The types ``type_`` needs created first: named enums and domains, nested ones too."""
    found: list[Any] = []
    if isinstance(type_, sa.Enum) and type_.native_enum and type_.name:
        found.append(type_)
    if isinstance(type_, DOMAIN):
        found.extend(_named_types(type_.data_type))
        found.append(type_)
    item = getattr(type_, "item_type", None)
    if item is not None:
        found.extend(_named_types(item))
    return found


class PostgreSQLGenerator(AssembledGenerator):
    """PostgreSQL DDL. A named ENUM type is created before its first user appears when the database
    does not hold it, and kept after its last user goes, as PostgreSQL keeps it: only a DROP TYPE
    (SQL text, ``Enum.drop``) drops it, and the hook records a type a column made as its CREATE
    TYPE, whose reverse drops it.

    PostgreSQL has no column positions: ``add_column(..., insert_before=...)`` (the reverse of a
    drop) adds the column at the end. Moving the columns behind it would mean dropping and
    re-adding each with its keys, indexes, foreign keys in and SERIAL sequences, which is not
    worth the risk to data; the column order is the one thing that can differ from the fold.
    """

    name = "postgresql"

    def statements(self, op: MigrateOperation, before: SchemaState, after: SchemaState | None = None) -> list[str]:
        main = super().statements(op, before, after)
        if isinstance(op, ExecuteSQLOp):
            return main  # SQL text makes its types itself (a type's rename renames its columns' in the fold)
        after = self.applied(op, before)
        # A type comes or goes only with a column of a table the op changed: when no changed table
        # uses a named ENUM, before or after, there is nothing to create or drop (scanning every
        # column of the schema for each op made apply quadratic in tables).
        if not self._changed_enums(before, after):
            return main
        old, new = enum_types(before), enum_types(after)
        creates = [self.compile(CreateEnumType(spec.to_sa())) for key, spec in new.items()
                   if key not in old and not self._type_exists(key)]
        return creates + main

    def __init__(self, dialect: sa.engine.Dialect, conn: sa.Connection | None = None) -> None:
        super().__init__(dialect, conn)
        self._enum_users: dict[int, tuple[Any, bool]] = {}
        #: the last state ``statements`` was given as ``after`` and its tables by identity: a run's
        #: next op starts from it
        self._last: tuple[SchemaState, dict[int, TableSpec]] | None = None

    def _changed_enums(self, before: SchemaState, after: SchemaState) -> bool:
        """Whether a table that differs between the two states uses a named ENUM type in either. A
        state made from another by an op holds the tables the op left alone as they were (the same
        objects), so the tables found in only one of the two, by identity, are those it changed."""
        last = self._last
        old = last[1] if last is not None and last[0] is before else _tables_by_id(before)
        new = _tables_by_id(after)
        self._last = (after, new)
        uses = self._enum_users
        return any(_uses_enum(old[key] if key in old else new[key], uses) for key in old.keys() ^ new.keys())

    def create_index_sql(self, index: sa.Index) -> str:
        if index.dialect_kwargs.get("postgresql_concurrently"):
            # How Alembic built it, not what it is: CONCURRENTLY cannot run inside the transaction
            # that creates the schema.
            index.dialect_options["postgresql"]["concurrently"] = False
        return super().create_index_sql(index)

    def named_types(self, tables: Sequence[sa.Table]) -> list[Any]:
        """CREATE TYPE and CREATE DOMAIN for the named enums and domains ``tables`` use, each once."""
        seen: set[tuple[str | None, str]] = set()
        found: list[Any] = []
        for table in tables:
            for column in table.columns:
                for named in _named_types(column.type):
                    key = (named.schema, named.name)
                    if key not in seen:
                        seen.add(key)
                        found.append(CreateEnumType(named) if isinstance(named, sa.Enum) else CreateDomainType(named))
        return found

    def _type_exists(self, key: EnumKey) -> bool:
        conn = self.reading()
        if conn is None:
            return False
        schema, name = key
        return bool(conn.dialect.has_type(conn, name, schema=schema))  # type: ignore[attr-defined]

    @handles(CreateTableOp)
    def create_table(self, op: CreateTableOp, before: SchemaState) -> list[str]:
        # CREATE TABLE silently merges a UNIQUE that repeats the primary key or an earlier UNIQUE
        # on the same columns; ALTER TABLE ADD CONSTRAINT keeps each, as the state does.
        spec = op.table
        if any(key == "postgresql_partition_of" for key, _ in spec.dialect_options):
            return self.partition_statements(self.applied(op, before), spec) or []
        seen = {spec.primary_key.columns} if spec.primary_key is not None else set()
        kept, later = [], []
        for unique in spec.uniques:
            (later if unique.columns in seen else kept).append(unique)
            seen.add(unique.columns)
        if not later:
            if not spec.dialect_options and spec.comment is None and all(c.comment is None for c in spec.columns):
                # Written from each column's and key's remembered definition (ledger.dialects.assembled).
                after = self.applied(op, before)
                table = after.table(spec.name, spec.schema)
                text = self.assembled(after, table, table.name)
                if text is not None:
                    return [text] + [self.index_sql(after, table, i)
                                     for i in sorted(table.indexes, key=lambda i: str(i.name or ""))]
            return super().create_table(op, before)
        statements = super().create_table(CreateTableOp(oc.evolve(spec, uniques=tuple(kept))), before)
        after = self.applied(op, before)
        return statements + [self.compile(sa.schema.AddConstraint(self.constraint(after, spec, u.name or "")))
                             for u in later]

    def partition_statements(self, state: SchemaState, spec: TableSpec) -> list[str] | None:
        """A partition (of ``state``), as PostgreSQL makes one: ``CREATE TABLE ... PARTITION OF parent
        bound`` (``PARTITION BY`` too when it is partitioned itself), which takes the parent's
        columns, keys, CHECKs and indexes (the indexes that come with the parent's the ledger does
        not hold on the partition); then what the partition holds that the parent does not give it.
        None: ``spec`` is no partition."""
        options = dict(spec.dialect_options)
        if "postgresql_partition_of" not in options:
            return None
        parent_name = str(options["postgresql_partition_of"])
        schema, _, name = parent_name.rpartition(".")
        parent = state.tables.get((schema or spec.schema, name))
        text = (f"CREATE TABLE {ddltext.table_sql(self.preparer, spec)} PARTITION OF "
                f"{ddltext.name_sql(self.preparer, name, schema or spec.schema)} "
                + str(options.get("postgresql_partition_bound") or "DEFAULT"))
        if options.get("postgresql_partition_by"):
            text += f" PARTITION BY {options['postgresql_partition_by']}"
        after = state
        given = set() if parent is None else {*((c.columns, type(c)) for c in parent.uniques + parent.foreign_keys),
                                              *(c.sqltext for c in parent.checks)}
        own = [c for c in spec.uniques + spec.foreign_keys if (c.columns, type(c)) not in given]
        own += [c for c in spec.checks if c.sqltext not in given]
        if spec.primary_key is not None and (parent is None or parent.primary_key is None):
            own.insert(0, spec.primary_key)
        statements = [text]
        # a partition made so takes its parent's column defaults; one attached keeps its own
        for column in spec.columns:
            held = parent.column(column.name) if parent is not None else None
            if held is not None and held.server_default != column.server_default:
                statements.append(f"ALTER TABLE {ddltext.table_sql(self.preparer, spec)} ALTER COLUMN "
                                  f"{self.quote(column.name)} " + ("DROP DEFAULT" if column.server_default is None else
                                                                   f"SET DEFAULT {self.default_text(column.server_default)}"))
        statements += [self.compile(sa.schema.AddConstraint(self.constraint(after, spec, c.name or ""))) for c in own]
        statements += self.comment_statements(self.table(after, spec.name, spec.schema))
        return statements + [self.index_sql(after, spec, i) for i in spec.indexes]

    @handles(AlterTableOptionsOp)
    def alter_table_options(self, op: AlterTableOptionsOp, before: SchemaState) -> list[str]:
        """A table becomes a partition (``ATTACH PARTITION``) or stops being one (``DETACH
        PARTITION``). What PostgreSQL makes of the partitioned table's keys, CHECKs and indexes on
        the partition is implied while it is one (no op holds it), and its own after a detach: the
        detach drops those, so that the ops recorded after it (which make them as the database then
        held them) make them again; what the table held of its own before an attach was dropped by
        the ops recorded before it, and PostgreSQL makes the partition's again."""
        spec = before.table(op.table_name, op.schema)
        old, new = dict(spec.dialect_options), dict(op.options)
        keys = ("postgresql_partition_of", "postgresql_partition_bound")
        if all(old.get(k) == new.get(k) for k in keys):
            return []
        table = ddltext.table_sql(self.preparer, spec)
        statements = []
        if old.get("postgresql_partition_of"):
            statements.append(self._detached(table, self._parent_sql(spec, str(old["postgresql_partition_of"])),
                                             drop_inherited=not new.get("postgresql_partition_of")))
        if new.get("postgresql_partition_of"):
            statements.append(f"ALTER TABLE {self._parent_sql(spec, str(new['postgresql_partition_of']))} ATTACH "
                              f"PARTITION {table} {new.get('postgresql_partition_bound') or 'DEFAULT'}")
        return statements

    def _parent_sql(self, spec: TableSpec, parent: str) -> str:
        schema, _, name = parent.rpartition(".")
        return ddltext.name_sql(self.preparer, name, schema or spec.schema)

    @staticmethod
    def _detached(table: str, parent: str, *, drop_inherited: bool) -> str:
        """``DETACH PARTITION``; with ``drop_inherited``, in a block that then drops the keys,
        CHECKs and indexes the partition held from its partitioned table, which the detach made
        its own."""
        detach = f"ALTER TABLE {parent} DETACH PARTITION {table}"
        if not drop_inherited:
            return detach
        literal = "'" + table.replace("'", "''") + "'"
        return (
            "DO $sl$ DECLARE keys text[]; indexes text[]; n text; BEGIN "
            "SELECT array_agg(conname::text ORDER BY contype <> 'f', conname) INTO keys FROM pg_catalog.pg_constraint"
            f" WHERE conrelid = {literal}::regclass AND (conparentid <> 0 OR (contype = 'c' AND NOT conislocal)); "
            "SELECT array_agg(i.oid::regclass::text) INTO indexes FROM pg_catalog.pg_inherits h"
            " JOIN pg_catalog.pg_class i ON i.oid = h.inhrelid JOIN pg_catalog.pg_index x ON x.indexrelid = i.oid"
            f" WHERE x.indrelid = {literal}::regclass; "
            f"{detach}; "
            "FOREACH n IN ARRAY coalesce(keys, '{}') LOOP "
            f"EXECUTE format('ALTER TABLE %s DROP CONSTRAINT IF EXISTS %I', {literal}, n); END LOOP; "
            "FOREACH n IN ARRAY coalesce(indexes, '{}') LOOP "
            "IF to_regclass(n) IS NOT NULL THEN EXECUTE format('DROP INDEX %s', n); END IF; END LOOP; "
            "END $sl$")

    @handles(DropConstraintOp)
    def drop_constraint(self, op: DropConstraintOp, before: SchemaState) -> list[str]:
        """PostgreSQL ties a foreign key to the one unique index it found when the key was made, and
        refuses to drop that key's constraint while the foreign key stands, even where another
        primary or unique key on the same columns remains (which the fold lets the foreign key rest
        on, as MariaDB and SQLite do). The foreign keys that refer to exactly these columns, and
        stay, are dropped first and made again after: PostgreSQL then ties them to the key that
        remains."""
        statements = super().drop_constraint(op, before)
        spec = before.table(op.table_name, op.schema)
        key = spec.constraint(op.constraint_name)
        if not isinstance(key, (PrimaryKeySpec, UniqueSpec)):
            return statements
        after = self.applied(op, before)
        columns = set(key.columns)
        referring = [
            (table, fk) for table in before.tables.values() for fk in table.foreign_keys
            if fk.name and fk.referent_table == spec.name
            and (fk.referent_schema if fk.referent_schema is not None else table.schema) == spec.schema
            and set(fk.referent_columns) == columns
            and fk in after.table(table.name, table.schema).foreign_keys]
        if not referring:
            return statements
        drops = [super(PostgreSQLGenerator, self).drop_constraint(
            DropConstraintOp(fk.name or "", table.name, schema=table.schema), before) for table, fk in referring]
        adds = [ddltext.add_constraint(self.dialect, after, after.table(table.name, table.schema), fk.name or "")
                or self.compile(sa.schema.AddConstraint(self.constraint(after, after.table(table.name, table.schema),
                                                                        fk.name or "")))
                for table, fk in referring]
        return [text for texts in drops for text in texts] + statements + adds

    @handles(AlterColumnOp)
    def alter_column(self, op: AlterColumnOp, before: SchemaState) -> list[str]:
        after = self.applied(op, before)
        old = before.column(op.table_name, op.column_name, op.schema)
        new = after.column(op.table_name, op.modify_name or op.column_name, op.schema)
        spec = after.table(op.table_name, op.schema)
        # The SQLAlchemy column (in the part of its table that decides its SERIAL) is built only
        # for a change of type or comment; the rest is written from the specs.
        made: list[sa.Column[Any]] = []

        def sa_column() -> sa.Column[Any]:
            if not made:
                made.append(self.part(after, spec, columns=(new.name,), key_context=True).c[new.name])
            return made[0]

        prefix = f"ALTER TABLE {ddltext.table_sql(self.preparer, spec)}"
        name = self.quote(new.name)
        statements = []
        if new.name != old.name:
            statements.append(f"{prefix} RENAME COLUMN {self.quote(old.name)} TO {name}")
        default_gone = False
        values = self._enum_values_change(old, new, after)
        dropped, added = self._type_checks(before, after, old, new, op) if new.type != old.type else ([], [])
        statements.extend(f"{prefix} DROP CONSTRAINT {self.quote(check)}" for check in dropped)
        if values is not None:
            statements.extend(values)  # the type changed under its name; the column keeps it
        elif new.type != old.type:
            # PostgreSQL converts the default along with the column and fails when it cannot;
            # the default is taken off first and put back (as the new state has it) after. A
            # SERIAL column's default draws from its sequence: a type that is no integer drops it
            # (as Alembic's server_default=None did), so the sequence can go.
            if old.server_default is not None or (
                    self._serial_column(before, op) and not isinstance(sa_column().type, sa.Integer)):
                statements.append(f"{prefix} ALTER COLUMN {name} DROP DEFAULT")
                default_gone = True
            type_sql = self.type_sql(sa_column().type)
            statements.append(f"{prefix} ALTER COLUMN {name} TYPE {type_sql}{self._using(op, old, new, name, type_sql)}")
        if new.nullable != old.nullable:
            statements.append(f"{prefix} ALTER COLUMN {name} {'DROP' if new.nullable else 'SET'} NOT NULL")
        if new.server_default != old.server_default or default_gone:
            if new.server_default is not None:
                statements.append(f"{prefix} ALTER COLUMN {name} SET DEFAULT {self.default_text(new.server_default)}")
            elif not default_gone:
                statements.append(f"{prefix} ALTER COLUMN {name} DROP DEFAULT")
        if new.comment != old.comment:
            construct = sa.schema.SetColumnComment if new.comment is not None else sa.schema.DropColumnComment
            statements.append(self.compile(construct(sa_column())))
        return statements + added

    def _type_checks(self, before: SchemaState, after: SchemaState, old: ColumnSpec, new: ColumnSpec,
                     op: AlterColumnOp) -> tuple[list[str], list[str]]:
        """The names of the CHECKs the column's old type made that its new one does not (a
        ``Boolean``/non-native ``Enum`` with ``create_constraint``), dropped before the type changes,
        and the statements that add the new type's own after it, as a ``CREATE TABLE`` of the
        new type makes it (Alembic's ``alter_column`` drops and adds them so too)."""
        if not (makes_constraint(old.type) or makes_constraint(new.type)):
            return [], []
        gone = type_checks(self, before, op.table_name, op.schema, old)
        kept = type_checks(self, after, op.table_name, op.schema, new)
        return ([name for name, text in gone if (name, text) not in kept],
                [self.compile(sa.schema.AddConstraint(c)) for key, c in kept.items() if key not in gone])

    def _serial_column(self, before: SchemaState, op: AlterColumnOp) -> bool:
        """The column is the one SQLAlchemy made SERIAL (its table's autoincrement column)."""
        serial = self.table(before, op.table_name, op.schema)._autoincrement_column
        return serial is not None and serial.name == op.column_name

    def _enum_values_change(self, old: ColumnSpec, new: ColumnSpec, after: SchemaState) -> list[str] | None:
        """The statements that change the values of the named ENUM type a column keeps (None: the
        column changes type otherwise).

        Values added with their order kept are added in place (``ALTER TYPE ... ADD VALUE``, as
        a migration adds them); otherwise (a value removed, renamed or moved) the type is made
        again under its name and every column that uses it converted through text, which fails
        on a row holding a value the new type lacks; the indexes and CHECKs whose SQL reads such
        a column are made again after.
        """
        if not (_is_enum(old) and _is_enum(new)) or old.type == new.type or old.type.name not in _ENUMS \
                or new.type.name not in _ENUMS or _enum_key(old.type) != _enum_key(new.type):
            return None
        key = _enum_key(new.type)
        type_name = ".".join(self.quote(part) for part in (key[0], key[1]) if part)
        before_values, after_values = list(old.type.to_sa().enums), list(new.type.to_sa().enums)
        if before_values == after_values:
            return []
        literal = "'{}'".format
        if [v for v in after_values if v in before_values] == before_values:
            statements = []
            for i, value in enumerate(after_values):
                if value in before_values:
                    continue
                where = f"AFTER {literal(after_values[i - 1])}" if i else f"BEFORE {literal(before_values[0])}" \
                    if before_values else ""
                statements.append(f"ALTER TYPE {type_name} ADD VALUE IF NOT EXISTS {literal(value)} {where}".rstrip())
            return statements
        held = ".".join(self.quote(part) for part in (key[0], f"{key[1]}__before") if part)
        statements = [f"ALTER TYPE {type_name} RENAME TO {self.quote(key[1] + '__before')}",
                      f"CREATE TYPE {type_name} AS ENUM ({', '.join(literal(v) for v in after_values)})"]
        converted, remade = [], []
        for table in after.tables.values():
            columns = [c for c in table.columns
                       if c.type.name in _ENUMS and _is_enum(c) and _enum_key(c.type) == key]
            if not columns:
                continue
            sa_table = self.table(after, table.name, table.schema)
            # An index expression, a partial index's condition or a CHECK that compares such a column
            # with a value of the type (``WHERE state = 'X'::state``) holds the renamed type: it cannot
            # be rebuilt for the new one, so it is dropped first and made again after.
            for index in table.indexes:
                if any(index.uses_in_text(c.name) for c in columns):
                    sa_index = self.index(after, table, index)
                    statements.append(self.compile(sa.schema.DropIndex(sa_index)))
                    remade.append(self.create_index_sql(sa_index))
            for check in table.checks:
                if check.name is not None and any(sql_references(check.sqltext, c.name) for c in columns):
                    constraint = self.constraint(after, table, check.name)
                    statements.append(self.compile(sa.schema.DropConstraint(constraint)))
                    remade.append(self.compile(sa.schema.AddConstraint(constraint)))
            for column in columns:
                prefix, name = f"ALTER TABLE {self.format_table(sa_table)} ALTER COLUMN", self.quote(column.name)
                if column.server_default is not None:
                    converted.append(f"{prefix} {name} DROP DEFAULT")
                converted.append(f"{prefix} {name} TYPE {type_name} USING {name}::text::{type_name}")
                if column.server_default is not None:
                    converted.append(f"{prefix} {name} SET DEFAULT {self.default_sql(sa_table.c[column.name])}")
        return statements + converted + [f"DROP TYPE {held}"] + remade

    def _using(self, op: AlterColumnOp, old: ColumnSpec, new: ColumnSpec, name: str, type_sql: str) -> str:
        """The USING clause of a type change: the op's own (``postgresql_using``), else a cast only
        where PostgreSQL has no assignment cast from the old type to the new one.

        Without USING, PostgreSQL converts with its assignment cast, which refuses a value that does
        not fit (``value too long for type character varying(10)``, ``numeric field overflow``).
        An explicit cast to the new type would instead cut a string to length, so one is written
        only where there is no assignment cast at all: from a string type (or an ENUM, through
        text) to anything but a string, between integers and booleans (through ``integer``, the only integer
        type PostgreSQL casts to and from boolean), between JSON and
        anything but a string (a JSON number to a number through its text; to JSON with
        ``to_json``), as a rollback of Alembic's ``postgresql_using="to_json(x)"`` needs, and
        between integers and timestamps (seconds since the epoch: ``to_timestamp``, ``extract``),
        as a rollback of ``postgresql_using="extract(epoch from t)::bigint"`` needs.
        """
        if op.postgresql_using is not None:
            return f" USING {op.postgresql_using}"
        if _is_enum(new):  # only an explicit cast reaches an ENUM, and from text
            return f" USING {name}::text::{type_sql}"
        before, after = _kind(old), _kind(new)
        if before in ("string", "enum") and after != "string":
            return f" USING {name}{'::text' if before == 'enum' else ''}::{type_sql}"
        if {before, after} == {"integer", "boolean"}:  # a cast only between integer and boolean
            sized = isinstance((old if before == "integer" else new).type.to_sa(), (sa.SmallInteger, sa.BigInteger))
            return f" USING {name}{'::integer' if sized else ''}::{type_sql}"
        if before == "json" and after not in ("string", "json"):
            return f" USING {name}::text::{type_sql}"
        if after == "json" and before not in ("string", "json"):
            return f" USING to_json({name}{'::text' if before == 'enum' else ''})::{type_sql}"
        # An integer holding a time holds seconds since the epoch: PostgreSQL's own conversions
        # (a timestamp without time zone read as UTC, as ``extract(epoch ...)`` reads it)
        if before == "integer" and after in ("timestamp", "timestamptz"):
            return f" USING to_timestamp({name})" + (" AT TIME ZONE 'UTC'" if after == "timestamp" else "")
        if before in ("timestamp", "timestamptz") and after == "integer":
            return f" USING extract(epoch from {name})::{type_sql}"
        return ""


def _kind(column: ColumnSpec) -> str:
    """The family of a column's type as far as PostgreSQL's casts go."""
    if _is_enum(column):
        return "enum"
    try:
        type_ = column.type.to_sa()
    except Exception:  # noqa: BLE001 - a type that cannot be built is converted as PostgreSQL sees fit
        return "other"
    if isinstance(type_, sa.String):  # a non-native Enum too: a VARCHAR
        return "string"
    if isinstance(type_, sa.Boolean):
        return "boolean"
    if isinstance(type_, sa.JSON):
        return "json"
    if isinstance(type_, sa.Integer):
        return "integer"
    if isinstance(type_, sa.DateTime):
        return "timestamptz" if type_.timezone else "timestamp"
    return "other"
