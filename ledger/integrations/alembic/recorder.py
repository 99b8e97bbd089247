"""The recorder of one migration context: runs each revision with its operations recorded."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa
from alembic.operations import ops as aops
from alembic.operations.batch import BatchOperationsImpl
from alembic.runtime.migration import MigrationContext
from sqlalchemy import event as sa_event

import ops as lops
from ops import InvalidOperationError, MigrateOperation, SchemaState

from ledger import dialects
from ledger.format.events import Actor, Event, fold_events, needs_resync
from ledger.storage.db import dialect_of
from ledger.storage.journal import Journal
from ledger.storage.store import LedgerStore
from ledger.integrations.alembic.base import (
    ADJUSTED, NOT_MODELLED, PARTIAL, AlembicHookError, Origin, Origins, Unrecordable, alembic_step_id, log,
)
from ledger.integrations.alembic.capture import Captured, Captures
from ledger.integrations.alembic_sql import OTHER, SCHEMA
from ledger.integrations.alembic.convert import (
    CONVERTERS,
    TYPE_CHECK,
    Unconverted,
    _NotModelled,
    built_by_alembic,
    in_default_schema, is_noop,
    replaced_in_rebuild, touched,
)
from ledger.integrations.alembic.fallback import FollowsLive
from ledger.integrations.alembic.folds import FoldsOps
from ledger.integrations.alembic.lock import AppliesLock
from ledger.integrations.alembic.names import ResolvesNames, as_compiled_names
from ledger.integrations.alembic.patch import ORIGINAL, RECORDERS, patch_alembic
from ledger.integrations.alembic.stored import RecordsStored, dropped_foreign_key
from ledger.integrations.alembic.unseen import hide, show
from ledger.integrations.alembic.versionrow import WritesWithVersion
from ledger.support.gcpause import set_aside
from ledger.support.quietwarn import silenced


class _Numbered(list):  # type: ignore[type-arg]
    """A batch block's list of queued entries that tells the recorder which entry its flush runs."""

    def __init__(self, entries: list[Any], recorder: Recorder) -> None:
        super().__init__(entries)
        self.recorder = recorder

    def __iter__(self) -> Iterator[Any]:
        for number, entry in enumerate(list.__iter__(self)):
            self.recorder._entry = number
            yield entry
        self.recorder._entry = None


