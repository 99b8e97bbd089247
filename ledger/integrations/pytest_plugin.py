"""pytest plugin: the migration tests every project wants, ready made, in the project's own test run.

Installed with schema-ledger (entry point ``pytest11``), it adds nothing to a test run until
asked. The four tests are named like pytest-alembic's:

- ``test_single_head_revision``: the migrations form one linear chain with one head;
- ``test_upgrade``: every revision applies, base to head, on a scratch database;
- ``test_model_definitions_match_ddl``: the project's target metadata and the migrations at
  head describe the same schema (autogenerate would write nothing). Without a target
  metadata it fails and says how to configure one (or deselect it): it is never skipped;
- ``test_up_down_consistency``: every revision rolls back (the rollback drill; for Alembic
  projects, the drill of the ledger that ``alembic upgrade head`` recorded).

Ways to use them:

- ``pytest --schema-ledger-tests`` adds the four; ``pytest --schema-ledger-drill`` adds the
  drill alone (``schema-ledger-drill``);
- ``from ledger.integrations.pytest_plugin import test_upgrade, ...`` in a test module gives them there
  (``test_schema_ledger_drill`` is the drill alone);
- fixtures: ``schema_ledger_config`` (the project's configuration), ``schema_ledger_drill``
  (a :class:`~ledger.run.drill.DrillReport`), ``schema_ledger_project`` (what the four tests act
  on), ``schema_ledger_alembic_config`` and ``schema_ledger_target_metadata`` (override them
  in a ``conftest.py`` to hand over an Alembic ``Config`` or a ``MetaData``).

A native project is found like the command line finds it (the nearest ``schema-ledger.toml``
or ``pyproject.toml`` from the rootdir up), or named with ``--schema-ledger-config`` / the ini
option ``schema_ledger_config``. The tests run on a scratch database of the configured
database's kind (``--schema-ledger-url`` / ``schema_ledger_url`` / ``SCHEMA_LEDGER_URL``
overrides the URL: point it at a test server, it is only read to know where to make the
scratch database), or on ``--schema-ledger-scratch URL``, which must be empty.

An Alembic project is named with ``--schema-ledger-alembic`` / ``schema_ledger_alembic`` (its
``alembic.ini`` or its script folder); its ``env.py`` must call ``ledger.alembic.attach``. Its
tests run ``alembic upgrade head`` on a scratch SQLite database (``sqlalchemy.url`` is set to
it) and check what the hook recorded; the target metadata is named with
``--schema-ledger-target-metadata`` / ``schema_ledger_target_metadata`` (``module:attribute``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pytest

if TYPE_CHECKING:
    from ledger.project.config import Config
    from ledger.run.drill import DrillReport

__all__ = [
    "CHECKS",
    "Project",
    "SchemaLedgerTestFailure",
    "schema_ledger_alembic_config",
    "schema_ledger_config",
    "schema_ledger_drill",
    "schema_ledger_project",
    "schema_ledger_target_metadata",
    "test_model_definitions_match_ddl",
    "test_schema_ledger_drill",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("schema-ledger", "schema-ledger migration tests")
    group.addoption("--schema-ledger-drill", action="store_true", default=False,
                    help="Add a test that runs the rollback drill on the project's migrations.")
    group.addoption("--schema-ledger-tests", action="store_true", default=False,
                    help="Add the four migration tests (single head, upgrade, model match, up/down).")
    group.addoption("--schema-ledger-config", metavar="FILE", default=None,
                    help="The project's configuration file (default: the nearest one from the rootdir).")
    group.addoption("--schema-ledger-url", metavar="URL", default=None,
                    help="Database URL whose kind (and server) the scratch database takes.")
    group.addoption("--schema-ledger-scratch", metavar="URL", default=None,
                    help="An empty database to run the tests on instead of a temporary one.")
    group.addoption("--schema-ledger-alembic", metavar="PATH", default=None,
                    help="An Alembic project's alembic.ini or script folder (its env.py calls the hook).")
    group.addoption("--schema-ledger-target-metadata", metavar="MODULE:ATTR", default=None,
                    help="The models' MetaData (default: target_metadata of the configuration).")
    parser.addini("schema_ledger_config", "schema-ledger configuration file", default=None)
    parser.addini("schema_ledger_url", "database URL for the scratch database", default=None)
    parser.addini("schema_ledger_scratch", "an empty database to run the tests on", default=None)
    parser.addini("schema_ledger_alembic", "an Alembic project's alembic.ini or script folder", default=None)
    parser.addini("schema_ledger_target_metadata", "the models' MetaData as module:attribute", default=None)


def _setting(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(f"--schema-ledger-{name.replace('_', '-')}") or config.getini(f"schema_ledger_{name}")
    return str(value) if value else None


def load_project(config: pytest.Config) -> Config:
    """The schema-ledger configuration of the project under test."""
    from ledger.project.config import load_config, load_plugins

    path = _setting(config, "config")
    if path is not None and not Path(path).is_absolute():
        path = str(config.rootpath / path)
    project = load_config(path, url=_setting(config, "url"), start=config.rootpath)
    load_plugins(project)
    return project


def run_drill(config: pytest.Config) -> DrillReport:
    from ledger.run.drill import drill

    return drill(load_project(config), scratch=_setting(config, "scratch"))


def alembic_config(config: pytest.Config) -> Any:
    """The Alembic ``Config`` named by the options, or None for a native project."""
    where = _setting(config, "alembic")
    if where is None:
        return None
    from alembic.config import Config as AlembicConfig

    path = Path(where) if Path(where).is_absolute() else config.rootpath / where
    if path.is_dir():
        alembic = AlembicConfig()
        alembic.set_main_option("script_location", str(path))
        return alembic
    if not path.is_file():
        raise SchemaLedgerTestFailure(f"{where}: no such alembic.ini or script folder (--schema-ledger-alembic)")
    return AlembicConfig(str(path))


# ---------------------------------------------------------------------------------------------
# The four tests, for either kind of project
# ---------------------------------------------------------------------------------------------


class SchemaLedgerTestFailure(Exception):
    """One of the migration tests failed; the message says what to look at."""


@attrs.frozen
class Project:
    """What the migration tests act on: a native project, or an Alembic one using the hook."""

    config: Config
    #: an ``alembic.config.Config``; None for a native project
    alembic: Any = None
    #: a ``MetaData``, a "module:attribute" naming one, or None (the configuration's target_metadata)
    target_metadata: Any = None
    scratch: str | None = None

    @classmethod
    def from_pytest(cls, config: pytest.Config) -> Project:
        return cls(load_project(config), alembic_config(config), _setting(config, "target_metadata"),
                   _setting(config, "scratch"))


def _ops_text(ops: Any) -> str:
    return "\n".join(f"  {op.describe()}" for op in ops)


def _target(project: Project) -> Any:
    """The target schema as a SchemaState; fails when none is configured."""
    import sqlalchemy as sa

    from ops import SchemaState

    from ledger.schema.autogenerate import target_state

    target = project.target_metadata
    if isinstance(target, sa.MetaData):
        return SchemaState.from_metadata(target, project.config.naming_convention)
    config = attrs.evolve(project.config, target_metadata=target) if target else project.config
    if not config.target_metadata:
        raise SchemaLedgerTestFailure(
            "test_model_definitions_match_ddl needs the models' MetaData: set target_metadata = "
            '"package.module:metadata" in the schema-ledger configuration, or --schema-ledger-target-metadata / '
            "the ini option schema_ledger_target_metadata, or override the schema_ledger_target_metadata "
            "fixture; or deselect this test (-k 'not test_model_definitions_match_ddl')"
        )
    return target_state(config)


# Native projects


def _chain(project: Project) -> Any:
    from ledger.project.revisions import load_revisions

    return load_revisions(project.config.migrations_dir, naming_convention=project.config.naming_convention)


def _native_single_head(project: Project) -> None:
    _chain(project)  # loading refuses a second head, a gap or a cycle with a message naming the files


def _native_upgrade(project: Project) -> None:
    from ledger.run.baseline import replay_baseline
    from ledger.run.drill import scratch_database
    from ledger.format.events import fold_events
    from ledger.schema.reflect import compare, reflect
    from ledger.run.apply import apply
    from ledger.storage.session import connect, store_for

    chain = _chain(project)
    with scratch_database(project.config.url, project.scratch) as url:
        config = attrs.evolve(project.config, url=url)
        replay_baseline(config, url)
        apply(config, chain=chain, why="pytest: test_upgrade")
        store = store_for(config)
        with connect(url) as conn:
            fold = fold_events(store.events(conn))
            live = reflect(conn, exclude=(config.ledger_table,))
            differences = compare(fold, live, conn.dialect.name)
    if differences:
        raise SchemaLedgerTestFailure("after upgrade to head the live schema differs from the ledger:\n"
                                      + "\n".join(f"  {d}" for d in differences))


def _native_model_match(project: Project) -> None:
    from ledger.schema.autogenerate import autogenerate

    target = _target(project)
    result = autogenerate(project.config, _chain(project), "pytest", write=False, target=target)
    if result.ops:
        raise SchemaLedgerTestFailure("the models differ from the migrations at head; a new revision would hold:\n"
                                      + _ops_text(result.ops))


def _native_up_down(project: Project) -> None:
    from ledger.run.drill import drill

    report = drill(project.config, scratch=project.scratch)
    if not report.passed:
        raise SchemaLedgerTestFailure("rollback drill failed:\n" + report.table())


# Alembic projects


def _alembic_single_head(project: Project) -> None:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(project.alembic).get_heads()
    if len(heads) != 1:
        raise SchemaLedgerTestFailure(f"the Alembic history has {len(heads)} heads ({', '.join(sorted(heads))}); "
                                      "merge them (alembic merge) or drop all but one")


@contextlib.contextmanager
def _upgraded(project: Project) -> Iterator[tuple[str, Config]]:
    """A scratch SQLite database that ``alembic upgrade head`` (with the hook) has run on."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from ledger.run.drill import scratch_database

    with scratch_database("sqlite:///scratch.db", project.scratch) as url:
        project.alembic.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
        command.upgrade(project.alembic, "head")
        config = attrs.evolve(project.config, url=url)
        if ScriptDirectory.from_config(project.alembic).get_heads() and not _events(config):
            raise SchemaLedgerTestFailure(
                "alembic upgrade head recorded nothing in the ledger: the project's env.py must call "
                "ledger.alembic.attach(context) after context.configure(...) and before run_migrations()"
            )
        yield url, config


