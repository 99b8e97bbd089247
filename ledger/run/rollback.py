"""Roll a database back to a point in its history by appending ``revert`` events.

How ``rollback`` runs (the same rules as ``apply``, see :mod:`ledger.run.apply`):

1. Connect and take the applier lock. Under it (on SQLite inside each write transaction) read
   the ledger, refuse to go on past an in-doubt intent, and resolve the point to a seq.
2. Plan: every event after that seq still in effect, newest first, with its ``reverse()``.
   The whole plan is checked before anything runs: an irreversible op names its revision
   and seq, and every reverse is completed and folded onto the state, so a plan that does
   not fit stops the run with nothing changed; a reverse that adds a constraint (NOT NULL,
   foreign key, unique key) is counted against the live rows (:mod:`ledger.schema.violations`),
   and so is a reverse that changes a column's type back (the values it would narrow, or that
   the old type cannot take: strings that are no number, date or UUID on PostgreSQL and
   MariaDB/MySQL); rows that break either stop the run the same way, named.
3. Run the plan one revision at a time, with the reverses the check completed, through the
   executor ``apply`` uses (:mod:`ledger.run.executor`). PostgreSQL and SQLite: the DDL and the
   ``revert`` events of a revision in one transaction (with ``one_transaction``, the whole
   rollback in one). MySQL/MariaDB: each reverse op between a committed ``intent`` and its
   ``revert`` event.

Each ``revert`` event's payload is the completed reverse of the event it undoes and its
``reverses`` is that event's seq; an event without an op (an empty revision) gets a revert
without a payload. Nothing is deleted: ``apply`` afterwards re-applies the revisions, and the
ledger shows apply, revert, apply.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import NoReturn

import sqlalchemy as sa

from ops import CreateTableOp, LedgerError, MigrateOperation, SchemaState
from ops.classes import Value

from ledger import dialects
from ledger.project.config import Config
from ledger.schema.dataloss import Consent, Loss, data_loss, measure
from ledger.schema.violations import Violation, violations
from ledger.format.alembic_record import AlembicRevision, recorded_revisions
from ledger.format.events import Actor, Event, in_effect
from ledger.project.points import Revert, applied_revisions, plan_rollback, resolve_point
from ledger.run.executor import (
    ApplyError,
    Executed,
    Executor,
    PlannedStep,
    Unit,
    Wording,
    in_doubt_note,
    one_transaction_refused,
    refuse_in_doubt,
)
from ledger.storage.seal import guard
from ledger.storage.journal import Journal
from ledger.storage.session import connect, db_user, store_for, tx, wrap_db_errors
from ledger.storage.view import LedgerView
from ledger.storage.store import LedgerStore

__all__ = ["BelowBaseline", "RevertedRevision", "RollbackError", "RollbackProgress", "RollbackResult", "baseline_floor",
           "data_loss", "resolve_rollback_point", "rollback"]

#: ``progress(revision, position, total, done)``: called before (done=False) and after each revision.
RollbackProgress = Callable[[str | None, int, int, bool], None]


class RollbackError(ApplyError):
    """A statement failed while a revision was rolled back (the message says what was recorded)."""


class BelowBaseline(LedgerError, RuntimeError):
    """A rollback point below the baseline, without ``through_baseline``: it would drop the adopted tables."""


def baseline_floor(events: Sequence[Event]) -> int:
    """The seq of the last ``baseline`` event still in effect (0: the ledger has no baseline in effect).

    A baseline adopts a database whose ledger is empty, so its events come first: the floor is
    the state the database was adopted in.
    """
    return max((e.seq for e in in_effect(events) if e.kind == "baseline"), default=0)


def resolve_rollback_point(point: str, events: Sequence[Event], *, through_baseline: bool = False) -> int:
    """The seq a rollback goes back to; a baseline is a floor.

    ``-N`` counts revisions, never the baseline; ``base`` on a baselined ledger is the baseline
    (the state the database was adopted in), or with ``through_baseline`` the empty schema
    before it. Any other point below the baseline needs ``through_baseline``.
    """
    floor = baseline_floor(events)
    text = point.strip()
    if text == "base":
        return 0 if through_baseline else floor
    to_seq = resolve_point(point, events)
    if _counts_back(text):
        return max(to_seq, floor)
    if to_seq < floor and not through_baseline:
        tables = sorted({op.table.fullname for e in in_effect(events)
                         if e.kind == "baseline" and e.seq > to_seq and isinstance(op := e.op, CreateTableOp)})
        raise BelowBaseline(
            f"@{to_seq} is below the baseline (ledger seq {floor} is its last event): going there drops the "
            f"adopted table{'s' if len(tables) != 1 else ''} {', '.join(tables) or '(none)'} with "
            f"{'their' if len(tables) != 1 else 'its'} rows; "
            "`--to base` stops at the baseline, and --through-baseline goes below it"
        )
    return to_seq


def _counts_back(text: str) -> bool:
    return text.startswith("-") and text[1:].isdigit()


#: one revision rolled back: its id, its revert events (newest op first) and statements
RevertedRevision = Executed


# The run's records are plain classes, the frozen ones on ``ops.classes.Value`` (attrs compiled
# their methods at every run's import, about 2 M instructions a class).


class RollbackResult(Value):
    """What ``rollback`` did (or, with ``sql_only``, would do): the position the point resolved to
    (``to_seq``, 0: base), the revisions rolled back, the head; with ``sql_only`` every statement in
    order (``sql``); the warnings (data dropped or not brought back, revisions left partly applied);
    the revision applied last among those in effect (``current``); the data the rollback drops or
    narrows, counted before it ran (``losses``, when counted: see ``rollback``)."""

    __slots__ = ("to_seq", "reverted", "head", "sql", "warnings", "current", "losses")
    to_seq: int
    reverted: tuple[RevertedRevision, ...]
    head: Event | None
    sql: tuple[str, ...]
    warnings: tuple[str, ...]
    current: str | None
    losses: tuple[Loss, ...]

    def __init__(self, to_seq: int, reverted: tuple[RevertedRevision, ...], head: Event | None,
                 sql: tuple[str, ...] = (), warnings: tuple[str, ...] = (), current: str | None = None,
                 losses: tuple[Loss, ...] = ()) -> None:
        self._assign(to_seq, reverted, head, sql, warnings, current, losses)


# ---------------------------------------------------------------------------------------------
# The ledger as read under the lock
# ---------------------------------------------------------------------------------------------


class _Ledger:
    """Every event read so far (a rollback plan needs them all) and their fold."""

    __slots__ = ("events", "view", "reads")

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.view, self.reads = LedgerView(), 0  # reads that brought events (recorded by someone else)

    def refresh(self, store: LedgerStore, conn: sa.Connection) -> None:
        # A ledger with a head has its table: no need to look for it again.
        known = True if self.view.head is not None else None
        events = list(store.events(conn, after_seq=self.view.last_seq, table_exists=known))
        if events:
            self.reads += 1
        self.add(events)

    def add(self, events: Sequence[Event]) -> None:
        self.view.feed(events)
        self.events.extend(events)


def _groups(plan: Sequence[Revert]) -> list[list[Revert]]:
    """The plan cut where the revision changes: each group is rolled back as one unit."""
    groups: list[list[Revert]] = []
    for step in plan:
        if groups and groups[-1][0].event.revision == step.event.revision:
            groups[-1].append(step)
        else:
            groups.append([step])
    return groups


class _Completed(Value):
    """A reverse completed against the state it applies to (``before``), and the state after it."""

    __slots__ = ("op", "before", "after")
    op: MigrateOperation | None
    before: SchemaState
    after: SchemaState

    def __init__(self, op: MigrateOperation | None, before: SchemaState, after: SchemaState) -> None:
        self._assign(op, before, after)


def _complete(step: Revert, state: SchemaState) -> _Completed:
    """``step``'s reverse completed against ``state``; one that does not fit names revision and seq."""
    if step.op is None:
        return _Completed(None, state, state)
    try:
        done = step.op.complete(state)
        return _Completed(done, state, done.apply(state))
    except LedgerError as exc:
        raise LedgerError(f"cannot roll back revision {step.event.revision} seq {step.event.seq} "
                          f"({step.op.describe()}): {exc}") from None


