"""SQLite: native ALTER where SQLite has it, a table rebuild built from the schema state where not.

SQLite's ALTER TABLE can add a plain column, rename a column or a table, and (3.35+) drop a
column that nothing else uses. Everything else (add or drop a constraint, change a type,
nullability or default, add a primary key) is the rebuild of SQLite's "other kinds of table
schema changes" procedure:

1. ``CREATE TABLE "_sl_new_<t>"`` from the state *after* the change (foreign keys that point
   at the table itself are written with the final name ``<t>``);
2. ``INSERT INTO "_sl_new_<t>" (...) SELECT ... FROM "<t>"``: every row, surviving columns only
   (renames followed; no CAST, so a value that does not fit the new type keeps its value
   under SQLite's type affinity instead of turning into 0);
3. ``DROP TABLE "<t>"``, ``ALTER TABLE "_sl_new_<t>" RENAME TO "<t>"``;
4. the table's indexes (from the state) and triggers (read from ``sqlite_master``) again.

Foreign keys and the two pragmas:

- ``PRAGMA legacy_alter_table=ON`` is set for the RENAME of step 3 alone. Without it, the
  RENAME re-parses every view and trigger of the schema and fails ("error in view v: no such
  table") as soon as one of them names the table, which was just dropped; in legacy mode the
  rename leaves other objects' SQL alone, and they find the rebuilt table under its old name.
  This pragma can change inside a transaction, so the rebuild stays inside the revision's; it
  is connection state that a rollback does not undo, hence ON for one statement only.
- ``PRAGMA foreign_keys`` cannot change inside a transaction, and with it ON, ``DROP TABLE`` of
  a table that other rows refer to runs an implicit ``DELETE``: ``ON DELETE CASCADE`` children
  are deleted and other children are left as violations that no later statement clears.
  ``PRAGMA defer_foreign_keys=ON`` only postpones those violations to COMMIT (and does not stop
  the cascades), so it cannot make such a rebuild safe and is not used. A rebuild of a table
  that is referenced by a foreign key (its own included) therefore needs ``foreign_keys`` OFF,
  which is SQLite's default (the caller sets it, if need be, before the transaction begins); when the
  connection shows it ON, the rebuild is refused with :class:`SQLiteRebuildError` rather than
  lose rows. A table that nothing refers to is rebuilt safely either way (its DROP does no
  implicit DELETE).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects.sqlite.base import SQLiteDialect

from ops import (
    AddColumnOp,
    AddConstraintOp,
    AlterColumnOp,
    DropColumnOp,
    DropConstraintOp,
    LedgerError,
    MigrateOperation,
    SchemaState,
)
from ops.specs import ColumnSpec, TableSpec

from .base import Database, DDLGenerator, handles, mentions, register_database, table_of
from .database import ReflectedKeys
from .sqlite_sql import sqlite_foreign_keys, sqlite_unique_constraints
from .typetext import spaced
from .ledger_table import refusal_literal, trigger_name

__all__ = ["READS_ONLY", "REBUILD_PREFIX", "THROWAWAY", "SQLite", "SQLiteGenerator", "SQLiteRebuildError"]

#: The rebuilt table is created under this prefix, then renamed to the table's name.
REBUILD_PREFIX = "_sl_new_"
#: SQLite's ALTER TABLE DROP COLUMN exists from this version on.
DROP_COLUMN_VERSION = (3, 35, 0)

_CONSTANT = re.compile(r"""\s*(\d+(\.\d*)?([eE][+-]?\d+)?|'([^']|'')*'|NULL|TRUE|FALSE)\s*""", re.IGNORECASE)


class SQLiteRebuildError(LedgerError, RuntimeError):
    """A SQLite table rebuild that cannot be done safely on this connection."""


