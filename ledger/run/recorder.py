"""How ``apply`` and ``rollback`` record events and run DDL: one recorder serves both.

A :class:`Recorder` computes each event from the head it holds (the ledger was read under the
lock, and this run feeds its own events), hands it to the run's view of the ledger with the op
and the state after it (both already known from the plan: nothing is decoded or folded again),
and writes it:

- ``sql_only`` (``--sql``): as an INSERT statement, printed instead of run;
- ``deferred`` (PostgreSQL and SQLite, where a revision is one transaction): kept until
  :meth:`Recorder.flush`, which INSERTs the events of the transaction in one ``executemany``
  right before it commits (they commit together with the DDL or not at all, so when within the
  transaction they are written does not matter, and one round trip replaces one per op);
- otherwise (MySQL/MariaDB, where the intent and its event bracket the DDL for crash safety):
  one INSERT per event, at once.

Every write passes a fault boundary (:mod:`ledger.support.faults`): each DDL statement, each ledger
INSERT (a deferred flush is one), each COMMIT. Every recorded event also goes through
:func:`ledger.storage.snapshots.after_record`, which writes a snapshot when the ledger reaches a
multiple of :data:`ledger.storage.snapshots.EVERY` (in the transaction of that event).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import sqlalchemy as sa

from ops import LedgerError, MigrateOperation, SchemaState

from ledger import dialects
from ledger.support import faults
from ledger.storage import snapshots
from ledger.format.events import Actor, Event
from ledger.schema.narrowing import misfits, narrowing
from ledger.storage.session import db_message, tx
from ledger.storage.store import LedgerStore

if TYPE_CHECKING:
    from ledger.storage.view import LedgerView

__all__ = ["Recorder", "StatementFailed", "TransactionFailed", "in_transactions"]

Unit = TypeVar("Unit")
Done = TypeVar("Done")


class StatementFailed(LedgerError, RuntimeError):
    """A DDL statement failed; the message names what ran (revision, op) and the database's error."""


@attrs.define
class Recorder:
    """The connection, the ledger, and how this run's events are written."""

    conn: sa.Connection
    store: LedgerStore
    dialect: str
    actor: Actor
    sql_only: bool
    view: LedgerView
    #: also sees every event this run records (rollback keeps all events for its plan)
    keep: Callable[[Sequence[Event]], None] | None = None
    sql: list[str] = attrs.field(factory=list)
    #: events recorded but not yet INSERTed (deferred mode), with the state after each
    pending: list[tuple[Event, SchemaState]] = attrs.field(factory=list)

    @property
    def deferred(self) -> bool:
        return not self.sql_only and dialects.transactional_ddl(self.dialect)

    def record(
        self, kind: str, op: MigrateOperation | None, state: SchemaState, *, revision: str | None,
        message: str | None, revision_checksum: str | None, reverses: int | None = None,
    ) -> Event:
        """Record the (completed) ``op``; ``state`` is the schema after it."""
        event = Event.following(
            self.view.head, kind=kind, op=op, revision=revision, message=message, actor=self.actor,
            revision_checksum=revision_checksum, reverses=reverses,
        )
        if self.sql_only:
            self.sql.append(self.store.insert_sql(event, self.conn.dialect))
        elif self.deferred:
            self.pending.append((event, state))
        else:
            self.store.insert(self.conn, [event])
            faults.boundary(f"event {kind} {revision}")
            self._snapshot(event, state)
        self.view.own(event, op, state)
        if self.keep is not None:
            self.keep([event])
        return event

    def flush(self) -> None:
        """INSERT the deferred events, in one round trip (call inside their transaction, before COMMIT)."""
        if not self.pending:
            return
        events = [event for event, _state in self.pending]
        self.store.insert(self.conn, events)
        last = events[-1]
        faults.boundary(f"event {last.kind} {last.revision}")
        for event, state in self.pending:
            self._snapshot(event, state)
        self.pending.clear()

    def discard(self) -> None:
        """Forget deferred events whose transaction rolled back (the run ends with an error)."""
        self.pending.clear()

    def _snapshot(self, event: Event, state: SchemaState) -> None:
        # EVERY read at the call, so that it can be changed (tests do).
        snapshots.after_record(self.conn, self.store, event, state, every=snapshots.EVERY)

    def run_ddl(self, statements: Sequence[str], label: str, failed: Callable[[str], Exception]) -> None:
        """Run ``statements``; a failing one raises ``failed(the database's message)``."""
        if self.sql_only:
            self.sql.extend(statements)
            return
        for statement in statements:
            try:
                if dialects.outside_transaction(self.dialect, statement):
                    self._autocommit(statement)
                else:
                    dialects.execute(self.conn, [statement])
            except sa.exc.DBAPIError as exc:
                raise failed(db_message(exc)) from None
            faults.boundary(f"ddl {label}")

    def _autocommit(self, statement: str) -> None:
        """Run ``statement`` outside a transaction, as Alembic's ``autocommit_block()`` does: what the
        transaction holds so far (events included) is committed first, and what follows runs in a
        new transaction.

        Done on the driver's connection (PostgreSQL drivers have ``autocommit``): the transaction
        SQLAlchemy and the caller hold goes on, and its commit commits what follows.
        """
        raw: Any = self.conn.connection.dbapi_connection
        self.flush()
        raw.commit()
        raw.autocommit = True
        try:
            dialects.execute(self.conn, [statement])
        finally:
            raw.autocommit = False

    def check_fits(self, op: MigrateOperation, before: SchemaState, failed: Callable[[str], Exception]) -> None:
        """Before a narrowing type change runs: a value that the new type would cut, round or refuse
        raises ``failed(why)`` (see :mod:`ledger.schema.narrowing`); with ``sql_only`` nothing is read."""
        if self.sql_only:
            return
        found = narrowing(op, before)
        if found is None:
            return
        try:
            count = misfits(self.conn, found, self.dialect)
        except sa.exc.DBAPIError as exc:
            raise failed(db_message(exc)) from None
        if count:
            raise failed(
                f"{count} value{'s' if count != 1 else ''} of {found.fullname}.{found.column} "
                f"{'do' if count != 1 else 'does'} not fit {found.type_sql(self.conn.dialect)} (the type change would cut, round "
                "or refuse them); change them first, or say how to convert them (postgresql_using=)"
            )

    @contextlib.contextmanager
    def transaction(self, *, commits: bool = False) -> Iterator[None]:
        """A transaction of its own (MySQL/MariaDB's intent, DDL and event each get one)."""
        if self.sql_only:
            yield
            return
        with tx(self.conn):
            yield
        if commits:
            faults.boundary("commit")


