"""Files and database agree before anything runs: a ledger with revisions in effect that no file
defines (a branch switch, a deleted file) stops apply and drill, and a rollback that would leave
them in effect; a rollback that takes them out works without their files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import one_error_line, rev, run, tables


def _table(name: str) -> str:
    return f"op.create_table({name!r}, sa.Column('id', sa.Integer, primary_key=True))"


@pytest.fixture
def branched(tmp_path: Path, db_url: str) -> tuple[Path, str]:
    """0001 and 0002 applied, then 0002's file removed and a sibling 0002x written on 0001."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    (folder / "0001_a.py").write_text(rev("0001", None, _table("a")))
    (folder / "0002_b.py").write_text(rev("0002", "0001", _table("b")))
    assert run("--url", db_url, "apply", "-q", cwd=tmp_path).exit_code == 0
    (folder / "0002_b.py").unlink()
    (folder / "0002x_c.py").write_text(rev("0002x", "0001", _table("c")))
    return tmp_path, db_url


def test_apply_refuses_while_a_revision_in_effect_has_no_file(branched: tuple[Path, str]) -> None:
    project, url = branched
    for args in (["apply"], ["apply", "--sql"], ["apply", "--to", "0001"]):
        result = run("--url", url, *args, cwd=project)
        assert result.exit_code == 1, (args, result.output)
        line = one_error_line(result)
        assert "0002" in line and "no migration file defines" in line and "rollback" in line and "branch" in line
    assert "c" not in tables(url)
    # With nothing new to apply it still refuses (it used to say "nothing to apply: at 0001").
    (project / "migrations" / "0002x_c.py").unlink()
    result = run("--url", url, "apply", cwd=project)
    assert result.exit_code == 1 and "0002" in one_error_line(result)


def test_status_current_is_the_ledgers_own(branched: tuple[Path, str]) -> None:
    project, url = branched
    result = run("--url", url, "status", cwd=project)
    assert result.exit_code == 1
    current = next(line for line in result.stdout.splitlines() if line.startswith("current"))
    assert current.split()[1] == "0002" and "no migration file" in current
    as_json = run("--url", url, "status", "--json", cwd=project)
    assert '"current": "0002"' in as_json.stdout and '"unknown_revisions": [\n    "0002"' in as_json.stdout


def test_drill_refuses_while_a_revision_in_effect_has_no_file(branched: tuple[Path, str]) -> None:
    project, url = branched
    result = run("--url", url, "drill", "-q", cwd=project)
    assert result.exit_code == 1
    assert "0002" in one_error_line(result)


def test_rollback_that_takes_them_out_needs_no_file_then_apply_goes_on(branched: tuple[Path, str]) -> None:
    project, url = branched
    result = run("--url", url, "rollback", "--to", "0001", "-q", cwd=project)
    assert result.exit_code == 0, result.output
    assert "b" not in tables(url)
    applied = run("--url", url, "apply", "-q", cwd=project)
    assert applied.exit_code == 0, applied.output
    assert {"a", "c"} <= set(tables(url))


def test_rollback_that_would_leave_a_file_less_revision_in_effect_is_refused(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    for rid, parent, name in (("0001", None, "a"), ("0002", "0001", "b"), ("0003", "0002", "c")):
        (folder / f"{rid}_{name}.py").write_text(rev(rid, parent, _table(name)))
    assert run("--url", db_url, "apply", "-q", cwd=tmp_path).exit_code == 0
    (folder / "0002_b.py").unlink()
    (folder / "0003_c.py").unlink()
    result = run("--url", db_url, "rollback", "--to", "-1", "-q", cwd=tmp_path)
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "0002" in line and "would stay in effect" in line
    assert {"a", "b", "c"} <= set(tables(db_url))
    # Rolling both back (below them) works, with no file.
    both = run("--url", db_url, "rollback", "--to", "0001", "-q", cwd=tmp_path)
    assert both.exit_code == 0, both.output
    assert "b" not in tables(db_url) and "c" not in tables(db_url)


def test_apply_to_an_older_revision_says_to_use_rollback(tmp_path: Path, db_url: str) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    (folder / "0001_a.py").write_text(rev("0001", None, _table("a")))
    (folder / "0002_b.py").write_text(rev("0002", "0001", _table("b")))
    assert run("--url", db_url, "apply", "-q", cwd=tmp_path).exit_code == 0
    result = run("--url", db_url, "apply", "--to", "0001", cwd=tmp_path)
    assert result.exit_code == 2
    assert "rollback --to 0001" in one_error_line(result)


def test_a_rollback_that_leaves_nothing_in_effect_loads_no_migration_file(tmp_path: Path, db_url: str) -> None:
    """The files are loaded to know which revisions they define only when some revision stays in
    effect: a rollback to base runs none of them (a file edited since its last load would run)."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    for rid, parent, name in (("0001", None, "a"), ("0002", "0001", "b")):
        (folder / f"{rid}_{name}.py").write_text(rev(rid, parent, _table(name)))
    assert run("--url", db_url, "apply", "-q", cwd=tmp_path).exit_code == 0
    marker = tmp_path / "loaded"
    # edited since it was cached: loading the folder runs it, which leaves the marker
    (folder / "0001_a.py").write_text(rev("0001", None, _table("a")) + f"open({str(marker)!r}, 'w').close()\n")
    back = run("--url", db_url, "rollback", "--to", "0001", "-q", cwd=tmp_path)
    assert back.exit_code == 0, back.output
    assert marker.exists()  # 0001 stays in effect: the files were loaded to know it has one
    marker.unlink()
    base = run("--url", db_url, "rollback", "--to", "base", "-q", cwd=tmp_path)
    assert base.exit_code == 0, base.output
    assert not marker.exists() and not {"a", "b"} & set(tables(db_url))
