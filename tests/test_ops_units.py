"""Each op on a small state: its diff tuple, its description, its reverse, and the errors of invalid applies."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

import ops
from ops import (
    AddColumnOp,
    AlterColumnOp,
    CheckSpec,
    ColumnSpec,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableCommentOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DefaultSpec,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    ExecuteSQLOp,
    ForeignKeySpec,
    IndexElement,
    IndexSpec,
    InvalidOperationError,
    IrreversibleError,
    PrimaryKeySpec,
    RenameTableOp,
    SchemaState,
    TableSpec,
    TypeSpec,
    UniqueSpec,
)

INT = TypeSpec("Integer")
TEXT = TypeSpec.of("String", length=50)


def _shop() -> SchemaState:
    """customer(id PK, email UNIQUE, name) and order(id PK, customer_id FK, total CHECK, ix on total)."""
    customer = TableSpec(
        "customer",
        (ColumnSpec("id", INT, nullable=False), ColumnSpec("email", TEXT, nullable=False), ColumnSpec("name", TEXT)),
        primary_key=PrimaryKeySpec("pk_customer", ("id",)),
        uniques=(UniqueSpec("uq_customer_email", ("email",)),),
        comment="who buys",
    )
    order = TableSpec(
        "order",
        (ColumnSpec("id", INT, nullable=False), ColumnSpec("customer_id", INT), ColumnSpec("total", INT),
         ColumnSpec("note", TEXT)),
        primary_key=PrimaryKeySpec("pk_order", ("id",)),
        foreign_keys=(ForeignKeySpec("fk_order_customer", ("customer_id",), "customer", ("id",), ondelete="CASCADE"),),
        checks=(CheckSpec("ck_order_total", "total >= 0"),),
        indexes=(IndexSpec("ix_order_total", (IndexElement("total"),)),
                 IndexSpec("ix_order_lower_note", (IndexElement("lower(note)", expression=True),))),
    )
    return SchemaState().with_table(customer).with_table(order)


SHOP = _shop()


def _round_trip(op: ops.MigrateOperation, state: SchemaState = SHOP) -> ops.MigrateOperation:
    """Complete ``op`` on ``state``, check the fold identity, return the completed op."""
    completed = state.complete(op)
    after = state.apply(completed)
    if completed.reversible:
        assert after.apply(completed.reverse()) == state
        assert completed.reverse().reverse() == completed
    return completed


# -- diff tuples (Alembic's shapes) ---------------------------------------------------------------


def test_table_diff_tuples() -> None:
    kind, table = CreateTableOp(SHOP.table("customer")).to_diff_tuple()
    assert kind == "add_table" and isinstance(table, sa.Table)
    assert [c.name for c in table.columns] == ["id", "email", "name"] and table.comment == "who buys"
    kind, table = _round_trip(DropTableOp("order")).to_diff_tuple()
    assert kind == "remove_table" and table.name == "order" and len(table.columns) == 4
    assert RenameTableOp("order", "purchase").to_diff_tuple() == ("rename_table", None, "order", "purchase")
    kind, table, existing = _round_trip(CreateTableCommentOp("customer", "buyers")).to_diff_tuple()
    assert (kind, table.comment, existing) == ("add_table_comment", "buyers", "who buys")
    kind, table = DropTableCommentOp("customer").to_diff_tuple()
    assert kind == "remove_table_comment" and table.name == "customer"


def test_column_diff_tuples() -> None:
    kind, schema, table, column = AddColumnOp("order", ColumnSpec("paid", TypeSpec("Boolean"))).to_diff_tuple()
    assert (kind, schema, table, column.name) == ("add_column", None, "order", "paid")
    assert isinstance(column.type, sa.Boolean)
    kind, schema, table, column = _round_trip(DropColumnOp("customer", "name")).to_diff_tuple()
    assert (kind, schema, table, column.name, column.type.length) == ("remove_column", None, "customer", "name", 50)


def test_alter_column_diff_tuple_has_one_entry_per_change() -> None:
    op = _round_trip(AlterColumnOp("customer", "name", modify_type=TypeSpec("Text"), modify_nullable=False,
                                   modify_server_default=DefaultSpec("literal", "?"), modify_comment="full name",
                                   modify_name="full_name"))
    entries = op.to_diff_tuple()
    assert [e[0] for e in entries] == ["modify_type", "modify_nullable", "modify_default", "modify_comment",
                                       "modify_name"]
    assert all(e[1:4] == (None, "customer", "name") for e in entries)
    modify_type = entries[0]
    assert modify_type[4] == {"existing_nullable": True, "existing_server_default": None, "existing_comment": None}
    assert modify_type[5:] == (TEXT, TypeSpec("Text"))
    assert entries[1][4]["existing_type"] == TEXT and entries[1][5:] == (True, False)
    assert entries[2][5:] == (None, DefaultSpec("literal", "?"))
    assert entries[3][5:] == (None, "full name")
    assert entries[4][5:] == ("name", "full_name")
    assert AlterColumnOp("customer", "name", modify_nullable=False).to_diff_tuple()[0][0] == "modify_nullable"


def test_constraint_and_index_diff_tuples() -> None:
    fk = ForeignKeySpec("fk_x", ("customer_id",), "customer", ("id",))
    kind, constraint = CreateForeignKeyOp("order", fk).to_diff_tuple()
    assert kind == "add_fk" and isinstance(constraint, sa.ForeignKeyConstraint)
    assert constraint.table.name == "order" and constraint.elements[0].target_fullname == "customer.id"
    kind, constraint = CreateUniqueConstraintOp("order", UniqueSpec("uq_x", ("note",))).to_diff_tuple()
    assert kind == "add_constraint" and isinstance(constraint, sa.UniqueConstraint)
    kind, constraint = CreateCheckConstraintOp("order", CheckSpec("ck_x", "id > 0")).to_diff_tuple()
    assert kind == "add_constraint" and isinstance(constraint, sa.CheckConstraint)
    kind, constraint = CreatePrimaryKeyOp("t", PrimaryKeySpec("pk_t", ("a", "b"))).to_diff_tuple()
    assert kind == "add_constraint" and [c.name for c in constraint.columns] == ["a", "b"]
    assert _round_trip(DropConstraintOp("fk_order_customer", "order")).to_diff_tuple()[0] == "remove_fk"
    assert DropConstraintOp("fk_x", "order", type_="foreignkey").to_diff_tuple()[0] == "remove_fk"
    kind, constraint = _round_trip(DropConstraintOp("ck_order_total", "order")).to_diff_tuple()
    assert kind == "remove_constraint" and isinstance(constraint, sa.CheckConstraint)
    kind, index = CreateIndexOp("order", IndexSpec("ix_x", (IndexElement("total"),), unique=True)).to_diff_tuple()
    assert kind == "add_index" and index.unique and index.table.name == "order"
    kind, index = _round_trip(DropIndexOp("ix_order_total")).to_diff_tuple()
    assert kind == "remove_index" and index.name == "ix_order_total"
    assert ExecuteSQLOp("SELECT 1", "SELECT 2").to_diff_tuple() == ("execute", "SELECT 1", "SELECT 2")


# -- descriptions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "text"), [
    (CreateTableOp(SHOP.table("customer")), "create table customer (3 columns)"),
    (DropTableOp("order", schema="s"), "drop table s.order"),
    (RenameTableOp("order", "purchase"), "rename table order to purchase"),
    (AddColumnOp("t", ColumnSpec("x", INT, nullable=False, server_default=DefaultSpec("text", "0"))),
     "add column t.x Integer() NOT NULL DEFAULT 0"),
    (AddColumnOp("t", ColumnSpec("x", INT), insert_before="y"), "add column t.x Integer() before y"),
    (DropColumnOp("t", "x"), "drop column t.x"),
    (AlterColumnOp("t", "x", modify_nullable=True, modify_server_default=None, modify_name="y"),
     "alter column t.x: NULL, drop default, rename to y"),
    (AlterColumnOp("t", "x", modify_type=TEXT, modify_comment="c"), "alter column t.x: type String(length=50), comment 'c'"),
    (CreateIndexOp("t", IndexSpec("ix", (IndexElement("a"), IndexElement("lower(b)", True)), unique=True)),
     "create unique index ix on t(a, lower(b))"),
    (DropIndexOp("ix", "t"), "drop index ix on t"),
    (DropIndexOp("ix"), "drop index ix"),
    (CreatePrimaryKeyOp("t", PrimaryKeySpec("pk", ("a", "b"))), "add primary constraint pk on t(a, b)"),
    (CreateUniqueConstraintOp("t", UniqueSpec("uq", ("a",))), "add unique constraint uq on t(a)"),
    (CreateForeignKeyOp("t", ForeignKeySpec("fk", ("a",), "u", ("id",), referent_schema="s")),
     "add foreign key fk on t(a) -> s.u(id)"),
    (CreateCheckConstraintOp("t", CheckSpec("ck", "a > 0")), "add check constraint ck on t: a > 0"),
    (DropConstraintOp("fk", "t", type_="foreignkey"), "drop foreignkey constraint fk on t"),
    (CreateTableCommentOp("t", "hello"), "comment on table t: 'hello'"),
    (DropTableCommentOp("t"), "drop comment on table t"),
    (ExecuteSQLOp("UPDATE t\n   SET x = 1"), "execute UPDATE t SET x = 1"),
    (ExecuteSQLOp("SELECT " + "x" * 100), "execute SELECT " + "x" * 53 + "..."),
])
def test_describe(op: ops.MigrateOperation, text: str) -> None:
    assert op.describe() == text


# -- reverses and completion ---------------------------------------------------------------------


def test_completion_fills_in_what_reverse_needs() -> None:
    drop = _round_trip(DropColumnOp("customer", "name"))
    assert drop == DropColumnOp("customer", "name", _reverse=ColumnSpec("name", TEXT))
    assert _round_trip(DropTableOp("order")).reverse() == CreateTableOp(SHOP.table("order"))
    dropped = _round_trip(DropConstraintOp("uq_customer_email", "customer"))
    assert dropped.type_ == "unique"
    assert dropped.reverse() == CreateUniqueConstraintOp("customer", UniqueSpec("uq_customer_email", ("email",)))
    index = _round_trip(DropIndexOp("ix_order_total"))
    assert index.table_name == "order" and index.reverse().index == SHOP.table("order").index("ix_order_total")
    alter = _round_trip(AlterColumnOp("customer", "email", modify_nullable=True))
    assert (alter.existing_type, alter.existing_nullable, alter.existing_server_default, alter.existing_comment) \
        == (TEXT, False, None, None)
    comment = _round_trip(CreateTableCommentOp("customer", "buyers"))
    assert comment.reverse() == CreateTableCommentOp("customer", "who buys", existing_comment="buyers")
    assert _round_trip(DropTableCommentOp("customer")).reverse() == CreateTableCommentOp(
        "customer", "who buys", existing_comment=None)
    assert _round_trip(CreateTableCommentOp("order", "x")).reverse() == DropTableCommentOp("order", existing_comment="x")
    assert _round_trip(DropTableCommentOp("order")).reverse() == DropTableCommentOp("order", existing_comment=None)


def test_drop_column_puts_the_column_back_where_it_was() -> None:
    state = SHOP.apply(DropIndexOp("ix_order_lower_note"))
    drop = _round_trip(DropColumnOp("order", "note"), state)
    assert drop.reverse().insert_before is None
    state = SHOP.apply(DropConstraintOp("fk_order_customer", "order"))
    drop = state.complete(DropColumnOp("order", "customer_id"))
    assert drop.reverse().insert_before == "total"
    assert state.apply(drop).apply(drop.reverse()).table("order").column_names == ("id", "customer_id", "total", "note")


@pytest.mark.parametrize("op", [
    DropColumnOp("t", "x"), DropTableOp("t"), DropConstraintOp("c", "t"), DropIndexOp("ix", "t"),
    AlterColumnOp("t", "x", modify_nullable=False), AlterColumnOp("t", "x", modify_type=INT),
    AlterColumnOp("t", "x", modify_server_default=None), AlterColumnOp("t", "x", modify_comment="c"),
    CreateTableCommentOp("t", "c"), DropTableCommentOp("t"), ExecuteSQLOp("DELETE FROM t"),
])
def test_uncompleted_destructive_ops_are_irreversible(op: ops.MigrateOperation) -> None:
    assert not op.reversible
    with pytest.raises(IrreversibleError, match=op.describe().split(" ")[0]):
        op.reverse()


def test_sentinels_false_means_no_change_and_none_means_drop() -> None:
    state = SHOP.apply(AlterColumnOp("customer", "name", modify_server_default=DefaultSpec("literal", "x"),
                                     modify_comment="who"))
    kept = state.apply(AlterColumnOp("customer", "name", modify_nullable=False))
    assert kept.column("customer", "name").server_default == DefaultSpec("literal", "x")
    assert kept.column("customer", "name").comment == "who"
    dropped = state.apply(AlterColumnOp("customer", "name", modify_server_default=None, modify_comment=None))
    assert dropped.column("customer", "name").server_default is None
    assert dropped.column("customer", "name").comment is None
    recorded = ops.record(lambda op: op.alter_column("customer", "name", server_default=None, comment=None))
    assert recorded == [AlterColumnOp("customer", "name", modify_server_default=None, modify_comment=None)]
    recorded = ops.record(lambda op: op.alter_column("customer", "name", nullable=True))
    assert recorded[0].modify_server_default is False and recorded[0].modify_comment is False


def test_execute_reverses_exactly_with_reverse_sql() -> None:
    op = ExecuteSQLOp("INSERT INTO t VALUES (1)", reverse_sql="DELETE FROM t WHERE x = 1")
    assert op.reverse() == ExecuteSQLOp("DELETE FROM t WHERE x = 1", reverse_sql="INSERT INTO t VALUES (1)")
    assert SHOP.apply(op) == SHOP


# -- invalid applies -------------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "message"), [
    (CreateTableOp(TableSpec("customer", (ColumnSpec("id", INT),))), "table customer already exists"),
    (CreateTableOp(TableSpec("t", ())), "needs at least one column"),
    (CreateTableOp(TableSpec("t", (ColumnSpec("a", INT), ColumnSpec("a", INT)))), "duplicate column"),
    (CreateTableOp(TableSpec("t", (ColumnSpec("a", INT),), primary_key=PrimaryKeySpec("pk_t", ("a",)))),
     "column a must be NOT NULL"),
    (CreateTableOp(TableSpec("t", (ColumnSpec("a", INT),), uniques=(UniqueSpec("uq_customer_email", ("a",)),))),
     "uq_customer_email on t is already used"),
    (CreateTableOp(TableSpec("t", (ColumnSpec("a", INT),), indexes=(IndexSpec(None, (IndexElement("a"),)),))),
     "needs a name"),
    (CreateTableOp(TableSpec("t", (ColumnSpec("a", INT),),
                             foreign_keys=(ForeignKeySpec("fk_t", ("a",), "nope", ("id",)),))), "missing table nope"),
    (CreateTableOp(TableSpec("t", (ColumnSpec("a", INT),),
                             foreign_keys=(ForeignKeySpec("fk_t", ("a",), "customer", ("nope",)),))),
     "missing column customer.nope"),
    (CreateTableOp(TableSpec("t", (ColumnSpec("a", TEXT),),
                             foreign_keys=(ForeignKeySpec("fk_t", ("a",), "customer", ("name",)),))),
     "not a primary key or unique constraint"),
    (CreateTableOp(TableSpec("t", (ColumnSpec("a", INT),),
                             foreign_keys=(ForeignKeySpec("fk_t", ("a", "a"), "customer", ("id",)),))), "names a column twice"),
    (DropTableOp("nope"), "table nope does not exist"),
    (DropTableOp("customer"), "foreign key fk_order_customer of order refers to it"),
    (RenameTableOp("customer", "order"), "table order exists"),
    (RenameTableOp("nope", "x"), "table nope does not exist"),
    (AddColumnOp("customer", ColumnSpec("email", TEXT)), "column customer.email already exists"),
    (AddColumnOp("nope", ColumnSpec("x", TEXT)), "table nope does not exist"),
    (AddColumnOp("customer", ColumnSpec("x", TEXT), insert_before="nope"), "before missing column nope"),
    (DropColumnOp("customer", "nope"), "column customer.nope does not exist"),
    (DropColumnOp("customer", "id"), "pk_customer"),
    (AlterColumnOp("customer", "nope", modify_nullable=True), "column customer.nope does not exist"),
    (AlterColumnOp("customer", "id", modify_nullable=True), "in the primary key and cannot be nullable"),
    (AlterColumnOp("customer", "name", modify_name="email"), "column customer.email already exists"),
    (AlterColumnOp("order", "total", modify_name="amount"), "the SQL text of check constraint ck_order_total"),
    (AlterColumnOp("order", "note", modify_name="memo"), "index ix_order_lower_note"),
    (CreateIndexOp("customer", IndexSpec("ix_c", (IndexElement("nope"),))), "missing column nope"),
    (CreateIndexOp("customer", IndexSpec("pk_order", (IndexElement("id"),))), "pk_order on customer is already used"),
    (CreateIndexOp("customer", IndexSpec("ix_c", ())), "at least one element"),
    (DropIndexOp("nope"), "index nope does not exist"),
    (DropIndexOp("ix_order_total", "customer"), "index ix_order_total does not exist on customer"),
    (CreatePrimaryKeyOp("customer", PrimaryKeySpec("pk2", ("id",))), "already has primary key pk_customer"),
    (CreatePrimaryKeyOp("customer", PrimaryKeySpec(None, ("id",))), "needs a name"),
    (CreateUniqueConstraintOp("customer", UniqueSpec("uq_x", ())), "needs at least one column"),
    (CreateUniqueConstraintOp("customer", UniqueSpec("ck_order_total", ("name",))), "already used"),
    (CreateForeignKeyOp("order", ForeignKeySpec("fk2", ("note",), "customer", ("id", "email"))),
     "has 1 columns but refers to 2"),
    (CreateForeignKeyOp("order", ForeignKeySpec("fk2", ("note",), "customer", ("name",))),
     "not a primary key or unique constraint"),
    (CreateForeignKeyOp("order", ForeignKeySpec("fk2", ("note",), "customer", ("id",), referent_schema="s")),
     "missing table s.customer"),
    (DropConstraintOp("nope", "customer"), "constraint nope does not exist on customer"),
    (DropConstraintOp("pk_customer", "customer"), "foreign key fk_order_customer of order needs it"),
    (DropConstraintOp("pk_customer", "customer", type_="unique"), "is a primary constraint, not unique"),
    (CreateTableCommentOp("nope", "c"), "table nope does not exist"),
    (DropTableCommentOp("nope"), "table nope does not exist"),
])
def test_invalid_apply_raises_and_changes_nothing(op: ops.MigrateOperation, message: str) -> None:
    before = _shop()
    with pytest.raises(InvalidOperationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SHOP.apply(SHOP.complete(op))
    assert SHOP == before


def test_dropping_a_key_that_another_key_can_replace_is_allowed() -> None:
    state = SHOP.apply(CreateUniqueConstraintOp("customer", UniqueSpec("uq_customer_id", ("id",))))
    op = state.complete(DropConstraintOp("pk_customer", "customer"))
    assert state.apply(op).table("customer").primary_key is None
    assert state.apply(op).apply(op.reverse()) == state


def test_renames_follow_into_keys_indexes_and_foreign_keys() -> None:
    state = SHOP.apply(RenameTableOp("customer", "client"))
    assert state.table("order").foreign_keys[0].referent_table == "client"
    state = SHOP.apply(AlterColumnOp("customer", "id", modify_name="customer_no"))
    assert state.table("customer").primary_key.columns == ("customer_no",)  # type: ignore[union-attr]
    assert state.table("order").foreign_keys[0].referent_columns == ("customer_no",)
    state = SHOP.apply(AlterColumnOp("order", "customer_id", modify_name="client_id"))
    assert state.table("order").foreign_keys[0].columns == ("client_id",)
    index = IndexSpec("ix_inc", (IndexElement("email"),), dialect_options=(
        ("mysql_length", (("email", 10),)), ("postgresql_include", ("name",)),
        ("postgresql_ops", (("email", "text_pattern_ops"),))))
    state = SHOP.apply(CreateIndexOp("customer", index)).apply(AlterColumnOp("customer", "email", modify_name="mail"))
    state = state.apply(AlterColumnOp("customer", "name", modify_name="full_name"))
    assert state.table("customer").index("ix_inc").dialect_options == (  # type: ignore[union-attr]
        ("mysql_length", (("mail", 10),)), ("postgresql_include", ("full_name",)),
        ("postgresql_ops", (("mail", "text_pattern_ops"),)))
    # A column an index includes goes with the index, as PostgreSQL drops it; the reverse restores both.
    with_index = SHOP.apply(CreateIndexOp("customer", index))
    drop = with_index.complete(DropColumnOp("customer", "name"))
    assert drop.apply(with_index).table("customer").index("ix_inc") is None
    assert drop.reverse().apply(drop.apply(with_index)) == with_index


def test_info_is_memoized_and_outside_equality() -> None:
    a, b = ExecuteSQLOp("SELECT 1"), ExecuteSQLOp("SELECT 1")
    a.info["why"] = "test"
    assert a.info is a.info and a.info == {"why": "test"} and b.info == {}
    assert a == b and hash(a) == hash(b)
    from ledger.format.codec import encode
    assert encode(a) == encode(b)


def test_ops_are_frozen_values() -> None:
    op = AddColumnOp("t", ColumnSpec("x", INT))
    with pytest.raises(AttributeError):
        op.table_name = "u"  # type: ignore[misc]
    assert {op, AddColumnOp("t", ColumnSpec("x", INT))} == {op}
