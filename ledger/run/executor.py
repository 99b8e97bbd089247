"""The one executor of planned steps, for both directions: ``apply`` and ``rollback`` plan, this runs.

A planner (:mod:`ledger.run.apply`, :mod:`ledger.run.rollback`) hands out :class:`Unit` after
:class:`Unit`: one revision to apply, or one revision's events to undo, each a list of
:class:`PlannedStep` (the completed op, the state before and after it, the kind of event it
records and, for a revert, the seq it undoes). The executor runs them the way the database
allows (contract point 7 in docs/design.md):

- transactional DDL (PostgreSQL, SQLite): each unit's DDL and events in one transaction (the
  events INSERTed together right before its COMMIT; on PostgreSQL through psycopg the DDL of the
  unit's last step goes with them and the COMMIT as one message, see :meth:`Executor.commit_unit`),
  or with ``one_transaction`` every unit in one; a failure leaves schema and ledger as they were;
- otherwise (MySQL/MariaDB, which commit each DDL statement): each op between a committed
  ``intent`` and its event; an intent without its event is "in doubt" until ``recover``.

What differs between the directions is words only (:class:`Wording`): which error, and what a
failure says was left undone. Events are written through the run's
:class:`ledger.storage.journal.Journal`, which also feeds them to the run's view of the ledger.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, NoReturn, TypeVar

import sqlalchemy as sa

from ops import AlterColumnOp, LedgerError, MigrateOperation, SchemaState
from ops.classes import Value

from ledger import dialects
from ledger.format.events import Event
from ledger.schema.narrowing import misfits, narrowing
from ledger.storage.journal import Journal
from ledger.storage.session import db_message, tx
from ledger.storage.view import LedgerView
from ledger.support import faults

__all__ = [
    "ApplyError",
    "Batch",
    "Executed",
    "Executor",
    "InDoubtError",
    "PlannedStep",
    "StatementFailed",
    "TransactionFailed",
    "Unit",
    "Wording",
    "in_doubt_note",
    "one_transaction_refused",
    "refuse_in_doubt",
]

Label = TypeVar("Label")


class ApplyError(LedgerError, RuntimeError):
    """A statement failed while a revision was applied (the message says what was recorded)."""


class InDoubtError(LedgerError, RuntimeError):
    """The ledger holds an intent without its event: the live schema may differ from the fold."""


class StatementFailed(LedgerError, RuntimeError):
    """A DDL statement failed; the message names what ran (revision, op) and the database's error."""


class _StepFailed(StatementFailed):
    def __init__(self, where: str, what: Any, message: str) -> None:
        super().__init__(f"{where}, {what.describe()}: {message}")


class TransactionFailed(LedgerError, RuntimeError):
    """A database error in a run's transaction (outside its DDL): the unit at work (None: between two
    units, reading the ledger), whether its transaction was committing, and what was done before."""

    def __init__(self, error: sa.exc.DBAPIError, unit: Unit[Any] | None, committing: bool,
                 done: list[Executed[Any]]) -> None:
        super().__init__(str(error))
        self.error = error
        self.unit = unit
        self.committing = committing
        self.done = done


def refuse_in_doubt(view: LedgerView) -> None:
    """Nothing runs while the ledger holds an intent without its event."""
    if view.in_doubt:
        intent = view.in_doubt[0]
        raise InDoubtError(
            f"ledger seq {intent.seq} is in doubt: an intent without its event (revision {intent.revision}, "
            f"{intent.op_type}), so the live schema may not match the ledger; run `schema-ledger recover`"
        )


def in_doubt_note(intent: Event | None) -> str:
    """What a failure between an intent and its event leaves behind (MySQL/MariaDB)."""
    if intent is None:
        return ("nothing of the op ran; its intent may or may not have been recorded: if `schema-ledger status` "
                "shows one in doubt, `schema-ledger recover` settles it")
    return (f"ledger seq {intent.seq} (intent) is now in doubt: MariaDB/MySQL commit DDL one statement at a time, "
            "so part of the op may have run; `schema-ledger recover` settles it from the live schema "
            "(see `schema-ledger status`)")


def one_transaction_refused(dialect: str, error: type[ApplyError] = ApplyError) -> None:
    """``one_transaction`` needs transactional DDL: MySQL/MariaDB commit each DDL statement."""
    if not dialects.transactional_ddl(dialect):
        raise error("--one-transaction needs transactional DDL (PostgreSQL or SQLite): MySQL and MariaDB "
                    "commit each DDL statement on its own")


