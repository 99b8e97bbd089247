"""What real Alembic histories do, recorded by the hook so that rollback and drill work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from tests.alembic_histories import (
    check_live_equals_fold,
    hook_events,
    up_and_down,
    upgrade_with_hook,
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
