"""A project made by ``alembic init`` that records with the hook and has no schema-ledger.toml: the
commands take the database from Alembic's configuration (``sqlalchemy.url`` of alembic.ini, or of
``[tool.alembic]``), say where it came from, and refuse what names no database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent

REVISION = '''"""shop"""
import sqlalchemy as sa
from alembic import op

revision = "r1"
down_revision = None


def upgrade():
    op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.String(40)))


def downgrade():
    op.drop_table("shop")
'''

ONLINE = "\n        with context.begin_transaction():"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SCHEMA_LEDGER_URL", "ALEMBIC_CONFIG")}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


def _run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=_env(**env), capture_output=True, text=True, timeout=300,
                          cwd=cwd)


def _ledger(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return _run(cwd, "-m", "ledger", *args, **env)


def _hooked(folder: Path, url: str, *, template: str = "generic") -> Path:
    """``alembic init`` in ``folder``, the hook's line in env.py, one revision, the URL in alembic.ini."""
    folder.mkdir(parents=True, exist_ok=True)
    made = _run(folder, "-m", "alembic", "init", "-t", template, "alembic")
    assert made.returncode == 0, made.stderr
    env_py = folder / "alembic" / "env.py"
    text = env_py.read_text(encoding="utf-8")
    assert text.count(ONLINE) == 1
    text = text.replace("from alembic import context\n", "from alembic import context\nimport ledger.alembic\n", 1)
    env_py.write_text(text.replace(ONLINE, "\n        ledger.alembic.attach(context)" + ONLINE), encoding="utf-8")
    (folder / "alembic" / "versions" / "r1.py").write_text(REVISION, encoding="utf-8")
    _set_ini_url(folder / "alembic.ini", url)
    return folder


def _set_ini_url(ini: Path, url: str | None) -> None:
    lines = [line for line in ini.read_text(encoding="utf-8").splitlines() if not line.startswith("sqlalchemy.url")]
    if url is not None:
        lines.insert(lines.index("[alembic]") + 1, f"sqlalchemy.url = {url.replace('%', '%%')}")
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _upgrade(folder: Path, *, logged: bool = True) -> None:
    done = _run(folder, "-m", "alembic", "upgrade", "heads")
    assert done.returncode == 0, done.stderr
    assert "Running upgrade  -> r1" in done.stderr or not logged


