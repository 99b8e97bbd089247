"""Statements a migration runs by other means than ``op.*`` calls: captured at the cursor and recorded."""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa

import ops as lops
from ops.classes import Value
from ops.sql import rename_back

from ledger import dialects
from ledger.format.events import FOLLOWS_STATEMENT_ABOVE, RESYNC
from ledger.integrations.alembic_sql import (
    DATA,
    INDEXES,
    OTHER,
    READ,
    SCHEMA,
    UnrenderableStatement,
    changed_parts,
    changes_no_table,
    changes_only_held,
    classify,
    created_index,
    dropped_index,
    names_no_changed_table,
    render_statements,
    renamed_table,
    schema_object,
    touched_tables,
)
from ledger.integrations.alembic_readparts import dropped_constraint, drops_if_exists, named_index, read_parts, renamed_column
from ledger.integrations.alembic.around import made_around_tables
from ledger.integrations.alembic.readback import READ_BACK, ReadBack, drawn_by_database
from ledger.integrations.alembic.searchpath import NamesReset, names_reset
from ledger.integrations.alembic.sqlreverse import reverse_of
from ledger.schema.seedrows import seed_reverse
from ledger.integrations.alembic.base import DATA_CHANGE, NOT_MODELLED, OWN_TABLE, SCHEMA_SQL, AlembicHookError, Origin
from ledger.support.quietwarn import blamed_outside, silenced
from ledger.support.lazyre import lazy, mentions

#: the hook's modules, whose frames stand between a migration and Alembic's work
_HOOK_MODULES = lazy(r"^ledger\.")
#: the modules SQLAlchemy's warnings skip to blame a frame (its own and Alembic's)
_LIBRARY_MODULES = lazy(r"^(?:sqlalchemy\.|alembic\.)")


#: (schema, table, ...) as read from a statement, or None
_Named = TypeVar("_Named", bound="tuple[str | None, ...] | None")


class Captured(Value):
    """Statements that one execution ran, rendered as SQL texts."""

    texts: tuple[str, ...]
    category: str
    source: str
    note: str | None
    #: the entry of a batch block's list whose flush ran them (None: not in a flush, or a rebuild)
    entry: int | None
    #: each table's catalog digest before they ran, when what they change is not named in them (None: not read),
    #: with the tables read (``Database.scoped_digests``; None: every table of the schema)
    digests: tuple[Mapping[str, str], Sequence[int] | None] | None
    __slots__ = ("texts", "category", "source", "note", "entry", "digests")

    def __init__(self, texts: tuple[str, ...], category: str, source: str, note: str | None = None,
                 entry: int | None = None, digests: tuple[Mapping[str, str], Sequence[int] | None] | None = None) -> None:
        self._assign(texts, category, source, note, entry, digests)


class _Quiet:
    """:meth:`Captures._quiet`'s block (a class, not a generator: entered a few times per operation)."""

    __slots__ = ("captures", "saved", "names")

    def __init__(self, captures: Captures) -> None:
        self.captures = captures

    def __enter__(self) -> None:
        captures = self.captures
        self.saved, captures._buffer, self.names = captures._buffer, None, captures._names
        if self.names is not None:  # read as a new session reads (searchpath.py)
            self.names.enter(captures._database, captures.conn)

    def __exit__(self, *exc: object) -> None:
        if self.names is not None:
            self.names.exit(self.captures._database, self.captures.conn)
        self.captures._buffer = self.saved


class _Capture:
    """:meth:`Captures._capture`'s block (a class, not a generator: entered once or twice per operation)."""

    __slots__ = ("captures", "source", "saved")

    def __init__(self, captures: Captures, source: str) -> None:
        self.captures, self.source = captures, source

    def __enter__(self) -> list[Captured]:
        captures = self.captures
        self.saved = (captures._buffer, captures._source)
        buffer: list[Captured] = []
        captures._buffer, captures._source = buffer, self.source
        return buffer

    def __exit__(self, *exc: object) -> None:
        self.captures._buffer, self.captures._source = self.saved


