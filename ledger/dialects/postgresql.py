"""PostgreSQL: ALTER COLUMN clauses, COMMENT ON, and the life of named ENUM types."""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.base import PGDialect
from sqlalchemy.dialects.postgresql import DOMAIN
from sqlalchemy.dialects.postgresql.named_types import CreateDomainType, CreateEnumType, DropEnumType

from ops import AlterColumnOp, CreateTableOp, MigrateOperation, SchemaState
from ops.specs import ColumnSpec, ForeignKeySpec, IdentitySpec, IndexSpec, TypeSpec, UniqueSpec, sql_references

from .base import Database, DDLGenerator, handles, register_database
from .database import ReflectedKeys
from .typetext import float_by_precision, rules, spaced
from .ledger_table import commit_if_open, lock_timeout, refusal_literal, released, trigger_name

__all__ = ["PostgreSQL", "PostgreSQLGenerator", "catalog_keys", "enum_types"]

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


def _changed_enums(before: SchemaState, after: SchemaState) -> bool:
    """Whether a table that differs between the two states uses a named ENUM type in either."""
    for one, other in ((before, after), (after, before)):
        for key, table in one.tables.items():
            if other.tables.get(key) is not table and any(True for c in table.columns for _ in _enums_in(c.type)):
                return True
    return False


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


