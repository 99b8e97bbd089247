"""The exact SQL ``ddl()`` writes per dialect for a handful of ops (no database needed)."""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from ledger.dialects import UnsupportedDialectError, ddl, ddl_batch, dialect_name
from ops import Operations, SchemaState, record


def _base(op: Operations) -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(100), nullable=False),
        sa.Column("plan", sa.String(10), server_default="free"),
    )
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id")),
        sa.Column("amount", sa.Numeric(8, 2)),
        sa.CheckConstraint("amount >= 0", name="ck_invoice_amount"),
    )
    op.create_unique_constraint("uq_account_email", "account", ["email"])


BASE = SchemaState.fold(record(_base))


def sql(dialect: str, upgrade: Callable[[Operations], Any], state: SchemaState = BASE) -> list[str]:
    (op,) = record(upgrade)
    return [" ".join(s.split()) for s in ddl(op.complete(state), state, dialect)]


REBUILD_ACCOUNT = [
    'CREATE TABLE _sl_new_account ( id INTEGER NOT NULL, email VARCHAR(100) NOT NULL, "plan" VARCHAR(20) '
    "DEFAULT 'free', CONSTRAINT pk_account PRIMARY KEY (id), CONSTRAINT uq_account_email UNIQUE (email) )",
    'INSERT INTO _sl_new_account (id, email, "plan") SELECT account.id, account.email, account."plan" FROM account',
    "DROP TABLE account",
    "PRAGMA legacy_alter_table=ON",
    "ALTER TABLE _sl_new_account RENAME TO account",
    "PRAGMA legacy_alter_table=OFF",
]


@pytest.mark.parametrize(
    "dialect, expected",
    [
        ("postgresql", [
            "ALTER TABLE account ALTER COLUMN plan DROP DEFAULT",
            "ALTER TABLE account ALTER COLUMN plan TYPE VARCHAR(20)",
            "ALTER TABLE account ALTER COLUMN plan SET DEFAULT 'free'",
        ]),
        ("mysql", ["ALTER TABLE account MODIFY COLUMN plan VARCHAR(20) DEFAULT 'free'"]),
        ("sqlite", REBUILD_ACCOUNT),
    ],
)
def test_alter_column_type(dialect: str, expected: list[str]) -> None:
    assert sql(dialect, lambda op: op.alter_column("account", "plan", type_=sa.String(20))) == expected


@pytest.mark.parametrize(
    "upgrade, clause",
    [
        # An assignment cast exists: none is written, so a value that does not fit fails the ALTER.
        (lambda op: op.alter_column("account", "plan", type_=sa.String(4)), "TYPE VARCHAR(4)"),
        (lambda op: op.alter_column("invoice", "amount", type_=sa.Numeric(4, 1)), "TYPE NUMERIC(4, 1)"),
        (lambda op: op.alter_column("invoice", "amount", type_=sa.Integer), "TYPE INTEGER"),
        (lambda op: op.alter_column("invoice", "account_id", type_=sa.String(20)), "TYPE VARCHAR(20)"),
        # No assignment cast at all: a cast, to the new type.
        (lambda op: op.alter_column("account", "plan", type_=sa.Integer), "TYPE INTEGER USING plan::INTEGER"),
        (lambda op: op.alter_column("account", "plan", type_=sa.DateTime), "TYPE TIMESTAMP WITHOUT TIME ZONE "
                                                                        "USING plan::TIMESTAMP WITHOUT TIME ZONE"),
        (lambda op: op.alter_column("invoice", "account_id", type_=sa.Boolean), "TYPE BOOLEAN USING account_id::BOOLEAN"),
        # The op's own USING, as in Alembic.
        (lambda op: op.alter_column("account", "plan", type_=sa.Integer, postgresql_using="length(plan)"),
         "TYPE INTEGER USING length(plan)"),
    ],
)
def test_postgresql_type_change_casts_only_where_it_must(upgrade: Callable[[Operations], Any], clause: str) -> None:
    statements = [s for s in sql("postgresql", upgrade) if " TYPE " in s]
    assert len(statements) == 1 and statements[0].endswith(clause), statements


def test_postgresql_casts_a_smaller_or_larger_integer_to_and_from_boolean_through_integer() -> None:
    """PostgreSQL casts only ``integer`` to and from ``boolean`` (``smallint::boolean`` does not exist)."""
    small = sql_state(lambda op: op.alter_column("invoice", "account_id", type_=sa.SmallInteger))
    (to_boolean,) = [s for s in sql("postgresql", lambda op: op.alter_column("invoice", "account_id", type_=sa.Boolean),
                                    small) if " TYPE " in s]
    assert to_boolean.endswith("TYPE BOOLEAN USING account_id::integer::BOOLEAN"), to_boolean
    flag = sql_state(lambda op: op.alter_column("invoice", "account_id", type_=sa.Boolean))
    (to_small,) = [s for s in sql("postgresql", lambda op: op.alter_column("invoice", "account_id",
                                                                           type_=sa.SmallInteger), flag) if " TYPE " in s]
    assert to_small.endswith("TYPE SMALLINT USING account_id::integer::SMALLINT"), to_small


