"""Every op kind, run from ``ddl()`` on SQLite, PostgreSQL and MariaDB, then checked by reflection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from ledger.run.context import MigrationContext
from ledger.dialects import UnsupportedOperationError, ddl_batch, dialect_name, execute
from ops import Operations, SchemaState, record
from tests.builders import (
    check_names,
    columns,
    default_text,
    fk_names,
    index_names,
    inspect,
    migrate,
    unique_names,
)

def shop(op: Operations) -> None:
    op.create_table(
        "customer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("email", sa.String(200)),
        sa.Column("note", sa.String(50), server_default="n/a"),
        comment="people who buy",
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("total", sa.Numeric(10, 2)),
        sa.Column("code", sa.String(20)),
    )


@pytest.fixture
def shop_state(engine: sa.Engine) -> SchemaState:
    state, _ = migrate(engine, shop)
    return state


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def test_create_table_with_everything(engine: sa.Engine) -> None:
    def upgrade(op: Operations) -> None:
        op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True))
        op.create_table(
            "child",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", ondelete="CASCADE"), nullable=False),
            sa.Column("code", sa.String(20), unique=True, comment="the code"),
            sa.Column("qty", sa.Integer, server_default="1", nullable=False),
            sa.Column("label", sa.String(30), index=True),
            sa.CheckConstraint("qty > 0", name="ck_child_qty"),
            comment="kids",
        )

    migrate(engine, upgrade)
    insp = inspect(engine)
    cols = columns(engine, "child")
    assert list(cols) == ["id", "parent_id", "code", "qty", "label"]
    assert cols["parent_id"]["nullable"] is False
    assert default_text(cols["qty"]) == "1"
    assert insp.get_pk_constraint("child")["constrained_columns"] == ["id"]
    (fk,) = insp.get_foreign_keys("child")
    assert (fk["referred_table"], fk["constrained_columns"], fk["referred_columns"]) == ("parent", ["parent_id"], ["id"])
    assert fk["options"].get("ondelete") == "CASCADE"
    assert "uq_child_code" in unique_names(engine, "child")
    assert "ck_child_qty" in check_names(engine, "child")
    assert "ix_child_label" in index_names(engine, "child")
    if engine.dialect.name != "sqlite":
        assert insp.get_table_comment("child")["text"] == "kids"
        assert cols["code"]["comment"] == "the code"


def test_drop_table(engine: sa.Engine, shop_state: SchemaState) -> None:
    migrate(engine, lambda op: op.drop_table("orders"), shop_state)
    assert inspect(engine).get_table_names() == ["customer"]


def test_rename_table_and_foreign_keys_follow(engine: sa.Engine, shop_state: SchemaState) -> None:
    def upgrade(op: Operations) -> None:
        op.create_foreign_key("fk_orders_customer", "orders", "customer", ["customer_id"], ["id"])
        op.rename_table("customer", "client")

    migrate(engine, upgrade, shop_state)
    assert sorted(inspect(engine).get_table_names()) == ["client", "orders"]
    (fk,) = inspect(engine).get_foreign_keys("orders")
    assert fk["referred_table"] == "client"


def test_table_comments(engine: sa.Engine, shop_state: SchemaState) -> None:
    state, sql = migrate(engine, lambda op: op.create_table_comment("orders", "what was bought, 100%"), shop_state)
    if engine.dialect.name == "sqlite":
        assert sql == []  # SQLite keeps no comments
        return
    assert inspect(engine).get_table_comment("orders")["text"] == "what was bought, 100%"
    migrate(engine, lambda op: op.drop_table_comment("orders"), state)
    assert not inspect(engine).get_table_comment("orders")["text"]


# ---------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column, expect",
    [
        (sa.Column("phone", sa.String(30)), {"nullable": True, "default": None}),
        (sa.Column("vip", sa.Integer, nullable=False, server_default="0"), {"nullable": False, "default": "0"}),
        (sa.Column("tag", sa.String(10), server_default="a%b", comment="50% off"), {"default": "a%b"}),
    ],
    ids=["nullable", "not-null-default", "comment"],
)
def test_add_column(engine: sa.Engine, shop_state: SchemaState, column: sa.Column[Any], expect: dict[str, Any]) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO customer (id, name) VALUES (1, 'ann')"))
    _, sql = migrate(engine, lambda op: op.add_column("customer", column._copy()), shop_state)
    live = columns(engine, "customer")[column.name]
    if "nullable" in expect:
        assert live["nullable"] is expect["nullable"]
    assert default_text(live) == expect["default"]
    if column.comment and engine.dialect.name != "sqlite":
        assert live["comment"] == column.comment
    if engine.dialect.name == "sqlite":
        assert not any("_sl_new_" in s for s in sql), "a plain column is added natively"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM customer")).scalar() == 1


def test_add_not_null_column_without_default_is_rebuilt_on_sqlite(engine: sa.Engine, shop_state: SchemaState) -> None:
    _, sql = migrate(engine, lambda op: op.add_column("orders", sa.Column("ref", sa.Integer, nullable=False)), shop_state)
    assert columns(engine, "orders")["ref"]["nullable"] is False
    assert any("_sl_new_orders" in s for s in sql) == (engine.dialect.name == "sqlite")


def test_drop_column(engine: sa.Engine, shop_state: SchemaState) -> None:
    migrate(engine, lambda op: op.drop_column("customer", "email"), shop_state)
    assert list(columns(engine, "customer")) == ["id", "name", "note"]


def _alter_cases() -> list[Any]:
    return [
        pytest.param({"type_": sa.String(300)}, lambda c: c["type"].length == 300, id="type"),
        pytest.param({"type_": sa.Integer}, lambda c: isinstance(c["type"], sa.Integer), id="type-to-int"),
        pytest.param({"nullable": False}, lambda c: c["nullable"] is False, id="not-null"),
        pytest.param({"server_default": "x%'y"}, lambda c: default_text(c) in ("x%''y", "x%'y", "x%\\'y"), id="default"),
        pytest.param({"comment": "who"}, None, id="comment"),
    ]


@pytest.mark.parametrize("change, check", _alter_cases())
def test_alter_column(engine: sa.Engine, shop_state: SchemaState, change: dict[str, Any],
                      check: Callable[[dict[str, Any]], bool] | None) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO orders (id, customer_id, code) VALUES (1, 7, '42')"))
    migrate(engine, lambda op: op.alter_column("orders", "code", **change), shop_state)
    live = columns(engine, "orders")["code"]
    if check is not None:
        assert check(live), live
    if "comment" in change and engine.dialect.name != "sqlite":
        assert live["comment"] == "who"
    with engine.connect() as conn:
        assert str(conn.execute(sa.text("SELECT code FROM orders")).scalar()) == "42"


def test_alter_column_default_change_and_drop(engine: sa.Engine, shop_state: SchemaState) -> None:
    state, _ = migrate(engine, lambda op: op.alter_column("customer", "note", server_default="none"), shop_state)
    assert default_text(columns(engine, "customer")["note"]) == "none"
    migrate(engine, lambda op: op.alter_column("customer", "note", server_default=None), state)
    assert default_text(columns(engine, "customer")["note"]) is None


def test_alter_column_nullable_back(engine: sa.Engine, shop_state: SchemaState) -> None:
    migrate(engine, lambda op: op.alter_column("customer", "name", nullable=True), shop_state)
    assert columns(engine, "customer")["name"]["nullable"] is True


def test_alter_column_rename_with_type_and_nullability(engine: sa.Engine, shop_state: SchemaState) -> None:
    def upgrade(op: Operations) -> None:
        op.create_index("ix_customer_email", "customer", ["email"])
        op.alter_column("customer", "email", new_column_name="mail", type_=sa.String(250), nullable=False,
                        server_default="-")

    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO customer (id, name, email) VALUES (1, 'ann', 'a@x')"))
    migrate(engine, upgrade, shop_state)
    live = columns(engine, "customer")
    assert "email" not in live
    assert live["mail"]["type"].length == 250 and live["mail"]["nullable"] is False
    assert default_text(live["mail"]) == "-"
    (index,) = [i for i in inspect(engine).get_indexes("customer") if i["name"] == "ix_customer_email"]
    assert index["column_names"] == ["mail"]
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT mail FROM customer")).scalar() == "a@x"


def test_a_rename_with_a_rebuild_keeps_the_foreign_keys_that_name_the_column(
        engine: sa.Engine, shop_state: SchemaState) -> None:
    """The other table's foreign key names the column by its new name afterwards on every database
    (SQLite renames the column by RENAME COLUMN, which rewrites it, and rebuilds for the rest)."""
    def upgrade(op: Operations) -> None:
        op.create_unique_constraint("uq_orders_code", "orders", ["code"])
        op.create_table("shipment", sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String(20)),
                        sa.ForeignKeyConstraint(["code"], ["orders.code"], name="fk_shipment_code"))

    state, _ = migrate(engine, upgrade, shop_state)
    migrate(engine, lambda op: op.alter_column("orders", "code", new_column_name="ref", nullable=False), state)
    (fk,) = inspect(engine).get_foreign_keys("shipment")
    assert (fk["referred_table"], fk["referred_columns"]) == ("orders", ["ref"])
    assert columns(engine, "orders")["ref"]["nullable"] is False


def test_alter_column_rename_only_is_native_on_sqlite(engine: sa.Engine, shop_state: SchemaState) -> None:
    _, sql = migrate(engine, lambda op: op.alter_column("orders", "code", new_column_name="ref"), shop_state)
    assert "ref" in columns(engine, "orders")
    if engine.dialect.name == "sqlite":
        assert sql == ['ALTER TABLE orders RENAME COLUMN code TO ref']


# ---------------------------------------------------------------------------------------------
# Indexes
# ---------------------------------------------------------------------------------------------


def test_create_and_drop_indexes(engine: sa.Engine, shop_state: SchemaState) -> None:
    def upgrade(op: Operations) -> None:
        op.create_index("ix_orders_code", "orders", ["code"])
        op.create_index("ux_orders_code_total", "orders", ["code", "total"], unique=True)
        op.create_index("ix_orders_code_len", "orders", ["code"], mysql_length=5)

    state, _ = migrate(engine, upgrade, shop_state)
    live = {i["name"]: i for i in inspect(engine).get_indexes("orders")}
    assert live["ix_orders_code"]["column_names"] == ["code"]
    assert live["ux_orders_code_total"]["unique"] and live["ux_orders_code_total"]["column_names"] == ["code", "total"]
    if engine.dialect.name == "mysql":
        assert live["ix_orders_code_len"]["dialect_options"]["mysql_length"] == {"code": 5}
    migrate(engine, lambda op: (op.drop_index("ix_orders_code", "orders"),
                                op.drop_index("ux_orders_code_total", "orders")), state)
    assert index_names(engine, "orders") == {"ix_orders_code_len"}


def test_expression_and_partial_indexes(engine: sa.Engine, shop_state: SchemaState) -> None:
    def upgrade(op: Operations) -> None:
        op.create_index("ix_customer_lower", "customer", [sa.text("lower(name)")])
        op.create_index("ix_customer_mail", "customer", ["email"], postgresql_where=sa.text("email IS NOT NULL"),
                        sqlite_where=sa.text("email IS NOT NULL"))

    if engine.dialect.name == "mysql":  # MariaDB indexes no expressions: a clear error, nothing run
        with pytest.raises(UnsupportedOperationError, match="MariaDB has no expression indexes"):
            migrate(engine, upgrade, shop_state)
        return
    state, sql = migrate(engine, upgrade, shop_state)
    assert {"ix_customer_lower", "ix_customer_mail"} <= index_names(engine, "customer")
    assert any("WHERE email IS NOT NULL" in s for s in sql)
    with engine.connect() as conn:
        where = conn.execute(sa.text(
            "SELECT sql FROM sqlite_master WHERE name = 'ix_customer_mail'" if engine.dialect.name == "sqlite"
            else "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_customer_mail'"
        )).scalar()
    assert "WHERE" in str(where).upper()
    migrate(engine, lambda op: op.drop_index("ix_customer_lower", "customer"), state)
    assert "ix_customer_lower" not in index_names(engine, "customer")


def test_postgresql_index_options(engine: sa.Engine, shop_state: SchemaState) -> None:
    def upgrade(op: Operations) -> None:
        op.create_index("ix_orders_code_hash", "orders", ["code"], postgresql_using="hash")
        op.create_index("ix_orders_cust", "orders", ["customer_id"], postgresql_include=["total"])

    migrate(engine, upgrade, shop_state)
    live = {i["name"]: i for i in inspect(engine).get_indexes("orders")}
    assert {"ix_orders_code_hash", "ix_orders_cust"} <= set(live)
    if engine.dialect.name == "postgresql":
        assert live["ix_orders_code_hash"]["dialect_options"]["postgresql_using"] == "hash"
        assert live["ix_orders_cust"]["dialect_options"]["postgresql_include"] == ["total"]


# ---------------------------------------------------------------------------------------------
# Constraints
# ---------------------------------------------------------------------------------------------


def test_constraints_created_and_dropped(engine: sa.Engine, shop_state: SchemaState) -> None:
    def add(op: Operations) -> None:
        op.create_unique_constraint("uq_customer_email", "customer", ["email"])
        op.create_foreign_key("fk_orders_customer", "orders", "customer", ["customer_id"], ["id"], ondelete="CASCADE")
        op.create_check_constraint("ck_orders_total", "orders", "total >= 0")

    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO customer (id, name, email) VALUES (1, 'ann', 'a@x')"))
        conn.execute(sa.text("INSERT INTO orders (id, customer_id, total) VALUES (1, 1, 5)"))
    state, _ = migrate(engine, add, shop_state)
    assert "uq_customer_email" in unique_names(engine, "customer")
    assert "fk_orders_customer" in fk_names(engine, "orders")
    assert "ck_orders_total" in check_names(engine, "orders")

    def drop(op: Operations) -> None:
        op.drop_constraint("ck_orders_total", "orders", type_="check")
        op.drop_constraint("fk_orders_customer", "orders", type_="foreignkey")
        op.drop_constraint("uq_customer_email", "customer", type_="unique")

    migrate(engine, drop, state)
    assert "uq_customer_email" not in unique_names(engine, "customer")
    assert fk_names(engine, "orders") == set()
    assert "ck_orders_total" not in check_names(engine, "orders")
    # nothing is left behind: MariaDB's own index for the foreign key goes with it
    assert index_names(engine, "orders") == set()
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM orders")).scalar() == 1


def test_primary_key_created_and_dropped(engine: sa.Engine) -> None:
    def upgrade(op: Operations) -> None:
        op.create_table("tag", sa.Column("code", sa.String(10), nullable=False), sa.Column("label", sa.String(20)))
        op.create_primary_key("pk_tag", "tag", ["code"])

    state, _ = migrate(engine, upgrade)
    assert inspect(engine).get_pk_constraint("tag")["constrained_columns"] == ["code"]
    migrate(engine, lambda op: op.drop_constraint("pk_tag", "tag", type_="primary"), state)
    assert inspect(engine).get_pk_constraint("tag")["constrained_columns"] == []


def test_auto_increment_primary_key_dropped_and_restored(engine: sa.Engine, shop_state: SchemaState) -> None:
    state, _ = migrate(engine, lambda op: op.drop_constraint("pk_orders", "orders", type_="primary"), shop_state)
    assert inspect(engine).get_pk_constraint("orders")["constrained_columns"] == []
    migrate(engine, lambda op: op.create_primary_key("pk_orders", "orders", ["id"]), state)
    assert inspect(engine).get_pk_constraint("orders")["constrained_columns"] == ["id"]
    if engine.dialect.name == "mysql":
        assert columns(engine, "orders")["id"]["autoincrement"] is True


# ---------------------------------------------------------------------------------------------
# SQL text, ENUM types, percent signs
# ---------------------------------------------------------------------------------------------


def test_execute_runs_sql_as_written(engine: sa.Engine, shop_state: SchemaState) -> None:
    def upgrade(op: Operations) -> None:
        op.execute("INSERT INTO customer (id, name) VALUES (5, '100% cotton')")
        op.create_check_constraint("ck_customer_name", "customer", "name LIKE '%cotton%' OR name LIKE 'a%'")

    migrate(engine, upgrade, shop_state)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT name FROM customer")).scalar() == "100% cotton"
    (check,) = [c for c in inspect(engine).get_check_constraints("customer") if c["name"] == "ck_customer_name"]
    assert "%cotton%" in check["sqltext"] and "%%" not in check["sqltext"]


def _pg_types(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(sa.text("SELECT typname FROM pg_type WHERE typtype = 'e'")).scalars())


def test_enum_types_are_made_by_their_first_column_and_kept_when_their_last_is_dropped(engine: sa.Engine) -> None:
    """As PostgreSQL does: a type outlives the dropped tables and columns that used it."""
    status = sa.Enum("new", "paid", name="order_status")

    def create(op: Operations) -> None:
        op.create_table("a", sa.Column("id", sa.Integer, primary_key=True), sa.Column("s", status))
        op.create_table("b", sa.Column("id", sa.Integer, primary_key=True), sa.Column("s", status))

    state, sql = migrate(engine, create)
    assert sum("CREATE TYPE" in s for s in sql) == (1 if engine.dialect.name == "postgresql" else 0)
    assert columns(engine, "a")["s"]["type"].length if engine.dialect.name == "sqlite" else True
    state, _ = migrate(engine, lambda op: op.drop_table("a"), state)
    if engine.dialect.name == "postgresql":
        assert _pg_types(engine) == {"order_status"}  # b still uses it
    state, _ = migrate(engine, lambda op: op.add_column("b", sa.Column("t", sa.Enum("p", "q", name="tag"))), state)
    state, _ = migrate(engine, lambda op: op.drop_column("b", "t"), state)
    if engine.dialect.name == "postgresql":
        assert _pg_types(engine) == {"order_status", "tag"}  # kept: only DROP TYPE drops it
        migrate(engine, lambda op: op.execute("DROP TYPE tag"), state)
    state, _ = migrate(engine, lambda op: op.alter_column("b", "s", type_=sa.String(10)), state)
    if engine.dialect.name == "postgresql":
        assert _pg_types(engine) == {"order_status"}  # nothing uses it: PostgreSQL keeps it
    state, _ = migrate(engine, lambda op: op.add_column("b", sa.Column("k", sa.Enum("x", "y", name="kind"))), state)
    state, sql = migrate(
        engine, lambda op: op.alter_column("b", "s", type_=sa.Enum("new", "paid", name="order_status")), state)
    assert not any("CREATE TYPE" in s for s in sql)
    if engine.dialect.name == "postgresql":
        assert _pg_types(engine) == {"order_status", "kind"}
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO b (id, s, k) VALUES (1, 'paid', 'x')"))


# ---------------------------------------------------------------------------------------------
# Facade and batches
# ---------------------------------------------------------------------------------------------


def test_live_facade_runs_and_folds(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        context = MigrationContext.configure(conn)
        op = context.operations()
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))
        op.add_column("t", sa.Column("x", sa.String(5)))
        with op.batch_alter_table("t") as batch:
            batch.alter_column("x", nullable=False, server_default="a")
            batch.create_unique_constraint("uq_t_x", ["x"])
    assert context.state.table("t").column("x").nullable is False  # type: ignore[union-attr]
    assert columns(engine, "t")["x"]["nullable"] is False
    assert "uq_t_x" in unique_names(engine, "t")


def test_ddl_batch_is_ddl_in_order(engine: sa.Engine, shop_state: SchemaState) -> None:
    ops = record(lambda op: (
        op.add_column("orders", sa.Column("n", sa.Integer, server_default="0")),
        op.alter_column("orders", "n", nullable=False),
        op.create_check_constraint("ck_orders_n", "orders", "n >= 0"),
        op.drop_column("orders", "code"),
    ))
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO orders (id, customer_id, code) VALUES (1, 1, 'c')"))
        state = shop_state
        completed = []
        for op in ops:
            completed.append(op.complete(state))
            state = state.apply(op)
        sql = ddl_batch(completed, shop_state, dialect_name(conn), conn=conn)
        execute(conn, sql)
    assert sum("CREATE TABLE" in s for s in sql) == (1 if engine.dialect.name == "sqlite" else 0)
    live = columns(engine, "orders")
    assert list(live) == ["id", "customer_id", "total", "n"]
    assert live["n"]["nullable"] is False
    assert "ck_orders_n" in check_names(engine, "orders")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT n FROM orders")).scalar() == 0
