"""The run's records (the executor's, apply's and rollback's) are plain classes written by hand:
the frozen ones compare, hash, print, refuse assignment and copy as ``attrs.frozen`` made them, the
others take the arguments and keyword arguments the attrs classes took."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

from ledger.run.apply import ApplyResult, _Planned, _PlannedStep, _Planner
from ledger.run.executor import ApplyError, Batch, Executed, Executor, PlannedStep, Unit, Wording
from ledger.run.rollback import RollbackResult, _Completed, _Ledger, _Run
from ledger.run.rollback import _Planner as _RollbackPlanner
from ledger.storage.view import LedgerView


def _samples() -> list[tuple[Any, Any]]:
    """(value, an equal value made apart, by keyword where the attrs class took keywords)."""
    step = PlannedStep(None, "s0", "s1", "apply", "r1", "m", "c")
    return [
        (step, PlannedStep(None, "s0", "s1", "apply", "r1", "m", "c", reverses=None, where="", before_sql=())),
        (PlannedStep("op", "s0", "s1", "revert", None, None, None, 3, "w", ("DELETE",)),
         PlannedStep("op", "s0", "s1", "revert", None, None, None, reverses=3, where="w", before_sql=("DELETE",))),
        (Batch("t", (step,)), Batch(table_name="t", steps=(step,))),
        (Unit("r1", "revision r1", (step,)), Unit(label="r1", where="revision r1", parts=(step,))),
        (Executed("r1", (), ("CREATE TABLE t (a INTEGER)",)), Executed("r1", events=(), statements=("CREATE TABLE t (a INTEGER)",))),
        (Wording(ApplyError, "a", "b", "c", "d", str), Wording(ApplyError, nothing="a", nothing_at_all="b", committing="c",
                                                          committing_all="d", unrecorded=str)),
        (_PlannedStep("step", ("op",), ("s0", "s1")), _PlannedStep("step", ops=("op",), states=("s0", "s1"))),
        (_Planned("r1", (), "s0"), _Planned(revision="r1", steps=(), before="s0")),
        (_Completed(None, "s0", "s0"), _Completed(op=None, before="s0", after="s0")),
        (ApplyResult((), None), ApplyResult(applied=(), head=None, sql=(), warnings=(), current=None, losses=())),
        (ApplyResult((), None, ("x",), ("w",), "r1", ()), ApplyResult((), None, sql=("x",), warnings=("w",), current="r1")),
        (RollbackResult(0, (), None), RollbackResult(to_seq=0, reverted=(), head=None, sql=(), warnings=(), current=None,
                                                     losses=())),
        (RollbackResult(2, (), None, (), ("w",), "r1", ()), RollbackResult(2, (), None, warnings=("w",), current="r1")),
    ]


@pytest.mark.parametrize("value, equal", _samples(), ids=lambda v: type(v).__name__)
def test_a_frozen_run_record_behaves_as_attrs_frozen_makes_it(value: Any, equal: Any) -> None:
    cls = type(value)
    twin = attrs.make_class(cls.__name__, list(cls.__slots__), frozen=True, slots=True)
    twin.__qualname__ = cls.__qualname__
    fields = [getattr(value, name) for name in cls.__slots__]
    assert repr(value) == repr(twin(*fields))
    assert value == equal and not value != equal and value is not equal
    assert value != twin(*fields)
    assert hash(value) == hash(equal)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(value, cls.__slots__[0], fields[0])
    assert copy.copy(value) == value == pickle.loads(pickle.dumps(value))
    for i in range(len(fields)):
        changed = list(fields)
        changed[i] = ("other",) if isinstance(fields[i], tuple) else "other"
        assert cls(*changed) != value


def test_a_unit_lists_the_steps_of_its_batches_in_order() -> None:
    one, two, three = (PlannedStep(None, "s", "s", "apply", f"r{i}", None, None) for i in range(3))
    assert list(Unit("r", "w", (one, Batch("t", (two, three)))).steps) == [one, two, three]
    assert Batch("t", (PlannedStep(None, "s", "s", "apply", None, None, None),)).describe() == "batch on t: "


def test_the_mutable_run_records_start_as_the_attrs_classes_did() -> None:
    view = LedgerView()
    assert (view.head, view.live, view.counts, view.last_apply, view.open_intents, view.reads) == (None, {}, {}, {}, {}, 0)
    assert LedgerView().live is not view.live  # each its own
    ledger = _Ledger()
    assert (ledger.events, ledger.reads, ledger.view.reads) == ([], 0, 0)
    planner = _Planner("chain", None, "sqlite", folder=None)
    assert (planner.total, planner.drift_check, planner.plans, planner.queue, planner.read_at, planner.on_plan) == \
        (None, None, {}, [], -1, None)
    back = _RollbackPlanner("base", False, consent=None, defined=frozenset({"r1"}))
    assert (back.through_baseline, back.conn, back.losses, back.to_seq, back.total, back.warnings, list(back.groups),
            back.planned_at, back.completed, back.rows, back.deletes, back.defined) == \
        (False, None, [], None, 0, [], [], -1, {}, None, {}, frozenset({"r1"}))
    run = _Run(back, "why", "conn", False, view=view)
    assert (run.events, run.version_tables, run.view, run.downgrade, run.recorded, run.default_schema, run.sql,
            run.planned_rows) == ([], None, view, None, None, None, None, {})
    executor = Executor("journal", "sqlite", Wording(ApplyError, "a", "b", "c", "d", str))
    assert (executor.after_unit, executor._generator, executor._send, executor._held) == (None, None, None, [])


def test_progress_lines_are_what_click_writes(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    """A progress line of plain ASCII goes straight to stderr; one with other characters or colour
    codes goes through click, which strips the codes where stderr is no terminal: the same text."""
    from tests.builders import invoke, project

    config = project(tmp_path, database_factory("sqlite"), revisions={
        "r1": "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True))",
        "r2": "op.add_column('t', sa.Column('v', sa.String(5)))",
    }, doc="{rid}: caf\u00e9 \x1b[31mred\x1b[0m")
    code, _out, err = invoke(config, "apply")
    assert code == 0
    assert err.splitlines()[:2] == ["[1/2] r1  r1: caf\u00e9 red ... ok (1 op)", "[2/2] r2  r2: caf\u00e9 red ... ok (1 op)"]
    code, _out, err = invoke(config, "rollback", "--to", "base")
    assert code == 0 and err.splitlines()[:2] == ["[1/2] rolling back r2 ... ok", "[2/2] rolling back r1 ... ok"]
