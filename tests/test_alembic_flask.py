"""A Flask-Migrate project: the hook's line in the env.py ``flask db init`` writes, ``flask db upgrade``
records, and ``schema-ledger rollback`` undoes what it recorded, Alembic's version table following."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent

APP = '''import os

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)
migrate = Migrate(app, db)


class Shop(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40), nullable=False)
{more}'''

ITEM = '''

class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    shop_id = db.Column(db.Integer, db.ForeignKey("shop.id"), index=True)
'''

#: what Flask-Migrate's env.py holds, and the same with the hook's line after it
CONFIGURE = "            **conf_args\n        )\n"


def _run(folder: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SCHEMA_LEDGER_URL", "ALEMBIC_CONFIG")}
    env.update(PYTHONPATH=str(ROOT), FLASK_APP="app", DATABASE_URL=url)
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300, cwd=folder)


def _flask(folder: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    done = _run(folder, url, "-m", "flask", "db", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _ledger(folder: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(folder, url, "-m", "ledger", "--url", url, *args)


def _tables(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _versions(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()


def _revisions(folder: Path) -> dict[str, str]:
    """The revision id of each revision file, by its message."""
    found = {}
    for path in (folder / "migrations" / "versions").glob("*.py"):
        revision, _, message = path.stem.partition("_")
        found[message] = revision
    return found


def test_flask_db_upgrade_records_and_schema_ledger_rolls_back(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    url = database_factory(dialect)
    folder = tmp_path / "shop"
    folder.mkdir()
    (folder / "app.py").write_text(APP.format(more=""), encoding="utf-8")
    _flask(folder, url, "init")
    env_py = folder / "migrations" / "env.py"
    text = env_py.read_text(encoding="utf-8")
    assert text.count(CONFIGURE) == 1, "Flask-Migrate's env.py changed: docs/alembic.md says where the line goes"
    env_py.write_text(text.replace("from alembic import context\n", "from alembic import context\n\nimport ledger.alembic\n")
                      .replace(CONFIGURE, CONFIGURE + "        ledger.alembic.attach(context)\n"), encoding="utf-8")

    _flask(folder, url, "migrate", "-m", "shop")
    (folder / "app.py").write_text(APP.format(more=ITEM), encoding="utf-8")
    _flask(folder, url, "upgrade")
    _flask(folder, url, "migrate", "-m", "item")
    upgraded = _flask(folder, url, "upgrade")
    revisions = _revisions(folder)
    assert f"Running upgrade {revisions['shop']} -> {revisions['item']}, item" in upgraded.stderr
    assert "Logging error" not in upgraded.stderr and "schema-ledger" not in upgraded.stderr

    status = _ledger(folder, url, "status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert f"current    {revisions['item']}  item" in status.stdout
    assert "migrations is an Alembic script folder" in status.stderr
    log = _ledger(folder, url, "log")
    assert "create table shop (2 columns)" in log.stdout and "create table item (2 columns)" in log.stdout
    verify = _ledger(folder, url, "verify", "--live")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    rolled = _ledger(folder, url, "rollback", "--to", "-1", "-q")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert _versions(url) == [revisions["shop"]]
    assert "item" not in _tables(url) and "shop" in _tables(url)
    assert _flask(folder, url, "current").stdout.split()[0] == revisions["shop"]

    rolled = _ledger(folder, url, "rollback", "--to", "base", "-q")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert _versions(url) == []
    assert {"item", "shop"}.isdisjoint(_tables(url))

    again = _flask(folder, url, "upgrade")  # Flask-Migrate runs the whole history again
    assert f"Running upgrade  -> {revisions['shop']}, shop" in again.stderr
    assert _versions(url) == [revisions["item"]]
    assert {"item", "shop"} <= set(_tables(url))
    assert _ledger(folder, url, "verify", "--live").returncode == 0
