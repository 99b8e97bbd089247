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

In a run (the statements run as they are made, not ``--sql``), a table that holds no row is
rebuilt without the copy and the RENAME: ``DROP TABLE "<t>"``, then ``CREATE TABLE "<t>"`` from
the state after the change, then step 4. SQLite's RENAME rewrites and re-reads the SQL of the
whole schema (its cost grows with every table a history has made), where DROP and CREATE read
only the table's own; other tables' foreign keys, views and triggers name ``<t>`` and find it
again, as after the RENAME. Whether the table holds a row is read just before its statements
run, in the run's transaction; in a batch, only while no op of the batch on no one table (the
user's SQL) has come before. ADD and DROP COLUMN of such a table are done the same way (SQLite's
own re-read the whole schema too, and DROP COLUMN rewrites and checks it first), unless the
table has an AUTOINCREMENT counter, which DROP TABLE would forget, or foreign keys are on and
refer to it (below).

A constraint SQLite holds without a name (``unnamed`` in its spec: created without ``CONSTRAINT
name``, by ``create_all()`` or an Alembic migration) is written without one, in a rebuild and in
CREATE TABLE, as SQLite held it: a later migration that reads the table (Alembic's batch mode,
a lookup by name) finds what it would have found without the ledger.

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

import re
import sqlite3
from collections.abc import Sequence
from typing import Any

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
    SchemaState,
)
from ops.specs import ColumnSpec, TableSpec, table_spec

from . import ddltext
from .assembled import AssembledGenerator, makes_constraint
from .base import handles, mentions, table_of
from ledger.support.lazyre import lazy
from ops import classes as oc

__all__ = ["REBUILD_PREFIX", "SQLiteGenerator", "SQLiteRebuildError"]

#: The rebuilt table is created under this prefix, then renamed to the table's name.
REBUILD_PREFIX = "_sl_new_"
#: SQLite's ALTER TABLE DROP COLUMN exists from this version on.
DROP_COLUMN_VERSION = (3, 35, 0)

_CONSTANT = lazy(r"""\s*(\d+(\.\d*)?([eE][+-]?\d+)?|'([^']|'')*'|NULL|TRUE|FALSE)\s*""", re.IGNORECASE)


class SQLiteRebuildError(LedgerError, RuntimeError):
    """A SQLite table rebuild that cannot be done safely on this connection."""


