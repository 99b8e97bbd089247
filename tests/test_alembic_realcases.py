"""What real Alembic histories do, recorded by the hook so that rollback and drill work."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from click.testing import CliRunner

from ledger.cli import main
from tests.alembic_histories import (
    connected,
    check_everything,
    check_live_equals_fold,
    hook_events,
    ledger_cli,
    run_alembic,
    up_and_down,
    upgrade_with_hook,
    write_env,
    write_history,
)


def test_statements_with_expanding_in_lists_are_recorded_as_sql_that_runs_again(
    tmp_path: Path, db_url: str
) -> None:
    url = db_url
    upgrade_with_hook(tmp_path, url, [[
        "t = op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True),"
        " sa.Column('name', sa.String(20)), sa.Column('n', sa.Integer()))",
        "op.bulk_insert(t, [{'id': 1, 'name': 'x', 'n': 0}, {'id': 2, 'name': 'y', 'n': 0}])",
        "op.get_bind().execute(sa.text('UPDATE item SET n = n + 1 WHERE name IN :names')"
        ".bindparams(sa.bindparam('names', expanding=True)), {'names': ['x', 'y']})",
        "op.execute(t.update().where(t.c.name.in_(['x', 'z'])).values(n=t.c.n + 10))",
        "op.get_bind().execute(t.update().where(sa.or_(t.c.name.in_({'y'}), t.c.name == 'q')).values(n=t.c.n + 100))",
    ]])
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert len(texts) == 5 and "IN ('x', 'y')" in texts[2] and "('x', 'z')" in texts[3], texts
    assert "('y')" in texts[4], texts  # a set, as SQLAlchemy expands it
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            assert sorted(conn.execute(sa.text("SELECT name, n FROM item")).all()) == [("x", 11), ("y", 101)]
            for text in texts[2:]:  # the recorded SQL runs again and does the same
                conn.exec_driver_sql(text.replace("%", "%%") if "mysql" in url else text)
            assert sorted(conn.execute(sa.text("SELECT name, n FROM item")).all()) == [("x", 22), ("y", 202)]
    finally:
        engine.dispose()


def test_an_expanding_in_list_that_is_empty_is_recorded_as_sql_that_runs_again(tmp_path: Path, db_url: str) -> None:
    """As superset's 978245563a02 on an empty database: ``.filter(c.in_([])).delete()``; SQLAlchemy
    writes the empty list as its empty-set expression, and so does the recorded SQL."""
    url = db_url
    upgrade_with_hook(tmp_path, url, [[
        "t = op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Integer()))",
        "op.bulk_insert(t, [{'id': 1, 'n': 0}])",
        "op.get_bind().execute(t.delete().where(t.c.id.in_([])))",
        "op.get_bind().execute(t.update().where(t.c.id.not_in([])).values(n=5))",
    ]])
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert len(texts) == 3 and not any("cannot be rendered" in text for text in texts), texts
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE item SET n = 0")
            for text in texts[1:]:  # the recorded SQL runs again and does the same
                conn.exec_driver_sql(text.replace("%", "%%") if "mysql" in url else text)
            assert conn.execute(sa.text("SELECT id, n FROM item")).all() == [(1, 5)]
    finally:
        engine.dispose()


def test_postgresql_index_kinds_of_real_histories_roll_back(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    events = up_and_down(tmp_path, url, [
        ["from sqlalchemy.dialects import postgresql",
         "t = op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('data', postgresql.JSONB()), sa.Column('name', sa.Text()), sa.Column('n', sa.Integer()))",
         "op.create_index('ix_item_path', 'item', [t.c.data[('a', 'b')].astext])",
         "op.create_index('ix_item_path2', 'item', [sa.text(\"(data #>> '{a,b}')\")])",
         "op.create_index('ix_item_desc', 'item', [sa.text('n DESC')])",
         "op.create_index('ix_item_part', 'item', ['n'], postgresql_where=sa.text('n > 5'))",
         "op.create_index('ix_item_in', 'item', ['name'], postgresql_where=t.c.name.in_(['a', 'b']))"],
        ["with op.get_context().autocommit_block():",
         "    op.create_index('ix_item_n', 'item', ['n'], postgresql_concurrently=True)"],
        ["op.execute(\"ALTER TABLE item ADD COLUMN state text\")",
         "op.create_table('run', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('state', sa.Enum('a', 'b', name='run_state')))",
         "op.execute(\"ALTER TYPE run_state ADD VALUE 'c'\")",
         "op.execute(\"ALTER TYPE run_state RENAME VALUE 'a' TO 'aa'\")"],
    ])
    assert [e.op_type for e in events].count("create_index") == 6


def test_functions_and_triggers_written_as_sql_are_recorded_as_what_ran_and_nothing_else(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    from ledger.integrations.alembic_sql import changes_no_table

    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [[
        "op.create_table('runs', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Integer()),"
        " sa.CheckConstraint('n IN (1, 2)', name='ck_runs_n'))",
        "op.execute(\"CREATE OR REPLACE FUNCTION bump() RETURNS trigger AS $$ BEGIN NEW.n := NEW.n + 1; RETURN NEW; END;"
        " $$ LANGUAGE plpgsql\")",
        "op.execute('CREATE TRIGGER runs_bump BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION bump()')",
        "op.add_column('runs', sa.Column('m', sa.Integer()))",
    ]])
    events = hook_events(url)
    assert [e.op_type for e in events] == ["create_table", "execute", "execute", "add_column"]
    assert all(e.message.startswith("[schema SQL] op.execute: schema changed by SQL, not modelled")  # type: ignore[union-attr]
               for e in events[1:3])
    check_live_equals_fold(url)
    assert changes_no_table("DROP TRIGGER runs_bump ON runs") and not changes_no_table("DROP FUNCTION bump() CASCADE")


def test_a_list_or_dict_bound_to_a_json_column_is_recorded_as_one_json_literal_that_runs_again(
    tmp_path: Path, db_url: str
) -> None:
    url = db_url
    upgrade_with_hook(tmp_path, url, [[
        "op.create_table('role', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('perms', sa.JSON()))",
        "t = sa.table('role', sa.column('id', sa.Integer()), sa.column('perms', sa.JSON()))",
        "op.get_bind().execute(t.insert().values(id=1, perms=['flow:read', \"it's\"]))",
        "op.execute(t.insert().values(id=2, perms={'a': [1, 2]}))",
    ]])
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert len(texts) == 2, texts
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM role")
            for text in texts:  # the recorded SQL runs again and stores the same documents
                conn.exec_driver_sql(text.replace("%", "%%") if "mysql" in url else text)
            role = sa.table("role", sa.column("id", sa.Integer()), sa.column("perms", sa.JSON()))
            rows = conn.execute(sa.select(role.c.id, role.c.perms).order_by(role.c.id)).all()
            assert [tuple(r) for r in rows] == [(1, ["flow:read", "it's"]), (2, {"a": [1, 2]})]
    finally:
        engine.dispose()


def test_a_list_bound_to_a_pickle_column_is_recorded_as_the_bytes_the_type_sent(tmp_path: Path, db_url: str) -> None:
    """As mailman's 2156fc3f6f7d: ``UPDATE mailinglist SET dmarc_addresses=:p`` with ``[]`` bound to a
    ``PickleType`` column. What the database got is the pickled bytes, so that is the literal recorded
    (it was taken for an IN list, and ``SET dmarc_addresses=`` with nothing after it was recorded)."""
    url = db_url
    upgrade_with_hook(tmp_path, url, [[
        "op.create_table('mlist', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('addrs', sa.PickleType()))",
        "t = sa.table('mlist', sa.column('id', sa.Integer()), sa.column('addrs', sa.PickleType()))",
        "op.execute(t.insert().values(id=1, addrs=None))",
        "op.execute(t.update().values({'addrs': []}))",
        "op.get_bind().execute(t.insert().values(id=2, addrs=('a', 1)))",
        "op.execute(t.insert().values(id=3, addrs={'k': [1]}))",
    ]])
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert len(texts) == 4, texts
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM mlist")
            for text in texts:  # the recorded SQL runs again and stores the same pickles
                conn.exec_driver_sql(text.replace("%", "%%") if "mysql" in url else text)
            mlist = sa.table("mlist", sa.column("id", sa.Integer()), sa.column("addrs", sa.PickleType()))
            rows = conn.execute(sa.select(mlist.c.id, mlist.c.addrs).order_by(mlist.c.id)).all()
            assert [tuple(r) for r in rows] == [(1, []), (2, ("a", 1)), (3, {"k": [1]})]
    finally:
        engine.dispose()


TRIGGERS = {
    "postgresql": [
        ["op.execute(\"CREATE OR REPLACE FUNCTION copy_m() RETURNS trigger AS $$ BEGIN NEW.n := NEW.m; RETURN NEW; END;"
         " $$ LANGUAGE plpgsql\")",
         "op.execute('CREATE TRIGGER runs_copy BEFORE UPDATE OF m ON runs FOR EACH ROW EXECUTE FUNCTION copy_m()')"],
        ["op.execute('DROP TRIGGER IF EXISTS runs_copy ON runs')",
         "op.execute('CREATE TRIGGER runs_copy BEFORE INSERT OR UPDATE OF m ON runs FOR EACH ROW EXECUTE FUNCTION copy_m()')",
         "op.execute(\"CREATE OR REPLACE FUNCTION copy_m() RETURNS trigger AS $$ BEGIN NEW.n := NEW.m + 1; RETURN NEW;"
         " END; $$ LANGUAGE plpgsql\")"],
    ],
    "sqlite": [
        ["op.execute('CREATE TRIGGER runs_copy AFTER UPDATE OF m ON runs BEGIN UPDATE runs SET n = NEW.m WHERE id = NEW.id; END')"],
        ["op.execute('DROP TRIGGER IF EXISTS runs_copy')",
         "op.execute('CREATE TRIGGER \"runs_copy\" AFTER UPDATE OF m ON \"runs\" BEGIN UPDATE runs SET n = NEW.m + 1; END')"],
    ],
}


@pytest.mark.parametrize("dialect", sorted(TRIGGERS))
def test_triggers_and_functions_written_as_sql_are_rolled_back_before_the_columns_they_read(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    """A CREATE TRIGGER/FUNCTION is recorded with the DROP that reverses it; a DROP or a CREATE OR
    REPLACE with the definition the ledger held before, so rollback passes the columns they read."""
    url = database_factory(dialect)
    events = up_and_down(tmp_path, url, [
        ["op.create_table('runs', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Integer()))"],
        ["op.add_column('runs', sa.Column('m', sa.Integer()))"],
        *TRIGGERS[dialect],
    ])
    reverses = [e.op.reverse_sql for e in events if e.op_type == "execute"]  # type: ignore[union-attr]
    assert all(reverses), reverses
    assert reverses[-1].startswith("CREATE") if dialect == "postgresql" else reverses[-1].startswith("DROP TRIGGER")


def test_values_added_to_a_postgresql_enum_are_replayed_by_drill_and_rolled_back(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``ALTER TYPE ... ADD VALUE`` (outside a transaction, as Alembic runs it) is folded into the
    enum of each column that uses it; a replay adds the values in place and a rollback makes the
    type again without them."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('job', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('status', sa.Enum('queued', 'done', name='job_status'), server_default='queued'))"],
        ["with op.get_context().autocommit_block():",
         "    op.execute(\"ALTER TYPE job_status ADD VALUE IF NOT EXISTS 'suspended'\")",
         "    op.execute(\"ALTER TYPE job_status ADD VALUE 'new' BEFORE 'queued'\")"],
    ])
    check_live_equals_fold(url)
    config = tmp_path / "schema-ledger.toml"
    config.write_text('migrations = "no-migrations-folder"\n', encoding="utf-8")
    drill = CliRunner().invoke(main, ["--url", url, "--config", str(config), "drill", "--from-ledger", "--json", "-q"])
    assert drill.exit_code == 0 and json.loads(drill.output)["passed"], drill.output
    rollback = CliRunner().invoke(main, ["--url", url, "--config", str(config), "rollback", "--to", "base", "-q"])
    assert rollback.exit_code == 0, rollback.output
    check_live_equals_fold(url)


def test_an_index_a_column_makes_is_recorded_with_the_name_the_naming_convention_gave_it(
    tmp_path: Path, db_url: str
) -> None:
    """``Column(..., index=True)`` in ``op.create_table`` under the project's naming convention:
    the database holds ``idx_...`` (the convention's name), and so does the ledger."""
    folder = tmp_path / "alembic"
    write_env(folder, naming={'ix': 'idx_%(column_0_label)s'})
    write_history(folder, [[
        "op.create_table('revoked_token', sa.Column('jti', sa.String(32), primary_key=True),"
        " sa.Column('exp', sa.DateTime(), nullable=False, index=True))",
    ]])
    run_alembic(folder, db_url, "upgrade", "head")
    check_live_equals_fold(db_url)
    (event,) = [e for e in hook_events(db_url) if e.op_type == "create_table"]
    assert [i.name for i in event.op.table.indexes] == ["idx_revoked_token_exp"]  # type: ignore[union-attr]


def test_a_batch_rebuild_on_sqlite_is_recorded_as_the_table_it_made(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Alembic rebuilds a SQLite table in batch mode from its reflection, which reads the index
    ``(ti_id, id DESC)`` as ``(ti_id, id)``: the ledger records the index the database then holds."""
    url = database_factory("sqlite")
    events = up_and_down(tmp_path, url, [
        ["op.create_table('task_reschedule', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('ti_id', sa.String(36)))",
         "op.execute('CREATE INDEX idx_tr_ti_id_id_desc ON task_reschedule (ti_id, id DESC)')"],
        ["with op.batch_alter_table('task_reschedule') as batch_op:",
         "    batch_op.alter_column('ti_id', existing_type=sa.String(36), type_=sa.String(32))"],
    ])
    assert any((e.message or "").startswith("[adjusted] the batch rebuild of task_reschedule") for e in events), \
        [e.message for e in events]


def test_a_foreign_key_to_columns_a_unique_index_covers_is_recorded_as_an_op(tmp_path: Path, db_url: str) -> None:
    """Every database takes a foreign key to the columns of a unique index; so does the fold
    (airflow's asset_active refers to dataset(name, uri), unique by an index)."""
    events = up_and_down(tmp_path, db_url, [
        ["op.create_table('dataset', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('name', sa.String(150), nullable=False), sa.Column('uri', sa.String(150), nullable=False))",
         "op.create_index('idx_dataset_name_uri_unique', 'dataset', ['name', 'uri'], unique=True)"],
        ["op.create_table('asset_active', sa.Column('name', sa.String(150), nullable=False),"
         " sa.Column('uri', sa.String(150), nullable=False),"
         " sa.PrimaryKeyConstraint('name', 'uri', name='asset_active_pkey'),"
         " sa.ForeignKeyConstraint(['name', 'uri'], ['dataset.name', 'dataset.uri'],"
         " name='asset_active_name_uri_fkey', ondelete='CASCADE'))"],
    ])
    assert [e.op_type for e in events] == ["create_table", "create_index", "create_table"], \
        [e.message for e in events]


def test_a_table_rebuilt_by_sql_on_the_connection_is_recorded_once_as_what_each_statement_did(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """airflow's SQLite rebuild (``CREATE TABLE t_new``, copy, ``DROP TABLE t``, ``ALTER TABLE
    t_new RENAME TO t`` on ``op.get_bind()``): each statement is recorded as the change it made
    when it ran, the last as a rename; none is kept as SQL to run again over ops that made it."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('connection', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('conn_id', sa.String(250), nullable=False), sa.Column('extra', sa.Text()))"],
        ["conn = op.get_bind()",
         "conn.execute(sa.text('CREATE TABLE connection_new (id INTEGER NOT NULL, conn_id VARCHAR(250) NOT NULL,"
         " extra TEXT, CONSTRAINT connection_pkey PRIMARY KEY (id), CONSTRAINT connection_conn_id_uq UNIQUE (conn_id))'))",
         "conn.execute(sa.text('INSERT INTO connection_new SELECT id, conn_id, extra FROM connection'))",
         "conn.execute(sa.text('DROP TABLE connection'))",
         "conn.execute(sa.text('ALTER TABLE connection_new RENAME TO connection'))"],
    ])
    check_live_equals_fold(url)
    events = hook_events(url)
    assert [e.op_type for e in events] == ["create_table", "create_table", "execute", "drop_table", "rename_table"], \
        [e.message for e in events]


def test_a_rebuild_by_sql_of_a_table_other_tables_refer_to_keeps_their_foreign_keys(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``DROP TABLE`` of a table another table's foreign key refers to (SQLite keeps the key
    dangling) then a rename to its name: the key is recorded dropped, and again once the table is back."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('dag_run', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('state', sa.String(20)))",
         "op.create_table('ti', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('run_id', sa.Integer(),"
         " sa.ForeignKey('dag_run.id', name='ti_run_fkey')))"],
        ["conn = op.get_bind()",
         "conn.execute(sa.text('PRAGMA foreign_keys=off'))",
         "conn.execute(sa.text('CREATE TABLE dag_run_new (id INTEGER NOT NULL, state VARCHAR(50),"
         " CONSTRAINT dag_run_pkey PRIMARY KEY (id))'))",
         "conn.execute(sa.text('DROP TABLE dag_run'))",
         "conn.execute(sa.text('ALTER TABLE dag_run_new RENAME TO dag_run'))",
         "conn.execute(sa.text('PRAGMA foreign_keys=on'))"],
    ])
    check_live_equals_fold(url)
    events = hook_events(url)
    assert [e.op_type for e in events][2:] == ["create_table", "drop_constraint", "drop_table", "rename_table",
                                               "create_foreign_key"], [e.message for e in events]


def test_a_unique_declared_twice_alike_under_a_naming_convention_is_recorded_once(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """langflow's file table: ``Column(unique=True)`` and ``UniqueConstraint('name')`` named alike by
    the naming convention; then a batch rebuild drops it. Recorded as ops, never as Alembic's
    rebuild SQL (which an import would replay twice)."""
    url = database_factory("sqlite")
    folder = tmp_path / "alembic"
    write_env(folder, batch=True, naming={'uq': 'uq_%(table_name)s_%(column_0_name)s'})
    write_history(folder, [
        ["op.create_table('file', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('name', sa.String(20), nullable=False, unique=True), sa.Column('user_id', sa.Integer()),"
         " sa.UniqueConstraint('name'))"],
        ["with op.batch_alter_table('file', recreate='always') as batch_op:",
         "    batch_op.drop_constraint('uq_file_name', type_='unique')",
         "    batch_op.create_unique_constraint('file_name_user_id_key', ['name', 'user_id'])"],
    ])
    run_alembic(folder, url, "upgrade", "head")
    check_live_equals_fold(url)
    events = hook_events(url)
    assert "execute" not in [e.op_type for e in events], [e.message for e in events]


def test_a_unique_on_the_primary_key_columns_is_recorded_only_where_the_database_makes_it(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """mlflow's registered_models: ``Column(unique=True)`` on the primary key's column. PostgreSQL
    does not make a unique constraint that repeats the primary key in one CREATE TABLE; once the
    primary key moves to other columns, the fold must not hold a unique the database never had."""
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('model', sa.Column('name', sa.String(20), unique=True, nullable=False),"
         " sa.Column('ws', sa.String(20), nullable=False, server_default='x'),"
         " sa.PrimaryKeyConstraint('name', name='model_pk'))"],
        ["with op.batch_alter_table('model') as batch_op:",
         "    batch_op.drop_constraint('model_pk', type_='primary')",
         "    batch_op.create_primary_key('model_pk', ['ws', 'name'])"],
    ], batch=True)
    check_everything(tmp_path, url, database_factory, dialect)


def test_a_column_altered_from_one_enum_to_another_is_recorded_with_the_checks_alembic_swapped(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """mlflow's runs.status: ``alter_column(type_=Enum(..., native_enum=False), existing_type=Enum(...,
    name='status'))``. Alembic drops the CHECK of the existing type (MySQL/MariaDB keep it) and adds
    the one of the new type beside the ALTER; the fold follows the database, so verify is clean, the
    ledger materializes the same checks, and rollback takes the new CHECK away."""
    url = database_factory(dialect)
    enum = "sa.Enum({}, create_constraint=True, native_enum=False{})"
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('run', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('status', sa.String(20)),"
         " sa.CheckConstraint(\"status IN ('a', 'b')\", name='status'))"],
        ["with op.batch_alter_table('run') as batch_op:",
         "    batch_op.alter_column('status', type_=" + enum.format("'a', 'b', 'c'", "") + ", existing_type="
         + enum.format("'a', 'b'", ", name='status'") + ")"],
    ], batch=True)
    check_everything(tmp_path, url, database_factory, dialect)


def test_an_index_on_columns_in_descending_order_written_as_text_is_recorded_and_replayed(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """mlflow's idx_mcp_server_versions_latest: ``create_index(..., ['name', sa.text('major DESC')])``.
    A column with its order is a key part every database takes (MariaDB too, which has no
    expression indexes): the ledger materializes it, drills it and rolls it back."""
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('version', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('name', sa.String(40)), sa.Column('major', sa.Integer()), sa.Column('minor', sa.Integer()))",
         "op.create_index('ix_version_latest', 'version', ['name', sa.text('major DESC'), sa.text('minor ASC')])"],
    ])
    check_everything(tmp_path, url, database_factory, dialect)


def test_a_postgresql_enum_type_created_on_the_connection_is_recorded_with_its_drop_as_reverse(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """optuna's v3.0.0.c/d: ``sa.Enum(...).create(op.get_bind(), checkfirst=True)`` before a column of
    that type is added. The CREATE TYPE is schema DDL the fold holds no table for: recorded with
    ``DROP TYPE IF EXISTS`` as its reverse, so a rollback to base leaves no type behind."""
    url = database_factory("postgresql")
    up_and_down(tmp_path, url, [
        ["op.create_table('trial', sa.Column('id', sa.Integer(), primary_key=True))"],
        ["sa.Enum('FINITE', 'INF', name='valuetype').create(op.get_bind(), checkfirst=True)",
         "op.add_column('trial', sa.Column('value_type', sa.Enum('FINITE', 'INF', name='valuetype'), nullable=True))"],
        ["sa.Enum('A', 'B', name='unused').create(op.get_bind(), checkfirst=True)"],
    ])
    with connected(url) as conn:
        assert conn.exec_driver_sql("SELECT typname FROM pg_type WHERE typtype = 'e'").all() == []


def test_the_enum_type_an_array_column_makes_goes_with_the_rollback_of_its_table(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """datajunction's notificationpreferences: ``sa.ARRAY(sa.Enum(..., name='activitytype'))`` in
    a create_table makes the item's type too. Recorded with its DROP TYPE as reverse, a rollback to
    base leaves no type behind, so Alembic can upgrade the database again."""
    url = database_factory("postgresql")
    up_and_down(tmp_path, url, [
        ["op.create_table('prefs', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('kinds', sa.ARRAY(sa.Enum('CREATE', 'DELETE', name='activitytype')), nullable=False),"
         " sa.Column('entity', sa.Enum('NODE', 'TAG', name='entitytype'), nullable=False))"],
    ])
    with connected(url) as conn:
        assert conn.exec_driver_sql("SELECT typname FROM pg_type WHERE typtype = 'e'").all() == []


def test_a_check_declared_on_a_column_is_recorded_with_its_table_or_its_added_column(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """ckan's group.extras: ``op.add_column('group', sa.Column('extras', JSONB, sa.CheckConstraint(...,
    name='group_flat_extras')))``. The CHECK Alembic writes into the column's definition is in the
    fold, with a created table's column CHECKs alike: verify is clean, materialize makes them."""
    url = database_factory(dialect)
    # MariaDB takes no name in a column's CHECK clause (Alembic alone fails): it names them itself
    first, second = ("", "") if dialect == "mariadb" else (", name='item_n_positive'", ", name='item_m_small'")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True),"
         f" sa.Column('n', sa.Integer(), sa.CheckConstraint('n > 0'{first})))"],
        [f"op.add_column('item', sa.Column('m', sa.Integer(), sa.CheckConstraint('m < 100'{second}),"
         " nullable=True))"],
    ])
    check_everything(tmp_path, url, database_factory, dialect)


