"""The command line: exit codes, one-line errors, output, and docs/cli.md covering every command."""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest

from ledger.cli import main
from ledger.project.config import Config
from ledger.storage.db import create_engine, dialect_of
from ledger.storage.store import LedgerStore
from tests.builders import BAD_CASES, ROOT, SHOP, one_error_line, rev, run, tables


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A project folder with the example's migrations and no URL (each test passes --url)."""
    shutil.copytree(SHOP, tmp_path / "migrations")
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    return tmp_path


# ---------------------------------------------------------------------------------------------
# Documentation
# ---------------------------------------------------------------------------------------------


def test_every_command_is_documented_with_an_example() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text()
    assert main.commands, "no commands"
    ctx = click.Context(main)
    for name, command in sorted(main.commands.items()):
        assert f"## `schema-ledger {name}`" in docs, f"docs/cli.md does not document `{name}`"
        help_text = command.get_help(click.Context(command, info_name=name, parent=ctx))
        assert "Example: schema-ledger " in help_text, f"`{name} --help` has no Example: line"
        section = docs.split(f"## `schema-ledger {name}`", 1)[1].split("\n## ", 1)[0]
        assert "Example: `schema-ledger " in section, f"docs/cli.md shows no example for `{name}`"
    assert "Example: schema-ledger " in main.get_help(ctx)


def test_help_and_version() -> None:
    result = run("--help")
    assert result.exit_code == 0 and "apply" in result.stdout and "status" in result.stdout
    assert run("--version").stdout.startswith("schema-ledger, version ")


def test_usage_errors_exit_2() -> None:
    assert run("no-such-command").exit_code == 2
    assert run("apply", "--lock-timeout", "soon").exit_code == 2
    assert run("log", "--since", "yesterday").exit_code == 2


# ---------------------------------------------------------------------------------------------
# init and new
# ---------------------------------------------------------------------------------------------


def test_init_then_new_then_apply(tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "proj"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "proj" / "schema-ledger.toml").is_file()
    assert (tmp_path / "proj" / "migrations").is_dir()
    again = run("init", str(tmp_path / "proj"))
    assert again.exit_code == 2 and "already exists" in one_error_line(again)

    project = tmp_path / "proj"
    first = run("new", "-m", "create things", "--rev-id", "aaa", cwd=project)
    assert first.exit_code == 0, first.output
    second = run("new", "-m", "more things", cwd=project)
    assert second.exit_code == 0
    path = Path(second.stdout.split("wrote ", 1)[1].strip())
    assert "down_revision = 'aaa'" in path.read_text()
    assert run("new", "-m", "dup", "--rev-id", "aaa", cwd=project).exit_code == 2

    applied = run("apply", cwd=project)
    assert applied.exit_code == 0, applied.output
    assert "applied 2 revisions" in applied.stdout
    # The default database is a SQLite file next to the config, whatever the working folder.
    assert (project / "schema-ledger.db").is_file()
    sub = project / "migrations"
    assert "nothing to apply" in run("apply", cwd=sub).stdout


# ---------------------------------------------------------------------------------------------
# apply, status, history, log
# ---------------------------------------------------------------------------------------------


