"""ops/specs.py and ops/column.py: a column declared ``unique=True, index=True`` is one unique index, as
SQLAlchemy and Alembic make it on every database, never a unique constraint beside it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ops import TableSpec
from tests.alembic_histories import check_everything, live_schema, upgrade_with_hook
from tests.conftest import DIALECTS


def test_a_unique_indexed_column_is_one_unique_index_in_the_table_spec() -> None:
    table = sa.Table("t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("code", sa.String(20), unique=True, index=True),
                     sa.Column("other", sa.String(20), unique=True))
    spec = TableSpec.from_table(table)
    assert [u.columns for u in spec.uniques] == [("other",)]
    assert [(i.name, i.elements[0].value, i.unique) for i in spec.indexes] == [("ix_t_code", "code", True)]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_unique_indexed_column_made_or_added_through_alembic_is_recorded_as_the_database_holds_it(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """As superset's ssh_tunnels (``uuid``, ``database_id``): create_table and add_column of such columns."""
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('tunnels', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('code', sa.String(20), unique=True, index=True))"],
        ["op.add_column('tunnels', sa.Column('token', sa.String(20), unique=True, index=True))"],
    ])
    live = live_schema(url).table("tunnels")
    # one unique index per column (MariaDB reports a unique index as a unique key)
    unique = sorted([i.columns for i in live.indexes if i.unique] + [u.columns for u in live.uniques])
    assert unique == [("code",), ("token",)] and not [i for i in live.indexes if not i.unique]
    check_everything(tmp_path, url, database_factory(dialect), dialect)
