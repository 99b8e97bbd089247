"""What a SQLAlchemy table declares, as specs: ``Column(unique=True, index=True)`` is one unique index.

SQLAlchemy makes such a column a unique ``Index`` and no ``UniqueConstraint`` (open-webui's
prompt table); a spec holding both recorded a constraint the database never had.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from ops import IndexElement, IndexSpec, Operations, TableSpec, UniqueSpec
from tests.alembic_histories import check_everything, upgrade_with_hook


def test_a_unique_indexed_column_is_one_unique_index_and_no_constraint() -> None:
    table = sa.Table("p", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("command", sa.String(20), unique=True, index=True),
                     sa.Column("code", sa.String(20), unique=True))
    spec = TableSpec.from_table(table)
    assert spec.uniques == (UniqueSpec("uq_p_code", ("code",)),)
    assert spec.indexes == (IndexSpec("ix_p_command", (IndexElement("command"),), unique=True),)


def test_add_column_unique_and_indexed_issues_one_unique_index() -> None:
    issued: list = []
    Operations(issued.append).add_column("p", sa.Column("command", sa.String(20), unique=True, index=True))
    assert [type(op).__name__ for op in issued] == ["AddColumnOp", "CreateIndexOp"]
    assert issued[1].index.unique


def test_unique_indexed_columns_through_the_hook_are_what_the_database_holds(
    tmp_path: Path, db_url: str, dialect: str, database_factory: Callable[[str], str]
) -> None:
    upgrade_with_hook(tmp_path, db_url, [
        ["op.create_table('p', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('command', sa.String(20), unique=True, index=True))"],
        ["op.add_column('p', sa.Column('code', sa.String(20), unique=True, index=True))",
         "op.rename_table('p', 'prompt')"],
    ])
    check_everything(tmp_path, db_url, database_factory, dialect)


def test_an_index_option_for_a_column_the_index_does_not_hold_is_not_recorded(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """datajunction's namespace_index: ``postgresql_ops={'identifier': 'varchar_pattern_ops'}`` on an
    index of ``namespace``. SQLAlchemy writes an operator class (a MySQL key length) only for the
    index's own elements, so the database holds none: neither does the spec."""
    metadata = sa.MetaData()
    table = sa.Table("node", metadata, sa.Column("namespace", sa.String(50)), sa.Column("identifier", sa.String(50)))
    index = sa.Index("namespace_index", table.c.namespace, postgresql_using="btree",
                     postgresql_ops={"identifier": "varchar_pattern_ops", "namespace": "text_pattern_ops"},
                     mysql_length={"identifier": 10})
    spec = IndexSpec.from_index(index)
    assert spec.dialect_options == (("postgresql_ops", (("namespace", "text_pattern_ops"),)),
                                    ("postgresql_using", "btree"))
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [[
        "op.create_table('node', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('namespace', sa.String(50)))",
        "op.create_index('namespace_index', 'node', ['namespace'], postgresql_ops={'identifier': 'varchar_pattern_ops'})",
    ]])
    check_everything(tmp_path, url, database_factory, "postgresql")
