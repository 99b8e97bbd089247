"""Record what Alembic runs in the ledger of the database it changes: one call in ``env.py``.

::

    context.configure(connection=connection, target_metadata=target_metadata)
    ledger.alembic.attach(context)
    with context.begin_transaction():
        context.run_migrations()

How it works. Alembic's ``Operations.invoke`` (every ``op.*`` call) and its batch flush are
wrapped once per process; they act only for migration contexts that :func:`attach` was called
with. Each Alembic operation runs exactly as Alembic runs it; after it succeeds it is turned
into the ops vocabulary (from the SQLAlchemy objects Alembic built), completed from the fold
of the ledger, and appended as an ``apply`` event on the same connection, so it commits or
rolls back with Alembic's own transaction. Batch blocks are recorded as their logical ops
after the block ran. Statements a migration runs by other means (``op.execute``,
``op.bulk_insert``, ``op.get_bind().execute(...)``) are captured at the cursor after they
succeed and recorded as irreversible ``execute`` events whose message starts with
``[data change]``. DDL among them (``op.execute("ALTER TABLE ...")``) is folded: the tables it
changed are reflected and the difference from the fold is recorded as ordinary, reversible
ops. Operations the vocabulary lacks are recorded as irreversible ``execute`` events holding
their SQL, with a message starting ``[not in vocabulary]``.

The applier lock. :func:`attach` takes the lock ``schema-ledger apply`` takes before Alembic
reads its version table, and each revision checks that table and the ledger's head under it,
so concurrent runs on one database do not interleave. On MySQL/MariaDB, where each DDL
statement commits on its own, the event of each DDL is committed with it.

Names the database chooses. A constraint Alembic creates without a name gets its name from
the database (PostgreSQL ``t_pkey``, ``t_x_fkey``, ...). The hook reads that name back after
the operation ran, so that the fold holds the names later revisions drop. Where the database
keeps no name (SQLite), the fold uses the default naming convention, as reflection does.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import sys
import warnings
import weakref
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

#: What the hook and import-alembic say when Alembic is not installed.
MISSING_ALEMBIC = "the Alembic hook and import-alembic need Alembic: pip install 'schema-ledger[alembic]'"

try:
    import alembic  # noqa: F401
except ModuleNotFoundError:
    raise ModuleNotFoundError(MISSING_ALEMBIC, name="alembic") from None

from alembic.operations import ops as aops  # noqa: E402
from alembic.operations.base import AbstractOperations as AlembicAbstractOperations
from alembic.operations.batch import BatchOperationsImpl
from alembic.runtime.migration import MigrationContext
from alembic.util import CommandError
from sqlalchemy import event as sa_event
from sqlalchemy.types import TypeDecorator

import ops as lops
from ops import InvalidOperationError, LedgerError, MigrateOperation, SchemaState
from ops.names import kind_of, name_rule
from ops.specs import (
    DEFAULT_NAMING_CONVENTION,
    CheckSpec,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableSpec,
    UniqueSpec,
    conventional_name,
    named,
)

from ledger import dialects
from ledger.integrations.alembic_sql import (
    DATA,
    OTHER,
    READ,
    SCHEMA,
    UnrenderableStatement,
    changes_no_table,
    classify,
    render_statements,
    touched_tables,
)
from ledger.inspect.drift import adopt_names, drift, without_foreign_key_indexes
from ledger.schema.comparison import _normalize_column
from ledger.schema.sqltext import canonical_sql, sqlite_unique_constraints
from ledger.schema.diff import diff
from ledger.storage.db import dialect_of
from ledger.format.events import RESYNC, RESYNCED, Actor, Event, fold_events
from ledger.schema.reflect import normalize, reflect, without_type_checks
from ledger.storage.journal import Journal
from ledger.storage.store import LedgerStore, LockTimeout

__all__ = [
    "DATA_CHANGE",
    "NOT_MODELLED",
    "PARTIAL",
    "REFLECTED",
    "RESYNC",
    "RESYNCED",
    "AlembicHookError",
    "Recorder",
    "attach",
    "is_data_change",
]

log = logging.getLogger("schema_ledger.alembic")

#: Message prefixes of the ``execute`` events the hook records.
DATA_CHANGE = "[data change]"
NOT_MODELLED = "[not in vocabulary]"
SCHEMA_SQL = "[schema SQL]"
ADJUSTED = "[adjusted]"
PARTIAL = "[partial]"
#: An operation recorded as what the database holds after it (reflected), not as Alembic described it.
REFLECTED = "[reflected]"

#: Names given to constraints created without one until the database's own name is read back.
PLACEHOLDER = "sl_unnamed__"
_PLACEHOLDER_CONVENTION: Mapping[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": PLACEHOLDER + "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": PLACEHOLDER + "ck_%(table_name)s_%(constraint_name)s",
    "fk": PLACEHOLDER + "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": PLACEHOLDER + "pk_%(table_name)s",
}


class AlembicHookError(LedgerError, CommandError, RuntimeError):
    """An operation Alembic ran cannot be recorded consistently (the message names the revision).

    A ``CommandError`` too, so that the ``alembic`` command prints it as one ``FAILED:`` line.
    """


class _Unrecordable(AlembicHookError):
    """An operation the database accepted that the fold refuses as converted."""


def is_data_change(event: Event) -> bool:
    """True for the ``execute`` events that hold data work a migration did."""
    return event.op_type == "execute" and (event.message or "").startswith(DATA_CHANGE)


# ---------------------------------------------------------------------------------------------
# Installing the hook
# ---------------------------------------------------------------------------------------------

_RECORDERS: weakref.WeakKeyDictionary[MigrationContext, Recorder] = weakref.WeakKeyDictionary()
_ORIGINAL: dict[str, Callable[..., Any]] = {}
#: Modules whose frames a warning skips (SQLAlchemy skips its own and Alembic's; the hook's too).
_NOT_USER_CODE = re.compile(r"^(?:sqlalchemy\.|alembic\.|ledger\.)")
_SHOWN_WARNINGS: dict[Any, Any] = {}


@contextlib.contextmanager
def _warnings_as_without_hook(recorder: Any) -> Iterator[None]:
    """Alembic prints what it prints without the hook: a warning from Alembic's own work (a batch
    reflection's SAWarning) is shown where SQLAlchemy shows it without the hook; the hook's own
    warnings (its reflections) are not shown."""
    saved, kept = recorder._alembic_warnings, []
    recorder._alembic_warnings = kept
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        recorder._alembic_warnings = saved
        if kept:
            frame: Any = sys._getframe(0)
            while frame is not None and _NOT_USER_CODE.match(frame.f_globals.get("__name__", "")):
                frame = frame.f_back
            for caught in kept:
                where = (caught.filename, caught.lineno) if frame is None else (frame.f_code.co_filename,
                                                                                  frame.f_lineno)
                # once per place, as Python's default filter does (catch_warnings resets its registries);
                # a change of the filters (the migration's own) resets them, as it does for Python
                filters = tuple(warnings.filters)
                if _SHOWN_WARNINGS.get("filters") != filters:
                    _SHOWN_WARNINGS.clear()
                    _SHOWN_WARNINGS["filters"] = filters
                key = (str(caught.message), caught.category, *where)
                if key in _SHOWN_WARNINGS:
                    continue
                _SHOWN_WARNINGS[key] = True
                warnings.warn_explicit(caught.message, caught.category, *where,
                                       module=None if frame is None else frame.f_globals.get("__name__"),
                                       module_globals=None if frame is None else frame.f_globals)


def _patch_alembic() -> None:
    """Wrap Alembic's op dispatch and batch flush once; unattached contexts run unchanged."""
    if _ORIGINAL:
        return
    _ORIGINAL["invoke"] = AlembicAbstractOperations.invoke
    _ORIGINAL["flush"] = BatchOperationsImpl.flush

    def invoke(self: Any, operation: Any) -> Any:
        recorder = _RECORDERS.get(self.migration_context)
        if recorder is None or not recorder.active:
            return _ORIGINAL["invoke"](self, operation)
        with _warnings_as_without_hook(recorder):
            return recorder.invoke(self, operation)

    def flush(self: BatchOperationsImpl) -> None:
        recorder = _RECORDERS.get(self.operations.migration_context)
        if recorder is None or not recorder.active:
            _ORIGINAL["flush"](self)
            return
        with _warnings_as_without_hook(recorder):
            recorder.flush_batch(self)

    AlembicAbstractOperations.invoke = invoke  # type: ignore[method-assign]
    BatchOperationsImpl.flush = flush  # type: ignore[method-assign]


