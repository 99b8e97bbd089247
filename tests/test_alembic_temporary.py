"""Temporary tables and views a data migration makes in SQL text (galaxy-data's 04288b6a5b25 on
SQLite): not in the database's schema, so nothing to undo for them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ops import ExecuteSQLOp

from ledger.integrations.alembic_sql import temporary_object

from tests.alembic_histories import (
    check_live_equals_fold,
    hook_events,
    ledger_cli,
    rollback_to_base,
    table_names,
    upgrade_with_hook,
)

_TABLE = ["op.create_table('items', sa.Column('id', sa.Integer, primary_key=True), sa.Column('score', sa.Integer))"]

#: each dialect's own spellings of a temporary object made and dropped
_OWN = {
    "sqlite": ["op.execute('CREATE TEMP VIEW tmp_view AS SELECT id FROM items')",
               "op.execute('DROP VIEW tmp_view')",
               "op.execute('CREATE TEMP TABLE IF NOT EXISTS tmp_t AS SELECT id FROM items')",
               "op.execute('DROP TABLE IF EXISTS tmp_t')"],
    "postgresql": ["op.execute('CREATE TEMP TABLE tmp_t (id INTEGER) ON COMMIT DROP')",
                   "op.execute('CREATE TEMPORARY VIEW tmp_view AS SELECT id FROM items')",
                   "op.execute('DROP VIEW IF EXISTS tmp_view')"],
    "mariadb": ["op.execute('CREATE TEMPORARY TABLE IF NOT EXISTS tmp_t (id INTEGER)')",
                "op.execute('DROP TEMPORARY TABLE IF EXISTS tmp_t')"],
}


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_temporary_objects_made_by_sql_text_need_nothing_undone(tmp_path: Path, db_url: str, dialect: str) -> None:
    """A statement that only makes or drops a temporary object is recorded as SQL whose reverse is
    nothing: a plain rollback to base passes it without --skip-irreversible."""
    upgrade_with_hook(tmp_path, db_url, [_TABLE, [
        "op.execute('CREATE TEMPORARY TABLE tmp_scores (id INTEGER, score INTEGER)')",
        "op.execute('DROP TABLE IF EXISTS tmp_scores')",
        *_OWN[dialect],
    ]])
    executed = [e.op for e in hook_events(db_url) if isinstance(e.op, ExecuteSQLOp)]
    assert len(executed) == 2 + len(_OWN[dialect])
    assert all(op.reversible for op in executed), [op.sqltext for op in executed if not op.reversible]
    code, out = ledger_cli(db_url, tmp_path, "rollback", "--to", "base", "-q")
    assert code == 0, out
    assert table_names(db_url) == []


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_a_data_migration_through_a_temporary_table_replays_and_rolls_back(
    tmp_path: Path, db_url: str, dialect: str
) -> None:
    """CREATE TEMPORARY TABLE, INSERT ... SELECT, UPDATE from it, DROP: only the data statements are
    irreversible; the fold sees no table from it, verify --live is clean, drill replays the revision."""
    upgrade_with_hook(tmp_path, db_url, [_TABLE, [
        "op.execute('INSERT INTO items (id, score) VALUES (1, 10), (2, 20)')",
        "op.execute('CREATE TEMPORARY TABLE tmp_scores (id INTEGER, score INTEGER)')",
        "op.execute('INSERT INTO tmp_scores (id, score) SELECT id, score * 2 FROM items')",
        "op.execute('UPDATE items SET score = (SELECT t.score FROM tmp_scores t WHERE t.id = items.id)')",
        # DDL while the temporary table exists: what is read back after it holds no temporary table
        "op.execute('ALTER TABLE items RENAME TO things')",
        "op.execute('CREATE INDEX ix_things_score ON things (score)')",
        "op.add_column('things', sa.Column('note', sa.String(20)))",
        "op.execute('DROP TABLE tmp_scores')",
        "op.create_table('after', sa.Column('id', sa.Integer, primary_key=True))",
    ]])
    executed = [op for op in (e.op for e in hook_events(db_url)) if isinstance(op, ExecuteSQLOp)]
    irreversible = [op.sqltext for op in executed if not op.reversible]
    assert irreversible and all(text.startswith(("INSERT", "UPDATE")) for text in irreversible), irreversible
    assert not any("tmp_scores" in str(e.op) for e in hook_events(db_url) if not isinstance(e.op, ExecuteSQLOp))
    assert not any("tmp_scores" in (e.message or "") for e in hook_events(db_url) if e.op is None)
    check_live_equals_fold(db_url)
    code, out = ledger_cli(db_url, tmp_path, "verify", "--live")
    assert code == 0, out
    code, out = ledger_cli(db_url, tmp_path, "drill", "--from-ledger", "--allow-irreversible", "--json", "-q")
    assert code == 0 and json.loads(out)["passed"], out
    rollback_to_base(db_url)
    assert table_names(db_url) == []


@pytest.mark.parametrize(("statement", "found"), [
    ("CREATE TEMP TABLE x AS SELECT 1", ("made", "x")),
    ("create global temporary table g (a int) on commit drop", ("made", "g")),
    ("CREATE TEMPORARY VIEW v AS SELECT 1", ("made", "v")),
    ("DROP TEMPORARY TABLE IF EXISTS t", ("dropped", "t")),
    ('-- gone\nDROP TABLE IF EXISTS "X"', ("drop", "x")),
    ("DROP TABLE s.x", None),
    ("DROP TABLE a, b", None),
    ("DROP TABLE x; DROP TABLE y", None),
    ("CREATE TABLE t (id INTEGER)", None),
    ("CREATE UNLOGGED TABLE t (id INTEGER)", None),
])
def test_what_a_statement_does_to_a_temporary_object(statement: str, found: tuple[str, str] | None) -> None:
    """Only a statement that makes or drops one table or view by an unqualified name is taken for one."""
    assert temporary_object(statement) == found