class SQLiteGenerator(DDLGenerator):
    """SQLite DDL: native where SQLite's ALTER allows it, one table rebuild where it does not."""

    name = "sqlite"

    @property
    def version(self) -> tuple[int, ...]:
        return tuple(self.dialect.server_version_info or sqlite3.sqlite_version_info)

    # -- entry points --------------------------------------------------------------------------

    def statements(self, op: MigrateOperation, before: SchemaState) -> list[str]:
        if self.needs_rebuild(op, before):
            return self.rebuild([op], before)
        return super().statements(op, before)

    def batch(self, ops: Sequence[MigrateOperation], before: SchemaState) -> list[str]:
        """Consecutive ops on one table share one rebuild when any of them needs it."""
        statements: list[str] = []
        state = before
        group: list[MigrateOperation] = []
        group_start = state
        group_key: tuple[str | None, str] | None = None
        rebuild = False

        def flush() -> None:
            nonlocal group, rebuild
            if group:
                statements.extend(self.rebuild(group, group_start) if rebuild else self._native(group, group_start))
            group, rebuild = [], False

        for op in ops:
            key = table_of(op, state)
            if key is None or key != group_key:
                flush()
                group_start, group_key = state, key
            group.append(op)
            rebuild = rebuild or self.needs_rebuild(op, state)
            state = state.apply(op)
            if key is None:
                flush()
        flush()
        return statements

    def _native(self, ops: Sequence[MigrateOperation], before: SchemaState) -> list[str]:
        statements: list[str] = []
        for op in ops:
            statements += super().statements(op, before)
            before = before.apply(op)
        return statements

    # -- what SQLite's ALTER can do ------------------------------------------------------------

    def needs_rebuild(self, op: MigrateOperation, before: SchemaState) -> bool:
        if isinstance(op, (AddConstraintOp, DropConstraintOp)):
            return True
        if isinstance(op, AddColumnOp):
            return op.insert_before is not None or not self._can_add(op.column) or any(
                isinstance(follow, (AddConstraintOp, DropConstraintOp)) for follow in op._then)
        if isinstance(op, DropColumnOp):
            return not self._can_drop(before.table(op.table_name, op.schema), op.column_name)
        if isinstance(op, AlterColumnOp):
            old = before.column(op.table_name, op.column_name, op.schema)
            new = op.altered(old)
            return (new.type, new.nullable, new.server_default) != (old.type, old.nullable, old.server_default)
        return False

    def _can_add(self, column: ColumnSpec) -> bool:
        """ADD COLUMN takes no STORED generated column, no NOT NULL without a default, and no
        default that is CURRENT_* or an expression (which SQLAlchemy writes in parentheses)."""
        if column.computed is not None and column.computed.persisted:
            return False
        default = column.server_default
        if default is None:
            return column.nullable
        if default.kind == "literal":
            return True
        return default.kind == "text" and _CONSTANT.fullmatch(default.value) is not None

    def _can_drop(self, table: TableSpec, name: str) -> bool:
        """DROP COLUMN refuses a column that a key, an index, a CHECK or a generated column uses."""
        if self.version < DROP_COLUMN_VERSION:
            return False
        if any(name in c.column_names for c in table.constraints) or any(name in i.columns for i in table.indexes):
            return False
        texts = [c.sqltext for c in table.checks]
        texts += [e.value for i in table.indexes for e in i.elements if e.expression]
        texts += [str(v) for i in table.indexes for k, v in i.dialect_options if k.endswith("_where")]
        texts += [c.computed.sqltext for c in table.columns if c.computed is not None]
        return not any(mentions(text, name) for text in texts)

    @handles(AlterColumnOp)
    def alter_column(self, op: AlterColumnOp, before: SchemaState) -> list[str]:
        # Only a rename reaches here (anything else is a rebuild); SQLite keeps no comments.
        if not op.modify_name or op.modify_name == op.column_name:
            return []
        table = self.table(before, op.table_name, op.schema)
        return [f"ALTER TABLE {self.format_table(table)} RENAME COLUMN {self.quote(op.column_name)} "
                f"TO {self.quote(op.modify_name)}"]

    # -- the rebuild ---------------------------------------------------------------------------

    def rebuild(self, ops: Sequence[MigrateOperation], before: SchemaState) -> list[str]:
        """One table rebuild that performs ``ops`` (all on the same table) on ``before``."""
        key = table_of(ops[0], before)
        assert key is not None
        schema, name = key
        after = SchemaState.fold(ops, before)
        old_spec, new_spec = before.table(name, schema), after.table(name, schema)
        self._check_foreign_keys(before, old_spec, new_spec)

        metadata = self.neighbourhood(after, new_spec)  # a private copy: the temporary table is added to it
        final = metadata.tables[new_spec.fullname]
        temp = attrs.evolve(new_spec, name=REBUILD_PREFIX + name, indexes=()).to_table(metadata)
        # The copy and the DROP need the old table's name and column names alone: written out, not
        # compiled through a rebuilt table (that was a third of a rebuild's time).
        old = self.format_table(sa.table(name, schema=schema))  # type: ignore[arg-type]
        sources = self._sources(ops, old_spec, new_spec)

        statements = [self.compile(sa.schema.CreateTable(temp))]
        if sources:
            columns = ", ".join(self.quote(new) for new in sources)
            values = ", ".join(f"{old}.{self.quote(src)}" for src in sources.values())
            statements.append(f"INSERT INTO {self.format_table(temp)} ({columns}) SELECT {values} FROM {old}")
        statements.append(f"DROP TABLE {old}")
        # The pragma is connection state that a rollback does not undo, so it is on for the
        # RENAME alone: a failure anywhere else cannot leave the connection in legacy mode.
        legacy = not self._pragma("legacy_alter_table")
        statements += ["PRAGMA legacy_alter_table=ON"] if legacy else []
        statements.append(f"ALTER TABLE {self.format_table(temp)} RENAME TO {self.quote(name)}")
        statements += ["PRAGMA legacy_alter_table=OFF"] if legacy else []
        statements += [self.create_index_sql(i) for i in sorted(final.indexes, key=lambda i: str(i.name))]
        statements += self._triggers(old_spec)
        return statements

    @staticmethod
    def _sources(ops: Sequence[MigrateOperation], old: TableSpec, new: TableSpec) -> dict[str, str]:
        """New column name -> the old column its values come from (renames followed)."""
        origin: dict[str, str | None] = {c.name: c.name for c in old.columns}
        for op in ops:
            if isinstance(op, AddColumnOp):
                origin[op.column.name] = None
            elif isinstance(op, DropColumnOp):
                origin.pop(op.column_name, None)
            elif isinstance(op, AlterColumnOp) and op.modify_name and op.modify_name != op.column_name:
                origin[op.modify_name] = origin.pop(op.column_name, None)
        sources: dict[str, str] = {}
        for column in new.columns:
            src = origin.get(column.name)
            source_column = old.column(src) if src is not None else None
            # Generated columns compute their own values and refuse an INSERT.
            if source_column is not None and column.computed is None and source_column.computed is None:
                sources[column.name] = src  # type: ignore[assignment]
        return sources

    def _pragma(self, name: str) -> int:
        if self.conn is None:
            return 0
        return int(self.conn.exec_driver_sql(f"PRAGMA {name}").scalar() or 0)

    def _check_foreign_keys(self, before: SchemaState, old: TableSpec, new: TableSpec) -> None:
        referenced = bool(before.referencing(old.name, old.schema)) or any(
            fk.referent_table == old.name and (fk.referent_schema or old.schema) == old.schema
            for fk in old.foreign_keys + new.foreign_keys
        )
        if referenced and self._pragma("foreign_keys"):
            raise SQLiteRebuildError(
                f"cannot rebuild SQLite table {old.fullname} while PRAGMA foreign_keys is ON: foreign keys "
                "refer to it, and DROP TABLE would delete or orphan their rows; set PRAGMA foreign_keys=OFF "
                "before the transaction begins"
            )

    def _triggers(self, table: TableSpec) -> list[str]:
        """The CREATE TRIGGER statements of ``table``, read from the live schema (the state has none)."""
        if self.conn is None:
            return []
        master = f"{self.quote(table.schema)}.sqlite_master" if table.schema else "sqlite_master"
        rows = self.conn.execute(
            sa.text(f"SELECT sql FROM {master} WHERE type = 'trigger' AND tbl_name = :name "
                    "AND sql IS NOT NULL ORDER BY name"),
            {"name": table.name},
        )
        return [str(row[0]) for row in rows]


