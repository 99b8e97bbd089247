"""Alembic's own autogenerate (``alembic revision --autogenerate``, ``alembic check``) in a project whose
env.py attaches the hook: the ledger's table is not the application's, so no drop of it (or of its
indexes) is proposed (integrations/alembic/unseen.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import alembic

ENV_PY = '''\
import os

import sqlalchemy as sa
from alembic import context

import ledger.alembic

target_metadata = sa.MetaData()
sa.Table("shop", target_metadata, sa.Column("id", sa.Integer(), primary_key=True),
         sa.Column("name", sa.String(40)))
sa.Table("item", target_metadata, sa.Column("id", sa.Integer(), primary_key=True),
         sa.Column("shop_id", sa.Integer(), sa.ForeignKey("shop.id", name="fk_item_shop")),
         sa.Index("ix_item_shop", "shop_id"))



def include_name(name, type_, parent_names):
    return not (type_ == "table" and name == "schema_ledger")


engine = sa.create_engine(os.environ["TEST_URL"])
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata,
                      include_schemas=os.environ["TEST_SCHEMAS"] == "1",
                      **({"include_name": include_name} if os.environ["TEST_HOOK"] == "name" else {}))
    if os.environ["TEST_HOOK"] == "1":
        ledger.alembic.attach(context)
    with context.begin_transaction():
        context.run_migrations()
'''

REVISION = '''\
"""shop and item"""
import sqlalchemy as sa
from alembic import op

revision = "r1"
down_revision = None


def upgrade():
    op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.String(40)))
    op.create_table("item", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("shop_id", sa.Integer(), sa.ForeignKey("shop.id", name="fk_item_shop")))
    op.create_index("ix_item_shop", "item", ["shop_id"])


def downgrade():
    op.drop_table("item")
    op.drop_table("shop")
'''


def _project(folder: Path) -> Path:
    (folder / "versions").mkdir(parents=True)
    (folder / "env.py").write_text(ENV_PY, encoding="utf-8")
    (folder / "versions" / "r1.py").write_text(REVISION, encoding="utf-8")
    mako = Path(alembic.__file__).parent / "templates" / "generic" / "script.py.mako"
    (folder / "script.py.mako").write_text(mako.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "alembic.ini").write_text(textwrap.dedent(f"""\
        [alembic]
        script_location = {folder}
        """), encoding="utf-8")
    return folder


def _alembic(folder: Path, url: str, *args: str, hook: bool | str = True,
             schemas: bool = False) -> subprocess.CompletedProcess[str]:
    """``hook``: True attaches it, False does not, "name": not attached, the ledger's table left out
    by Alembic's ``include_name`` (docs/alembic.md)."""
    env = {**os.environ, "TEST_URL": url, "TEST_HOOK": {True: "1", False: "0"}.get(hook, hook), "TEST_SCHEMAS": "1" if schemas else "0",
           "PYTHONPATH": str(Path.cwd())}
    return subprocess.run([sys.executable, "-m", "alembic", "-c", str(folder / "alembic.ini"), *args],
                          env=env, capture_output=True, text=True, timeout=300, cwd=folder)


def _upgrade_ops(revision: Path) -> str:
    """The body of a generated revision's ``upgrade()``, without Alembic's comments."""
    body = revision.read_text(encoding="utf-8").split("def upgrade()", 1)[1].split("def downgrade()", 1)[0]
    return "\n".join(line.strip() for line in body.splitlines()[1:]
                     if line.strip() and not line.strip().startswith(("#", "\"\"\"")))


def _autogenerates_nothing(folder: Path, url: str, *, schemas: bool) -> None:
    upgraded = _alembic(folder, url, "upgrade", "heads", schemas=schemas)
    assert upgraded.returncode == 0, upgraded.stderr
    # the ledger's table is there, with its indexes: without the hook, Alembic proposes to drop it
    unhooked = _alembic(folder, url, "check", hook=False, schemas=schemas)
    assert unhooked.returncode != 0 and "'schema_ledger'" in unhooked.stdout + unhooked.stderr, unhooked.stderr
    named = _alembic(folder, url, "check", hook="name", schemas=schemas)
    assert named.returncode == 0, named.stdout + named.stderr
    check = _alembic(folder, url, "check", schemas=schemas)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    made = _alembic(folder, url, "revision", "--autogenerate", "-m", "nothing", "--rev-id", "r2", schemas=schemas)
    assert made.returncode == 0, made.stderr
    assert _upgrade_ops(folder / "versions" / "r2_nothing.py") == "pass"
    assert "schema_ledger" not in (folder / "versions" / "r2_nothing.py").read_text(encoding="utf-8")


def test_alembic_s_autogenerate_proposes_nothing_for_the_ledger_s_table_in_a_hooked_project(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    _autogenerates_nothing(_project(tmp_path / "alembic"), database_factory(dialect), schemas=False)


def test_with_include_schemas_alembic_s_autogenerate_proposes_nothing_for_the_ledger_s_table(
    database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    """Every schema of the database is compared (PostgreSQL's; a MariaDB server's schemas are its
    other databases): the ledger's table in the default one is still not the application's."""
    _autogenerates_nothing(_project(tmp_path / "alembic"), database_factory("postgresql"), schemas=True)
