"""Real third-party Alembic histories, downloaded as wheels: aim 3.29.1 and apache-airflow-providers-fab 3.10.2.

Nothing from the wheels is committed: ``pip download --no-deps`` fetches them into the test
session's temporary folder (once per session), and each test extracts the ``versions/`` folder
next to its own minimal ``env.py``. Without network access the tests are skipped, loudly;
under ``CI=true`` a failed download fails the run.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from tests.alembic_histories import (  # noqa: F401 - project and wheels are fixtures
    LEDGER_TABLE,
    Project,
    chain_problems,
    differences,
    project,
    rollback_to_base,
    run_alembic,
    upgrade_order,
    user_tables,
    wheels,
)

#: (history, dialect) pairs whose upgrade the history supports.
SUPPORTED = [
    ("aim-storage", "sqlite"), ("aim-storage", "postgresql"),
    ("aim-web", "sqlite"),
    ("fab", "sqlite"), ("fab", "postgresql"),
]


def _tables(url: str, version_table: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return user_tables(conn, exclude=(LEDGER_TABLE, version_table))
    finally:
        engine.dispose()


def _check(url: str, version_table: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert differences(conn, exclude=(LEDGER_TABLE, version_table)) == []
            assert chain_problems(conn) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize(("history", "dialect"), SUPPORTED)
def test_with_the_hook_the_fold_equals_the_live_schema_after_every_revision(
    history: str, dialect: str, project: Project, database_factory: Callable[[str], str]
) -> None:
    folder, version_table = project(history)
    url = database_factory(dialect)
    order = upgrade_order(folder)
    assert len(order) >= 2
    for revision in order:
        run_alembic(folder, url, "upgrade", revision)
        _check(url, version_table)
    assert _tables(url, version_table)


def test_aim_web_history_does_not_run_on_postgresql_and_the_hook_records_nothing_of_it(
    project: Project, database_factory: Callable[[str], str]
) -> None:
    # Revision 73a3d004c227 drops table "commits" before "commit_tag", whose foreign key refers to it.
    folder, version_table = project("aim-web")
    url = database_factory("postgresql")
    with pytest.raises(sa.exc.DBAPIError, match="cannot drop table commits"):
        run_alembic(folder, url, "upgrade", "head")
    assert _tables(url, version_table) == []
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table(LEDGER_TABLE)
    engine.dispose()


def _rollback_leaves_nothing(url: str, version_table: str) -> None:
    reverts = rollback_to_base(url)
    assert reverts
    assert _tables(url, version_table) == []
    _check(url, version_table)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_rollback_to_base_leaves_no_table_where_alembic_downgrade_fails_at_its_first_step_aim_storage(
    dialect: str, project: Project, database_factory: Callable[[str], str]
) -> None:
    # Alembic's own downgrade of 46b89d830ad8 calls op.drop_constraint(None, ...) and fails.
    plain, version_table = project("aim-storage", hook=False)
    alembic_url = database_factory(dialect)
    run_alembic(plain, alembic_url, "upgrade", "head")
    with pytest.raises(Exception, match="(?i)constraint|name|sqlite"):
        run_alembic(plain, alembic_url, "downgrade", "base")
    assert _tables(alembic_url, version_table)

    hooked, _ = project("aim-storage")
    url = database_factory(dialect)
    run_alembic(hooked, url, "upgrade", "head")
    _rollback_leaves_nothing(url, version_table)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_rollback_to_base_leaves_no_table_where_alembic_downgrade_leaves_every_table_fab(
    dialect: str, project: Project, database_factory: Callable[[str], str]
) -> None:
    # The first revision's downgrade() is `...`: `alembic downgrade base` succeeds and drops nothing.
    plain, version_table = project("fab", hook=False)
    alembic_url = database_factory(dialect)
    run_alembic(plain, alembic_url, "upgrade", "head")
    tables = _tables(alembic_url, version_table)
    run_alembic(plain, alembic_url, "downgrade", "base")
    assert _tables(alembic_url, version_table) == tables

    hooked, _ = project("fab")
    url = database_factory(dialect)
    run_alembic(hooked, url, "upgrade", "head")
    _rollback_leaves_nothing(url, version_table)


def test_rollback_to_base_leaves_no_table_aim_web_on_sqlite_where_alembic_downgrade_works_too(
    project: Project, database_factory: Callable[[str], str]
) -> None:
    plain, version_table = project("aim-web", hook=False)
    alembic_url = database_factory("sqlite")
    run_alembic(plain, alembic_url, "upgrade", "head")
    run_alembic(plain, alembic_url, "downgrade", "base")
    assert _tables(alembic_url, version_table) == []

    hooked, _ = project("aim-web")
    url = database_factory("sqlite")
    run_alembic(hooked, url, "upgrade", "head")
    _rollback_leaves_nothing(url, version_table)