class Recorder(AppliesLock, Captures, FoldsOps, FollowsLive, RecordsStored, ResolvesNames, WritesWithVersion):
    """Records one migration context's operations; see the package docstring."""

    def __init__(self, migration_context: MigrationContext, store: LedgerStore, *, message: str | None = None,
                 by: str | None = None) -> None:
        if migration_context.connection is None:
            raise AlembicHookError("the Alembic context has no connection: configure(connection=...) first")
        self.migration_context = migration_context
        self.conn: sa.Connection = migration_context.connection
        self.dialect = dialect_of(self.conn)
        self._database = dialects.database(self.dialect)
        self.store = store
        self.message = message
        self.actor = Actor.current(db_user=self.conn.engine.url.username, by=by)
        self.state: SchemaState | None = None
        #: every event recorded by this run, and where in a revision file each came from
        self.events: list[Event] = []
        self.origins = Origins()  # read as text: file:line
        self.resynced: set[int] = set()  # seqs of SQL marked for re-sync whose change a re-sync recorded
        self.active = False
        self.revision: str | None = None
        self.failed: str | None = None  # the revision whose upgrade() raised
        self._why: str | None = None
        self._direction = "upgrade"
        self._path: str | None = None  # the running revision's file, as Alembic names it (no Path made)
        self._buffer: list[Captured] | None = None
        #: what Alembic built to run the operation being converted (``convert.built_by_alembic``)
        self._built: dict[str, tuple[Any, Any]] = {}
        #: the SQL texts Alembic ran for the operation being converted (None: not known)
        self._ran: tuple[str, ...] | None = None
        #: DDL other connections of the migration's engine ran in this revision (recorded at its end)
        self._elsewhere: list[Captured] = []
        self._source: str | None = None
        #: the converted ops each batch block queued, recorded after its flush ran them; held by the
        #: block itself (weakly), never by its id(): a block that is never flushed (its ``with`` body
        #: raised) takes its ops with it, and a later block made at the same address starts empty
        self._pending: weakref.WeakKeyDictionary[BatchOperationsImpl, list[tuple[Any, Origin | None, range]]] = \
            weakref.WeakKeyDictionary()
        #: ops were recorded from a table read back whole (in a batch block: after the whole block ran)
        self._read_back = False
        #: the ops of a batch block are being recorded, and the statements passed to each are not
        #: its own (a rebuild ran the whole block as one, or none of its block's entries ran one)
        self._shared_statements = False
        #: the version table's heads as this run left them (None: not read yet)
        self._heads: frozenset[str] | None = None
        #: the SELECT of the version table's heads, compiled when first run
        self._heads_sql: str | None = None
        self._heads_select: sa.Select[Any] | None = None
        self._head: tuple[int, str] | None = None
        #: the newest event as this run last read or wrote it, under the lock (what the next one follows)
        self._last: Event | None = None
        #: SQLite's ``PRAGMA data_version`` as this run's previous revision read it under the lock
        self._data_version: int | None = None
        #: how many of ``events`` are committed (MySQL/MariaDB, where DDL commits on its own)
        self._committed = 0
        #: an operation was recorded only as what ran: the fold may not follow the live schema
        self._resync_open = False
        #: (table, referent) of foreign keys SQLite holds to a table that does not exist yet
        #: the triggers, functions and views the ledger's SQL text defines (read when first needed)
        self._defined: dict[tuple[str, str], str | None] | None = None
        self._dangling: set[tuple[tuple[str | None, str], tuple[str | None, str]]] = set()
        #: signs and anchors the head this run leaves (None: neither is configured)
        self.seal: Any = None
        #: events recorded in the revision's transaction and not yet INSERTed (see _append)
        self._unwritten: list[tuple[Event, Any]] = []
        #: the entry of a batch block's list that its flush is running (None: not in a flush)
        self._entry: int | None = None
        #: (statement, each table's catalog digest) read before a statement that names no table it changes
        self._before: tuple[str, Any] | None = None
        #: the ledger's table is left out of the tables the engine's dialect lists (unseen.py)
        self._hiding = False
        #: the journal that chains the events kept for the end of their revision (``_append``)
        self._deferring: Journal | None = None

    def install(self) -> None:
        patch_alembic()
        RECORDERS[self.migration_context] = self
        if not self._hiding:  # the migration lists the tables it lists without the hook (unseen.py)
            hide(self.conn.dialect, self.store.schema, self.store.table_name)
            self._hiding = True
        # one listener each side, on the engine: it sees the migration's connection and the others
        # the engine lends during the run (a listener call per statement each, where six were)
        sa_event.listen(self.conn.engine, "before_cursor_execute", self._before_statement, retval=True)
        sa_event.listen(self.conn.engine, "after_cursor_execute", self._after_statement)
        sa_event.listen(self.conn, "commit", self._before_commit)
        self._run_by(self.migration_context)

    def follow(self, migration_context: MigrationContext) -> None:
        """Record the run of ``migration_context`` instead: env.py configured this connection's context
        again after attaching (the earlier context runs nothing)."""
        RECORDERS.pop(self.migration_context, None)
        self.migration_context = migration_context
        self._heads_select = self._heads_sql = None  # its version table, read afresh
        RECORDERS[migration_context] = self
        self._run_by(migration_context)

    def _run_by(self, migration_context: MigrationContext) -> None:
        """Each revision ``migration_context`` runs goes through this recorder."""
        original = migration_context._migrations_fn
        if original is not None:
            migration_context._migrations_fn = self._wrap_migrations(original)
        callbacks = migration_context.on_version_apply_callbacks
        migration_context.on_version_apply_callbacks = (*callbacks, self._version_applied)

    def uninstall(self) -> None:
        RECORDERS.pop(self.migration_context, None)
        if self._hiding:
            show(self.conn.dialect, self.store.schema, self.store.table_name)
            self._hiding = False
        for target, name, listener in (
                (self.conn.engine, "before_cursor_execute", self._before_statement),
                (self.conn.engine, "after_cursor_execute", self._after_statement), (self.conn, "commit", self._before_commit)):
            if sa_event.contains(target, name, listener):
                sa_event.remove(target, name, listener)

    def _before_statement(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                          executemany: bool) -> tuple[str, Any]:
        """``before_cursor_execute`` (``retval=True``): the migration's connection's statements
        (capture.py, then versionrow.py), or another connection's of the engine."""
        if conn is self.conn:
            self._before_cursor(conn, cursor, statement, parameters, context, executemany)
            return self._before_version(conn, cursor, statement, parameters, context, executemany)
        self._before_elsewhere(conn, cursor, statement, parameters, context, executemany)
        return statement, parameters

    def _after_statement(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                         executemany: bool) -> None:
        """``after_cursor_execute``: as :meth:`_before_statement`."""
        if conn is self.conn:
            self._after_cursor(conn, cursor, statement, parameters, context, executemany)
            self._after_version(conn, cursor, statement, parameters, context, executemany)
        else:
            self._after_elsewhere(conn, cursor, statement, parameters, context, executemany)

    def _wrap_migrations(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def migrations(heads: Any, context: Any) -> Iterator[Any]:
            self._heads = frozenset(heads)
            # what the program made before the run (its imports, Alembic's, the hook's) is left out of
            # the collections the run's own objects set off, and given back to the collector after it
            with set_aside():
                try:
                    for step in fn(heads, context):
                        revision, doc, path = alembic_step_id(step)
                        if revision is not None:
                            direction = "upgrade" if step.is_upgrade else "downgrade"
                            step.migration_fn = self._recorded(step.migration_fn, revision, doc, direction, path)
                        yield step
                finally:
                    self.uninstall()

        return migrations

    def _recorded(self, fn: Callable[..., Any], revision: str, doc: str | None, direction: str,
                  path: str | None) -> Callable[..., Any]:
        """``fn`` (a revision's ``upgrade``/``downgrade``) run with its operations recorded: a function
        with ``fn``'s name and docstring (Alembic reads ``migration_fn.__name__`` for its log lines)."""
        def recorded(**kw: Any) -> None:
            self.run_revision(revision, doc, fn, direction=direction, path=path, **kw)

        return functools.update_wrapper(recorded, fn)

    def run_revision(self, revision: str, doc: str | None, fn: Callable[..., Any], *, direction: str = "upgrade",
                     path: str | None = None, **kw: Any) -> None:
        """Run one revision's ``upgrade()`` (or ``downgrade()``) with its operations recorded."""
        self.revision, self._why, self._direction, self._path = revision, doc, direction, path
        with silenced():  # the hook's own work warns nothing (the revision's warns as without the hook)
            self._begin_sqlite()
            if self._others_committed() or self.state is None:
                if not self._database.writes_in_with:
                    self._check_heads()  # else at the revision's end, in the statement of its events
                self._load()
        before = len(self.events)
        self.active = True
        self._buffer = []
        try:
            fn(**kw)
            with silenced():
                self._flush_captured()
                self._flush_elsewhere()
                self._resync()
                if len(self.events) == before:
                    self._append(None, self._message())  # the revision ran, and changed nothing
                self._note_revision(before)  # what Alembic knows of it, or what its downgrade recorded (lock.py)
                self._end_revision()  # its events: now, or with Alembic's version row (versionrow.py)
        except BaseException:
            self.failed = revision
            self._elsewhere.clear()
            self._unwritten.clear()  # their transaction rolls back with the revision's
            if not dialects.transactional_ddl(self.dialect) and self._committed > before:
                self._mark_partial()
            raise
        finally:
            self.active = False
            self._buffer = None
            self.revision = None

    def _load(self) -> None:
        """Fold the ledger, or fold it again when another writer appended since (SQLite between revisions)."""
        with self._quiet():
            first = self.state is None
            if not first:
                if not self._database.locks_per_transaction:
                    return  # the applier lock is held for the whole run: nobody else appended
                head = self.store.head(self.conn, table_exists=True)
                if (None if head is None else (head.seq, head.hash)) == self._head:
                    return
            self.store.create(self.conn)
            self.state = fold_events(self.store.events(self.conn, table_exists=True),
                                     dialects.empty_state(self.dialect))
            head = self.store.head(self.conn, table_exists=True)
            self._head = (head.seq, head.hash) if head is not None else None
            self._last = head
        if first and head is None:
            self._unadopted()

    def _message(self, prefix: str | None = None) -> str | None:
        why = self.message or self._why
        if self._direction == "downgrade":
            why = f"alembic downgrade of {self.revision}" + (f": {why}" if why else "")
        if prefix is None:
            return why
        return f"{prefix} -- {why}" if why else prefix

    def _append(self, op: MigrateOperation | None, message: str | None, origin: Origin | None = None, *,
                ddl: bool = True, kind: str = "apply", payload: str | None = None) -> Event:
        """Append one event; on MySQL/MariaDB an event that follows DDL is committed at once.

        MySQL and MariaDB commit each DDL statement on its own, so the change is already
        permanent: committing its event now keeps the ledger with the schema if the revision
        fails later (Alembic then rolls back only the data work since the last DDL, with its
        events). An event of data work stays in the transaction of the data it records.

        Where DDL is transactional (PostgreSQL, SQLite) and the revision runs in a transaction,
        the events are INSERTed together at the end of the revision, in one round trip, inside
        its transaction (before Alembic writes its version row and commits), as ``apply`` writes
        a revision's events: they commit with the DDL or not at all. They are written at once
        where a statement runs outside the transaction (``autocommit_block()``, an AUTOCOMMIT
        connection), and before the hook reads the ledger.
        """
        with self._quiet():
            # DDL the driver ran outside any transaction (pysqlite, after a revision's own commit) is permanent
            driver = self.conn.connection.dbapi_connection  # type: ignore[union-attr]
            permanent = ddl and getattr(driver, "in_transaction", True) is False
            deferred = self._defers() and not permanent
            if not deferred:
                self._write_events()
            if deferred:
                # one journal keeps the run's deferred events (each taken from it at once): made once
                journal = self._deferring
                if journal is None or journal.conn is not self.conn:
                    journal = self._deferring = Journal(self.conn, self.store, self.actor, deferred=True)
                journal.head = self._last
            else:
                journal = Journal(self.conn, self.store, self.actor, head=self._last)
            event = journal.record(kind, op, revision=self.revision, message=message, payload=payload)
            self._unwritten.extend(journal.pending)
            journal.pending.clear()
            if ddl and (permanent or not dialects.transactional_ddl(self.dialect)):
                self.conn.connection.dbapi_connection.commit()  # type: ignore[union-attr]  # an async driver's adapter too
                self._committed = len(self.events) + 1
        self._head = (event.seq, event.hash)
        self._last = event
        self.events.append(event)
        if origin:
            self.origins[event.seq] = origin
        return event

    def _defers(self) -> bool:
        """Whether an event may wait for the end of its revision: DDL is transactional here and
        the revision runs inside a transaction (not in ``autocommit_block()``, not AUTOCOMMIT)."""
        return (self._database.transactional_ddl and self.conn.in_transaction()
                and self.conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT")

    def _write_events(self, *, check_heads: bool = False) -> None:
        """INSERT the events kept for the end of the revision; ``check_heads``: and check the version table (lock.py)."""
        if not self._unwritten:
            return self._check_heads(ran=True) if check_heads else None
        journal = Journal(self.conn, self.store, self.actor, deferred=True)
        journal.pending.extend(self._unwritten)
        self._unwritten.clear()
        read = self._heads_query() if check_heads and self._heads is not None else None
        with self._quiet():
            rows = journal.flush(read=read)
        if check_heads:
            self._check_heads(None if rows is None else frozenset(row[0] for row in rows), ran=True)

    def _mark_partial(self) -> None:
        """Record that a revision failed on MySQL/MariaDB after some of its DDL ran (and stayed).

        Alembic's version table does not name the revision, but its DDL and their events are
        committed: this event says so in ``log`` and ``status``. Data work since the revision's
        last DDL is rolled back first, as Alembic would roll it back.
        """
        message = (f"{PARTIAL} alembic revision {self.revision} failed after part of it ran: MySQL/MariaDB "
                   f"committed its DDL, recorded by the events above; Alembic's version table does not name it")
        driver = self.conn.connection.dbapi_connection  # type: ignore[union-attr]
        try:
            driver.rollback()
            self._last = self.store.head(self.conn)  # the rollback took back events after the last DDL
            self._append(None, message)
        except Exception:  # noqa: BLE001 - the revision's own error is the one to report
            log.warning("schema-ledger: could not record that revision %s stopped partway", self.revision)

    def invoke(self, operations: Any, operation: Any) -> Any:
        """Run ``operation`` as Alembic does, then record it."""
        original = ORIGINAL["invoke"]
        if self._unwritten and not self._defers():
            self._write_events()  # Alembic committed (autocommit_block): the events of what it committed
        self._flush_captured()
        origin = self._origin()
        if isinstance(operation, aops.ExecuteSQLOp) and self._own_transaction_sql(operation):
            return None  # the revision's BEGIN: the transaction the hook opened for it
        if isinstance(operation, (aops.ExecuteSQLOp, aops.BulkInsertOp)):
            source = "op.execute" if isinstance(operation, aops.ExecuteSQLOp) else "op.bulk_insert"
            with self._capture(source) as captured, self._alembic_work():
                result = original(operations, operation)
            self._record_statements(captured, origin=origin)
            return result
        recorded = in_default_schema(operation)
        if self._own_tables(touched(recorded)):
            return self._run_on_own_table(original, operations, operation, origin)
        convert = CONVERTERS.get(type(operation))
        if convert is None:
            return self._run_foreign(operations, operation, origin)
        impl = getattr(operations, "impl", None)
        batch = isinstance(impl, BatchOperationsImpl)
        first = len(impl.batch) if batch else 0  # type: ignore[union-attr]
        with self._capture(f"alembic {type(operation).__name__}") as captured:
            with self._alembic_work(), built_by_alembic(operation) as built:
                result = original(operations, operation)
        # the entries of the block's list that this operation queued: its statements in the flush
        entries = range(first, len(impl.batch)) if batch else range(0)  # type: ignore[union-attr]
        what = f"alembic {type(operation).__name__} on {getattr(operation, 'table_name', None) or '?'}"
        try:
            self._built = built if recorded is operation else {}  # what Alembic built with "" is built again
            self._ran = tuple(text for item in captured for text in item.texts)
            converted = convert(recorded, result, self)
        except _NotModelled as exc:
            self._record_statements(captured, origin=origin, foreign=f"{type(operation).__name__}: {exc}")
            return result
        except Exception as exc:  # noqa: BLE001 - recording never breaks a migration Alembic completed
            if batch:
                # Inside a batch block nothing has run yet: the table is reflected after the flush.
                self._pending.setdefault(impl, []).append(
                    (Unconverted(what, touched(recorded), exc), origin, entries))
            else:
                self._fall_back(what, touched(recorded), exc, origin, captured)
            return result
        finally:
            self._built, self._ran = {}, None
        converted = [as_compiled_names(op, self.conn.dialect) for op in converted]
        if batch:
            # Inside a batch block nothing has run yet: the ops are recorded after the flush.
            self._pending.setdefault(impl, []).extend((op, origin, entries) for op in converted)
        else:
            self._record_exactly(converted, what, touched(recorded), origin, captured)
        return result

    def _record_exactly(self, converted: list[MigrateOperation], what: str, table: tuple[str | None, str] | None,
                        origin: Origin | None, captured: list[Captured]) -> bool:
        """Record ``converted``; when the fold refuses them, record what the database holds instead
        (then True)."""
        try:
            self._record_ops(converted, origin, captured)
        except (AlembicHookError, sa.exc.DBAPIError) as exc:
            if not isinstance(exc, Unrecordable):
                raise  # another run moved the version table, the database failed: not a recording matter
            self._note_dangling(converted)
            self._fall_back(what, table, exc.__cause__ or exc, origin, captured)
            return True
        except Exception as exc:  # noqa: BLE001 - recording never breaks a migration Alembic completed
            self._fall_back(what, table, exc, origin, captured)
            return True
        return False

    def _run_foreign(self, operations: Any, operation: Any, origin: Origin | None) -> Any:
        name = type(operation).__name__
        with self._capture(f"alembic {name}") as captured:
            with self._alembic_work():
                result = ORIGINAL["invoke"](operations, operation)
        what = f"alembic {name} on {getattr(operation, 'table_name', None) or '?'}"
        if captured:
            self._record_statements(captured, origin=origin, foreign=what)
        else:
            self._append(lops.ExecuteSQLOp(dialects.unrendered_sql("", f"{what}: ran inside a batch block or emitted no SQL")),
                         self._message(f"{NOT_MODELLED} {what}"), origin)
        return result

    def flush_batch(self, impl: BatchOperationsImpl) -> None:
        self._flush_captured()
        try:
            # recreate="always" rebuilds the table even with no op in the block (table_kwargs)
            rebuilt = impl._should_recreate()
        except Exception:  # noqa: BLE001 - Alembic's private test; without it the table is not looked at again
            rebuilt = False
        if not rebuilt:
            impl.batch = _Numbered(impl.batch, self)  # each statement is told which entry ran it
        # The block's ops are its own: taken now, so that a flush that fails leaves none of them behind.
        pending = replaced_in_rebuild(self.state, self._pending.pop(impl, []), rebuilt)
        what = f"alembic batch_alter_table({impl.table_name})"
        try:
            with self._capture(what) as captured:
                with self._alembic_work():
                    try:
                        ORIGINAL["flush"](impl)
                    finally:
                        self._entry = None
        except Exception as exc:
            # The migration may catch the error and go on: what ran of the block is recorded as
            # the table the database now holds (none of the block's ops ran as declared).
            ran = [item for item in captured if item.category in (SCHEMA, OTHER)]
            if ran:
                try:
                    self._fall_back(what, (impl.schema, impl.table_name), exc, None, ran)
                except Exception:  # noqa: BLE001 - the migration's own error is the one to report
                    log.warning("schema-ledger: revision %s: %s failed, and what it ran could not be recorded",
                                self.revision, what)
            raise
        # Without a rebuild each operation runs the entries it queued: its own statements are those
        # (what it ran is recorded for it, not the whole flush); a rebuild runs them all as one.
        numbered = any(item.entry is not None for item in captured)
        start = len(self.events)
        try:
            for op, origin, entries in pending:
                own = [item for item in captured if item.entry in entries] if numbered else captured
                self._shared_statements = not (numbered and own)
                self._read_back = False
                if isinstance(op, Unconverted):
                    self._fall_back(op.what, op.table, op.error, origin, own)
                elif not self._record_exactly([op], what, (impl.schema, impl.table_name), origin, own) \
                        and not self._read_back:
                    continue
                # The table was read after the whole block ran: what the block's later ops did is in
                # what was recorded from it (recording them too would record each change twice).
                break
        finally:
            self._shared_statements = False
        if rebuilt:
            marked = any(needs_resync(event.message) for event in self.events[start:])
            self._rebuilt_as_held(impl.schema, impl.table_name, [] if marked else captured)

    def _rebuilt_as_held(self, schema: str | None, table: str, captured: list[Captured]) -> None:
        """Record what a batch rebuild changed beyond the block's ops: Alembic makes the table again
        from its reflection, which loses what SQLAlchemy does not reflect (an index's ``DESC``).

        When no list of ops leads the fold there (or reading it back fails), the rebuild's
        statements are recorded as what ran, marked ``[needs re-sync]`` (``_needs_resync``), unless
        an op of the block already recorded them so (``captured`` empty)."""
        what = f"alembic batch_alter_table({table})"
        try:
            self._lost_in_rebuild(schema, table)
            follow = self._follow_rebuilt(schema, table)
        except Exception as exc:  # noqa: BLE001 - recording never breaks a migration Alembic completed
            reason = f"reading the rebuilt table back failed: {' '.join(str(exc).split()) or type(exc).__name__}"
            follow = None
        else:
            reason = "no list of operations leads the ledger to the table the rebuild made"
        for op in follow or ():
            try:
                self._apply(op, None, self._message(
                    f"{ADJUSTED} the batch rebuild of {table} made it again as the database now holds it"))
            except Exception as exc:  # noqa: BLE001
                reason = f"recording the rebuilt table failed: {' '.join(str(exc).split()) or type(exc).__name__}"
                follow = None
                break
        if follow is None and captured:
            self._needs_resync(what, reason, None, captured)

    def _record_ops(self, converted: list[MigrateOperation], origin: Origin | None,
                    captured: list[Captured]) -> None:
        assert self.state is not None
        for op in converted:
            if is_noop(op, self.state) or (op.info.get(TYPE_CHECK) and self._holds_check(op)):
                continue
            if isinstance(op, lops.AlterColumnOp) and not op.has_changes():
                # nothing Alembic's op names; MySQL/MariaDB's MODIFY restated the column all the same
                if self._database.restates_altered_columns and self.state.has_table(op.table_name, op.schema):
                    self._restated(op, origin)
                continue
            if self._database.indexes_foreign_keys and isinstance(op, lops.CreateForeignKeyOp):
                self._adopt_kept_index(op, origin)
            if isinstance(op, lops.DropConstraintOp) and op.type_ == "primary" and not self._database.names_primary_keys:
                op = self._the_primary_key(op)
            try:
                completed = self.state.complete(op)
            except InvalidOperationError as exc:
                if op.info.get(TYPE_CHECK):
                    # The CHECK of a column's old type, which the ledger does not hold: the drop ran no
                    # statement of its own (MySQL/MariaDB skip it), and the statements captured are the
                    # ALTER's, with the new type's ADD CHECK, recorded by the ops that follow.
                    log.debug("schema-ledger: revision %s: %s: the ledger does not hold it; nothing recorded",
                              self.revision, op.describe())
                    continue
                twin = self._unique_twin(op)
                if twin is None and self._dropped_with_its_key(op):
                    continue
                if twin is None and isinstance(op, (lops.DropConstraintOp, lops.DropIndexOp)):
                    # Alembic dropped something the ledger never held (an exclude constraint, ...):
                    # recorded as the statements that dropped it (in a batch block run as ALTERs, those
                    # of its own entries); when a rebuild dropped it with the block's other changes,
                    # the table is read back after the block.
                    if self._shared_statements:
                        raise Unrecordable(f"{op.describe()}: the ledger does not hold it, and a batch "
                                           f"block dropped it with its other changes") from exc
                    self._record_statements(captured, origin=origin,
                                            foreign=f"{op.describe()}, which the ledger does not hold ({exc})")
                    continue
                if twin is None:
                    raise self._error(op.describe(), exc, origin) from exc
                op, completed = twin, self.state.complete(twin)
            resolved = self._resolve_names(completed)
            if resolved is None:
                continue  # the database shows nothing of it
            completed = resolved
            completed = self._type_checks_as_held(self._stored_checks(self._stored_defaults(completed)))
            completed = self._stored_autoincrement(completed, origin)
            if self._database.indexes_foreign_keys:
                completed = self._foreign_key_indexes(completed, origin)
            if self._database.shares_named_enums:
                completed = self._existing_enums(completed)
                self._made_types(completed, origin, captured)
            if self._database.prefixes_text_indexes and isinstance(completed, lops.CreateIndexOp):
                completed = self._as_indexed(completed)
            if isinstance(completed, lops.AlterColumnOp) and not self._database.restates_altered_columns \
                    and _native_enum(completed.modify_type):
                kept = self._without_kept_type(completed)
                if kept is None:
                    log.debug("schema-ledger: revision %s: %s: the database kept the column as it was; nothing recorded",
                              self.revision, completed.describe())
                    continue
                completed = kept
            dropped = dropped_foreign_key(completed, self.state) if self._database.indexes_foreign_keys else None
            self._apply(completed, origin)
            if dropped is not None:
                self._keep_what_stayed(completed, dropped, origin)
            if self._database.restates_altered_columns and isinstance(completed, lops.AlterColumnOp):
                self._restated(completed, origin)
            elif isinstance(completed, lops.AlterColumnOp) and _native_enum(completed.modify_type):
                self._kept_type(completed, origin)
            if self._database.indexes_foreign_keys and isinstance(completed, (
                    lops.CreateIndexOp, lops.CreateUniqueConstraintOp, lops.CreatePrimaryKeyOp, lops.CreateForeignKeyOp)):
                self._replaced_kept_index(completed, origin)
            if self._database.renames_foreign_keys_with_tables and isinstance(completed, lops.RenameTableOp):
                self._renamed_keys(completed, origin)
            if isinstance(completed, lops.DropColumnOp) and completed._dependents \
                    and not getattr(self._database, "drops_what_uses_a_column", False):  # (PostgreSQL's)
                self._kept_with_column(completed, origin)
            if isinstance(completed, lops.CreateTableOp) and self._dangling:
                self._keys_now_valid(completed.table.key, origin)
            elif isinstance(completed, lops.RenameTableOp) and self._dangling:
                self._keys_now_valid((completed.schema, completed.new_table_name), origin)


def _native_enum(type_: lops.TypeSpec | None) -> bool:
    """``type_`` is an ``Enum`` the database may keep as a type of its own (PostgreSQL's named ENUM);
    a non-native one (``native_enum=False``) is a string column, changed as declared."""
    return type_ is not None and type_.name == "Enum" and type_.kw.get("native_enum", True) is not False
