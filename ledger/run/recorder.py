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

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from ops import MigrateOperation, SchemaState

from ledger import dialects
from ledger.support import faults
from ledger.storage import snapshots
from ledger.format.events import Actor, Event
from ledger.storage.store import LedgerStore

if TYPE_CHECKING:
    from ledger.storage.view import LedgerView

__all__ = ["Recorder"]


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

    def autocommit(self, statement: str) -> None:
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

    def _snapshot(self, event: Event, state: SchemaState) -> None:
        # EVERY read at the call, so that it can be changed (tests do).
        snapshots.after_record(self.conn, self.store, event, state, every=snapshots.EVERY)