def test_a_function_made_in_the_same_sql_text_as_a_column_change_does_not_hide_the_change(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """As superset's cast_text_column_to_json: one text makes a function, then alters a column's
    type with it; the altered column is recorded (not only the function, which changes no table)."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('metrics', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('currency', sa.String(128)))"],
        ["op.get_bind().execute(sa.text('''\n"
         "CREATE OR REPLACE FUNCTION safe_to_jsonb(input text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$\n"
         "BEGIN RETURN input::jsonb; EXCEPTION WHEN invalid_text_representation THEN RETURN NULL; END;\n$$;\n\n"
         "ALTER TABLE metrics ALTER COLUMN currency TYPE jsonb USING safe_to_jsonb(currency);\n'''))"],
    ])
    check_live_equals_fold(url)


def test_a_partial_unique_index_on_an_expression_of_a_free_column_is_recorded(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """ckan's idx_only_one_active_email_no_case: ``create_index(..., [sa.func.lower(sa.Column('email'))],
    unique=True, postgresql_where=sa.text(...))``, the column not bound to the table Alembic made."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('user', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('email', sa.Text()),"
         " sa.Column('state', sa.Text()))",
         "op.create_index('ix_active_email', 'user', ['email', 'state'], unique=True,"
         " postgresql_where=sa.text('\"user\".state=\\'active\\''))"],
        ["op.create_index('ix_active_email_no_case', 'user', [sa.func.lower(sa.Column('email'))], unique=True,"
         " postgresql_where=sa.text('\"user\".state=\\'active\\''))",
         "op.drop_index('ix_active_email')"],
    ])
    check_everything(tmp_path, url, database_factory, "postgresql")


