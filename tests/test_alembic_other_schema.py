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
