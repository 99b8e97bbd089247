"""The audit report of a database migrated by Alembic with the hook: one upgrade of a revision is
one run (the hook's notes before a message, "[data change] ...", and the revision's ``alembic``
event with it), of kind apply, whose change holds every op the revision recorded."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from tests import browser as chromium
from tests.test_alembic_daily import _alembic, _ledger, _project
from tests import test_report
from tests.test_report import _open, _text, _view

browser = test_report.browser  # the report tests' browser fixture, shared

REVISIONS = {
    "r1": (None, '''op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True))'''),
    "r2": ("r1", '''\
        op.execute("CREATE INDEX ix_shop_id ON shop (id)")
        op.add_column("shop", sa.Column("city", sa.String(40)))
        op.execute("INSERT INTO shop (id, city) VALUES (1, 'Oslo')")
        op.create_index("ix_shop_city", "shop", ["city"])
    '''),
}


def _data(page: Path) -> dict:
    found = re.search(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', page.read_text("utf-8"), re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_one_alembic_upgrade_of_a_revision_is_one_apply_run_holding_all_its_ops(
    dialect: str, database_factory: Callable[[str], str], browser: chromium.Browser, tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic", revisions=REVISIONS)
    url = database_factory(dialect)
    upgraded = _alembic(folder, url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    log = json.loads(_ledger(tmp_path, url, "log", "--json").stdout)
    mine = [e for e in log if e["revision"] == "r2"]
    assert [e["kind"] for e in mine][-1] == "alembic"
    # the notes that split a run if taken as its why, the first event's too
    assert mine[0]["message"].startswith("[schema SQL]")
    assert any(e["message"].startswith("[data change]") for e in mine)
    ops = [e["seq"] for e in mine if e["kind"] == "apply"]
    assert len(ops) == 4

    page = tmp_path / "report.html"
    written = _ledger(tmp_path, url, "report", "--html", str(page))
    assert written.returncode == 0, written.stdout + written.stderr
    data = _data(page)
    revs = {r[0]: r for r in data["revs"]}
    assert len(revs["r2"][2]) == 1, revs["r2"]  # one run
    assert [c if isinstance(c, int) else c[0] for c in revs["r2"][3]] == ops  # its change: every op
    assert len(revs["r1"][2]) == 1, revs["r1"]

    b = browser
    _open(b, page)
    _view(b, "revisions")
    summary = _text(b, "details[data-revision='r2'] summary")
    assert "4 ops, 1 run" in summary and "\u2014 r2 " in summary, summary
    b.js("document.querySelector(\"details[data-revision='r2']\").open = true")
    b.js("document.querySelector(\"details[data-revision='r2'] summary\").click()")
    kinds = b.js("[...document.querySelectorAll(\"details[data-revision='r2'] table\")[0].querySelectorAll('tbody tr')]"
                 ".map(r => [r.cells[0].textContent, r.cells[4].textContent])")
    assert kinds == [["apply", "r2"]], kinds
    _view(b, "timeline")
    runs = b.js("[...document.querySelectorAll('#events tr.run')].map(r => r.textContent)")
    assert not any("alembic of revision" in r for r in runs), runs
    assert any("apply of revision r2" in r and "\u201cr2\u201d" in r for r in runs), runs


def test_the_report_of_a_history_with_a_merge_revision_names_both_its_parents(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    """Two heads merged by a revision of their own (m1 merges r4 and b1, a branch that depends on
    r1), then one more revision: the merge is a revision of one run and no ops, its record names both
    down revisions; after ``alembic downgrade`` below the merge, the report shows both downgrades
    and its integrity is still whole."""
    from tests.test_alembic_daily import MERGED, MERGED_DOWNGRADES, MERGED_HEADERS, _versions

    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS, downgrades=MERGED_DOWNGRADES)
    url = database_factory(dialect)
    upgraded = _alembic(folder, url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr

    page = tmp_path / "report.html"
    written = _ledger(tmp_path, url, "report", "--html", str(page))
    assert written.returncode == 0 and "integrity ok" in written.stdout, written.stdout + written.stderr
    data = _data(page)
    assert [r[0] for r in data["revs"]] == ["r1", "b1", "r2", "r3", "r4", "m1", "r5"]
    revs = {r[0]: r for r in data["revs"]}
    assert len(revs["m1"][2]) == 1 and revs["m1"][3] == [], revs["m1"]  # one run, no ops
    assert all(len(revs[name][3]) == 1 for name in ("r1", "b1", "r2", "r3", "r4", "r5")), data["revs"]
    text = page.read_text("utf-8")
    assert "Alembic revision m1 (down_revision r4, b1; version table alembic_version)" in text
    assert "Alembic revision b1 (down_revision None; depends_on r1; branch_labels side;" in text

    downgraded = _alembic(folder, url, "downgrade", "r4")
    assert downgraded.returncode == 0, downgraded.stderr
    assert _versions(url, "alembic_version") == ["b1", "r4"]
    written = _ledger(tmp_path, url, "report", "--html", str(page))
    assert written.returncode == 0 and "integrity ok" in written.stdout, written.stdout + written.stderr
    text = page.read_text("utf-8")
    assert "Alembic downgrade of r5 (seq " in text and "Alembic downgrade of m1 (seq " in text