def _check_plan(plan: Sequence[Revert], state: SchemaState) -> tuple[dict[int, _Completed], dict[int, str]]:
    """Complete and fold every reverse onto ``state``: the completed reverses (by the seq they undo),
    which the run executes and records, and the data-loss warnings (by the seq they undo).

    A reverse that does not fit stops everything before it runs, naming revision and seq.
    """
    completed: dict[int, _Completed] = {}
    warnings: dict[int, str] = {}
    for step in plan:
        done = _complete(step, state)
        completed[step.event.seq] = done
        state = done.after
        if done.op is not None:
            warning = data_loss(done.op, step.event, state=done.before)
            if warning is not None:
                warnings[step.event.seq] = warning
    return completed, warnings


def _whose(event: Event) -> str:
    return "baseline" if event.kind == "baseline" else f"revision {event.revision}"


def _measured(conn: sa.Connection, plan: Sequence[Revert], completed: dict[int, _Completed],
              start: SchemaState) -> dict[int, Loss]:
    """The data the plan drops or narrows, counted in the live database (by the seq each undoes)."""
    steps = [(done.op, done.before, f"{_whose(step.event)}, seq {step.event.seq}")
             for step in plan if (done := completed[step.event.seq]).op is not None]
    seqs = [step.event.seq for step in plan if completed[step.event.seq].op is not None]
    by_where = {where: seq for (_op, _before, where), seq in zip(steps, seqs)}
    return {by_where[loss.where]: loss for loss in measure(conn, start, steps)}


