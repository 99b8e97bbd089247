"""On PostgreSQL the hook reads no table back after a ``drop_column`` whose column indexes and
constraints use: ``DROP COLUMN`` drops each of them whole, as the fold's drop does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ledger.integrations.alembic.fallback import FollowsLive
from tests.alembic_histories import check_live_equals_fold, hook_events, upgrade_with_hook

pytestmark = pytest.mark.postgresql

_MADE = [
    "op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True))",
    "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('a', sa.Integer()),"
    " sa.Column('b', sa.Integer()), sa.Column('c', sa.Integer()), sa.Column('p', sa.Integer()),"
    " sa.UniqueConstraint('b', 'c', name='uq_t_b_c'), sa.CheckConstraint('a < b', name='ck_t_a_b'),"
    " sa.ForeignKeyConstraint(['p'], ['parent.id'], name='fk_t_p'))",
    "op.create_index('ix_t_a_b', 't', ['a', 'b'])",
    "op.create_index('ix_t_c', 't', ['c'], postgresql_where=sa.text('b > 0'))",
]


@pytest.mark.parametrize("batch", [False, True])
def test_a_dropped_column_with_dependents_is_recorded_without_reading_the_table(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch, batch: bool
) -> None:
    url = database_factory("postgresql")
    reads: list[Any] = []
    follow = FollowsLive._follow_live

    def counted(self: Any, table: Any, *args: Any, **kw: Any) -> Any:
        reads.append(table)
        return follow(self, table, *args, **kw)

    monkeypatch.setattr(FollowsLive, "_follow_live", counted)
    drops = (["with op.batch_alter_table('t') as b:", "    b.drop_column('b')", "    b.drop_column('p')"]
             if batch else ["op.drop_column('t', 'b')", "op.drop_column('t', 'p')"])
    upgrade_with_hook(tmp_path, url, [_MADE, drops])
    assert reads == []
    check_live_equals_fold(url)
    dropped = [e.op for e in hook_events(url) if e.op_type == "drop_column"]
    assert [op.column_name for op in dropped] == ["b", "p"]
    assert sorted(d.describe() for d in dropped[0]._dependents) == [
        "drop check constraint ck_t_a_b on t", "drop index ix_t_a_b on t", "drop index ix_t_c on t",
        "drop unique constraint uq_t_b_c on t"]
    assert [d.describe() for d in dropped[1]._dependents] == ["drop foreignkey constraint fk_t_p on t"]