def attach(context: Any, *, table_name: str = "schema_ledger", message: str | None = None,
           by: str | None = None, lock_timeout: float = 60.0, sign_key: str | None = None,
           anchor: str | Path | None = None) -> Recorder | None:
    """Record every operation of this Alembic run in the ledger table ``table_name``.

    Call once in ``env.py`` after ``context.configure(connection=...)`` and before
    ``context.run_migrations()``. ``message`` is recorded as the why of every event (default:
    each revision's message); ``by`` names who asked for the change (default
    ``$SCHEMA_LEDGER_BY``). In offline (``--sql``) mode nothing runs, so nothing is recorded.

    The applier lock that ``schema-ledger apply`` takes is taken here, before Alembic reads its
    version table, and held until the connection goes back to its pool (after Alembic's
    commit): a second ``alembic upgrade`` (or ``schema-ledger apply``) on the same database
    waits up to ``lock_timeout`` seconds, then reads where the first one left the database.

    The ``plugins`` of the project's configuration (``schema-ledger.toml`` or
    ``[tool.schema-ledger]`` found from the working folder up) are imported first, so that a
    ledger holding plugin operations can be read.

    ``sign_key`` (default ``$SCHEMA_LEDGER_SIGNING_KEY``: a path or the PEM text) signs the head
    this run leaves with a checkpoint event; ``anchor`` (default ``$SCHEMA_LEDGER_ANCHOR``) gets
    the head appended (docs/audit.md). Both happen when the connection goes back to its pool.
    """
    _load_plugins()
    migration_context = context.get_context() if hasattr(context, "get_context") else context
    if migration_context.as_sql:
        log.warning("schema-ledger: offline (--sql) mode: operations are not recorded")
        return None
    recorder = Recorder(migration_context, LedgerStore(table_name), message=message, by=by)
    recorder.seal = _seal(recorder, sign_key, anchor)
    recorder.lock(lock_timeout)
    recorder.install()
    return recorder


def _load_plugins() -> None:
    from ledger.project.config import find_config, load_config, load_plugins

    path = find_config()
    if path is not None:
        load_plugins(load_config(path))


def _seal(recorder: Recorder, sign_key: str | None, anchor: str | Path | None) -> Any:
    import os

    from ledger.storage.seal import ANCHOR_ENV, KEY_ENV, Seal, database_identity, load_private_key

    key_text = sign_key or os.environ.get(KEY_ENV) or None
    anchor_text = anchor or os.environ.get(ANCHOR_ENV) or None
    if key_text is None and anchor_text is None:
        return None
    key = load_private_key(str(key_text), where="sign_key") if key_text is not None else None
    url = recorder.conn.engine.url.render_as_string(hide_password=True)
    return Seal(database_identity(url, recorder.store.fullname), key=key,
                anchor=Path(anchor_text) if anchor_text is not None else None)


# ---------------------------------------------------------------------------------------------
# The recorder
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class _Captured:
    """Statements that one execution ran, rendered as SQL texts."""

    texts: tuple[str, ...]
    category: str
    source: str
    note: str | None = None


def _alembic_step_id(step: Any) -> tuple[str | None, str | None, Path | None]:
    revision = getattr(step, "revision", None)
    if revision is None:
        return None, None, None
    path = getattr(revision, "path", None)
    return revision.revision, revision.doc, Path(path) if path else None


