"""A revision that works on every table it finds also finds the ledger's own table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.alembic_histories import check_everything, hook_events, run_alembic, write_env, write_history
from tests.test_alembic_import import _import_and_compare

#: as mcp-contextforge-gateway's n8h9i0j1k2l3, every index named ix_* is named idx_* instead, here
#: found by reading the catalog as SQL text (where the ledger's table is listed too): ALTER INDEX ...
#: RENAME on PostgreSQL, dropped and made again elsewhere
SWEEP = [
    ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)))",
     "op.create_index('ix_item_name', 'item', ['name'])"],
    ["bind = op.get_bind()",
     "if bind.dialect.name == 'postgresql':\n"
     "    rows = bind.exec_driver_sql(\"SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public'\")\n"
     "else:\n"
     "    rows = bind.exec_driver_sql(\"SELECT tbl_name, name FROM sqlite_master WHERE type = 'index'\")",
     "for table, name in sorted(rows):\n"
     "    if not name.startswith('ix_'):\n"
     "        continue\n"
     "    if bind.dialect.name == 'postgresql':\n"
     "        op.execute(f'ALTER INDEX {name} RENAME TO idx_{name[3:]}')\n"
     "    else:\n"
     "        columns = [r[2] for r in bind.exec_driver_sql(f'PRAGMA index_info({name})')]\n"
     "        op.drop_index(name, table_name=table)\n"
     "        op.create_index('idx_' + name[3:], table, columns)"],
]


def _two_runs(folder: Path, url: str) -> None:
    """The history upgraded in two runs: the ledger's table is there before the sweep runs."""
    ids = write_history(folder, SWEEP)
    run_alembic(folder, url, "upgrade", ids[0])
    run_alembic(folder, url, "upgrade", "head")


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_revision_that_changes_the_ledgers_own_table_records_no_op_of_it(
    tmp_path: Path, db_url: str, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """The ledger's table is not the application's schema: what a revision does to it runs as
    without the hook and is noted in the ledger, never recorded as an op or SQL a replay would run
    (a drill, a materialize, an imported revision applied where that table has other names)."""
    write_env(tmp_path / "alembic")
    _two_runs(tmp_path / "alembic", db_url)
    events = hook_events(db_url)
    assert not [e.message for e in events if e.op is not None and "schema_ledger" in repr(e.op)]
    assert [e for e in events if "schema-ledger's own table" in (e.message or "")]
    check_everything(tmp_path, db_url, database_factory, dialect)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_an_imported_revision_that_changes_the_ledgers_own_table_applies(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, SWEEP)
    _import_and_compare(folder, dialect, database_factory, tmp_path / "out")