def test_on_mariadb_a_drop_index_of_a_unique_constraint_and_the_reverse_are_recorded_as_what_they_dropped(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """As superset's report_schedule: MariaDB keeps ``Column(unique=True)`` as the unique index ``name``,
    which a revision drops with ``op.drop_index("name")``; and a unique index dropped as a constraint."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('rs', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('name', sa.String(150), nullable=False, unique=True), sa.Column('type', sa.String(50)))",
         "op.create_unique_constraint('uq_rs_name', 'rs', ['name'])",
         "op.create_index('ix_rs_type', 'rs', ['type'], unique=True)"],
        ["op.drop_constraint('uq_rs_name', 'rs', type_='unique')", "op.drop_index(op.f('name'), table_name='rs')",
         "op.drop_constraint('ix_rs_type', 'rs', type_='unique')",
         "op.create_unique_constraint('uq_rs_name_type', 'rs', ['name', 'type'])"],
    ])
    assert not any(e.op_type == "execute" for e in hook_events(url))
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_on_mariadb_a_foreign_key_added_beside_another_on_its_columns_rolls_back(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """As superset's 32bf93dfe2a4 on flask_appbuilder's ab_user_role: a named foreign key added on
    role_id, which another foreign key already uses. InnoDB makes an index named after the new key
    and moves the other key onto it; dropping the new key leaves that index to the other key."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('ab_role', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.create_table('ab_user', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.create_table('ab_user_role', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('user_id', sa.Integer(), sa.ForeignKey('ab_user.id', ondelete='CASCADE')),"
         " sa.Column('role_id', sa.Integer(), sa.ForeignKey('ab_role.id', ondelete='CASCADE')),"
         " sa.UniqueConstraint('user_id', 'role_id'))"],
        ["op.create_foreign_key('ab_user_role_user_id_fkey', 'ab_user_role', 'ab_user', ['user_id'], ['id'],"
         " ondelete='CASCADE')",
         "op.create_foreign_key('ab_user_role_role_id_fkey', 'ab_user_role', 'ab_role', ['role_id'], ['id'],"
         " ondelete='CASCADE')"],
    ])
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_a_serial_column_turned_into_text_is_replayed_without_its_sequence_default(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """ckan's 016_uuids_everywhere: ``alter_column('package', 'id', type_=sa.UnicodeText,
    server_default=None)`` on a SERIAL id, then ``DROP SEQUENCE package_id_seq``. Replayed from the
    ledger (drill, an imported project's apply), the column loses the sequence's default as it did
    under Alembic, so the sequence can be dropped."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('package', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.Text()))"],
        ["op.alter_column('package', 'id', type_=sa.UnicodeText, server_default=None)",
         "op.execute(sa.schema.DropSequence(sa.schema.Sequence('package_id_seq')))"],
    ])
    check_live_equals_fold(url)
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--allow-irreversible", "--json", "-q")
    assert "cannot drop sequence" not in out, out
    report = json.loads(out)
    assert not report["failures"], out


def test_a_primary_key_dropped_by_another_name_where_the_database_names_none_is_the_tables(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """mlflow's 181f10493468 on MariaDB: ``batch_op.drop_constraint('metric_pk', type_='primary')`` on
    a primary key made without that name. MariaDB calls every primary key PRIMARY and drops the
    table's one whatever name is given: recorded as that drop, not as the block's SQL."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('metrics', sa.Column('key', sa.String(50), nullable=False),"
         " sa.Column('value', sa.Float(), nullable=False), sa.PrimaryKeyConstraint('key'))"],
        ["with op.batch_alter_table('metrics') as batch_op:",
         "    batch_op.alter_column('value', type_=sa.types.Float(precision=53), nullable=False)",
         "    batch_op.drop_constraint('metric_pk', type_='primary')",
         "    batch_op.create_primary_key('metric_pk', ['key', 'value'])"],
    ], batch=True)
    events = hook_events(url)
    assert "execute" not in [e.op_type for e in events], [e.message for e in events]
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_a_column_altered_to_a_named_enum_with_other_values_keeps_the_type_postgresql_holds(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """optuna's v1.2.0.a: ``alter_column('state', type_=sa.Enum(..., 'WAITING', name='trialstate'),
    existing_type=sa.Enum(..., name='trialstate'))``. PostgreSQL keeps the type trialstate as it is
    (ALTER COLUMN ... TYPE trialstate adds no value): the fold follows the database."""
    url = database_factory("postgresql")
    old, new = ("sa.Enum('RUNNING', 'COMPLETE'" + more + ", name='trialstate')" for more in ("", ", 'WAITING'"))
    upgrade_with_hook(tmp_path, url, [
        [f"op.create_table('trials', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('state', {old}))"],
        ["with op.batch_alter_table('trials') as batch_op:",
         f"    batch_op.alter_column('state', type_={new}, existing_type={old})"],
    ], batch=True)
    check_everything(tmp_path, url, database_factory, "postgresql")


def test_a_unique_index_dropped_as_a_unique_constraint_is_recorded_as_the_drop_of_that_index(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """mlflow's 1b5f0d9ad7c1 on MariaDB: the unique index unique_secret_name (``create_index(...,
    unique=True)``) is what MySQL/MariaDB's inspector reports as a unique constraint, and the
    migration drops it with ``drop_constraint(..., type_='unique')``. Recorded once, as the drop
    of the index the fold holds: never as SQL next to a re-synced drop (an import ran it twice)."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('secrets', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('secret_name', sa.String(50)))",
         "op.create_index('unique_secret_name', 'secrets', ['secret_name'], unique=True)"],
        ["op.drop_constraint('unique_secret_name', 'secrets', type_='unique')"],
    ])
    events = hook_events(url)
    assert [e.op_type for e in events] == ["create_table", "create_index", "drop_index"], [e.message for e in events]
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_a_mysql_trigger_with_an_if_block_is_one_statement_that_changes_no_table(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """mlflow's 1bd49d398cd23 on MariaDB: ``CREATE TRIGGER ... BEGIN IF ... THEN SIGNAL ...; END IF;
    END``. ``END IF`` closes the IF, not the body: the text is one trigger, recorded as itself, and
    nothing else is credited to it."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('secrets', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('secret_name', sa.String(50)))",
         "op.create_index('unique_secret_name', 'secrets', ['secret_name'], unique=True)"],
        ['op.execute("""CREATE TRIGGER keep_name BEFORE UPDATE ON secrets FOR EACH ROW BEGIN',
         "    IF OLD.secret_name != NEW.secret_name THEN",
         "        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'secret_name is immutable';",
         "    END IF;",
         'END;""")'],
    ])
    events = hook_events(url)
    assert [e.op_type for e in events] == ["create_table", "create_index", "execute"], [e.message for e in events]
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_an_index_expression_naming_its_own_table_replays_and_compares_equal(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """ckan's idx_user_name_index: ``sa.text('(CASE WHEN ("user".fullname IS NULL OR "user".fullname =
    \\'\\') THEN "user".name ELSE "user".fullname END)')``. PostgreSQL stores the expression without the
    table's name; the ledger's replay (drill, materialize) compares equal to it."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('user', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.Text()),"
         " sa.Column('fullname', sa.Text()))",
         "op.create_index('ix_user_name', 'user', [sa.text('(CASE WHEN (\"user\".fullname IS NULL OR"
         " \"user\".fullname = \\'\\') THEN \"user\".name ELSE \"user\".fullname END)')])"],
    ])
    check_everything(tmp_path, url, database_factory, "postgresql")


def test_a_unique_index_is_not_taken_for_a_dropped_one_when_the_live_table_is_read_on_mariadb(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """mlflow's model_definitions on MariaDB: a unique index (``create_index(..., unique=True)``), then
    an index on a foreign key's column and another, in one batch block. The hook reads the table back (InnoDB may drop the index it
    made for the key); MariaDB reports the unique index as a unique key, which is the same index:
    it is not recorded dropped. Only the index InnoDB made for the key (``secret_id``, after the
    key's column, held since the table was made) is, which it dropped once ``ix_defs_secret_id``
    served the key."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('secrets', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.create_table('defs', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(50)),"
         " sa.Column('secret_id', sa.Integer(), sa.ForeignKey('secrets.id')),"
         " sa.Column('provider', sa.String(50)))",
         "with op.batch_alter_table('defs') as batch_op:",
         "    batch_op.create_index('unique_def_name', ['name'], unique=True)",
         "    batch_op.create_index('ix_defs_secret_id', ['secret_id'])",
         "    batch_op.create_index('ix_defs_provider', ['provider'])"],
    ], batch=True)
    events = hook_events(url)
    assert [e.op.index_name for e in events if e.op_type == "drop_index"] == ["secret_id"], \
        [e.message for e in events]  # type: ignore[union-attr]
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_a_constraint_dropped_by_the_name_the_naming_convention_was_given_is_dropped_as_the_database_named_it(
    tmp_path: Path, db_url: str
) -> None:
    """phoenix's users table: a convention whose CHECK template holds ``%(constraint_name)s``
    names ``CheckConstraint(..., name='positive')`` ``ck_item_positive`` in the database, and
    ``drop_constraint('positive', type_='check')`` drops that one (SQLAlchemy applies the convention
    to the name given, as it did when the constraint was made): so does the ledger, recording an
    ordinary reversible drop, not the block's statements as SQL it does not follow."""
    folder = tmp_path / "alembic"
    write_env(folder, batch=True, naming={'ck': 'ck_%(table_name)s_`%(constraint_name)s`'})
    write_history(folder, [
        ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Integer()),"
         " sa.CheckConstraint('n > 0', name='positive'))"],
        ["with op.batch_alter_table('item') as batch_op:",
         "    batch_op.add_column(sa.Column('m', sa.Integer()))",
         "    batch_op.drop_constraint('positive', type_='check')",
         "    batch_op.create_index('ix_item_m', ['m'])"],
    ])
    run_alembic(folder, db_url, "upgrade", "head")
    check_live_equals_fold(db_url)
    events = hook_events(db_url)
    assert "execute" not in [e.op_type for e in events], [e.message for e in events]
    (drop,) = [e for e in events if e.op_type == "drop_constraint"]
    assert drop.op.constraint_name == "ck_item_`positive`"  # type: ignore[union-attr]


