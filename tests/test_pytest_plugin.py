"""The pytest plugin: a ready drill test (by flag or by import) and fixtures, in a project's own test run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop" / "migrations"


def _project(pytester: pytest.Pytester, *, fault: bool = False) -> None:
    shutil.copytree(SHOP, pytester.path / "migrations")
    pytester.makefile(".toml", **{"schema-ledger": 'url = "sqlite:///app.db"\nmigrations = "migrations"\n'})
    if fault:
        # Its reverse leaves a table behind: rolling it back gives a schema the ledger does not show.
        (pytester.path / "migrations" / "0009_fault.py").write_text(
            '"""A data step whose reverse is wrong."""\n\nrevision = "0009"\ndown_revision = "0008"\n\n\n'
            'def upgrade(op):\n    op.execute("SELECT 1", reverse_sql="CREATE TABLE stray (id INTEGER)")\n'
        )
    pytester.makepyfile(test_app="def test_app():\n    assert True\n")


def test_flag_adds_a_drill_test_that_passes(pytester: pytest.Pytester) -> None:
    _project(pytester)
    result = pytester.runpytest("--schema-ledger-drill", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*schema-ledger-drill PASSED*"])
    # The drill ran on a scratch database: the project's own database was not created.
    assert not (pytester.path / "app.db").exists()


def test_without_the_flag_nothing_is_added(pytester: pytest.Pytester) -> None:
    _project(pytester)
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_planted_fault_fails_the_drill_test_with_the_report(pytester: pytest.Pytester) -> None:
    _project(pytester, fault=True)
    result = pytester.runpytest("--schema-ledger-drill")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*rollback drill failed:*",
        "*0009*FAIL*",
        "*FAILED: revision 0009, down (execute SELECT 1)*table stray: in the live database, not expected*",
    ])


def test_imported_ready_test_and_fixtures(pytester: pytest.Pytester) -> None:
    _project(pytester, fault=True)
    pytester.makepyfile(test_migrations=(
        "from ledger.pytest_plugin import test_schema_ledger_drill\n\n\n"
        "def test_config(schema_ledger_config):\n"
        "    assert schema_ledger_config.migrations_dir.name == 'migrations'\n\n\n"
        "def test_report(schema_ledger_drill):\n"
        "    assert [r.revision for r in schema_ledger_drill.rows if r.down is False] == ['0009']\n"
    ))
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*test_schema_ledger_drill FAILED*"])
