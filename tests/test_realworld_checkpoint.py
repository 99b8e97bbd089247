"""``make realworld``'s ``Base(checkpoint=...)``: a history whose package makes a new database by
running one revision's ``upgrade(op)`` itself (with Alembic's ``Operations``, outside Alembic's
upgrade, where that revision does nothing), stamping it, and upgrading from there (mindsdb's
migrate.py). The wheel here is made on the spot: its checkpoint revision creates the table only
when given ``op``, and the next revision alters that table, so Alembic alone completes only from
the schema the checkpoint made.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from realworld.harness import Databases, extract, run_cell
from realworld.histories import Base, History

CHECKPOINT = '''\
"""checkpoint"""
import sqlalchemy as sa

revision = "c1"
down_revision = None


def upgrade(op=None):
    if op is None:  # under Alembic's own upgrade: the package made the schema already
        return
    op.create_table("account", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    pass
'''

NEXT = '''\
"""name"""
import sqlalchemy as sa
from alembic import op

revision = "c2"
down_revision = "c1"


def upgrade():
    op.add_column("account", sa.Column("name", sa.String(40)))


def downgrade():
    op.drop_column("account", "name")
'''


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_history_started_from_its_checkpoint_revision_passes_every_step(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    cache = tmp_path / "wheels"
    cache.mkdir()
    with zipfile.ZipFile(cache / "ckpt-1.0-py3-none-any.whl", "w") as archive:
        archive.writestr("ckpt/__init__.py", "")
        archive.writestr("ckpt/migrations/env.py", "raise RuntimeError('not this env.py')\n")
        archive.writestr("ckpt/migrations/versions/c1_checkpoint.py", CHECKPOINT)
        archive.writestr("ckpt/migrations/versions/c2_name.py", NEXT)
    history = History("ckpt", "ckpt==1.0", "ckpt/migrations", dialects=(dialect,),
                      base=Base("ckpt==1.0", (), checkpoint="c1"))
    project = extract(history, cache / "ckpt-1.0-py3-none-any.whl", tmp_path / "project", dialect)
    cell = run_cell(history, dialect, project, Databases(tmp_path, database_factory), tmp_path / "work", cache=cache)
    alembic_ok, note = cell.steps["alembic"]
    assert alembic_ok, note
    assert note == "1 tables, from the 1 of ckpt==1.0 (the checkpoint c1's upgrade(op), then baseline)", note
    failed = {step: why for step, (ok, why) in cell.steps.items() if not ok}
    assert failed == {}
    assert set(cell.steps) == {"alembic", "upgrade", "output", "verify", "materialize", "drill", "rollback",
                               "rebuild", "import", "apply", "import-rollback"}