def _events(config: Config) -> list[Any]:
    import sqlalchemy as sa

    from ledger.storage.session import connect, store_for

    with connect(config.url) as conn:
        if config.ledger_table not in sa.inspect(conn).get_table_names():
            return []
        return list(store_for(config).events(conn))


def _fold(config: Config) -> Any:
    from ledger.format.events import fold_events

    return fold_events(_events(config))


def _alembic_upgrade(project: Project) -> None:
    with _upgraded(project):
        pass


def _alembic_model_match(project: Project) -> None:
    from ledger.schema.diff import diff, models_as_held

    target = _target(project)
    with _upgraded(project) as (_, config):
        fold = _fold(config)
        ops = diff(fold, models_as_held(target, fold))
    if ops:
        raise SchemaLedgerTestFailure("the models differ from what the Alembic history builds; "
                                      "a new revision would hold:\n" + _ops_text(ops))


def _alembic_up_down(project: Project) -> None:
    from ledger.run.drill import drill

    # The ledger Alembic recorded, drilled revision by revision on a scratch database of its own:
    # up, down to base and up again, live equal to the fold after each step.
    with _upgraded(project) as (_, config):
        report = drill(config, from_ledger=True)
    if not report.passed:
        raise SchemaLedgerTestFailure("rollback drill of the recorded ledger failed: " + "; ".join(report.failures)
                                      + "\n" + report.table())