def _split_revisions(events: Sequence[Event], to_seq: int) -> list[str]:
    """Warnings for revisions that rolling back to ``to_seq`` leaves partly in effect."""
    kept: dict[str | None, int] = {}
    undone: dict[str | None, int] = {}
    for event in in_effect(events):
        (undone if event.seq > to_seq else kept)[event.revision] = event.seq
    return [f"revision {rev} stays partly applied: @{to_seq} is inside it; `apply` refuses to go on until it is "
            "rolled back or recovered" for rev in sorted(set(kept) & set(undone), key=str) if rev is not None]


# ---------------------------------------------------------------------------------------------
# Running the plan
# ---------------------------------------------------------------------------------------------


def _where(revert: Revert) -> str:
    return f"rolling back revision {revert.event.revision} seq {revert.event.seq}"


def _unrecorded(_unit: Unit[str | None], step: PlannedStep, message: str) -> str:
    return f"{step.where}, (no op): {message}; {in_doubt_note(None)}"


WORDING = Wording(
    RollbackError,
    nothing="nothing of the revision's rollback was run or recorded",
    nothing_at_all="nothing of this rollback was run or recorded (--one-transaction)",
    committing="the rollback",
    committing_all="the rollback",
    unrecorded=_unrecorded,
)


#: Alembic's version rows after a revision is undone, given the rows, the revision, the revisions
#: still in effect and what the hook recorded of each revision (None: they do not tell)
Downgrade = Callable[[Collection[str], str, Collection[str], Mapping[str, AlembicRevision]], "set[str] | None"]
#: the revision ids the migration files define, or a function that gives them when first needed (None: no check)
Defined = frozenset[str] | Callable[[], Collection[str] | None] | None


