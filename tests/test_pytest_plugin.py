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
        "from ledger.integrations.pytest_plugin import test_schema_ledger_drill\n\n\n"
        "def test_config(schema_ledger_config):\n"
        "    assert schema_ledger_config.migrations_dir.name == 'migrations'\n\n\n"
        "def test_report(schema_ledger_drill):\n"
        "    assert [r.revision for r in schema_ledger_drill.rows if r.down is False] == ['0009']\n"
    ))
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*test_schema_ledger_drill FAILED*"])


# ---------------------------------------------------------------------------------------------
# The four tests named like pytest-alembic's, on a native project (the shop example)
# ---------------------------------------------------------------------------------------------

FOUR = ("test_single_head_revision", "test_upgrade", "test_model_definitions_match_ddl", "test_up_down_consistency")

# The models of the shop at head, built from the migrations' fold: the passing case of the model test.
SHOP_MODELS = '''\
from ledger.schema.autogenerate import head_state
from ledger.project.config import load_config
from ledger.project.revisions import load_revisions

_config = load_config(start=__import__("pathlib").Path(__file__).parent)
metadata = head_state(_config, load_revisions(_config.migrations_dir)).to_metadata()
'''


def _native(pytester: pytest.Pytester, *, models: str | None = SHOP_MODELS) -> None:
    shutil.copytree(SHOP, pytester.path / "migrations")
    target = 'target_metadata = "models:metadata"\n' if models is not None else ""
    pytester.makefile(".toml", **{"schema-ledger": f'url = "sqlite:///app.db"\nmigrations = "migrations"\n{target}'})
    if models is not None:
        (pytester.path / "models.py").write_text(models, encoding="utf-8")


def _outcomes(result: pytest.RunResult) -> dict[str, str]:
    """test name -> PASSED / FAILED, from a -v run."""
    out = {}
    for line in result.stdout.lines:
        words = line.split()
        if len(words) >= 2 and words[1] in ("PASSED", "FAILED"):
            out[words[0].rpartition("::")[2]] = words[1]
    return out


def test_native_flag_adds_the_four_tests_and_they_pass(pytester: pytest.Pytester) -> None:
    _native(pytester)
    result = pytester.runpytest("--schema-ledger-tests", "-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    assert _outcomes(result) == dict.fromkeys(FOUR, "PASSED")
    assert not (pytester.path / "app.db").exists()


def test_native_imported_tests_pass(pytester: pytest.Pytester) -> None:
    _native(pytester)
    pytester.makepyfile(test_migrations=f"from ledger.integrations.pytest_plugin import {', '.join(FOUR)}\n")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=4)


def test_native_second_head_fails_single_head(pytester: pytest.Pytester) -> None:
    _native(pytester)
    (pytester.path / "migrations" / "0009_branch.py").write_text(
        '"""A second child of 0007."""\n\nrevision = "0009"\ndown_revision = "0007"\n\n\n'
        'def upgrade(op):\n    op.execute("SELECT 1", reverse_sql="SELECT 1")\n', encoding="utf-8")
    result = pytester.runpytest("--schema-ledger-tests", "-v", "-k", "single_head")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*test_single_head_revision: RevisionError*0007*"])


def test_native_models_that_differ_fail_the_model_test(pytester: pytest.Pytester) -> None:
    _native(pytester, models=SHOP_MODELS + (
        "import sqlalchemy as sa\n"
        "sa.Table('audit_trail', metadata, sa.Column('id', sa.Integer, primary_key=True))\n"))
    result = pytester.runpytest("--schema-ledger-tests", "-v")
    result.assert_outcomes(passed=3, failed=1)
    assert _outcomes(result)["test_model_definitions_match_ddl"] == "FAILED"
    result.stdout.fnmatch_lines(["*the models differ from the migrations at head*", "*create table audit_trail*"])


def test_native_without_target_metadata_the_model_test_fails_saying_how(pytester: pytest.Pytester) -> None:
    _native(pytester, models=None)
    result = pytester.runpytest("--schema-ledger-tests", "-v", "-k", "model_definitions")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*needs the models' MetaData: set target_metadata*deselect this test*"])


def test_native_planted_bad_reverse_fails_up_down_only(pytester: pytest.Pytester) -> None:
    _native(pytester)
    (pytester.path / "migrations" / "0009_fault.py").write_text(
        '"""A data step whose reverse is wrong."""\n\nrevision = "0009"\ndown_revision = "0008"\n\n\n'
        'def upgrade(op):\n    op.execute("SELECT 1", reverse_sql="CREATE TABLE stray (id INTEGER)")\n',
        encoding="utf-8")
    result = pytester.runpytest("--schema-ledger-tests", "-v")
    result.assert_outcomes(passed=3, failed=1)
    assert _outcomes(result)["test_up_down_consistency"] == "FAILED"
    result.stdout.fnmatch_lines(["*rollback drill failed:*", "*table stray*"])


