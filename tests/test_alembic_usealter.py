"""A foreign key declared with ``use_alter=True`` in ``op.create_table``: where the database can
ALTER a table, SQLAlchemy leaves it out of CREATE TABLE (it is meant to be added afterwards by
``metadata.create_all``), so Alembic never makes it; SQLite, which cannot add one later, makes it
in the table. The ledger records what the database did (flaskbb's forumgroups and settings)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from tests.alembic_histories import check_everything, connected, upgrade_with_hook, write_env, write_history

HISTORY = [
    ["op.create_table('forums', sa.Column('id', sa.Integer(), primary_key=True))",
     "op.create_table('forumgroups', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('forum_id', sa.Integer(), nullable=False),"
     " sa.ForeignKeyConstraint(['forum_id'], ['forums.id'], name='fk_forum_id', use_alter=True))"],
]


def test_a_foreign_key_declared_use_alter_is_recorded_as_the_database_made_it(
        tmp_path: Path, db_url: str, dialect: str, database_factory: Callable[[str], str]) -> None:
    upgrade_with_hook(tmp_path, db_url, HISTORY)
    with connected(db_url) as conn:
        made = sa.inspect(conn).get_foreign_keys("forumgroups")
    # the oracle: the database (as Alembic alone leaves it) has the key only where CREATE TABLE held it
    assert len(made) == (1 if dialect == "sqlite" else 0), made
    check_everything(tmp_path, db_url, database_factory, dialect)


def test_an_imported_history_with_a_use_alter_foreign_key_builds_the_schema_alembic_builds(
        tmp_path: Path, dialect: str, database_factory: Callable[[str], str]) -> None:
    from tests.test_alembic_import import _import_and_compare

    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, HISTORY)
    _import_and_compare(folder, dialect, database_factory, tmp_path / "imported")
