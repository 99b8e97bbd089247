"""Commands outside a project invent nothing: no config and no URL stops every command but init
(exit 2); read-only commands create no database file and no ledger table; verify on a database
without a ledger is a problem; a refused baseline leaves the database as it was."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.storage.db import create_engine
from tests.builders import one_error_line, run, tables

COMMANDS = [
    ["verify"], ["verify", "--live"], ["status"], ["history"], ["log"], ["schema"], ["schema", "--dialect", "sqlite"],
    ["diff", "base", "head"], ["blame", "orders"], ["new", "-m", "x"], ["apply"], ["rollback", "--to", "base"],
    ["recover"], ["baseline"], ["drill"], ["materialize", "--into", "sqlite:///x.db"], ["stamp"],
    ["report", "--html", "audit.html"], ["import-alembic", "."],
]


@pytest.fixture
def empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SCHEMA_LEDGER_URL", raising=False)
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_but_init_stops_outside_a_project(empty_folder: Path, args: list[str]) -> None:
    result = run(*args, cwd=empty_folder)
    assert result.exit_code == 2, result.output
    assert "no schema-ledger.toml found" in one_error_line(result)
    assert result.stdout == ""
    assert sorted(os.listdir(empty_folder)) == []


def test_init_still_works_outside_a_project(empty_folder: Path) -> None:
    assert run("init", cwd=empty_folder).exit_code == 0
    assert (empty_folder / "schema-ledger.toml").is_file()


READ_ONLY = [["verify"], ["status"], ["history"], ["log"], ["schema"], ["diff", "base", "head"], ["blame", "a"]]


@pytest.mark.parametrize("args", READ_ONLY, ids=lambda a: " ".join(a))
def test_read_only_commands_create_no_sqlite_file(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "schema-ledger.toml").write_text('url = "sqlite:///app.db"\nmigrations = "migrations"\n')
    (tmp_path / "migrations").mkdir()
    result = run(*args, cwd=tmp_path)
    assert "Traceback" not in result.output
    assert not (tmp_path / "app.db").exists(), result.output


@pytest.mark.parametrize("args", READ_ONLY, ids=lambda a: " ".join(a))
def test_read_only_commands_create_no_ledger_table(tmp_path: Path, args: list[str], dialect: str,
                                                   database_factory: Callable[[str], str]) -> None:
    url = database_factory(dialect)
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
    finally:
        engine.dispose()
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    (tmp_path / "migrations").mkdir()
    result = run("--url", url, *args, cwd=tmp_path)
    assert "Traceback" not in result.output
    assert tables(url) == ["t"]


def test_verify_on_a_database_without_a_ledger_is_a_problem(tmp_path: Path, db_url: str) -> None:
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    result = run("--url", db_url, "verify", cwd=tmp_path)
    assert result.exit_code == 1
    assert "no ledger table" in result.stdout and "verify: 1 problem:" in result.stdout
    as_json = run("--url", db_url, "verify", "--json", cwd=tmp_path)
    assert as_json.exit_code == 1 and '"ok": false' in as_json.stdout


def _fingerprint(url: str) -> object:
    database = sa.make_url(url).database
    if url.startswith("sqlite") and database:
        return hashlib.sha256(Path(database).read_bytes()).hexdigest() if Path(database).exists() else None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            return sorted(inspector.get_table_names()), sorted(inspector.get_view_names())
    finally:
        engine.dispose()


def test_a_refused_baseline_leaves_the_database_as_it_was(tmp_path: Path, db_url: str) -> None:
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    if db_url.startswith("sqlite"):
        # An existing, empty SQLite file: its bytes must not change.
        sa_engine = create_engine(db_url)
        with sa_engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE gone (id INTEGER)"))
            conn.execute(sa.text("DROP TABLE gone"))
        sa_engine.dispose()
    before = _fingerprint(db_url)
    result = run("--url", db_url, "baseline", cwd=tmp_path)
    assert result.exit_code == 1
    assert "no tables to adopt" in one_error_line(result)
    assert _fingerprint(db_url) == before
    assert tables(db_url) == []


def test_a_refused_baseline_creates_no_sqlite_file(tmp_path: Path) -> None:
    (tmp_path / "schema-ledger.toml").write_text('url = "sqlite:///app.db"\nmigrations = "migrations"\n')
    result = run("baseline", cwd=tmp_path)
    assert result.exit_code == 1 and "no tables to adopt" in one_error_line(result)
    assert not (tmp_path / "app.db").exists()
