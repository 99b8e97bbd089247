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
The plan is run by :class:`ledger.run.executor.Executor`, shared with ``rollback``; events are
written by :class:`ledger.storage.journal.Journal`, the one event writer, which also writes a
snapshot when the ledger reaches a multiple of :data:`ledger.storage.snapshots.EVERY`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import sqlalchemy as sa

from ops import LedgerError, MigrateOperation, SchemaState
from ops.classes import Value

from ledger import dialects
from ledger.project.config import BASELINE_FILE, Config
from ledger.schema.dataloss import Consent, Loss, measure
from ledger.format.events import Actor, Event
from ledger.dialects.identifiers import check_op_names
from ledger.project.revisions import Revision, RevisionChain, RevisionError, Step, display_path, load_revisions
from ledger.run.executor import (
    ApplyError,
    Batch,
    Executed,
    Executor,
    InDoubtError,
    PlannedStep,
    Unit,
    Wording,
    one_transaction_refused,
    refuse_in_doubt,
)
from ledger.storage.journal import Journal
from ledger.storage.session import connect, db_message, db_user, store_for, tx, wrap_db_errors
from ledger.storage.store import LedgerStore, LockTimeout
from ledger.storage.view import LedgerView

__all__ = [
    "ApplyError",
    "ApplyResult",
    "InDoubtError",
    "LedgerView",
    "NotAdopted",
    "Progress",
    "apply",
    "connect",
    "store_for",
]

#: ``progress(revision, position, total, done)``: called before (done=False) and after each revision.
Progress = Callable[[Revision, int, int, bool], None]


class FileLessRevisions(ApplyError):
    """The ledger has revisions in effect that no migration file defines (exit 1)."""


def _expected_events(revision: Revision) -> int:
    return max(1, len(revision.ops))


def _pending(chain: RevisionChain, view: LedgerView, to: str | None, *, resume: bool = False) -> list[Revision]:
    """The revisions to apply, in chain order up to ``to``; a partial or out-of-order ledger is an error.

    With ``resume`` (MySQL/MariaDB, where a run stopped between two ops of a revision leaves
    it partly applied) the last applied revision may be partly applied: its first ops are in
    effect (ops run in order, reverts undo newest first), and it is pending for the rest.
    """
    refuse_in_doubt(view)
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


class NotAdopted(ApplyError):
    """The migrations start from a schema (``baseline.json``) that the database's ledger does not hold."""


def _starting_tables(folder: Path) -> list[str]:
    """The tables of the schema the migrations in ``folder`` start from (its ``baseline.json``)."""
    try:
        data = json.loads((folder / BASELINE_FILE).read_text(encoding="utf-8"))
        return sorted(str(t["name"]) for t in data["tables"])
    except (OSError, ValueError, KeyError, TypeError):
        return []  # none, or unreadable: new --autogenerate, which reads it, says what is wrong


def check_starting_point(folder: Path, chain: RevisionChain, view: LedgerView) -> None:
    """Refuse to run the first revision on a database that holds nothing, when the migrations start from
    the schema in ``baseline.json`` (a history imported from a database made by ``create_all()``, or a
    project that began with ``baseline``): that schema is adopted with ``baseline`` first."""
    if not chain.revisions or view.in_effect(chain.revisions[0].id) or view.state.tables:
        return
    names = _starting_tables(folder)
    if names:
        shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
        raise NotAdopted(
            f"the migrations in {display_path(folder)} start from the schema in {BASELINE_FILE} ({len(names)} "
            f"table{'s' if len(names) != 1 else ''}: {shown}), not from an empty database, and this database's "
            "ledger holds none of it: run `schema-ledger baseline` on a database that holds that schema (made "
            "as the application makes it), then apply")


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


# The run's records are plain classes (``ops.classes.Value``: compared, hashed, printed and frozen as
# ``attrs.frozen`` made them): attrs made and compiled their methods at every run's import, about
# 2 M instructions a class.


class _PlannedStep(Value):
    """A step's ops completed against the states they apply to: ``states[i]`` is the state before
    ``ops[i]``, ``states[-1]`` the state after the step."""

    __slots__ = ("step", "ops", "states")
    step: Step
    ops: tuple[MigrateOperation, ...]
    states: tuple[SchemaState, ...]

    def __init__(self, step: Step, ops: tuple[MigrateOperation, ...], states: tuple[SchemaState, ...]) -> None:
        self._assign(step, ops, states)


