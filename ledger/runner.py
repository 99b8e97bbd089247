"""Apply a project's revisions to a database while recording every op in its ledger.

How ``apply`` runs:

1. Connect, take the applier lock, create the ledger table if it is missing.
2. Under the lock (and, on SQLite, inside each write transaction) read the ledger events not
   yet seen and fold them: the schema state, which revisions are in effect, open intents.
3. Check the whole plan before anything runs: every op of every pending revision is completed
   and folded onto the state, so an op that does not fit stops the run with nothing applied.
4. Run each pending revision. PostgreSQL and SQLite: one transaction per revision holds its
   DDL and its events, so a failing statement leaves schema and ledger as they were. MySQL
   and MariaDB commit DDL implicitly: each op is preceded by an ``intent`` event (committed)
   and followed by its ``apply`` event; an intent without its event is "in doubt".

Every op is completed against the state it applies to before it is recorded, so that its
``reverse()`` is known; an empty revision is recorded as one ``apply`` event without an op.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from ops import InvalidOperationError, LedgerError, MigrateOperation, SchemaState

from . import dialects, faults
from .config import Config
from .db import READS_ONLY, DatabaseError, create_engine, dialect_of
from .events import STATE_KINDS, Actor, Event, in_effect
from .identifiers import check_op_names
from .revisions import Revision, RevisionChain, RevisionError, Step, display_path, load_revisions
from .store import LedgerStore, LockTimeout

__all__ = [
    "ApplyError",
    "ApplyResult",
    "InDoubtError",
    "LedgerView",
    "Progress",
    "apply",
    "connect",
    "store_for",
]

#: ``progress(revision, position, total, done)``: called before (done=False) and after each revision.
Progress = Callable[[Revision, int, int, bool], None]


class ApplyError(LedgerError, RuntimeError):
    """A statement failed while a revision was applied (the message says what was recorded)."""


class InDoubtError(LedgerError, RuntimeError):
    """The ledger holds an intent without its event: the live schema may differ from the fold."""


# ---------------------------------------------------------------------------------------------
# Connecting
# ---------------------------------------------------------------------------------------------


def store_for(config: Config) -> LedgerStore:
    return LedgerStore(config.ledger_table, config.ledger_schema)


def _safe_url(url: str) -> str:
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


@contextlib.contextmanager
def connect(url: str, *, reads_only: bool = False) -> Iterator[sa.Connection]:
    """A connection to ``url``; a database that cannot be reached is a DatabaseError, not a traceback.

    ``reads_only``: the connection never writes, so on SQLite it does not take the write lock.
    """
    engine = create_engine(url, poolclass=sa.pool.NullPool)
    try:
        try:
            conn = engine.connect()
        except sa.exc.DBAPIError as exc:
            raise DatabaseError(f"cannot connect to {_safe_url(url)}: {_db_message(exc)}{_why_not(engine)}") from None
        with conn:
            if reads_only:
                conn.execution_options(**{READS_ONLY: True})
            yield conn
    finally:
        engine.dispose()


def _why_not(engine: sa.Engine) -> str:
    """What SQLite's "unable to open database file" means, when it is a missing folder."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return ""
    folder = Path(database).expanduser().absolute().parent
    return f" (the folder {folder} does not exist)" if not folder.is_dir() else ""


