"""The front door as a new user meets it: a project ``alembic init -t TEMPLATE`` makes, the hook's line
added to its ``env.py`` as docs/alembic.md says (or as users get it wrong), revisions written by hand.

- An ``alembic downgrade`` that adds back a column its upgrade dropped (Alembic adds it at the end of
  the table) takes that revision out of effect: ``status`` names the revision below, as Alembic does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from tests.alembic_layouts import Layout, init, set_option, tables, versions

R1 = '''"""create item

Revision ID: r1
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "r1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)),
                    sa.Column("note", sa.Text), sa.Column("price", sa.Integer))
    op.create_index("ix_item_name", "item", ["name"])


def downgrade():
    op.drop_index("ix_item_name", table_name="item")
    op.drop_table("item")
'''

R2 = '''"""drop note

Revision ID: r2
Revises: r1
"""
from alembic import op
import sqlalchemy as sa

revision = "r2"
down_revision = "r1"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_column("item", "note")


def downgrade():
    op.add_column("item", sa.Column("note", sa.Text))
'''


def _project(folder: Path, url: str, template: str = "generic", *, edit: Callable[[str], str] | None = None) -> Layout:
    """``alembic init -t TEMPLATE`` with the hook's line (``edit``: env.py as the user changed it instead),
    the database ``url``, and the revisions r1 (a table of four columns) and r2 (drops one)."""
    layout = init(folder, template)
    env_py = folder / "migrations" / "env.py"
    if edit is not None:
        text = env_py.read_text(encoding="utf-8")
        env_py.write_text(edit(text), encoding="utf-8")
    set_option(folder / "alembic.ini", "sqlalchemy.url", url.replace("%", "%%"))
    for name, text in (("r1_create_item.py", R1), ("r2_drop_note.py", R2)):
        (folder / "migrations" / "versions" / name).write_text(text, encoding="utf-8")
    return layout


def test_a_downgrade_that_adds_back_a_dropped_column_takes_its_revision_out_of_effect(
        dialect: str, database_factory: Callable[[str], str], tmp_path: Path) -> None:
    url = database_factory(dialect)
    layout = _project(tmp_path / "app", url)
    layout.alembic("upgrade", "head")
    layout.alembic("downgrade", "-1")  # note comes back after price: Alembic adds a column at the end
    assert versions(url) == ["r1"]
    status = layout.ledger_here(None, "status")
    assert status.returncode == 0 and re.search(r"^current +r1 ", status.stdout, flags=re.M), \
        status.stdout + status.stderr
    history = layout.ledger_here(None, "history")
    assert history.returncode == 0 and "r2" not in history.stdout, history.stdout
    # the rollback undoes r1 alone: r2's upgrade and its downgrade are no longer in effect
    ran = layout.ledger_here(None, "rollback", "--to", "base", "--allow-data-loss")
    assert ran.returncode == 0 and "rolled back 1 revision " in ran.stdout, ran.stdout + ran.stderr
    assert tables(url) == [] and versions(url) == []
    layout.alembic("upgrade", "head")
    assert tables(url) == ["item"] and versions(url) == ["r2"]
    verify = layout.ledger_here(None, "verify", "--live")
    assert verify.returncode == 0, verify.stdout + verify.stderr