#: Execution option of a connection that never writes: on SQLite its transactions start with a
#: plain BEGIN (a shared lock, taken at the first read) instead of BEGIN IMMEDIATE.
READS_ONLY = "schema_ledger_reads_only"

#: SQLite files whose contents need not survive a crash (a drill's own temporary scratch
#: database, deleted afterwards): their connections commit without waiting for the disk
#: (``PRAGMA synchronous = OFF``). Transactions and rollbacks work as on any other file.
THROWAWAY: set[str] = set()


def _sqlite_sql(conn: sa.Connection, schema: str | None) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """table -> CREATE TABLE, (table, index) -> CREATE INDEX: the SQL SQLite keeps, read where
    SQLAlchemy's reading falls short (expression indexes, sort order, names with parentheses)."""
    master = "sqlite_master" if schema is None else f"{conn.dialect.identifier_preparer.quote(schema)}.sqlite_master"
    rows = conn.exec_driver_sql(
        f"SELECT type, tbl_name, name, sql FROM {master} WHERE type IN ('table', 'index') AND sql IS NOT NULL"
    )
    tables: dict[str, str] = {}
    indexes: dict[tuple[str, str], str] = {}
    for kind, table, name, sql in rows:
        if kind == "table":
            tables[name] = sql
        else:
            indexes[(table, name)] = sql
    return tables, indexes