def test_apply_status_history_log(shop: Path, db_url: str) -> None:
    result = run("--url", db_url, "apply", "--to", "0003", "-m", "release 1", "--by", "alice", cwd=shop)
    assert result.exit_code == 0, result.output
    assert re.search(r"^\[1/3\] 0001 .* ok \(2 ops\)$", result.stderr, re.M)
    assert re.match(r"applied 3 revisions; at 0003 \(ledger seq \d+, hash [0-9a-f]{64}\)", result.stdout)

    status = run("--url", db_url, "status", cwd=shop)
    assert status.exit_code == 0, status.output
    assert re.search(r"^current +0003 ", status.stdout, re.M)
    assert re.search(r"^pending +0004, 0005, 0006, 0007, 0008$", status.stdout, re.M)
    assert re.search(r"^in doubt +none$", status.stdout, re.M)
    assert re.search(r"^checksums +ok \(3 files compared\)$", status.stdout, re.M)

    data = json.loads(run("--url", db_url, "status", "--json", cwd=shop).stdout)
    assert data["current"] == "0003" and data["pending"][0] == "0004" and data["problems"] == []
    assert re.fullmatch(r"[0-9a-f]{64}", data["head"]["hash"])

    history = run("--url", db_url, "history", cwd=shop)
    lines = history.stdout.splitlines()
    assert lines[0].startswith("[x] 0001") and lines[3].startswith("[ ] 0004")
    assert [r["applied"] for r in json.loads(run("--url", db_url, "history", "--json", cwd=shop).stdout)] == \
        [True] * 3 + [False] * 5

    # Applying up to the current revision does nothing and says where the database is; up to an
    # older one is refused and names the rollback that goes back.
    again = run("--url", db_url, "apply", "--to", "0003", cwd=shop)
    assert again.exit_code == 0 and again.stdout.startswith("nothing to apply: at 0003 (ledger seq ")
    older = run("--url", db_url, "apply", "--to", "0002", cwd=shop)
    assert older.exit_code == 2 and "rollback --to 0002" in one_error_line(older)

    log = run("--url", db_url, "log", "--table", "orders", cwd=shop)
    assert log.exit_code == 0
    assert "create table orders" in log.stdout and "[alice@" in log.stdout and "-- release 1" in log.stdout
    events = json.loads(run("--url", db_url, "log", "--json", "--revision", "0002", cwd=shop).stdout)
    assert {e["revision"] for e in events} == {"0002"}
    assert {e["actor_by"] for e in events} == {"alice"}
    assert run("--url", db_url, "log", "--since", "2999-01-01", cwd=shop).stdout == ""


def test_apply_sql_prints_and_changes_nothing(shop: Path, database_factory: Callable[[str], str]) -> None:
    url = database_factory("sqlite")
    result = run("--url", url, "apply", "--sql", "--to", "0002", cwd=shop)
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE customers" in result.stdout and "INSERT INTO schema_ledger" in result.stdout
    assert result.stdout.rstrip().endswith(";")
    assert tables(url) == []


def test_sql_with_nothing_to_do_says_so_on_stderr(shop: Path, database_factory: Callable[[str], str]) -> None:
    url = database_factory("sqlite")
    assert run("--url", url, "apply", "--to", "0002", "-q", cwd=shop).exit_code == 0
    again = run("--url", url, "apply", "--sql", "--to", "0002", cwd=shop)
    assert again.exit_code == 0 and again.stdout == ""
    assert "nothing to apply: at 0002; no SQL" in again.stderr
    back = run("--url", url, "rollback", "--sql", "--to", "0002", cwd=shop)
    assert back.exit_code == 0 and back.stdout == "", back.output
    assert "nothing to roll back: nothing after @" in back.stderr and "no SQL" in back.stderr


def test_status_exits_1_when_a_file_changed(shop: Path, database_factory: Callable[[str], str]) -> None:
    url = database_factory("sqlite")
    assert run("--url", url, "apply", "-q", cwd=shop).exit_code == 0
    path = shop / "migrations" / "0001_customers.py"
    path.write_text(path.read_text().replace("String(80)", "String(90)"))
    result = run("--url", url, "status", cwd=shop)
    assert result.exit_code == 1
    assert "changed: 0001" in result.stdout
    assert "revision 0001 changed since it was applied" in result.stderr
    # apply still runs what is pending (nothing here) and exits 1 like status, naming the file.
    again = run("--url", url, "apply", cwd=shop)
    assert again.exit_code == 1 and "problem" in again.stderr and "0001" in again.stderr
    listed = run("--url", url, "history", cwd=shop)
    assert listed.exit_code == 1 and "CHANGED SINCE APPLIED" in listed.stdout


