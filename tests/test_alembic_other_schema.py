"""A history whose tables live in a schema of their own (dbos: CREATE SCHEMA dbos, then every
``op.create_table(..., schema="dbos")``): verify --live and materialize read that schema too, so its
tables are compared with the fold rather than reported missing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.alembic_histories import connected, ledger_cli, upgrade_with_hook

pytestmark = pytest.mark.postgresql

REVISIONS = [
    ["op.execute(sa.schema.CreateSchema(name='app', if_not_exists=True))",
     "op.create_table('runs', sa.Column('id', sa.Text(), primary_key=True), sa.Column('status', sa.Text()),"
     " schema='app')",
     "op.create_table('steps', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('run_id', sa.Text(), sa.ForeignKey('app.runs.id', ondelete='CASCADE')), schema='app')"],
    ["op.add_column('runs', sa.Column('priority', sa.Integer(), server_default=sa.text('0'), nullable=False),"
     " schema='app')",
     "op.create_index('runs_status_index', 'runs', ['status'], schema='app')",
     "op.rename_table('steps', 'run_steps', schema='app')"],
]


def test_tables_in_a_schema_the_history_made_are_compared_by_verify_and_materialize(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, REVISIONS)
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    assert "live schema" in out

    # a table changed behind the ledger's back in that schema is drift
    with connected(url) as conn:
        conn.execute(sa.text("ALTER TABLE app.runs ADD COLUMN note text"))
        conn.commit()
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 1 and "app.runs" in out and "note" in out, out

    scratch = database_factory("postgresql")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0 and "problem" not in out, out
    with connected(scratch) as conn:
        inspector = sa.inspect(conn)
        assert sorted(inspector.get_table_names(schema="app")) == ["run_steps", "runs"]
        assert [i["name"] for i in inspector.get_indexes("runs", schema="app")] == ["runs_status_index"]


def test_baseline_adopts_the_tables_of_a_schema_the_application_made(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # reana-db: its models make every table in the schema __reana (and Alembic's version table there)
    url = database_factory("postgresql")
    with connected(url) as conn:
        conn.execute(sa.text('CREATE SCHEMA "__reana"'))
        conn.execute(sa.text('CREATE TABLE "__reana".user_ (id_ uuid PRIMARY KEY, email text UNIQUE)'))
        conn.execute(sa.text('CREATE TABLE "__reana".workflow (id_ uuid PRIMARY KEY, '
                             'owner_id uuid REFERENCES "__reana".user_ (id_))'))
        conn.execute(sa.text('CREATE TABLE "__reana".alembic_version (version_num varchar(32) PRIMARY KEY)'))
        conn.commit()
    code, out = ledger_cli(url, tmp_path, "baseline", "-m", "made by reana-db's models")
    assert code == 0, out
    code, out = ledger_cli(url, tmp_path, "schema", "--format", "json")
    assert code == 0, out
    assert "workflow" in out and "user_" in out and "alembic_version" not in out, out
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    # the schema is made again with its tables
    scratch = database_factory("postgresql")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0 and "problem" not in out, out
    with connected(scratch) as conn:
        assert sorted(sa.inspect(conn).get_table_names(schema="__reana")) == ["user_", "workflow"]


def test_a_constraint_renamed_in_sql_text_in_a_schema_of_its_own_is_followed(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # reana-db's 2461610e9698: ALTER TABLE __reana.<table> RENAME CONSTRAINT <old> TO <new>, for each key
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.execute(sa.schema.CreateSchema(name='app', if_not_exists=True))",
         "op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True), schema='app')",
         "op.create_table('child', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('parent_id', sa.Integer(), sa.ForeignKey('app.parent.id')), schema='app')"],
        ["op.execute('ALTER TABLE app.child RENAME CONSTRAINT child_parent_id_fkey TO fk_child_parent_id_parent')",
         "op.execute('ALTER TABLE app.child RENAME CONSTRAINT child_pkey TO pk_child')"],
    ])
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out


def test_an_enum_type_swapped_under_columns_of_a_schema_of_their_own_is_followed(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # reana-db's 377cfbfccf75: the type (in the default schema) renamed away, made again with one more
    # value, the columns of __reana's tables moved to it in SQL text, the old type dropped
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.execute(sa.schema.CreateSchema(name='app', if_not_exists=True))",
         "op.create_table('rule', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('status', sa.Enum('created', 'active', name='rulestatus')), schema='app')"],
        ["op.execute('ALTER TYPE rulestatus RENAME TO rulestatus_tmp;')",
         "sa.Enum('created', 'active', 'pending', name='rulestatus').create(op.get_bind())",
         "op.execute('ALTER TABLE app.rule ALTER COLUMN status TYPE rulestatus USING status::text::rulestatus;')",
         "sa.Enum(name='rulestatus_tmp').drop(op.get_bind())"],
    ])
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    scratch = database_factory("postgresql")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0 and "problem" not in out, out
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "-q")
    assert code == 0, out
    with connected(url) as conn:
        assert sa.inspect(conn).get_table_names(schema="app") == []
