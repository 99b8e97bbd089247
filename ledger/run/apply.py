"""Apply a project's revisions to a database while recording every op in its ledger.

How ``apply`` runs:

1. Connect, take the applier lock, create the ledger table if it is missing.
2. Under the lock (and, on SQLite, inside each write transaction) read the ledger events not
   yet seen and fold them: the schema state, which revisions are in effect, open intents.
3. Check the whole plan before anything runs: every op of every pending revision is completed
   and folded onto the state, so an op that does not fit stops the run with nothing applied.
4. Run each pending revision with the ops the plan completed (nothing is completed or folded
   twice). PostgreSQL and SQLite: one transaction per revision holds its DDL and its events
   (INSERTed together, in one round trip, before it commits), so a failing statement leaves
   schema and ledger as they were. With ``one_transaction`` (``apply --one-transaction``)
   every pending revision runs in one transaction: one commit for the run, and a failure
   anywhere leaves schema and ledger as they were before it. MySQL and MariaDB commit DDL
   implicitly: each op is preceded by an ``intent`` event (committed) and followed by its
   ``apply`` event; an intent without its event is "in doubt" (``one_transaction`` is refused).

Every op is completed against the state it applies to before it is recorded, so that its
``reverse()`` is known; an empty revision is recorded as one ``apply`` event without an op.
Events are written by :class:`ledger.run.recorder.Recorder`, shared with ``rollback``, which also
writes a snapshot when the ledger reaches a multiple of :data:`ledger.storage.snapshots.EVERY`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from ops import AlterColumnOp, LedgerError, MigrateOperation, SchemaState

from ledger import dialects
from ledger.project.config import Config
from ledger.schema.dataloss import Consent, Loss, measure
from ledger.format.events import Actor, Event
from ledger.dialects.identifiers import check_op_names
from ledger.project.revisions import Revision, RevisionChain, RevisionError, Step, display_path, load_revisions
from ledger.run.recorder import Recorder, StatementFailed, TransactionFailed, in_transactions
from ledger.storage.session import connect, db_message, db_user, store_for, tx, wrap_db_errors
from ledger.storage.store import LedgerStore, LockTimeout
from ledger.storage.view import LedgerView

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


class FileLessRevisions(ApplyError):
    """The ledger has revisions in effect that no migration file defines (exit 1)."""


class InDoubtError(LedgerError, RuntimeError):
    """The ledger holds an intent without its event: the live schema may differ from the fold."""


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
            f"{intent.op_type}), so the live schema may not match the ledger; run `schema-ledger recover`"
        )
    file_less_in_effect(chain, view)
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


def file_less_in_effect(chain: RevisionChain, view: LedgerView) -> None:
    """Refuse while the ledger has revisions in effect that no migration file defines (a branch switch,
    a deleted file): files and database must agree before anything runs."""
    missing: dict[str, int] = {}
    for seq, revision in view.live.items():
        if revision is not None and chain.get(revision) is None:
            missing[revision] = min(seq, missing.get(revision, seq))
    if missing:
        names = sorted(missing, key=missing.__getitem__)
        below = min(missing.values()) - 1
        raise FileLessRevisions(
            f"the ledger has {'revision' if len(names) == 1 else 'revisions'} {', '.join(names)} in effect that no "
            f"migration file defines: check out the branch that has "
            f"{'its file' if len(names) == 1 else 'their files'}, or roll {'it' if len(names) == 1 else 'them'} back "
            f"first with `schema-ledger rollback --to @{below}` (a rollback reverses the ledger's own events and "
            "needs no file)")


@attrs.frozen
class _PlannedStep:
    """A step's ops completed against the states they apply to: ``states[i]`` is the state before
    ``ops[i]``, ``states[-1]`` the state after the step."""

    step: Step
    ops: tuple[MigrateOperation, ...]
    states: tuple[SchemaState, ...]


@attrs.frozen
class _Planned:
    """One revision of the plan: its steps, and the state the plan expects before it."""

    revision: Revision
    steps: tuple[_PlannedStep, ...]
    before: SchemaState


def plan_revision(revision: Revision, state: SchemaState, dialect: str, skip: int = 0) -> _Planned:
    """Complete and fold every op of ``revision`` onto ``state``, leaving out its first ``skip`` ops (in
    effect already); an op that does not fit, or that names something the database cannot hold, is a
    RevisionError."""
    before = state
    steps: list[_PlannedStep] = []
    for step in revision.steps:
        if skip >= len(step.ops):
            skip -= len(step.ops)
            continue
        todo, skip = step.ops[skip:], 0
        done_ops: list[MigrateOperation] = []
        states = [state]
        for op in todo:
            try:
                done = op.complete(state)
                state = done.apply(state)
                check_op_names(done, state, dialect)
                dialects.check_implemented(done, dialect)
            except LedgerError as exc:
                raise RevisionError(f"{display_path(revision.path)}: revision {revision.id}, {op.describe()}: {exc}") from None
            done_ops.append(done)
            states.append(state)
        steps.append(_PlannedStep(step, tuple(done_ops), tuple(states)))
    return _Planned(revision, tuple(steps), before)


def _check_plan(revisions: Sequence[Revision], view: LedgerView, dialect: str) -> list[_Planned]:
    """Fold every op of the plan onto the state: an op that does not fit stops everything before it
    runs. The completed ops and the states between them are what the run then executes and records."""
    state = view.state
    plan = []
    for revision in revisions:
        # A partly applied revision (resumed on MySQL/MariaDB) has its first ops in the state already.
        planned = plan_revision(revision, state, dialect, skip=view.in_effect(revision.id))
        plan.append(planned)
        state = planned.steps[-1].states[-1] if planned.steps else state
    return plan


@attrs.define
class _Planner:
    """Checks the whole plan once, then hands out one revision at a time with its completed ops.

    The plan is walked as made while the only events the view gets are this run's own; a read
    that brings someone else's events (SQLite, between two transactions) makes it look at the
    ledger again (and complete the next revision against the state the ledger now gives).
    """

    chain: RevisionChain
    to: str | None
    dialect: str
    total: int | None = None
    #: the connection and ledger table whose touched tables are compared with the ledger before
    #: the first revision (None: not compared, --ignore-drift)
    drift_check: tuple[sa.Connection, str] | None = None
    plans: dict[str, _Planned] = attrs.field(factory=dict)
    queue: list[Revision] = attrs.field(factory=list)
    #: the view's ``reads`` when the queue was made
    read_at: int = -1
    #: called with the checked plan, once, before anything of it runs (the data-loss check)
    on_plan: Callable[[Sequence[_Planned]], None] | None = None

    def next(self, view: LedgerView) -> Revision | None:
        """The next revision to apply; on the first call the whole plan is checked and counted."""
        if self.read_at != view.reads:
            self.queue = _pending(self.chain, view, self.to, resume=not dialects.transactional_ddl(self.dialect))
            self.read_at = view.reads
            if self.total is None:
                checked = _check_plan(self.queue, view, self.dialect)
                self.plans = {p.revision.id: p for p in checked}
                self.total = len(self.queue)
                if self.drift_check is not None and self.plans:
                    from ledger.inspect.audit import check_touched_drift, touched_tables

                    ops = (op for p in self.plans.values() for step in p.steps for op in step.ops)
                    check_touched_drift(*self.drift_check, view.state, touched_tables(ops))
                if self.on_plan is not None:
                    self.on_plan(checked)
            self.queue.reverse()
        return self.queue.pop() if self.queue else None

    def planned(self, revision: Revision, view: LedgerView) -> _Planned:
        plan = self.plans.get(revision.id)
        if plan is None or plan.before is not view.state:
            plan = plan_revision(revision, view.state, self.dialect, skip=view.in_effect(revision.id))
        return plan


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
    #: data the run drops or narrows, counted before it ran (with ``sql_only``: would drop)
    losses: tuple[Loss, ...] = ()


def plan_losses(conn: sa.Connection, plan: Sequence[_Planned]) -> list[Loss]:
    """What data the checked ``plan`` drops or narrows, counted in the live database."""
    if not plan:
        return []
    steps = [(op, before, f"revision {planned.revision.id}") for planned in plan for step in planned.steps
             for op, before in zip(step.ops, step.states)]
    return measure(conn, plan[0].before, steps)


@attrs.define
class _Run:
    """One apply run: what it records (through the shared recorder) and why."""

    recorder: Recorder
    why: str | None

    def record(self, kind: str, op: MigrateOperation | None, state: SchemaState, revision: Revision) -> Event:
        return self.recorder.record(kind, op, state, revision=revision.id, message=self.why or revision.message or None,
                                    revision_checksum=revision.checksum)

    def run_ddl(self, statements: Sequence[str], revision: Revision, op: Any) -> None:
        self.recorder.run_ddl(statements, revision.id, lambda message: _StatementFailed(revision, op, message))

    def check_fits(self, op: MigrateOperation, before: SchemaState, revision: Revision) -> None:
        self.recorder.check_fits(op, before, lambda message: _StatementFailed(revision, op, message))

    def transactional(self, planned: _Planned) -> AppliedRevision:
        """PostgreSQL and SQLite: the DDL and events of a revision in the current transaction."""
        revision = planned.revision
        dialect, conn = self.recorder.dialect, self.recorder.conn
        events: list[Event] = []
        statements: list[str] = []
        for planned_step in planned.steps:
            step, ops, states = planned_step.step, planned_step.ops, planned_step.states
            if step.batch and dialects.database(dialect).rebuilds_batches and len(ops) > 1:
                for op, before in zip(ops, states):
                    # The live table is the one before the batch: a column renamed or changed by an
                    # earlier op of the batch is not there yet to be looked at.
                    if _unchanged_column(op, states[0], before):
                        self.check_fits(op, before, revision)
                ddl = dialects.ddl_batch(ops, states[0], dialect, conn=conn)
                self.run_ddl(ddl, revision, _BatchDescription(step, list(ops)))
                statements += ddl
                for op, after in zip(ops, states[1:]):
                    events.append(self.record("apply", op, after, revision))
                continue
            for op, before, after in zip(ops, states, states[1:]):
                self.check_fits(op, before, revision)
                ddl = dialects.ddl(op, before, dialect, conn=conn)
                self.run_ddl(ddl, revision, op)
                statements += ddl
                events.append(self.record("apply", op, after, revision))
        if not revision.ops:
            events.append(self.record("apply", None, planned.before, revision))
        return AppliedRevision(revision, tuple(events), tuple(statements))

    def bracketed(self, planned: _Planned) -> AppliedRevision:
        """MySQL/MariaDB: each op between a committed intent and its apply event.

        A partly applied revision (a run stopped between two of its ops) goes on after the ops
        already in effect (the plan leaves them out).
        """
        revision = planned.revision
        dialect, conn = self.recorder.dialect, self.recorder.conn
        events: list[Event] = []
        statements: list[str] = []
        for planned_step in planned.steps:
            for op, before, after in zip(planned_step.ops, planned_step.states, planned_step.states[1:]):
                ddl = dialects.ddl(op, before, dialect, conn=conn)
                intent: Event | None = None  # set once the intent is committed
                try:
                    with self.recorder.transaction():
                        self.check_fits(op, before, revision)
                except _StatementFailed as failed:
                    raise ApplyError(f"{failed}; nothing of the op ran or was recorded") from None
                try:
                    with self.recorder.transaction(commits=True):
                        recorded = self.record("intent", op, before, revision)
                    intent = recorded
                    with self.recorder.transaction():
                        self.run_ddl(ddl, revision, op)
                    statements += ddl
                    with self.recorder.transaction(commits=True):
                        events.append(self.record("apply", op, after, revision))
                except (_StatementFailed, sa.exc.DBAPIError) as exc:
                    failed = exc if isinstance(exc, _StatementFailed) else _StatementFailed(revision, op, db_message(exc))
                    raise ApplyError(f"{failed}; {_in_doubt_note(intent)}") from None
        if not revision.ops:
            try:
                with self.recorder.transaction(commits=True):
                    events.append(self.record("apply", None, planned.before, revision))
            except sa.exc.DBAPIError as exc:
                raise ApplyError(f"revision {revision.id} ({revision.path.name}): {db_message(exc)}; the revision "
                                 "may or may not be recorded: see `schema-ledger status`") from None
        return AppliedRevision(revision, tuple(events), tuple(statements))


def _unchanged_column(op: MigrateOperation, start: SchemaState, before: SchemaState) -> bool:
    """Whether the column ``op`` alters is, in ``before``, the same as in ``start``."""
    if not isinstance(op, AlterColumnOp):
        return False
    key = (op.schema, op.table_name)
    old, now = start.tables.get(key), before.tables.get(key)
    return old is not None and now is not None and old.column(op.column_name) is not None \
        and old.column(op.column_name) == now.column(op.column_name)


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


class _StatementFailed(StatementFailed):
    def __init__(self, revision: Revision, op: Any, message: str) -> None:
        super().__init__(f"revision {revision.id} ({revision.path.name}), {op.describe()}: {message}")


def one_transaction_refused(dialect: str, error: type[ApplyError] = ApplyError) -> None:
    """``one_transaction`` needs transactional DDL: MySQL/MariaDB commit each DDL statement."""
    if not dialects.transactional_ddl(dialect):
        raise error("--one-transaction needs transactional DDL (PostgreSQL or SQLite): MySQL and MariaDB "
                         "commit each DDL statement on its own")


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
    one_transaction: bool = False,
    ignore_drift: bool = False,
    consent: Consent | None = None,
) -> ApplyResult:
    """Apply the pending revisions of ``config``'s project up to ``to`` (all when None).

    Before the first revision runs, the tables the plan touches are compared with the ledger:
    a difference stops the run (``DriftError``) unless ``ignore_drift``.

    ``one_transaction`` (PostgreSQL and SQLite): every pending revision in one transaction, so a
    failure anywhere leaves schema and ledger as they were before the run.
    ``consent``: called, under the lock and before any statement runs, with the data the plan
    drops or narrows (tables and columns holding rows, with their counts); it raises to refuse.
    None: no such check (a scratch database, a drill).
    """
    if chain is None:
        chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention)
    if to is not None:
        chain.resolve(to)
    store = store_for(config)
    with connect(config.url) as conn, wrap_db_errors(lock_timeout):
        dialect = dialects.dialect_name(conn)
        if one_transaction:
            one_transaction_refused(dialect)
        actor = Actor.current(db_user=db_user(conn), by=by)
        if sql_only:
            return _apply_sql(conn, store, dialect, actor, chain, to, why)
        losses: list[Loss] = []

        def on_plan(plan: Sequence[_Planned]) -> None:
            losses.extend(plan_losses(conn, plan))
            if losses and consent is not None:
                consent(losses)

        planner = _Planner(chain, to, dialect, on_plan=on_plan if consent is not None else None)
        planner.drift_check = None if ignore_drift else (conn, config.ledger_table)
        with store.lock(conn, lock_timeout):
            view = LedgerView(state=dialects.empty_state(dialect))
            run = _Run(Recorder(conn, store, dialect, actor, False, view), why)
            if not dialects.transactional_ddl(dialect):
                done = _apply_bracketed(run, planner, progress)
            else:
                done = _apply_transactional(run, planner, progress, one_transaction=one_transaction,
                                            lock_timeout=lock_timeout)
            head = view.head
    return ApplyResult(tuple(done), head, warnings=tuple(_checksum_warnings(chain, view)),
                       current=_current(chain, view), losses=tuple(losses))


def _apply_bracketed(run: _Run, planner: _Planner, progress: Progress | None) -> list[AppliedRevision]:
    """MySQL/MariaDB: the ledger read once under the lock, then each revision op by op."""
    conn, store, view = run.recorder.conn, run.recorder.store, run.recorder.view
    done: list[AppliedRevision] = []
    with tx(conn):
        view.refresh(store, conn)
    created = False
    while True:
        try:
            revision = planner.next(view)
            if revision is None:
                break
            if not created:
                with tx(conn):
                    store.create(conn)
                created = True
            _announce(progress, revision, len(done) + 1, planner.total or 0, False)
            done.append(run.bracketed(planner.planned(revision, view)))
        except sa.exc.DBAPIError as exc:
            _between_revisions(exc, done)
        _announce(progress, revision, len(done), planner.total or 0, True)
    return done


def _apply_transactional(run: _Run, planner: _Planner, progress: Progress | None, *, one_transaction: bool,
                         lock_timeout: float) -> list[AppliedRevision]:
    """PostgreSQL and SQLite: each revision's DDL and events in one transaction (``one_transaction``:
    all revisions in one).

    The ledger is read once when the lock is taken: under it nothing else writes, and this run
    feeds its own events to the view. SQLite's write lock comes with each transaction (BEGIN
    IMMEDIATE), so there each revision's transaction reads again.
    """
    recorder = run.recorder
    conn, store, view = recorder.conn, recorder.store, recorder.view

    def next_revision(first: bool, read: bool) -> Revision | None:
        # Created in the first transaction: a run stopped by the plan check leaves the database
        # exactly as it was (and a failed transaction ends the run, so it is never stale).
        if first:
            store.create(conn)
        if read:
            view.refresh(store, conn, table_exists=True)
        return planner.next(view)

    try:
        return in_transactions(
            recorder, next_revision, lambda revision: run.transactional(planner.planned(revision, view)),
            lambda revision, position, finished: _announce(progress, revision, position, planner.total or 0, finished),
            one_transaction=one_transaction,
        )
    except _StatementFailed as failed:
        raise ApplyError(f"{failed}; rolled back: {_nothing_recorded(one_transaction)}") from None
    except TransactionFailed as failed:
        if failed.unit is None:
            _between_revisions(failed.error, failed.done, lock_timeout)
        raise ApplyError(_failed_transaction(failed.unit, failed.error, failed.committing, one_transaction)) from None


def _nothing_recorded(one_transaction: bool) -> str:
    if one_transaction:
        return "nothing of this run was applied or recorded (--one-transaction)"
    return "nothing of the revision was applied or recorded"


def _between_revisions(exc: sa.exc.DBAPIError, done: Sequence[AppliedRevision], lock_timeout: float = 60.0) -> None:
    """A failure between two revisions (reading the ledger): say how far the run got."""
    if not done:
        raise exc
    note = f"revisions up to {done[-1].revision.id} were applied and recorded, nothing of the next one ran"
    if "database is locked" in db_message(exc):
        raise LockTimeout(f"another writer holds the SQLite database's write lock (waited "
                          f"{lock_timeout:g} s); {note}") from None
    raise ApplyError(f"{db_message(exc)}; {note}") from None


def _current(chain: RevisionChain, view: LedgerView) -> str | None:
    applied = [r.id for r in chain if view.in_effect(r.id)]
    return applied[-1] if applied else None


def _failed_transaction(revision: Revision, exc: sa.exc.DBAPIError, committing: bool, one_transaction: bool = False) -> str:
    """The message for a revision whose transaction failed outside its DDL (a lost connection, most often)."""
    where = f"revision {revision.id} ({revision.path.name}): {db_message(exc)}"
    if committing:
        what = "the run" if one_transaction else "the revision"
        return (f"{where}; the connection failed while {what} was committed: it is either wholly recorded "
                "or not at all, and `schema-ledger status` tells which")
    return f"{where}; rolled back: {_nothing_recorded(one_transaction)}"


def _announce(progress: Progress | None, revision: Revision, position: int, total: int, done: bool) -> None:
    if progress is not None:
        progress(revision, position, total, done)


def _apply_sql(
    conn: sa.Connection, store: LedgerStore, dialect: str, actor: Actor, chain: RevisionChain, to: str | None,
    why: str | None,
) -> ApplyResult:
    """The statements ``apply`` would run from the ledger's current state, run nowhere."""
    with tx(conn):
        view = LedgerView.read(store, conn)
        exists = store.exists(conn)
    pending = _pending(chain, view, to, resume=not dialects.transactional_ddl(dialect))
    plan = _check_plan(pending, view, dialect)
    with tx(conn):
        losses = plan_losses(conn, plan) if exists else []
    recorder = Recorder(conn, store, dialect, actor, True, view)
    run = _Run(recorder, why)
    if not exists:
        recorder.sql.append(str(sa.schema.CreateTable(store.table).compile(dialect=conn.dialect)).strip())
        for index in sorted(store.table.indexes, key=lambda i: str(i.name)):
            recorder.sql.append(str(sa.schema.CreateIndex(index).compile(dialect=conn.dialect)))
        recorder.sql.extend(store.trigger_sql(dialect, conn.dialect))
    applied = []
    for planned in plan:
        applied.append(run.transactional(planned) if dialects.transactional_ddl(dialect) else run.bracketed(planned))
    return ApplyResult(tuple(applied), view.head, sql=tuple(recorder.sql), current=_current(chain, view),
                       losses=tuple(losses))


def _checksum_warnings(chain: RevisionChain, view: LedgerView) -> list[str]:
    warnings = []
    for revision in chain:
        event = view.last_apply.get(revision.id)
        if event is not None and view.in_effect(revision.id) and event.revision_checksum and event.revision_checksum != revision.checksum:
            warnings.append(f"{display_path(revision.path)}: revision {revision.id} changed since it was applied "
                            f"(ledger seq {event.seq} recorded checksum {event.revision_checksum[:12]})")
    return warnings