class _Planned(Value):
    """One revision of the plan: its steps, and the state the plan expects before it."""

    __slots__ = ("revision", "steps", "before")
    revision: Revision
    steps: tuple[_PlannedStep, ...]
    before: SchemaState

    def __init__(self, revision: Revision, steps: tuple[_PlannedStep, ...], before: SchemaState) -> None:
        self._assign(revision, steps, before)


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


class _Planner:
    """Checks the whole plan once, then hands out one revision at a time with its completed ops.

    The plan is walked as made while the only events the view gets are this run's own; a read
    that brings someone else's events (SQLite, between two transactions) makes it look at the
    ledger again (and complete the next revision against the state the ledger now gives).
    ``on_plan``: called with the checked plan, once, before anything of it runs (the data-loss
    check); ``folder``: the migrations folder, whose ``baseline.json`` names the schema the first
    revision needs (None: none).
    """

    __slots__ = ("chain", "to", "dialect", "total", "drift_check", "plans", "queue", "read_at", "on_plan", "folder")

    def __init__(self, chain: RevisionChain, to: str | None, dialect: str, *,
                 on_plan: Callable[[Sequence[_Planned]], None] | None = None, folder: Path | None = None) -> None:
        self.chain = chain
        self.to = to
        self.dialect = dialect
        self.total: int | None = None
        #: the connection and ledger table whose touched tables are compared with the ledger before
        #: the first revision (None: not compared, --ignore-drift)
        self.drift_check: tuple[sa.Connection, str] | None = None
        self.plans: dict[str, _Planned] = {}
        self.queue: list[Revision] = []
        #: the view's ``reads`` when the queue was made
        self.read_at = -1
        self.on_plan = on_plan
        self.folder = folder

    def next(self, view: LedgerView) -> Revision | None:
        """The next revision to apply; on the first call the whole plan is checked and counted."""
        if self.read_at != view.reads:
            self.queue = _pending(self.chain, view, self.to, resume=not dialects.transactional_ddl(self.dialect))
            self.read_at = view.reads
            if self.total is None:
                if self.folder is not None:
                    check_starting_point(self.folder, self.chain, view)
                checked = _check_plan(self.queue, view, self.dialect)
                self.plans = {p.revision.id: p for p in checked}
                self.total = len(self.queue)
                if self.drift_check is not None and self.plans:
                    from ledger.inspect.touched import check_touched_drift, touched_tables

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


#: one applied revision: the Revision, its events and statements
AppliedRevision = Executed


class ApplyResult(Value):
    """What ``apply`` did (or, with ``sql_only``, would do): the revisions applied, the head; with
    ``sql_only`` every statement, DDL and ledger INSERTs, in order (``sql``); the warnings; the last
    revision of the chain in effect afterwards (``current``, None: none is); the data the run drops or
    narrows, counted before it ran (``losses``; with ``sql_only``: would drop)."""

    __slots__ = ("applied", "head", "sql", "warnings", "current", "losses")
    applied: tuple[AppliedRevision, ...]
    head: Event | None
    sql: tuple[str, ...]
    warnings: tuple[str, ...]
    current: str | None
    losses: tuple[Loss, ...]

    def __init__(self, applied: tuple[AppliedRevision, ...], head: Event | None, sql: tuple[str, ...] = (),
                 warnings: tuple[str, ...] = (), current: str | None = None, losses: tuple[Loss, ...] = ()) -> None:
        self._assign(applied, head, sql, warnings, current, losses)


def plan_losses(conn: sa.Connection, plan: Sequence[_Planned]) -> list[Loss]:
    """What data the checked ``plan`` drops or narrows, counted in the live database."""
    if not plan:
        return []
    steps = [(op, before, f"revision {planned.revision.id}") for planned in plan for step in planned.steps
             for op, before in zip(step.ops, step.states)]
    return measure(conn, plan[0].before, steps)


def _unit(planned: _Planned, why: str | None) -> Unit[Revision]:
    """The executor's unit for a planned revision: its ops as steps (a batch block as one), or for an
    empty revision one ``apply`` event without an op."""
    revision = planned.revision
    where = f"revision {revision.id} ({revision.path.name})"
    message = why or revision.message or None

    def step(op: MigrateOperation | None, before: SchemaState, after: SchemaState) -> PlannedStep:
        return PlannedStep(op, before, after, "apply", revision.id, message, revision.checksum, where=where)

    parts: list[PlannedStep | Batch] = []
    for planned_step in planned.steps:
        steps = tuple(step(op, before, after) for op, before, after in
                      zip(planned_step.ops, planned_step.states, planned_step.states[1:]))
        if planned_step.step.batch:
            parts.append(Batch(planned_step.step.table_name, steps))
        else:
            parts.extend(steps)
    if not revision.ops:
        parts.append(step(None, planned.before, planned.before))
    return Unit(revision, where, tuple(parts))


