"""What InnoDB does with the indexes of foreign keys, recorded by the hook as MariaDB holds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.alembic_histories import check_everything, hook_events, upgrade_with_hook


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


def test_on_mariadb_an_index_declared_with_its_foreign_key_s_name_and_columns_is_held_as_innodb_holds_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """nova's fixed_ips: a foreign key fixed_ips_instance_uuid_fkey and an index of that name on its
    column. InnoDB makes the key's index under the key's name, and the declared index takes its place:
    the database holds one index, which reflection cannot tell from InnoDB's own (left out). The fold
    compares it so too, and follows the database when the key goes (the index stays) and the index after it."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('instances', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('uuid', sa.String(36)), sa.UniqueConstraint('uuid', name='uniq_instances0uuid'))",
         "op.create_table('fixed_ips', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('instance_uuid', sa.String(36),"
         " sa.ForeignKey('instances.uuid', name='fixed_ips_instance_uuid_fkey')),"
         " sa.Index('fixed_ips_instance_uuid_fkey', 'instance_uuid'))"],
        ["op.drop_constraint('fixed_ips_instance_uuid_fkey', 'fixed_ips', type_='foreignkey')"],
        ["op.drop_index('fixed_ips_instance_uuid_fkey', 'fixed_ips')"],
    ])
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_on_mariadb_a_table_renamed_with_keys_innodb_named_after_it_replays_as_it_ran(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """tacker's 22f5385a3d50: ``rename_table('attr', 'vnfd_attribute')``, whose foreign key attr_ibfk_1
    InnoDB renames vnfd_attribute_ibfk_1 (the hook records that rename after the table's), then the
    key dropped by the name the database reports. A replay (materialize, drill) of the table's rename
    makes the names the ledger recorded, so the recorded rename of the key and the drop apply."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('tpl', sa.Column('id', sa.String(36), primary_key=True))",
         "op.create_table('attr', sa.Column('id', sa.String(36), primary_key=True),"
         " sa.Column('template_id', sa.String(36), nullable=False),"
         " sa.ForeignKeyConstraint(['template_id'], ['tpl.id']))"],
        ["op.rename_table('attr', 'vnfd_attribute')"],
        ["for fk in sa.inspect(op.get_bind()).get_foreign_keys('vnfd_attribute'):",
         "    op.drop_constraint(fk['name'], 'vnfd_attribute', type_='foreignkey')",
         "op.alter_column('vnfd_attribute', 'template_id', new_column_name='vnfd_id',"
         " existing_type=sa.String(36), nullable=False)",
         "op.create_foreign_key(None, 'vnfd_attribute', 'tpl', ['vnfd_id'], ['id'])"],
    ])
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_on_mariadb_the_index_of_a_key_renamed_with_its_table_keeps_its_name_and_is_recorded(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """tacker's devices_ibfk_2, made again under that name (so its index is named so too), then
    ``rename_table('devices', 'vnf')``: InnoDB renames the key vnf_ibfk_2 and keeps its index
    devices_ibfk_2, now an index of the table's own. Recorded with the rename, not by the reflection
    after a later revision's SQL (which would credit it to that revision)."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('vims', sa.Column('id', sa.String(36), primary_key=True))",
         "op.create_table('devices', sa.Column('id', sa.String(36), primary_key=True), sa.Column('vim_id', sa.String(36)))",
         "op.create_foreign_key('devices_ibfk_2', 'devices', 'vims', ['vim_id'], ['id'])"],
        ["op.rename_table('devices', 'vnf')"],
        ["op.execute('CREATE TABLE other (id INTEGER PRIMARY KEY)')"],
    ])
    events = hook_events(url)
    assert [(e.revision, e.op_type) for e in events if e.revision == "0003aa"] == [("0003aa", "create_table")]
    check_everything(tmp_path, url, database_factory, "mariadb")