#: test name -> (native check, Alembic check)
CHECKS: dict[str, tuple[Callable[[Project], None], Callable[[Project], None]]] = {
    "test_single_head_revision": (_native_single_head, _alembic_single_head),
    "test_upgrade": (_native_upgrade, _alembic_upgrade),
    "test_model_definitions_match_ddl": (_native_model_match, _alembic_model_match),
    "test_up_down_consistency": (_native_up_down, _alembic_up_down),
}


def run_check(name: str, project: Project) -> None:
    """Run one of the four tests; a failure or a ledger error becomes a :class:`SchemaLedgerTestFailure`."""
    from ops import LedgerError

    native, alembic = CHECKS[name]
    try:
        (native if project.alembic is None else alembic)(project)
    except LedgerError as exc:
        raise SchemaLedgerTestFailure(f"{type(exc).__name__}: {exc}") from None


def _run(name: str, project: Project) -> None:
    try:
        run_check(name, project)
    except SchemaLedgerTestFailure as exc:
        pytest.fail(f"{name}: {exc}", pytrace=False)


# ---------------------------------------------------------------------------------------------
# Fixtures and the importable tests
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def schema_ledger_config(pytestconfig: pytest.Config) -> Config:
    """The schema-ledger configuration of the project under test."""
    return load_project(pytestconfig)