def sql_state(upgrade: Callable[[Operations], Any]) -> SchemaState:
    """``BASE`` after ``upgrade``."""
    (op,) = record(upgrade)
    return op.complete(BASE).apply(BASE)


def test_postgresql_using_is_kept_by_the_codec_and_left_out_when_unset() -> None:
    from ledger.format.codec import decode, encode

    (plain,) = record(lambda op: op.alter_column("account", "plan", type_=sa.Integer))
    (using,) = record(lambda op: op.alter_column("account", "plan", type_=sa.Integer, postgresql_using="plan::int"))
    assert b"postgresql_using" not in encode(plain)  # payloads written before the field keep their bytes
    assert decode(encode(using)).postgresql_using == "plan::int"  # type: ignore[union-attr]
    assert using.complete(BASE).reverse().postgresql_using is None  # it serves the op, never its reverse


@pytest.mark.parametrize(
    "dialect, expected",
    [
        ("postgresql", ["ALTER TABLE account RENAME COLUMN plan TO tier",
                        "ALTER TABLE account ALTER COLUMN tier SET NOT NULL"]),
        ("mysql", ["ALTER TABLE account CHANGE COLUMN plan tier VARCHAR(10) NOT NULL DEFAULT 'free'"]),
    ],
)
def test_alter_column_rename_and_nullability(dialect: str, expected: list[str]) -> None:
    upgrade = lambda op: op.alter_column("account", "plan", new_column_name="tier", nullable=False)  # noqa: E731
    assert sql(dialect, upgrade) == expected


def test_sqlite_rename_only_is_native() -> None:
    assert sql("sqlite", lambda op: op.alter_column("account", "plan", new_column_name="tier")) == [
        'ALTER TABLE account RENAME COLUMN "plan" TO tier'
    ]


@pytest.mark.parametrize(
    "dialect, expected",
    [
        ("postgresql", ["ALTER TABLE account ADD COLUMN bio TEXT", "COMMENT ON COLUMN account.bio IS 'about 100%'"]),
        ("mysql", ["ALTER TABLE account ADD COLUMN bio TEXT COMMENT 'about 100%'"]),
        ("sqlite", ["ALTER TABLE account ADD COLUMN bio TEXT"]),
    ],
)
def test_add_column_with_comment(dialect: str, expected: list[str]) -> None:
    assert sql(dialect, lambda op: op.add_column("account", sa.Column("bio", sa.Text, comment="about 100%"))) == expected


@pytest.mark.parametrize(
    "dialect, type_, expected",
    [
        ("postgresql", "foreignkey", ["ALTER TABLE invoice DROP CONSTRAINT fk_invoice_account_id_account"]),
        ("mysql", "foreignkey", ["ALTER TABLE invoice DROP FOREIGN KEY fk_invoice_account_id_account",
                                 "DROP INDEX fk_invoice_account_id_account ON invoice"]),
        ("mysql", "check", ["ALTER TABLE invoice DROP CHECK ck_invoice_amount"]),
        ("mariadb", "check", ["ALTER TABLE invoice DROP CONSTRAINT ck_invoice_amount"]),
        ("postgresql", "check", ["ALTER TABLE invoice DROP CONSTRAINT ck_invoice_amount"]),
        ("mysql", "primary", ["ALTER TABLE invoice MODIFY COLUMN id INTEGER NOT NULL, DROP PRIMARY KEY"]),
        ("postgresql", "primary", ["ALTER TABLE invoice DROP CONSTRAINT pk_invoice"]),
    ],
)
def test_drop_constraint(dialect: str, type_: str, expected: list[str]) -> None:
    name = {"foreignkey": "fk_invoice_account_id_account", "check": "ck_invoice_amount", "primary": "pk_invoice"}[type_]
    assert sql(dialect, lambda op: op.drop_constraint(name, "invoice", type_=type_)) == expected


def test_mysql_drop_unique_is_drop_index() -> None:
    upgrade = lambda op: op.drop_constraint("uq_account_email", "account", type_="unique")  # noqa: E731
    assert sql("mysql", upgrade) == ["ALTER TABLE account DROP INDEX uq_account_email"]