def _db_message(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    text = " ".join(str(original).split())
    return text[:500]


def _db_user(conn: sa.Connection) -> str | None:
    dialect = dialect_of(conn)
    if dialect == "sqlite":
        return None
    query = "SELECT current_user" if dialect == "postgresql" else "SELECT CURRENT_USER()"
    with _tx(conn):
        return str(conn.exec_driver_sql(query).scalar())


@contextlib.contextmanager
def _tx(conn: sa.Connection) -> Iterator[sa.Connection]:
    """A transaction of its own: anything an earlier read left open is committed first."""
    if conn.in_transaction():
        conn.commit()
    with conn.begin():
        yield conn


# ---------------------------------------------------------------------------------------------
# The ledger, folded
# ---------------------------------------------------------------------------------------------


@attrs.define
class LedgerView:
    """What the events read so far say: the schema, the events in effect per revision, open intents.

    Fed incrementally (``feed``) so that a runner that re-reads the ledger under the lock
    only reads the events it has not seen.
    """

    state: SchemaState = attrs.field(factory=SchemaState)
    head: Event | None = None
    #: seq -> revision of every apply/revert/baseline event still in effect
    live: dict[int, str | None] = attrs.field(factory=dict)
    #: revision -> how many of its events are in effect
    counts: Counter[str | None] = attrs.field(factory=Counter)
    #: revision -> its latest apply event (for its recorded checksum)
    last_apply: dict[str, Event] = attrs.field(factory=dict)
    open_intents: dict[int, Event] = attrs.field(factory=dict)

    @property
    def last_seq(self) -> int:
        return self.head.seq if self.head else 0

    def feed(self, events: Iterable[Event]) -> None:
        for event in events:
            self._take(event)

    def _take(self, event: Event) -> None:
        if event.kind == "intent":
            self.open_intents[event.seq] = event
        elif event.kind in STATE_KINDS or event.kind == "abandon":
            self._settle(event)
        if event.kind in STATE_KINDS:
            op = event.op
            if op is not None:
                try:
                    self.state = op.apply(self.state)
                except InvalidOperationError as exc:
                    raise LedgerError(f"ledger seq {event.seq} does not fold onto the events before it: {exc}") from None
            if event.kind == "revert" and event.reverses is not None:
                if event.reverses in self.live:
                    self.counts[self.live.pop(event.reverses)] -= 1
            else:
                self.live[event.seq] = event.revision
                self.counts[event.revision] += 1
            if event.kind == "apply" and event.revision is not None:
                self.last_apply[event.revision] = event
        self.head = event

    def _settle(self, event: Event) -> None:
        for seq, intent in list(self.open_intents.items()):
            if event.reverses == seq or (intent.revision == event.revision and intent.payload == event.payload):
                del self.open_intents[seq]
                return

    def in_effect(self, revision: str) -> int:
        """How many of ``revision``'s events are in effect."""
        return self.counts[revision]

    @property
    def in_doubt(self) -> tuple[Event, ...]:
        return tuple(self.open_intents[s] for s in sorted(self.open_intents))

    @classmethod
    def read(cls, store: LedgerStore, conn: sa.Connection) -> LedgerView:
        view = cls()
        view.feed(store.events(conn))
        return view

    def refresh(self, store: LedgerStore, conn: sa.Connection, *, table_exists: bool | None = None) -> None:
        self.feed(store.events(conn, after_seq=self.last_seq, table_exists=table_exists))


def _expected_events(revision: Revision) -> int:
    return max(1, len(revision.ops))


def _pending(chain: RevisionChain, view: LedgerView, to: str | None, *, resume: bool = False) -> list[Revision]:
    """The revisions to apply, in chain order up to ``to``; a partial or out-of-order ledger is an error.

    With ``resume`` (MySQL/MariaDB, where a run stopped between two ops of a revision leaves
    it partly applied) the last applied revision may be partly applied: its first ops are in
    effect (ops run in order, reverts undo newest first), and it is pending for the rest.
    """
    if view.in_doubt:
        intent = view.in_doubt[0]
        raise InDoubtError(
            f"ledger seq {intent.seq} is in doubt: an intent without its event (revision {intent.revision}, "
            f"{intent.op_type}), so the live schema may not match the ledger; see `schema-ledger status`"
        )
    applied_after: Revision | None = None
    pending: list[Revision] = []
    targets = set(r.id for r in chain.upto(to))
    for revision in reversed(chain.revisions):
        count = view.in_effect(revision.id)
        recorded = view.last_apply.get(revision.id)
        # A file edited since it was applied may issue a different number of ops: that is a
        # changed file (a warning), not a partly applied revision.
        unchanged = recorded is None or recorded.revision_checksum == revision.checksum
        if count and unchanged and count != _expected_events(revision):
            if resume and applied_after is None and count < _expected_events(revision):
                applied_after = revision
                if revision.id in targets:
                    pending.append(revision)
                continue
            raise ApplyError(f"revision {revision.id} is partly applied ({count} of "
                             f"{_expected_events(revision)} ops in effect); roll it back or recover first")
        if count:
            applied_after = applied_after or revision
            continue
        if applied_after is not None:
            raise RevisionError(
                f"{display_path(revision.path)}: revision {revision.id} is not applied but its descendant {applied_after.id} is; "
                "a revision was inserted into the chain below applied ones"
            )
        if revision.id in targets:
            pending.append(revision)
    return list(reversed(pending))


def _check_plan(revisions: Sequence[Revision], view: LedgerView, dialect: str) -> None:
    """Fold every op of the plan onto the state: an op that does not fit, or that names something
    the database cannot hold, stops everything before it runs."""
    state = view.state
    for revision in revisions:
        # A partly applied revision (resumed on MySQL/MariaDB) has its first ops in the state already.
        for op in revision.ops[view.in_effect(revision.id):]:
            try:
                done = op.complete(state)
                state = done.apply(state)
                check_op_names(done, state, dialect)
            except LedgerError as exc:
                raise RevisionError(f"{display_path(revision.path)}: revision {revision.id}, {op.describe()}: {exc}") from None


# ---------------------------------------------------------------------------------------------
# Apply
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class AppliedRevision:
    revision: Revision
    events: tuple[Event, ...]
    statements: tuple[str, ...]


@attrs.frozen
class ApplyResult:
    """What ``apply`` did (or, with ``sql_only``, would do)."""

    applied: tuple[AppliedRevision, ...]
    head: Event | None
    #: with ``sql_only``: every statement, DDL and ledger INSERTs, in order
    sql: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: the last revision of the chain in effect afterwards (None: none is)
    current: str | None = None


@attrs.define
class _Run:
    """One apply run: the connection, the ledger, and how events are recorded."""

    conn: sa.Connection
    store: LedgerStore
    dialect: str
    actor: Actor
    why: str | None
    sql_only: bool
    view: LedgerView
    sql: list[str] = attrs.field(factory=list)

    # -- recording ----------------------------------------------------------------------------

    def record(self, kind: str, op: MigrateOperation | None, revision: Revision) -> Event:
        message = self.why or revision.message or None
        if self.sql_only:
            head = self.view.head
            event = Event.following(
                head, kind=kind, op=op,
                revision=revision.id, message=message, actor=self.actor, revision_checksum=revision.checksum,
            )
            self.sql.append(self.store.insert_sql(event, self.conn.dialect))
        else:
            # The view was read under the lock (on SQLite in this transaction) and fed every event since.
            event = self.store.append(self.conn, kind=kind, op=op, revision=revision.id, message=message,
                                      actor=self.actor, revision_checksum=revision.checksum, after=self.view.head)
            faults.boundary(f"event {kind} {revision.id}")
        self.view.feed([event])
        return event

    def run_ddl(self, statements: Sequence[str], revision: Revision, op: MigrateOperation) -> None:
        if self.sql_only:
            self.sql.extend(statements)
            return
        for statement in statements:
            try:
                dialects.execute(self.conn, [statement])
            except sa.exc.DBAPIError as exc:
                raise _StatementFailed(revision, op, _db_message(exc)) from None
            faults.boundary(f"ddl {revision.id}")

    # -- one revision --------------------------------------------------------------------------

    def steps_of(self, revision: Revision, skip: int = 0) -> Iterator[tuple[Step, list[MigrateOperation], SchemaState]]:
        """Each step with its ops completed against the state they apply to, and the state before it;
        the first ``skip`` ops of the revision (already in effect) are left out."""
        for step in revision.steps:
            if skip >= len(step.ops):
                skip -= len(step.ops)
                continue
            todo, skip = step.ops[skip:], 0
            before = self.view.state
            state = before
            completed = []
            for op in todo:
                done = op.complete(state)
                state = done.apply(state)
                completed.append(done)
            yield step, completed, before

    def transactional(self, revision: Revision) -> AppliedRevision:
        """PostgreSQL and SQLite: the DDL and events of a revision in the current transaction."""
        events: list[Event] = []
        statements: list[str] = []
        for step, ops, before in self.steps_of(revision):
            if step.batch and self.dialect == "sqlite" and len(ops) > 1:
                ddl = dialects.ddl_batch(ops, before, self.dialect, conn=self.conn)
                self.run_ddl(ddl, revision, _BatchDescription(step, ops))
                statements += ddl
                for op in ops:
                    events.append(self.record("apply", op, revision))
                continue
            for op in ops:
                ddl = dialects.ddl(op, self.view.state, self.dialect, conn=self.conn)
                self.run_ddl(ddl, revision, op)
                statements += ddl
                events.append(self.record("apply", op, revision))
        if not revision.ops:
            events.append(self.record("apply", None, revision))
        return AppliedRevision(revision, tuple(events), tuple(statements))

    def bracketed(self, revision: Revision) -> AppliedRevision:
        """MySQL/MariaDB: each op between a committed intent and its apply event.

        A partly applied revision (a run stopped between two of its ops) goes on after the ops
        already in effect.
        """
        events: list[Event] = []
        statements: list[str] = []
        for _step, ops, _before in self.steps_of(revision, skip=self.view.in_effect(revision.id)):
            for op in ops:
                ddl = dialects.ddl(op, self.view.state, self.dialect, conn=self.conn)
                intent: Event | None = None  # set once the intent is committed
                try:
                    with self.transaction(commits=True):
                        recorded = self.record("intent", op, revision)
                    intent = recorded
                    with self.transaction():
                        self.run_ddl(ddl, revision, op)
                    statements += ddl
                    with self.transaction(commits=True):
                        events.append(self.record("apply", op, revision))
                except (_StatementFailed, sa.exc.DBAPIError) as exc:
                    failed = exc if isinstance(exc, _StatementFailed) else _StatementFailed(revision, op, _db_message(exc))
                    raise ApplyError(f"{failed}; {_in_doubt_note(intent)}") from None
        if not revision.ops:
            try:
                with self.transaction(commits=True):
                    events.append(self.record("apply", None, revision))
            except sa.exc.DBAPIError as exc:
                raise ApplyError(f"revision {revision.id} ({revision.path.name}): {_db_message(exc)}; the revision "
                                 "may or may not be recorded: see `schema-ledger status`") from None
        return AppliedRevision(revision, tuple(events), tuple(statements))

    @contextlib.contextmanager
    def transaction(self, *, commits: bool = False) -> Iterator[None]:
        if self.sql_only:
            yield
            return
        with _tx(self.conn):
            yield
        if commits:
            faults.boundary("commit")


def _in_doubt_note(intent: Event | None) -> str:
    """What a failure between an intent and its event leaves behind (MySQL/MariaDB)."""
    if intent is None:
        return ("nothing of the op ran; its intent may or may not have been recorded: if `schema-ledger status` "
                "shows one in doubt, `schema-ledger recover` settles it")
    return (f"ledger seq {intent.seq} (intent) is now in doubt: MariaDB/MySQL commit DDL one statement at a time, "
            "so part of the op may have run; `schema-ledger recover` settles it from the live schema "
            "(see `schema-ledger status`)")


@attrs.frozen
class _BatchDescription:
    """Stands for the ops of a batch block in an error message."""

    step: Step
    ops: list[MigrateOperation]

    def describe(self) -> str:
        return "batch on " + (self.step.table_name or "?") + ": " + "; ".join(op.describe() for op in self.ops)


class _StatementFailed(Exception):
    def __init__(self, revision: Revision, op: Any, message: str) -> None:
        super().__init__(f"revision {revision.id} ({revision.path.name}), {op.describe()}: {message}")


def apply(
    config: Config,
    *,
    chain: RevisionChain | None = None,
    to: str | None = None,
    sql_only: bool = False,
    why: str | None = None,
    by: str | None = None,
    lock_timeout: float = 60.0,
    progress: Progress | None = None,
) -> ApplyResult:
    """Apply the pending revisions of ``config``'s project up to ``to`` (all when None)."""
    if chain is None:
        chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention)
    if to is not None:
        chain.resolve(to)
    store = store_for(config)
    with connect(config.url) as conn, _wrap_db_errors(lock_timeout):
        dialect = dialects.dialect_name(conn)
        actor = Actor.current(db_user=_db_user(conn), by=by)
        if sql_only:
            return _apply_sql(conn, store, dialect, actor, chain, to, why)
        done: list[AppliedRevision] = []
        total: int | None = None
        with store.lock(conn, lock_timeout):
            view = LedgerView()
            run = _Run(conn, store, dialect, actor, why, False, view)
            # The ledger is read once when the lock is taken: under it nothing else writes, and
            # this run feeds its own events to the view. SQLite's write lock comes with each
            # transaction (BEGIN IMMEDIATE), so there each revision's transaction reads again.
            read, created = False, False
            while True:
                try:
                    if dialect == "mysql":
                        if not read:
                            with _tx(conn):
                                view.refresh(store, conn)
                            read = True
                        revision, total = _next(chain, view, to, total, dialect)
                        if revision is None:
                            break
                        if not created:
                            with _tx(conn):
                                store.create(conn)
                            created = True
                        _announce(progress, revision, len(done) + 1, total, False)
                        done.append(run.bracketed(revision))
                    else:
                        revision, committing = None, False
                        try:
                            with _tx(conn):
                                # Created in the first revision's transaction: a run stopped by the
                                # plan check leaves the database exactly as it was (and a failed
                                # transaction ends the run, so "created" is never stale).
                                if not created:
                                    store.create(conn)
                                    created = True
                                if not read or dialect == "sqlite":
                                    view.refresh(store, conn, table_exists=True)
                                    read = True
                                revision, total = _next(chain, view, to, total, dialect)
                                if revision is None:
                                    break
                                _announce(progress, revision, len(done) + 1, total, False)
                                applied = run.transactional(revision)
                                committing = True
                        except _StatementFailed as failed:
                            raise ApplyError(f"{failed}; rolled back: nothing of the revision was applied or recorded") from None
                        except sa.exc.DBAPIError as exc:
                            if revision is None:
                                raise
                            raise ApplyError(_failed_transaction(revision, exc, committing)) from None
                        faults.boundary("commit")
                        done.append(applied)
                except sa.exc.DBAPIError as exc:
                    # Between two revisions (reading the ledger): say how far the run got.
                    if not done:
                        raise
                    note = f"revisions up to {done[-1].revision.id} were applied and recorded, nothing of the next one ran"
                    if "database is locked" in _db_message(exc):
                        raise LockTimeout(f"another writer holds the SQLite database's write lock (waited "
                                          f"{lock_timeout:g} s); {note}") from None
                    raise ApplyError(f"{_db_message(exc)}; {note}") from None
                _announce(progress, revision, len(done), total, True)
            head = view.head
    return ApplyResult(tuple(done), head, warnings=tuple(_checksum_warnings(chain, view)),
                       current=_current(chain, view))