@pytest.fixture(scope="session")
def schema_ledger_alembic_config(pytestconfig: pytest.Config) -> Any:
    """The Alembic project's ``alembic.config.Config`` (None for a native project); override to hand one over."""
    return alembic_config(pytestconfig)


@pytest.fixture(scope="session")
def schema_ledger_target_metadata(pytestconfig: pytest.Config) -> Any:
    """The models' ``MetaData`` or a "module:attribute" naming it; None: the configuration's target_metadata."""
    return _setting(pytestconfig, "target_metadata")


@pytest.fixture
def schema_ledger_project(
    pytestconfig: pytest.Config, schema_ledger_config: Config, schema_ledger_alembic_config: Any,
    schema_ledger_target_metadata: Any,
) -> Project:
    """What the four migration tests act on."""
    return Project(schema_ledger_config, schema_ledger_alembic_config, schema_ledger_target_metadata,
                   _setting(pytestconfig, "scratch"))


@pytest.fixture
def schema_ledger_drill(pytestconfig: pytest.Config) -> DrillReport:
    """The report of a rollback drill run on the project's migrations (on a scratch database)."""
    return run_drill(pytestconfig)


def test_schema_ledger_drill(schema_ledger_drill: DrillReport) -> None:
    """Every revision applies, rolls back and applies again with the live schema equal to the fold."""
    if not schema_ledger_drill.passed:
        pytest.fail("rollback drill failed:\n" + schema_ledger_drill.table(), pytrace=False)


def test_single_head_revision(schema_ledger_project: Project) -> None:
    """The migrations form one chain with a single head."""
    _run("test_single_head_revision", schema_ledger_project)


def test_upgrade(schema_ledger_project: Project) -> None:
    """Every revision applies, base to head, on a scratch database."""
    _run("test_upgrade", schema_ledger_project)


def test_model_definitions_match_ddl(schema_ledger_project: Project) -> None:
    """The models describe the schema the migrations build at head."""
    _run("test_model_definitions_match_ddl", schema_ledger_project)


def test_up_down_consistency(schema_ledger_project: Project) -> None:
    """Every revision rolls back to base, leaving the schema the ledger shows."""
    _run("test_up_down_consistency", schema_ledger_project)


# ---------------------------------------------------------------------------------------------
# Items the flags add
# ---------------------------------------------------------------------------------------------


class DrillFailed(Exception):
    """The drill item's failure, carrying the report."""


class DrillItem(pytest.Item):
    """The test that ``--schema-ledger-drill`` adds."""

    def runtest(self) -> None:
        report = run_drill(self.config)
        if not report.passed:
            raise DrillFailed(report.table())

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, DrillFailed):
            return "rollback drill failed:\n" + str(excinfo.value)
        from ops import LedgerError

        if isinstance(excinfo.value, LedgerError):
            return f"rollback drill could not run: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, "schema-ledger rollback drill"


class CheckItem(pytest.Item):
    """One of the four tests that ``--schema-ledger-tests`` adds."""

    def runtest(self) -> None:
        run_check(self.name, Project.from_pytest(self.config))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, SchemaLedgerTestFailure):
            return f"{self.name}: {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"schema-ledger {self.name}"


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--schema-ledger-tests"):
        items.extend(CheckItem.from_parent(session, name=name) for name in CHECKS)
    if config.getoption("--schema-ledger-drill"):
        items.append(DrillItem.from_parent(session, name="schema-ledger-drill"))