def _unrecorded(unit: Unit[Revision], _step: PlannedStep, message: str) -> str:
    return (f"{unit.where}: {message}; the revision may or may not be recorded: see `schema-ledger status`")


WORDING = Wording(
    ApplyError,
    nothing="nothing of the revision was applied or recorded",
    nothing_at_all="nothing of this run was applied or recorded (--one-transaction)",
    committing="the revision",
    committing_all="the run",
    unrecorded=_unrecorded,
)


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
    with connect(config.url, lock_timeout=lock_timeout) as conn, wrap_db_errors(lock_timeout):
        dialect = dialects.dialect_name(conn)
        if one_transaction:
            one_transaction_refused(dialect)
        actor = Actor.current(db_user=db_user(conn), by=by)
        if sql_only:
            return _apply_sql(conn, store, dialect, actor, chain, to, why, config.migrations_dir)
        losses: list[Loss] = []

        def on_plan(plan: Sequence[_Planned]) -> None:
            losses.extend(plan_losses(conn, plan))
            if losses and consent is not None:
                consent(losses)

        planner = _Planner(chain, to, dialect, on_plan=on_plan if consent is not None else None,
                           folder=config.migrations_dir)
        planner.drift_check = None if ignore_drift else (conn, config.ledger_table)
        with store.lock(conn, lock_timeout):
            view = LedgerView(state=dialects.empty_state(dialect))
            journal = Journal(conn, store, actor, view, deferred=dialects.transactional_ddl(dialect))
            executor = Executor[Revision](journal, dialect, WORDING)
            transactional = executor.transactional_ddl

            made: list[bool] = []  # whether the run's first transaction made the ledger table

            def next_unit(first: bool, read: bool) -> Unit[Revision] | None:
                # A ledger table made in this transaction holds no event: nothing to read.
                if read and not (first and made and made[0]):
                    view.refresh(store, conn, table_exists=True if transactional else None)
                revision = planner.next(view)
                return None if revision is None else _unit(planner.planned(revision, view), why)

            def between(exc: sa.exc.DBAPIError, done: list[Executed[Revision]]) -> NoReturn:
                _between_revisions(exc, done, lock_timeout)

            done = executor.run(next_unit, progress=progress, total=lambda: planner.total or 0,
                                one_transaction=one_transaction, prepare=lambda: made.append(store.create(conn)),
                                between=between)
            head = view.head
    return ApplyResult(tuple(done), head, warnings=tuple(_checksum_warnings(chain, view)),
                       current=_current(chain, view), losses=tuple(losses))


def _between_revisions(exc: sa.exc.DBAPIError, done: Sequence[Executed[Revision]], lock_timeout: float) -> NoReturn:
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


def _apply_sql(
    conn: sa.Connection, store: LedgerStore, dialect: str, actor: Actor, chain: RevisionChain, to: str | None,
    why: str | None, folder: Path | None = None,
) -> ApplyResult:
    """The statements ``apply`` would run from the ledger's current state, run nowhere."""
    with tx(conn):
        view = LedgerView.read(store, conn)
        exists = store.exists(conn)
    if folder is not None:
        check_starting_point(folder, chain, view)
    pending = _pending(chain, view, to, resume=not dialects.transactional_ddl(dialect))
    plan = _check_plan(pending, view, dialect)
    with tx(conn):
        losses = plan_losses(conn, plan) if exists else []
    journal = Journal(conn, store, actor, view, sql_only=True)
    executor = Executor[Revision](journal, dialect, WORDING)
    if not exists:
        journal.sql.extend(store.creation_sql(conn.dialect))
    applied = [executor.one(_unit(planned, why)) for planned in plan]
    return ApplyResult(tuple(applied), view.head, sql=tuple(journal.sql), current=_current(chain, view),
                       losses=tuple(losses))


def _checksum_warnings(chain: RevisionChain, view: LedgerView) -> list[str]:
    warnings = []
    for revision in chain:
        event = view.last_apply.get(revision.id)
        if event is not None and view.in_effect(revision.id) and event.revision_checksum and event.revision_checksum != revision.checksum:
            warnings.append(f"{display_path(revision.path)}: revision {revision.id} changed since it was applied "
                            f"(ledger seq {event.seq} recorded checksum {event.revision_checksum[:12]})")
    return warnings
