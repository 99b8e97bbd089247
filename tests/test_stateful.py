"""A stateful test of apply and rollback on SQLite, PostgreSQL and MariaDB.

The real system (a database, its ledger, the runner and rollback) runs beside a model: the
stack of applied revisions, each with the pure :class:`SchemaState` after it. Rules apply new
revisions of generated ops (several per revision), roll back to random revision boundaries
named every way a point can be named, re-apply what was rolled back, or drop rolled-back
revisions from the project. Invariants after every step: the reflected live schema equals
the fold of the ledger (``compare`` does not count column order on PostgreSQL, where the
reverse of a drop puts a column back at the end), the fold equals the model, ``schema --at
@SEQ`` for every earlier snapshot equals the snapshot taken then, and the hash chain verifies.

CI budget: a few short runs per database, not shrunk (the failing steps are printed);
``SCHEMA_LEDGER_DEEP=1`` runs many longer ones and shrinks a failure.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, Phase, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from ledger.project.config import Config
from ledger.storage.db import create_engine, dialect_of
from ledger.format.events import Event, fold_events, verify_chain
from ledger.inspect.pointintime import schema_at
from ledger.schema.reflect import compare, reflect
from ledger.project.revisions import Revision, RevisionChain, Step, checksum
from ledger.run.rollback import rollback
from ledger.run.apply import apply
from ledger.storage.session import store_for
from ops import MigrateOperation, SchemaState
from tests.examples import examples
from tests.strategies import ops_for

DEEP = bool(os.environ.get("SCHEMA_LEDGER_DEEP"))
#: (runs, steps per run) per database: MariaDB commits every op twice, so it gets the fewest.
BUDGET = {
    "sqlite": (examples(8), 20 if DEEP else 8),
    "postgresql": (examples(4), 15 if DEEP else 7),
    "mariadb": (examples(3), 15 if DEEP else 6),
}


@attrs.frozen
class Applied:
    revision: Revision
    state: SchemaState


class LedgerMachine(RuleBasedStateMachine):
    """One database; the model is the stack of applied revisions and the schema after each."""

    make_url: Callable[[], str]

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sl-stateful-"))
        self.config = Config(project_dir=self.folder, url=type(self).make_url(), migrations=Path("migrations"))
        self.dialect = dialect_of(self.config.url)
        self.revisions: list[Revision] = []
        self.applied: list[Applied] = []
        #: ledger head seq after each step -> the model's schema then
        self.snapshots: dict[int, SchemaState] = {}
        self.events: list[Event] = []
        self.made = 0

    # -- helpers -------------------------------------------------------------------------------

    @property
    def model(self) -> SchemaState:
        return self.applied[-1].state if self.applied else SchemaState()

    @property
    def chain(self) -> RevisionChain:
        return RevisionChain.from_revisions(self.revisions)

    @property
    def pending(self) -> list[Revision]:
        return self.revisions[len(self.applied):]

    def read(self) -> None:
        engine = create_engine(self.config.url)
        try:
            with engine.connect() as conn:
                self.events = list(store_for(self.config).events(conn))
        finally:
            engine.dispose()

    def snapshot(self) -> None:
        self.read()
        if self.events:
            self.snapshots[self.events[-1].seq] = self.model

    # -- rules ---------------------------------------------------------------------------------

    @precondition(lambda self: not self.pending)
    @rule(data=st.data(), count=st.integers(1, 4))
    def apply_new_revision(self, data: st.DataObject, count: int) -> None:
        state = self.model
        ops: list[MigrateOperation] = []
        for _ in range(count):
            op = data.draw(ops_for(state, portable=True, irreversible=False))
            state = state.apply(op)
            ops.append(op)
        self.made += 1
        rid = f"r{self.made:03d}"
        parent = self.revisions[-1].id if self.revisions else None
        revision = Revision(id=rid, down_revision=parent, message=f"revision {rid}",
                            path=self.folder / "migrations" / f"{rid}.py",
                            steps=tuple(Step((op,)) for op in ops), checksum=checksum(ops))
        note(f"apply {rid}: " + "; ".join(op.describe() for op in ops))
        self.revisions.append(revision)
        apply(self.config, chain=self.chain)
        self.applied.append(Applied(revision, state))
        self.snapshot()

    @precondition(lambda self: bool(self.applied))
    @rule(data=st.data())
    def roll_back(self, data: st.DataObject) -> None:
        keep = data.draw(st.integers(0, len(self.applied) - 1), label="revisions kept")
        how = data.draw(st.sampled_from(["revision", "back", "seq", "time"]), label="point named by")
        self.read()
        if keep == 0:
            point = "base"
        elif how == "revision":
            point = self.applied[keep - 1].revision.id
        elif how == "back":
            point = f"-{len(self.applied) - keep}"
        else:
            rid = self.applied[keep - 1].revision.id
            end = max((e for e in self.events if e.revision == rid and e.kind == "apply"), key=lambda e: e.seq)
            point = f"@{end.seq}" if how == "seq" else end.recorded_at
            if how == "time" and any(e.recorded_at == end.recorded_at and e.seq > end.seq for e in self.events):
                point = f"@{end.seq}"  # two events in the same microsecond: a time cannot split them
        note(f"rollback --to {point} (keeping {keep} of {len(self.applied)})")
        result = rollback(self.config, to=point)
        assert [r.revision for r in result.reverted] == [a.revision.id for a in reversed(self.applied[keep:])]
        del self.applied[keep:]
        assert result.current == (self.applied[-1].revision.id if self.applied else None)
        self.snapshot()

    @precondition(lambda self: bool(self.pending))
    @rule()
    def reapply(self) -> None:
        note(f"apply again: {', '.join(r.id for r in self.pending)}")
        pending = self.pending
        result = apply(self.config, chain=self.chain)
        assert [a.revision.id for a in result.applied] == [r.id for r in pending]
        state = self.model
        for revision in pending:
            state = SchemaState.fold(revision.ops, start=state)
            self.applied.append(Applied(revision, state))
        self.snapshot()

    @precondition(lambda self: bool(self.pending))
    @rule()
    def drop_rolled_back_files(self) -> None:
        note(f"delete the files of {', '.join(r.id for r in self.pending)}")
        del self.revisions[len(self.applied):]

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def live_equals_fold_equals_model(self) -> None:
        self.read()
        fold = fold_events(self.events)
        assert fold == self.model
        engine = create_engine(self.config.url)
        try:
            with engine.connect() as conn:
                live = reflect(conn, exclude=(self.config.ledger_table,))
        finally:
            engine.dispose()
        assert compare(fold, live, self.dialect) == []

    @invariant()
    def schema_at_every_earlier_snapshot(self) -> None:
        for seq, state in self.snapshots.items():
            assert schema_at(self.events, f"@{seq}") == state, f"schema --at @{seq}"

    @invariant()
    def chain_verifies(self) -> None:
        assert verify_chain(self.events) == []


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_apply_and_rollback_against_the_model(dialect: str, database_factory: Callable[[str], str]) -> None:
    runs, steps = BUDGET[dialect]
    machine = type(f"LedgerMachine_{dialect}", (LedgerMachine,), {"make_url": staticmethod(lambda: database_factory(dialect))})
    run_state_machine_as_test(machine, settings=settings(
        max_examples=runs, stateful_step_count=steps, deadline=None,
        # Shrinking replays runs against real databases, which takes minutes: the deep run does it.
        phases=tuple(Phase) if DEEP else (Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    ))