def test_mysql_drop_constraint_sql_is_the_same_once_alembic_is_imported() -> None:
    # Importing Alembic replaces MySQL's compilation of DropConstraint for the whole process;
    # the CLI imports it for import-alembic, and a test run imports it with test_alembic_hook.py.
    importlib.import_module("alembic.ddl.mysql")

    def drop(type_: str, name: str, table: str) -> Callable[[Operations], Any]:
        return lambda op: op.drop_constraint(name, table, type_=type_)

    assert sql("mysql", drop("foreignkey", "fk_invoice_account_id_account", "invoice")) == [
        "ALTER TABLE invoice DROP FOREIGN KEY fk_invoice_account_id_account",
        "DROP INDEX fk_invoice_account_id_account ON invoice",
    ]
    assert sql("mariadb", drop("unique", "uq_account_email", "account")) == ["ALTER TABLE account DROP INDEX uq_account_email"]
    assert sql("mysql", drop("primary", "pk_invoice", "invoice")) == [
        "ALTER TABLE invoice MODIFY COLUMN id INTEGER NOT NULL, DROP PRIMARY KEY"
    ]
    assert sql("mariadb", drop("check", "ck_invoice_amount", "invoice")) == ["ALTER TABLE invoice DROP CONSTRAINT ck_invoice_amount"]


def test_mysql_primary_key_brings_back_auto_increment() -> None:
    (drop,) = record(lambda op: op.drop_constraint("pk_invoice", "invoice", type_="primary"))
    state = BASE.apply(drop.complete(BASE))
    assert sql("mysql", lambda op: op.create_primary_key("pk_invoice", "invoice", ["id"]), state) == [
        "ALTER TABLE invoice MODIFY COLUMN id INTEGER NOT NULL AUTO_INCREMENT, "
        "ADD CONSTRAINT pk_invoice PRIMARY KEY (id)"
    ]


@pytest.mark.parametrize(
    "dialect, expected",
    [
        ("postgresql", ["CREATE INDEX ix_account_plan ON account (plan) WHERE plan <> 'free%'"]),
        ("sqlite", ["CREATE INDEX ix_account_plan ON account (\"plan\") WHERE plan <> 'free%'"]),
        ("mysql", ["CREATE INDEX ix_account_plan ON account (plan)"]),
    ],
)
def test_partial_index(dialect: str, expected: list[str]) -> None:
    where = sa.text("plan <> 'free%'")
    upgrade = lambda op: op.create_index("ix_account_plan", "account", ["plan"], postgresql_where=where,  # noqa: E731
                                         sqlite_where=where)
    assert sql(dialect, upgrade) == expected


def test_mysql_expression_index_has_its_own_parentheses() -> None:
    upgrade = lambda op: op.create_index("ix_account_lower", "account", [sa.text("lower(email)")])  # noqa: E731
    assert sql("mysql", upgrade) == ["CREATE INDEX ix_account_lower ON account ((lower(email)))"]
    assert sql("postgresql", upgrade) == ["CREATE INDEX ix_account_lower ON account (lower(email))"]


@pytest.mark.parametrize(
    "dialect, expected",
    [
        ("postgresql", ["ALTER TABLE account RENAME TO member"]),
        ("mysql", ["ALTER TABLE account RENAME TO `member`"]),  # a reserved word in MySQL 8
        ("sqlite", ["ALTER TABLE account RENAME TO member"]),
    ],
)
def test_rename_table(dialect: str, expected: list[str]) -> None:
    assert sql(dialect, lambda op: op.rename_table("account", "member")) == expected


@pytest.mark.parametrize(
    "dialect, expected",
    [
        ("postgresql", ["COMMENT ON TABLE account IS 'who pays'"]),
        ("mysql", ["ALTER TABLE account COMMENT 'who pays'"]),
        ("sqlite", []),
    ],
)
def test_table_comment(dialect: str, expected: list[str]) -> None:
    assert sql(dialect, lambda op: op.create_table_comment("account", "who pays")) == expected


def test_postgresql_enum_type_created_first_and_kept_after_its_last_column() -> None:
    """PostgreSQL keeps a type when the last column that uses it goes: only DROP TYPE drops it."""
    status = sa.Enum("open", "paid", name="invoice status")
    added = sql("postgresql", lambda op: op.add_column("invoice", sa.Column("status", status)))
    assert added == ["CREATE TYPE \"invoice status\" AS ENUM ('open', 'paid')",
                     'ALTER TABLE invoice ADD COLUMN status "invoice status"']
    (add,) = record(lambda op: op.add_column("invoice", sa.Column("status", status)))
    state = BASE.apply(add)
    assert sql("postgresql", lambda op: op.drop_column("invoice", "status"), state) == [
        "ALTER TABLE invoice DROP COLUMN status"
    ]
    to_text = sql("postgresql", lambda op: op.alter_column("invoice", "status", type_=sa.String(10)), state)
    assert to_text == ["ALTER TABLE invoice ALTER COLUMN status TYPE VARCHAR(10)"]


