"""What airflow's and prefect's PostgreSQL histories do, recorded by the hook so that verify,
materialize and rollback work (each case seen in one of them)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.alembic_histories import (
    LEDGER_TABLE,
    connected,
    check_everything,
    check_live_equals_fold,
    hook_events,
    ledger_cli,
    table_names,
    upgrade_with_hook,
    write_env,
    write_history,
)

pytestmark = pytest.mark.postgresql


def test_a_sort_order_given_as_an_operator_class_is_the_index_postgresql_keeps(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # airflow: batch_op.create_index(..., ["ti_id", "id"], postgresql_ops={"id": "DESC"})
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [[
        "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('ti_id', sa.Integer()),"
        " sa.Column('name', sa.Text()))",
        "op.create_index('ix_t_ti_id_id_desc', 't', ['ti_id', 'id'], postgresql_ops={'id': 'DESC'})",
        "op.create_index('ix_t_name', 't', ['name'], postgresql_ops={'name': 'text_pattern_ops DESC NULLS LAST'})",
    ]])
    check_live_equals_fold(url)
    code, output = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, output


def test_an_operator_class_written_in_an_index_element_is_the_index_postgresql_keeps(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # irrd: op.create_index(..., [sa.text("prefix inet_ops")], postgresql_using="gist"); PostgreSQL keeps
    # (and reports) the column prefix with the operator class inet_ops, as postgresql_ops gives it
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [[
        "op.create_table('route', sa.Column('id', sa.Integer(), primary_key=True),"
        " sa.Column('prefix', sa.dialects.postgresql.CIDR()), sa.Column('name', sa.Text()))",
        "op.create_index('ix_route_prefix_gist', 'route', [sa.text('prefix inet_ops')], postgresql_using='gist')",
        "op.create_index('ix_route_name_prefix', 'route', [sa.text('name text_pattern_ops DESC'), 'prefix'])",
        "op.create_index('ix_route_prefix_ops', 'route', ['prefix'], postgresql_using='gist',"
        " postgresql_ops={'prefix': 'inet_ops'})",
    ]])
    check_everything(tmp_path, url, database_factory, "postgresql")

def test_a_serial_key_turned_into_a_string_is_made_again_without_its_sequence(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # fides: DROP SEQUENCE <table>_id_seq CASCADE (the key's default goes with it), then the integer key
    # becomes a VARCHAR, which no sequence can fill: materialize, drill and apply made the table again
    # with the key's autoincrement, which SQLAlchemy refuses for a string column
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('systems', sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),"
         " sa.Column('name', sa.Text()), sa.PrimaryKeyConstraint('id', name='systems_pkey'))"],
        ["op.execute('DROP SEQUENCE systems_id_seq CASCADE')",
         "op.execute('ALTER TABLE systems DROP CONSTRAINT systems_pkey CASCADE')",
         "op.alter_column('systems', 'id', existing_type=sa.Integer, type_=sa.String(255), nullable=False)",
         "op.create_primary_key('systems_pkey', 'systems', ['id'])"],
    ])
    check_everything(tmp_path, url, database_factory, "postgresql")

def test_a_column_of_an_enum_type_made_as_sql_text_holds_the_values_of_that_type(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # fides: CREATE TYPE as SQL text, then add_column(sa.Enum(name=...)) naming it without its values,
    # and later ALTER TYPE ... ADD VALUE: the column was recorded with an ENUM of no values, so the
    # drill found the replayed column's type unlike the live one, and the rollback could not set back
    # the default 'unknown'
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('asset', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('w', sa.Boolean()))"],
        ["op.execute(\"create type consentstatus as enum ('with_consent', 'exempt', 'unknown')\")",
         "op.add_column('asset', sa.Column('consent_status', sa.Enum(name='consentstatus'),"
         " server_default='unknown', nullable=False))",
         "op.drop_column('asset', 'w')"],
        ["op.execute(\"ALTER TYPE consentstatus ADD VALUE 'pre_consent'\")"],
    ])
    check_everything(tmp_path, url, database_factory, "postgresql")

def test_a_column_unique_beside_a_unique_constraint_of_it_is_the_one_unique_postgresql_makes(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # fides: Column('group_id', unique=True) and UniqueConstraint('group_id') in one create_table, which
    # PostgreSQL makes one constraint, web_monitor_group_job_group_id_key: the ledger kept the other,
    # unnamed, where its name sorted first, and verify --live found one unique dropped and one added
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [[
        "op.create_table('web_monitor_group_job', sa.Column('id', sa.String(255), primary_key=True),"
        " sa.Column('group_id', sa.String(), nullable=False, unique=True), sa.UniqueConstraint('group_id'))",
    ]])
    check_everything(tmp_path, url, database_factory, "postgresql")

def test_a_foreign_key_to_its_own_tables_unique_index_is_made_after_that_index(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # fides: ctl_data_categories.parent_key refers to its own fides_key, which a unique index (no
    # constraint) covers: materialize made the key inside CREATE TABLE, before the index, which
    # PostgreSQL refuses ("there is no unique constraint matching given keys")
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [[
        "op.create_table('categories', sa.Column('id', sa.Integer(), primary_key=True),"
        " sa.Column('fides_key', sa.String(), nullable=False), sa.Column('parent_key', sa.String()))",
        "op.create_index('ix_categories_fides_key', 'categories', ['fides_key'], unique=True)",
        "op.create_foreign_key('categories_parent_key_fkey', 'categories', 'categories', ['parent_key'],"
        " ['fides_key'], ondelete='RESTRICT')",
    ]])
    check_everything(tmp_path, url, database_factory, "postgresql")

def test_sql_after_a_foreign_key_to_a_unique_index_records_no_change_of_that_key(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # airflow: asset_active(name, uri) refers to asset(name, uri), which a unique index covers; each
    # DDL written as SQL was recorded with that foreign key dropped and added again around it
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('asset', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)),"
         " sa.Column('uri', sa.String(20)))",
         "op.create_index('idx_asset_name_uri', 'asset', ['name', 'uri'], unique=True)",
         "op.create_table('active', sa.Column('name', sa.String(20), primary_key=True),"
         " sa.Column('uri', sa.String(20), primary_key=True),"
         " sa.ForeignKeyConstraint(['name', 'uri'], ['asset.name', 'asset.uri'], name='active_fkey',"
         " ondelete='CASCADE'))"],
        ["op.execute('ALTER TABLE asset ADD COLUMN note TEXT')"],
    ])
    check_live_equals_fold(url)
    second = [e for e in hook_events(url) if e.revision == "0002aa"]
    assert [e.op_type for e in second] == ["add_column"], [repr(e.op) for e in second]


def test_a_type_change_to_json_rolls_back_through_the_values_text(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # airflow: alter_column(FLOAT -> JSON, postgresql_using="to_json(interval)"); PostgreSQL has no
    # cast back from json to double precision without USING (nor from integer to json)
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('alert', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('interval', sa.Float(), nullable=False))",
         "op.execute('INSERT INTO alert VALUES (1, 2.5)')"],
        ["op.alter_column('alert', 'interval', existing_type=sa.Float(), type_=sa.JSON(),"
         " postgresql_using='to_json(interval)', existing_nullable=False)"],
        ["op.create_table('later', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.JSON()))",
         "op.execute(\"INSERT INTO later VALUES (1, '7')\")"],
        ["op.alter_column('later', 'n', existing_type=sa.JSON(), type_=sa.Integer(), postgresql_using='n::text::integer')"],
    ])
    engine = sa.create_engine(url)
    try:
        code, output = ledger_cli(url, tmp_path, "rollback", "--to", "0003aa")
        assert code == 0, output
        check_live_equals_fold(url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT n FROM later")).scalar() == 7  # JSON again, through to_json
        code, output = ledger_cli(url, tmp_path, "rollback", "--to", "0001aa", "--skip-irreversible",
                                  "--allow-data-loss")
        assert code == 0, output
        check_live_equals_fold(url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT interval FROM alert")).scalar() == 2.5  # a float, through text
    finally:
        engine.dispose()


def test_an_enum_rebuilt_by_a_rollback_keeps_the_partial_indexes_that_compare_with_its_values(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # prefect: ALTER TYPE state_type ADD VALUE 'CANCELLING', and an index WHERE state_type = 'SCHEDULED'
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('run', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('state', sa.Enum('SCHEDULED', 'RUNNING', name='state_type')), sa.Column('n', sa.Integer()),"
         " sa.CheckConstraint(\"state <> 'RUNNING' OR n > 0\", name='ck_run_n'))",
         "op.create_index('ix_run_scheduled', 'run', ['n'], postgresql_where=sa.text(\"state = 'SCHEDULED'\"))"],
        ["op.execute(\"ALTER TYPE state_type ADD VALUE IF NOT EXISTS 'CANCELLING'\")"],
    ])
    code, output = ledger_cli(url, tmp_path, "rollback", "--to", "0001aa")
    assert code == 0, output
    check_live_equals_fold(url)
    code, output = ledger_cli(url, tmp_path, "rollback", "--to", "base")
    assert code == 0, output
    assert table_names(url) == []


def test_materialize_creates_the_extensions_the_migrations_created_before_the_tables(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # prefect: CREATE EXTENSION pg_trgm, then gin indexes with gin_trgm_ops
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')",
         "op.create_table('flow', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.Text()))",
         "op.create_index('ix_flow_name_trgm', 'flow', ['name'], postgresql_using='gin',"
         " postgresql_ops={'name': 'gin_trgm_ops'})"],
    ])
    into = database_factory("postgresql")
    code, output = ledger_cli(url, tmp_path, "materialize", "--into", into)
    assert code == 0, output
    assert table_names(into) == ["flow"]


def test_a_type_change_between_a_timestamp_and_epoch_seconds_rolls_back(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # open-webui: alter_column(DateTime -> BigInteger, postgresql_using="extract(epoch from t)::bigint");
    # PostgreSQL has no cast from bigint back to timestamp
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('folder', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('updated_at', sa.DateTime(), nullable=False, server_default=sa.func.now()),"
         " sa.Column('seen', sa.DateTime(timezone=True)))",
         "op.execute(\"INSERT INTO folder VALUES (1, '2024-10-23 03:00:00', '2024-10-23 03:00:00+00')\")"],
        ["with op.batch_alter_table('folder') as b:",
         "    b.alter_column('updated_at', server_default=None)",
         "    b.alter_column('updated_at', type_=sa.BigInteger(), existing_type=sa.DateTime(),"
         " existing_nullable=False, postgresql_using='extract(epoch from updated_at)::bigint')",
         "    b.alter_column('seen', type_=sa.BigInteger(), existing_type=sa.DateTime(timezone=True),"
         " postgresql_using='extract(epoch from seen)::bigint')"],
    ])
    engine = sa.create_engine(url)
    try:
        code, output = ledger_cli(url, tmp_path, "rollback", "--to", "0001aa")
        assert code == 0, output
        check_live_equals_fold(url)
        with engine.connect() as conn:
            row = conn.execute(sa.text("SELECT updated_at, extract(epoch from seen) FROM folder")).one()
        assert str(row[0]) == "2024-10-23 03:00:00" and int(row[1]) == 1729652400  # the same instants again
    finally:
        engine.dispose()


def test_an_alter_to_an_enum_whose_named_type_exists_is_recorded_as_the_type_kept(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """ihatemoney's c941aaca38c2: ``alter_column(type_=sa.Enum('DISABLED', 'ENABLED', name='loggingmode'))``
    where type loggingmode exists with a third value, then an UPDATE of the rows holding that value.
    PostgreSQL keeps the type as it was: the alter is recorded as changing no type, so a replay does
    not remake the type and add the value again (a value added in the transaction cannot be used)."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["t = op.create_table('project', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('mode', sa.Enum('DISABLED', 'ENABLED', 'RECORD_IP', name='loggingmode'),"
         " server_default='ENABLED', nullable=False))",
         "op.bulk_insert(t, [{'id': 1, 'mode': 'RECORD_IP'}])"],
        ["op.alter_column('project', 'mode', existing_type=sa.VARCHAR(length=9),"
         " type_=sa.Enum('DISABLED', 'ENABLED', name='loggingmode'), existing_nullable=False,"
         " existing_server_default=sa.text(\"'ENABLED'\"))",
         "op.execute(\"UPDATE project SET mode = 'ENABLED' WHERE mode = 'RECORD_IP'\")"],
    ])
    check_live_equals_fold(url)
    code, output = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--allow-irreversible", "--json", "-q")
    assert json.loads(output)["failures"] == [], output
    assert "alter_column" not in [e.op_type for e in hook_events(url)]


