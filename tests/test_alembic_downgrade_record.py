"""An ``alembic downgrade`` recorded by the hook is told by a record, not by its message text.

After the ops a revision's ``downgrade()`` ran, the hook writes an ``alembic`` event whose record
(``schema-ledger/alembic-downgrade``) names the revision and the seqs of those events;
``points.net_in_effect`` (status, history, rollback) reads it. Ledgers written before that record
tell a downgrade's events by their message (``alembic downgrade of REV``), below the ledger's
first downgrade record only.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from ledger.format.alembic_record import ALEMBIC_KIND, AlembicDowngrade, downgraded_events, read_alembic
from ledger.format.events import GENESIS_HASH, Event
from ledger.project.points import applied_revisions, net_in_effect
from ledger.storage.store import LedgerStore
from ops import MigrateOperation, SchemaState, record
from tests.builders import ACTOR
from tests.test_alembic_daily import _ledger


def test_the_hook_records_which_events_a_downgrade_wrote(alembic_downgraded: tuple[Path, str], tmp_path: Path) -> None:
    _folder, url = alembic_downgraded
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            events = list(LedgerStore().events(conn))
    finally:
        engine.dispose()
    last = events[-1]
    assert last.kind == ALEMBIC_KIND and last.revision == "r5"
    found = read_alembic(last)
    assert isinstance(found, AlembicDowngrade)
    # the downgrade's own events: those after r5's upgrade record, up to this one
    upgraded = max(e.seq for e in events if e.kind == ALEMBIC_KIND and e.revision == "r5" and e.seq < last.seq)
    ran = [e for e in events if upgraded < e.seq < last.seq]
    assert ran and all(e.kind == "apply" and e.revision == "r5" for e in ran)
    assert (found.first, found.last) == (ran[0].seq, ran[-1].seq)
    assert downgraded_events(events) == {e.seq: "r5" for e in ran}
    log = _ledger(tmp_path, url, "log")
    assert log.returncode == 0 and f"Alembic downgrade of r5 (seq {found.first} to {found.last})" in log.stdout, \
        log.stdout + log.stderr
    verify = _ledger(tmp_path, url, "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


class _Ledger:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.state = SchemaState()

    def add(self, kind: str, revision: str, op: MigrateOperation | None = None, message: str | None = None,
            payload: str | None = None) -> Event:
        head = self.events[-1] if self.events else None
        if op is not None:
            op = self.state.complete(op)
            self.state = self.state.apply(op)
        event = Event.create(seq=len(self.events) + 1, prev_hash=head.hash if head else GENESIS_HASH, kind=kind,
                             op=op, revision=revision, message=message, actor=ACTOR, payload=payload)
        self.events.append(event)
        return event


def _create(name: str) -> MigrateOperation:
    return record(lambda op: op.create_table(name, sa.Column("id", sa.Integer(), primary_key=True)))[0]


def _drop(name: str) -> MigrateOperation:
    return record(lambda op: op.drop_table(name))[0]


def test_a_downgrade_is_told_by_its_record_whatever_its_messages_say() -> None:
    ledger = _Ledger()
    ledger.add("apply", "r1", _create("a"))
    ledger.add("apply", "r2", _create("b"), message="make b")
    down = ledger.add("apply", "r2", _drop("b"), message="make b")  # a message that does not say so
    ledger.add(ALEMBIC_KIND, "r2", payload=AlembicDowngrade("r2", down.seq, down.seq).payload())
    # after the first record, a message that says so is not enough
    ledger.add("apply", "r3", _create("c"), message="alembic downgrade of r3")
    assert downgraded_events(ledger.events) == {down.seq: "r2"}
    assert [e.seq for e in net_in_effect(ledger.events)] == [1, 5]
    assert applied_revisions(ledger.events) == ["r1", "r3"]


def test_a_ledger_written_before_the_records_tells_a_downgrade_by_its_message() -> None:
    ledger = _Ledger()
    ledger.add("apply", "r1", _create("a"))
    ledger.add("apply", "r2", _create("b"), message="make b")
    ledger.add("apply", "r2", _drop("b"), message="drop table b -- alembic downgrade of r2: make b")
    assert downgraded_events(ledger.events) == {3: "r2"}
    assert applied_revisions(ledger.events) == ["r1"]