def test_native_upgrade_that_fails_fails_the_upgrade_test(pytester: pytest.Pytester) -> None:
    _native(pytester)
    (pytester.path / "migrations" / "0009_broken.py").write_text(
        '"""Adds a column to a table that is not there."""\n\nimport sqlalchemy as sa\n\n'
        'revision = "0009"\ndown_revision = "0008"\n\n\n'
        'def upgrade(op):\n    op.execute("INSERT INTO nowhere VALUES (1)", reverse_sql="SELECT 1")\n',
        encoding="utf-8")
    result = pytester.runpytest("--schema-ledger-tests", "-v", "-k", "test_upgrade")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*test_upgrade: *0009*nowhere*"])


# ---------------------------------------------------------------------------------------------
# The same four on an Alembic project whose env.py calls ledger.alembic.attach
# ---------------------------------------------------------------------------------------------

ITEM_TABLE = [
    "op.create_table('item', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(50)))",
]
ITEM_MODELS = '''\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("item", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))
'''


def _alembic(pytester: pytest.Pytester, bodies: list[list[str]], *, hook: bool = True,
             models: str = ITEM_MODELS) -> None:
    from tests.alembic_histories import write_env, write_history

    write_env(pytester.path / "alembic", hook=hook)
    write_history(pytester.path / "alembic", bodies)
    (pytester.path / "alembic.ini").write_text("[alembic]\nscript_location = alembic\n", encoding="utf-8")
    (pytester.path / "models.py").write_text(models, encoding="utf-8")
    pytester.makeini("[pytest]\nschema_ledger_alembic = alembic.ini\nschema_ledger_target_metadata = models:metadata\n")


def test_alembic_flag_adds_the_four_tests_and_they_pass(pytester: pytest.Pytester) -> None:
    _alembic(pytester, [ITEM_TABLE, ["op.add_column('item', sa.Column('price', sa.Integer))"]],
             models=ITEM_MODELS.replace('sa.String(50)))', 'sa.String(50)), sa.Column("price", sa.Integer))'))
    result = pytester.runpytest("--schema-ledger-tests", "-v")
    result.assert_outcomes(passed=4)
    assert _outcomes(result) == dict.fromkeys(FOUR, "PASSED")


def test_alembic_imported_tests_pass_with_a_config_fixture(pytester: pytest.Pytester) -> None:
    _alembic(pytester, [ITEM_TABLE])
    (pytester.path / "tox.ini").unlink()
    pytester.makeconftest(
        "import pytest\nfrom alembic.config import Config\n\n\n"
        "@pytest.fixture(scope='session')\ndef schema_ledger_alembic_config():\n"
        "    return Config('alembic.ini')\n\n\n"
        "@pytest.fixture(scope='session')\ndef schema_ledger_target_metadata():\n"
        "    import models\n    return models.metadata\n"
    )
    pytester.makepyfile(test_migrations=f"from ledger.integrations.pytest_plugin import {', '.join(FOUR)}\n")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=4)


def test_alembic_second_head_fails_single_head(pytester: pytest.Pytester) -> None:
    _alembic(pytester, [ITEM_TABLE])
    from tests.alembic_histories import REVISION

    (pytester.path / "alembic" / "versions" / "branch.py").write_text(REVISION.format(
        message="branch", revision="bbbb", down=None, body="    pass", labels=None, depends=None), encoding="utf-8")
    result = pytester.runpytest("--schema-ledger-tests", "-v", "-k", "single_head")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*test_single_head_revision: the Alembic history has 2 heads (0001aa, bbbb)*"])


def test_alembic_models_that_differ_fail_the_model_test(pytester: pytest.Pytester) -> None:
    _alembic(pytester, [ITEM_TABLE], models=ITEM_MODELS.replace("String(50)", "String(80)"))
    result = pytester.runpytest("--schema-ledger-tests", "-v")
    result.assert_outcomes(passed=3, failed=1)
    assert _outcomes(result)["test_model_definitions_match_ddl"] == "FAILED"
    result.stdout.fnmatch_lines(["*the models differ from what the Alembic history builds*", "*item*name*"])


def test_alembic_irreversible_op_fails_up_down(pytester: pytest.Pytester) -> None:
    _alembic(pytester, [ITEM_TABLE, ["op.execute(\"INSERT INTO item (id, name) SELECT 1, 'a'\")"]])
    result = pytester.runpytest("--schema-ledger-tests", "-v")
    result.assert_outcomes(passed=3, failed=1)
    assert _outcomes(result)["test_up_down_consistency"] == "FAILED"
    result.stdout.fnmatch_lines(["*test_up_down_consistency: rollback drill of the recorded ledger failed: "
                                 "revision 0002aa, down: cannot be rolled back: execute INSERT INTO item*",
                                 "*irreversible: revision 0002aa: execute INSERT INTO item*"])


def test_alembic_env_without_the_hook_fails_clearly(pytester: pytest.Pytester) -> None:
    _alembic(pytester, [ITEM_TABLE], hook=False)
    result = pytester.runpytest("--schema-ledger-tests", "-v", "-k", "test_upgrade")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*recorded nothing in the ledger: the project's env.py must call "
                                 "ledger.alembic.attach(context)*"])
