"""``status`` of a database migrated by Alembic with the hook after an ``alembic downgrade``: the
revision downgraded is out of effect (as ``history`` and Alembic's version table say), so the current
revision is the one below it, and no problem is reported."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_alembic_daily import _alembic, _ledger


def test_status_after_an_alembic_downgrade_names_the_revision_left_current(
    alembic_downgraded: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = alembic_downgraded

    shown = _ledger(tmp_path, url, "status")  # no migrations folder: the revisions are the ledger's
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "current    m1" in shown.stdout and "problem" not in shown.stderr, shown.stdout + shown.stderr
    as_json = _ledger(tmp_path, url, "status", "--json")
    assert as_json.returncode == 0, as_json.stdout + as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["current"] == "m1" and report["problems"] == [], report
    history = _ledger(tmp_path, url, "history")
    assert history.returncode == 0 and "r5" not in history.stdout, history.stdout

    # upgraded again: r5 is current once more
    assert _alembic(folder, url, "upgrade", "heads").returncode == 0
    again = _ledger(tmp_path, url, "status")
    assert again.returncode == 0 and "current    r5" in again.stdout, again.stdout + again.stderr
