"""A SQLite virtual table made as SQL text (tiled's catalog: an external-content FTS5 table over a
table's column, kept in step by triggers): recorded as the statement it is, undone by dropping it,
and neither it nor the shadow tables its module makes are read as tables of the schema (their
columns have no type, which the ledger could not store)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

import ops as lops
from tests.alembic_histories import check_everything, connected, hook_events, upgrade_with_hook

FTS = "CREATE VIRTUAL TABLE metadata_fts5 USING fts5(metadata, content='nodes', content_rowid='id');"
TRIGGER = ("CREATE TRIGGER nodes_metadata_fts5_sync_ai AFTER INSERT ON nodes BEGIN "
           "INSERT INTO metadata_fts5(rowid, metadata) VALUES (new.id, new.metadata); END;")


def test_a_virtual_table_made_as_sql_text_is_recorded_as_that_statement(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('nodes', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('metadata', sa.Text()))"],
        [f"op.execute(sa.text({FTS!r}))",
         f"op.execute(sa.text({TRIGGER!r}))",
         "op.add_column('nodes', sa.Column('name', sa.Text()))"],
    ])
    with connected(url) as conn:
        conn.execute(sa.text("INSERT INTO nodes (metadata) VALUES ('a searchable text')"))
        conn.commit()
        assert conn.execute(sa.text("SELECT count(*) FROM metadata_fts5 WHERE metadata_fts5 MATCH 'searchable'")
                            ).scalar() == 1
        conn.execute(sa.text("DELETE FROM nodes"))
        conn.commit()
    made = [e.op for e in hook_events(url) if isinstance(e.op, lops.ExecuteSQLOp) and "VIRTUAL" in e.op.sqltext]
    assert [op.reverse_sql for op in made] == ["DROP TABLE IF EXISTS metadata_fts5"]
    tables = {e.op.table_name for e in hook_events(url) if isinstance(e.op, lops.CreateTableOp)}
    assert tables == {"nodes"}
    check_everything(tmp_path, url, database_factory, "sqlite")
