"""One command-line manner: one-line usage errors, --json wherever output is data, global options
after the subcommand, quiet ends in a closed pipe, agreeing exit codes, plurals; and validated
input (revision ids, messages, PEP 263 files, the user's own names in errors)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.storage.db import create_engine
from ledger.project.revisions import check_revision_id
from tests.builders import SHOP, one_error_line, rev, run
from tests.examples import examples

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "schema-ledger.toml").write_text('url = "sqlite:///app.db"\nmigrations = "migrations"\n')
    (tmp_path / "migrations").mkdir()
    return tmp_path


# ---------------------------------------------------------------------------------------------
# usage errors, Alembic verbs, global options
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["--bogus", "status"], ["status", "--bogus"], ["frob"], ["schema", "--format", "xml"], ["rollback"],
    ["log", "--since", "yesterday"], ["schema", "--json", "--format", "ddl"], ["diff", "base"],
    ["log", "--json", "--format", "text"],
], ids=lambda a: " ".join(a))
def test_usage_errors_are_one_line(project: Path, args: list[str]) -> None:
    result = run(*args, cwd=project)
    assert result.exit_code == 2
    one_error_line(result)
    assert result.stdout == "" and "Usage:" not in result.stderr and "Try '" not in result.stderr


@pytest.mark.parametrize(("verb", "counterpart"), [
    ("upgrade", "apply"), ("downgrade", "rollback"), ("current", "status"), ("heads", "status"),
    ("check", "verify --live"), ("revision", "new"), ("merge", "new"),
])
def test_an_alembic_verb_names_its_counterpart(project: Path, verb: str, counterpart: str) -> None:
    result = run(verb, "head", cwd=project)
    assert result.exit_code == 2
    assert one_error_line(result) == \
        f"schema-ledger: error: no command '{verb}'; did you mean `schema-ledger {counterpart}`?"


def test_global_options_after_the_subcommand(tmp_path: Path, db_url: str) -> None:
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    shutil.copytree(SHOP, tmp_path / "migrations")
    config = tmp_path / "schema-ledger.toml"
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert run("apply", "-q", "--to", "0002", "--url", db_url, "--config", str(config), cwd=other).exit_code == 0
    result = run("status", "--json", "--url", db_url, "--config", str(config), "-v", cwd=other)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["current"] == "0002"
    assert run("--url", db_url, "status", "--config", str(config), cwd=other).exit_code == 0


@pytest.mark.parametrize("url", ["postgresqll://localhost/app", "postgresql+psycopgg://localhost/app",
                                 "mariadbb://root@localhost/app", "sqllite:///app.db"])
def test_a_misspelled_dialect_is_an_input_error(project: Path, url: str) -> None:
    for args in (["--url", url, "status"], ["materialize", "--into", url]):
        result = run(*args, cwd=project)
        assert result.exit_code == 2, (args, result.output)
        line = one_error_line(result)
        assert "unknown" in line and "plugin" not in line.lower()


def test_output_piped_into_head_ends_quietly(project: Path) -> None:
    body = ("for i in range(300):\n"
            "        op.create_table(f't{i}', *[sa.Column(f'c{j}', sa.Integer, primary_key=(j == 0)) for j in range(5)])")
    (project / "migrations" / "0001_big.py").write_text(rev("0001", None, body))
    assert run("apply", "-q", cwd=project).exit_code == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for args in (["schema", "--json"], ["log"], ["log", "--format", "jsonl"]):
        proc = subprocess.Popen([sys.executable, "-m", "ledger", *args], cwd=project, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(100)
        proc.stdout.close()  # what `| head -c 100` does
        stderr = proc.stderr.read()
        assert proc.wait(timeout=120) == 0, stderr
        assert stderr == b"", stderr


# ---------------------------------------------------------------------------------------------
# --json and --format
# ---------------------------------------------------------------------------------------------


def _shop(tmp_path: Path, url: str) -> Path:
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    shutil.copytree(SHOP, tmp_path / "migrations")
    assert run("--url", url, "apply", "-q", cwd=tmp_path).exit_code == 0
    return tmp_path


def test_json_everywhere_output_is_data(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    url = database_factory("sqlite")
    shop = _shop(tmp_path, url)
    for args in (["status"], ["history"], ["log"], ["verify"], ["blame", "orders"], ["schema"], ["diff", "0002", "0004"]):
        result = run("--url", url, *args, "--json", cwd=shop)
        assert result.exit_code == 0, (args, result.output)
        json.loads(result.stdout)
    assert run("--url", url, "schema", "--json", cwd=shop).stdout == \
        run("--url", url, "schema", "--format", "json", cwd=shop).stdout
    assert run("--url", url, "log", "--json", cwd=shop).stdout == run("--url", url, "log", "--format", "json", cwd=shop).stdout
    ops = json.loads(run("--url", url, "diff", "0002", "0004", "--json", cwd=shop).stdout)
    described = run("--url", url, "diff", "0002", "0004", cwd=shop).stdout.splitlines()
    assert [op["describe"] for op in ops] == described and all("payload" in op for op in ops)


# ---------------------------------------------------------------------------------------------
# exit codes
# ---------------------------------------------------------------------------------------------


def test_log_of_an_unknown_revision_is_an_error(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    url = database_factory("sqlite")
    shop = _shop(tmp_path, url)
    result = run("--url", url, "log", "--revision", "NOSUCH", cwd=shop)
    assert result.exit_code == 1 and "NOSUCH" in one_error_line(result)
    assert run("--url", url, "log", "--revision", "0003", cwd=shop).exit_code == 0


def test_a_changed_applied_file_exits_1_in_status_history_and_apply(tmp_path: Path, db_url: str) -> None:
    shop = _shop(tmp_path, db_url)
    path = shop / "migrations" / "0001_customers.py"
    path.write_text(path.read_text().replace("String(80)", "String(90)"))
    for args in (["status"], ["history"], ["history", "--json"], ["apply"], ["verify"]):
        result = run("--url", db_url, *args, cwd=shop)
        assert result.exit_code == 1, (args, result.output)


# ---------------------------------------------------------------------------------------------
# blame, English
# ---------------------------------------------------------------------------------------------


def test_blame_of_a_column_lists_the_check_and_indexes_built_on_it(tmp_path: Path, db_url: str) -> None:
    shop = _shop(tmp_path, db_url)
    result = run("--url", db_url, "blame", "orders.status", "--json", cwd=shop)
    assert result.exit_code == 0, result.output
    described = [e["describe"] for e in json.loads(result.stdout)["entries"]]
    assert any("check constraint ck_orders_status_known" in d for d in described), described
    assert any(d.startswith("create table orders") for d in described)
    unrelated = json.loads(run("--url", db_url, "blame", "orders.note", "--json", cwd=shop).stdout)["entries"]
    assert not any("ck_orders_status_known" in e["describe"] for e in unrelated)


def test_english_plurals_and_folded_pending_lists(project: Path) -> None:
    folder = project / "migrations"
    parent = None
    for number in range(1, 181):
        rid = f"{number:04d}"
        (folder / f"{rid}_r.py").write_text(rev(rid, parent, "pass"))
        parent = rid
    result = run("status", cwd=project)
    assert result.exit_code == 0, result.output
    assert "180 pending: 0001 ... 0180" in result.stdout
    assert len(result.stdout) < 1000
    applied = run("apply", "-q", "--to", "0001", cwd=project)
    assert "applied 1 revision;" in applied.stdout
    engine = create_engine(f"sqlite:///{project}/adopt.db")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE only_one (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    adopted = run("--url", f"sqlite:///{project}/adopt.db", "baseline", cwd=project)
    assert adopted.exit_code == 0, adopted.output
    assert "baseline: 1 table recorded as 1 event" in adopted.stdout
    verified = run("--url", f"sqlite:///{project}/adopt.db", "verify", cwd=project)
    assert "1 event (" in verified.stdout


# ---------------------------------------------------------------------------------------------
# input validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rev_id", ["../evil", "a/b", "a\\b", " a", "a ", "", "..", "x..y", "-x", "a b", "é"])
def test_new_refuses_an_unsafe_revision_id(project: Path, rev_id: str) -> None:
    result = run("new", "-m", "x", "--rev-id", rev_id, cwd=project)
    assert result.exit_code == 2
    assert "letters, digits" in one_error_line(result)
    assert list((project / "migrations").iterdir()) == []
    assert not (project / "evil_x.py").exists()


@given(st.text(max_size=70))
@settings(max_examples=examples(200))
def test_a_revision_id_that_passes_is_a_plain_file_name_part(rev_id: str) -> None:
    try:
        check_revision_id(rev_id)
    except ValueError:
        return
    assert "/" not in rev_id and "\\" not in rev_id and rev_id == rev_id.strip() and ".." not in rev_id
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", rev_id) and Path(rev_id).name == rev_id


def test_new_refuses_an_empty_message(project: Path) -> None:
    for message in ("", "   "):
        result = run("new", "-m", message, cwd=project)
        assert result.exit_code == 2 and "message" in one_error_line(result)
    assert list((project / "migrations").iterdir()) == []
    assert run("new", "-m", "ok", "--rev-id", "0001.a_b-c", cwd=project).exit_code == 0


def test_a_latin1_migration_file_is_read_as_python_reads_it(project: Path) -> None:
    source = ('# -*- coding: latin-1 -*-\n"""Caf\u00e9 table."""\nimport sqlalchemy as sa\n\nrevision = "0001"\n'
              'down_revision = None\n\n\ndef upgrade(op):\n'
              '    op.create_table("cafe", sa.Column("id", sa.Integer, primary_key=True), comment="caf\u00e9")\n')
    (project / "migrations" / "0001_cafe.py").write_bytes(source.encode("latin-1"))
    result = run("history", cwd=project)
    assert result.exit_code == 0, result.output
    assert "Caf\u00e9 table." in result.stdout
    assert run("apply", "-q", cwd=project).exit_code == 0
    schema = json.loads(run("schema", "--json", cwd=project).stdout)
    assert "caf\u00e9" in json.dumps(schema, ensure_ascii=False)


def test_the_unknown_type_error_names_the_users_file_and_class(project: Path) -> None:
    (project / "migrations" / "0001_t.py").write_text(
        '"""t"""\nimport sqlalchemy as sa\n\n\nclass Money(sa.types.TypeDecorator):\n    impl = sa.Numeric\n'
        '    cache_ok = True\n\n\nrevision = "0001"\ndown_revision = None\n\n\ndef upgrade(op):\n'
        '    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("m", Money()))\n')
    result = run("status", cwd=project)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert "Money" in line and "migrations/0001_t.py" in line and "_schema_ledger_migration" not in line


# ---------------------------------------------------------------------------------------------
# the demo
# ---------------------------------------------------------------------------------------------


def test_the_demo_prints_no_escape_codes_and_no_warnings(tmp_path: Path) -> None:
    shop = tmp_path / "shop"
    shutil.copytree(ROOT / "examples" / "shop", shop, ignore=shutil.ignore_patterns("*.db", "__pycache__"))
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(["bash", str(ROOT / "examples" / "demo.sh"), str(bin_dir)], cwd=shop,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert "\x1b" not in output
    assert "Warning" not in output and "deprecated" not in output.lower()
    pyproject = (ROOT / "pyproject.toml").read_text()
    # setuptools deprecates the table form of project.license (a warning on every install).
    assert re.search(r'^license = "[^"]+"$', pyproject, re.MULTILINE)


def test_log_of_a_database_without_a_ledger_says_so(tmp_path: Path) -> None:
    """The wrong database (a path mistyped): log says there is no ledger there, stdout stays data."""
    missing = tmp_path / "mistyped.db"
    for args in (["log"], ["log", "--json"]):
        result = run("--url", f"sqlite:///{missing}", *args, cwd=tmp_path)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() in ("", "[]")
        assert "has no ledger table schema_ledger: nothing was applied or baselined" in result.stderr, result.stderr
    assert not missing.exists()


def test_status_and_history_of_a_database_without_a_ledger_or_migrations_say_both(tmp_path: Path) -> None:
    """No migrations folder (an Alembic project with the hook) and the wrong database: the error
    names the database that has no ledger, not only the folder."""
    missing = tmp_path / "mistyped.db"
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    for command in ("status", "history"):
        result = run("--url", f"sqlite:///{missing}", command, cwd=tmp_path)
        assert result.exit_code == 2, result.output
        line = one_error_line(result)
        assert "migrations folder does not exist" in line and "mistyped.db has no ledger table schema_ledger" in line
    assert not missing.exists()