# ---------------------------------------------------------------------------------------------
# What a planner hands over
# ---------------------------------------------------------------------------------------------


# The records below are plain classes, written out: attrs writes and compiles the methods of each
# class it makes when the module is imported, about 2 to 3 M instructions a class, which every run
# paid for records it only builds and reads (docs/performance.md, "Apply and rollback on SQLite,
# ninth round"). The frozen ones compare, hash, print and refuse assignment as ``attrs.frozen``
# made them (``ops.classes.Value``).


class PlannedStep(Value):
    """One event to record and the op it runs: completed against ``before``, ``after`` the state it leaves.

    ``op`` None: an event without an op (an empty revision, its revert), which runs nothing.
    ``reverses``: a revert's, the seq of the event it undoes; ``where``: how a failure names the
    step ("revision 0002 (0002_x.py)", "rolling back revision r2 seq 7"); ``before_sql``: statements
    run just before the op's (a rollback's deletes of the rows its constraint cannot hold).
    """

    __slots__ = ("op", "before", "after", "kind", "revision", "message", "revision_checksum", "reverses", "where",
                 "before_sql")
    op: MigrateOperation | None
    before: SchemaState
    after: SchemaState
    kind: str
    revision: str | None
    message: str | None
    revision_checksum: str | None
    reverses: int | None
    where: str
    before_sql: tuple[str, ...]

    def __init__(self, op: MigrateOperation | None, before: SchemaState, after: SchemaState, kind: str,
                 revision: str | None, message: str | None, revision_checksum: str | None, reverses: int | None = None,
                 where: str = "", before_sql: tuple[str, ...] = ()) -> None:
        self._assign(op, before, after, kind, revision, message, revision_checksum, reverses, where, before_sql)


class Batch(Value):
    """The steps of one batch block (``op.batch_alter_table``): on a database that rebuilds the table
    for a batch (SQLite), one rebuild runs them all."""

    __slots__ = ("table_name", "steps")
    table_name: str | None
    steps: tuple[PlannedStep, ...]

    def __init__(self, table_name: str | None, steps: tuple[PlannedStep, ...]) -> None:
        self._assign(table_name, steps)

    def describe(self) -> str:
        return "batch on " + (self.table_name or "?") + ": " + "; ".join(
            s.op.describe() for s in self.steps if s.op is not None)


class Unit(Value, Generic[Label]):
    """What runs as one: a revision to apply, or one revision's events to undo. ``label``: what
    progress reports are called with (the Revision, or the revision id rolled back); ``where``: how
    a failure outside a statement names the unit ("revision 0002 (0002_x.py)")."""

    __slots__ = ("label", "where", "parts")
    label: Label
    where: str
    parts: tuple[PlannedStep | Batch, ...]

    def __init__(self, label: Label, where: str, parts: tuple[PlannedStep | Batch, ...]) -> None:
        self._assign(label, where, parts)

    @property
    def steps(self) -> Iterator[PlannedStep]:
        for part in self.parts:
            yield from part.steps if isinstance(part, Batch) else (part,)


class Executed(Value, Generic[Label]):
    """A unit that ran (or, with ``sql_only``, would run): its revision (the unit's label), its events
    (a rollback's newest op first) and statements. ``apply`` calls it ``AppliedRevision``,
    ``rollback`` ``RevertedRevision``."""

    __slots__ = ("revision", "events", "statements")
    revision: Label
    events: tuple[Event, ...]
    statements: tuple[str, ...]

    def __init__(self, revision: Label, events: tuple[Event, ...], statements: tuple[str, ...]) -> None:
        self._assign(revision, events, statements)


