"""``rollback --sql`` of a hooked database prints the statements on Alembic's version table that
the rollback itself runs, in the order it runs them (after each revision's DDL and events)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.test_alembic_daily import MERGED, MERGED_DOWNGRADES, MERGED_HEADERS, _alembic, _ledger, _project, _versions

DELETE = re.compile(r"^DELETE FROM alembic_version WHERE alembic_version\.version_num = '(\w+)';$")
INSERT = re.compile(r"^INSERT INTO alembic_version \(version_num\) VALUES \('(\w+)'\);$")


def _after(rows: set[str], script: str) -> set[str]:
    """The rows the version-table statements of ``script`` leave, from ``rows``."""
    rows = set(rows)
    for line in script.splitlines():
        if (deleted := DELETE.match(line)) is not None:
            assert deleted.group(1) in rows, script
            rows.remove(deleted.group(1))
        elif (inserted := INSERT.match(line)) is not None:
            assert inserted.group(1) not in rows, script
            rows.add(inserted.group(1))
    return rows


def test_rollback_sql_prints_the_version_table_statements_the_rollback_runs(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS, downgrades=MERGED_DOWNGRADES)
    elsewhere = tmp_path / "elsewhere"  # no alembic.ini: the rows follow what the hook recorded
    elsewhere.mkdir()
    url = database_factory(dialect)
    upgraded = _alembic(folder, url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    assert _versions(url, "alembic_version") == ["r5"]

    current = ["r5"]
    for point, expected in (("r4", ["b1", "r4"]), ("r2", ["b1", "r2"]), ("base", [])):
        printed = _ledger(elsewhere, url, "rollback", "--to", point, "--sql")
        assert printed.returncode == 0, printed.stdout + printed.stderr
        assert _versions(url, "alembic_version") == current  # --sql changes nothing
        assert sorted(_after(set(current), printed.stdout)) == expected, printed.stdout
        # each revision's rows move after its own DDL: the rows r5's undoing leaves come after DROP TABLE note
        lines = printed.stdout.splitlines()
        if point == "r4":
            drop = next(i for i, line in enumerate(lines) if line.startswith("DROP TABLE note"))
            first = next(i for i, line in enumerate(lines) if DELETE.match(line) or INSERT.match(line))
            assert drop < first, printed.stdout

        rolled = _ledger(elsewhere, url, "rollback", "--to", point, "-q")
        current = expected
        assert rolled.returncode == 0, rolled.stdout + rolled.stderr
        assert _versions(url, "alembic_version") == current == expected
    again = _alembic(folder, url, "upgrade", "heads")
    assert again.returncode == 0, again.stderr
    assert _versions(url, "alembic_version") == ["r5"]
