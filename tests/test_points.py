"""Points in the history and rollback plans, on ledgers built in memory."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from hypothesis import given, strategies as st

from ledger.format.events import GENESIS_HASH, Actor, Event, fold_events, in_effect, verify_chain
from ledger.project.points import InvalidPoint, applied_revisions, plan_rollback, resolve_point, state_at
from ops import ExecuteSQLOp, IrreversibleError, SchemaState, record

ACTOR = Actor("u", None, "h", "0", None)
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


class Ledger:
    """A ledger in memory, appended to the way the runner does."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.state = SchemaState()
        self.clock = T0

    def _append(self, kind: str, op, revision: str, reverses: int | None = None) -> Event:  # noqa: ANN001
        self.clock += dt.timedelta(minutes=1)
        head = self.events[-1] if self.events else None
        event = Event.create(seq=len(self.events) + 1, prev_hash=head.hash if head else GENESIS_HASH, kind=kind,
                             op=op, revision=revision, message=None, actor=ACTOR, reverses=reverses,
                             recorded_at=self.clock)
        self.events.append(event)
        return event

    def apply(self, revision: str, upgrade) -> None:  # noqa: ANN001
        for op in record(upgrade):
            op = self.state.complete(op)
            self._append("apply", op, revision)
            self.state = self.state.apply(op)

    def rollback(self, point: str) -> None:
        for step in plan_rollback(self.events, resolve_point(point, self.events)):
            op = self.state.complete(step.op)
            self._append("revert", op, step.event.revision, reverses=step.event.seq)
            self.state = self.state.apply(op)


def _table(n: int):  # noqa: ANN202
    def upgrade(op) -> None:  # noqa: ANN001
        op.create_table(f"t{n}", sa.Column("id", sa.Integer, primary_key=True))
        op.add_column(f"t{n}", sa.Column("x", sa.String(10)))
    return upgrade


def test_points_resolve() -> None:
    ledger = Ledger()
    for n in range(3):
        ledger.apply(f"r{n}", _table(n))
    events = ledger.events
    assert resolve_point("base", events) == 0
    assert resolve_point("r0", events) == 2
    assert resolve_point("@5", events) == 5
    assert resolve_point("-1", events) == 4
    assert resolve_point("-3", events) == 0
    assert resolve_point(events[2].recorded_at, events) == 3
    assert resolve_point("2026-01-01T00:03:30", events) == 3
    for bad in ("@0", "@7", "-4", "nope", "2025-01-01T00:00:00Z", "2026-13-45"):
        with pytest.raises(InvalidPoint):
            resolve_point(bad, events)


def test_rollback_then_reapply_shows_apply_revert_apply() -> None:
    ledger = Ledger()
    for n in range(3):
        ledger.apply(f"r{n}", _table(n))
    ledger.rollback("r0")
    assert set(ledger.state.tables) == {(None, "t0")}
    assert applied_revisions(ledger.events) == ["r0"]
    assert [e.kind for e in ledger.events[6:]] == ["revert"] * 4
    assert [e.reverses for e in ledger.events[6:]] == [6, 5, 4, 3]
    ledger.apply("r1", _table(1))
    assert applied_revisions(ledger.events) == ["r0", "r1"]
    assert fold_events(ledger.events) == ledger.state
    assert verify_chain(ledger.events) == []
    assert state_at(ledger.events, 4) == state_at(ledger.events, 12)
    assert state_at(ledger.events, 10) == state_at(ledger.events, 2)


def test_irreversible_op_stops_the_plan_naming_revision_and_seq() -> None:
    ledger = Ledger()
    ledger.apply("r0", _table(0))
    ledger.apply("r1", lambda op: op.execute("UPDATE t0 SET x = 'y'"))
    ledger.apply("r2", _table(2))
    with pytest.raises(IrreversibleError, match=r"revision r1 seq 3"):
        plan_rollback(ledger.events, 0)
    assert len(plan_rollback(ledger.events, 3)) == 2
    assert isinstance(ledger.events[2].op, ExecuteSQLOp)


@given(st.lists(st.one_of(st.integers(0, 5).map(lambda n: ("apply", n)), st.just(("rollback", None))),
                max_size=12), st.data())
def test_any_sequence_of_applies_and_rollbacks_folds_to_the_tracked_state(steps, data) -> None:  # noqa: ANN001
    ledger = Ledger()
    for kind, n in steps:
        if kind == "apply":
            if ledger.state.has_table(f"t{n}"):
                continue
            ledger.apply(f"r{len(ledger.events)}", _table(n))
        else:
            if not ledger.events:
                continue
            seq = data.draw(st.integers(0, len(ledger.events)))
            kept = [e.op for e in in_effect(ledger.events) if e.seq <= seq]
            ledger.rollback(f"@{seq}" if seq else "base")
            assert ledger.state == SchemaState.fold(kept)
            assert all(e.seq <= seq for e in in_effect(ledger.events))
        assert fold_events(ledger.events) == ledger.state
    assert verify_chain(ledger.events) == []