class _Run:
    """One rollback run: its planner, why it runs, and Alembic's version tables to keep in step.

    ``events``: every event of the ledger (this run's included), for the revisions left in effect;
    ``view``: the fold as the run goes (a table it holds is the application's, whatever its shape);
    ``downgrade``: Alembic's version rows after a revision is undone, from what the hook recorded of
    the revisions or the project's revision files (``ledger.integrations.alembic.heads.VersionRows``;
    None, or None returned: the last revision still in effect stands in).
    """

    __slots__ = ("planner", "why", "conn", "sql_only", "events", "version_tables", "view", "downgrade", "recorded",
                 "default_schema", "sql", "planned_rows")

    def __init__(self, planner: _Planner, why: str | None, conn: sa.Connection, sql_only: bool,
                 events: list[Event] | None = None, *, view: LedgerView | None = None,
                 downgrade: Downgrade | None = None) -> None:
        self.planner, self.why, self.conn, self.sql_only = planner, why, conn, sql_only
        self.events: list[Event] = [] if events is None else events
        #: Alembic version tables of the database, (schema, name) (None: not looked for yet)
        self.version_tables: list[tuple[str | None, str]] | None = None
        self.view = view
        self.downgrade = downgrade
        #: what the hook recorded of each Alembic revision (read once, when first needed)
        self.recorded: Mapping[str, AlembicRevision] | None = None
        #: the connection's default schema, when a record names a schema (the same table as no schema)
        self.default_schema: str | None = None
        #: with ``sql_only``: where the version rows' statements go (the journal's), and the rows each
        #: version table would hold as the printed statements go (read once, then as they leave them)
        self.sql: list[str] | None = None
        self.planned_rows: dict[tuple[str | None, str], set[str]] = {}

    def unit(self, group: Sequence[Revert], state: SchemaState) -> Unit[str | None]:
        """The executor's unit for ``group``: each step's reverse as the plan check completed it, while
        the state is the one it expected (else completed again against the state now)."""
        steps = []
        for revert in group:
            done = self.planner.completed.get(revert.event.seq)
            if done is None or done.before is not state:
                done = _complete(revert, state)
            undone = revert.event
            steps.append(PlannedStep(done.op, done.before, done.after, "revert", undone.revision, self.why,
                                     undone.revision_checksum, reverses=undone.seq, where=_where(revert),
                                     before_sql=self.planner.deletes.get(undone.seq, ())))
            state = done.after
        revision = group[0].event.revision
        return Unit(revision, f"rolling back revision {revision}", tuple(steps))

    def alembic_tables(self) -> list[tuple[str | None, str]]:
        """The database's Alembic version tables, looked for once (before the first unit runs, so that
        its DDL can wait to go with the run's COMMIT when there is none): those the hook recorded
        for its revisions that the database still has, and the tables of Alembic's shape."""
        if self.version_tables is None:
            from ledger.inspect.touched import alembic_version_tables

            if self.recorded is None:
                self.recorded = recorded_revisions(self.events)
            held = self.view.state if self.view is not None else None
            found = [(None, name) for name in alembic_version_tables(self.conn, held=held)]
            if any(r.version_table_schema is not None for r in self.recorded.values()):
                self.default_schema = sa.inspect(self.conn).default_schema_name
            named = sorted({self.recorded_table(r) for r in self.recorded.values()} - set(found),
                           key=lambda key: (key[0] or "", key[1]))
            if named:
                inspector = sa.inspect(self.conn)
                found += [key for key in named if inspector.has_table(key[1], schema=key[0])]
            self.version_tables = found
        return self.version_tables

    def recorded_table(self, record: AlembicRevision) -> tuple[str | None, str]:
        """The version table ``record`` names, as (schema, name); the default schema as None."""
        schema = record.version_table_schema
        return (None if schema == self.default_schema else schema), record.version_table

    def follow_alembic(self, unit: Unit[str | None]) -> bool | None:
        """Set Alembic's version table to the revision left in effect, when it names the one rolled back.

        A database migrated by Alembic with the hook keeps Alembic's version table: after a
        rollback it must name where the ledger stands, so that ``alembic upgrade heads`` runs the
        rolled-back revisions again. The rows are those Alembic's own downgrade of the revision
        leaves (branches, merges, ``depends_on``), worked out by ``downgrade`` from what the hook
        recorded of the revisions (in the version table it recorded), or from the project's
        revision files for a revision recorded before those records; without either the
        rolled-back revision is replaced by the latest revision still in effect; none: the
        revisions a baseline found there, or else the table is emptied, as ``alembic downgrade
        base`` leaves it. False: the database has no Alembic version table, so there is nothing
        to follow for this revision or any later one. With ``sql_only`` the statements are
        printed (``sql``), from the rows the ones printed before leave.
        """
        revision = unit.label
        if revision is None or (self.sql_only and self.sql is None):
            return
        if not self.alembic_tables():
            return False  # no Alembic version table to follow: the revisions in effect are not worked out
        assert self.recorded is not None and self.version_tables is not None
        applied = applied_revisions(self.events)
        from ledger.run.baseline import adopted_alembic_revisions

        adopted = adopted_alembic_revisions(self.events)
        # Nothing of the hook in effect: the database is where it was when it was adopted.
        floor = [] if applied else adopted
        mine = self.recorded.get(revision)
        for schema, name in self.version_tables:
            if mine is not None and (schema, name) != self.recorded_table(mine):
                continue  # the revision moved another version table
            table = sa.table(name, sa.column("version_num", sa.String()), schema=schema)
            rows = self.version_rows((schema, name), table)
            after = None if self.downgrade is None else self.downgrade(
                rows, revision, set(applied) | set(adopted), self.recorded)
            if after is None:
                if revision not in rows:
                    continue
                after = rows - {revision}
                if applied and applied[-1] not in rows:
                    after.add(applied[-1])
                after.update(r for r in (floor if name == "alembic_version" else ()) if r not in rows)
            self.set_version_rows((schema, name), table, rows, after)
        return None

    def version_rows(self, key: tuple[str | None, str], table: sa.TableClause) -> set[str]:
        """The rows of version table ``key``: as it holds them, or, with ``sql_only``, as the
        statements printed so far would leave them."""
        if self.sql_only and key in self.planned_rows:
            return set(self.planned_rows[key])
        rows = set(self.conn.execute(sa.select(table.c.version_num)).scalars())
        if self.sql_only:
            self.planned_rows[key] = set(rows)
        return rows

    def set_version_rows(self, key: tuple[str | None, str], table: sa.TableClause, rows: set[str],
                         after: set[str]) -> None:
        """Make version table ``key`` hold ``after`` instead of ``rows``; with ``sql_only``, the
        statements are printed (values inline), not run."""
        statements: list[sa.Delete | sa.Insert] = [table.delete().where(table.c.version_num == gone)
                                                   for gone in sorted(rows - after)]
        statements += [table.insert().values(version_num=new) for new in sorted(after - rows)]
        if not self.sql_only:
            for statement in statements:
                self.conn.execute(statement)
            return
        assert self.sql is not None
        dialect = self.conn.dialect
        self.sql.extend(str(s.compile(dialect=dialect, compile_kwargs={"literal_binds": True})) for s in statements)
        self.planned_rows[key] = set(after)