class PostgreSQLGenerator(DDLGenerator):
    """PostgreSQL DDL. A named ENUM type is created before its first user appears and dropped
    after its last user goes, so that an op followed by its reverse leaves no type behind.

    PostgreSQL has no column positions: ``add_column(..., insert_before=...)`` (the reverse of a
    drop) adds the column at the end. Moving the columns behind it would mean dropping and
    re-adding each with its keys, indexes, foreign keys in and SERIAL sequences, which is not
    worth the risk to data; the column order is the one thing that can differ from the fold.
    """

    name = "postgresql"

    def statements(self, op: MigrateOperation, before: SchemaState) -> list[str]:
        main = super().statements(op, before)
        after = before.apply(op)
        # A type comes or goes only with a column of a table the op changed: when no changed table
        # uses a named ENUM, before or after, there is nothing to create or drop (scanning every
        # column of the schema for each op made apply quadratic in tables).
        if not _changed_enums(before, after):
            return main
        old, new = enum_types(before), enum_types(after)
        creates = [self.compile(CreateEnumType(spec.to_sa())) for key, spec in new.items()
                   if key not in old and not self._type_exists(key)]
        drops = [self.compile(DropEnumType(spec.to_sa())) for key, spec in old.items() if key not in new]
        return creates + main + drops

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
        if self.conn is None:
            return False
        schema, name = key
        return bool(self.conn.dialect.has_type(self.conn, name, schema=schema))  # type: ignore[attr-defined]

    @handles(CreateTableOp)
    def create_table(self, op: CreateTableOp, before: SchemaState) -> list[str]:
        # CREATE TABLE silently merges a UNIQUE that repeats the primary key or an earlier UNIQUE
        # on the same columns; ALTER TABLE ADD CONSTRAINT keeps each, as the state does.
        spec = op.table
        seen = {spec.primary_key.columns} if spec.primary_key is not None else set()
        kept, later = [], []
        for unique in spec.uniques:
            (later if unique.columns in seen else kept).append(unique)
            seen.add(unique.columns)
        if not later:
            return super().create_table(op, before)
        statements = super().create_table(CreateTableOp(attrs.evolve(spec, uniques=tuple(kept))), before)
        after = before.apply(op)
        return statements + [self.compile(sa.schema.AddConstraint(self.constraint(after, spec, u.name or "")))
                             for u in later]

    @handles(AlterColumnOp)
    def alter_column(self, op: AlterColumnOp, before: SchemaState) -> list[str]:
        after = before.apply(op)
        old = before.column(op.table_name, op.column_name, op.schema)
        table = self.table(after, op.table_name, op.schema)
        new = after.column(op.table_name, op.modify_name or op.column_name, op.schema)
        column = table.c[new.name]
        prefix = f"ALTER TABLE {self.format_table(table)}"
        name = self.quote(new.name)
        statements = []
        if new.name != old.name:
            statements.append(f"{prefix} RENAME COLUMN {self.quote(old.name)} TO {name}")
        default_gone = False
        values = self._enum_values_change(old, new, after)
        if values is not None:
            statements.extend(values)  # the type changed under its name; the column keeps it
        elif new.type != old.type:
            # PostgreSQL converts the default along with the column and fails when it cannot;
            # the default is taken off first and put back (as the new state has it) after.
            if old.server_default is not None:
                statements.append(f"{prefix} ALTER COLUMN {name} DROP DEFAULT")
                default_gone = True
            type_sql = self.type_sql(column.type)
            statements.append(f"{prefix} ALTER COLUMN {name} TYPE {type_sql}{self._using(op, old, new, name, type_sql)}")
        if new.nullable != old.nullable:
            statements.append(f"{prefix} ALTER COLUMN {name} {'DROP' if new.nullable else 'SET'} NOT NULL")
        if new.server_default != old.server_default or default_gone:
            if new.server_default is not None:
                statements.append(f"{prefix} ALTER COLUMN {name} SET DEFAULT {self.default_sql(column)}")
            elif not default_gone:
                statements.append(f"{prefix} ALTER COLUMN {name} DROP DEFAULT")
        if new.comment != old.comment:
            construct = sa.schema.SetColumnComment if new.comment is not None else sa.schema.DropColumnComment
            statements.append(self.compile(construct(column)))
        return statements

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
        text) to anything but a string, between integers and booleans, and between JSON and
        anything but a string (a JSON number to a number through its text; to JSON with
        ``to_json``), as a rollback of Alembic's ``postgresql_using="to_json(x)"`` needs.
        """
        if op.postgresql_using is not None:
            return f" USING {op.postgresql_using}"
        if _is_enum(new):  # only an explicit cast reaches an ENUM, and from text
            return f" USING {name}::text::{type_sql}"
        before, after = _kind(old), _kind(new)
        if before in ("string", "enum") and after != "string":
            return f" USING {name}{'::text' if before == 'enum' else ''}::{type_sql}"
        if {before, after} == {"integer", "boolean"}:
            return f" USING {name}::{type_sql}"
        if before == "json" and after not in ("string", "json"):
            return f" USING {name}::text::{type_sql}"
        if after == "json" and before not in ("string", "json"):
            return f" USING to_json({name}{'::text' if before == 'enum' else ''})::{type_sql}"
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
    if isinstance(type_, sa.Integer):
        return "integer"
    if isinstance(type_, sa.JSON):
        return "json"
    return "other"


#: Keywords PostgreSQL reserves (its "reserved" and "reserved, can be function or type" ones) that
#: SQLAlchemy's list lacks: a constraint named ``collation`` must be quoted.
_PG_RESERVED_TOO = frozenset({"collation", "concurrently", "lateral", "system_user", "tablesample"})


_TYPE_SPELLING = rules(
    (r"(\[\])+$", "[]"),
    (r"^FLOAT(?:\((\d+)\))?(?=$|\[)", lambda m: float_by_precision(m, "REAL", "DOUBLE PRECISION")),
    (r"^DOUBLE(?= |$|\[)(?! PRECISION)", "DOUBLE PRECISION"),
    (r"^DECIMAL\b", "NUMERIC"),
    (r"^NUMERIC\((\d+)\)", r"NUMERIC(\1,0)"),
    (r"^NCHAR\b", "CHAR"),
    (r"^NVARCHAR\b", "VARCHAR"),
    (r"^CHARACTER VARYING\b", "VARCHAR"),
    (r"^(CHAR|BIT)(?=$|\[)", r"\1(1)"),
    (r"^INT(?=$|\[)", "INTEGER"),
    (r" COLLATE \S+$", ""),
)


_PG_ACTIONS = {"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}  # "a": NO ACTION
_PG_MATCH = {"f": "FULL", "p": "PARTIAL"}  # "s": SIMPLE, the default


def catalog_keys(conn: sa.Connection, schema: str | None, names: Sequence[str] | None = None) -> tuple[
    dict[Any, dict[str, Any]], dict[Any, list[dict[str, Any]]], dict[Any, list[dict[str, Any]]],
    dict[tuple[str, str], bool],
]:
    """PostgreSQL's primary keys, unique constraints and foreign keys from its catalog in one
    query, in the inspector's shapes; and (table, unique constraint) -> initially deferred, for
    deferrable ones, which the inspector does not report. The inspector takes three queries
    for these and reads a foreign key's columns by splitting its definition at commas, and so
    splits names that hold one: here they come from the catalog's column numbers. The one-byte
    ``"char"`` codes are read as text: asyncpg returns that type as bytes."""
    rows = conn.execute(
        sa.text(
            "SELECT cl.relname, con.conname, con.contype::text, con.condeferrable, con.condeferred,"
            " ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(n, i)"
            "       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),"
            " ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(n, i)"
            "       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),"
            " ref.relname, ref_ns.nspname, con.contype = 'f' AND pg_catalog.pg_table_is_visible(con.confrelid),"
            " con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text"
            " FROM pg_catalog.pg_constraint con"
            " JOIN pg_catalog.pg_class cl ON cl.oid = con.conrelid"
            " JOIN pg_catalog.pg_namespace ns ON ns.oid = cl.relnamespace"
            " LEFT JOIN pg_catalog.pg_class ref ON ref.oid = con.confrelid"
            " LEFT JOIN pg_catalog.pg_namespace ref_ns ON ref_ns.oid = ref.relnamespace"
            " WHERE con.contype IN ('p', 'u', 'f')"
            " AND ns.nspname = COALESCE(CAST(:schema AS TEXT), current_schema())"
            + (" AND cl.relname = ANY(:names)" if names is not None else "")
            + " ORDER BY cl.relname, con.conname"
        ),
        {"schema": schema, **({"names": list(names)} if names is not None else {})},
    )
    pks: dict[Any, dict[str, Any]] = {}
    uniques: dict[Any, list[dict[str, Any]]] = {}
    fks: dict[Any, list[dict[str, Any]]] = {}
    deferrable: dict[tuple[str, str], bool] = {}
    for (table, name, kind, is_deferrable, deferred, local, remote, ref_table, ref_schema, visible,
         on_update, on_delete, match) in rows:
        key = (schema, table)
        if kind == "p":
            pks[key] = {"name": name, "constrained_columns": list(local)}
        elif kind == "u":
            uniques.setdefault(key, []).append({"name": name, "column_names": list(local)})
            if is_deferrable:
                deferrable[(table, name)] = bool(deferred)
        else:
            # As the inspector reports it: the referent's schema when the search path does not
            # find the table by its name alone, or when it is the schema being reflected.
            fks.setdefault(key, []).append({
                "name": name, "constrained_columns": list(local), "referred_table": ref_table,
                "referred_columns": list(remote),
                "referred_schema": ref_schema if not visible or (schema is not None and schema == ref_schema) else None,
                "options": {
                    "onupdate": _PG_ACTIONS.get(on_update), "ondelete": _PG_ACTIONS.get(on_delete),
                    "deferrable": True if is_deferrable else None, "initially": "DEFERRED" if deferred else None,
                    "match": _PG_MATCH.get(match),
                },
            })
    return pks, uniques, fks, deferrable


#: What PostgreSQL refuses inside a transaction block ("... cannot run inside a transaction block").
OUTSIDE_TRANSACTION = re.compile(
    r"""^\s*(?:
        (?:CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX)\s+CONCURRENTLY\b
      | REINDEX\s+(?:\([^)]*\)\s*)?(?:(?:INDEX|TABLE)\s+CONCURRENTLY|SCHEMA|DATABASE|SYSTEM)\b
      | VACUUM\b
      | (?:CREATE|DROP)\s+(?:DATABASE|TABLESPACE)\b
      | ALTER\s+SYSTEM\b
      | ALTER\s+TABLE\s[^;]*\bDETACH\s+PARTITION\s[^;]*\bCONCURRENTLY\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)