def _tables(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _said(result: subprocess.CompletedProcess[str], where: str) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert f" from {where} sqlalchemy.url" in result.stderr.splitlines()[0], result.stderr


def test_a_hooked_project_s_commands_read_the_database_alembic_ini_names(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    url = database_factory(dialect)
    folder = _hooked(tmp_path / "app", url)
    _upgrade(folder)

    status = _ledger(folder, "status")
    _said(status, "alembic.ini [alembic]")
    assert "current    r1  shop" in status.stdout
    history = _ledger(folder, "history")
    _said(history, "alembic.ini [alembic]")
    assert "[x] r1" in history.stdout
    log = _ledger(folder, "log")
    _said(log, "alembic.ini [alembic]")
    assert "create table shop (2 columns)" in log.stdout
    blame = _ledger(folder, "blame", "shop.name")
    _said(blame, "alembic.ini [alembic]")
    assert "r1" in blame.stdout
    verify = _ledger(folder, "verify", "--live")
    _said(verify, "alembic.ini [alembic]")
    assert verify.stdout.startswith("verify: ok")

    # from a folder below, as the search for schema-ledger.toml goes
    below = _ledger(folder / "alembic" / "versions", "log", "--json")
    assert below.returncode == 0, below.stderr
    assert str(folder / "alembic.ini") in below.stderr and '"revision": "r1"' in below.stdout

    rolled = _ledger(folder, "rollback", "--to", "base", "-q")
    assert rolled.returncode == 0, rolled.stderr
    assert "shop" not in _tables(url)
    _upgrade(folder)  # Alembic's version table followed the rollback
    assert "shop" in _tables(url)


def test_a_relative_sqlite_path_is_the_one_alembic_opens_and_a_missing_file_is_not_made(tmp_path: Path) -> None:
    folder = _hooked(tmp_path / "app", "sqlite:///app.db")
    _upgrade(folder)
    assert (folder / "app.db").is_file()
    below = _ledger(folder / "alembic", "status")
    _said(below, f"{folder / 'alembic.ini'} [alembic]")
    assert f"sqlite:///{folder / 'app.db'}" in below.stdout and "current    r1" in below.stdout
    schema = _ledger(folder / "alembic", "schema")
    _said(schema, f"{folder / 'alembic.ini'} [alembic]")
    assert "CREATE TABLE shop" in schema.stdout
    drill = _ledger(folder, "drill", "--from-ledger")
    _said(drill, "alembic.ini [alembic]")
    assert "drill passed: 1 revision from the ledger" in drill.stdout

    # %(here)s is the ini's folder, as Alembic reads it
    _set_ini_url(folder / "alembic.ini", "sqlite:///%(here)s/app.db")
    (folder / "alembic.ini").write_text((folder / "alembic.ini").read_text().replace("%%(here)s", "%(here)s"))
    here = _ledger(folder, "log")
    _said(here, "alembic.ini [alembic]")
    assert "create table shop" in here.stdout

    # a database that is not there is not made by reading it
    _set_ini_url(folder / "alembic.ini", "sqlite:///missing.db")
    for command in ("status", "log", "history"):
        refused = _ledger(folder, command)
        assert "missing.db has no ledger table" in refused.stderr, refused.stdout
        assert refused.returncode != 0 or command == "log"  # an empty log is said, as with --url
    assert not (folder / "missing.db").exists()


def test_alembic_config_names_the_file_as_alembic_reads_it(tmp_path: Path) -> None:
    folder = _hooked(tmp_path / "app", "sqlite:///app.db")
    _upgrade(folder)
    (folder / "alembic.ini").rename(folder / "deploy.ini")
    alone = _ledger(folder, "status")
    assert alone.returncode == 2 and "no schema-ledger.toml found" in alone.stderr
    named = _ledger(folder, "status", ALEMBIC_CONFIG="deploy.ini")
    _said(named, "deploy.ini [alembic]")
    assert "current    r1" in named.stdout
    wrong = _ledger(folder, "status", ALEMBIC_CONFIG="nowhere.ini")
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines() == [
        f"schema-ledger: error: no schema-ledger.toml found, and ALEMBIC_CONFIG names nowhere.ini, which is not a "
        f"file in {folder.resolve()}: give --config FILE or --url URL"]


def test_name_reads_the_section_alembic_n_name_reads(tmp_path: Path) -> None:
    # a project with two databases, each its own section of one alembic.ini (`alembic -n second ...`)
    folder = _hooked(tmp_path / "app", "sqlite:///first.db")
    ini = folder / "alembic.ini"
    ini.write_text(ini.read_text(encoding="utf-8") + "\n[second]\nscript_location = %(here)s/alembic\n"
                   "sqlalchemy.url = sqlite:///second.db\n", encoding="utf-8")
    done = _run(folder, "-m", "alembic", "-n", "second", "upgrade", "heads")
    assert done.returncode == 0, done.stderr
    assert _tables(f"sqlite:///{folder}/second.db") == ["alembic_version", "schema_ledger", "shop"]
    assert not (folder / "first.db").exists()

    for args in (("-n", "second", "status"), ("--name", "second", "log"), ("status", "-n", "second"),
                 ("verify", "--live", "--name", "second")):
        result = _ledger(folder, *args)
        _said(result, "alembic.ini [second]")
        assert "r1" in result.stdout or result.stdout.startswith("verify: ok"), result.stdout
    # without -n: [alembic], whose database has no ledger (and is not made)
    plain = _ledger(folder, "status")
    assert plain.returncode != 0 and "alembic.ini [alembic]" in plain.stderr
    assert not (folder / "first.db").exists()

    rolled = _ledger(folder, "-n", "second", "rollback", "--to", "base", "-q")
    assert rolled.returncode == 0, rolled.stderr
    assert _tables(f"sqlite:///{folder}/second.db") == ["alembic_version", "schema_ledger"]

    for args in (("-n", "third", "status"), ("log", "--name", "third")):
        unknown = _ledger(folder, *args)
        assert unknown.returncode == 2, unknown.stderr
        lines = unknown.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(
            "schema-ledger: error: alembic.ini has no section [third] (-n third); its sections: [alembic], "), lines
        assert lines[0].endswith(", [second]"), lines
        assert unknown.stdout == ""


def test_a_pyproject_only_project_s_url_in_tool_alembic(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    url = database_factory(dialect)
    folder = _hooked(tmp_path / "app", url, template="pyproject")
    (folder / "alembic.ini").unlink()  # no ini: the URL is in [tool.alembic], env.py reads it there
    pyproject = folder / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace(
        "[tool.alembic]\n", f"[tool.alembic]\n\"sqlalchemy.url\" = \"{url}\"\n", 1), encoding="utf-8")
    env_py = folder / "alembic" / "env.py"
    env_py.write_text(env_py.read_text(encoding="utf-8").replace(
        "engine_from_config(\n        config.get_section(config.config_ini_section, {}),\n        prefix=\"sqlalchemy.\",",
        "sa.create_engine(\n        config.get_alembic_option(\"sqlalchemy.url\"),").replace(
        "import ledger.alembic\n", "import ledger.alembic\nimport os\nimport sqlalchemy as sa\n").replace(
        "if config.config_file_name is not None:",
        "if config.config_file_name is not None and os.path.exists(config.config_file_name):"), encoding="utf-8")
    _upgrade(folder, logged=False)  # no alembic.ini: no logging configured

    for command in (("status",), ("log",), ("history",), ("blame", "shop"), ("verify",)):
        result = _ledger(folder, *command)
        _said(result, "pyproject.toml [tool.alembic]")
        assert ("verify: ok: 2 events" if command == ("verify",) else "r1") in result.stdout


@pytest.mark.parametrize("written", [None, "driver://user:pass@localhost/dbname"])
def test_alembic_ini_without_a_url_is_one_line_that_says_what_to_give(tmp_path: Path, written: str | None) -> None:
    folder = _hooked(tmp_path / "app", "sqlite:///app.db")
    _set_ini_url(folder / "alembic.ini", written)
    for command in ("status", "log", "blame"):
        result = _ledger(folder, command, *(["shop"] if command == "blame" else []))
        assert result.returncode == 2
        said = "is still alembic init's placeholder" if written else "is not set"
        assert result.stderr.splitlines() == [
            f"schema-ledger: error: no schema-ledger.toml found, and sqlalchemy.url in [alembic] of alembic.ini {said} "
            "(env.py makes the URL?): give --url URL or set SCHEMA_LEDGER_URL"]
        assert result.stdout == ""


def test_schema_ledger_toml_url_and_the_environment_win_over_alembic_ini(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    url = database_factory(dialect)
    folder = _hooked(tmp_path / "app", url)
    _upgrade(folder)
    other = database_factory("sqlite")
    engine = sa.create_engine(other)
    with engine.begin() as conn:  # an existing database with no ledger
        conn.execute(sa.text("CREATE TABLE other (id INTEGER)"))
    engine.dispose()
    for given, env in (((("--url", other),), {}), ((), {"SCHEMA_LEDGER_URL": other})):
        result = _ledger(folder, *(arg for pair in given for arg in pair), "status", **env)
        assert result.returncode != 0 and "has no ledger table" in result.stderr
        assert "alembic.ini" not in result.stderr

    (folder / "schema-ledger.toml").write_text(f'url = "{other}"\nmigrations = "ledger-migrations"\n',
                                               encoding="utf-8")
    result = _ledger(folder, "status")
    assert result.returncode != 0 and "has no ledger table" in result.stderr and "alembic.ini" not in result.stderr
    assert _ledger(folder, "--url", url, "log").stdout.count("create table shop") == 1


def test_a_rollback_run_below_the_project_follows_its_revision_files_for_a_ledger_without_records(
    tmp_path: Path
) -> None:
    folder = _hooked(tmp_path / "app", "sqlite:///app.db")
    (folder / "alembic" / "versions" / "r2.py").write_text(
        REVISION.replace('"shop"', '"item"').replace('revision = "r1"', 'revision = "r2"')
        .replace("down_revision = None", 'down_revision = "r1"'), encoding="utf-8")
    env_py = folder / "alembic" / "env.py"  # the hook as it was before it recorded Alembic's revisions
    env_py.write_text("import ledger.integrations.alembic.lock as _lock\n_lock.revision_record = lambda *args: None\n"
                      + env_py.read_text(encoding="utf-8"), encoding="utf-8")
    _upgrade(folder)
    assert "Alembic revision" not in _ledger(folder, "log").stdout

    rolled = _ledger(folder / "alembic" / "versions", "-v", "rollback", "--to", "r1")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert (f"followed r2 as Alembic's downgrade of them does, from the revision files of alembic.ini (or "
            f"pyproject.toml) in {folder}") in rolled.stderr
    assert _tables(f"sqlite:///{folder / 'app.db'}") == ["alembic_version", "schema_ledger", "shop"]
    assert _run(folder, "-m", "alembic", "current").stdout.split()[0] == "r1"