class _Planner:
    """Resolves the point once, checks the whole plan once, then hands out one revision at a time.

    The plan is walked as made: this run's own revert events undo exactly the revisions handed
    out. Only events someone else recorded (a read that brings any, possible on SQLite between
    two transactions) make it plan again from the whole ledger. ``consent`` (when given) sees the
    data the plan drops or narrows before anything runs; ``defined``: the revisions the migration
    files define (None: not checked), or a function that gives them (or None), called only when a
    revision stays in effect after the rollback.
    """

    __slots__ = ("point", "skip_irreversible", "through_baseline", "conn", "consent", "losses", "to_seq", "total",
                 "warnings", "groups", "planned_at", "completed", "defined", "rows", "deletes")

    def __init__(self, point: str, skip_irreversible: bool, through_baseline: bool = False, *,
                 consent: Consent | None = None, defined: Defined = None) -> None:
        self.point, self.skip_irreversible, self.through_baseline = point, skip_irreversible, through_baseline
        #: with a connection, the data the plan drops or narrows is counted (``losses``)
        self.conn: sa.Connection | None = None
        self.consent = consent
        self.losses: list[Loss] = []
        self.to_seq: int | None = None
        self.total = 0
        self.warnings: list[str] = []
        self.groups: deque[list[Revert]] = deque()
        #: the ledger's ``reads`` when the plan was made (-1: not yet)
        self.planned_at = -1
        #: the reverses the plan check completed, by the seq they undo
        self.completed: dict[int, _Completed] = {}
        self.defined = defined
        #: where the rows a constraint of the plan would refuse are counted (None: not counted)
        self.rows: sa.Connection | None = None
        #: the deletes of rows a reverse's constraint cannot hold, in tables the plan drops later (by seq)
        self.deletes: dict[int, tuple[str, ...]] = {}

    def next(self, ledger: _Ledger) -> list[Revert] | None:
        refuse_in_doubt(ledger.view)
        if self.planned_at != ledger.reads:
            first = self.to_seq is None
            if self.to_seq is None:
                self.to_seq = resolve_rollback_point(self.point, ledger.events,
                                                     through_baseline=self.through_baseline)
                self.check_file_less(ledger)
            plan = plan_rollback(ledger.events, self.to_seq, skip_irreversible=self.skip_irreversible)
            self.groups = deque(_groups(plan))
            self.planned_at = ledger.reads
            if first:
                self.completed, warnings = _check_plan(plan, ledger.view.state)
                cleared = self.refuse_broken(plan, ledger.view.state) if self.rows is not None else []
                kept = {v.seq for v in cleared if v.dropped is None}  # deletes of inserted rows passed over
                for seq in kept:
                    warnings.pop(seq, None)
                measured = _measured(self.conn, plan, self.completed, ledger.view.state) \
                    if self.conn is not None else {}
                self.losses = list(measured.values())
                # A drop that holds rows is named with its count; the other warnings as they are.
                self.warnings = [measured[seq].describe() if seq in measured else warnings[seq]
                                 for seq in (step.event.seq for step in plan) if seq in warnings or seq in measured]
                self.warnings += [v.describe_kept() if v.dropped is None else v.describe_deleted()
                                  for v in cleared if v.dropped is None or v.seq not in kept]
                self.warnings += _split_revisions(ledger.events, self.to_seq)
                self.total = len(self.groups)
                if self.losses and self.consent is not None:
                    self.consent(self.losses)
        return self.groups.popleft() if self.groups else None

    def refuse_broken(self, plan: Sequence[Revert], start: SchemaState) -> list[Violation]:
        """Refuse the plan, before anything runs, when rows of the database break a constraint it
        adds (a NOT NULL, a foreign key, a unique key a revision took away and rows written since,
        or left by data revisions --skip-irreversible passes over, do not hold to), in a table that
        stays. Rows of a table the plan drops later are lost with it: they are deleted just before
        that constraint comes back (``deletes``), and returned."""
        assert self.rows is not None
        broken = violations(self.rows, start, [
            (done.op, done.before, f"{_whose(step.event)}, seq {step.event.seq}", step.event.seq)
            for step in plan if (done := self.completed[step.event.seq]).op is not None])
        # rows of a table that stays refer to rows a step would delete (that an INSERT inserted): with
        # --skip-irreversible that delete is passed over, as an irreversible op is (the rows stay)
        kept = {v.seq for v in broken if v.refers and v.dropped is None} if self.skip_irreversible else set()
        refused = [v for v in broken if v.dropped is None and v.seq not in kept]
        if refused:
            raise RollbackError(
                f"cannot roll back to {self.point}: {'; '.join(v.describe() for v in refused)}; nothing was run or "
                "recorded: update or delete those rows first, or roll back to a point above that revision")
        self.deletes = {}
        for v in broken:
            if v.seq in kept:
                done = self.completed[v.seq]
                self.completed[v.seq] = _Completed(None, done.before, done.before)
            else:
                self.deletes[v.seq] = (*self.deletes.get(v.seq, ()), *v.first, *((v.delete,) if v.delete else ()))
        self.groups = deque([Revert(r.event, None, skipped=True) if r.event.seq in kept else r for r in group]
                            for group in self.groups)
        return broken

    def check_file_less(self, ledger: _Ledger) -> None:
        """A rollback must take every revision no file defines out of effect, or it is refused."""
        if self.defined is None or self.to_seq is None:
            return
        to_seq = self.to_seq
        staying = [(seq, rev) for seq, rev in ledger.view.live.items() if rev is not None and seq <= to_seq]
        if staying and callable(self.defined):  # nothing stays (to base): no file needs to be known
            self.defined = None if (found := self.defined()) is None else frozenset(found)
        left: dict[str, int] = {}
        for seq, revision in staying if self.defined is not None else ():
            if revision not in self.defined:
                left[revision] = min(seq, left.get(revision, seq))
        if left:
            names = sorted(left, key=left.__getitem__)
            raise RollbackError(
                f"revision{'s' if len(names) > 1 else ''} {', '.join(names)}, which no migration file defines, "
                f"would stay in effect after this rollback: roll back to @{min(left.values()) - 1} (below "
                f"{'it' if len(names) == 1 else 'them'}), or check out the branch that has the files first")


