"""Each change of a ``batch_alter_table`` block is recorded, and imported, exactly once.

A block's queued operations belong to that block: a flush that fails (and a migration that
catches the error and goes on, as real histories do) leaves none of them for another block to
record, and what the failed flush ran is recorded as the table the database then holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.integrations.alembic_import import import_alembic
from ledger.project.config import Config
from ledger.run import apply as runner
from tests.alembic_histories import (
    check_live_equals_fold,
    connected,
    hook_events,
    run_alembic,
    upgrade_with_hook,
    write_env,
    write_history,
)

BATCH_DIALECTS = ("sqlite", "mariadb")

TABLES = [
    "op.create_table('secret', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)))",
    "op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True))",
]

#: a block whose flush fails (the unique constraint is not there), caught; then the same block,
#: emptied, adds a column: the failed flush's drop must not be recorded with that flush's statements
FLUSHED_AGAIN = [
    "try:",
    "    with op.batch_alter_table('secret') as batch_op:",
    "        batch_op.drop_constraint('no_such_key', type_='unique')",
    "except Exception:",
    "    pass",
    "batch_op.impl.batch[:] = []",
    "batch_op.add_column(sa.Column('label', sa.String(20)))",
    "batch_op.impl.flush()",
]


def _revision_ops(url: str, revision: str) -> list[str | None]:
    return [e.op_type for e in hook_events(url) if e.revision == revision]


@pytest.mark.parametrize("dialect", BATCH_DIALECTS)
def test_a_failed_flush_leaves_none_of_its_ops_to_a_later_flush(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory(dialect)
    ids = upgrade_with_hook(tmp_path, url, [TABLES, FLUSHED_AGAIN])
    assert _revision_ops(url, ids[1]) == ["add_column"]
    check_live_equals_fold(url)


@pytest.mark.parametrize("dialect", BATCH_DIALECTS)
def test_what_a_failed_flush_ran_is_recorded_once(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # The column is added, then the index on a column that is not there fails; the migration goes on.
    url = database_factory(dialect)
    ids = upgrade_with_hook(tmp_path, url, [TABLES, [
        "try:",
        "    with op.batch_alter_table('item') as batch_op:",
        "        batch_op.add_column(sa.Column('label', sa.String(20)))",
        "        batch_op.create_index('ix_item_nope', ['nope'])",
        "except sa.exc.DBAPIError:",
        "    pass",
        "with op.batch_alter_table('secret') as batch_op:",
        "    batch_op.add_column(sa.Column('note', sa.String(20)))",
    ]])
    with connected(url) as conn:
        assert [c["name"] for c in sa.inspect(conn).get_columns("item")] == ["id", "label"]
    assert _revision_ops(url, ids[1]) == ["add_column", "add_column"]
    check_live_equals_fold(url)


def test_an_imported_history_applies_each_change_of_a_block_once(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, [TABLES, FLUSHED_AGAIN])
    imported = tmp_path / "imported"
    assert import_alembic(folder, "sqlite", imported).problems == ()
    assert "ADD COLUMN" not in "".join(p.read_text(encoding="utf-8") for p in imported.glob("*.py"))
    alembic_url, ledger_url = database_factory("sqlite"), database_factory("sqlite")
    run_alembic(folder, alembic_url, "upgrade", "heads")
    runner.apply(Config(project_dir=tmp_path, url=ledger_url, migrations=imported))
    with connected(alembic_url) as a, connected(ledger_url) as b:
        assert [c["name"] for c in sa.inspect(b).get_columns("secret")] == \
            [c["name"] for c in sa.inspect(a).get_columns("secret")] == ["id", "name", "label"]