def test_sql_naming_a_table_by_the_default_schema_changes_the_table_the_ledger_holds_unqualified(
    tmp_path: Path, db_url: str
) -> None:
    """alembic-postgresql-enum's sync_enum_values (dstack) writes ``ALTER TABLE "public"."item"
    ...``: the default schema named, the very table made without a schema. Recorded as the change
    of that table, not as a second table ``public.item`` (which verify then finds missing live)."""
    events = up_and_down(tmp_path, db_url, [
        ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Integer()))"],
        ["bind = op.get_bind()",
         "schema = bind.dialect.identifier_preparer.quote(bind.dialect.default_schema_name)",
         "op.execute(f'ALTER TABLE {schema}.item ADD COLUMN m INTEGER')",
         "op.execute(f'CREATE INDEX ix_item_m ON {schema}.item (m)' if bind.dialect.name == 'postgresql'"
         " else f'CREATE INDEX ix_item_m ON item (m)')"],
    ])
    assert [(e.op_type, getattr(e.op, "schema", None)) for e in events if e.op is not None] == [
        ("create_table", None), ("add_column", None), ("create_index", None)], [e.message for e in events]


def test_a_json_path_is_recorded_as_the_one_literal_it_is(tmp_path: Path, db_url: str) -> None:
    """phoenix's 3be8647b87d8: ``update(t).values(n=t.c.doc[['a', 'b']].as_float())`` binds the path
    as a list; it is one literal (``'{a, b}'`` on PostgreSQL, ``'$."a"."b"'`` elsewhere), not a list
    of values, so the recorded SQL runs again."""
    url = db_url
    upgrade_with_hook(tmp_path, url, [[
        "t = op.create_table('doc', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('body', sa.JSON()),"
        " sa.Column('n', sa.Float()))",
        "op.bulk_insert(t, [{'id': 1, 'body': {'a': {'b': 5}}, 'n': None}])",
        "op.execute(t.update().values(n=t.c.body[['a', 'b']].as_float()))",
    ]])
    (text,) = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute" and "UPDATE" in e.op.sqltext]  # type: ignore[union-attr]
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT n FROM doc")).scalar() == 5
        conn.execute(sa.text("UPDATE doc SET n = NULL"))
        conn.exec_driver_sql(text.replace("%", "%%") if "mysql" in url else text)
        assert conn.execute(sa.text("SELECT n FROM doc")).scalar() == 5