class Recorder:
    """Records one migration context's operations; see the module docstring."""

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
        self.origins: dict[int, str] = {}
        self.active = False
        self.revision: str | None = None
        self._why: str | None = None
        self._direction = "upgrade"
        self._path: Path | None = None
        self._buffer: list[_Captured] | None = None
        #: the warnings Alembic's own work gave in the op being run (shown as without the hook)
        self._alembic_warnings: list[warnings.WarningMessage] | None = None
        self._source: str | None = None
        self._pending: dict[int, list[tuple[MigrateOperation, str | None]]] = {}
        #: the version table's heads as this run left them (None: not read yet)
        self._heads: frozenset[str] | None = None
        self._head: tuple[int, str] | None = None
        #: the newest event as this run last read or wrote it, under the lock (what the next one follows)
        self._last: Event | None = None
        #: how many of ``events`` are committed (MySQL/MariaDB, where DDL commits on its own)
        self._committed = 0
        #: an operation was recorded only as what ran: the fold may not follow the live schema
        self._resync_open = False
        #: (table, referent) of foreign keys SQLite holds to a table that does not exist yet
        self._dangling: set[tuple[tuple[str | None, str], tuple[str | None, str]]] = set()
        #: signs and anchors the head this run leaves (None: neither is configured)
        self.seal: Any = None

    # -- the applier lock ------------------------------------------------------------------------

    def lock(self, timeout: float) -> None:
        """Take the applier lock for this run (see :func:`attach`).

        PostgreSQL and MySQL/MariaDB: the session lock of ``LedgerStore.lock``, on a connection
        of its own (the migration connection's transactions are Alembic's), released when the
        migration connection is returned to its pool. SQLite: each of the run's transactions
        starts with ``BEGIN IMMEDIATE``, waiting up to ``timeout`` for the write lock; this one
        starts now, so that Alembic reads its version table under it.
        """
        what = f"the applier lock on {self.store.fullname}"
        if dialects.database(self.dialect).locks_per_transaction:
            with self.store.lock(self.conn, timeout):
                pass  # sets busy_timeout: BEGIN IMMEDIATE waits that long
            self._begin_sqlite(now=True)
            if self.seal is not None:
                self._seal_at_checkin()
            return
        lock_conn = self.conn.engine.connect()
        held = contextlib.ExitStack()
        held.callback(lock_conn.close)
        try:
            held.enter_context(self.store.lock(lock_conn, timeout))
        except LockTimeout as exc:
            held.close()
            raise AlembicHookError(f"schema-ledger: {exc}") from None
        except BaseException:
            held.close()
            raise
        driver = self.conn.connection.dbapi_connection
        engine = self.conn.engine

        def release(dbapi_connection: Any, record: Any) -> None:
            # The listener stays (no listener may be removed while its event runs) and does nothing after.
            if dbapi_connection is not driver or not held_open:
                return
            held_open.clear()
            if self.seal is not None and self.events:
                self._sealed(lock_conn)
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                held.close()
            log.debug("schema-ledger: released %s", what)

        held_open = [True]

        sa_event.listen(engine, "checkin", release)

    def _sealed(self, conn: sa.Connection) -> None:
        """Sign and anchor the head this run left (its events are committed); a failure is logged."""
        try:
            self.seal.finish(conn, self.store, None)
        except (sa.exc.SQLAlchemyError, LedgerError) as exc:
            log.error("schema-ledger: the head was not signed or anchored: %s", " ".join(str(exc).split())[:500])

    def _seal_at_checkin(self) -> None:
        """SQLite: sign and anchor on a connection of its own once the migration connection is returned."""
        driver = self.conn.connection.dbapi_connection
        engine = self.conn.engine
        pending = [True]

        def seal(dbapi_connection: Any, record: Any) -> None:
            if dbapi_connection is not driver or not pending or not self.events:
                return
            pending.clear()
            with contextlib.closing(engine.connect()) as conn:
                self._sealed(conn)

        sa_event.listen(engine, "checkin", seal)

    def _check_heads(self) -> None:
        """Stop when another run moved Alembic's version table since this run read it."""
        if self._heads is None:
            return
        with self._quiet():
            # The version table is there once a run began (Alembic makes it first): read it
            # directly, without get_current_heads' look in the catalog for it each revision.
            version = self.migration_context._version
            found = frozenset(row[0] for row in self.conn.execute(sa.select(version.c.version_num)))
        if found != self._heads:
            raise AlembicHookError(
                f"alembic revision {self.revision}: another run migrated this database meanwhile (its version "
                f"table holds {_show_heads(found)}, this run expected {_show_heads(self._heads)}); this revision "
                f"did not run: run the command again")

    def _version_applied(self, ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
        if self._heads is not None:
            self._heads = frozenset(heads)

    # -- lifecycle -------------------------------------------------------------------------------

    def install(self) -> None:
        _patch_alembic()
        _RECORDERS[self.migration_context] = self
        sa_event.listen(self.conn, "after_cursor_execute", self._after_cursor)
        original = self.migration_context._migrations_fn
        if original is not None:
            self.migration_context._migrations_fn = self._wrap_migrations(original)
        callbacks = self.migration_context.on_version_apply_callbacks
        self.migration_context.on_version_apply_callbacks = (*callbacks, self._version_applied)

    def uninstall(self) -> None:
        _RECORDERS.pop(self.migration_context, None)
        if sa_event.contains(self.conn, "after_cursor_execute", self._after_cursor):
            sa_event.remove(self.conn, "after_cursor_execute", self._after_cursor)

    def _wrap_migrations(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def migrations(heads: Any, context: Any) -> Iterator[Any]:
            self._heads = frozenset(heads)
            try:
                for step in fn(heads, context):
                    revision, doc, path = _alembic_step_id(step)
                    if revision is not None:
                        direction = "upgrade" if step.is_upgrade else "downgrade"
                        step.migration_fn = self._recorded(step.migration_fn, revision, doc, direction, path)
                    yield step
            finally:
                self.uninstall()

        return migrations

    def _recorded(self, fn: Callable[..., Any], revision: str, doc: str | None, direction: str,
                  path: Path | None) -> Callable[..., Any]:
        """``fn`` (a revision's ``upgrade``/``downgrade``) run with its operations recorded.

        A function with ``fn``'s name and docstring: Alembic reads ``migration_fn.__name__``
        for its log lines.
        """
        def recorded(**kw: Any) -> None:
            self.run_revision(revision, doc, fn, direction=direction, path=path, **kw)

        return functools.update_wrapper(recorded, fn)

    def run_revision(self, revision: str, doc: str | None, fn: Callable[..., Any], *, direction: str = "upgrade",
                     path: Path | None = None, **kw: Any) -> None:
        """Run one revision's ``upgrade()`` (or ``downgrade()``) with its operations recorded."""
        self.revision, self._why, self._direction, self._path = revision, doc, direction, path
        self._begin_sqlite()
        self._check_heads()
        self._load()
        before = len(self.events)
        self.active = True
        self._buffer = []
        try:
            fn(**kw)
            self._flush_captured()
            self._resync()
            if len(self.events) == before:
                self._append(None, self._message())  # the revision ran, and changed nothing
        except BaseException:
            if not dialects.transactional_ddl(self.dialect) and self._committed > before:
                self._mark_partial()
            raise
        finally:
            self.active = False
            self._buffer = None
            self.revision = None

    def _begin_sqlite(self, *, now: bool = False) -> None:
        """Open the SQLite transaction before the first DDL, so DDL, version row and events commit together.

        Python's sqlite3 module (in its default mode) opens a transaction only before DML, so
        a revision's first DDL would otherwise commit on its own and a failed revision would
        leave it behind without its event. ``BEGIN IMMEDIATE`` takes the write lock now: it is
        the applier lock on SQLite.
        """
        if not dialects.database(self.dialect).locks_per_transaction:
            return
        driver = getattr(self.conn.connection, "driver_connection", None)
        if driver is None or getattr(driver, "isolation_level", None) is None or driver.in_transaction:
            return
        if not now and not self.conn.in_transaction():
            return  # Alembic runs this revision outside a transaction
        try:
            driver.execute("BEGIN IMMEDIATE")
        except Exception as exc:  # sqlite3.OperationalError: database is locked
            where = f"alembic revision {self.revision}: " if self.revision else ""
            raise AlembicHookError(
                f"{where}another run holds the write lock on this SQLite database (applier lock on "
                f"{self.store.fullname}): {exc}") from None

    def _load(self) -> None:
        """Fold the ledger, or fold it again when another writer appended since (SQLite between revisions)."""
        with self._quiet():
            if self.state is not None:
                if self.dialect != "sqlite":
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

    # -- capture -----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """Statements run in the block are not captured (schema ops, batch rebuilds, the ledger's own)."""
        saved, self._buffer = self._buffer, None
        try:
            yield
        finally:
            self._buffer = saved

    @contextlib.contextmanager
    def _alembic_work(self) -> Iterator[None]:
        """Alembic's own work runs in the block: its warnings are kept, to be shown as without the hook."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield
            finally:
                if self._alembic_warnings is not None:
                    self._alembic_warnings.extend(caught)

    @contextlib.contextmanager
    def _capture(self, source: str) -> Iterator[list[_Captured]]:
        """Statements run in the block are captured into the yielded list, labelled ``source``."""
        saved_buffer, saved_source = self._buffer, self._source
        self._buffer, self._source = [], source
        try:
            yield self._buffer
        finally:
            self._buffer, self._source = saved_buffer, saved_source

    def _after_cursor(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                      executemany: bool) -> None:
        if self._buffer is None or not self.active:
            return
        if context is not None:
            # SQLAlchemy may split one executemany into several batches: render it once.
            if getattr(context, "_sl_captured", False):
                return
            context._sl_captured = True
        category = classify(statement)
        if category == READ:
            return
        note = None
        try:
            texts = tuple(render_statements(context, statement, parameters, conn.dialect))
        except UnrenderableStatement as exc:
            # kept to be read, never run again with its placeholders (drill and import name it)
            texts, note = (dialects.unrendered_sql(statement, str(exc)),), f"parameters not rendered ({exc}): {parameters!r}"[:500]
        self._buffer.append(_Captured(texts, category, self._source or "connection.execute", note))

    def _flush_captured(self) -> None:
        if not self._buffer:
            return
        captured, self._buffer[:] = list(self._buffer), []
        self._record_statements(captured, origin=None)

    def _record_statements(self, captured: list[_Captured], *, origin: str | None,
                           foreign: str | None = None) -> None:
        for item in captured:
            for text in item.texts:
                if foreign is None and item.category in (SCHEMA, OTHER):
                    self._record_schema_sql(text, item, origin)
                    continue
                self._record_statement(text, item, origin, foreign)

    def _record_schema_sql(self, text: str, item: _Captured, origin: str | None) -> None:
        """Record DDL run as SQL text as the ops that bring the fold to the live schema.

        The tables the statement names (every table when that is not plain) are reflected and
        diffed against the fold: the statement is recorded as those ops, reversible as any op,
        each with the SQL in its message. SQL the fold holds nothing of (a sequence, an
        extension) is recorded as an irreversible ``execute`` event, as is a procedural block
        (it may have changed data too; the ops it made follow it). When no ops lead to the
        live schema, the ``execute`` event says so and ``verify --live`` shows the difference.
        """
        if item.category == SCHEMA and changes_no_table(text):
            self._record_statement(text, item, origin, None)  # a function, a trigger, a view: not in the fold
            return
        table = touched_tables(text) if item.category == SCHEMA else None
        note = "the fold cannot follow it: verify --live shows the difference"
        try:
            ops = self._follow_live(table)
        except Exception as exc:  # noqa: BLE001 - recording never breaks a migration Alembic completed
            ops, note = None, f"{note}; reflecting it failed: {' '.join(str(exc).split())}"
        if item.category == OTHER or not ops:
            self._record_statement(text, item, origin, None, note=None if ops is not None else note,
                                   resync=ops is None)
        if not ops:
            return
        sql = " ".join(text.split())
        for number, op in enumerate(ops, start=1):
            part = f" ({number} of {len(ops)})" if len(ops) > 1 else ""
            prefix = (f"{SCHEMA_SQL} {item.source}{part}: " + ("the schema change of the statement above"
                      if item.category == OTHER else f"folded from SQL: {sql}"))
            try:
                self._apply(op, origin, self._message(prefix))
            except AlembicHookError as exc:
                self._record_statement(text, item, origin, None, note=f"{note}: {exc}", resync=True)
                return

    def _follow_live(self, table: tuple[str | None, str] | None) -> list[MigrateOperation] | None:
        """The ops that lead from the fold to the live schema of ``table`` (None: of every table).

        [] when they agree; None when they differ and no list of ops leads there.
        """
        assert self.state is not None
        schema = table[0] if table is not None else None
        ignored = {self.store.table_name, self.migration_context.version_table}

        def touched(key: tuple[str | None, str]) -> bool:
            if table is None:
                return key[0] is None
            return key[0] == schema and key[1].lower() == table[1].lower()

        with self._quiet():
            names = sa.inspect(self.conn).get_table_names(schema=schema)
            keep = {n for n in names if n not in ignored and touched((schema, n))}
            live = reflect(self.conn, schema=schema, exclude=tuple(sorted(set(names) - keep)))
        if dialects.database(self.dialect).indexes_foreign_keys:
            live = without_foreign_key_indexes(live)
        fold = self.state
        live = without_type_checks(adopt_names(live, fold, self.dialect), fold, self.dialect)
        kept = {k: t for k, t in fold.tables.items() if not touched(k)}
        live, dangling = _without_dangling_keys(live, kept)
        self._dangling |= dangling
        if drift(fold, SchemaState({**kept, **live.tables}), self.dialect) is None:
            return []
        # The ops are made from the fold's own specs wherever the database kept them as they are,
        # and from the reflected ones for what changed, so that each op holds storable types.
        rebased = {k: _rebased(t, fold.tables.get(k), self.dialect) for k, t in live.tables.items()}
        target = SchemaState({**kept, **rebased})
        try:
            ops = diff(fold, target)
            after = SchemaState.fold(ops, start=fold)
        except LedgerError:
            return None
        if drift(after, target, self.dialect) is not None or drift(after, SchemaState({**kept, **live.tables}),
                                                                   self.dialect) is not None:
            return None
        return ops

    def _record_statement(self, text: str, item: _Captured, origin: str | None, foreign: str | None, *,
                          note: str | None = None, resync: bool = False) -> None:
        if resync:
            prefix = f"{RESYNC} {item.source}: schema changed by SQL, the ledger does not follow it"
            self._resync_open = True
        elif foreign is not None:
            prefix = f"{NOT_MODELLED} {foreign}"
        elif item.category == DATA:
            prefix = f"{DATA_CHANGE} {item.source}"
        elif item.category == SCHEMA:
            prefix = f"{SCHEMA_SQL} {item.source}: schema changed by SQL, not modelled"
        else:
            prefix = f"{DATA_CHANGE} {item.source}: procedural SQL (it may change the schema too)"
        for extra in (item.note, note):
            if extra:
                prefix += f" ({extra})"
        self._append(lops.ExecuteSQLOp(text), self._message(prefix), origin,
                     ddl=foreign is not None or item.category != DATA)

    # -- events ------------------------------------------------------------------------------------

    def _message(self, prefix: str | None = None) -> str | None:
        why = self.message or self._why
        if self._direction == "downgrade":
            why = f"alembic downgrade of {self.revision}" + (f": {why}" if why else "")
        if prefix is None:
            return why
        return f"{prefix} -- {why}" if why else prefix

    def _append(self, op: MigrateOperation | None, message: str | None, origin: str | None = None, *,
                ddl: bool = True) -> Event:
        """Append one event; on MySQL/MariaDB an event that follows DDL is committed at once.

        MySQL and MariaDB commit each DDL statement on its own, so the change is already
        permanent: committing its event now keeps the ledger with the schema if the revision
        fails later (Alembic then rolls back only the data work since the last DDL, with its
        events). An event of data work stays in the transaction of the data it records.
        """
        with self._quiet():
            event = Journal(self.conn, self.store, self.actor, head=self._last).record(
                "apply", op, revision=self.revision, message=message)
            if ddl and not dialects.transactional_ddl(self.dialect):
                self.conn.connection.driver_connection.commit()  # type: ignore[union-attr]
                self._committed = len(self.events) + 1
        self._head = (event.seq, event.hash)
        self._last = event
        self.events.append(event)
        if origin:
            self.origins[event.seq] = origin
        return event

    def _mark_partial(self) -> None:
        """Record that a revision failed on MySQL/MariaDB after some of its DDL ran (and stayed).

        Alembic's version table does not name the revision, but its DDL and their events are
        committed: this event says so in ``log`` and ``status``. Data work since the revision's
        last DDL is rolled back first, as Alembic would roll it back.
        """
        message = (f"{PARTIAL} alembic revision {self.revision} failed after part of it ran: MySQL/MariaDB "
                   f"committed its DDL, recorded by the events above; Alembic's version table does not name it")
        driver = self.conn.connection.driver_connection  # type: ignore[union-attr]
        try:
            driver.rollback()
            self._last = self.store.head(self.conn)  # the rollback took back events after the last DDL
            self._append(None, message)
        except Exception:  # noqa: BLE001 - the revision's own error is the one to report
            log.warning("schema-ledger: could not record that revision %s stopped partway", self.revision)

    def _origin(self) -> str | None:
        """``file:line`` of the revision file's line that issued the current operation."""
        if self._path is None:
            return None
        target = str(self._path)
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == target:
                return f"{target}:{frame.f_lineno}"
            frame = frame.f_back  # type: ignore[assignment]
        return None

    # -- operations --------------------------------------------------------------------------------

    def invoke(self, operations: Any, operation: Any) -> Any:
        """Run ``operation`` as Alembic does, then record it."""
        original = _ORIGINAL["invoke"]
        self._flush_captured()
        origin = self._origin()
        if isinstance(operation, (aops.ExecuteSQLOp, aops.BulkInsertOp)):
            source = "op.execute" if isinstance(operation, aops.ExecuteSQLOp) else "op.bulk_insert"
            with self._capture(source) as captured:
                with self._alembic_work():
                    result = original(operations, operation)
            self._record_statements(captured, origin=origin)
            return result
        convert = _CONVERTERS.get(type(operation))
        if convert is None:
            return self._run_foreign(operations, operation, origin)
        with self._capture(f"alembic {type(operation).__name__}") as captured:
            with self._alembic_work():
                result = original(operations, operation)
        impl = getattr(operations, "impl", None)
        batch = isinstance(impl, BatchOperationsImpl)
        what = f"alembic {type(operation).__name__} on {getattr(operation, 'table_name', None) or '?'}"
        try:
            converted = convert(operation, result, self)
        except _NotModelled as exc:
            self._record_statements(captured, origin=origin, foreign=f"{type(operation).__name__}: {exc}")
            return result
        except Exception as exc:  # noqa: BLE001 - recording never breaks a migration Alembic completed
            if batch:
                # Inside a batch block nothing has run yet: the table is reflected after the flush.
                self._pending.setdefault(id(impl), []).append((_Unconverted(what, _touched(operation), exc), origin))
            else:
                self._fall_back(what, _touched(operation), exc, origin, captured)
            return result
        converted = [_as_compiled_names(op, self.conn.dialect) for op in converted]
        if batch:
            # Inside a batch block nothing has run yet: the ops are recorded after the flush.
            self._pending.setdefault(id(impl), []).extend((op, origin) for op in converted)
        else:
            self._record_exactly(converted, what, _touched(operation), origin, captured)
        return result

    def _record_exactly(self, converted: list[MigrateOperation], what: str, table: tuple[str | None, str] | None,
                        origin: str | None, captured: list[_Captured]) -> None:
        """Record ``converted``; when the fold refuses them, record what the database holds instead."""
        try:
            self._record_ops(converted, origin, captured)
        except (AlembicHookError, sa.exc.DBAPIError) as exc:
            if not isinstance(exc, _Unrecordable):
                raise  # another run moved the version table, the database failed: not a recording matter
            self._note_dangling(converted)
            self._fall_back(what, table, exc.__cause__ or exc, origin, captured)
        except Exception as exc:  # noqa: BLE001 - recording never breaks a migration Alembic completed
            self._fall_back(what, table, exc, origin, captured)

    def _note_dangling(self, converted: list[MigrateOperation]) -> None:
        """Remember the foreign keys ``converted`` made to tables that do not exist (SQLite takes them)."""
        assert self.state is not None
        for op in converted:
            if isinstance(op, lops.CreateTableOp):
                key, fks = op.table.key, op.table.foreign_keys
            elif isinstance(op, lops.CreateForeignKeyOp):
                key, fks = (op.schema, op.table_name), (op.constraint,)
            else:
                continue
            for fk in fks:
                referent = (fk.referent_schema if fk.referent_schema is not None else key[0], fk.referent_table)
                if referent != key and not self.state.has_table(referent[1], referent[0]):
                    self._dangling.add((key, referent))

    def _fall_back(self, what: str, table: tuple[str | None, str] | None, exc: BaseException, origin: str | None,
                   captured: list[_Captured]) -> None:
        """Record an operation that cannot be recorded as converted: as the database holds its table.

        The table it touched (every table when that is unclear) is reflected and the difference
        from the fold is recorded as ordinary, reversible ops, as for DDL written as SQL text.
        When no list of ops leads there (or the table is one the ledger never held), what ran is
        recorded as an irreversible ``execute`` event whose message starts with ``[needs
        re-sync]``: ``status``, ``log`` and ``verify`` report it until a later revision of the
        hook finds that the fold can follow the live schema again.
        """
        assert self.state is not None
        reason = " ".join(str(exc).split()) or type(exc).__name__
        log.debug("schema-ledger: %s: recorded from the live schema: %s", what, reason)
        ops: list[MigrateOperation] | None = None
        unknown = table is not None and not self.state.has_table(table[1], table[0]) and not what.startswith(
            "alembic CreateTableOp")
        if not unknown:
            try:
                ops = self._follow_live(table)
            except Exception as follow_exc:  # noqa: BLE001
                reason += f"; reflecting it failed: {' '.join(str(follow_exc).split())}"
                ops = None
        if ops:
            recorded = 0
            try:
                for number, op in enumerate(ops, start=1):
                    part = f" ({number} of {len(ops)})" if len(ops) > 1 else ""
                    self._apply(op, origin, self._message(
                        f"{REFLECTED} {what}{part}: recorded as the database holds it ({reason})"[:2000]))
                    recorded += 1
                return
            except Exception as apply_exc:  # noqa: BLE001
                reason += f"; {' '.join(str(apply_exc).split())}"
        elif ops == []:
            return  # the fold already holds what the database holds
        texts = [text for item in captured for text in item.texts] or [dialects.unrendered_sql("", f"{what}: no SQL was seen")]
        for text in texts:
            self._append(lops.ExecuteSQLOp(text), self._message(
                f"{RESYNC} {what}: the ledger does not follow it ({reason})"[:2000]), origin)
        self._resync_open = True

    def _resync(self) -> None:
        """After an operation recorded only as what ran: record what leads the fold to the live schema."""
        if not self._resync_open:
            return
        self._resync_open = False  # tried once, at the end of the revision: every table is reflected
        try:
            ops = self._follow_live(None)
        except Exception:  # noqa: BLE001
            return
        if ops is None or any(isinstance(op, (lops.CreateTableOp, lops.DropTableOp)) for op in ops):
            return  # a table the ledger never held is the user's to adopt, not the hook's
        for op in ops:
            try:
                self._apply(op, None, self._message(f"{RESYNCED} the ledger follows the live schema again"))
            except Exception:  # noqa: BLE001
                return
        if not ops:
            self._append(None, self._message(f"{RESYNCED} the ledger follows the live schema again"))

    def _run_foreign(self, operations: Any, operation: Any, origin: str | None) -> Any:
        name = type(operation).__name__
        with self._capture(f"alembic {name}") as captured:
            with self._alembic_work():
                result = _ORIGINAL["invoke"](operations, operation)
        what = f"alembic {name} on {getattr(operation, 'table_name', None) or '?'}"
        if captured:
            self._record_statements(captured, origin=origin, foreign=what)
        else:
            self._append(lops.ExecuteSQLOp(dialects.unrendered_sql("", f"{what}: ran inside a batch block or emitted no SQL")),
                         self._message(f"{NOT_MODELLED} {what}"), origin)
        return result

    def flush_batch(self, impl: BatchOperationsImpl) -> None:
        self._flush_captured()
        with self._capture(f"alembic batch_alter_table({impl.table_name})") as captured:
            with self._alembic_work():
                _ORIGINAL["flush"](impl)
        pending = self._pending.pop(id(impl), [])
        what = f"alembic batch_alter_table({impl.table_name})"
        for op, origin in pending:
            if isinstance(op, _Unconverted):
                self._fall_back(op.what, op.table, op.error, origin, captured)
            else:
                self._record_exactly([op], what, (impl.schema, impl.table_name), origin, captured)

    def _record_ops(self, converted: list[MigrateOperation], origin: str | None,
                    captured: list[_Captured]) -> None:
        assert self.state is not None
        for op in converted:
            if _is_noop(op, self.state):
                continue
            if self._database.indexes_foreign_keys and isinstance(op, lops.CreateForeignKeyOp):
                self._adopt_kept_index(op, origin)
            try:
                completed = self.state.complete(op)
            except InvalidOperationError as exc:
                if isinstance(op, (lops.DropConstraintOp, lops.DropIndexOp)):
                    # Alembic dropped something the ledger never held (an exclude constraint, ...).
                    self._record_statements(captured, origin=origin,
                                            foreign=f"{op.describe()}, which the ledger does not hold ({exc})")
                    continue
                raise self._error(op.describe(), exc, origin) from exc
            completed = self._resolve_names(completed)
            completed = self._stored_checks(self._stored_defaults(completed))
            if self._database.prefixes_text_indexes and isinstance(completed, lops.CreateIndexOp):
                completed = self._as_indexed(completed)
            dropped = _dropped_foreign_key(completed, self.state) if self._database.indexes_foreign_keys else None
            self._apply(completed, origin)
            if dropped is not None:
                self._keep_what_stayed(completed, dropped, origin)
            if self._database.restates_altered_columns and isinstance(completed, lops.AlterColumnOp):
                self._restated(completed, origin)
            if self._database.indexes_foreign_keys and isinstance(completed, (lops.CreateIndexOp, lops.CreateUniqueConstraintOp,
                                                                  lops.CreatePrimaryKeyOp)):
                self._replaced_kept_index(completed, origin)
            if self._database.renames_foreign_keys_with_tables and isinstance(completed, lops.RenameTableOp):
                self._renamed_keys(completed, origin)
            if isinstance(completed, lops.DropColumnOp) and completed._dependents:
                self._kept_with_column(completed, origin)
            if isinstance(completed, lops.CreateTableOp) and self._dangling:
                self._keys_now_valid(completed.table.key, origin)

    def _keys_now_valid(self, made: tuple[str | None, str], origin: str | None) -> None:
        """Record the foreign keys that referred to table ``made`` before it existed (SQLite)."""
        waiting = sorted({key for key, referent in self._dangling if referent == made}, key=str)
        self._dangling = {pair for pair in self._dangling if pair[1] != made}
        for key in waiting:
            for follow in self._follow_live(key) or ():
                self._apply(follow, origin, self._message(
                    f"{ADJUSTED} the foreign key of {key[1]} to {made[1]}, which the database held before "
                    f"{made[1]} existed"))

    def _kept_with_column(self, op: lops.DropColumnOp, origin: str | None) -> None:
        """Record what the database kept of what used a dropped column (MariaDB shrinks a
        multi-column index to its other columns, where PostgreSQL drops it)."""
        for follow in self._follow_live((op.schema, op.table_name)) or ():
            self._apply(follow, origin, self._message(
                f"{ADJUSTED} the database kept what used column {op.table_name}.{op.column_name} without it"))

    def _renamed_keys(self, op: lops.RenameTableOp, origin: str | None) -> None:
        """Record the foreign keys MySQL/MariaDB renamed with their table (``t_ibfk_1`` -> ``u_ibfk_1``)."""
        for follow in self._follow_live((op.schema, op.new_table_name)) or ():
            if isinstance(follow, (lops.DropConstraintOp, lops.CreateForeignKeyOp)):
                self._apply(follow, origin, self._message(
                    f"{ADJUSTED} MySQL/MariaDB renamed the foreign keys it had named after table {op.table_name}"))

    def _as_indexed(self, op: lops.CreateIndexOp) -> lops.CreateIndexOp:
        """``op`` with the key prefix lengths MariaDB chose (it indexes a TEXT column by a prefix)."""
        for follow in self._follow_live((op.schema, op.table_name)) or ():
            if isinstance(follow, lops.CreateIndexOp) and follow.index.name == op.index.name \
                    and follow.index.columns == op.index.columns and follow.index.dialect_options \
                    and not op.index.dialect_options:
                return attrs.evolve(op, index=attrs.evolve(op.index, dialect_options=follow.index.dialect_options))
        return op

    def _replaced_kept_index(self, op: MigrateOperation, origin: str | None) -> None:
        """Record the index InnoDB kept for a dropped foreign key, which it drops once a new key or index serves."""
        made = op.index.name if isinstance(op, lops.CreateIndexOp) else op.constraint.name  # type: ignore[attr-defined]
        for follow in self._follow_live((op.schema, op.table_name)) or ():  # type: ignore[attr-defined]
            if isinstance(follow, lops.DropIndexOp) and follow.index_name != made:
                self._apply(follow, origin, self._message(
                    f"{ADJUSTED} MySQL/MariaDB dropped index {follow.index_name}, now served by {made}"))

    def _restated(self, op: lops.AlterColumnOp, origin: str | None) -> None:
        """Record what MySQL/MariaDB's ``MODIFY``/``CHANGE`` did to the rest of the column.

        Those restate the whole column from Alembic's ``existing_*`` arguments: one left out
        resets that property (an ``alter_column(type_=...)`` without ``existing_nullable``
        makes a NOT NULL column nullable). The column is reflected and the fold follows it.
        """
        name = op.modify_name or op.column_name
        for follow in self._follow_live((op.schema, op.table_name)) or ():
            if isinstance(follow, lops.AlterColumnOp) and follow.column_name == name:
                self._apply(follow, origin, self._message(
                    f"{ADJUSTED} MySQL/MariaDB restated column {op.table_name}.{name} from Alembic's existing_* "
                    f"arguments"))

    def _adopt_kept_index(self, op: lops.CreateForeignKeyOp, origin: str | None) -> None:
        """A foreign key added again under its old name takes over the index InnoDB kept for it.

        The index left by dropping the key (recorded then) becomes the new key's own index, which
        the fold does not hold as an index: it is recorded as dropped, so that the names agree.
        """
        assert self.state is not None
        if not self.state.has_table(op.table_name, op.schema) or not op.constraint.name:
            return
        index = self.state.table(op.table_name, op.schema).index(op.constraint.name)
        if index is None or index.unique or tuple(index.columns[:len(op.constraint.columns)]) != \
                tuple(op.constraint.columns):
            return
        drop = self.state.complete(lops.DropIndexOp(index.name or "", op.table_name, schema=op.schema))
        self._apply(drop, origin, self._message(
            f"{ADJUSTED} foreign key {op.constraint.name} takes over the index MySQL/MariaDB kept under its name"))

    def _keep_what_stayed(self, op: lops.DropConstraintOp, fk: ForeignKeySpec, origin: str | None) -> None:
        """Record what MySQL/MariaDB kept of a dropped foreign key: the index InnoDB made for it.

        Only that index: in a batch block the table may already hold what later ops of the
        block made, which they record themselves.
        """
        for kept in self._follow_live((op.schema, op.table_name)) or ():
            if not isinstance(kept, lops.CreateIndexOp) or kept.index.unique or \
                    tuple(kept.index.columns[:len(fk.columns)]) != tuple(fk.columns):
                continue
            self._apply(kept, origin, self._message(
                f"{ADJUSTED} MySQL/MariaDB keeps the index it made for foreign key {op.constraint_name}"))

    def _apply(self, op: MigrateOperation, origin: str | None, message: str | None = None) -> None:
        assert self.state is not None
        try:
            state = op.apply(self.state)
        except InvalidOperationError as exc:
            adjusted = self._adjust(op)
            if adjusted is None:
                raise self._error(op.describe(), exc, origin) from exc
            state = adjusted
        self._append(op, message or self._message(), origin)
        self.state = state

    def _adjust(self, op: MigrateOperation) -> SchemaState | None:
        """Record what lets the fold follow an op the database accepted but the fold refuses.

        SQLite drops a table that other tables' foreign keys refer to and keeps those keys
        dangling. The fold drops the keys first (recorded, so a rollback re-creates them after
        the table) and then the table.
        """
        assert self.state is not None
        if not isinstance(op, lops.DropTableOp):
            return None
        refs = self.state.referencing(op.table_name, op.schema)
        if not refs:
            return None
        for table, fk in refs:
            drop = self.state.complete(lops.DropConstraintOp(fk.name or "", table.name, type_="foreignkey",
                                                             schema=table.schema))
            note = (f"{ADJUSTED} recorded so that table {op.table_name} can be dropped; the database keeps "
                    f"this foreign key, now dangling")
            self._append(drop, self._message(note))
            self.state = drop.apply(self.state)
        try:
            return op.apply(self.state)
        except InvalidOperationError:
            return None

    def _error(self, what: str, exc: BaseException, origin: str | None) -> AlembicHookError:
        where = f" ({origin})" if origin else ""
        return _Unrecordable(
            f"alembic revision {self.revision}{where}: {what} ran but cannot be recorded: {' '.join(str(exc).split())}"
        )

    # -- what the database stored ---------------------------------------------------------------------

    def _stored_defaults(self, op: MigrateOperation) -> MigrateOperation:
        """``op`` with each server default it sets as the database stores it, where that differs.

        SQLite stores ``sa.false()`` as ``0``; PostgreSQL stores ``'0'`` on a boolean as
        ``false``. The columns' defaults are read back after the op ran and compared as
        ``verify --live`` compares them; a default the database rewrote is recorded as rewritten.
        """
        if isinstance(op, lops.CreateTableOp):
            table, schema, columns = op.table.name, op.table.schema, op.table.columns
        elif isinstance(op, lops.AddColumnOp):
            table, schema, columns = op.table_name, op.schema, (op.column,)
        elif isinstance(op, lops.AlterColumnOp) and isinstance(op.modify_server_default, lops.DefaultSpec) \
                and self.state is not None:
            table, schema = op.table_name, op.schema
            columns = (op.altered(self.state.column(op.table_name, op.column_name, op.schema)),)
        else:
            return op
        wanted = {c.name: c for c in columns if c.server_default is not None}
        if not wanted:
            return op
        with self._quiet():
            try:
                stored = {c["name"]: c.get("default") for c in sa.inspect(self.conn).get_columns(table, schema=schema)}
            except sa.exc.NoSuchTableError:
                return op
        replaced = {}
        for name, column in wanted.items():
            text = stored.get(name)
            if text is None:
                continue
            live = attrs.evolve(column, server_default=lops.DefaultSpec("text", str(text)))
            if _normalize_column(live, False, self.dialect) != _normalize_column(column, False, self.dialect):
                replaced[name] = live
        if not replaced:
            return op
        if isinstance(op, lops.AddColumnOp):
            return attrs.evolve(op, column=replaced[op.column.name])
        if isinstance(op, lops.AlterColumnOp):
            return attrs.evolve(op, modify_server_default=replaced[columns[0].name].server_default)
        return attrs.evolve(op, table=attrs.evolve(
            op.table, columns=tuple(replaced.get(c.name, c) for c in op.table.columns)))

    def _stored_checks(self, op: MigrateOperation) -> MigrateOperation:
        """``op`` with each named CHECK as the database stores its text, where that differs
        (MariaDB keeps ``lower(s)`` as ``lcase(`s`)``; PostgreSQL rewrites ``IN`` lists)."""
        if isinstance(op, lops.CreateTableOp):
            table, schema, checks = op.table.name, op.table.schema, op.table.checks
        elif isinstance(op, lops.CreateCheckConstraintOp):
            table, schema, checks = op.table_name, op.schema, (op.constraint,)
        else:
            return op
        named_checks = [c for c in checks if c.name and not c.name.startswith(PLACEHOLDER)]
        if not named_checks:
            return op
        with self._quiet():
            try:
                stored = {c.get("name"): c.get("sqltext") for c in
                          sa.inspect(self.conn).get_check_constraints(table, schema=schema)}
            except (NotImplementedError, sa.exc.NoSuchTableError):
                return op
        replaced = {}
        for check in named_checks:
            text = stored.get(check.name)
            if text and canonical_sql(str(text), dialect=self.dialect) != canonical_sql(check.sqltext,
                                                                                       dialect=self.dialect):
                replaced[check.name] = attrs.evolve(check, sqltext=str(text))
        if not replaced:
            return op
        if isinstance(op, lops.CreateCheckConstraintOp):
            return attrs.evolve(op, constraint=replaced[op.constraint.name])
        return attrs.evolve(op, table=attrs.evolve(
            op.table, checks=tuple(replaced.get(c.name, c) for c in op.table.checks)))

    # -- names the database chose --------------------------------------------------------------------

    def _resolve_names(self, op: MigrateOperation) -> MigrateOperation:
        placeholders = _placeholder_specs(op)
        if not placeholders:
            return op
        assert self.state is not None
        table_name, schema = op.table_name, getattr(op, "schema", None)  # type: ignore[attr-defined]
        with self._quiet():
            live = _live_constraints(self.conn, table_name, schema, {type(spec) for spec in placeholders})
        clashes = name_rule(self.state.names_per)[1]
        # What each placeholder's name must differ from, as the database keeps names apart
        # (MariaDB: per table, so two tables may each hold a unique key ``name``).
        held = [(kind_of(c), c.name) for c in op.table.constraints + op.table.indexes
                if c.name and not c.name.startswith(PLACEHOLDER)] if isinstance(op, lops.CreateTableOp) else []
        mapping: dict[int, str] = {}
        unmatched: set[str] = set()
        for spec in placeholders:
            kind = kind_of(spec)
            taken = self.state.taken_names(table_name, kind, schema) | {n for k, n in held if k in clashes[kind]}
            name = None
            for candidate_spec, candidate in live:
                if candidate and candidate not in taken and _same_constraint(spec, candidate_spec):
                    name = candidate
                    break
            if name is None:
                name = conventional_name(_KIND[type(spec)], table_name, spec, DEFAULT_NAMING_CONVENTION)
                base, n = name, 2
                while name in taken:
                    name, n = f"{base}_{n}", n + 1
                unmatched.add(name)
            held.append((kind, name))
            mapping[id(spec)] = name
        op = _rename_specs(op, mapping)
        if isinstance(op, lops.CreateTableOp):
            kept = {}
            for spec, _name in live:
                if isinstance(spec, UniqueSpec):
                    kept[tuple(spec.columns)] = kept.get(tuple(spec.columns), 0) + 1
            op = _without_repeated_uniques(op, unmatched, kept)
        return op


def _rebased(live: TableSpec, fold: TableSpec | None, dialect: str) -> TableSpec:
    """``live`` with each column, key, constraint and index the database kept as the fold has it
    replaced by the fold's own spec (the same thing, as it was written rather than as reflected)."""
    taken = {i.name for i in (*live.constraints, *live.indexes) if i.name}

    def name(item: Any) -> Any:
        if item.name is not None:
            return item
        item = named(item, live.name)
        base, number = item.name, 2
        while item.name in taken:  # a name the database holds for another constraint (SQLite)
            item, number = attrs.evolve(item, name=f"{base}_{number}"), number + 1
        taken.add(item.name)
        return item

    live = attrs.evolve(
        live,
        primary_key=name(live.primary_key) if live.primary_key else None,
        foreign_keys=tuple(name(i) for i in live.foreign_keys),
        uniques=tuple(name(i) for i in live.uniques),
        checks=tuple(name(i) for i in live.checks),
    )  # what the database keeps no name for (SQLite, MySQL's primary key) is named as the fold names it
    if fold is None:
        return live
    norm_live = next(iter(normalize(SchemaState({live.key: live}), dialect).tables.values()))
    norm_fold = next(iter(normalize(SchemaState({fold.key: fold}), dialect).tables.values()))

    def kept(field: str) -> tuple[Any, ...]:
        raw_live, raw_fold = getattr(live, field), getattr(fold, field)
        n_live, n_fold = getattr(norm_live, field), getattr(norm_fold, field)
        if len(raw_live) != len(n_live) or len(raw_fold) != len(n_fold):
            return tuple(raw_live)
        by_name = {n.name: (r, n) for r, n in zip(raw_fold, n_fold)}
        out = []
        for raw, norm in zip(raw_live, n_live):
            found = by_name.get(norm.name)
            out.append(found[0] if found is not None and found[1] == norm else raw)
        return tuple(out)

    pk = live.primary_key
    if pk is not None and fold.primary_key is not None and norm_live.primary_key == norm_fold.primary_key:
        pk = fold.primary_key
    comment = fold.comment if norm_live.comment == norm_fold.comment else live.comment
    return attrs.evolve(live, columns=kept("columns"), primary_key=pk, foreign_keys=kept("foreign_keys"),
                        uniques=kept("uniques"), checks=kept("checks"), indexes=kept("indexes"), comment=comment)


def _dropped_foreign_key(op: MigrateOperation, state: SchemaState) -> ForeignKeySpec | None:
    """The foreign key ``op`` drops, if it drops one."""
    if not isinstance(op, lops.DropConstraintOp) or not state.has_table(op.table_name, op.schema):
        return None
    found = state.table(op.table_name, op.schema).constraint(op.constraint_name)
    return found if isinstance(found, ForeignKeySpec) else None


def _compiled_name(name: str | None, dialect: sa.Dialect, kind: str = "constraint") -> str | None:
    """``name`` as SQLAlchemy wrote it in the DDL: a name over the dialect's identifier length is
    one a naming convention or ``op.f()`` made (SQLAlchemy refuses any other), which SQLAlchemy
    shortened to ``<first max-8 characters>_<4 hex digits of its md5>``."""
    limit = getattr(dialect, f"max_{kind}_name_length", None) or dialect.max_identifier_length
    if name is None or not limit or len(name) <= limit or name.startswith(PLACEHOLDER):
        return name
    return name[0:limit - 8] + "_" + sa.util.md5_hex(name)[-4:]


def _as_compiled_names(op: MigrateOperation, dialect: sa.Dialect) -> MigrateOperation:
    """``op`` with each constraint and index name as SQLAlchemy wrote it for ``dialect``."""
    def fix(spec: Any) -> Any:
        if spec is None:
            return None
        name = _compiled_name(spec.name, dialect, "index" if isinstance(spec, IndexSpec) else "constraint")
        return spec if name == spec.name else attrs.evolve(spec, name=name)

    if isinstance(op, lops.CreateTableOp):
        table = op.table
        fixed = attrs.evolve(table, primary_key=fix(table.primary_key),
                             foreign_keys=tuple(fix(s) for s in table.foreign_keys),
                             uniques=tuple(fix(s) for s in table.uniques), checks=tuple(fix(s) for s in table.checks),
                             indexes=tuple(fix(s) for s in table.indexes))
        return op if fixed == table else attrs.evolve(op, table=fixed)
    if isinstance(op, lops.CreateIndexOp):
        index = fix(op.index)
        return op if index is op.index else attrs.evolve(op, index=index)
    if isinstance(op, lops.AddConstraintOp):
        constraint = fix(op.constraint)
        return op if constraint is op.constraint else attrs.evolve(op, constraint=constraint)
    if isinstance(op, lops.DropIndexOp):
        name = _compiled_name(op.index_name, dialect, "index")
        return op if name == op.index_name else attrs.evolve(op, index_name=name)
    if isinstance(op, lops.DropConstraintOp):
        name = _compiled_name(op.constraint_name, dialect)
        return op if name == op.constraint_name else attrs.evolve(op, constraint_name=name)
    return op


def _without_dangling_keys(live: SchemaState, kept: Mapping[tuple[str | None, str], TableSpec]
                           ) -> tuple[SchemaState, set[tuple[tuple[str | None, str], tuple[str | None, str]]]]:
    """``live`` without the foreign keys that refer to a table that does not exist, and
    (table, missing referent) for each.

    SQLite accepts a foreign key to a missing table (``CREATE TABLE c (p_id REFERENCES p)``
    before ``p``); the fold cannot hold one, so the table is recorded without it, and the key
    once the table it refers to is made.
    """
    present = set(kept) | set(live.tables)
    tables, dangling = {}, set()
    for key, table in live.tables.items():
        fks = []
        for fk in table.foreign_keys:
            referent = (fk.referent_schema if fk.referent_schema is not None else table.schema, fk.referent_table)
            if referent in present:
                fks.append(fk)
            else:
                dangling.add((key, referent))
        tables[key] = table if len(fks) == len(table.foreign_keys) else attrs.evolve(table, foreign_keys=tuple(fks))
    return SchemaState(tables), dangling


def _show_heads(heads: frozenset[str]) -> str:
    return ", ".join(sorted(heads)) if heads else "no revision"


def _without_repeated_uniques(op: lops.CreateTableOp, unmatched: set[str],
                              live: Mapping[tuple[str, ...], int]) -> lops.CreateTableOp:
    """Several unnamed UNIQUE constraints on the same columns are as many as the database keeps
    (PostgreSQL one, SQLite and MariaDB each of them); so in the fold."""
    kept: list[UniqueSpec] = []
    for unique in op.table.uniques:
        same = sum(1 for k in kept if k.columns == unique.columns)
        if unique.name in unmatched and same and same >= live.get(tuple(unique.columns), 1):
            continue
        kept.append(unique)
    return attrs.evolve(op, table=attrs.evolve(op.table, uniques=tuple(kept)))


_KIND = {PrimaryKeySpec: "pk", UniqueSpec: "uq", ForeignKeySpec: "fk", CheckSpec: "ck"}


def _placeholder_specs(op: MigrateOperation) -> list[Any]:
    if isinstance(op, lops.CreateTableOp):
        specs: list[Any] = list(op.table.constraints)
    elif isinstance(op, lops.AddConstraintOp):
        specs = [op.constraint]
    else:
        return []
    return [s for s in specs if s.name and s.name.startswith(PLACEHOLDER)]


def _rename_specs(op: MigrateOperation, mapping: dict[int, str]) -> MigrateOperation:
    def fix(spec: Any) -> Any:
        return attrs.evolve(spec, name=mapping[id(spec)]) if id(spec) in mapping else spec

    if isinstance(op, lops.CreateTableOp):
        table = op.table
        return attrs.evolve(op, table=attrs.evolve(
            table,
            primary_key=fix(table.primary_key) if table.primary_key else None,
            foreign_keys=tuple(fix(s) for s in table.foreign_keys),
            uniques=tuple(fix(s) for s in table.uniques),
            checks=tuple(fix(s) for s in table.checks),
        ))
    return attrs.evolve(op, constraint=fix(op.constraint))  # type: ignore[misc]


def _live_constraints(conn: sa.Connection, table: str, schema: str | None,
                      kinds: Collection[type] | None = None) -> list[tuple[Any, str | None]]:
    """The live table's constraints as (spec-like value, name) pairs, for matching by content;
    ``kinds``: only these spec classes (a match needs the same kind), so only their catalog reads."""
    inspector = sa.inspect(conn)
    found: list[tuple[Any, str | None]] = []
    wanted = (PrimaryKeySpec, ForeignKeySpec, UniqueSpec, CheckSpec) if kinds is None else tuple(kinds)
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
        uniques = [(uq.get("name"), tuple(uq["column_names"]))
                   for uq in inspector.get_unique_constraints(table, schema=schema)]
        if conn.dialect.name == "sqlite":
            # SQLAlchemy reports SQLite's repeated UNIQUE clauses once; the table's SQL holds each.
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                       (table,)).scalar()
            parsed = sqlite_unique_constraints(sql) if sql else None
            uniques = parsed if parsed is not None else uniques
        for name, columns in uniques:
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


def _is_noop(op: MigrateOperation, state: SchemaState) -> bool:
    """True for IF [NOT] EXISTS operations that found what they test for, so the database did nothing."""
    flag = op.info.get("alembic_if")
    if flag == "not_exists":
        if isinstance(op, lops.CreateTableOp):
            return state.has_table(op.table.name, op.table.schema)
        if isinstance(op, lops.CreateIndexOp):
            with contextlib.suppress(InvalidOperationError):
                state.find_index(op.index.name or "", op.schema, op.table_name)
                return True
        if isinstance(op, lops.AddColumnOp):
            return state.has_table(op.table_name, op.schema) and state.table(
                op.table_name, op.schema).column(op.column.name) is not None
    if flag == "exists":
        if isinstance(op, lops.DropTableOp):
            return not state.has_table(op.table_name, op.schema)
        if isinstance(op, lops.DropIndexOp):
            try:
                state.find_index(op.index_name, op.schema, op.table_name)
            except InvalidOperationError:
                return True
        if isinstance(op, lops.DropColumnOp):
            return not state.has_table(op.table_name, op.schema) or state.table(
                op.table_name, op.schema).column(op.column_name) is None
        if isinstance(op, lops.DropConstraintOp):
            return not state.has_table(op.table_name, op.schema) or state.table(
                op.table_name, op.schema).constraint(op.constraint_name) is None
    return False


# ---------------------------------------------------------------------------------------------
# Alembic operations -> the ops vocabulary
# ---------------------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Unconverted:
    """An operation of a batch block that could not be converted; recorded from the table after the flush."""

    what: str
    table: tuple[str | None, str] | None
    error: BaseException


def _touched(operation: Any) -> tuple[str | None, str] | None:
    """``(schema, table)`` an Alembic operation changes; None when it may change others (a rename)."""
    if isinstance(operation, aops.RenameTableOp):
        return None
    table = getattr(operation, "table_name", None)
    if not isinstance(table, str):
        return None
    return getattr(operation, "schema", None), table


class _NotModelled(Exception):
    """An Alembic operation of a known class whose content the vocabulary cannot hold."""


def _storable_type(type_: Any, dialect: sa.Dialect) -> Any:
    """The type the database got: the dialect's variant, a TypeDecorator's underlying type."""
    for _ in range(8):
        variants = getattr(type_, "_variant_mapping", None) or {}
        if dialect.name in variants:
            type_ = variants[dialect.name]
            continue
        if isinstance(type_, TypeDecorator):
            type_ = type_.load_dialect_impl(dialect)
            continue
        break
    return _nearest_known(type_)


def _nearest_known(type_: Any) -> Any:
    """``type_``, or as the nearest class in its ancestry the codec knows (SQLite's private JSON
    type as ``sa.JSON``, a ``UserDefinedType`` subclass of a known type as that type)."""
    from ops.types import _TYPE_NAMES

    if not isinstance(type_, sa.types.TypeEngine) or type(type_) in _TYPE_NAMES:
        return type_
    for klass in type(type_).__mro__[1:]:
        if klass in _TYPE_NAMES and klass not in (sa.types.TypeEngine, sa.types.UserDefinedType,
                                                  TypeDecorator, sa.types.NullType):
            if getattr(klass, "__visit_name__", None) != getattr(type_, "__visit_name__", None):
                return type_  # compiled its own way (@compiles): the table is recorded as reflected
            try:
                return type_.adapt(klass)
            except Exception:  # noqa: BLE001 - not adaptable: the table is then recorded as reflected
                return type_
    return type_


def _storable_column(column: sa.Column[Any], dialect: sa.Dialect) -> sa.Column[Any]:
    copy = column._copy()
    copy.type = _storable_type(column.type, dialect)
    return copy


def _table_spec(table: sa.Table, dialect: sa.Dialect) -> TableSpec:
    copy = table.to_metadata(sa.MetaData())
    for column in copy.columns:
        column.type = _storable_type(column.type, dialect)
    return TableSpec.from_table(copy, _PLACEHOLDER_CONVENTION)


def _with_if(op: MigrateOperation, flag: Any, when: str) -> MigrateOperation:
    if flag:
        op.info["alembic_if"] = when
    return op


def _recording(recorder: Recorder, call: Callable[[lops.Operations], Any]) -> list[MigrateOperation]:
    issued: list[MigrateOperation] = []
    call(lops.Operations(issued.append, naming_convention=_PLACEHOLDER_CONVENTION))
    return issued


def _create_table(operation: aops.CreateTableOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    table = result if isinstance(result, sa.Table) else operation.to_table(recorder.migration_context)
    op = lops.CreateTableOp(_table_spec(table, recorder.conn.dialect))
    return [_with_if(op, getattr(operation, "if_not_exists", None), "not_exists")]


def _drop_table(operation: aops.DropTableOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    op = lops.DropTableOp(operation.table_name, schema=operation.schema)
    return [_with_if(op, getattr(operation, "if_exists", None), "exists")]


def _rename_table(operation: aops.RenameTableOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    return [lops.RenameTableOp(operation.table_name, operation.new_table_name, schema=operation.schema)]


def _create_table_comment(operation: aops.CreateTableCommentOp, result: Any,
                          recorder: Recorder) -> list[MigrateOperation]:
    return [lops.CreateTableCommentOp(operation.table_name, operation.comment, schema=operation.schema)]


def _drop_table_comment(operation: aops.DropTableCommentOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    return [lops.DropTableCommentOp(operation.table_name, schema=operation.schema)]


def _add_column(operation: aops.AddColumnOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    column = _storable_column(operation.column, recorder.conn.dialect)
    issued = _recording(recorder, lambda op: op.add_column(operation.table_name, column, schema=operation.schema))
    if getattr(operation, "if_not_exists", None) and issued:
        issued[0].info["alembic_if"] = "not_exists"
    return issued


def _drop_column(operation: aops.DropColumnOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    op = lops.DropColumnOp(operation.table_name, operation.column_name, schema=operation.schema)
    return [_with_if(op, getattr(operation, "if_exists", None), "exists")]


def _alter_column(operation: aops.AlterColumnOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    dialect = recorder.conn.dialect
    type_ = _storable_type(operation.modify_type, dialect) if operation.modify_type is not None else None
    op = lops.AlterColumnOp._build(
        operation.table_name, operation.column_name, operation.schema,
        nullable=operation.modify_nullable, comment=operation.modify_comment,
        server_default=operation.modify_server_default, new_column_name=operation.modify_name, type_=type_,
    )
    return [op] if op.has_changes() else []


def _create_index(operation: aops.CreateIndexOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    index = operation.to_index(recorder.migration_context)
    table = index.table
    assert table is not None
    spec = named(IndexSpec.from_index(index), table.name)
    op = lops.CreateIndexOp(table.name, spec, schema=table.schema)
    return [_with_if(op, getattr(operation, "if_not_exists", None), "not_exists")]


def _drop_index(operation: aops.DropIndexOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    op = lops.DropIndexOp(operation.index_name, operation.table_name, schema=operation.schema)
    return [_with_if(op, getattr(operation, "if_exists", None), "exists")]


_SPEC_BY_VISIT: dict[str, tuple[Any, type[MigrateOperation]]] = {
    "primary_key_constraint": (PrimaryKeySpec, lops.CreatePrimaryKeyOp),
    "unique_constraint": (UniqueSpec, lops.CreateUniqueConstraintOp),
    "foreign_key_constraint": (ForeignKeySpec, lops.CreateForeignKeyOp),
    "check_constraint": (CheckSpec, lops.CreateCheckConstraintOp),
    "table_or_column_check_constraint": (CheckSpec, lops.CreateCheckConstraintOp),
    "column_check_constraint": (CheckSpec, lops.CreateCheckConstraintOp),
}


def _add_constraint(operation: aops.AddConstraintOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    constraint = operation.to_constraint(recorder.migration_context)
    known = _SPEC_BY_VISIT.get(constraint.__visit_name__)
    if known is None:
        raise _NotModelled(f"{constraint.__visit_name__} constraints are not in the vocabulary")
    spec_class, op_class = known
    table = constraint.table  # type: ignore[attr-defined]
    spec = spec_class.from_constraint(constraint)
    if spec.name is None:
        spec = named(spec, table.name, _PLACEHOLDER_CONVENTION)
    return [op_class(table.name, spec, schema=table.schema)]  # type: ignore[call-arg]


def _drop_constraint(operation: aops.DropConstraintOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    op = lops.DropConstraintOp(operation.constraint_name or "", operation.table_name,
                               type_=operation.constraint_type, schema=operation.schema)
    return [_with_if(op, getattr(operation, "if_exists", None), "exists")]


_CONVERTERS: dict[type, Callable[[Any, Any, Recorder], list[MigrateOperation]]] = {
    aops.CreateTableOp: _create_table,
    aops.DropTableOp: _drop_table,
    aops.RenameTableOp: _rename_table,
    aops.CreateTableCommentOp: _create_table_comment,
    aops.DropTableCommentOp: _drop_table_comment,
    aops.AddColumnOp: _add_column,
    aops.DropColumnOp: _drop_column,
    aops.AlterColumnOp: _alter_column,
    aops.CreateIndexOp: _create_index,
    aops.DropIndexOp: _drop_index,
    aops.CreatePrimaryKeyOp: _add_constraint,
    aops.CreateUniqueConstraintOp: _add_constraint,
    aops.CreateForeignKeyOp: _add_constraint,
    aops.CreateCheckConstraintOp: _add_constraint,
    aops.DropConstraintOp: _drop_constraint,
}
