"""A collation made by SQL text, as quetz's a3ffa287d074 makes one for its channel names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.alembic_histories import check_everything, connected, hook_events, upgrade_with_hook


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_a_collation_made_by_sql_text_is_dropped_by_the_rollback(
    tmp_path: Path, db_url: str, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """``CREATE COLLATION`` changes no table: it is recorded as SQL whose reverse drops the
    collation, after the columns that use it are back as they were."""
    upgrade_with_hook(tmp_path, db_url, [
        ["op.create_table('channels', sa.Column('name', sa.String(100), primary_key=True))"],
        ["op.execute(\"CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', "
         "deterministic = false)\")",
         "with op.batch_alter_table('channels') as batch_op:\n"
         "    batch_op.alter_column('name', type_=sa.types.String(100, collation='nocase'))"],
    ])
    assert all(e.op is None or e.op.reversible for e in hook_events(db_url))
    check_everything(tmp_path, db_url, database_factory, dialect)
    with connected(db_url) as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM pg_collation WHERE collname = 'nocase'").scalar() == 0
