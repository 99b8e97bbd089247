"""MySQL/MariaDB: the index InnoDB made for a foreign key, dropped by name after the key in one
batch block (airflow 2.2's 7b2661a43ba3). The ledger's drop of the key drops that index too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.alembic_histories import check_everything, upgrade_with_hook


def test_a_foreign_keys_own_index_dropped_after_it_is_recorded_with_the_key(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('ti', sa.Column('dag_id', sa.String(50), primary_key=True),"
         " sa.Column('task_id', sa.String(50), primary_key=True))",
         "op.create_table('tr', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('task_id', sa.String(50)), sa.Column('dag_id', sa.String(50)),"
         " sa.ForeignKeyConstraint(['dag_id', 'task_id'], ['ti.dag_id', 'ti.task_id'], name='tr_fkey'))"],
        ["with op.batch_alter_table('tr') as batch_op:",
         "    batch_op.drop_constraint('tr_fkey', type_='foreignkey')",
         "    batch_op.drop_index('tr_fkey')"],
    ], batch=True)
    check_everything(tmp_path, url, database_factory, "mariadb")
