"""The ``op`` facade of migration files: what ``ops.record(upgrade)`` records for Alembic-style calls."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import ops
from ledger.format.codec import decode, encode
from ops import (
    AddColumnOp,
    AlterColumnOp,
    ColumnSpec,
    ComputedSpec,
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
    ExecuteSQLOp,
    IdentitySpec,
    IndexElement,
    InvalidOperationError,
    SchemaState,
    TypeSpec,
    UniqueSpec,
)


def _fold(recorded: list[ops.MigrateOperation]) -> SchemaState:
    """Fold with completion, checking that every recorded op round-trips through the codec."""
    state = SchemaState()
    for op in recorded:
        assert decode(encode(op)) == op
        state = state.apply(state.complete(op))
    return state


def _base(op: ops.Operations) -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, sa.Identity(start=10, increment=2), primary_key=True),
        sa.Column("email", sa.String(100), nullable=False),
        sa.Column("created", sa.DateTime, server_default=sa.func.now()),
        sa.Column("touched", sa.DateTime, server_default=sa.text("now()")),
        sa.Column("double", sa.Integer, sa.Computed("id * 2", persisted=True)),
        sa.Column("active", sa.Boolean(create_constraint=True), server_default=sa.true()),
        sa.Column("kind", sa.Enum("a", "b", name="kind", native_enum=False, create_constraint=True)),
        sa.UniqueConstraint("email"),
        sa.CheckConstraint("id > 0"),
    )


def test_record_returns_the_ops_in_order_without_a_database() -> None:
    def upgrade(op: ops.Operations) -> None:
        _base(op)
        op.create_table("post", sa.Column("id", sa.Integer, primary_key=True))
        op.rename_table("post", "article")
        op.drop_table("article")

    recorded = ops.record(upgrade)
    assert [o.op_tag for o in recorded] == ["create_table", "create_table", "rename_table", "drop_table"]
    _fold(recorded)


def test_create_table_specs() -> None:
    (create,) = ops.record(_base)
    assert isinstance(create, CreateTableOp)
    table = create.table
    id_, email, created, touched, double, active, kind = table.columns
    assert id_.identity == IdentitySpec(start=10, increment=2) and not id_.nullable
    assert created.server_default == DefaultSpec("func", "now")
    assert touched.server_default == DefaultSpec("text", "now()")
    assert active.server_default == DefaultSpec("text", "true")
    assert double.computed == ComputedSpec("id * 2", persisted=True)
    assert kind.type == TypeSpec.of("Enum", "a", "b", name="kind", native_enum=False, create_constraint=True)
    # Conventional names, and no CHECK for what Boolean and Enum types create themselves.
    assert table.primary_key is not None and table.primary_key.name == "pk_account"
    assert [u.name for u in table.uniques] == ["uq_account_email"]
    assert [c.sqltext for c in table.checks] == ["id > 0"]
    assert table.checks[0].name.startswith("ck_account_")
    # Server defaults that are SQL come back as SQL.
    column = created.to_column()
    assert str(column.server_default.arg) == "now()"  # type: ignore[union-attr]
    assert isinstance(touched.to_column().server_default.arg, sa.TextClause)  # type: ignore[union-attr]


def test_add_column_with_inline_foreign_key_unique_and_index() -> None:
    def upgrade(op: ops.Operations) -> None:
        _base(op)
        op.create_table("post", sa.Column("id", sa.Integer, primary_key=True))
        op.add_column("post", sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id", ondelete="cascade"),
                                        unique=True, index=True))

    recorded = ops.record(upgrade)[2:]
    # unique=True with index=True is one unique index, as SQLAlchemy makes it (no unique constraint)
    assert [type(o) for o in recorded] == [AddColumnOp, CreateForeignKeyOp, CreateIndexOp]
    fk = recorded[1].constraint  # type: ignore[attr-defined]
    assert (fk.name, fk.columns, fk.referent_table, fk.referent_columns, fk.ondelete) == (
        "fk_post_account_id_account", ("account_id",), "account", ("id",), "CASCADE")
    assert recorded[2].index.name == "ix_post_account_id" and recorded[2].index.unique  # type: ignore[attr-defined]
    _fold(ops.record(upgrade))


def test_add_column_refuses_a_primary_key() -> None:
    with pytest.raises(InvalidOperationError, match="create_primary_key"):
        ops.record(lambda op: op.add_column("t", sa.Column("id", sa.Integer, primary_key=True)))


def test_custom_naming_convention() -> None:
    convention = {
        "ix": "%(table_name)s_%(column_0_N_name)s_idx",
        "uq": "%(table_name)s_%(column_0_name)s_key",
        "ck": "%(table_name)s_%(constraint_name)s_check",
        "fk": "%(table_name)s_%(column_0_name)s_fkey",
        "pk": "%(table_name)s_pkey",
    }

    def upgrade(op: ops.Operations) -> None:
        op.create_table("a", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer, unique=True))
        op.create_table("b", sa.Column("id", sa.Integer, nullable=False), sa.Column("a_id", sa.Integer))
        op.create_primary_key(None, "b", ["id"])
        op.create_foreign_key(None, "b", "a", ["a_id"], ["id"])
        op.create_index(None, "b", ["a_id", "id"])
        op.create_check_constraint(None, "b", "id > 0")

    recorded = ops.record(upgrade, naming_convention=convention)
    state = _fold(recorded)
    assert state.table("a").primary_key.name == "a_pkey"  # type: ignore[union-attr]
    assert [u.name for u in state.table("a").uniques] == ["a_x_key"]
    b = state.table("b")
    assert b.primary_key.name == "b_pkey"  # type: ignore[union-attr]
    assert [f.name for f in b.foreign_keys] == ["b_a_id_fkey"]
    assert [i.name for i in b.indexes] == ["b_a_id_id_idx"]
    assert b.checks[0].name.startswith("b_") and b.checks[0].name.endswith("_check")
    # The same check text gets the same name in every process: the name is a hash of the text.
    again = ops.record(lambda op: op.create_check_constraint(None, "b", "id > 0"), naming_convention=convention)
    assert again[0].constraint.name == b.checks[0].name  # type: ignore[attr-defined]


def test_long_conventional_names_are_cut_with_a_hash() -> None:
    long = "t" * 30
    (op,) = ops.record(lambda op: op.create_index(None, long, ["c" * 30, "d" * 30]))
    name = op.index.name  # type: ignore[attr-defined]
    assert len(name.encode()) <= 63 and name.startswith("ix_" + long)
    (other,) = ops.record(lambda op: op.create_index(None, long, ["c" * 30, "d" * 29 + "e"]))
    assert other.index.name != name  # type: ignore[attr-defined]


def test_expression_and_partial_indexes_with_dialect_options() -> None:
    def upgrade(op: ops.Operations) -> None:
        _base(op)
        op.create_index("ix_lower", "account", [sa.text("lower(email)"), "id"], unique=True,
                        postgresql_where=sa.text("active"), sqlite_where=sa.text("active = 1"))
        op.create_index("ix_opts", "account", ["email"], postgresql_using="gin", postgresql_include=["created"],
                        mysql_length={"email": 10}, postgresql_ops={"email": "text_pattern_ops"})
        op.create_index("ix_func", "account", [sa.func.lower(sa.column("email"))])

    recorded = ops.record(upgrade)
    lower, opts, func = (o.index for o in recorded[1:])  # type: ignore[attr-defined]
    assert lower.elements == (IndexElement("lower(email)", expression=True), IndexElement("id"))
    assert lower.unique and dict(lower.dialect_options) == {"postgresql_where": "active", "sqlite_where": "active = 1"}
    assert dict(opts.dialect_options) == {
        "mysql_length": (("email", 10),), "postgresql_include": ("created",),
        "postgresql_ops": (("email", "text_pattern_ops"),), "postgresql_using": "gin",
    }
    assert func.elements == (IndexElement("lower(email)", expression=True),)
    state = _fold(recorded)
    # Back to SQLAlchemy, with its options intact.
    index = CreateIndexOp("account", opts).to_index()
    assert index.dialect_options["postgresql"]["include"] == ["created"]
    assert index.dialect_options["mysql"]["length"] == {"email": 10}
    assert str(CreateIndexOp("account", lower).to_index().dialect_options["postgresql"]["where"]) == "active"
    assert SchemaState.from_metadata(state.to_metadata()) == state
    with pytest.raises(InvalidOperationError, match="ix_bad"):
        ops.record(lambda op: op.create_index("ix_bad", "t", ["x"], postgresql_nosuch="x"))


def test_batch_blocks_record_their_ops_in_order() -> None:
    def upgrade(op: ops.Operations) -> None:
        _base(op)
        op.create_table("post", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))
        with op.batch_alter_table("post") as batch_op:
            batch_op.add_column(sa.Column("title", sa.String(20)))
            batch_op.add_column(sa.Column("first", sa.Integer), insert_before="id")
            batch_op.alter_column("title", nullable=False, server_default="x", new_column_name="headline")
            batch_op.create_unique_constraint(None, ["headline"])
            batch_op.drop_constraint("uq_post_headline")
            batch_op.create_check_constraint("ck_headline", "length(headline) > 0")
            batch_op.create_foreign_key(None, "account", ["x"], ["id"], ondelete="set null")
            batch_op.create_index("ix_x", ["x"])
            batch_op.drop_index("ix_x")
            batch_op.create_table_comment("posts")
            batch_op.drop_table_comment()
            batch_op.drop_column("first")
            batch_op.execute("SELECT 1", reverse_sql="SELECT 2")
        with op.batch_alter_table("post") as batch_op:
            batch_op.drop_constraint("pk_post", type_="primary")
            batch_op.create_primary_key("pk_post_again", ["id"])

    recorded = ops.record(upgrade)[2:]
    assert [type(o) for o in recorded] == [
        AddColumnOp, AddColumnOp, AlterColumnOp, CreateUniqueConstraintOp, DropConstraintOp,
        CreateCheckConstraintOp, CreateForeignKeyOp, CreateIndexOp, DropIndexOp, CreateTableCommentOp,
        DropTableCommentOp, DropColumnOp, ExecuteSQLOp, DropConstraintOp, CreatePrimaryKeyOp,
    ]
    assert all(getattr(o, "table_name", "post") == "post" for o in recorded)
    assert recorded[1] == AddColumnOp("post", ColumnSpec("first", TypeSpec("Integer")), insert_before="id")
    assert recorded[2] == AlterColumnOp("post", "title", modify_nullable=False,
                                        modify_server_default=DefaultSpec("literal", "x"), modify_name="headline")
    assert recorded[6].constraint.ondelete == "SET NULL"  # type: ignore[attr-defined]
    state = _fold(ops.record(upgrade))
    assert state.table("post").column_names == ("id", "x", "headline")
    assert state.table("post").primary_key.name == "pk_post_again"  # type: ignore[union-attr]
    with pytest.raises(InvalidOperationError, match="insert_before"):
        ops.record(lambda op: op.batch_alter_table("t").__enter__().add_column(sa.Column("a", sa.Integer),
                                                                               insert_after="b"))


def test_alter_column_takes_alembics_arguments() -> None:
    (op,) = ops.record(lambda op: op.alter_column(
        "t", "x", type_=sa.String(80), existing_type=sa.String(40), nullable=False, existing_nullable=True,
        server_default=sa.text("'a'"), existing_server_default=None, comment="c", existing_comment=None,
        new_column_name="y", schema="s"))
    assert op == AlterColumnOp(
        "t", "x", schema="s", existing_type=TypeSpec.of("String", length=40), existing_server_default=None,
        existing_nullable=True, existing_comment=None, modify_nullable=False, modify_comment="c",
        modify_server_default=DefaultSpec("text", "'a'"), modify_name="y",
        modify_type=TypeSpec.of("String", length=80))
    assert op.reversible  # every existing_* given: reversible before completion


def test_drop_constraint_classmethods_issue_through_a_facade() -> None:
    issued: list[ops.MigrateOperation] = []
    facade = ops.Operations(issued.append)
    DropConstraintOp.drop_constraint(facade, "fk_a", "t", type_="foreignkey", schema="s")
    with facade.batch_alter_table("t") as batch_op:
        DropConstraintOp.batch_drop_constraint(batch_op, "uq_b", type_="unique")
    assert issued == [DropConstraintOp("fk_a", "t", type_="foreignkey", schema="s"),
                      DropConstraintOp("uq_b", "t", type_="unique")]


def test_execute_and_bulk_insert() -> None:
    table = sa.table("t", sa.column("x", sa.Integer), sa.column("y", sa.String))

    def upgrade(op: ops.Operations) -> None:
        op.execute(sa.text("UPDATE t SET x = 1"))
        op.execute("DELETE FROM t", reverse_sql=sa.text("SELECT 1"))
        op.bulk_insert(table, [{"x": 1, "y": "a"}, {"x": 2, "y": "it's"}])

    recorded = ops.record(upgrade)
    assert recorded[:2] == [ExecuteSQLOp("UPDATE t SET x = 1"), ExecuteSQLOp("DELETE FROM t", "SELECT 1")]
    assert [o.sqltext for o in recorded[2:]] == [  # type: ignore[attr-defined]
        "INSERT INTO t (x, y) VALUES (1, 'a')", "INSERT INTO t (x, y) VALUES (2, 'it''s')"]
    assert not recorded[0].reversible and recorded[1].reversible


def test_a_user_type_works_once_registered() -> None:
    class Money(sa.types.TypeDecorator[int]):
        impl = sa.Numeric
        cache_ok = True

        def __init__(self, currency: str = "EUR") -> None:
            super().__init__(12, 2)
            self.currency = currency

    with pytest.raises(ops.UnknownTypeError, match=r"test_ops_facade\..*Money.*register_type"):
        ops.record(lambda op: op.add_column("t", sa.Column("price", Money("USD"))))
    ops.register_type(Money, "test.Money")
    (op,) = ops.record(lambda op: op.add_column("t", sa.Column("price", Money("USD"))))
    assert op.column.type == TypeSpec.of("test.Money", currency="USD")  # type: ignore[attr-defined]
    assert decode(encode(op)) == op
    built = op.column.type.to_sa()  # type: ignore[attr-defined]
    assert isinstance(built, Money) and built.currency == "USD"


def test_dialect_types_through_the_facade() -> None:
    (op,) = ops.record(lambda op: op.create_table(
        "t", sa.Column("a", postgresql.ARRAY(sa.Integer, dimensions=2)), sa.Column("b", postgresql.JSONB),
        sa.Column("c", postgresql.TIMESTAMP(timezone=True, precision=3))))
    a, b, c = op.table.columns  # type: ignore[attr-defined]
    assert a.type == TypeSpec.of("postgresql.ARRAY", dimensions=2, item_type=TypeSpec("Integer"))
    assert b.type == TypeSpec("postgresql.JSONB")
    assert c.type == TypeSpec.of("postgresql.TIMESTAMP", precision=3, timezone=True)
    assert decode(encode(op)) == op


def test_implementation_registry() -> None:
    calls: list[ops.MigrateOperation] = []

    class Local(ops.Operations):
        _to_impl: dict = {}  # type: ignore[type-arg]

    @Local.implementation_for(ExecuteSQLOp)
    def run(operations: ops.AbstractOperations, op: ExecuteSQLOp) -> None:
        calls.append(op)

    facade = Local(lambda op: Local.implementation(op)(facade, op))
    facade.execute("SELECT 1")
    assert calls == [ExecuteSQLOp("SELECT 1")]
    with pytest.raises(InvalidOperationError, match="DropTableOp"):
        facade.drop_table("t")
    assert ops.Operations.f("ix_name") == "ix_name"


def test_unique_constraint_spec_from_sqlalchemy_names() -> None:
    table = sa.Table("t", sa.MetaData(), sa.Column("a", sa.Integer), sa.Column("b", sa.Integer))
    constraint = sa.UniqueConstraint(table.c.a, table.c.b)
    table.append_constraint(constraint)
    op = ops.AddConstraintOp.from_constraint(constraint)
    assert op == CreateUniqueConstraintOp("t", UniqueSpec("uq_t_a_b", ("a", "b")))
    assert all(type(c) is str for c in op.constraint.columns)  # type: ignore[attr-defined]