#: what tables may need that is not a table: an extension (an operator class, a type), a schema
_PREPARES = re.compile(r"^\s*(?:CREATE|DROP)\s+(?:EXTENSION|SCHEMA)\b", re.IGNORECASE)

_INT_RANGES = {"SMALLINT": 2**15 - 1, "INTEGER": 2**31 - 1, "BIGINT": 2**63 - 1}


@register_database
class PostgreSQL(Database):
    """PostgreSQL: transactional DDL, named ENUM types, 63-byte names (longer ones are cut silently)."""

    name = "postgresql"
    title = "PostgreSQL"
    backends = ("postgresql",)
    default_driver = "psycopg"
    extra = "postgresql"
    sync_drivers = ("psycopg", "psycopg2", "pg8000")
    sa_dialect = PGDialect
    generator = PostgreSQLGenerator
    name_limit = (63, "bytes")
    cuts_long_names = True
    #: index names (a primary key's and a unique constraint's are index names too) per schema,
    #: constraint names per table
    names_per = (("schema", ("index", "primary", "unique")), ("table", ("check", "foreignkey", "primary", "unique")))
    current_user_sql = "SELECT current_user"

    def drop_object_sql(self, kind: str, name: str, *, table: str | None = None, arguments: str | None = None) -> str:
        """A trigger is dropped from its table; a function or procedure by its argument types."""
        if kind == "TRIGGER" and table is not None:
            return f"DROP TRIGGER IF EXISTS {name} ON {table}"
        if kind in ("FUNCTION", "PROCEDURE") and arguments is not None:
            return f"DROP {kind} IF EXISTS {name}{arguments}"
        return super().drop_object_sql(kind, name, table=table, arguments=arguments)

    def ledger_triggers(self, table: sa.Table, sa_dialect: sa.Dialect) -> list[str]:
        prep = sa_dialect.identifier_preparer
        quoted, message = prep.format_table(table), refusal_literal()
        function = trigger_name(table, prep, "refuse_change")
        no_change, no_truncate = prep.quote(f"{table.name}_no_change"), prep.quote(f"{table.name}_no_truncate")
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$sl$ BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege'; END $sl$",
            f"CREATE TRIGGER {no_change} BEFORE UPDATE OR DELETE ON {quoted} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {no_truncate} BEFORE TRUNCATE ON {quoted} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            # Fire in every session_replication_role (replica would skip an ordinary trigger).
            f"ALTER TABLE {quoted} ENABLE ALWAYS TRIGGER {no_change}",
            f"ALTER TABLE {quoted} ENABLE ALWAYS TRIGGER {no_truncate}",
        ]

    def ledger_grants(self, table: sa.Table, snapshots: sa.Table, sa_dialect: sa.Dialect, *, applier: str,
                      owner: str | None) -> list[str]:
        prep = sa_dialect.identifier_preparer
        quoted, cache, app = prep.format_table(table), prep.format_table(snapshots), self.grant_account(applier, prep)
        statements = []
        if owner is not None:
            function = trigger_name(table, prep, "refuse_change")
            statements += [f"ALTER TABLE {quoted} OWNER TO {prep.quote(owner)}",
                           f"ALTER FUNCTION {function}() OWNER TO {prep.quote(owner)}",
                           f"ALTER TABLE {cache} OWNER TO {prep.quote(owner)}"]
        statements += [f"REVOKE ALL ON {quoted} FROM PUBLIC", f"REVOKE ALL ON {quoted} FROM {app}",
                       f"GRANT SELECT, INSERT ON {quoted} TO {app}",
                       f"GRANT SELECT, INSERT, DELETE ON {cache} TO {app}"]
        if table.schema:
            statements.append(f"GRANT USAGE ON SCHEMA {prep.quote_schema(table.schema)} TO {app}")
        return statements

    @contextlib.contextmanager
    def applier_lock(self, conn: sa.Connection, key: str, timeout: float, what: str) -> Iterator[None]:
        """A session advisory lock, released when the connection ends."""
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        deadline = time.monotonic() + timeout
        while not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": number}).scalar():
            if conn.in_transaction():
                conn.commit()
            if time.monotonic() >= deadline:
                raise lock_timeout(what, timeout)
            time.sleep(0.05)
        commit_if_open(conn)
        with released(conn, sa.text("SELECT pg_advisory_unlock(:k)"), {"k": number}):
            yield

    merges_duplicate_uniques = True
    primary_key_serves_as_unique = True
    stores_computed_columns = True
    keeps_foreign_key_match = True
    keeps_unique_deferral = True
    keeps_column_order = False
    index_option_prefixes = ("postgresql",)

    reflects_every_table = True
    boolean_literals = ("false", "true")

    def bytes_literal(self, hex_digits: str) -> str:
        return f"'\\x{hex_digits}'::bytea"

    def reflect_keys(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                     names: Sequence[str], *, subset: bool, kw: Mapping[str, Any]) -> ReflectedKeys:
        """Primary keys, unique constraints and foreign keys in one catalog query."""
        pks, uniques, fks, deferrable = catalog_keys(conn, schema, names if subset else None)
        return ReflectedKeys(pks, uniques, fks, deferrable)

    def reflected_index(self, index: Mapping[str, Any], spec: IndexSpec,
                        foreign_keys: Sequence[ForeignKeySpec]) -> IndexSpec | UniqueSpec | None:
        return None if index.get("duplicates_constraint") else spec  # the index behind a unique constraint

    def runs_outside_transaction(self, statement: str) -> bool:
        return OUTSIDE_TRANSACTION.match(statement) is not None

    def prepares_schema(self, statement: str) -> bool:
        return _PREPARES.match(statement) is not None

    def stored_identity(self, identity: IdentitySpec, type_text: str) -> IdentitySpec | None:
        """An identity with PostgreSQL's defaults filled in, as the server reports it."""
        top = _INT_RANGES.get(type_text, 2**63 - 1)
        increment = identity.increment or 1
        if increment > 0:
            minvalue = identity.minvalue if identity.minvalue is not None else 1
            maxvalue = identity.maxvalue if identity.maxvalue is not None else top
            start = identity.start if identity.start is not None else minvalue
        else:
            minvalue = identity.minvalue if identity.minvalue is not None else -top - 1
            maxvalue = identity.maxvalue if identity.maxvalue is not None else -1
            start = identity.start if identity.start is not None else maxvalue
        return IdentitySpec(always=bool(identity.always), start=start, increment=increment, minvalue=minvalue,
                            maxvalue=maxvalue, cycle=bool(identity.cycle), cache=identity.cache or 1)

    def stored_index_expression(self, text: str) -> str:
        # NULLs sort as the largest value: DESC NULLS FIRST and ASC NULLS LAST are the defaults.
        text = re.sub(r"^(.*) desc nulls first$", r"\1 desc", text)
        return re.sub(r"^(.*?)(?<! desc) nulls last$", r"\1", text)

    def canonical_type(self, type_: sa.types.TypeEngine[Any]) -> str | None:
        if isinstance(type_, sa.Enum) and type_.native_enum:
            # The DDL names the type only; PostgreSQL keeps its values, which are compared too.
            name = f"{type_.schema}.{type_.name}" if type_.schema else str(type_.name)
            values = ",".join("'" + v.replace("'", "''") + "'" for v in type_.enums)
            return f"ENUM {name}({values})"
        return super().canonical_type(type_)

    def spell_type(self, compiled: str) -> str:
        return _TYPE_SPELLING(spaced(compiled))

    def sequence_default(self, text: str) -> bool:
        return re.match(r"\s*nextval\s*\(", text, re.IGNORECASE) is not None

    def owned_sequence_columns(self, conn: sa.Connection, schema: str | None,
                               names: Sequence[str]) -> set[tuple[str, str]]:
        # SERIAL and BIGSERIAL: the sequence depends on its column automatically ('a'); an
        # identity's depends internally ('i') and is no default.
        rows = conn.execute(sa.text(
            "SELECT t.relname, a.attname FROM pg_catalog.pg_depend d"
            " JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
            " JOIN pg_catalog.pg_class t ON t.oid = d.refobjid"
            " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
            " JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
            " WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass"
            " AND d.deptype = 'a' AND n.nspname = COALESCE(:schema, current_schema())"
            " AND t.relname = ANY(:names)"
        ), {"schema": schema, "names": list(names)})
        return {(str(table), str(column)) for table, column in rows}

    def scratch_statements(self, name: str) -> tuple[str, str] | None:
        create, drop = super().scratch_statements(name)  # type: ignore[misc]
        return create, drop + " WITH (FORCE)"  # connections left behind do not keep it

    def compile_dialect(self, version: tuple[int, ...] | None, flavour: str | None, options: tuple[Any, ...]
                        ) -> sa.engine.Dialect:
        dialect = super().compile_dialect(version, flavour, options)
        preparer = dialect.identifier_preparer
        preparer.reserved_words = set(preparer.reserved_words) | _PG_RESERVED_TOO
        return dialect
