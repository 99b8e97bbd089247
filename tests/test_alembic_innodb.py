"""What InnoDB does with the indexes of foreign keys, recorded by the hook as MariaDB holds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.alembic_histories import check_everything, upgrade_with_hook


def test_on_mariadb_a_foreign_key_replaced_under_another_name_keeps_the_old_keys_index(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """As octavia's 4c094013699a: the foreign key fk_container_provisioning_status_name dropped and
    one of another name made on the same column. InnoDB kept the first key's index, and the new key
    uses it: the index stays under the old name, and rollback finds it there."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('provisioning_status', sa.Column('name', sa.String(30), primary_key=True))",
         "op.create_table('amphora', sa.Column('id', sa.String(36), primary_key=True),"
         " sa.Column('status', sa.String(30), nullable=False),"
         " sa.ForeignKeyConstraint(['status'], ['provisioning_status.name'], name='fk_container_status'))"],
        ["op.drop_constraint('fk_container_status', 'amphora', type_='foreignkey')",
         "op.create_foreign_key('fk_amphora_status', 'amphora', 'provisioning_status', ['status'], ['name'])"],
    ])
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_on_mariadb_an_alter_column_that_changes_nothing_alembic_knows_is_recorded_as_the_column_restated(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """ihatemoney's c941aaca38c2: ``alter_column(existing_type=sa.VARCHAR(9), autoincrement=False, ...)``
    on an ENUM column, which changes nothing Alembic's op names; MySQL/MariaDB's ``MODIFY`` restates
    the column from the existing_* arguments and makes it a VARCHAR(9): recorded so, as an alter of
    the column made with autoincrement=False (which reflection does not tell from the default)."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('project_version', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('mode', sa.Enum('DISABLED', 'ENABLED', name='loggingmode'), server_default='ENABLED',"
         " autoincrement=False))"],
        ["with op.batch_alter_table('project_version', schema=None) as batch_op:",
         "    batch_op.alter_column('mode', existing_type=sa.VARCHAR(length=9), existing_nullable=True,"
         " autoincrement=False, existing_server_default=sa.text(\"'ENABLED'\"))"],
    ])
    check_everything(tmp_path, url, database_factory, "mariadb")
