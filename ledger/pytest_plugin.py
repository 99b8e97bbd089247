"""pytest plugin: run the rollback drill on a project's migrations as part of its tests.

Installed with schema-ledger (entry point ``pytest11``), it adds nothing to a test run until
asked. Three ways to use it:

- ``pytest --schema-ledger-drill`` adds one test, ``schema-ledger-drill``, that runs the drill
  and fails with the drill's report when any revision cannot be undone exactly;
- ``from ledger.pytest_plugin import test_schema_ledger_drill`` in a test module gives the
  same test there;
- the ``schema_ledger_drill`` fixture is the :class:`~ledger.drill.DrillReport` itself, for
  tests of your own (``schema_ledger_config`` is the project's configuration).

The project is found like the command line finds it (the nearest ``schema-ledger.toml`` or
``pyproject.toml`` from the rootdir up), or named with ``--schema-ledger-config`` / the ini
option ``schema_ledger_config``. The drill runs on a scratch database of the configured
database's kind (``--schema-ledger-url`` / ``schema_ledger_url`` / ``SCHEMA_LEDGER_URL``
overrides the URL: point it at a test server, the drill only reads it to know where to make
the scratch database), or on ``--schema-ledger-scratch URL``, which must be empty.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .config import Config
    from .drill import DrillReport

__all__ = ["schema_ledger_config", "schema_ledger_drill", "test_schema_ledger_drill"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("schema-ledger", "schema-ledger rollback drills")
    group.addoption("--schema-ledger-drill", action="store_true", default=False,
                    help="Add a test that runs the rollback drill on the project's migrations.")
    group.addoption("--schema-ledger-config", metavar="FILE", default=None,
                    help="The project's configuration file (default: the nearest one from the rootdir).")
    group.addoption("--schema-ledger-url", metavar="URL", default=None,
                    help="Database URL whose kind (and server) the drill's scratch database takes.")
    group.addoption("--schema-ledger-scratch", metavar="URL", default=None,
                    help="An empty database to drill on instead of a temporary one.")
    parser.addini("schema_ledger_config", "schema-ledger configuration file for the drill", default=None)
    parser.addini("schema_ledger_url", "database URL for the drill's scratch database", default=None)
    parser.addini("schema_ledger_scratch", "an empty database to drill on", default=None)


def _setting(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(f"--schema-ledger-{name}") or config.getini(f"schema_ledger_{name}")
    return str(value) if value else None


def load_project(config: pytest.Config) -> Config:
    """The schema-ledger configuration of the project under test."""
    from .config import load_config

    path = _setting(config, "config")
    if path is not None and not Path(path).is_absolute():
        path = str(config.rootpath / path)
    return load_config(path, url=_setting(config, "url"), start=config.rootpath)


def run_drill(config: pytest.Config) -> DrillReport:
    from .drill import drill

    return drill(load_project(config), scratch=_setting(config, "scratch"))


@pytest.fixture(scope="session")
def schema_ledger_config(pytestconfig: pytest.Config) -> Config:
    """The schema-ledger configuration of the project under test."""
    return load_project(pytestconfig)


@pytest.fixture
def schema_ledger_drill(pytestconfig: pytest.Config) -> DrillReport:
    """The report of a rollback drill run on the project's migrations (on a scratch database)."""
    return run_drill(pytestconfig)


def test_schema_ledger_drill(schema_ledger_drill: DrillReport) -> None:
    """Every revision applies, rolls back and applies again with the live schema equal to the fold."""
    if not schema_ledger_drill.passed:
        pytest.fail("rollback drill failed:\n" + schema_ledger_drill.table(), pytrace=False)


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


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--schema-ledger-drill"):
        items.append(DrillItem.from_parent(session, name="schema-ledger-drill"))