def _sqlite_foreign_keys(
    conn: sa.Connection, schema: str | None, table_sql: Mapping[str, str], pks: Mapping[Any, Any],
    names: Sequence[str] | None = None,
) -> dict[Any, list[dict[str, Any]]]:
    """SQLite's foreign keys, in one query: PRAGMA foreign_key_list gives columns, referent and
    actions; names and deferral come from the table SQL, matched by what they join, in the order
    written (SQLAlchemy's pattern for the SQL misses quoted names with quotes or parentheses,
    reserved words, non-ASCII names, and keys that join the same columns twice)."""
    prefix = "" if schema is None else f"{conn.dialect.identifier_preparer.quote(schema)}."
    query = sa.text(
        "SELECT m.name, p.id, p.\"table\", p.\"from\", p.\"to\", p.on_update, p.on_delete"
        f" FROM {prefix}sqlite_master m JOIN pragma_foreign_key_list(m.name, :schema) p"
        " WHERE m.type = 'table'" + (" AND m.name IN :names" if names is not None else "")
        + " ORDER BY m.name, p.id, p.seq"
    )
    params: dict[str, Any] = {"schema": schema or "main"}
    if names is not None:
        query = query.bindparams(sa.bindparam("names", expanding=True))
        params["names"] = list(names)
    rows = conn.execute(query, params)
    pragma: dict[str, dict[int, dict[str, Any]]] = {}
    for table, key_id, referent, local, remote, on_update, on_delete in rows:
        fk = pragma.setdefault(table, {}).setdefault(key_id, {
            "name": None, "constrained_columns": [], "referred_table": referent, "referred_columns": [],
            "referred_schema": schema, "options": {"onupdate": on_update, "ondelete": on_delete},
        })
        fk["constrained_columns"].append(local)
        if remote is not None:  # None: the clause names no columns, the referent's primary key
            fk["referred_columns"].append(remote)
    keys_by_folded = {name.casefold(): pk for (_, name), pk in pks.items()}
    found: dict[Any, list[dict[str, Any]]] = {}
    for table, by_id in pragma.items():
        written = sqlite_foreign_keys(table_sql[table]) if table in table_sql else None
        unclaimed = list(written or ())
        # SQLite numbers a table's foreign keys from the last written: the highest id is the first.
        keys = [by_id[k] for k in sorted(by_id, reverse=True)]
        for fk in keys:
            if not fk["referred_columns"]:
                pk = keys_by_folded.get(fk["referred_table"].casefold()) or {}
                fk["referred_columns"] = list(pk.get("constrained_columns") or ())
            for clause in unclaimed:
                if (clause.columns == tuple(fk["constrained_columns"])
                        and clause.referent_table.casefold() == fk["referred_table"].casefold()
                        and clause.referent_columns in ((), tuple(fk["referred_columns"]))):
                    unclaimed.remove(clause)
                    fk["name"] = clause.name
                    fk["options"].update(deferrable=clause.deferrable, initially=clause.initially)
                    break
        found[(schema, table)] = keys
    return found


