"""A revision that works on every table it finds also finds the ledger's own table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.alembic_histories import check_everything, hook_events, upgrade_with_hook, write_env, write_history
from tests.test_alembic_import import _import_and_compare

#: as mcp-contextforge-gateway's n8h9i0j1k2l3: every index named ix_* of every table the inspector
#: lists is named idx_* instead (ALTER INDEX ... RENAME on PostgreSQL, dropped and made again elsewhere)
SWEEP = [
    ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)))",
     "op.create_index('ix_item_name', 'item', ['name'])"],
    ["bind = op.get_bind()",
     "inspector = sa.inspect(bind)",
     "for table in inspector.get_table_names():\n"
     "        for idx in inspector.get_indexes(table):\n"
     "            if not idx['name'].startswith('ix_'):\n"
     "                continue\n"
     "            if bind.dialect.name == 'postgresql':\n"
     "                op.execute(f\"ALTER INDEX {idx['name']} RENAME TO idx_{idx['name'][3:]}\")\n"
     "            else:\n"
     "                op.drop_index(idx['name'], table_name=table)\n"
     "                op.create_index('idx_' + idx['name'][3:], table, idx['column_names'])"],
]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_revision_that_changes_the_ledgers_own_table_records_no_op_of_it(
    tmp_path: Path, db_url: str, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """The ledger's table is not the application's schema: what a revision does to it runs as
    without the hook and is noted in the ledger, never recorded as an op or SQL a replay would run
    (a drill, a materialize, an imported revision applied where that table has other names)."""
    upgrade_with_hook(tmp_path, db_url, SWEEP)
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
