"""``schema --at -N`` (N revisions back) on a database migrated by Alembic with the hook, before and
after an ``alembic downgrade``: the schema at the end of the revision N back among those in effect,
as ``schema --at REVISION`` gives it (it ended in an internal error); ``diff -N POINT`` takes -N as
a point (it was refused as an unknown option)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.test_alembic_daily import MERGED, MERGED_DOWNGRADES, MERGED_HEADERS, _alembic, _ledger, _project


def _schema(cwd: Path, url: str, point: str) -> dict:
    shown = _ledger(cwd, url, "schema", "--at", point, "--format", "json")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    return json.loads(shown.stdout)


def test_schema_at_n_revisions_back_is_the_schema_at_that_revision(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS, downgrades=MERGED_DOWNGRADES)
    url = database_factory(dialect)
    upgraded = _alembic(folder, url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    # in effect: r1, b1, r2, r3, r4, m1, r5
    assert _schema(tmp_path, url, "-1") == _schema(tmp_path, url, "m1")
    assert _schema(tmp_path, url, "-3") == _schema(tmp_path, url, "r3")
    assert _schema(tmp_path, url, "-1") != _schema(tmp_path, url, "head")
    # diff takes -N as a point, not as an option
    diffed = _ledger(tmp_path, url, "diff", "-1", "head")
    assert diffed.returncode == 0 and diffed.stdout == "create table note (1 column)\n", diffed.stdout + diffed.stderr
    assert _ledger(tmp_path, url, "diff", "-2", "-1").stdout == "no differences\n"  # m1 changed nothing
    bogus = _ledger(tmp_path, url, "diff", "--bogus", "head")
    assert bogus.returncode == 2 and "--bogus" in bogus.stderr and "internal error" not in bogus.stderr, bogus.stderr

    downgraded = _alembic(folder, url, "downgrade", "-1")  # r5's downgrade, recorded by the hook
    assert downgraded.returncode == 0, downgraded.stderr
    # in effect: r1, b1, r2, r3, r4, m1 (r5's upgrade and its downgrade out of effect)
    assert _schema(tmp_path, url, "-1") == _schema(tmp_path, url, "r4")
    assert _schema(tmp_path, url, "-2") == _schema(tmp_path, url, "r3")
    shown = _ledger(tmp_path, url, "schema", "--at", "-9")
    assert shown.returncode == 2 and "-9: 6 revision(s) are applied" in shown.stderr, shown.stderr