@pytest.mark.filterwarnings("ignore:Computed column")
def test_a_generated_column_without_persisted_is_made_again_as_the_server_makes_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """tacker's vnf_lcm_filters: ``sa.Computed("decode(filter->>'...','escape')")`` without
    ``persisted``. SQLAlchemy writes STORED for a server before PostgreSQL 18 (which has only
    those) and nothing for 18 (VIRTUAL): materialize and drill compile for the server they run on."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('f', sa.Column('id', sa.Integer, primary_key=True),"
         " sa.Column('filter', sa.JSON(), nullable=False),"
         " sa.Column('states', sa.LargeBinary(length=65536),"
         " sa.Computed(\"decode(filter->>'$.operationStates','escape')\")),"
         " sa.Column('n', sa.Integer, sa.Computed(\"coalesce(json_array_length(filter->'$.operationStates'),0)\")))"],
    ])
    check_everything(tmp_path, url, database_factory, "postgresql")


@pytest.mark.filterwarnings("ignore:Computed column")
def test_a_generated_column_of_a_parenthesized_list_is_the_row_postgresql_stores(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """tacker's c31f65e0d099: ``sa.Computed("(coalesce(decode(p->>'$.vnfProvider','escape')),0)")``, a
    row of two values, which PostgreSQL stores as ``ROW(...)``: the same expression for verify and drill."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('f', sa.Column('id', sa.Integer, primary_key=True), sa.Column('p', sa.JSON()))"],
        ["op.add_column('f', sa.Column('v', sa.VARCHAR(length=65535),"
         " sa.Computed(\"(coalesce(decode(p->>'$.vnfProvider','escape')),0)\", persisted=True)))"],
    ])
    check_everything(tmp_path, url, database_factory, "postgresql")


