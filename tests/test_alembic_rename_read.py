"""On PostgreSQL the hook reads no plain table back after ``ALTER TABLE a RENAME TO b`` run as SQL
text: the table is renamed alone, as the fold's rename does (as ``op.rename_table`` is recorded)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ledger.schema.reflect as reflecting
from tests.alembic_histories import check_live_equals_fold, hook_events, upgrade_with_hook

pytestmark = pytest.mark.postgresql


def test_a_plain_table_renamed_by_sql_text_is_recorded_without_reading_it_back(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_factory("postgresql")
    reads: list[Any] = []
    whole = reflecting.reflect

    def counted(*args: Any, **kw: Any) -> Any:
        reads.append(sorted(kw.get("held") or kw.get("only") or ["(every table)"]))
        return whole(*args, **kw)

    monkeypatch.setattr(reflecting, "reflect", counted)  # what a read-back reads
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Integer()),"
         " sa.CheckConstraint('n > 0', name='ck_parent_n'))",
         "op.create_index('ix_parent_n', 'parent', ['n'])",
         "op.create_table('child', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('parent_id', sa.Integer(), sa.ForeignKey('parent.id', name='fk_child_parent')))"],
        ["op.execute('ALTER TABLE parent RENAME TO elder')"],
        ["op.execute('ALTER TABLE elder RENAME TO \"Elder\"')"],
    ])
    # renamed to a bare name: nothing read back; to a name kept as quoted: read back as before
    assert reads and all(names == ["Elder"] for names in reads)
    renamed = [e.op for e in hook_events(url) if e.op_type == "rename_table"]
    assert [(op.old_table_name, op.new_table_name) for op in renamed] == [
        ("parent", "elder"), ("elder", "Elder")]
    check_live_equals_fold(url)