class Wording(Value):
    """What a failure says, per direction: the error; what a failed transaction left, of the unit
    (``nothing``) and of a ``one_transaction`` run (``nothing_at_all``); what was being committed
    when the connection failed, a unit and a ``one_transaction`` run; ``unrecorded``: the message
    for an op-less event whose (own) transaction failed on MySQL/MariaDB."""

    __slots__ = ("error", "nothing", "nothing_at_all", "committing", "committing_all", "unrecorded")
    error: type[ApplyError]
    nothing: str
    nothing_at_all: str
    committing: str
    committing_all: str
    unrecorded: Callable[[Unit[Any], PlannedStep, str], str]

    def __init__(self, error: type[ApplyError], nothing: str, nothing_at_all: str, committing: str,
                 committing_all: str, unrecorded: Callable[[Unit[Any], PlannedStep, str], str]) -> None:
        self._assign(error, nothing, nothing_at_all, committing, committing_all, unrecorded)

    def left(self, one_transaction: bool) -> str:
        return self.nothing_at_all if one_transaction else self.nothing

    def failed_transaction(self, unit: Unit[Any], exc: sa.exc.DBAPIError, committing: bool,
                           one_transaction: bool) -> str:
        """The message for a unit whose transaction failed outside its DDL (a lost connection, most often)."""
        where = f"{unit.where}: {db_message(exc)}"
        if committing:
            what = self.committing_all if one_transaction else self.committing
            return (f"{where}; the connection failed while {what} was committed: it is either wholly recorded "
                    "or not at all, and `schema-ledger status` tells which")
        return f"{where}; rolled back: {self.left(one_transaction)}"


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


