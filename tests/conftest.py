"""Test servers, fresh databases (and a hooked Alembic project downgraded on one), hypothesis profiles.

Servers are found like this: URLs from ``SCHEMA_LEDGER_TEST_POSTGRES`` /
``SCHEMA_LEDGER_TEST_MARIADB`` if set; else PostgreSQL on 127.0.0.1:5432 and MariaDB on
127.0.0.1:3306 if they answer; else throwaway servers started in a temporary folder when the
server binaries are installed; else the tests that need them are skipped with a loud summary
line. Under ``CI=true`` a server that cannot be had fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

# The shared builders assert too: their failures should read like a test's own.
pytest.register_assert_rewrite("tests.builders", "tests.alembic_histories", "tests.reliability")

from ledger import dialects  # noqa: E402 - after the rewrite hook is set
from tests import servers  # noqa: E402

# CI runs the same 20 examples per property every time (a red build is reproducible and is the
# commit's doing); local and deep runs draw new examples on every run and explore.
settings.register_profile(
    "ci", max_examples=20, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile(
    "deep", max_examples=1000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_profile = os.environ.get("SCHEMA_LEDGER_HYPOTHESIS") or (
    "deep" if os.environ.get("SCHEMA_LEDGER_DEEP") else "ci" if os.environ.get("CI") else "dev"
)
settings.load_profile(_profile)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def database_matrix() -> tuple[str, ...]:
    """What the ``dialect`` fixture runs each test on: every registered database (ledger.dialects),
    by its name or, where the test servers run a flavour of it, by the flavour's (MariaDB)."""
    return tuple(servers.TESTED_AS.get(database.name, database.name) for database in dialects.DATABASES.values())


DIALECTS = database_matrix()
_unavailable: dict[str, str] = {}


@pytest.fixture(scope="session")
def server_urls() -> Iterator[dict[str, str | None]]:
    """Admin URLs of the PostgreSQL and MariaDB servers (None where none could be had)."""
    found: dict[str, str | None] = {}
    started: list[servers.Throwaway] = []
    for dialect in (d for d in DIALECTS if d in servers.DEFAULTS):
        url, why, throwaway = servers.find(dialect)
        if throwaway is not None:
            started.append(throwaway)
        found[dialect] = url
        if url is None:
            _unavailable[dialect] = why
    yield found
    servers.drop_all()
    for throwaway in started:
        throwaway.stop()


@pytest.fixture(scope="session")
def database_factory(server_urls: dict[str, str | None], tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """``make(dialect) -> url`` of a new, empty, uniquely named database; all dropped at the end."""

    def make(dialect: str) -> str:
        if dialect not in servers.DEFAULTS:  # a database kept in a file (SQLite)
            path = tmp_path_factory.mktemp(dialect) / f"sl_{uuid.uuid4().hex[:8]}.db"
            url = dialects.database(dialect).scratch_file_url(path)
            assert url is not None, f"{dialect}: no test server in tests/servers.py and not kept in a file"
            return url
        admin = server_urls.get(dialect)
        if admin is None:
            message = f"{dialect} server unavailable: {_unavailable.get(dialect, 'unknown')}"
            if IN_CI:
                pytest.fail(message + " (CI=true: a database that cannot be reached fails the run)")
            pytest.skip(message)
        name = f"sl_test_{uuid.uuid4().hex[:12]}"
        servers.create_database(admin, name)
        servers.drop_later(admin, name)  # with the others, when the session ends (server_urls)
        return servers.database_url(admin, name)

    return make


@pytest.fixture(params=DIALECTS)
def dialect(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs once per supported database."""
    return str(request.param)


@pytest.fixture
def db_url(dialect: str, database_factory: Callable[[str], str]) -> str:
    """A fresh empty database of ``dialect``."""
    return database_factory(dialect)


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    eng = sa.create_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def alembic_downgraded(db_url: str, tmp_path: Path) -> tuple[Path, str]:
    """An Alembic project recording with the hook (``MERGED`` of tests/test_alembic_daily.py: r1 to r4,
    a branch b1, their merge m1, r5 after it) upgraded to heads on a fresh database of ``dialect``,
    then ``alembic downgrade -1`` with the hook: r5 undone, m1 left. Its script folder and the URL."""
    from tests.test_alembic_daily import MERGED, MERGED_DOWNGRADES, MERGED_HEADERS, _alembic, _project, _versions

    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS, downgrades=MERGED_DOWNGRADES)
    upgraded = _alembic(folder, db_url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    downgraded = _alembic(folder, db_url, "downgrade", "-1")
    assert downgraded.returncode == 0, downgraded.stderr
    assert _versions(db_url, "alembic_version") == ["m1"]
    return folder, db_url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for dialect, why in _unavailable.items():
        terminalreporter.write_line(
            f"!!! {dialect} TESTS WERE SKIPPED: no server ({why}). "
            f"Set SCHEMA_LEDGER_TEST_{dialect.upper()} or start one.",
            red=True, bold=True,
        )
