"""An index on a materialized view (PostgreSQL): datanommer's f4fdb5442d05 makes a view with
``op.execute`` and indexes it with ``op.create_index``. The fold holds no views, so the index is
SQL it does not model, recorded with its reverse (the view's own reverse drops the view): not marked
for re-sync as if the ledger had lost a table, and a rollback passes it without
``--skip-irreversible``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.alembic_histories import check_everything, connected, hook_events, upgrade_with_hook

import sqlalchemy as sa


def test_an_index_on_a_materialized_view_is_recorded_with_its_reverse(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('messages', sa.Column('id', sa.Integer(), primary_key=True),",
         "    sa.Column('topic', sa.String(50)))"],
        ["op.execute('CREATE MATERIALIZED VIEW IF NOT EXISTS recent_topics AS '",
         "           'SELECT topic, count(*) AS message_count FROM messages GROUP BY topic')",
         "op.create_index('uq_recent_topics_topic', 'recent_topics', ['topic'], unique=True, if_not_exists=True)",
         "op.execute('CREATE INDEX ix_recent_topics_message_count ON recent_topics (message_count)')"],
    ])
    executed = [e for e in hook_events(url) if e.op_type == "execute"]
    assert len(executed) == 3
    assert all("[needs re-sync]" not in (e.message or "") and e.op.reverse_sql for e in executed), \
        [(e.message, e.payload) for e in executed]
    check_everything(tmp_path, url, database_factory, "postgresql")
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM pg_matviews")).scalar() == 0