class Captures:
    """Captures what a revision runs as SQL, and records it as events or as the ops it made."""

    #: the session's search path and a new session's, when SQL text left them apart (searchpath.py)
    _names: NamesReset | None = None
    #: (schema, casefolded name) of the ledger's table and Alembic's version table (``_own_tables``)
    _own_names: frozenset[tuple[str | None, str]] | None = None

    def _quiet(self) -> _Quiet:
        """Statements run in the block are not captured (schema ops, batch rebuilds, the ledger's own)."""
        return _Quiet(self)

    def _alembic_work(self) -> contextlib.AbstractContextManager[None]:
        """Alembic's own work runs in the block: its warnings are shown as without the hook, from the
        frame they blame without the hook's frames (the user's migration, the ``with`` of a batch
        block); the warning filters and registries are not touched, so Python shows a warning once
        per place, and again after the migration itself resets them, exactly as without the hook."""
        return blamed_outside(_HOOK_MODULES, _LIBRARY_MODULES)

    def _capture(self, source: str) -> _Capture:
        """Statements run in the block are captured into the list it gives, labelled ``source``."""
        return _Capture(self, source)

    def _returned(self) -> ReadBack:
        """The values the running revision's statements returned so far (readback.py)."""
        found: ReadBack | None = getattr(self, "_values_returned", None)
        if found is None:
            found = self._values_returned = ReadBack()
        return found.for_revision(self.revision)

    def _sequence_reverses(self) -> dict[str, tuple[str | None, str | None, tuple[tuple[str, str, str], ...]]]:
        """The reverse (or why there is none) of each ALTER or DROP SEQUENCE text of this run, and
        the column defaults a DROP ... CASCADE takes, read from the catalog before it ran, by its text."""
        found: dict[str, tuple[str | None, str | None, tuple[tuple[str, str, str], ...]]] | None = getattr(
            self, "_sequences_before", None)
        if found is None:
            found = self._sequences_before = {}
        return found

    def _before_cursor(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                       executemany: bool) -> None:
        """Before a ``DROP TYPE`` or ``DROP SEQUENCE``: the object as the database holds it becomes its
        definition, so the drop's reverse makes it again with its values or options, whoever made it
        (a column, ``ALTER TYPE ... RENAME``, ``ALTER SEQUENCE``, SQL text the ledger holds an older
        version of). Before an ``ALTER`` or ``DROP SEQUENCE``: its reverse, from each sequence it
        names as it stands (``sequences.sequence_reverse``: its options and the value it gives next)."""
        if self._buffer is None or not self.active:
            return
        self._before = None
        if (self._source is None or self._source.startswith("op.")) and names_no_changed_table(statement):
            # recorded as SQL text, and what it changes is not named in it: the catalog now, to
            # tell afterwards which tables it changed
            try:
                # quiet: the SAVEPOINT and its RELEASE are not the migration's statements (the
                # RELEASE passing through here took back what was read)
                with self._quiet(), self._guarded(conn):
                    self._before = (statement, self._table_digests(conn, statement))
            except sa.exc.SQLAlchemyError:
                self._before = None  # every table is read after it
        lowered = statement.lower()
        if "drop" not in lowered and "sequence" not in lowered:
            return  # no DROP of any kind, nothing of a sequence (most statements): not classified, not parsed
        if classify(statement) != SCHEMA:
            return  # not a DROP TYPE (a read, data work: most statements)
        if "sequence" in lowered:
            # ALTER or DROP SEQUENCE: undone from the sequences as the database holds them now
            from ledger.dialects.sequences import sequence_reverse  # a statement on a sequence: rare

            try:
                with self._quiet(), self._guarded(conn):
                    reverse = sequence_reverse(self._database, conn, statement)
            except sa.exc.SQLAlchemyError as exc:
                reverse = None, f"its reverse could not be read from the catalog: {' '.join(str(exc).split())[:200]}", ()
            if reverse is not None:
                self._sequence_reverses()[" ".join(statement.split())] = reverse
        # a DROP of neither a type nor a sequence is not parsed (its pattern not compiled)
        found = schema_object(statement) if mentions(statement, "type", "sequence") else None
        if found is None or found[0] != "drop" or found[1].kind not in ("TYPE", "SEQUENCE") or "," in statement:
            return
        try:
            with self._quiet(), self._guarded(conn):
                if found[1].kind == "TYPE":
                    definition = self._database.type_definition(conn, found[1].name)
                else:
                    from ledger.dialects.sequences import sequence_definition  # a sequence dropped: rare

                    definition = sequence_definition(self._database, conn, found[1].name)
        except sa.exc.SQLAlchemyError:
            definition = None  # not read: the drop's reverse is the one the ledger holds, if any
        if definition is not None:
            self._definitions()[found[1].key] = definition

    def _guarded(self, conn: Any) -> contextlib.AbstractContextManager[Any]:
        """A block of reads made before a migration's statement, inside its transaction: under a
        SAVEPOINT where a failure would abort that transaction (PostgreSQL), so a read that fails (a
        privilege the migration's role lacks) leaves the migration to run on as without the hook."""
        driver = getattr(conn.connection, "dbapi_connection", None)
        if (not self._database.failure_aborts_transaction or not conn.in_transaction()
                or conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
                or getattr(driver, "autocommit", None) is True):
            return contextlib.nullcontext()
        return conn.begin_nested()  # type: ignore[no-any-return]

    def _after_cursor(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                      executemany: bool) -> None:
        if self._buffer is None or not self.active:
            return
        category = classify(statement)
        if category != DATA and mentions(statement, "search_path"):  # SET search_path: reads go on as a new session's
            self._names = None
            with self._quiet():
                self._names = names_reset(self._database, conn)
        # what statements returned is kept for data work and reads only (readback.py)
        returned = self._returned() if category in (READ, DATA) else None
        if category == READ:
            # before the mark below: SQLAlchemy runs a sequence's next value for an INSERT on the
            # INSERT's own context (MariaDB, no RETURNING), and the INSERT is still to be captured
            returned.note(statement, cursor, context)  # type: ignore[union-attr]
            return
        if context is not None:
            # SQLAlchemy may split one executemany into several batches: render it once.
            if getattr(context, "_sl_captured", False):
                return
            context._sl_captured = True
        note = None
        carried = returned.carried(statement, parameters) if returned is not None and category == DATA else None
        drawn = drawn_by_database(context) if category == DATA else {}
        try:
            texts = tuple(render_statements(context, statement, parameters, conn.dialect, drawn=drawn))
        except UnrenderableStatement as exc:
            # kept to be read, never run again with its placeholders (drill and import name it)
            texts, note = (dialects.unrendered_sql(statement, str(exc)),), f"parameters not rendered ({exc}): {parameters!r}"[:500]
        else:
            if carried is not None:  # what ran, kept to be read: its literal is this database's row
                texts = tuple(dialects.unrendered_sql(text, f"{READ_BACK}: {carried!r}"[:300]) for text in texts)
        if returned is not None and category == DATA:
            returned.note(statement, cursor, context, returning=True)
            returned.note_prefetched(context, drawn)
            if not executemany:
                returned.note_inserted(statement, parameters, cursor)
        digests = None
        if self._before is not None and self._before[0] is statement:
            digests, self._before = self._before[1], None
        self._buffer.append(Captured(texts, category, self._source or "connection.execute", note, self._entry, digests))
        if self._source is None and category in (SCHEMA, OTHER):
            # DDL run on the connection is recorded now, as what it changed: reflected later, a
            # table it made and a later statement renamed would be missed, and the rename
            # recorded as SQL to run again over ops that already made its change.
            with silenced():  # the hook's own reflection warns nothing
                self._flush_captured()

    def _after_elsewhere(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                         executemany: bool) -> None:
        """DDL that another connection of the migration's engine runs during a revision (a revision
        that creates its tables with ``op.get_bind().engine.begin()``): kept, and recorded when the
        revision ends, as what it changed. That connection commits on its own (when its block
        ends), so only then does the migration's connection see the change."""
        if self._buffer is None or not self.active or self._same_connection(conn):
            return
        if classify(statement) != SCHEMA:
            return  # data work, reads and settings on other connections are not the schema's
        try:
            texts = tuple(render_statements(context, statement, parameters, conn.dialect))
        except UnrenderableStatement as exc:
            texts = (dialects.unrendered_sql(statement, str(exc)),)
        self._elsewhere.append(Captured(texts, SCHEMA, "another connection of the engine"))

    def _before_elsewhere(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                          executemany: bool) -> None:
        """Before another connection of the migration's engine writes, the lock the hook holds is
        given up where it would make that write wait (SQLite's write lock: ``_yield_write_lock``)."""
        if self._buffer is None or not self.active or self._same_connection(conn):
            return
        if classify(statement) != READ:
            self._yield_write_lock()

    def _same_connection(self, conn: Any) -> bool:
        if conn is self.conn:
            return True
        mine, theirs = self.conn.connection, conn.connection
        return conn is self.conn or getattr(mine, "dbapi_connection", mine) is getattr(theirs, "dbapi_connection", theirs)

    def _flush_elsewhere(self) -> None:
        """Record the DDL other connections ran in this revision (see ``_after_elsewhere``)."""
        if not self._elsewhere:
            return
        captured, self._elsewhere[:] = list(self._elsewhere), []
        # Reflected now, a table holds what every statement of the revision did to it: once a
        # statement's table is followed whole (CREATE TABLE ...), the later statements on it (its
        # CREATE INDEX) are in those ops already, and recording them again would make them twice.
        whole: set[Any] = set()
        for item in captured:
            for text in item.texts:
                table = self._unqualified(touched_tables(text))
                if table is not None and table in whole:
                    continue
                self._record_schema_sql(text, item, None, deferred=True)
                if table is not None and changed_parts(text) is None:
                    whole.add(table)

    def _flush_captured(self) -> None:
        if not self._buffer:
            return
        captured, self._buffer[:] = list(self._buffer), []
        self._record_statements(captured, origin=None)

    def _record_statements(self, captured: list[Captured], *, origin: Origin | None,
                           foreign: str | None = None) -> None:
        for item in captured:
            for text in item.texts:
                if foreign is None and item.category in (SCHEMA, OTHER):
                    self._record_schema_sql(text, item, origin)
                    continue
                self._record_statement(text, item, origin, foreign)

    def _record_schema_sql(self, text: str, item: Captured, origin: Origin | None, *, deferred: bool = False) -> None:
        """Record DDL run as SQL text as the ops that bring the fold to the live schema.

        The tables the statement names (every table when that is not plain) are reflected and
        diffed against the fold: the statement is recorded as those ops, reversible as any op,
        each with the SQL in its message. SQL the fold holds nothing of (a sequence, an
        extension) is recorded as an irreversible ``execute`` event, as is a procedural block
        (it may have changed data too; the ops it made follow it). When no ops lead to the
        live schema, the ``execute`` event says so and ``verify --live`` shows the difference.
        ``deferred``: read back after later statements of the revision ran (another connection's),
        so the whole table is read where the statement alone would need only some of it.
        """
        if item.category == SCHEMA and self._on_temporary(text):
            # not in the database's schema: replayed for the statements after it, nothing to undo
            self._record_statement(text, item, origin, None, reverse="", note="a temporary object")
            return
        if item.category == SCHEMA and changes_no_table(text):
            # a function, a trigger, a view, a sequence: not in the fold; reversible where its reverse is known
            reverse, note = self._reverse_sql(text), None
            held = self._sequence_reverses().pop(" ".join(text.split()), None)
            if held is not None and (held[0] is not None or not reverse or "," in text):
                # (a column's sequence the ledger made by SQL text keeps that text as its drop's reverse)
                reverse, note, _ = held
            self._record_statement(text, item, origin, None, reverse=reverse, note=note)
            return
        if item.category == SCHEMA and self._dropped_sequences(text, item, origin):
            return
        table = self._unqualified(touched_tables(text)) if item.category == SCHEMA else None
        note = "the fold cannot follow it: verify --live shows the difference"
        if item.category == SCHEMA and (self._renamed(text, item, origin) or self._dropped(text, item, origin)):
            return
        if item.category == SCHEMA and self._on_view(table):
            self._record_on_view(text, item, origin, table)  # type: ignore[arg-type]
            return
        parts = changed_parts(text) if item.category == SCHEMA else None
        if table is None and parts is not None:
            table = self._holding_index(dropped_index(text))
        if parts is None and item.category == SCHEMA and not deferred:
            # read right after it ran (not with later statements of the revision): what it can change
            parts = read_parts(text)
        changed = self._changed_tables(item.digests) if table is None and item.digests is not None else None
        if changed and parts is None and all(changed.values()):
            # what the catalog shows changed of each table it changed (its columns, keys, indexes)
            parts = frozenset().union(*changed.values())
        if self._own_tables(table) or (changed and all(self._own_tables((None, name)) for name in changed)):
            self._note_own_tables(f"{item.source}: {' '.join(text.split())}", origin)
            return
        back = rename_back(text) if item.category == SCHEMA else None
        if back is not None:
            # the statement itself (the fold renames its columns' and domains' type), undone by the rename back
            self._record_statement(text, item, origin, None, reverse=back)
            self._renamed_definition(back[len("ALTER TYPE "):back.rindex(" RENAME TO ")])
        around = made_around_tables(text, self._reverse_sql) if item.category == SCHEMA else ([], [])
        self._schemas_made_by(text)  # (the schemas a text of several makes: read as the fold's)
        try:
            dropped = dropped_constraint(text) if table is not None else None
            ops = self._after_dropped_constraint(table, dropped) if dropped is not None else None
            if ops is None:
                # read right after it ran: a CREATE or DROP INDEX's one index, ALTER TYPE ... ADD VALUE's columns
                ops = self._follow_live(table, parts, among=changed, statement=None if deferred else text,
                                        index=named_index(text) if parts == INDEXES and not deferred else None)
        except Exception as exc:  # noqa: BLE001 - recording never breaks a migration Alembic completed
            ops, note = None, f"{note}; reflecting it failed: {' '.join(str(exc).split())}"
        if ops == [] and item.category == SCHEMA and (changes_only_held(text) or drops_if_exists(text)):
            # it can change only what the fold holds of its table (or a table neither holds), and the table
            # read back shows none of it changed: nothing to record, as of an Alembic op that changes nothing
            return
        if back is not None and ops is None:
            self._resync_open = True
            self._append(None, self._message(f"{RESYNC} {item.source}: {note}: {' '.join(text.split())}"), origin)
        elif item.category == OTHER or (not ops and back is None):
            self._record_statement(text, item, origin, None, note=None if ops is not None else note,
                                   resync=ops is None)
        if not ops:
            return
        for forward, reverse in around[0]:  # its schemas and routines before its tables (around.py)
            self._record_statement(forward, item, origin, None, reverse=reverse)
        self._record_followed(ops, text, item, origin)
        for forward, reverse in around[1]:  # its triggers and views after them
            self._record_statement(forward, item, origin, None, reverse=reverse)

    def _renamed_definition(self, name: str) -> None:
        """Hold the ENUM type a rename named ``name`` as the database has it: a later ``DROP TYPE name`` is
        undone by it where the catalog cannot be read before the drop (after a ``COMMIT`` on psycopg2)."""
        with self._quiet():
            made = self._database.type_definition(self.conn, name)
        if made is not None and (found := schema_object(made)) is not None:
            self._definitions()[found[1].key] = made

    def _own_tables(self, table: tuple[str | None, str] | None) -> bool:
        """Whether ``table`` is the ledger's own table or Alembic's version table: not the application's schema."""
        if table is None:
            return False
        own = self._own_names
        if own is None:  # both tables are set for the run: read once
            own = self._own_names = frozenset({
                (self.store.schema, self.store.table_name.casefold()),
                (self.migration_context.version_table_schema, self.migration_context.version_table.casefold())})
        return (table[0], table[1].casefold()) in own

    def _origin(self) -> Origin | None:
        """``file:line`` of the revision file's line that issued the current operation."""
        target = self._path
        if target is None:
            return None
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == target:
                return Origin(target, frame.f_code, frame.f_lasti)
            frame = frame.f_back  # type: ignore[assignment]
        return None

    def _run_on_own_table(self, original: Any, operations: Any, operation: Any, origin: Origin | None) -> Any:
        """Run an Alembic operation on the ledger's own table or the version table: noted, not recorded."""
        with self._capture(f"alembic {type(operation).__name__}"), self._alembic_work():
            result = original(operations, operation)
        self._note_own_tables(f"alembic {type(operation).__name__} on {operation.table_name}", origin)
        return result

    def _before_commit(self, _conn: Any) -> None:
        """A revision commits the connection itself (``op.get_bind().commit()``): the events of what
        it did so far are INSERTed first, so they commit with it whatever the rest of it does."""
        if (self.active or self._carry is not None) and self._unwritten:  # type: ignore[attr-defined]
            self._carry = None  # type: ignore[attr-defined]  # (versionrow.py) written now, with the commit
            self._write_events()

    def _note_own_tables(self, what: str, origin: Origin | None) -> None:
        """A revision changed the ledger's own table (a revision that works on every table it finds):
        noted by an event with no op, which a replay passes over (a replay's ledger table is its own)."""
        self._append(None, self._message(f"{OWN_TABLE} {what}: a change of schema-ledger's own table, "
                                         "not of the application's schema; not replayed"), origin)

    def _record_followed(self, ops: list[Any], text: str, item: Captured, origin: Origin | None) -> None:
        sql = " ".join(text.split())
        for number, op in enumerate(ops, start=1):
            part = f" ({number} of {len(ops)})" if len(ops) > 1 else ""
            prefix = (f"{SCHEMA_SQL} {item.source}{part}: " + (FOLLOWS_STATEMENT_ABOVE
                      if item.category == OTHER else f"folded from SQL: {sql}"))
            try:
                self._apply(op, origin, self._message(prefix))
            except AlembicHookError as exc:
                self._record_statement(text, item, origin, None, resync=True,
                                       note=f"the fold cannot follow it: verify --live shows the difference: {exc}")
                return

    def _table_digests(self, conn: Any, statement: str) -> tuple[Mapping[str, str], Sequence[int] | None] | None:
        """Each table's catalog digest now (``Database.table_digests``), of only the tables ``statement``
        can change where the database tells them before it runs (``Database.scoped_digests``), with those
        tables; None where the database has no such read (every table is then read). A read that fails
        raises, so that the SAVEPOINT around it (``_guarded``) is rolled back, not released."""
        with self._quiet():
            digests, scope = self._database.scoped_digests(conn, statement)
        return None if digests is None else (digests, scope)

    def _changed_tables(self, read: tuple[Mapping[str, str], Sequence[int] | None]) -> Mapping[str, frozenset[str] | None] | None:
        """The tables of the default schema (of those read) whose catalog digest differs from the one read
        before: made, dropped, renamed (both names) or changed since (None: not known, every table is read),
        each with what of it changed (``Database.digest_parts``; None: what the digests do not tell)."""
        before, scope = read
        with self._quiet():
            try:
                after = self._database.table_digests(self.conn, tables=scope)
            except sa.exc.DBAPIError:
                return None
        if after is None:
            return None
        return {name: self._database.digest_parts(before[name], after[name]) if name in before and name in after
                else None for name in {*before, *after} if before.get(name) != after.get(name)}

    def _unqualified(self, found: _Named) -> _Named:
        """``found`` (schema first) with the database's default schema as no schema: SQL that names
        it (``"public"."item"``) changes the table the ledger holds as ``item``, unless the ledger
        holds tables under that schema's name."""
        if found is None or found[0] is None:
            return found
        assert self.state is not None
        default = self.conn.dialect.default_schema_name
        if default is None or found[0].lower() != default.lower() or any(
                schema is not None and schema.lower() == default.lower() for schema, _ in self.state.tables):
            return found
        return (None, *found[1:])  # type: ignore[return-value]

    def _on_view(self, table: tuple[str | None, str] | None) -> bool:
        """Whether ``table``, a name the fold holds no table by, is a view or a materialized view of
        the database: what a statement does to it (an index on a materialized view) the fold holds
        nothing of, as of the view itself."""
        assert self.state is not None
        if table is None or self.state.has_table(table[1], table[0]):
            return False
        with self._quiet():
            inspector = sa.inspect(self.conn)
            names = list(inspector.get_view_names(schema=table[0]))
            try:
                names += inspector.get_materialized_view_names(schema=table[0])
            except NotImplementedError:
                pass
        return table[1].casefold() in {name.casefold() for name in names}

    def _record_on_view(self, text: str, item: Captured, origin: Origin | None, table: tuple[str | None, str]) -> None:
        """Record a statement on a view as SQL the fold does not model, with its reverse where known
        (an index made on it is dropped; the view's own reverse drops the view)."""
        index = created_index(text)
        reverse = None if index is None else self._database.drop_object_sql(
            "INDEX", index if table[0] is None or "." in index else f"{table[0]}.{index}")
        self._record_statement(text, item, origin, None, reverse=reverse,
                               note=f"on view {table[1]}, which the fold does not hold")

    def _holding_index(self, index: tuple[str | None, str] | None) -> tuple[str | None, str] | None:
        """``(schema, table)`` of the one table of the fold that holds an index (or a unique
        constraint) named ``index`` (case-blind); None when none or several do."""
        found = self._unqualified(index)
        if found is None:
            return None
        assert self.state is not None
        name = found[1].casefold()
        holding = [key for key, t in self.state.tables.items() if key[0] == found[0] and any(
            item.name is not None and item.name.casefold() == name for item in (*t.indexes, *t.uniques))]
        return holding[0] if len(holding) == 1 else None

    def _renamed(self, text: str, item: Captured, origin: Origin | None) -> bool:
        """Record ``ALTER TABLE a RENAME TO b`` (``RENAME [COLUMN] x TO y``) as the rename it is (a
        diff would see a table, a column, dropped and another made: a rollback would lose its
        data), when the fold then follows the live schema of the table."""
        assert self.state is not None
        found, column = self._unqualified(renamed_table(text)), self._unqualified(renamed_column(text))
        op: lops.MigrateOperation
        if found is not None and self.state.has_table(found[1], found[0]):
            schema, old, new = found
            op = lops.RenameTableOp(old, new, schema=schema)
        elif column is not None and self.state.has_table(column[1], column[0]):
            schema, new, old_column, new_column = column
            op = lops.AlterColumnOp(new, old_column, schema=schema, modify_name=new_column)
        else:
            return False
        try:
            after = op.apply(self.state)
        except Exception:  # noqa: BLE001 - the fold refuses it: the statement is followed by reflection
            return False
        saved = self.state
        self.state = after
        try:
            follow = self._follow_live((schema, new), renamed=op)
        except Exception:  # noqa: BLE001
            follow = None
        finally:
            self.state = saved
        if follow is None:
            return False
        self._apply(op, origin, self._message(f"{SCHEMA_SQL} {item.source}: folded from SQL: {' '.join(text.split())}"))
        if self._dangling:
            self._keys_now_valid((schema, new), origin)
        for number, extra in enumerate(follow, start=1):
            self._apply(extra, origin, self._message(
                f"{SCHEMA_SQL} {item.source} ({number} of {len(follow)} after the rename): the table as the database "
                f"holds it"))
        return True

    def _dropped(self, text: str, item: Captured, origin: Origin | None) -> bool:
        """Record ``DROP TABLE t`` as the drop it is, with the foreign keys of other tables that
        SQLite keeps dangling (a diff cannot drop a table other tables' keys refer to)."""
        found = self._unqualified(touched_tables(text))
        assert self.state is not None
        if found is None or not re.match(r"\s*DROP\s+TABLE\b", text, re.I) \
                or not self.state.has_table(found[1], found[0]):
            return False
        with self._quiet():
            if sa.inspect(self.conn).has_table(found[1], schema=found[0]):
                return False
        try:
            op = self.state.complete(lops.DropTableOp(found[1], schema=found[0]))
            self._apply(op, origin, self._message(f"{SCHEMA_SQL} {item.source}: folded from SQL: {' '.join(text.split())}"))
        except Exception:  # noqa: BLE001 - the statement is then followed by reflection
            return False
        return True

    def _reverse_sql(self, text: str) -> str | None:
        """The statement that undoes ``text`` when it creates, replaces or drops triggers, functions,
        procedures or views (:func:`ledger.integrations.alembic.sqlreverse.reverse_of`), else None.
        So a rollback takes a trigger away before the column it reads, as the downgrade would."""
        return reverse_of(text, self._definitions(), lambda obj: self._database.drop_object_sql(
            obj.kind, obj.name, table=obj.table, arguments=obj.arguments))

    def _definitions(self) -> dict[tuple[str, str], str | None]:
        """Each trigger, function, procedure and view the ledger's SQL text defines: its definition
        in force (None: dropped). Read from the ledger once per run, then kept up to date."""
        if self._defined is None:
            self._write_events()
            defined: dict[tuple[str, str], str | None] = {}
            with self._quiet():
                for event in self.store.events(self.conn, table_exists=True, op_type=lops.ExecuteSQLOp.op_tag):
                    if isinstance(event.op, lops.ExecuteSQLOp):
                        reverse_of(event.op.sqltext, defined, lambda obj: "")
            self._defined = defined
        return self._defined

    def _record_statement(self, text: str, item: Captured, origin: Origin | None, foreign: str | None, *,
                          note: str | None = None, resync: bool = False, reverse: str | None = None) -> None:
        if resync:
            prefix = f"{RESYNC} {item.source}: schema changed by SQL, the ledger does not follow it"
            self._resync_open = True
        elif foreign is not None:
            prefix = f"{NOT_MODELLED} {foreign}"
        elif item.category == DATA:
            prefix = f"{DATA_CHANGE} {item.source}"  # rows inserted by their key: deleted by it (seedrows.py)
            reverse = reverse if reverse is not None else seed_reverse(text, self.state, lambda schema, table: (  # a read
                self._database.zero_takes_next_id(self.conn, schema, table)), per_row=self._database.checks_foreign_keys_per_row)
        elif item.category == SCHEMA:
            prefix = f"{SCHEMA_SQL} {item.source}: schema changed by SQL, not modelled"
        else:
            prefix = f"{DATA_CHANGE} {item.source}: procedural SQL (it may change the schema too)"
        for extra in (item.note, note):
            if extra:
                prefix += f" ({extra})"
        op = lops.ExecuteSQLOp(text, reverse)
        event = self._append(op, self._message(prefix), origin, ddl=foreign is not None or item.category != DATA)
        if self.state is not None:
            self.state = op.apply(self.state)  # (a type's rename renames the type of its columns)
        if resync:
            # a re-sync that then records its change as ops makes it replayed by those ops alone
            self._unfollowed = (*self._unfollowed, event.seq)
