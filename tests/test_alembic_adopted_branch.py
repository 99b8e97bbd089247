"""A database adopted at a stamped head, then upgraded by a later history whose new branch starts
below that head: ``rollback --to base`` leaves Alembic's version table as Alembic's own downgrade
does (the branch's row deleted, nothing brought back under the stamped head), so that a plain
``alembic upgrade heads`` runs the undone revisions again."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.test_alembic_daily import _alembic, _ledger, _project, _versions

#: r0 to r2, the version the database was made at; b1, a branch a later version starts below r2
#: (on r0), merged by m1, r3 after it
BRANCHED_BELOW = {
    "r0": (None, '''op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True))'''),
    "r1": ("r0", '''op.add_column("shop", sa.Column("city", sa.String(40)))'''),
    "r2": ("r1", '''op.create_table("item", sa.Column("id", sa.Integer(), primary_key=True))'''),
    "b1": ("r0", '''op.create_table("tag", sa.Column("id", sa.Integer(), primary_key=True))'''),
    "m1": (("r2", "b1"), "pass"),
    "r3": ("m1", '''op.create_table("note", sa.Column("id", sa.Integer(), primary_key=True))'''),
}


def test_undoing_a_branch_that_starts_below_the_adopted_head_deletes_its_row(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic", revisions=BRANCHED_BELOW,
                      downgrades={"r3": 'op.drop_table("note")', "b1": 'op.drop_table("tag")'})
    url = database_factory(dialect)
    made = _alembic(folder, url, "upgrade", "r2", hook=False)  # the database as the older version left it
    assert made.returncode == 0, made.stderr
    adopted = _ledger(tmp_path, url, "baseline", "-m", "the tables of r2")
    assert adopted.returncode == 0, adopted.stdout + adopted.stderr
    upgraded = _alembic(folder, url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    assert _versions(url, "alembic_version") == ["r3"]

    elsewhere = tmp_path / "elsewhere"  # no alembic.ini, no revision file: what the hook recorded alone
    elsewhere.mkdir()
    rolled = _ledger(elsewhere, url, "rollback", "--to", "base", "-q")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert _versions(url, "alembic_version") == ["r2"]  # not r0 beside it: r0 is below r2
    again = _alembic(folder, url, "upgrade", "heads", hook=False)
    assert again.returncode == 0, again.stderr
    assert _versions(url, "alembic_version") == ["r3"]