def rollback(
    config: Config,
    *,
    to: str,
    sql_only: bool = False,
    why: str | None = None,
    by: str | None = None,
    lock_timeout: float = 60.0,
    progress: RollbackProgress | None = None,
    skip_irreversible: bool = False,
    one_transaction: bool = False,
    through_baseline: bool = False,
    consent: Consent | None = None,
    defined: Collection[str] | Defined = None,
    downgrade: Downgrade | None = None,
) -> RollbackResult:
    """Undo every event after point ``to`` that is still in effect, newest first.

    ``to`` is a revision id, ``@SEQ``, an ISO 8601 time, ``base`` or ``-N`` (N revisions back).
    ``skip_irreversible`` undoes irreversible ops in the ledger only, running nothing for them:
    for scratch databases (drills), never for a database whose data matters.
    ``one_transaction`` (PostgreSQL and SQLite): the whole rollback in one transaction, so a
    failure anywhere leaves schema and ledger as they were before the run.
    A baseline is a floor: ``-N`` counts revisions only, ``base`` is the baseline, and a point
    below it is refused (:class:`BelowBaseline`) unless ``through_baseline``.
    ``consent``: called, under the lock and before any statement runs, with the data the plan
    drops or narrows (tables and columns holding rows, with their counts); it raises to refuse.
    None: the data is counted only for ``sql_only`` (a drill on a scratch database asks nobody).
    ``defined``: the revision ids the project's migration files define; a rollback that would
    leave a revision no file defines in effect is refused (None: no check, the ledger is the
    only history, as under Alembic with the hook); a function that gives them (None: no check) is
    called only when some revision stays in effect, so a rollback to base loads no file.
    ``downgrade``: Alembic's version rows after a revision is undone, given the rows, the revision,
    the revisions still in effect and what the hook recorded of each revision
    (``ledger.integrations.alembic.heads.VersionRows``); None: the last revision still in effect.
    """
    store = store_for(config)
    why = why or f"rollback to {to}"
    planner = _Planner(to, skip_irreversible, through_baseline, consent=consent,
                       defined=defined if defined is None or callable(defined) else frozenset(defined))
    with connect(config.url, lock_timeout=lock_timeout) as conn, wrap_db_errors(lock_timeout):
        if consent is not None or sql_only:
            planner.conn = conn
        planner.rows = conn
        dialect = dialects.dialect_name(conn)
        if one_transaction:
            one_transaction_refused(dialect, RollbackError)
        actor = Actor.current(db_user=db_user(conn), by=by)
        verified = guard(conn, store, config, "rollback")
        if conn.in_transaction():
            # Nothing is written yet: the check's read ends here, so no metadata lock on the ledger
            # table is held while waiting for the applier lock another run holds (a MariaDB deadlock).
            conn.rollback()
        # The events the check verified are the ledger's start (nothing recorded is ever changed):
        # under the lock only what came after them is read.
        ledger = _Ledger()
        ledger.add(verified)
        run = _Run(planner, why, conn, sql_only, ledger.events, view=ledger.view, downgrade=downgrade)
        journal = Journal(conn, store, actor, ledger.view, sql_only=sql_only,
                          deferred=not sql_only and dialects.transactional_ddl(dialect), keep=ledger.events.extend)
        run.sql = journal.sql if sql_only else None
        executor = Executor[str | None](journal, dialect, WORDING, after_unit=run.follow_alembic)

        def next_unit(first: bool, read: bool) -> Unit[str | None] | None:
            if read:
                ledger.refresh(store, conn)
            group = planner.next(ledger)
            if group is None:
                return None
            if first and not sql_only and not run.alembic_tables():
                executor.after_unit = None  # nothing to follow, and nothing to send the held DDL for
            return run.unit(group, ledger.view.state)

        if sql_only:
            with tx(conn):
                ledger.refresh(store, conn)
            reverted = []
            while (unit := next_unit(False, False)) is not None:
                reverted.append(executor.one(unit))
            return _result(planner, reverted, ledger, sql=journal.sql)

        def between(exc: sa.exc.DBAPIError, _done: list[Executed[str | None]]) -> NoReturn:
            raise exc

        with store.lock(conn, lock_timeout):
            reverted = executor.run(next_unit, progress=progress, total=lambda: planner.total,
                                    one_transaction=one_transaction, between=between)
    return _result(planner, reverted, ledger)


def _result(planner: _Planner, reverted: Sequence[Executed[str | None]], ledger: _Ledger,
            sql: Sequence[str] = ()) -> RollbackResult:
    applied = applied_revisions(ledger.events)
    return RollbackResult(
        to_seq=planner.to_seq or 0,
        reverted=tuple(reverted), head=ledger.view.head, sql=tuple(sql),
        warnings=tuple(planner.warnings), current=applied[-1] if applied else None, losses=tuple(planner.losses),
    )