def test_index_and_constraint_statements_that_find_the_schema_so_already_record_nothing(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``CREATE INDEX IF NOT EXISTS`` of an index that is there, ``DROP CONSTRAINT IF EXISTS`` of one
    that is not: each can change only what the ledger holds of its table (its indexes, its
    constraints) and changed none of it, so nothing is recorded of it, as of an Alembic op that
    changes nothing, and a plain rollback undoes the history."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('t', sa.Column('id', sa.Integer, primary_key=True), sa.Column('a', sa.Integer))",
         "op.create_index('ix_t_a', 't', ['a'])"],
        ["op.execute('CREATE INDEX IF NOT EXISTS ix_t_a ON t (a)')",
         "op.execute('ALTER TABLE t DROP CONSTRAINT IF EXISTS uq_t_a')"],
    ])
    # the second revision is there as a revision that changed nothing (an event without an op)
    assert [e.op_type for e in hook_events(url)] == ["create_table", "create_index", None]
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base")
    assert code == 0, out
    assert table_names(url) == []


def test_an_index_on_a_cast_written_as_cast_is_the_index_postgresql_keeps(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # waiverdb's ce8a1351ecdc: op.create_index('ix_waiver_subject', 'waiver', [text('CAST(subject AS TEXT)')])
    # after the column became json; PostgreSQL keeps the element as ((subject)::text)
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('waiver', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('subject', sa.Text()))",
         "op.create_index('ix_waiver_subject', 'waiver', ['subject'])"],
        ["op.drop_index('ix_waiver_subject')",
         "op.alter_column('waiver', 'subject', type_=sa.JSON(), postgresql_using='subject::json')",
         "op.create_index('ix_waiver_subject', 'waiver', [sa.text('CAST(subject AS TEXT)')])"],
    ])
    check_everything(tmp_path, url, database_factory, "postgresql")


