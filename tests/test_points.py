"""Points in the history and rollback plans, on ledgers built in memory."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from ledger.format.events import fold_events, in_effect, verify_chain
from ledger.project.points import InvalidPoint, applied_revisions, plan_rollback, resolve_point, state_at
from ops import ExecuteSQLOp, IrreversibleError, SchemaState
from tests.builders import MemoryLedger, table_with_column


def test_points_resolve() -> None:
    ledger = MemoryLedger()
    for n in range(3):
        ledger.apply(f"r{n}", table_with_column(n))
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
    ledger = MemoryLedger()
    for n in range(3):
        ledger.apply(f"r{n}", table_with_column(n))
    ledger.rollback("r0")
    assert set(ledger.state.tables) == {(None, "t0")}
    assert applied_revisions(ledger.events) == ["r0"]
    assert [e.kind for e in ledger.events[6:]] == ["revert"] * 4
    assert [e.reverses for e in ledger.events[6:]] == [6, 5, 4, 3]
    ledger.apply("r1", table_with_column(1))
    assert applied_revisions(ledger.events) == ["r0", "r1"]
    assert fold_events(ledger.events) == ledger.state
    assert verify_chain(ledger.events) == []
    assert state_at(ledger.events, 4) == state_at(ledger.events, 12)
    assert state_at(ledger.events, 10) == state_at(ledger.events, 2)


def test_irreversible_op_stops_the_plan_naming_revision_and_seq() -> None:
    ledger = MemoryLedger()
    ledger.apply("r0", table_with_column(0))
    ledger.apply("r1", lambda op: op.execute("UPDATE t0 SET x = 'y'"))
    ledger.apply("r2", table_with_column(2))
    with pytest.raises(IrreversibleError, match=r"revision r1 seq 3"):
        plan_rollback(ledger.events, 0)
    assert len(plan_rollback(ledger.events, 3)) == 2
    assert isinstance(ledger.events[2].op, ExecuteSQLOp)


@given(st.lists(st.one_of(st.integers(0, 5).map(lambda n: ("apply", n)), st.just(("rollback", None))),
                max_size=12), st.data())
def test_any_sequence_of_applies_and_rollbacks_folds_to_the_tracked_state(steps, data) -> None:  # noqa: ANN001
    ledger = MemoryLedger()
    for kind, n in steps:
        if kind == "apply":
            if ledger.state.has_table(f"t{n}"):
                continue
            ledger.apply(f"r{len(ledger.events)}", table_with_column(n))
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
