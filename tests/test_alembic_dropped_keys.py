"""Keys dropped with their columns or tables, as real histories drop them, are recorded as the database keeps them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import sqlalchemy as sa

from tests.alembic_histories import check_everything, check_live_equals_fold, up_and_down, upgrade_with_hook


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])  # SQLite drops no key column outside batch mode
def test_an_auto_increment_primary_key_column_dropped_for_another_key_rolls_back(tmp_path: Path, db_url: str) -> None:
    """As ziggurat_foundations' 3cfc41c4a5f0: ``groups.id``, the auto-increment primary key, is
    dropped and ``group_name`` becomes the key. The reverse adds ``id`` back with its key, which
    MySQL and MariaDB take only in one statement (an AUTO_INCREMENT column must be a key)."""
    up_and_down(tmp_path, db_url, [
        ["op.create_table('groups', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),"
         " sa.Column('group_name', sa.Unicode(50), nullable=False, unique=True))"],
        ["op.drop_column('groups', 'id')",
         "op.alter_column('groups', 'group_name', type_=sa.Unicode(128), existing_type=sa.Unicode(50))",
         "op.create_primary_key('groups_pkey', 'groups', columns=['group_name'])"],
    ])


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])  # where a revision's events wait for its end
def test_a_revision_that_commits_its_connection_commits_the_events_of_what_it_did(tmp_path: Path, db_url: str) -> None:
    """As mcp-contextforge-gateway's r2b3c4d5e6f7: a batch block adds columns, then the revision
    commits the connection itself (``connection.commit()``) and goes on. What it committed stays
    whatever follows (on PostgreSQL the rest rolls back, as it does where env.py does not commit
    again; pysqlite runs the ALTER after it outside a transaction): the events of what it did are
    committed with it, so the ledger still follows the live schema."""
    upgrade_with_hook(tmp_path, db_url, [
        ["op.create_table('prompts', sa.Column('id', sa.Integer(), primary_key=True))"],
        ["with op.batch_alter_table('prompts') as batch_op:\n"
         "        batch_op.add_column(sa.Column('custom_name', sa.String(255), nullable=True))",
         "op.get_bind().commit()",
         "op.add_column('prompts', sa.Column('display_name', sa.String(255), nullable=True))"],
    ])
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            assert "custom_name" in [c["name"] for c in sa.inspect(conn).get_columns("prompts")]
    finally:
        engine.dispose()
    check_live_equals_fold(db_url)


@pytest.mark.parametrize("dialect", ["sqlite"])  # the one database that keeps a foreign key to a dropped table
def test_foreign_keys_left_dangling_by_a_dropped_table_are_recorded_again_when_a_table_is_renamed_to_it(
    tmp_path: Path, db_url: str, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """As mcp-contextforge-gateway's e5a59c16e041 on SQLite: a table is copied into ``t_tmp`` with
    other unique keys, dropped (SQLite keeps the foreign keys other tables hold to it), and the copy
    renamed to its name with ``op.rename_table``: those keys are valid again, as after a
    ``create_table`` of that name."""
    upgrade_with_hook(tmp_path, db_url, [
        ["op.create_table('agents', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('slug', sa.String(20)))",
         "op.create_table('metrics', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('agent_id', sa.Integer(), sa.ForeignKey('agents.id', name='fk_metrics_agent_id')))"],
        ["op.create_table('agents_tmp', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('slug', sa.String(20)),"
         " sa.UniqueConstraint('slug', name='uq_agents_slug'))",
         "op.drop_table('agents')",
         "op.rename_table('agents_tmp', 'agents')"],
    ])
    check_everything(tmp_path, db_url, database_factory, dialect)


@pytest.mark.parametrize("dialect", ["sqlite"])  # where the hook opens each revision's transaction itself
def test_a_revision_that_opens_and_ends_its_own_sqlite_transaction_in_sql_text_runs_and_is_recorded(
    tmp_path: Path, db_url: str, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """As galaxy's revisions on SQLite (galaxy.model.migrations.util.transaction()): ``op.execute("BEGIN")``,
    the changes, ``op.execute("END")``, written for Python's sqlite3, which opens no transaction before DDL.
    The hook had opened the revision's transaction already, and SQLite refused the second ("cannot start
    a transaction within a transaction"): the upgrade that Alembic alone completes failed. The
    revision's BEGIN is now the transaction the hook opened; its END commits it with the events of
    what ran, and what follows runs as under Alembic alone (a second block opens its own)."""
    upgrade_with_hook(tmp_path, db_url, [
        ["op.create_table('workflow', sa.Column('id', sa.Integer(), primary_key=True))"],
        ["op.execute('BEGIN')",
         "op.create_table('workflow_comment', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('workflow_id', sa.Integer(), sa.ForeignKey('workflow.id')))",
         "op.execute('END')",
         "op.execute('BEGIN TRANSACTION')",
         "op.add_column('workflow', sa.Column('name', sa.String(40)))",
         "op.execute('COMMIT')",
         "op.create_index('ix_workflow_name', 'workflow', ['name'])"],
    ])
    check_everything(tmp_path, db_url, database_factory, dialect)
