"""``status`` of a database migrated by Alembic with the hook after an ``alembic downgrade``: the
revision downgraded is out of effect (as ``history`` and Alembic's version table say), so the current
revision is the one below it, and no problem is reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.test_alembic_daily import MERGED, MERGED_DOWNGRADES, MERGED_HEADERS, _alembic, _ledger, _project, _versions


def test_status_after_an_alembic_downgrade_names_the_revision_left_current(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS, downgrades=MERGED_DOWNGRADES)
    url = database_factory(dialect)
    assert _alembic(folder, url, "upgrade", "heads").returncode == 0
    downgraded = _alembic(folder, url, "downgrade", "-1")
    assert downgraded.returncode == 0, downgraded.stderr
    assert _versions(url, "alembic_version") == ["m1"]

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