class TransactionFailed(LedgerError, RuntimeError, Generic[Unit, Done]):
    """A database error in a run's transaction (outside its DDL): the unit at work (None: between two
    units, reading the ledger), whether its transaction was committing, and what was done before."""

    def __init__(self, error: sa.exc.DBAPIError, unit: Unit | None, committing: bool, done: list[Done]) -> None:
        super().__init__(str(error))
        self.error = error
        self.unit = unit
        self.committing = committing
        self.done = done


def in_transactions(
    recorder: Recorder,
    next_unit: Callable[[bool, bool], Unit | None],
    run: Callable[[Unit], Done],
    announce: Callable[[Unit, int, bool], None],
    *,
    one_transaction: bool,
) -> list[Done]:
    """PostgreSQL and SQLite: run unit after unit (a revision to apply or to roll back), each in a
    transaction of its own, or with ``one_transaction`` all in one.

    The recorder's deferred events are INSERTed right before each commit (one round trip per
    transaction). ``next_unit(first, read)`` is called inside the transaction: ``first`` on the first call,
    ``read`` when it must read the ledger (the first call, and on SQLite every transaction, since
    its write lock comes with each). ``announce(unit, position, done)`` reports progress. A
    failing DDL statement is a :class:`StatementFailed`, any other database error a
    :class:`TransactionFailed`; either way the events of the failed transaction are forgotten.
    """
    conn = recorder.conn
    every_read = dialects.database(recorder.dialect).locks_per_transaction and not one_transaction
    done: list[Done] = []
    unit: Unit | None = None
    last: Unit | None = None
    committing = False
    try:
        with tx(conn) if one_transaction else contextlib.nullcontext():
            while True:
                unit, committing = None, False
                with contextlib.nullcontext() if one_transaction else tx(conn):
                    first = last is None
                    unit = next_unit(first, first or every_read)
                    if unit is None:
                        break
                    announce(unit, len(done) + 1, False)
                    result = run(unit)
                    if not one_transaction:
                        recorder.flush()
                        committing = True
                if not one_transaction:
                    faults.boundary("commit")
                done.append(result)
                last = unit
                announce(unit, len(done), True)
            # One transaction: the events of every unit go in together, right before the commit.
            unit = last
            recorder.flush()
            committing = last is not None
        if one_transaction and done:
            faults.boundary("commit")
    except StatementFailed:
        recorder.discard()
        raise
    except sa.exc.DBAPIError as exc:
        recorder.discard()
        raise TransactionFailed(exc, unit, committing, done) from None
    return done