def test_postgresql_run_takes_each_state_after_from_its_plan() -> None:
    """A run's generator is handed the state after each op (the plan made it): it writes the same SQL,
    the ENUM types a changed table brings included, without applying the op to its state again."""
    from ledger.dialects import generator

    status = sa.Enum("open", "paid", name="invoice status")
    ops = record(lambda op: (
        op.create_table("note", sa.Column("id", sa.Integer, primary_key=True)),
        op.add_column("invoice", sa.Column("status", status)),
        op.add_column("note", sa.Column("kind", sa.Enum("a", "b", name="note_kind"))),
        op.drop_table("note"),
        op.create_index("ix_invoice_amount", "invoice", ["amount"]),
    ))
    applied: list[str] = []

    class Counted(SchemaState):  # the states the plan hands on count the ops applied to them again
        __slots__ = ()

        def apply(self, op: Any) -> SchemaState:
            applied.append(op.describe())
            return super().apply(op)

    plain, planned = generator("postgresql"), generator("postgresql")
    state = BASE
    for op in ops:
        done = op.complete(state)
        after = done.apply(state)
        expected = ddl(done, state, "postgresql", gen=plain)
        counted = copy.copy(state)
        object.__setattr__(counted, "__class__", Counted)
        assert ddl(done, counted, "postgresql", gen=planned, after=after) == expected
        state = after
    assert applied == []
    assert any(s.startswith('CREATE TYPE "invoice status"') for s in ddl(
        ops[1].complete(BASE.apply(ops[0])), BASE.apply(ops[0]), "postgresql"))


def test_sqlite_batch_shares_one_rebuild() -> None:
    ops = record(lambda op: (
        op.drop_constraint("ck_invoice_amount", "invoice", type_="check"),
        op.alter_column("invoice", "amount", type_=sa.Numeric(12, 2), nullable=False),
        op.create_index("ix_invoice_amount", "invoice", ["amount"]),
    ))
    state, completed = BASE, []
    for op in ops:
        completed.append(op.complete(state))
        state = state.apply(op)
    statements = [" ".join(s.split()) for s in ddl_batch(completed, BASE, "sqlite")]
    assert statements == [
        "CREATE TABLE _sl_new_invoice ( id INTEGER NOT NULL, account_id INTEGER, amount NUMERIC(12, 2) NOT NULL, "
        "CONSTRAINT pk_invoice PRIMARY KEY (id), "
        "CONSTRAINT fk_invoice_account_id_account FOREIGN KEY(account_id) REFERENCES account (id) )",
        "INSERT INTO _sl_new_invoice (id, account_id, amount) SELECT invoice.id, invoice.account_id, invoice.amount "
        "FROM invoice",
        "DROP TABLE invoice",
        "PRAGMA legacy_alter_table=ON",
        "ALTER TABLE _sl_new_invoice RENAME TO invoice",
        "PRAGMA legacy_alter_table=OFF",
        "CREATE INDEX ix_invoice_amount ON invoice (amount)",
    ]
    # the same ops one by one: two rebuilds and a native CREATE INDEX
    singly = [s for op, st in zip(completed, [BASE, BASE.apply(ops[0])]) for s in ddl(op, st, "sqlite")]
    assert sum(s.startswith("CREATE TABLE") for s in singly) == 2


def test_execute_is_run_as_written() -> None:
    assert sql("postgresql", lambda op: op.execute("UPDATE account SET plan = '100%'")) == [
        "UPDATE account SET plan = '100%'"
    ]


@pytest.mark.parametrize(
    "obj, expected",
    [
        ("sqlite:///x.db", "sqlite"),
        ("postgresql+psycopg://u@h/db", "postgresql"),
        ("mysql+pymysql://u@h/db", "mysql"),
        ("mariadb+pymysql://u@h/db", "mysql"),
        (sa.create_engine("sqlite://"), "sqlite"),
    ],
)
def test_dialect_name(obj: Any, expected: str) -> None:
    assert dialect_name(obj) == expected


def test_unknown_dialect_is_a_clear_error() -> None:
    with pytest.raises(UnsupportedDialectError, match="oracle"):
        dialect_name("oracle://u@h/db")
    with pytest.raises(UnsupportedDialectError, match="oracle"):
        ddl(record(lambda op: op.execute("SELECT 1"))[0], BASE, "oracle")