def test_failed_apply_is_one_line_and_exit_1(shop: Path, db_url: str) -> None:
    for path in (shop / "migrations").glob("000[2-8]_*.py"):
        path.unlink()
    (shop / "migrations" / "0002_bad.py").write_text(rev("0002", "0001", body="op.execute('SELECT * FROM nowhere')"))
    result = run("--url", db_url, "apply", cwd=shop)
    assert result.exit_code == 1
    line = one_error_line(result)
    assert re.search(r"^\[2/2\] 0002 .* failed$", result.stderr, re.M)
    assert "revision 0002" in line and "nowhere" in line
    verbose = run("-v", "--url", db_url, "apply", cwd=shop)
    assert verbose.exit_code == 1
    if dialect_of(db_url) == "mysql":
        assert "in doubt" in verbose.stderr  # the earlier failure left an intent in doubt
        status = run("--url", db_url, "status", cwd=shop)
        assert status.exit_code == 1 and "in doubt" in status.stderr
    else:
        assert "Traceback" in verbose.stderr
        assert run("--url", db_url, "status", cwd=shop).exit_code == 0


# ---------------------------------------------------------------------------------------------
# Malformed migration files: one line naming the file, exit 2, database untouched
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(BAD_CASES))
@pytest.mark.parametrize("command", ["apply", "status"])
def test_malformed_migration_files(tmp_path: Path, database_factory: Callable[[str], str], case: str,
                                   command: str) -> None:
    files, culprit, line, words = BAD_CASES[case]
    (tmp_path / "migrations").mkdir()
    for name, text in files.items():
        (tmp_path / "migrations" / name).write_text(text)
    url = database_factory("sqlite")
    result = run("--url", url, command, cwd=tmp_path)
    assert result.exit_code == 2, result.output
    message = one_error_line(result)
    where = f"migrations/{culprit}" + (f":{line}" if line else "")
    assert message.startswith(f"schema-ledger: error: {where}: "), message
    assert words in message
    assert result.stdout == ""
    assert tables(url) == []


def test_malformed_file_leaves_every_database_untouched(tmp_path: Path, db_url: str) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "a.py").write_text(rev("a", None, body="op.create_table('t', sa.Column('id', sa.Integer))"))
    (tmp_path / "migrations" / "b.py").write_text(rev("b", "a", body="op.execute('x'"))
    result = run("--url", db_url, "apply", cwd=tmp_path)
    assert result.exit_code == 2
    assert "migrations/b.py:9: SyntaxError" in one_error_line(result)
    assert tables(db_url) == []


def test_bad_config_exits_2(tmp_path: Path) -> None:
    (tmp_path / "schema-ledger.toml").write_text("colour = 'blue'\n")
    result = run("status", cwd=tmp_path)
    assert result.exit_code == 2
    assert "unknown key 'colour'" in one_error_line(result)
    missing = run("--config", str(tmp_path / "nope.toml"), "status")
    assert missing.exit_code == 2


def test_unreachable_database_exits_1(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    result = run("--url", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", "status", cwd=tmp_path)
    assert result.exit_code == 1
    assert "cannot connect" in one_error_line(result)


# ---------------------------------------------------------------------------------------------
# The lock
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def held_lock(db_url: str) -> Iterator[str]:
    """Another applier holding the lock (SQLite: an open write transaction) for the test's duration."""
    engine = create_engine(db_url)
    release = threading.Event()
    holding = threading.Event()

    def hold() -> None:
        with engine.connect() as conn:
            store = LedgerStore()
            if dialect_of(db_url) == "sqlite":
                with conn.begin():
                    holding.set()
                    release.wait(30)
            else:
                with store.lock(conn, 5):
                    holding.set()
                    release.wait(30)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    yield db_url
    release.set()
    thread.join()
    engine.dispose()


def test_lock_timeout_is_a_clear_error(shop: Path, held_lock: str) -> None:
    result = run("--url", held_lock, "apply", "--lock-timeout", "1", cwd=shop)
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "lock" in line and "--lock-timeout" in line


def test_config_object_is_what_commands_use(shop: Path) -> None:
    from ledger.cli import CliContext

    context = CliContext(url="sqlite:///x.db", config_path=shop / "schema-ledger.toml")
    assert isinstance(context.config, Config)
    assert context.config.url == "sqlite:///x.db"
    assert len(context.chain) == 8
