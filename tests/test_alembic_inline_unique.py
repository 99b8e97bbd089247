"""A column's inline ``UNIQUE`` on SQLite, which SQLAlchemy's reflection does not see: a batch rebuild
made from that reflection loses it, and the hook records the table as the database then holds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.alembic_histories import check_everything, upgrade_with_hook


def test_a_batch_rebuild_that_loses_an_inline_unique_is_recorded_so(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """airflow 2's FAB tables: a table made again in SQL text with ``name VARCHAR(250) NOT NULL UNIQUE``,
    then a batch block that adds a named unique constraint on that column. Alembic rebuilds the table
    from SQLAlchemy's reflection, which has no unnamed unique: the table keeps only the named one."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        ["op.execute('CREATE TABLE menu (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(250) NOT NULL UNIQUE)')"],
        ["with op.batch_alter_table('menu') as batch_op:",
         "    batch_op.create_unique_constraint('menu_name_uq', ['name'])"],
    ], batch=True)
    check_everything(tmp_path, url, database_factory, "sqlite")