def test_a_table_declaring_an_enum_type_that_exists_gets_that_type_as_the_database_holds_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """dstack's instances table declares ``Enum(..., name='backendtype')`` with more values than the
    type backendtype that an earlier table made; PostgreSQL keeps the existing type (SQLAlchemy
    creates a named ENUM only when it is not there), so the column has its values. Recorded so, a
    drill replays each revision to the schema the database held after it."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('backends', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('type', sa.Enum('AWS', 'GCP', name='backendtype')))"],
        ["op.create_table('instances', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('backend', sa.Enum('AWS', 'GCP', 'LOCAL', name='backendtype')))",
         "op.add_column('backends', sa.Column('spare', sa.Enum('AWS', 'GCP', 'VAST', name='backendtype')))"],
    ])
    check_everything(tmp_path, url, database_factory, "postgresql")


@pytest.mark.parametrize("drop", ["op.drop_column('job', 'error')", "op.drop_table('job')"])
@pytest.mark.parametrize("drop_type", ["op.execute('DROP TYPE joberrorcode')", "op.execute('drop type joberrorcode')",
                                       "sa.Enum(name='joberrorcode').drop(op.get_bind())"])
def test_a_postgresql_enum_type_outlives_its_last_column_until_drop_type(
    tmp_path: Path, database_factory: Callable[[str], str], drop: str, drop_type: str
) -> None:
    """dstack's fixes_for_psql: the last column of a named ENUM goes, and a later revision drops the
    type. PostgreSQL keeps a type until DROP TYPE: the ledger holds it as long, so a replay runs the
    DROP TYPE on a type that is there, and a rollback makes it again with its values."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('job', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('error', sa.Enum('FAILED', 'STOPPED', name='joberrorcode')))"],
        [drop],
        [drop_type],
    ])
    _everything_and_imported(tmp_path, url, database_factory)


