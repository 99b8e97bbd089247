"""SchemaState as a value: immutability, the rules it enforces, and SQLAlchemy MetaData in and out."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given
from sqlalchemy.dialects import mysql, postgresql

import ops
from ops import (
    AlterColumnOp,
    CheckSpec,
    ColumnSpec,
    CreateCheckConstraintOp,
    CreateIndexOp,
    DropColumnOp,
    ForeignKeySpec,
    IndexElement,
    IndexSpec,
    InvalidOperationError,
    PrimaryKeySpec,
    SchemaState,
    TableSpec,
    TypeSpec,
)
from ops.specs import sql_references
from tests import strategies as S

INT = TypeSpec("Integer")


def _plain_strings(value: Any) -> None:
    """Every string inside a spec is a plain str (not SQLAlchemy's quoted_name)."""
    if isinstance(value, str):
        assert type(value) is str, repr(value)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _plain_strings(item)
    elif isinstance(value, ops.state.FrozenMap):
        for key, item in value.items():
            _plain_strings(key)
            _plain_strings(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            _plain_strings(getattr(value, field.name))


@given(S.histories(max_ops=5))
def test_apply_never_mutates(history: tuple[SchemaState, list[ops.MigrateOperation]]) -> None:
    start, steps = history
    copy = SchemaState(dict(start.tables))
    state = start
    for op in steps:
        before = SchemaState(dict(state.tables))
        state = state.apply(op)
        assert state is not before
    assert start == copy and hash(start) == hash(copy)


@given(S.schema_states())
def test_states_from_metadata_hold_plain_values(state: SchemaState) -> None:
    again = SchemaState.from_metadata(state.to_metadata())
    _plain_strings(again)
    assert again == state


def test_from_metadata_reads_a_declarative_model() -> None:
    metadata = sa.MetaData(naming_convention={"fk": "fk_%(table_name)s_%(column_0_name)s"})
    sa.Table("customer", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("email", sa.String(80), unique=True, index=True),
             sa.Column("ok", sa.Boolean(create_constraint=True)),
             sa.Column("kind", sa.Enum("a", "b", name="kind", create_constraint=True)))
    sa.Table("order", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("customer_id", sa.ForeignKey("customer.id")),
             sa.Column("parent_id", sa.ForeignKey("order.id")))
    state = SchemaState.from_metadata(metadata)
    customer = state.table("customer")
    assert customer.checks == ()  # the types' own CHECK constraints are part of the types
    assert [u.columns for u in customer.uniques] == [("email",)]
    assert [i.name for i in customer.indexes] == ["ix_customer_email"]
    order = state.table("order")
    assert {f.name for f in order.foreign_keys} == {"fk_order_customer_id", "fk_order_parent_id"}
    assert order.column("customer_id").type == INT  # type: ignore[union-attr]
    assert SchemaState.from_metadata(state.to_metadata()) == state


def test_metadata_round_trip_keeps_dialect_types_and_index_options() -> None:
    metadata = sa.MetaData()
    table = sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("tags", postgresql.ARRAY(sa.Text)), sa.Column("flags", mysql.SET("a", "b")),
                     sa.Column("small", mysql.TINYINT(unsigned=True)), sa.Column("body", mysql.MEDIUMTEXT()),
                     sa.Column("at", postgresql.TIMESTAMP(timezone=True)), sa.Column("ip", postgresql.INET),
                     sa.Column("bits", postgresql.BIT(8)), sa.Column("j", postgresql.JSONB),
                     sa.Column("u", postgresql.UUID(as_uuid=False)), schema="app", comment="all of it")
    sa.Index("ix_t_body", table.c.body, mysql_length=20)
    sa.Index("ix_t_lower", sa.func.lower(table.c.body), postgresql_where=table.c.id > 5)
    state = SchemaState.from_metadata(metadata)
    spec = state.table("t", "app")
    assert spec.index("ix_t_lower") == IndexSpec(
        "ix_t_lower", (IndexElement("lower(body)", expression=True),), dialect_options=(("postgresql_where", "id > 5"),))
    assert SchemaState.from_metadata(state.to_metadata()) == state


def test_foreign_keys_across_schemas() -> None:
    """A referent schema of None means the schema of the table that holds the key."""
    parent = TableSpec("parent", (ColumnSpec("id", INT, nullable=False),), schema="a",
                       primary_key=PrimaryKeySpec("pk_parent", ("id",)))
    same = TableSpec("child", (ColumnSpec("pid", INT),), schema="a",
                     foreign_keys=(ForeignKeySpec("fk_child", ("pid",), "parent", ("id",)),))
    other = TableSpec("child", (ColumnSpec("pid", INT),),
                      foreign_keys=(ForeignKeySpec("fk_child", ("pid",), "parent", ("id",), referent_schema="a"),))
    state = SchemaState().with_table(parent).with_table(same).with_table(other)
    assert SchemaState.from_metadata(state.to_metadata()) == state
    metadata = state.to_metadata()
    assert {fk.target_fullname for fk in metadata.tables["a.child"].foreign_keys} == {"a.parent.id"}
    assert {t.key for t, _ in state.referencing("parent", "a")} == {("a", "child"), (None, "child")}
    with pytest.raises(InvalidOperationError, match="missing table parent"):
        SchemaState().with_table(parent).with_table(attrs.evolve(other, foreign_keys=(
            ForeignKeySpec("fk_child", ("pid",), "parent", ("id",)),)))


def test_names_are_unique_per_schema() -> None:
    a = TableSpec("a", (ColumnSpec("x", INT),), checks=(CheckSpec("ck_x", "x > 0"),))
    state = SchemaState().with_table(a)
    with pytest.raises(InvalidOperationError, match="ck_x on b is already used"):
        state.with_table(TableSpec("b", (ColumnSpec("x", INT),), indexes=(IndexSpec("ck_x", (IndexElement("x"),)),)))
    with pytest.raises(InvalidOperationError, match="already used"):
        state.apply(CreateCheckConstraintOp("a", CheckSpec("ck_x", "x < 9")))
    # In another schema the same name is free.
    other = state.with_table(TableSpec("b", (ColumnSpec("x", INT),), schema="s", checks=(CheckSpec("ck_x", "x > 0"),)))
    assert other.table("b", "s").checks[0].name == "ck_x"
    with pytest.raises(InvalidOperationError, match="already used"):
        SchemaState().with_table(TableSpec("t", (ColumnSpec("x", INT),), checks=(
            CheckSpec("c", "x > 0"), CheckSpec("c", "x < 9"))))


def test_primary_key_columns_must_be_not_null() -> None:
    table = TableSpec("t", (ColumnSpec("a", INT, nullable=False), ColumnSpec("b", INT)),
                      primary_key=PrimaryKeySpec("pk_t", ("a",)))
    state = SchemaState().with_table(table)
    with pytest.raises(InvalidOperationError, match="must be NOT NULL"):
        state.apply(ops.DropConstraintOp("pk_t", "t")).apply(
            ops.CreatePrimaryKeyOp("t", PrimaryKeySpec("pk_t", ("a", "b"))))
    with pytest.raises(InvalidOperationError, match="cannot be nullable"):
        state.apply(AlterColumnOp("t", "a", modify_nullable=True))


def test_columns_named_in_sql_text_guard_drops_and_renames() -> None:
    table = TableSpec(
        "t",
        (ColumnSpec("a", INT), ColumnSpec("B c", INT), ColumnSpec("d", INT), ColumnSpec("e", INT),
         ColumnSpec("g", INT, computed=ops.ComputedSpec("e + 1"))),
        checks=(CheckSpec("ck_a", "A > 0 AND 'a' <> 'd'"), CheckSpec("ck_b", '"B c" IS NOT NULL')),
    )
    state = SchemaState().with_table(table)
    state = state.apply(CreateIndexOp("t", IndexSpec("ix_lower", (IndexElement("lower(d)", expression=True),))))
    for column, user in (("a", "ck_a"), ("B c", "ck_b"), ("d", "ix_lower"), ("e", "computed column g")):
        with pytest.raises(InvalidOperationError, match=user):
            state.apply(DropColumnOp("t", column))
        with pytest.raises(InvalidOperationError, match=user):
            state.apply(AlterColumnOp("t", column, modify_name="z"))
    partial = IndexSpec("ix_p", (IndexElement("g"),), dialect_options=(("sqlite_where", "f IS NULL"),))
    state = state.apply(ops.AddColumnOp("t", ColumnSpec("f", INT))).apply(CreateIndexOp("t", partial))
    with pytest.raises(InvalidOperationError, match="ix_p"):
        state.apply(DropColumnOp("t", "f"))
    # A string literal or a function of the same name is not the column.
    assert not sql_references("lower(x) = 'd'", "d") and not sql_references("d(x)", "d")
    assert sql_references("D + 1", "d") and sql_references("`d` + 1", "d") and sql_references("[d] > 0", "d")
    assert not sql_references('"D" + 1', "d") and not sql_references("1e5 > 0", "e5")


def test_fold_and_complete() -> None:
    recorded = ops.record(lambda op: (
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer)),
        op.drop_column("t", "x"),
    ))
    state = SchemaState.fold(recorded)
    assert state.table("t").column_names == ("id",)
    assert SchemaState.fold(recorded[1:], SchemaState.fold(recorded[:1])) == state
    assert SchemaState().complete(ops.ExecuteSQLOp("x")) == ops.ExecuteSQLOp("x")


def test_states_are_hashable_values() -> None:
    a = SchemaState().with_table(TableSpec("t", (ColumnSpec("x", INT),)))
    b = SchemaState().with_table(TableSpec("t", (ColumnSpec("x", INT),)))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != SchemaState()


def test_unsupported_constraints_are_refused_clearly() -> None:
    table = sa.Table("t", sa.MetaData(), sa.Column("r", postgresql.TSRANGE),
                     postgresql.ExcludeConstraint(("r", "&&"), name="no_overlap"))
    with pytest.raises(InvalidOperationError, match="ExcludeConstraint constraints are not supported"):
        TableSpec.from_table(table)
    with pytest.raises(InvalidOperationError, match="exclude_constraint"):
        ops.AddConstraintOp.from_constraint(list(table.constraints - {table.primary_key})[0])
