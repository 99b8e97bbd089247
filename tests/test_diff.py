"""diff(source, target): completed ops, in an order valid to apply, that lead from one state to the other."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given, note
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from ledger.schema.diff import diff
from ops import (
    AddColumnOp,
    AlterColumnOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableCommentOp,
    CreateTableOp,
    DefaultSpec,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
    MigrateOperation,
    SchemaState,
    TypeSpec,
)
from tests import strategies

# ---------------------------------------------------------------------------------------------
# The contract
# ---------------------------------------------------------------------------------------------


def check_diff(source: SchemaState, target: SchemaState) -> list[MigrateOperation]:
    """diff's whole contract for one pair: it folds to the target, its ops are completed and
    reversible, undoing them newest first gives the source back, and nothing is left over."""
    ops = diff(source, target)
    if currently_in_test_context():
        for op in ops:
            note(op.describe())
    assert SchemaState.fold(ops, start=source) == target
    state = source
    for op in ops:
        assert op.reversible, op.describe()
        assert op.complete(state) == op, f"{op.describe()} is not completed"
        state = op.apply(state)
    for op in reversed(ops):
        state = op.reverse().apply(state)
    assert state == source
    assert diff(target, target) == []
    return ops


@given(strategies.small_states(), strategies.small_states())
def test_diff_folds_to_target_and_back(source: SchemaState, target: SchemaState) -> None:
    check_diff(source, target)


@given(strategies.small_states())
def test_diff_of_a_state_with_itself_is_empty(state: SchemaState) -> None:
    assert diff(state, state) == []


@given(st.data())
def test_diff_of_shared_random_states(data: st.DataObject) -> None:
    source = data.draw(strategies.schema_states())
    target = data.draw(strategies.schema_states())
    check_diff(source, target)
    check_diff(target, source)


@given(st.data())
def test_diff_after_a_history(data: st.DataObject) -> None:
    """The states a migration history passes through are close to each other: alters, not rebuilds."""
    start, steps = data.draw(strategies.histories(irreversible=False))
    end = SchemaState.fold(steps, start=start)
    check_diff(start, end)
    check_diff(end, start)


# ---------------------------------------------------------------------------------------------
# What the ops are, case by case
# ---------------------------------------------------------------------------------------------


def _state(*tables: sa.Table) -> SchemaState:
    metadata = sa.MetaData()
    for table in tables:
        table.to_metadata(metadata)
    return SchemaState.from_metadata(metadata)


def _kinds(ops: list[MigrateOperation]) -> list[str]:
    return [op.op_tag for op in ops]


def test_create_tables_referenced_first_and_cycles_get_foreign_keys_last() -> None:
    md = sa.MetaData()
    sa.Table("customer", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("best_order_id", sa.Integer, sa.ForeignKey("order.id", name="fk_best")))
    sa.Table("order", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", name="fk_customer")))
    sa.Table("line", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("order_id", sa.Integer, sa.ForeignKey("order.id", name="fk_order")),
             sa.Column("parent_id", sa.Integer, sa.ForeignKey("line.id", name="fk_parent")))
    target = SchemaState.from_metadata(md)
    ops = check_diff(SchemaState(), target)
    assert _kinds(ops) == ["create_table", "create_table", "create_table", "create_foreign_key"]
    created = [op.table for op in ops if isinstance(op, CreateTableOp)]
    assert [t.name for t in created] == ["customer", "order", "line"]
    # The cycle is cut once; the other foreign keys, the self-reference included, stay inline.
    assert created[0].foreign_keys == ()
    assert [fk.name for fk in created[1].foreign_keys] == ["fk_customer"]
    assert sorted(fk.name for fk in created[2].foreign_keys) == ["fk_order", "fk_parent"]
    assert ops[3].constraint.name == "fk_best"  # type: ignore[attr-defined]

    back = check_diff(target, SchemaState())
    assert _kinds(back)[0] == "drop_table" and back[0].table_name == "line"  # type: ignore[attr-defined]
    assert _kinds(back).count("drop_constraint") == 1
    assert all(op.reversible for op in back)


def test_column_changes_become_alter_column_with_existing_values() -> None:
    source = _state(sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                             sa.Column("name", sa.String(20), nullable=True, comment="old"),
                             sa.Column("n", sa.Integer, server_default="1")))
    target = _state(sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                             sa.Column("name", sa.String(80), nullable=False),
                             sa.Column("n", sa.Integer, server_default=sa.text("2"))))
    ops = check_diff(source, target)
    assert all(isinstance(op, AlterColumnOp) for op in ops)
    by_column = {op.column_name: op for op in ops}  # type: ignore[attr-defined]
    name = by_column["name"]
    assert name.modify_type == TypeSpec.of("String", length=80)
    assert name.existing_type == TypeSpec.of("String", length=20)
    assert name.modify_nullable is False and name.existing_nullable is True
    assert name.modify_comment is None and name.existing_comment == "old"
    assert name.modify_server_default is False
    n = by_column["n"]
    assert n.modify_server_default == DefaultSpec("text", "2")
    assert n.existing_server_default == DefaultSpec("literal", "1")
    assert n.modify_type is None and n.modify_nullable is None and n.modify_comment is False


def test_added_and_dropped_columns_keep_their_constraints_in_order() -> None:
    source = _state(sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                             sa.Column("old", sa.Integer), sa.Index("ix_t_old", "old"),
                             sa.UniqueConstraint("old", name="uq_t_old")))
    target = _state(sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                             sa.Column("new", sa.Integer), sa.Index("ix_t_new", "new", unique=True),
                             sa.CheckConstraint("new > 0", name="ck_t_new")))
    ops = check_diff(source, target)
    assert [type(op) for op in ops] == [
        DropIndexOp, DropConstraintOp, DropColumnOp, AddColumnOp,
        type(ops[4]), CreateIndexOp,
    ]
    assert ops[4].op_tag == "create_check_constraint"
    assert ops[2].reverse() == AddColumnOp("t", source.column("t", "old"))  # type: ignore[attr-defined]


def test_a_renamed_table_is_dropped_and_created() -> None:
    source = _state(sa.Table("old", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True)))
    target = _state(sa.Table("new", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True)))
    ops = check_diff(source, target)
    assert _kinds(ops) == ["drop_table", "create_table"]


def test_a_changed_primary_key_name_recreates_foreign_keys_that_need_it() -> None:
    def tables(pk_name: str) -> SchemaState:
        md = sa.MetaData()
        sa.Table("parent", md, sa.Column("id", sa.Integer), sa.PrimaryKeyConstraint("id", name=pk_name))
        sa.Table("child", md, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", name="fk_child_parent")))
        return SchemaState.from_metadata(md)

    ops = check_diff(tables("pk_one"), tables("pk_two"))
    assert _kinds(ops) == ["drop_constraint", "drop_constraint", "create_primary_key", "create_foreign_key"]
    assert isinstance(ops[0], DropConstraintOp) and ops[0].type_ == "foreignkey"
    assert isinstance(ops[2], CreatePrimaryKeyOp) and isinstance(ops[3], CreateForeignKeyOp)


def test_a_column_becoming_part_of_the_key_is_made_not_null_first() -> None:
    source = _state(sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer, nullable=True),
                             sa.Column("b", sa.Integer, nullable=False), sa.PrimaryKeyConstraint("b", name="pk_t")))
    target = _state(sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer, nullable=False),
                             sa.Column("b", sa.Integer, nullable=True), sa.PrimaryKeyConstraint("a", name="pk_t")))
    ops = check_diff(source, target)
    assert _kinds(ops) == ["drop_constraint", "alter_column", "alter_column", "create_primary_key"]


def test_new_columns_go_where_the_target_has_them() -> None:
    source = _state(sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer), sa.Column("b", sa.Integer)))
    target = _state(sa.Table("t", sa.MetaData(), sa.Column("n1", sa.Integer), sa.Column("a", sa.Integer),
                             sa.Column("n2", sa.Integer), sa.Column("n3", sa.Integer), sa.Column("b", sa.Integer),
                             sa.Column("n4", sa.Integer)))
    ops = check_diff(source, target)
    assert [(op.column.name, op.insert_before) for op in ops] == [  # type: ignore[attr-defined]
        ("n1", "a"), ("n2", "b"), ("n3", "b"), ("n4", None),
    ]


def test_moved_columns_are_dropped_and_added_again_to_keep_the_order() -> None:
    source = _state(sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer), sa.Column("b", sa.Integer),
                             sa.Column("c", sa.Integer), sa.Column("d", sa.Integer)))
    target = _state(sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer), sa.Column("c", sa.Integer),
                             sa.Column("d", sa.Integer), sa.Column("b", sa.Integer)))
    ops = check_diff(source, target)
    assert _kinds(ops) == ["drop_column", "add_column"]
    assert ops[0].column_name == "b" and ops[1].insert_before is None  # type: ignore[attr-defined]


def test_a_computed_column_goes_and_comes_back_with_the_column_it_names() -> None:
    source = _state(sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer), sa.Column("b", sa.Integer),
                             sa.Column("twice", sa.Integer, sa.Computed("b * 2")),
                             sa.CheckConstraint("b > 0", name="ck_t_b")))
    target = _state(sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer),
                             sa.Column("twice", sa.Integer, sa.Computed("b * 2"))))
    ops = check_diff(source, target)
    assert _kinds(ops) == ["drop_constraint", "drop_column", "drop_column", "add_column"]


def test_a_table_with_no_column_that_can_stay_is_created_again() -> None:
    source = _state(sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer, sa.Identity())))
    target = _state(sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer)))
    assert _kinds(check_diff(source, target)) == ["drop_table", "create_table"]


def test_table_comments() -> None:
    def state(comment: str | None) -> SchemaState:
        return _state(sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer), comment=comment))

    ops = check_diff(state(None), state("what it holds"))
    assert ops == [CreateTableCommentOp("t", "what it holds", existing_comment=None)]
    ops = check_diff(state("what it holds"), state(None))
    assert ops == [DropTableCommentOp("t", existing_comment="what it holds")]
    ops = check_diff(state("old"), state("new"))
    assert ops == [CreateTableCommentOp("t", "new", existing_comment="old")]


def test_an_index_name_can_move_between_tables() -> None:
    md = sa.MetaData()
    sa.Table("a", md, sa.Column("x", sa.Integer), sa.Index("ix_shared", "x"))
    sa.Table("b", md, sa.Column("y", sa.Integer))
    source = SchemaState.from_metadata(md)
    md = sa.MetaData()
    sa.Table("a", md, sa.Column("x", sa.Integer))
    sa.Table("b", md, sa.Column("y", sa.Integer), sa.Index("ix_shared", "y"))
    target = SchemaState.from_metadata(md)
    assert _kinds(check_diff(source, target)) == ["drop_index", "create_index"]


@pytest.mark.parametrize("schema", [None, "other"])
def test_tables_in_a_schema(schema: str | None) -> None:
    md = sa.MetaData()
    sa.Table("p", md, sa.Column("id", sa.Integer, primary_key=True), schema=schema)
    sa.Table("c", md, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("p_id", sa.Integer, sa.ForeignKey(f"{schema + '.' if schema else ''}p.id")), schema=schema)
    target = SchemaState.from_metadata(md)
    ops = check_diff(SchemaState(), target)
    assert all(getattr(op, "schema", None) == schema for op in ops)
    check_diff(target, SchemaState())