class SQLiteGenerator(AssembledGenerator):
    """SQLite DDL: native where SQLite's ALTER allows it, one table rebuild where it does not."""

    name = "sqlite"
    adds_type_checks = False
    #: whether the table (formatted) holds no row, as read for the statements being made, when that
    #: was read before the rebuild that needs it (ADD/DROP COLUMN: whether to rebuild at all)
    _no_row: tuple[str, bool] | None = None
    #: what a run read of the live schema in its transaction that only other SQL changes (see
    #: :meth:`_kept_reads`): the transaction, and ``PRAGMA foreign_keys`` and the triggers by table
    _kept: tuple[Any, dict[Any, Any]] | None = None

    @property
    def version(self) -> tuple[int, ...]:
        return tuple(self.dialect.server_version_info or sqlite3.sqlite_version_info)

    # -- entry points --------------------------------------------------------------------------

    def statements(self, op: MigrateOperation, before: SchemaState, after: SchemaState | None = None) -> list[str]:
        self._no_row = None
        self._keeping(op, before)
        if after is not None:
            self._given = (op, before, after)
        if self.needs_rebuild(op, before):
            return self.rebuild([op], before)
        return super().statements(op, before, after)

    def batch(self, ops: Sequence[MigrateOperation], before: SchemaState) -> list[str]:
        """Consecutive ops on one table share one rebuild when any of them needs it."""
        self._no_row = None
        statements: list[str] = []
        state = before
        group: list[MigrateOperation] = []
        group_start = state
        group_key: tuple[str | None, str] | None = None
        rebuild = False

        # The statements of the whole batch may be made before any of them runs (a dry run; a run makes
        # and runs them up to each op on no one table, then the rest): after an op on no one table
        # (the user's SQL may add rows), a table's rows read now are not those its rebuild finds.
        rows_read = True

        def flush() -> None:
            nonlocal group, rebuild
            if group:
                statements.extend(self.rebuild(group, group_start, rows_read=rows_read) if rebuild
                                  else self._native(group, group_start))
            group, rebuild, self._no_row = [], False, None

        for op in ops:
            self._keeping(op, state)
            key = table_of(op, state)
            if key is None or key != group_key:
                flush()
                group_start, group_key = state, key
            group.append(op)
            rebuild = rebuild or self.needs_rebuild(op, state, rows_read=rows_read)
            state = state.apply(op)
            if key is None:
                flush()
                rows_read = False
        flush()
        return statements

    def _native(self, ops: Sequence[MigrateOperation], before: SchemaState) -> list[str]:
        statements: list[str] = []
        for op in ops:
            after = before.apply(op)
            statements += super().statements(op, before, after)
            before = after
        return statements

    @staticmethod
    def as_stored(spec: TableSpec) -> TableSpec:
        """``spec`` as SQLite holds it: the constraints it keeps without a name (``unnamed``) without one."""
        if not any(c.unnamed for c in spec.constraints):
            return spec

        def bare(items: Sequence[Any]) -> tuple[Any, ...]:
            return tuple(oc.evolve(i, name=None) if i.unnamed else i for i in items)

        pk = spec.primary_key
        return table_spec(spec.name, spec.columns, spec.schema, bare((pk,))[0] if pk is not None else None,
                          bare(spec.foreign_keys), bare(spec.uniques), bare(spec.checks), spec.indexes, spec.comment,
                          spec.dialect_options)

    # -- what SQLite's ALTER can do ------------------------------------------------------------

    def needs_rebuild(self, op: MigrateOperation, before: SchemaState, *, rows_read: bool = True) -> bool:
        if isinstance(op, (AddConstraintOp, DropConstraintOp)):
            return True
        if isinstance(op, AddColumnOp):
            # (a column whose type makes a CHECK: SQLite's ALTER adds no table constraint, the rebuild's CREATE TABLE does)
            return op.insert_before is not None or not self._can_add(op.column) or makes_constraint(op.column.type) or any(
                isinstance(follow, (AddConstraintOp, DropConstraintOp)) for follow in op._then) or (
                rows_read and self._rebuilt_cheaper(before, before.table(op.table_name, op.schema)))
        if isinstance(op, DropColumnOp):
            table = before.table(op.table_name, op.schema)
            return not self._can_drop(table, op.column_name) or (rows_read and self._rebuilt_cheaper(before, table))
        if isinstance(op, AlterColumnOp):
            old = before.column(op.table_name, op.column_name, op.schema)
            new = op.altered(old)
            return (new.type, new.nullable, new.server_default) != (old.type, old.nullable, old.server_default)
        return False

    def _rebuilt_cheaper(self, before: SchemaState, table: TableSpec) -> bool:
        """Whether ADD or DROP COLUMN on ``table`` is done as a rebuild instead: in a run, a table with no
        row, no AUTOINCREMENT counter (which DROP TABLE would forget) and that a rebuild may drop (see
        :meth:`_check_foreign_keys`). SQLite's own ALTER re-reads the SQL of the whole schema (DROP
        COLUMN also rewrites and checks it); DROP and CREATE read the table's own."""
        pk = table.primary_key
        if not self.runs_now or (pk is not None and pk.autoincrement is True):
            return False
        if self._pragma("foreign_keys") and self._referenced(before, table, table):
            return False
        formatted = ddltext.name_sql(self.preparer, table.name, table.schema)
        empty = self._holds_no_row(formatted)
        # What the rebuild these statements make reads again, as nothing runs before it: kept for it.
        self._no_row = (formatted, empty)
        return empty

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
        """DROP COLUMN refuses a column that a key, an index, a CHECK or a generated column uses,
        its type's own CHECK included (``Boolean``/``Enum`` with ``create_constraint``: written among
        the table's constraints by a CREATE TABLE)."""
        if self.version < DROP_COLUMN_VERSION:
            return False
        column = table.column(name)
        if column is not None and makes_constraint(column.type):
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
        table = self.part(before, before.table(op.table_name, op.schema))
        return [f"ALTER TABLE {self.format_table(table)} RENAME COLUMN {self.quote(op.column_name)} "
                f"TO {self.quote(op.modify_name)}"]

    @handles(CreateTableOp)
    def create_table(self, op: CreateTableOp, before: SchemaState) -> list[str]:
        """``CREATE TABLE`` assembled from its columns' and constraints' definitions, each compiled
        once per distinct definition in the generator's life (as a rebuild writes its table), then
        its indexes; a table with options (``WITHOUT ROWID``, ``STRICT``) is compiled whole."""
        after = self.applied(op, before)
        spec = after.table(op.table.name, op.table.schema)
        if spec.dialect_options:
            return super().create_table(op, before)
        return [self._create_temporary(after, spec, spec.name)] + [
            self.index_sql(after, spec, i) for i in sorted(spec.indexes, key=lambda i: str(i.name))]

    # -- the rebuild ---------------------------------------------------------------------------

    def rebuild(self, ops: Sequence[MigrateOperation], before: SchemaState, *, rows_read: bool = True) -> list[str]:
        """One table rebuild that performs ``ops`` (all on the same table) on ``before``.

        A table that holds no row when the statements are made, read where they run as they are
        made (:attr:`runs_now`, and ``rows_read``), is dropped and made again under its own name:
        nothing to copy, and no RENAME, which costs SQLite in proportion to the whole schema. A
        rename of a column another table's foreign key names is SQLite's own (:meth:`_renamed_around`).
        """
        around = self._renamed_around(ops, before, rows_read)
        if around is not None:
            return around
        key = table_of(ops[0], before)
        assert key is not None
        schema, name = key
        after = self.applied(ops[0], before) if len(ops) == 1 else SchemaState.fold(ops, before)
        old_spec, new_spec = before.table(name, schema), after.table(name, schema)
        self._check_foreign_keys(before, old_spec, new_spec)

        # The new table's CREATE TABLE is assembled from its parts (its foreign keys to the table
        # itself name the final table); the indexes come from the new spec, each compiled once per
        # distinct index in the generator's life. The copy and the DROP need the table names and
        # column names alone: written out, not compiled through a table.
        old = ddltext.name_sql(self.preparer, name, schema)
        # Whether the table holds a row: read when ADD/DROP COLUMN chose to rebuild, else now.
        known, self._no_row = self._no_row, None
        if rows_read and (known[1] if known is not None and known[0] == old else self._holds_no_row(old)):
            statements = [f"DROP TABLE {old}", self._create_temporary(after, new_spec, name)]
        else:
            temp = ddltext.name_sql(self.preparer, REBUILD_PREFIX + name, schema)
            sources = self._sources(ops, old_spec, new_spec)
            statements = [self._create_temporary(after, new_spec, REBUILD_PREFIX + name)]
            if sources:
                columns = ", ".join(self.quote(new) for new in sources)
                values = ", ".join(f"{old}.{self.quote(src)}" for src in sources.values())
                statements.append(f"INSERT INTO {temp} ({columns}) SELECT {values} FROM {old}")
            statements.append(f"DROP TABLE {old}")
            # The pragma is connection state that a rollback does not undo, so it is on for the
            # RENAME alone: a failure anywhere else cannot leave the connection in legacy mode.
            legacy = not self._pragma("legacy_alter_table")
            statements += ["PRAGMA legacy_alter_table=ON"] if legacy else []
            statements.append(f"ALTER TABLE {temp} RENAME TO {self.quote(name)}")
            statements += ["PRAGMA legacy_alter_table=OFF"] if legacy else []
        statements += [self.index_sql(after, new_spec, i) for i in sorted(new_spec.indexes, key=lambda i: str(i.name))]
        statements += self._triggers(old_spec)
        return statements

    def _renamed_around(self, ops: Sequence[MigrateOperation], before: SchemaState,
                        rows_read: bool) -> list[str] | None:
        """The rebuild of ``ops`` with each rename of a column that another table's foreign key
        names done by ``RENAME COLUMN``, the rest rebuilt around it; None when there is none.

        SQLite's ``RENAME COLUMN`` rewrites the foreign keys of other tables that name the column;
        a rebuild copies the table under the new name and leaves them naming the old one."""
        if not any(self._renames_referenced(op, before) for op in ops if isinstance(op, AlterColumnOp)):
            return None
        statements: list[str] = []
        state = segment_start = before
        segment: list[MigrateOperation] = []
        for op in ops:
            if isinstance(op, AlterColumnOp) and self._renames_referenced(op, state):
                statements += self.rebuild(segment, segment_start, rows_read=rows_read) if segment else []
                rename = AlterColumnOp(op.table_name, op.column_name, schema=op.schema, modify_name=op.modify_name)
                statements += self.alter_column(rename, state)
                state = segment_start = state.apply(rename)
                rest = oc.evolve(op, column_name=op.modify_name, modify_name=None)
                segment = [rest] if rest.has_changes() else []
                if segment:
                    state = state.apply(rest)
                continue
            segment.append(op)
            state = state.apply(op)
        statements += self.rebuild(segment, segment_start, rows_read=rows_read) if segment else []
        return statements

    @staticmethod
    def _renames_referenced(op: AlterColumnOp, before: SchemaState) -> bool:
        if not op.modify_name or op.modify_name == op.column_name:
            return False
        return any(op.column_name in fk.referent_columns for _, fk in before.referencing(op.table_name, op.schema))

    def _create_temporary(self, after: SchemaState, spec: TableSpec, name: str) -> str:
        """``CREATE TABLE`` of the rebuild's temporary table ``name``, with ``spec``'s columns and
        constraints (its foreign keys to the table itself name the final table).

        Written as SQLAlchemy's ``CreateTable`` writes it, from each column's and constraint's
        definition compiled on its own (through :meth:`part`, so each is compiled once per distinct
        column or constraint in the generator's life: a table is rebuilt many times with most of
        its parts unchanged). A table whose column types make constraints of their own (a
        ``Boolean`` or ``Enum`` with ``create_constraint``), or anything that fails to compile
        this way, is compiled whole, as before.
        """
        text = self.assembled(after, spec, name)
        if text is not None:
            return text
        metadata = self.neighbourhood(after, oc.evolve(spec, name=name, indexes=()))
        return self.compile(sa.schema.CreateTable(metadata.tables[f"{spec.schema}.{name}" if spec.schema else name]))

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

    # -- what a run reads of the live schema, kept for its transaction ---------------------------

    #: ops whose statements leave every trigger as it is: they make no trigger, rename nothing a
    #: trigger's text names, and a rebuild makes the table's triggers again as they were (SQLite
    #: refuses DROP COLUMN of a column a trigger uses); DROP TABLE drops the table's own
    _KEEP_TRIGGERS = (CreateTableOp, DropTableOp, AddColumnOp, DropColumnOp, CreateIndexOp, DropIndexOp, AddConstraintOp,
                      DropConstraintOp)

    #: ops whose statements put no row in any table, nor a table with rows under another's name (the
    #: user's SQL, a RENAME TABLE and a plugin's op may): the rows a rebuild copies were there before
    _KEEP_ROWS = (*_KEEP_TRIGGERS, AlterColumnOp)

    def _kept_reads(self) -> dict[Any, Any] | None:
        """What this run read in its current transaction of what only SQL it did not write changes:
        ``PRAGMA foreign_keys`` (which SQLite does not change inside a transaction) and the triggers
        by table (changed by the user's SQL, a plugin's, or an op that renames). None outside a run
        or a transaction: read every time."""
        conn = self.reading()
        tx = conn.get_transaction() if conn is not None and self.runs_now else None
        if tx is None:
            return None
        if self._kept is None or self._kept[0] is not tx:
            self._kept = (tx, {})
        return self._kept[1]

    def _keeping(self, op: MigrateOperation, before: SchemaState) -> None:
        """Before ``op``'s statements are made: the triggers read are forgotten unless it leaves them
        as they are (a dropped table's own go with it); the tables read empty, unless it is one of
        the ops whose statements put no row in any table (:attr:`_KEEP_ROWS`)."""
        kept = self._kept[1] if self._kept is not None else None
        if not kept:
            return
        if not isinstance(op, self._KEEP_ROWS):
            kept.pop("empty", None)
        if "triggers" not in kept:
            return
        if isinstance(op, AlterColumnOp) and not (op.modify_name and op.modify_name != op.column_name) \
                or isinstance(op, self._KEEP_TRIGGERS):
            if isinstance(op, DropTableOp) and op.schema is None:
                kept["triggers"].pop(op.table_name, None)
            return
        del kept["triggers"]

    def forget_reads(self) -> None:
        self._kept = None

    def _pragma(self, name: str) -> int:
        kept = self._kept_reads() if name == "foreign_keys" else None
        if kept is not None and name in kept:
            return int(kept[name])
        conn = self.reading()
        if conn is None:
            return 0
        # Read through the driver's cursor (a read of connection state, in whatever
        # transaction the connection is in): SQLAlchemy's execution costs more than the read.
        rows = _driver_rows(conn, f"PRAGMA {name}")
        value = int((rows[0][0] if rows else 0) or 0)
        if kept is not None:
            kept[name] = value
        return value

    def _holds_no_row(self, table: str) -> bool:
        """Whether the live ``table`` (formatted) holds no row; False where the statements made now do
        not run before the next are made (a dry run) or the table cannot be read.

        A table read empty in the run's transaction is not read again while the connection's count of
        rows changed (SQLite's ``total_changes``: every INSERT, UPDATE and DELETE, a trigger's too)
        stands where it stood at that read and only ops that put no row anywhere have been made since
        (:meth:`_keeping`): no row can have come into it. Nothing else writes in the transaction."""
        conn = self.reading() if self.runs_now else None
        driver = conn.connection.dbapi_connection if conn is not None else None
        if driver is None:
            return False
        kept = self._kept_reads()
        changes = getattr(driver, "total_changes", None) if kept is not None else None
        empty = kept.get("empty") if kept is not None and type(changes) is int else None
        if empty is not None and empty[0] == changes and table in empty[1]:
            return True
        try:  # the driver's cursor (an async driver's adapter too), in the run's transaction
            cursor = driver.cursor()
            try:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
                holds_none = cursor.fetchone() is None
            finally:
                cursor.close()
        except Exception:  # noqa: BLE001 - not told: the rows are copied
            return False
        if holds_none and kept is not None and type(changes) is int:
            if empty is None or empty[0] != changes:
                kept["empty"] = empty = (changes, set())
            empty[1].add(table)
        return holds_none

    @staticmethod
    def _referenced(before: SchemaState, old: TableSpec, new: TableSpec) -> bool:
        """Whether a foreign key refers to the table (``old`` before, ``new`` after), its own included."""
        return bool(before.referencing(old.name, old.schema)) or any(
            fk.referent_table == old.name and (fk.referent_schema or old.schema) == old.schema
            for fk in old.foreign_keys + new.foreign_keys
        )

    def _check_foreign_keys(self, before: SchemaState, old: TableSpec, new: TableSpec) -> None:
        if self._pragma("foreign_keys") and self._referenced(before, old, new):
            raise SQLiteRebuildError(
                f"cannot rebuild SQLite table {old.fullname} while PRAGMA foreign_keys is ON: foreign keys "
                "refer to it, and DROP TABLE would delete or orphan their rows; set PRAGMA foreign_keys=OFF "
                "before the transaction begins"
            )

    def holds_as_written(self, conn: sa.Connection, state: SchemaState, spec: TableSpec) -> bool:
        """Whether SQLite holds ``spec``'s table (in ``state``) as the SQL this generator writes for it:
        the ``CREATE TABLE`` text SQLite keeps equals the one written (its constraints in any order,
        its name quoted or not, as a rename leaves it), and its ``CREATE INDEX`` texts those written.

        SQLite keeps a table as the SQL that made it, so the same text is the same table: reading it
        back would give what reading the table the ledger makes gives. False where unsure.
        """
        driver = conn.connection.dbapi_connection
        if spec.schema is not None or spec.dialect_options or driver is None:
            return False
        try:
            table = self._create_temporary(state, spec, spec.name)
            indexes = sorted(self.index_sql(state, spec, i) for i in spec.indexes)
        except (LedgerError, sa.exc.SQLAlchemyError, LookupError, ValueError):
            return False
        try:  # the driver's cursor (an async driver's adapter too), not through the connection's listeners
            cursor = driver.cursor()
            try:
                cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = ?1 AND sql IS NOT NULL AND type "
                               "IN ('table', 'index') UNION ALL SELECT 'temp', NULL FROM sqlite_temp_master "
                               "WHERE tbl_name = ?1", (spec.name,))
                rows = cursor.fetchall()
            finally:
                cursor.close()
        except Exception:  # noqa: BLE001 - not told: the table is read back
            return False
        tables = [str(sql) for kind, sql in rows if kind == "table"]
        if len(tables) != 1 or any(kind == "temp" for kind, _ in rows):
            return False
        if sorted(str(sql) for kind, sql in rows if kind == "index") != indexes:
            return False
        return _same_table_sql(tables[0], table, self.format_table(sa.table(spec.name)), spec.name)

    def live_triggers(self, table: TableSpec) -> list[str] | None:
        return self._triggers(table) if self.conn is not None else None

    def _triggers(self, table: TableSpec) -> list[str]:
        """The CREATE TRIGGER statements of ``table``, read from the live schema (the state has none);
        in a run, those of every table of the main schema at once, kept for the transaction while
        only ops that leave them as they are run (:meth:`_keeping`)."""
        kept = self._kept_reads() if table.schema is None else None
        if kept is not None:
            if "triggers" not in kept:
                by_table: dict[str, list[str]] = {}
                read = "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name"
                for name, sql in _driver_rows(self.conn, read):  # type: ignore[arg-type]
                    by_table.setdefault(str(name), []).append(str(sql))
                kept["triggers"] = by_table
            return list(kept["triggers"].get(table.name, ()))
        conn = self.reading()
        if conn is None:
            return []
        master = f"{self.quote(table.schema)}.sqlite_master" if table.schema else "sqlite_master"
        rows = _driver_rows(
            conn, f"SELECT sql FROM {master} WHERE type = 'trigger' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
            (table.name,),
        )
        return [str(row[0]) for row in rows]


