"""``DROP TABLE IF EXISTS t`` as SQL text, of a table neither the ledger nor the database holds (nostr-relay's
initial revision drops the tables of its older versions so before it makes its own): the database did nothing,
so the hook records nothing of it, as of a ``CREATE INDEX IF NOT EXISTS`` of an index that is there. Before, it
was recorded as an irreversible ``execute`` event, so a plain rollback stopped there and the drill named the
revision as a data change. A drop of a table the ledger holds is still recorded as that table's drop."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.alembic_histories import check_live_equals_fold, hook_events, rollback_to_base, table_names, upgrade_with_hook

BODIES = [
    ["op.execute('DROP TABLE IF EXISTS tags')",
     "op.execute('DROP TABLE IF EXISTS events')",
     "op.create_table('events', sa.Column('id', sa.Integer(), primary_key=True))",
     "op.create_table('old', sa.Column('id', sa.Integer(), primary_key=True))"],
    ["op.execute('DROP TABLE IF EXISTS old')"],
]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_a_drop_if_exists_of_a_table_nobody_holds_is_not_recorded(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, BODIES)
    check_live_equals_fold(url)
    events = hook_events(url)
    assert [(e.revision, e.op_type, getattr(e.op, "table_name", None)) for e in events] == [
        ("0001aa", "create_table", "events"), ("0001aa", "create_table", "old"), ("0002aa", "drop_table", "old")]
    assert all(e.op.reversible for e in events)  # type: ignore[union-attr]
    reverts = rollback_to_base(url)  # a plain rollback: nothing irreversible on the way
    assert len(reverts) == 3 and table_names(url) == []
