"""The ledger folded as it is read: the schema, the events in effect per revision, open intents.

A run reads the ledger under the applier lock into a :class:`LedgerView`, then feeds it its own
events (with the op and the state after each already known, nothing is decoded or folded twice),
so that it re-reads only what it has not seen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import sqlalchemy as sa

from ops import InvalidOperationError, LedgerError, MigrateOperation, SchemaState
from ops.names import ANY_DATABASE

from ledger import dialects

from ledger.format.events import STATE_KINDS, Event, fold_events
from ledger.storage.store import LedgerStore

__all__ = ["LedgerView"]


class LedgerView:
    """What the events read so far say: the schema, the events in effect per revision, open intents.

    Fed incrementally (``feed``) so that a runner that re-reads the ledger under the lock
    only reads the events it has not seen. A plain class (attrs made and compiled its methods at
    every run's import, about 2 M instructions a class).
    """

    __slots__ = ("state", "head", "live", "counts", "last_apply", "open_intents", "reads")

    def __init__(self, state: SchemaState | None = None, head: Event | None = None,
                 live: dict[int, str | None] | None = None, counts: Counter[str | None] | None = None,
                 last_apply: dict[str, Event] | None = None, open_intents: dict[int, Event] | None = None,
                 reads: int = 0) -> None:
        #: a view read for a run starts under its database's name rule (``read``; ``dialects.empty_state``)
        self.state: SchemaState = SchemaState(names_per=ANY_DATABASE, referents="any") if state is None else state
        self.head = head
        #: seq -> revision of every apply/revert/baseline event still in effect
        self.live: dict[int, str | None] = {} if live is None else live
        #: revision -> how many of its events are in effect
        self.counts: Counter[str | None] = Counter() if counts is None else counts
        #: revision -> its latest apply event (for its recorded checksum)
        self.last_apply: dict[str, Event] = {} if last_apply is None else last_apply
        self.open_intents: dict[int, Event] = {} if open_intents is None else open_intents
        #: how many reads (``feed``) brought events: a runner's plan holds while only its own came in
        self.reads = reads

    @property
    def last_seq(self) -> int:
        return self.head.seq if self.head else 0

    def feed(self, events: Iterable[Event]) -> None:
        """Take events read from the ledger (their ops are decoded and folded)."""
        fed = False
        for event in events:
            self._take(event)
            fed = True
        if fed:
            self.reads += 1

    def own(self, event: Event, op: MigrateOperation | None, state: SchemaState) -> None:
        """Take an event this run recorded: its op and the state after it are known, nothing is decoded
        or folded again."""
        self._take(event, (op, state))

    def _take(self, event: Event, known: tuple[MigrateOperation | None, SchemaState] | None = None) -> None:
        if event.kind == "intent":
            self.open_intents[event.seq] = event
        elif event.kind in STATE_KINDS or event.kind == "abandon":
            self._settle(event)
        if event.kind in STATE_KINDS:
            if known is not None:
                self.state = known[1]
            else:
                try:
                    self.state = fold_events((event,), self.state)
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
        view = cls(state=dialects.empty_state(conn))
        view.feed(store.events(conn))
        return view

    def refresh(self, store: LedgerStore, conn: sa.Connection, *, table_exists: bool | None = None) -> None:
        self.feed(store.events(conn, after_seq=self.last_seq, table_exists=table_exists))