def _driver_rows(conn: sa.Connection, sql: str, parameters: tuple[Any, ...] = ()) -> list[Any]:
    """The rows of ``sql`` read with the DBAPI connection's cursor, not through SQLAlchemy's execution
    and the connection's listeners: an async driver's adapter reads as sqlite3 does (aiosqlite's own
    connection, the driver connection under the adapter, gives awaitables)."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())
    finally:
        cursor.close()


#: what starts a constraint's definition inside CREATE TABLE (a column of such a name is quoted)
_CONSTRAINT_WORDS = ("CONSTRAINT", "PRIMARY", "FOREIGN", "UNIQUE", "CHECK")


def _same_table_sql(held: str, written: str, formatted: str, name: str) -> bool:
    """Whether SQLite's text ``held`` of a table makes the table ``written`` makes: the same text
    but for the table's name (quoted by a RENAME) and the order of the constraints."""
    head = "CREATE TABLE " + formatted
    if not written.startswith(head):
        return False
    body = written[len(head):]
    for prefix in {head, 'CREATE TABLE "' + name.replace('"', '""') + '"'}:
        if held.startswith(prefix) and held[len(prefix):] == body:
            return True
    if not (held.endswith("\n)") and written.endswith("\n)")):
        return False  # something after the definitions (WITHOUT ROWID, STRICT): compared whole above
    from .sqltokens import split_definitions

    parts_held, parts_written = split_definitions(held), split_definitions(written)
    if parts_held is None or parts_written is None or len(parts_held) != len(parts_written):
        return False
    if held[:held.index("(")].rstrip() not in {head, 'CREATE TABLE "' + name.replace('"', '""') + '"'}:
        return False

    def split(parts: list[str]) -> tuple[list[str], list[str]]:
        constraint = [p.split(None, 1)[0].upper() in _CONSTRAINT_WORDS for p in parts]
        return [p for p, c in zip(parts, constraint) if not c], sorted(p for p, c in zip(parts, constraint) if c)

    return split(parts_held) == split(parts_written)