def test_a_postgresql_enum_type_renamed_by_sql_is_held_by_its_new_name(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """alembic-postgresql-enum's sync_enum_values: the type is renamed, made again with other values,
    the column moved to it, and the renamed one dropped. The ledger holds the renamed type by its
    new name (made before the column follows it, the old name dropped after)."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('job', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('status', sa.Enum('A', 'B', name='jobstatus')))"],
        ["op.execute('ALTER TYPE jobstatus RENAME TO jobstatus_old')",
         "op.execute(\"CREATE TYPE jobstatus AS ENUM ('A', 'B', 'C')\")",
         "op.execute('ALTER TABLE job ALTER COLUMN status TYPE jobstatus USING status::text::jobstatus')",
         "op.execute('DROP TYPE jobstatus_old')"],
        ["op.drop_table('job')", "op.execute('DROP TYPE jobstatus')"],
    ])
    _everything_and_imported(tmp_path, url, database_factory)


def _everything_and_imported(tmp_path: Path, url: str, database_factory: Callable[[str], str]) -> None:
    """check_everything, no type left after the rollback, and the imported history applied to a new
    database, verified, rolled back to base and applied again."""
    check_everything(tmp_path, url, database_factory, "postgresql")
    with connected(url) as conn:
        assert conn.exec_driver_sql("SELECT typname FROM pg_type WHERE typtype = 'e'").all() == []
    imported = CliRunner().invoke(main, ["import-alembic", str(tmp_path / "alembic"), "--dialect", "postgresql",
                                         "--into", str(tmp_path / "imported"), "--scratch-url", database_factory("postgresql")])
    assert imported.exit_code == 0, imported.output
    fresh, config = database_factory("postgresql"), tmp_path / "imported.toml"
    config.write_text(f'migrations = "{tmp_path / "imported"}"\n', encoding="utf-8")
    for args in (["apply", "-q"], ["verify", "--live"], ["rollback", "--to", "base", "-q"], ["apply", "-q"]):
        result = CliRunner().invoke(main, ["--url", fresh, "--config", str(config), *args])
        assert result.exit_code == 0, (args, result.output)


#: a revision that makes its tables on another connection of its engine, as manila's initial
#: revision does (``migrate_engine = op.get_bind().engine``, ``table.create(conn)`` in
#: ``migrate_engine.begin()``), then one that adds a column to one of them
ELSEWHERE = [
    ["meta = sa.MetaData()",
     "parent = sa.Table('parent', meta, sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)))",
     "child = sa.Table('child', meta, sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('parent_id', sa.Integer(), sa.ForeignKey('parent.id')), sa.Index('ix_child_parent', 'parent_id'))",
     "with op.get_bind().engine.begin() as conn:",
     "    for table in (parent, child):",
     "        table.create(conn, checkfirst=True)"],
    ["op.add_column('child', sa.Column('note', sa.String(40)))"],
]


def test_tables_a_revision_makes_on_another_connection_of_its_engine_are_recorded_by_that_revision(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """The hook listens to the migration's engine: DDL another of its connections runs is recorded
    when the revision ends (that connection has committed by then), as the ops that lead the fold
    to the live tables, credited to that revision; the next revision's op on them is an op."""
    url = database_factory(dialect)
    ids = upgrade_with_hook(tmp_path, url, ELSEWHERE)
    events = hook_events(url)
    made = {e.op.table.name: e.revision for e in events if e.op_type == "create_table"}  # type: ignore[union-attr]
    assert made == {"parent": ids[0], "child": ids[0]}, [e.message for e in events]
    assert not any(e.op_type == "execute" for e in events), [e.message for e in events]
    assert [e.op_type for e in events if e.revision == ids[1]] == ["add_column"]
    check_everything(tmp_path, url, database_factory, dialect)


@pytest.mark.postgresql
def test_an_empty_schema_name_is_the_default_schema(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    """As rucio: ``add_column(..., schema='')`` and the other ops given an empty schema name (its
    ``version_table_schema`` when none is set), which SQLAlchemy and Alembic write as no schema, are
    recorded exactly as the ops on the default schema, once, and imported so."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('rules', sa.Column('id', sa.Integer(), primary_key=True), schema='')"],
        ["op.add_column('rules', sa.Column('deleted_at', sa.DateTime()), schema='')",
         "op.create_index('ix_rules_deleted_at', 'rules', ['deleted_at'], schema='')",
         "op.create_check_constraint('rules_id_chk', 'rules', 'id > 0', schema='')"],
    ])
    events = hook_events(url)
    assert [(e.op_type, e.message.startswith("[")) for e in events] == [
        ("create_table", False), ("add_column", False), ("create_index", False), ("create_check_constraint", False)]
    _everything_and_imported(tmp_path, url, database_factory)


def test_a_column_renamed_by_sql_is_recorded_as_the_rename_so_a_rollback_keeps_its_data(
    tmp_path: Path, db_url: str
) -> None:
    """``ALTER TABLE t RENAME COLUMN a TO b`` (PostgreSQL, SQLite, MariaDB) is a rename: as the
    drop and add a diff sees, the rollback would drop the column with its data."""
    ids = upgrade_with_hook(tmp_path, db_url, [
        ["op.create_table('person', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('nick', sa.String(30)))",
         "op.execute(\"INSERT INTO person (id, nick) VALUES (1, 'ann')\")"],
        ["op.execute('ALTER TABLE person RENAME COLUMN nick TO nickname')"],
    ])
    check_live_equals_fold(db_url)
    assert [e.op_type for e in hook_events(db_url)][-1:] == ["alter_column"]
    code, output = ledger_cli(db_url, tmp_path, "rollback", "--to", ids[0], "-q")
    assert code == 0, output
    with connected(db_url) as conn:
        assert conn.exec_driver_sql("SELECT nick FROM person").scalars().all() == ["ann"]