@register_database
class SQLite(Database):
    """SQLite: transactional DDL, table rebuilds, the write lock taken when a transaction begins."""

    name = "sqlite"
    title = "SQLite"
    backends = ("sqlite",)
    sync_drivers = ("pysqlite",)
    sa_dialect = SQLiteDialect
    generator = SQLiteGenerator
    locks_per_transaction = True
    rebuilds_batches = True
    #: index names per database; constraint names are not checked at all (the fold keeps them
    #: apart per table: it finds them by name)
    names_per = (("schema", ("index",)), ("table", ("check", "foreignkey", "primary", "unique")))

    def offline_version(self) -> tuple[int, ...] | None:
        return tuple(sqlite3.sqlite_version_info)

    def database_file(self, url: sa.URL) -> Path | None:
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return Path(database)

    def length_sql(self, column: str) -> str:
        return f"length({column})"

    def has_time_sql(self, column: str) -> str:
        return f"time({column}) <> '00:00:00'"

    def scratch_file_url(self, path: Path) -> str | None:
        return f"sqlite:///{path}"

    def scratch_statements(self, name: str) -> tuple[str, str] | None:
        return None

    def name_problem(self, name: str, what: str) -> str | None:
        if what in ("table", "index") and name.lower().startswith("sqlite_"):
            return "starts with sqlite_, which SQLite reserves"
        return None

    row_key_type = sa.Integer()
    merges_duplicate_uniques = True
    keeps_comments = False
    index_option_prefixes = ("sqlite",)

    keeps_dangling_foreign_keys = True
    doubled_check_name_quote = '"'

    def reflect_keys(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                     names: Sequence[str], *, subset: bool, kw: Mapping[str, Any]) -> ReflectedKeys:
        """Foreign keys from PRAGMA foreign_key_list and the table SQL; unique constraints and
        expression indexes from the SQL SQLite keeps (the inspector only where that fails:
        SQLAlchemy's reading of the UNIQUE clauses stops at a ")" inside a quoted name, and
        it skips expression indexes)."""
        pks = inspector.get_multi_pk_constraint(**kw)
        table_sql, index_sql = _sqlite_sql(conn, schema)
        fks = _sqlite_foreign_keys(conn, schema, table_sql, pks, names if subset else None)
        uniques: dict[Any, list[dict[str, Any]]] = {}
        for name in names:
            parsed = sqlite_unique_constraints(table_sql[name]) if name in table_sql else None
            uniques[(schema, name)] = (
                [{"name": unique, "column_names": list(columns)} for unique, columns in parsed]
                if parsed is not None else inspector.get_unique_constraints(name, schema=schema))
        return ReflectedKeys(pks, uniques, fks, index_sql=index_sql)

    def unique_constraints(self, conn: sa.Connection, inspector: sa.Inspector, table: str,
                           schema: str | None) -> list[tuple[str | None, tuple[str, ...]]]:
        """From the table's SQL: SQLAlchemy reports a UNIQUE clause written twice once."""
        table_sql, _ = _sqlite_sql(conn, schema)
        parsed = sqlite_unique_constraints(table_sql[table]) if table in table_sql else None
        return parsed if parsed is not None else super().unique_constraints(conn, inspector, table, schema)

    def spell_type(self, compiled: str) -> str:
        # SQLite keeps the declared name; reflection reads it by SQLite's affinity rules.
        resolved = self.type_compiler._resolve_type_affinity(compiled)  # type: ignore[attr-defined]
        if not isinstance(resolved, sa.types.NullType):
            compiled = str(resolved.compile(dialect=self.type_compiler))
        return spaced(compiled)

    def ledger_triggers(self, table: sa.Table, sa_dialect: sa.Dialect) -> list[str]:
        # INSERT OR REPLACE deletes the row it replaces without firing the DELETE trigger.
        prep = sa_dialect.identifier_preparer
        quoted, message = prep.format_table(table), refusal_literal()
        return [
            f"CREATE TRIGGER {trigger_name(table, prep, what)} BEFORE {what.upper()} ON {quoted} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            for what in ("update", "delete")
        ] + [
            f"CREATE TRIGGER {trigger_name(table, prep, 'no_replace')} BEFORE INSERT ON {quoted} "
            f"WHEN EXISTS (SELECT 1 FROM {quoted} WHERE seq = NEW.seq OR event_id = NEW.event_id) "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        ]

    def add_ledger_triggers(self, conn: sa.Connection, table: sa.Table, *, created: bool) -> None:
        """A ledger made by an earlier version gets the trigger that refuses INSERT OR REPLACE."""
        if created:
            super().add_ledger_triggers(conn, table, created=created)
            return
        prep = conn.dialect.identifier_preparer
        master = f"{prep.quote_schema(table.schema)}.sqlite_master" if table.schema else "sqlite_master"
        name = f"{table.name}_no_replace"
        if conn.execute(sa.text(f"SELECT 1 FROM {master} WHERE type = 'trigger' AND name = :n"), {"n": name}).first():
            return
        conn.exec_driver_sql(self.ledger_triggers(table, conn.dialect)[-1])

    def privilege_split_problem(self, schema: str | None) -> str | None:
        return ("SQLite has no roles: whoever can write the file can change the ledger; "
                "sign checkpoints and keep an anchor instead (docs/audit.md)")

    @contextlib.contextmanager
    def applier_lock(self, conn: sa.Connection, key: str, timeout: float, what: str) -> Iterator[None]:
        """SQLite has no session lock: its write lock is taken by each transaction's BEGIN
        IMMEDIATE, waiting up to ``timeout``."""
        # Through the DBAPI connection (SQLAlchemy's adapter for aiosqlite, whose own connection is
        # async): a statement through SQLAlchemy would open a transaction (and take the lock).
        conn.connection.dbapi_connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")  # type: ignore[union-attr]
        yield

    def setup_engine(self, engine: sa.Engine) -> None:
        """SQLite's Python driver does not open a transaction before DDL, so DDL would commit on
        its own and a failed revision could not be rolled back: SQLAlchemy drives the transaction
        instead, and each one starts with ``BEGIN IMMEDIATE`` so that the writer lock is taken at
        the start (the ledger head is then read under it)."""
        throwaway = engine.url.database in THROWAWAY

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # the driver must not manage transactions
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 60000")
            if throwaway:
                cursor.execute("PRAGMA synchronous = OFF")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # A connection that only reads (status, verify, log) must not queue behind a writer.
            reads_only = conn.get_execution_options().get(READS_ONLY, False)
            conn.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")