def test_an_enum_value_a_revision_adds_and_uses_is_committed_before_its_use_when_applied(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # faraday's 901344f297fb: ALTER TYPE ... ADD VALUE in autocommit_block(), then an UPDATE that writes the
    # value, which PostgreSQL refuses until the value is committed ("unsafe use of new value")
    from ledger.integrations.alembic_import import import_alembic
    from ledger.project.config import Config
    from ledger.run import apply as runner

    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, [
        ["op.create_table('files', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('kind', sa.Enum('report', 'logo', name='kinds'), nullable=False))",
         "op.execute(\"INSERT INTO files (kind) VALUES ('logo')\")"],
        ["with op.get_context().autocommit_block():",
         "    op.execute(\"ALTER TYPE kinds ADD VALUE IF NOT EXISTS 'report_logo'\")",
         "op.execute(\"UPDATE files SET kind = 'report_logo' WHERE kind = 'logo'\")"],
    ])
    result = import_alembic(folder, "postgresql", tmp_path / "imported", url=database_factory("postgresql"))
    assert result.problems == ()
    target = database_factory("postgresql")
    runner.apply(Config(project_dir=tmp_path, url=target, migrations=tmp_path / "imported"))
    engine = sa.create_engine(target)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT kind::text FROM files")).scalars().all() == ["report_logo"]
    finally:
        engine.dispose()


