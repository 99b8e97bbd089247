"""The contract, for every op type, with hypothesis choosing states and ops (docs/design.md, contract points 1-5)."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import ops
from ledger.format.codec import decode, encode
from ops import (
    AddConstraintOp,
    DropConstraintOp,
    ExecuteSQLOp,
    InvalidOperationError,
    MigrateOperation,
    SchemaState,
)
from tests import strategies as S

#: The op types ops/ defines (plugins add theirs to OP_TYPES; tests/test_plugin.py covers those).
BUILTIN_TAGS = sorted(tag for tag, cls in ops.OP_TYPES.items() if cls.__module__.startswith("ops."))

# Some op types fit only some states (nothing to drop, no table without a key): those draws are
# rejected, which is what filter_too_much would complain about.
per_type = settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


def test_every_builtin_op_type_has_a_strategy() -> None:
    assert BUILTIN_TAGS == [
        "add_column", "alter_column", "alter_table_options", "create_check_constraint", "create_foreign_key", "create_index",
        "create_primary_key", "create_table", "create_table_comment", "create_unique_constraint",
        "drop_column", "drop_constraint", "drop_index", "drop_table", "drop_table_comment", "execute",
        "rename_table",
    ]
    assert set(BUILTIN_TAGS) <= set(S.OP_STRATEGIES)


def _state_and_op(data: st.DataObject, tag: str, portable: bool = False) -> tuple[SchemaState, MigrateOperation]:
    state = data.draw(S.schema_states(portable=portable, min_tables=1, max_tables=3), label="state")
    op = data.draw(S.ops_for(state, portable=portable, tags=[tag]), label="op")
    assert op.op_tag == tag
    return state, op


@pytest.mark.parametrize("tag", BUILTIN_TAGS)
@per_type
@given(data=st.data())
def test_contract_per_op_type(tag: str, data: st.DataObject) -> None:
    state, op = _state_and_op(data, tag, portable=data.draw(st.booleans(), label="portable"))
    after = state.apply(op)
    completed = state.complete(op)
    note(f"completed: {completed!r}")

    # Completion only adds what the reverse needs: the op does the same thing.
    assert state.apply(completed) == after
    assert state.complete(completed) == completed

    # Point 4: after completion every op is reversible, except execute without reverse_sql.
    if isinstance(completed, ExecuteSQLOp) and completed.reverse_sql is None:
        assert not completed.reversible
        with pytest.raises(ops.IrreversibleError):
            completed.reverse()
    else:
        assert completed.reversible
        reverse = completed.reverse()
        # Point 2: involution.
        assert reverse.reverse() == completed
        # Point 3: fold identity.
        assert after.apply(reverse) == state
        # The reverse is itself complete: completing it on the state it applies to changes nothing.
        assert after.complete(reverse) == reverse
        assert decode(encode(reverse)) == reverse

    # Point 5: canonical codec, for the op as written and as completed.
    for value in (op, completed):
        data_bytes = encode(value)
        assert decode(data_bytes) == value
        assert encode(decode(data_bytes)) == data_bytes

    # Point 1: values; info is outside equality.
    twin = attrs.evolve(completed)
    assert twin is not completed and twin == completed and hash(twin) == hash(completed)
    completed.info["note"] = "x"
    assert completed.info["note"] == "x"
    assert twin == completed and "note" not in twin.info

    # Diff tuples and descriptions are there for every op.
    diff = completed.to_diff_tuple()
    assert isinstance(diff, tuple) and diff
    line = completed.describe()
    assert line and "\n" not in line.replace(getattr(completed, "sqltext", ""), "")


@given(S.histories(irreversible=False, max_ops=6))
def test_a_history_rolls_back_newest_first(history: tuple[SchemaState, list[MigrateOperation]]) -> None:
    start, steps = history
    states, completed = [start], []
    for op in steps:
        c = states[-1].complete(op)
        completed.append(c)
        states.append(states[-1].apply(c))
    assert SchemaState.fold(completed, start) == states[-1]
    state = states[-1]
    for c, before in zip(reversed(completed), reversed(states[:-1])):
        state = state.apply(c.reverse())
        assert state == before


@given(S.schema_states())
def test_metadata_round_trip(state: SchemaState) -> None:
    assert SchemaState.from_metadata(state.to_metadata()) == state


@given(S.schema_states(portable=True))
def test_metadata_round_trip_portable(state: SchemaState) -> None:
    assert SchemaState.from_metadata(state.to_metadata()) == state


@given(S.histories(max_ops=5))
def test_metadata_round_trip_after_changes(history: tuple[SchemaState, list[MigrateOperation]]) -> None:
    start, steps = history
    state = SchemaState.fold(steps, start)
    assert SchemaState.from_metadata(state.to_metadata()) == state


@given(st.data())
def test_constraint_ops_round_trip_through_sqlalchemy(data: st.DataObject) -> None:
    state = data.draw(S.schema_states(min_tables=1))
    constraints = [(t, c) for t in state.tables.values() for c in t.constraints]
    for table, spec in constraints:
        add = DropConstraintOp(str(spec.name), table.name, schema=table.schema).complete(state).reverse()
        assert isinstance(add, AddConstraintOp)
        constraint = add.to_constraint()
        assert AddConstraintOp.from_constraint(constraint) == add
        drop = DropConstraintOp.from_constraint(constraint)
        assert drop == add.reverse()
        assert DropConstraintOp.from_constraint(drop.to_constraint()) == drop
        assert drop.reverse() == add
    for table in state.tables.values():
        for index in table.indexes:
            create = ops.CreateIndexOp(table.name, index, schema=table.schema)
            assert ops.CreateIndexOp.from_index(create.to_index()) == create


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_op_on_any_state_applies_or_raises_invalid_operation(data: st.DataObject) -> None:
    """An op drawn for one state, applied to another: it fits, or it is refused cleanly."""
    source = data.draw(S.schema_states(max_tables=3), label="source")
    target = data.draw(st.one_of(S.schema_states(max_tables=3), st.just(source)), label="target")
    op = data.draw(S.ops_for(source), label="op")
    snapshot = SchemaState(dict(target.tables))
    try:
        completed = target.complete(op)
        after = target.apply(completed)
    except InvalidOperationError as exc:
        assert str(exc)
        assert target == snapshot
        with pytest.raises(InvalidOperationError):
            target.apply(target.complete(op))
        return
    assert target == snapshot
    if completed.reversible:
        assert after.apply(completed.reverse()) == target
