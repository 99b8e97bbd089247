"""The one writer of ledger events: chaining, inserting, snapshots.

Every event the ledger gets is written through a :class:`Journal`: ``apply`` and ``rollback``
(through the executor), the Alembic hook, ``baseline`` and ``stamp``, ``recover``, and a drill's
record. The journal computes each event from the head it holds (read once, under the caller's
applier lock, or given by a caller that read it: the run's :class:`LedgerView`), so the chain
links and a racing writer fails on the seq key; and it writes it:

- ``sql_only`` (``--sql``): as an INSERT statement, kept in :attr:`Journal.sql` instead of run;
- ``deferred`` (``apply``/``rollback`` on PostgreSQL and SQLite, where a revision is one
  transaction): kept until :meth:`Journal.flush`, which INSERTs the events of the transaction
  in one ``executemany`` right before it commits (they commit together with the DDL or not at
  all, and one round trip replaces one per op); on PostgreSQL through psycopg the INSERT, its
  values written as literals, and the COMMIT go in one message;
- otherwise: one INSERT per event, at once, in the caller's transaction.

Each INSERT passes a fault boundary (:mod:`ledger.support.faults`; a deferred flush is one).
An event whose seq is a multiple of :data:`ledger.storage.snapshots.EVERY` gets a snapshot of
the schema after it, in the same transaction: the state the caller knows (a run's plan), or
else the ledger's own fold up to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ops.classes import define
from ops import MigrateOperation, SchemaState

from ledger import dialects
from ledger.format.events import Actor, Event
from ledger.storage import snapshots
from ledger.storage.store import LedgerStore
from ledger.support import faults
from ops import classes as oc

if TYPE_CHECKING:
    from ledger.storage.view import LedgerView  # the fold's machinery: the hook writes without it

__all__ = ["Journal"]

#: the head a journal reads itself, on its first event, when none was given
_UNREAD = object()


@define
class Journal:
    """A writer of events to one ledger on one connection."""

    conn: sa.Connection
    store: LedgerStore
    actor: Actor
    #: the run's view of the ledger: its head chains the events, and it is fed each one with its
    #: op and the state after it (nothing is decoded or folded again)
    view: LedgerView | None = None
    #: write INSERT statements to :attr:`sql` instead of running them
    sql_only: bool = False
    #: keep the events until :meth:`flush` (inside their transaction, before COMMIT)
    deferred: bool = False
    #: the head when there is no view (left out: read on the first event)
    head: Event | None | object = _UNREAD
    #: also sees every event written (rollback keeps all events for its plan)
    keep: Callable[[Sequence[Event]], None] | None = None
    sql: list[str] = oc.field(factory=list)
    #: events recorded but not yet INSERTed (deferred), with the state after each
    pending: list[tuple[Event, SchemaState | None]] = oc.field(factory=list)
    #: whether the last :meth:`flush` sent its transaction's COMMIT with the INSERT
    committing: bool = False

    def record(
        self, kind: str, op: MigrateOperation | None, state: SchemaState | None = None, *, revision: str | None,
        message: str | None, revision_checksum: str | None = None, reverses: int | None = None,
        payload: str | None = None, actor: Actor | None = None,
    ) -> Event:
        """Write the (completed) ``op`` as the next event; ``state``: the schema after it, when known.

        ``payload`` for an event that carries a record rather than an op (a drill's report);
        ``actor`` for an event copied with its own (``stamp``).
        """
        event = Event.following(
            self._head(), kind=kind, op=op, revision=revision, message=message, actor=actor or self.actor,
            revision_checksum=revision_checksum, reverses=reverses, **({"payload": payload} if payload else {}),
        )
        if self.sql_only:
            self.sql.append(self.store.insert_sql(event, self.conn.dialect))
        elif self.deferred:
            self.pending.append((event, state))
        else:
            self.store.insert(self.conn, [event])
            faults.boundary(f"event {kind} {revision}")
            self._snapshot(event, state)
        if self.view is not None and state is not None:
            self.view.own(event, op, state)
        else:
            self.head = event
        if self.keep is not None:
            self.keep([event])
        return event

    def _head(self) -> Event | None:
        if self.view is not None:
            return self.view.head
        if self.head is _UNREAD:
            self.head = self.store.head(self.conn)
        return self.head  # type: ignore[return-value]

    def flush(self, *, commit: bool = False, read: sa.Select[Any] | None = None) -> list[Any] | None:
        """INSERT the deferred events, in one round trip (call inside their transaction, before COMMIT).

        ``commit``: the transaction commits right after; where the database takes both in one
        round trip (PostgreSQL through psycopg) the INSERT is sent with its COMMIT, and
        :attr:`committing` is set first (a connection lost then may or may not have committed).
        ``read``: a query to run with the INSERT, as one statement where the database takes an
        INSERT in a ``WITH`` (PostgreSQL): its rows, read as the tables were before the INSERT;
        None where it was not run (the caller runs it itself).
        """
        self.committing = False
        if not self.pending:
            return None
        if read is not None and not commit:
            rows = self.store.insert_reading(self.conn, [event for event, _state in self.pending], read)
            if rows is not None:
                self.boundary()
                for event, state in self.pending:
                    self._snapshot(event, state)
                self.pending.clear()
                return rows
        text = self.commit_sql() if commit else None
        if text is not None:
            # The INSERT and the COMMIT are one message: the boundary comes before both.
            self.boundary()
            self.committing = True
            dialects.execute(self.conn, [text])
            self.pending.clear()
            return None
        self.store.insert(self.conn, [event for event, _state in self.pending])
        self.boundary()
        for event, state in self.pending:
            self._snapshot(event, state)
        self.pending.clear()
        return None

    def commit_sql(self) -> str | None:
        """The INSERT of the deferred events followed by ``COMMIT``, as one SQL text, where the
        database takes both in one message and no snapshot is due with them; else None."""
        if not self.pending:
            return None
        events = [event for event, _state in self.pending]
        if snapshots.EVERY > 0 and any(event.seq % snapshots.EVERY == 0 for event in events):
            return None
        return self.store.insert_and_commit_sql(self.conn, events)

    def boundary(self) -> None:
        """The fault boundary of the deferred events' INSERT (labelled by the last of them)."""
        last = self.pending[-1][0]
        faults.boundary(f"event {last.kind} {last.revision}")

    def discard(self) -> None:
        """Forget deferred events whose transaction rolled back (the run ends with an error)."""
        self.pending.clear()

    def _snapshot(self, event: Event, state: SchemaState | None) -> None:
        # EVERY read at the call, so that it can be changed (tests do).
        every = snapshots.EVERY
        if every <= 0 or event.seq % every:
            return
        if state is None:
            state, _start = snapshots.state_at(self.conn, self.store, event.seq)
        snapshots.after_record(self.conn, self.store, event, state, every=every)