def test_a_sequence_a_revision_sets_with_select_setval_is_set_again_when_applied(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # faraday's a29d52685b58: rows inserted with their own ids, then SELECT setval('..._id_seq', MAX(id)),
    # so that a later revision's INSERT without an id gets the next one
    from ledger.integrations.alembic_import import import_alembic
    from ledger.project.config import Config
    from ledger.run import apply as runner

    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, [
        ["op.create_table('roles', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)))",
         "op.execute(\"INSERT INTO roles (id, name) VALUES (1, 'admin'), (2, 'client')\")",
         "op.get_bind().execute(sa.text(\"SELECT setval('roles_id_seq', (SELECT MAX(id) FROM roles))\"))"],
        ["op.execute(\"INSERT INTO roles (name) VALUES ('auditor')\")"],
    ])
    result = import_alembic(folder, "postgresql", tmp_path / "imported", url=database_factory("postgresql"))
    assert result.problems == ()
    target = database_factory("postgresql")
    runner.apply(Config(project_dir=tmp_path, url=target, migrations=tmp_path / "imported"))
    engine = sa.create_engine(target)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT id FROM roles WHERE name = 'auditor'")).scalar_one() == 3
    finally:
        engine.dispose()


def test_an_enum_value_rows_still_hold_refuses_the_rollback_before_anything_runs(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # faraday's d350513b107e: ALTER TYPE ... ADD VALUE 'tag', then rows inserted holding it; the INSERT has
    # no reverse, so --skip-irreversible leaves the rows, and taking the value out of the type would fail
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('perm', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('action', sa.Enum('read', 'run', name='actions'), nullable=False))",
         "op.create_table('audit', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('action', sa.Enum('read', 'run', name='actions', create_type=False)))"],
        ["with op.get_context().autocommit_block():",
         "    op.execute(\"ALTER TYPE actions ADD VALUE 'tag'\")",
         "op.execute(\"INSERT INTO perm (action) VALUES ('tag'), ('tag'), ('read')\")",
         "op.execute(\"INSERT INTO audit (action) VALUES ('tag')\")"],
        # a table the rollback drops before it takes the value out: its rows are not in the way
        ["op.create_table('later', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('action', sa.Enum('read', 'run', 'tag', name='actions', create_type=False)))",
         "op.execute(\"INSERT INTO later (action) VALUES ('tag')\")"],
    ])
    with connected(url) as conn:
        ledger_rows = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {LEDGER_TABLE}").scalar()
    code, output = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss")
    assert code == 1, output
    assert "Traceback" not in output and "invalid input value" not in output, output
    lines = [line for line in output.splitlines() if "'tag'" in line]
    assert any("perm.action" in line and "2 rows" in line for line in lines), output
    assert any("audit.action" in line and "1 row" in line for line in lines), output
    assert "nothing was run or recorded" in output and "later" not in "".join(lines), output
    # nothing changed: the last revision's table is still there, the ledger has no new event
    assert "later" in table_names(url)
    with connected(url) as conn:
        assert conn.exec_driver_sql(f"SELECT COUNT(*) FROM {LEDGER_TABLE}").scalar() == ledger_rows
    # --sql counts as the run does (it reads only): refused alike
    code, sql_output = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--skip-irreversible", "--sql")
    assert code == 1 and "'tag'" in sql_output, sql_output

    # rows deleted: --sql prints the type made again, and the rollback goes to base
    with connected(url) as conn:
        conn.exec_driver_sql("DELETE FROM perm WHERE action = 'tag'")
        conn.exec_driver_sql("DELETE FROM audit")
        conn.commit()
    code, sql_output = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--skip-irreversible", "--sql")
    assert code == 0, sql_output
    assert "CREATE TYPE actions AS ENUM ('read', 'run')" in sql_output, sql_output
    code, output = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss")
    assert code == 0, output
    assert table_names(url) == []