class Executor(Generic[Label]):
    """Runs units of planned steps on the journal's connection and records their events.

    ``after_unit``: run after each unit, in its transaction (rollback: Alembic's version table
    follows the ledger); False from it: nothing to do for this unit or any later one.
    """

    __slots__ = ("journal", "dialect", "wording", "after_unit", "_generator", "_send", "_held", "_runner")

    def __init__(self, journal: Journal, dialect: str, wording: Wording,
                 after_unit: Callable[[Unit[Label]], bool | None] | None = None) -> None:
        self.journal = journal
        self.dialect = dialect
        self.wording = wording
        self.after_unit = after_unit
        #: the run's DDL generator, made on first use: it builds each SQLAlchemy object and compiles
        #: each statement it needs once per run
        self._generator: dialects.DDLGenerator | None = None
        #: where a unit's transaction goes to the database as one message (PostgreSQL through psycopg,
        #: one transaction per unit): the sender, and the unit's DDL held for it (statement, step, op)
        self._send: Callable[[Sequence[str]], tuple[int, sa.exc.DBAPIError] | None] | None = None
        self._held: list[tuple[str, PlannedStep, Any]] = []
        #: what runs the DDL, one statement at a time (``dialects.statement_runner``), made on first use
        self._runner: Callable[[str], None] | None = None

    @property
    def generator(self) -> dialects.DDLGenerator:
        if self._generator is None:
            self._generator = dialects.generator(self.dialect, self.journal.conn)
            self._generator.before_read = self.release  # it reads the live schema the held DDL changes
            self._generator.runs_now = not self.journal.sql_only
        return self._generator

    @property
    def transactional_ddl(self) -> bool:
        return dialects.transactional_ddl(self.dialect)

    # -- one unit --------------------------------------------------------------------------------

    def one(self, unit: Unit[Label]) -> Executed[Label]:
        """Run ``unit`` as the database allows (in the current transaction, or bracketed op by op)."""
        return self.transactional(unit) if self.transactional_ddl else self.bracketed(unit)

    def transactional(self, unit: Unit[Label]) -> Executed[Label]:
        """PostgreSQL and SQLite: the unit's DDL and events in the current transaction."""
        dialect, conn = self.dialect, self.journal.conn
        events: list[Event] = []
        statements: list[str] = []
        for part in unit.parts:
            if isinstance(part, Batch) and dialects.database(dialect).rebuilds_batches and len(part.steps) > 1:
                steps = part.steps
                for step in steps:
                    # The live table is the one before the batch: a column renamed or changed by an
                    # earlier step of the batch is not there yet to be looked at.
                    if _unchanged_column(step.op, steps[0].before, step.before):
                        self.check_fits(step)
                ops = [step.op for step in steps if step.op is not None]
                if not all(dialects.reads_nothing(op, self.generator) for op in ops):
                    self.release()  # a plugin's SQL may read the live schema the held DDL changes
                ddl = [sql for step in steps for sql in step.before_sql]
                # Made up to each op on no one table (the user's SQL) and run before the rest is
                # made: a rebuild after it reads what it left (a trigger it made, the rows it added).
                start = 0
                for end, step in enumerate(steps, start=1):
                    if end == len(steps) or (step.op is not None and dialects.table_of(step.op, step.before) is None):
                        chunk = [s.op for s in steps[start:end] if s.op is not None]
                        ddl += dialects.ddl_batch(chunk, steps[start].before, dialect, conn=conn, gen=self.generator)
                        self.run_ddl(ddl, steps[0], part)
                        statements += ddl
                        ddl, start = [], end
                events += (self.record(step.kind, step, step.after) for step in steps)
                continue
            for step in part.steps if isinstance(part, Batch) else (part,):
                if step.op is not None:
                    self.check_fits(step)
                    if not dialects.reads_nothing(step.op, self.generator):
                        self.release()  # a plugin's SQL may read the live schema the held DDL changes
                    ddl = [*step.before_sql, *dialects.ddl(step.op, step.before, dialect, conn=conn, gen=self.generator,
                                                           after=step.after)]
                    self.run_ddl(ddl, step, step.op)
                    statements += ddl
                events.append(self.record(step.kind, step, step.after))
        if self.after_unit is not None:
            self.release()
            if self.after_unit(unit) is False:
                self.after_unit = None
        return Executed(unit.label, tuple(events), tuple(statements))

    def bracketed(self, unit: Unit[Label]) -> Executed[Label]:
        """MySQL/MariaDB: each op between a committed intent and its event."""
        dialect, conn, error = self.dialect, self.journal.conn, self.wording.error
        events: list[Event] = []
        statements: list[str] = []
        for step in unit.steps:
            if step.op is None:
                try:
                    with self.transaction(commits=True):
                        events.append(self.record(step.kind, step, step.after))
                except sa.exc.DBAPIError as exc:
                    raise error(self.wording.unrecorded(unit, step, db_message(exc))) from None
                continue
            op = step.op
            ddl = [*step.before_sql, *dialects.ddl(op, step.before, dialect, conn=conn, gen=self.generator,
                                                   after=step.after)]
            intent: Event | None = None  # set once the intent is committed
            try:
                with self.transaction():
                    self.check_fits(step)
            except _StepFailed as failed:
                raise error(f"{failed}; nothing of the op ran or was recorded") from None
            try:
                with self.transaction(commits=True):
                    recorded = self.record("intent", step, step.before)
                intent = recorded
                with self.transaction():
                    self.run_ddl(ddl, step, op)
                statements += ddl
                with self.transaction(commits=True):
                    events.append(self.record(step.kind, step, step.after))
            except (_StepFailed, sa.exc.DBAPIError) as exc:
                failed = exc if isinstance(exc, _StepFailed) else _StepFailed(step.where, op, db_message(exc))
                raise error(f"{failed}; {in_doubt_note(intent)}") from None
        if self.after_unit is not None:
            with self.transaction(commits=True):
                self.after_unit(unit)
        return Executed(unit.label, tuple(events), tuple(statements))

    def record(self, kind: str, step: PlannedStep, state: SchemaState) -> Event:
        return self.journal.record(kind, step.op, state, revision=step.revision, message=step.message,
                                    revision_checksum=step.revision_checksum, reverses=step.reverses)

    def run_ddl(self, statements: Sequence[str], step: PlannedStep, what: Any) -> None:
        """Run ``statements``; a failing one is a StatementFailed naming the step and ``what`` ran."""
        journal = self.journal
        if journal.sql_only:
            journal.sql.extend(statements)
            return
        for statement in statements:
            if (why := dialects.unrendered(statement)) is not None:
                raise _StepFailed(step.where, what, why)
            outside = dialects.outside_transaction(self.dialect, statement)
            if self._send is not None and not outside and ";" not in statement and "--" not in statement:
                # Held back, to go with the events' INSERT and the COMMIT (one statement each: a ";"
                # may part two, and a line comment would take the ";" that parts it from the next);
                # its fault boundary is now: a stop here leaves the transaction uncommitted, as a
                # stop after the statement ran would.
                self._held.append((statement, step, what))
                faults.boundary(f"ddl {step.revision}")
                continue
            self.release()
            try:
                if outside:
                    self.autocommit(statement)
                else:
                    self.run_statement(statement)
            except sa.exc.DBAPIError as exc:
                raise _StepFailed(step.where, what, db_message(exc)) from None
            faults.boundary(f"ddl {step.revision}")

    def release(self) -> None:
        """Run the DDL held for the commit's message now, one statement at a time: something else is
        about to run in the transaction, after them (their fault boundaries were passed as they
        were held)."""
        held, self._held = self._held, []
        for statement, step, what in held:
            try:
                self.run_statement(statement)
            except sa.exc.DBAPIError as exc:
                raise _StepFailed(step.where, what, db_message(exc)) from None

    def run_statement(self, statement: str) -> None:
        if self._runner is None:
            self._runner = dialects.statement_runner(self.journal.conn, self.dialect)
        self._runner(statement)

    def commit_unit(self) -> None:
        """End the transaction (a unit's, or with ``one_transaction`` the run's): the DDL held back,
        the events' INSERT and the COMMIT, in one message where the database takes that, else as
        before (the DDL, then the INSERT with its COMMIT)."""
        journal = self.journal
        text = journal.commit_sql() if self._send is not None else None
        if text is None:
            self.release()
            journal.flush(commit=True)
            return
        held, self._held = self._held, []
        journal.boundary()
        journal.committing = True
        failed = self._send([statement for statement, _step, _what in held] + [text])  # type: ignore[misc]
        journal.committing = False
        if failed is None:
            journal.pending.clear()
            return
        # The server ran nothing after the failing statement, the COMMIT included.
        position, error = failed
        if position < len(held):
            _statement, step, what = held[position]
            raise _StepFailed(step.where, what, db_message(error))
        raise error

    def autocommit(self, statement: str) -> None:
        """Run ``statement`` outside a transaction, as Alembic's ``autocommit_block()`` does: what the
        transaction holds so far (events included) is committed first, and what follows runs in a
        new transaction.

        Done on the driver's connection (PostgreSQL drivers have ``autocommit``): the transaction
        SQLAlchemy and the caller hold goes on, and its commit commits what follows.
        """
        raw: Any = self.journal.conn.connection.dbapi_connection
        if self._generator is not None:
            self._generator.forget_reads()  # a new transaction follows
        self.journal.flush()
        raw.commit()
        raw.autocommit = True
        try:
            dialects.execute(self.journal.conn, [statement])
        finally:
            raw.autocommit = False

    def check_fits(self, step: PlannedStep) -> None:
        """Before a narrowing type change runs: a value that the new type would cut, round or refuse
        stops it (see :mod:`ledger.schema.narrowing`); with ``sql_only`` nothing is read."""
        journal, op = self.journal, step.op
        if journal.sql_only or op is None:
            return
        found = narrowing(op, step.before)
        if found is None:
            return
        self.release()
        try:
            count = misfits(journal.conn, found, self.dialect)
        except sa.exc.DBAPIError as exc:
            raise _StepFailed(step.where, op, db_message(exc)) from None
        if count:
            raise _StepFailed(
                step.where, op,
                f"{count} value{'s' if count != 1 else ''} of {found.fullname}.{found.column} "
                f"{'do' if count != 1 else 'does'} not fit {found.type_sql(journal.conn.dialect)} (the type change "
                "would cut, round or refuse them); change them first, or say how to convert them (postgresql_using=)"
            )

    @contextlib.contextmanager
    def transaction(self, *, commits: bool = False) -> Iterator[None]:
        """A transaction of its own (MySQL/MariaDB's intent, DDL and event each get one)."""
        if self.journal.sql_only:
            yield
            return
        with tx(self.journal.conn):
            yield
        if commits:
            faults.boundary("commit")

    # -- a run -----------------------------------------------------------------------------------

    def run(
        self,
        next_unit: Callable[[bool, bool], Unit[Label] | None],
        *,
        progress: Callable[[Label, int, int, bool], None] | None,
        total: Callable[[], int],
        one_transaction: bool = False,
        prepare: Callable[[], None] | None = None,
        between: Callable[[sa.exc.DBAPIError, list[Executed[Label]]], NoReturn],
    ) -> list[Executed[Label]]:
        """Run unit after unit until ``next_unit(first, read)`` gives None.

        ``next_unit`` is called inside a transaction: ``first`` on the first call, ``read`` when it
        must read the ledger (the first call, and on SQLite every transaction, since its write lock
        comes with each). ``prepare`` readies the ledger table before anything is written: in the
        first transaction where DDL is transactional, else (its DDL commits) in a transaction of
        its own once there is a unit to run. ``progress(label, position, total(), done)`` reports.
        ``between(error, done)``: a database error between two units (reading the ledger).
        """
        def announce(unit: Unit[Label], position: int, done: bool) -> None:
            if progress is not None:
                progress(unit.label, position, total(), done)

        if not self.transactional_ddl:
            return self._bracketed_run(next_unit, announce, prepare, between)
        error, wording = self.wording.error, self.wording

        def next_transactional(first: bool, read: bool) -> Unit[Label] | None:
            # Created in the first transaction: a run stopped by the plan check leaves the database
            # exactly as it was (and a failed transaction ends the run, so it is never stale).
            if first and prepare is not None:
                prepare()
            return next_unit(first, read)

        try:
            return self._in_transactions(next_transactional, announce, one_transaction=one_transaction)
        except _StepFailed as failed:
            raise error(f"{failed}; rolled back: {wording.left(one_transaction)}") from None
        except TransactionFailed as failed:
            if failed.unit is None:
                between(failed.error, failed.done)
            raise error(wording.failed_transaction(failed.unit, failed.error, failed.committing,
                                                   one_transaction)) from None

    def _bracketed_run(
        self, next_unit: Callable[[bool, bool], Unit[Label] | None],
        announce: Callable[[Unit[Label], int, bool], None], prepare: Callable[[], None] | None,
        between: Callable[[sa.exc.DBAPIError, list[Executed[Label]]], NoReturn],
    ) -> list[Executed[Label]]:
        """MySQL/MariaDB: the ledger read once under the lock, then each unit op by op."""
        conn = self.journal.conn
        done: list[Executed[Label]] = []
        first = True
        while True:
            try:
                with tx(conn):
                    unit = next_unit(first, first)
                if unit is None:
                    break
                if first and prepare is not None:
                    with tx(conn):
                        prepare()
                first = False
                announce(unit, len(done) + 1, False)
                done.append(self.bracketed(unit))
            except sa.exc.DBAPIError as exc:
                between(exc, done)
            announce(unit, len(done), True)
        return done

    def _in_transactions(
        self, next_unit: Callable[[bool, bool], Unit[Label] | None],
        announce: Callable[[Unit[Label], int, bool], None], *, one_transaction: bool,
    ) -> list[Executed[Label]]:
        """PostgreSQL and SQLite: each unit in a transaction of its own, or with ``one_transaction`` all
        in one. The journal's deferred events are INSERTed right before each commit (one round trip per
        transaction). A failing DDL statement is a StatementFailed, any other database error a
        TransactionFailed; either way the events of the failed transaction are forgotten."""
        journal = self.journal
        conn = journal.conn
        database = dialects.database(self.dialect)
        every_read = database.locks_per_transaction and not one_transaction
        # Another connection may write between two transactions: the ledger is read again when
        # the database's mark says one committed since the last read (or has no mark).
        mark: Any = None
        schema = journal.store.table.schema
        done: list[Executed[Label]] = []
        unit: Unit[Label] | None = None
        last: Unit[Label] | None = None
        committing = False
        # One transaction per unit: each commits without its own wait for the disk where the
        # database allows it, and the run ends with one that makes them all durable.
        quick = contextlib.nullcontext() if one_transaction else database.quick_commits(conn)
        self._send = None if journal.sql_only else database.one_message(conn)
        try:
            with quick, tx(conn) if one_transaction else contextlib.nullcontext():
                while True:
                    unit, committing = None, False
                    journal.committing = False
                    with contextlib.nullcontext() if one_transaction else tx(conn):
                        first = last is None
                        read = first
                        if every_read:
                            now = database.others_mark(conn, schema)
                            read = first or now is None or now != mark
                            mark = now
                        unit = next_unit(first, read)
                        if unit is None:
                            break
                        announce(unit, len(done) + 1, False)
                        result = self.transactional(unit)
                        if not one_transaction:
                            self.commit_unit()
                            committing = True
                    if not one_transaction:
                        faults.boundary("commit")
                    done.append(result)
                    last = unit
                    announce(unit, len(done), True)
                # One transaction: the DDL held back, the events of every unit and the COMMIT go
                # together (one message where the database takes it), else the events right before it.
                unit = last
                if one_transaction:
                    self.commit_unit()
                committing = last is not None
            if one_transaction and done:
                faults.boundary("commit")
        except StatementFailed:
            journal.discard()
            raise
        except sa.exc.DBAPIError as exc:
            journal.discard()
            raise TransactionFailed(exc, unit, committing or journal.committing, done) from None
        finally:
            self._send = None
            self._held.clear()
        return done


def _unchanged_column(op: MigrateOperation | None, start: SchemaState, before: SchemaState) -> bool:
    """Whether the column ``op`` alters is, in ``before``, the same as in ``start``."""
    if not isinstance(op, AlterColumnOp):
        return False
    key = (op.schema, op.table_name)
    old, now = start.tables.get(key), before.tables.get(key)
    return old is not None and now is not None and old.column(op.column_name) is not None \
        and old.column(op.column_name) == now.column(op.column_name)
