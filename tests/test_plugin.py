"""A third-party operation defined through the plugin API alone: a sequence, recorded, folded, stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

import ops
from ledger.format import codec
from ops import MigrateOperation, SchemaState
from tests import strategies as S


@ops.Operations.register_operation("create_sequence")
@ops.op_type("test_plugin.create_sequence")
@attrs.frozen
class CreateSequenceOp(MigrateOperation):
    """Create a sequence. Sequences are not part of the schema state: applying changes nothing."""

    sequence_name: str
    start: int = 1
    schema: str | None = None

    def reverse(self) -> DropSequenceOp:
        return DropSequenceOp(self.sequence_name, schema=self.schema, _reverse=self)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_sequence", self.schema, self.sequence_name)

    def apply(self, state: SchemaState) -> SchemaState:
        return state

    def describe(self) -> str:
        return f"create sequence {self.sequence_name} start {self.start}"

    @classmethod
    def create_sequence(cls, operations: ops.AbstractOperations, sequence_name: str, *, start: int = 1,
                        schema: str | None = None) -> Any:
        return operations.invoke(cls(sequence_name, start=start, schema=schema))


@ops.Operations.register_operation("drop_sequence")
@ops.op_type("test_plugin.drop_sequence")
@attrs.frozen
class DropSequenceOp(MigrateOperation):
    """Drop a sequence; reversible only when it carries the sequence it drops."""

    sequence_name: str
    schema: str | None = None
    _reverse: CreateSequenceOp | None = attrs.field(default=None, alias="_reverse")

    def reverse(self) -> CreateSequenceOp:
        if self._reverse is None:
            raise ops.IrreversibleError(f"{self.describe()}: the dropped sequence is unknown")
        return self._reverse

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("remove_sequence", self.schema, self.sequence_name)

    def apply(self, state: SchemaState) -> SchemaState:
        return state

    def describe(self) -> str:
        return f"drop sequence {self.sequence_name}"

    @classmethod
    def drop_sequence(cls, operations: ops.AbstractOperations, sequence_name: str, *,
                      schema: str | None = None) -> Any:
        return operations.invoke(cls(sequence_name, schema=schema))


codec.register_op(CreateSequenceOp)
codec.register_op(DropSequenceOp)
PLUGIN_OPS = {CreateSequenceOp.op_tag: CreateSequenceOp, DropSequenceOp.op_tag: DropSequenceOp}
for _tag in PLUGIN_OPS:
    # Registered while this module's tests run (below): other suites draw the built-in vocabulary.
    del ops.OP_TYPES[_tag]

executed: list[str] = []


@ops.Operations.implementation_for(CreateSequenceOp)
def _create_sequence(operations: ops.AbstractOperations, op: CreateSequenceOp) -> None:
    executed.append(str(sa.schema.CreateSequence(sa.Sequence(op.sequence_name, start=op.start))))


@pytest.fixture(autouse=True)
def _only_here() -> Iterator[None]:
    """The plugin's ops exist while these tests run; other suites see the built-in vocabulary."""
    ops.OP_TYPES.update(PLUGIN_OPS)
    yield
    for tag in PLUGIN_OPS:
        del ops.OP_TYPES[tag]


def test_the_facade_records_plugin_ops() -> None:
    def upgrade(op: ops.Operations) -> None:
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
        op.create_sequence("t_seq", start=100)  # type: ignore[attr-defined]
        op.drop_sequence("old_seq")  # type: ignore[attr-defined]

    recorded = ops.record(upgrade)
    assert recorded[1:] == [CreateSequenceOp("t_seq", start=100), DropSequenceOp("old_seq")]
    state = SchemaState.fold(recorded)
    assert state.apply(recorded[1]) == state


def test_plugin_ops_round_trip_through_the_codec() -> None:
    create = CreateSequenceOp("s é", start=7, schema="other")
    drop = create.reverse()
    for op in (create, drop, DropSequenceOp("x")):
        data = codec.encode(op)
        assert codec.decode(data) == op
        assert codec.encode(codec.decode(data)) == data
    assert drop.reverse().reverse() == drop
    assert b'"_reverse":{"schema":"other","sequence_name":"s \xc3\xa9","start":7}' in codec.encode(drop)


def test_plugin_ops_keep_the_contract() -> None:
    op = CreateSequenceOp("s")
    assert op.reverse().reverse() == op
    assert SchemaState().apply(op).apply(op.reverse()) == SchemaState()
    assert not DropSequenceOp("s").reversible
    assert op.to_diff_tuple() == ("add_sequence", None, "s")
    assert op.describe() == "create sequence s start 1"


def test_an_implementation_runs_plugin_ops() -> None:
    executed.clear()
    facade = ops.Operations(lambda op: ops.Operations.implementation(op)(facade, op))
    facade.create_sequence("t_seq", start=5)  # type: ignore[attr-defined]
    assert executed == ["CREATE SEQUENCE t_seq START WITH 5"]


def test_strategies_ask_for_a_strategy_for_plugin_ops() -> None:
    with pytest.raises(LookupError, match="test_plugin.create_sequence"):
        S.ops_for(SchemaState())


def test_the_codec_refuses_an_untagged_plugin_class() -> None:
    @attrs.frozen
    class Untagged(MigrateOperation):
        pass

    with pytest.raises(ValueError, match="op_type"):
        codec.register_op(Untagged)


def test_a_tag_cannot_be_taken_twice() -> None:
    with pytest.raises(ValueError, match="already registered"):
        ops.op_type("add_column")(type("Other", (MigrateOperation,), {}))