def _current(chain: RevisionChain, view: LedgerView) -> str | None:
    applied = [r.id for r in chain if view.in_effect(r.id)]
    return applied[-1] if applied else None


def _next(
    chain: RevisionChain, view: LedgerView, to: str | None, total: int | None, dialect: str
) -> tuple[Revision | None, int]:
    """The next revision to apply; on the first call the whole plan is checked and counted."""
    pending = _pending(chain, view, to, resume=dialect == "mysql")
    if total is None:
        _check_plan(pending, view, dialect)
        total = len(pending)
    return (pending[0] if pending else None), total


def _failed_transaction(revision: Revision, exc: sa.exc.DBAPIError, committing: bool) -> str:
    """The message for a revision whose transaction failed outside its DDL (a lost connection, most often)."""
    where = f"revision {revision.id} ({revision.path.name}): {_db_message(exc)}"
    if committing:
        return (f"{where}; the connection failed while the revision was committed: it is either wholly recorded "
                "or not at all, and `schema-ledger status` tells which")
    return f"{where}; rolled back: nothing of the revision was applied or recorded"


def _announce(progress: Progress | None, revision: Revision, position: int, total: int, done: bool) -> None:
    if progress is not None:
        progress(revision, position, total, done)


def _apply_sql(
    conn: sa.Connection, store: LedgerStore, dialect: str, actor: Actor, chain: RevisionChain, to: str | None,
    why: str | None,
) -> ApplyResult:
    """The statements ``apply`` would run from the ledger's current state, run nowhere."""
    with _tx(conn):
        view = LedgerView.read(store, conn)
        exists = store.exists(conn)
    pending = _pending(chain, view, to, resume=dialect == "mysql")
    _check_plan(pending, view, dialect)
    run = _Run(conn, store, dialect, actor, why, True, view)
    if not exists:
        run.sql.append(str(sa.schema.CreateTable(store.table).compile(dialect=conn.dialect)).strip())
        for index in sorted(store.table.indexes, key=lambda i: str(i.name)):
            run.sql.append(str(sa.schema.CreateIndex(index).compile(dialect=conn.dialect)))
        run.sql.extend(store.trigger_sql(dialect, conn.dialect))
    applied = []
    for revision in pending:
        applied.append(run.bracketed(revision) if dialect == "mysql" else run.transactional(revision))
    return ApplyResult(tuple(applied), view.head, sql=tuple(run.sql), current=_current(chain, view))


@contextlib.contextmanager
def _wrap_db_errors(lock_timeout: float | None = None) -> Iterator[None]:
    try:
        yield
    except sa.exc.DBAPIError as exc:
        message = _db_message(exc)
        # SQLite's applier lock is its write lock: waiting it out ends in "database is locked".
        if lock_timeout is not None and "database is locked" in message:
            raise LockTimeout(f"another writer holds the SQLite database's write lock (waited {lock_timeout:g} s; "
                              "raise --lock-timeout to wait longer)") from None
        raise DatabaseError(message) from None


def _checksum_warnings(chain: RevisionChain, view: LedgerView) -> list[str]:
    warnings = []
    for revision in chain:
        event = view.last_apply.get(revision.id)
        if event is not None and view.in_effect(revision.id) and event.revision_checksum and event.revision_checksum != revision.checksum:
            warnings.append(f"{display_path(revision.path)}: revision {revision.id} changed since it was applied "
                            f"(ledger seq {event.seq} recorded checksum {event.revision_checksum[:12]})")
    return warnings
