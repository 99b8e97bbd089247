"""The Alembic hook reads a ``create_table``'s spec from the table Alembic made, each column with the
type the database got (a TypeDecorator's underlying type, the dialect's variant): the same spec as
a copy of the table holding those types, which it made before (not copied now)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.types import TypeDecorator

from ledger.integrations.alembic.base import PLACEHOLDER_CONVENTION
from ledger.integrations.alembic.convert import _storable_type, _table_spec
from ops.specs import TableSpec


class UtcDateTime(TypeDecorator[Any]):
    impl = sa.DateTime(timezone=True)
    cache_ok = True


class Jsonish(TypeDecorator[Any]):
    impl = sa.Text
    cache_ok = True


class Mood(TypeDecorator[Any]):
    impl = sa.Enum("happy", "sad", name="mood", native_enum=False, create_constraint=True)
    cache_ok = True


def _table(convention: dict[str, str] | None) -> sa.Table:
    metadata = sa.MetaData(naming_convention=convention) if convention else sa.MetaData()
    sa.Table("parent", metadata, sa.Column("id", sa.Integer(), primary_key=True))
    return sa.Table(
        "child", metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UtcDateTime(), nullable=False, index=True, comment="when"),
        sa.Column("doc", Jsonish(), server_default=sa.text("'{}'")),
        sa.Column("mood", Mood()),
        sa.Column("code", sa.String(20).with_variant(sa.Text(), "postgresql"), unique=True),
        sa.Column("n", sa.Integer(), sa.CheckConstraint("n > 0", name="n_positive")),
        sa.Column("parent_id", sa.Integer(), sa.ForeignKey("parent.id", ondelete="CASCADE")),
        sa.Column("flag", sa.Boolean(create_constraint=True)),
        sa.UniqueConstraint("at", "n"),
        sa.Index("ix_child_lower_code", sa.func.lower(sa.column("code"))),
        comment="a child",
    )


def _copied_spec(table: sa.Table, dialect: sa.Dialect) -> TableSpec:
    copy = table.to_metadata(sa.MetaData(naming_convention=table.metadata.naming_convention))
    for column in copy.columns:
        column.type = _storable_type(column.type, dialect)
    return TableSpec.from_table(copy, PLACEHOLDER_CONVENTION)


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect(), mysql.dialect()], ids=lambda d: d.name)
@pytest.mark.parametrize("convention", [None, {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
                                               "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}])
def test_the_spec_with_stored_types_is_that_of_a_copy_holding_them(
    dialect: sa.Dialect, convention: dict[str, str] | None
) -> None:
    table = _table(convention)
    spec = _table_spec(table, dialect)
    assert spec == _copied_spec(table, dialect)
    assert [c.type.name for c in spec.columns][1:4] == ["DateTime", "Text", "Enum"]
    # Alembic's table (which create_table returns to the migration) keeps its own types
    assert isinstance(table.c.at.type, UtcDateTime)


def test_the_index_or_constraint_alembic_built_to_run_an_operation_is_the_one_converted() -> None:
    from types import SimpleNamespace

    from alembic.operations import ops as aops
    from alembic.runtime.migration import MigrationContext

    from ledger.integrations.alembic.convert import _built, built_by_alembic

    context = MigrationContext.configure(dialect_name="postgresql")
    index = aops.CreateIndexOp("ix_t_a", "t", ["a"])
    key = aops.CreateForeignKeyOp("fk_t_p", "t", "p", ["p_id"], ["id"])
    with built_by_alembic(index) as built_index, built_by_alembic(key) as built_key:
        made_index, made_key = index.to_index(context), key.to_constraint(context)
    assert "to_index" not in vars(index) and "to_constraint" not in vars(key)  # Alembic's methods again
    assert _built(index, "to_index", SimpleNamespace(_built=built_index, migration_context=context)) is made_index
    assert _built(key, "to_constraint", SimpleNamespace(_built=built_key, migration_context=context)) is made_key
    # built for another context (or not built): built again
    other = SimpleNamespace(_built=built_key, migration_context=MigrationContext.configure(dialect_name="postgresql"))
    assert _built(key, "to_constraint", other) is not made_key
    assert _built(key, "to_constraint", SimpleNamespace(_built={}, migration_context=context)) is not made_key


def _added_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("a", sa.Integer()),
        sa.Column("b", sa.String(20).with_variant(sa.Text(), "postgresql"), nullable=False, server_default="x"),
        sa.Column("c", UtcDateTime(), comment="when"),
        sa.Column("d", Mood()),
        sa.Column("e", sa.Boolean(create_constraint=True), server_default=sa.false()),
        sa.Column("f", sa.Enum("x", "y", name="xy")),
        sa.Column("g", sa.BigInteger(), sa.Identity(start=5)),
        sa.Column("g2", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("h", sa.Integer(), sa.Computed("a + 1")),
        sa.Column("i", Jsonish(), server_default=sa.text("'{}'"), nullable=True),
        sa.Column("j", sa.Integer(), sa.CheckConstraint("j > 0", name="j_positive")),
        sa.Column("k", sa.Integer(), sa.ForeignKey("parent.id")),
        sa.Column("l", sa.String(5), unique=True),
        sa.Column("m", sa.String(5), index=True),
        sa.Column("n", sa.String(5), unique=True, index=True),
    ]


@pytest.mark.parametrize("dialect", [postgresql.dialect(), sqlite.dialect(), mysql.dialect()], ids=lambda d: d.name)
@pytest.mark.parametrize("number", range(len(_added_columns())))
def test_an_added_column_converts_as_the_ledgers_add_column_of_it(dialect: sa.Dialect, number: int) -> None:
    """A column that declares nothing beside itself is read as it is; the ops are those the ledger's
    ``add_column`` makes of it (through a one-column table) with the type the database got."""
    from types import SimpleNamespace

    import ops as lops
    from ledger.integrations.alembic.convert import _column_added, _storable_column

    column = _added_columns()[number]
    metadata = sa.MetaData()
    sa.Table("parent", metadata, sa.Column("id", sa.Integer(), primary_key=True))
    sa.Table("child", metadata, column, schema=None)  # Alembic attaches the column to a table to run it
    issued: list[Any] = []
    lops.Operations(issued.append, naming_convention=PLACEHOLDER_CONVENTION).add_column(
        "child", _storable_column(column, dialect), schema="s")
    assert _column_added("child", column, "s", SimpleNamespace(conn=SimpleNamespace(dialect=dialect))) == issued


@pytest.mark.parametrize("options", [{}, {"sqlite_autoincrement": True}, {"sqlite_autoincrement": False},
                                     {"sqlite_with_rowid": False}, {"mysql_engine": "InnoDB"}], ids=repr)
def test_the_sqlite_autoincrement_option_is_read_as_the_tables_kwargs_hold_it(options: dict[str, Any]) -> None:
    from ops.specs import sqlite_autoincrement

    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer(), primary_key=True), **options)
    read = sqlite_autoincrement(table)
    assert read is bool(table.kwargs.get("sqlite_autoincrement"))