def test_an_enum_value_rows_still_hold_refuses_the_rollback_of_an_imported_history(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # the same after import-alembic and apply: the imported ADD VALUE's reverse is counted alike
    from ledger.integrations.alembic_import import import_alembic
    from ledger.project.config import Config
    from ledger.run import apply as runner
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, [
        ["op.create_table('perm', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('action', sa.Enum('read', 'run', name='actions'), nullable=False))"],
        ["with op.get_context().autocommit_block():",
         "    op.execute(\"ALTER TYPE actions ADD VALUE 'tag'\")",
         "op.execute(\"INSERT INTO perm (action) VALUES ('tag'), ('read')\")"],
    ])
    result = import_alembic(folder, "postgresql", tmp_path / "imported", url=database_factory("postgresql"))
    assert result.problems == ()
    target = database_factory("postgresql")
    config = Config(project_dir=tmp_path, url=target, migrations=tmp_path / "imported")
    runner.apply(config)
    (tmp_path / "schema-ledger.toml").write_text('migrations = "imported"\n', encoding="utf-8")
    code, output = ledger_cli(target, tmp_path, "rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss")
    assert code == 1, output
    assert "'tag'" in output and "perm.action" in output and "1 row " in output, output
    assert "invalid input value" not in output, output
    assert table_names(target) == ["perm"]


def test_an_index_and_an_enum_renamed_in_sql_text_are_recorded_from_the_tables_they_change(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # fides renames its indexes and enums in op.execute text: the hook reads the catalog of the index's
    # table, and of the tables with a column of the type, not every table
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.execute(\"CREATE TYPE mood AS ENUM ('happy', 'sad')\")",
         "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True), sa.Column('a', sa.Integer))",
         "op.add_column('t', sa.Column('m', sa.Enum(name='mood')))",
         "op.create_table('u', sa.Column('id', sa.Integer, primary_key=True), sa.Column('ms', sa.Text))",
         "op.create_table('v', sa.Column('id', sa.Integer, primary_key=True), sa.Column('a', sa.Integer))",
         "op.create_index('ix_t_a', 't', ['a'])", "op.create_index('ix_v_a', 'v', ['a'])"],
        ["op.execute('ALTER INDEX ix_t_a RENAME TO ix_t_a2')",
         "op.execute('ALTER INDEX IF EXISTS public.ix_v_a RENAME TO ix_v_a2')",
         "op.execute('ALTER TYPE mood RENAME TO feeling')",
         "op.execute(\"ALTER TYPE feeling ADD VALUE 'bored'\")"],
    ])
    with connected(url) as conn:
        indexes = {name for (name,) in conn.exec_driver_sql("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
    assert {"ix_t_a2", "ix_v_a2"} <= indexes
    check_live_equals_fold(url)
    check_everything(tmp_path, url, database_factory, "postgresql")
