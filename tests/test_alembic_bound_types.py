"""A bound value that its column type turns into what the driver is sent (mailman's 2156fc3f6f7d sets a
``PickleType`` column to ``[]``): the statement is recorded with the literal of what the driver was
sent (the pickled bytes), never as the empty list written out as a list of values (``SET c=``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.alembic_histories import connected, hook_events, ledger_cli, upgrade_with_hook


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_a_list_bound_to_a_pickle_column_is_recorded_as_what_the_driver_was_sent(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('mailinglist', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.execute(\"INSERT INTO mailinglist (id) VALUES (1)\")"],
        ["op.add_column('mailinglist', sa.Column('dmarc_addresses', sa.PickleType()))",
         "mlist = sa.sql.table('mailinglist', sa.sql.column('dmarc_addresses', sa.PickleType))",
         "op.execute(mlist.update().values({'dmarc_addresses': []}))"],
    ])
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert len(texts) == 2 and not texts[1].rstrip().endswith("="), texts
    with connected(url) as conn:
        stored = conn.execute(sa.text("SELECT dmarc_addresses FROM mailinglist")).scalar()
        conn.execute(sa.text("UPDATE mailinglist SET dmarc_addresses = NULL"))
        conn.execute(sa.text(texts[1]))  # the recorded statement runs and stores what the migration stored
        assert conn.execute(sa.text("SELECT dmarc_addresses FROM mailinglist")).scalar() == stored
        conn.commit()
    # the drill replays the ledger on a scratch database, the UPDATE included (data changes have no reverse)
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--json", "-q", "--allow-irreversible")
    assert code == 0 and json.loads(out)["passed"], out
