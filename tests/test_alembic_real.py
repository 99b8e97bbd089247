"""Real third-party Alembic histories, downloaded as wheels: aim 3.29.1 and apache-airflow-providers-fab 3.10.2.

Nothing from the wheels is committed: ``pip download --no-deps`` fetches them into the test
session's temporary folder (once per session), and each test extracts the ``versions/`` folder
next to its own minimal ``env.py``. Without network access the tests are skipped, loudly;
under ``CI=true`` a failed download fails the run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.integrations.alembic_import import import_alembic
from ledger.project.config import Config
from ledger.run.drill import DrillReport, drill
from ledger.project.revisions import load_revisions

from tests.alembic_histories import (
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

#: the shared fixtures (of tests.alembic_histories) this module's tests take, found by pytest here
__all__ = ["project", "wheels"]

#: (history, dialect) pairs whose upgrade the history supports.
SUPPORTED = [
    ("aim-storage", "sqlite"), ("aim-storage", "postgresql"),
    ("aim-web", "sqlite"),
    ("fab", "sqlite"), ("fab", "postgresql"),
    ("fab", "mariadb"),
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


def test_aim_storage_on_mariadb_the_fold_follows_every_revision_with_the_unique_names_mariadb_chose(
    project: Project, database_factory: Callable[[str], str]
) -> None:
    # Tables experiment and tag each declare UniqueConstraint('name') twice, unnamed. MariaDB
    # names unique keys per table (name, name_2 in both); the fold keeps key names apart per table
    # on MariaDB as MariaDB does, so both tables hold the names MariaDB chose.
    folder, version_table = project("aim-storage")
    url = database_factory("mariadb")
    gap: list[str] = []
    for revision in upgrade_order(folder):
        run_alembic(folder, url, "upgrade", revision)
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            assert differences(conn, exclude=(LEDGER_TABLE, version_table)) == gap
            assert chain_problems(conn) == []
        engine.dispose()
    _rollback_leaves_nothing(url, version_table)


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


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
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


# ---------------------------------------------------------------------------------------------
# The drill on imported histories: it passes, or fails naming exactly the data-migration revisions
# ---------------------------------------------------------------------------------------------


def _failing_revisions(failures: Sequence[str]) -> set[str]:
    # Every drill failure starts "revision <id>, <phase>".
    found = set()
    for failure in failures:
        match = re.match(r"revision (\S+), ", failure)
        assert match is not None, failure
        found.add(match.group(1))
    return found


def _drill_imported(history: str, dialect: str, project: Project, database_factory: Callable[[str], str],
                    tmp_path: Path) -> tuple[DrillReport, set[str], Config]:
    """Import ``history`` for ``dialect``, then drill it; the report and its data-migration revisions.

    The data-migration revisions are those whose imported file holds an ``execute`` op with no
    reverse, read back from the files with the revision loader.
    """
    folder, _ = project(history, hook=False)
    out = tmp_path / "imported"
    result = import_alembic(folder, dialect, out, url=database_factory(dialect) if dialect != "sqlite" else None)
    assert result.problems == ()
    chain = load_revisions(out)
    assert len(list(chain)) >= 2
    data_migrations = {r.id for r in chain if any(op.op_tag == "execute" and not op.reversible for op in r.ops)}
    # The drill makes its own scratch database beside this (untouched) target.
    config = Config(project_dir=tmp_path, url=database_factory(dialect), migrations=out)
    return drill(config, chain=chain), data_migrations, config


def _assert_passes_or_names_exactly_the_data_migrations(report: DrillReport, data_migrations: set[str],
                                                         config: Config) -> None:
    if report.passed:
        assert data_migrations == set()
        assert all(r.up and r.down and r.again for r in report.rows)
        return
    # The drill stops at its first failure, going down from the head: the failure names the
    # topmost data migration; every data migration is listed as irreversible on its row, and
    # going on past them (--allow-irreversible) no other revision fails.
    topmost = [r.revision for r in report.rows if r.revision in data_migrations][-1]
    assert _failing_revisions(report.failures) == {topmost}, report.failures
    assert {r.revision for r in report.rows if r.irreversible} == data_migrations
    allowed = drill(config, allow_irreversible=True)
    assert allowed.passed, allowed.failures


@pytest.mark.parametrize(("history", "dialect"), [
    ("aim-storage", "sqlite"), ("aim-storage", "postgresql"), ("aim-web", "sqlite"), ("fab", "sqlite"),
])
def test_drill_passes_on_imported_history_that_has_no_data_migration(
    history: str, dialect: str, project: Project, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    report, data_migrations, config = _drill_imported(history, dialect, project, database_factory, tmp_path)
    assert report.passed, report.failures
    _assert_passes_or_names_exactly_the_data_migrations(report, data_migrations, config)


def test_drill_fails_naming_exactly_the_data_migration_revision_of_imported_fab_on_postgresql(
    project: Project, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    # On PostgreSQL, 0001_3_5_0's upgrade() runs DO $$ ... $$ blocks: imported as execute ops with no reverse.
    report, data_migrations, config = _drill_imported("fab", "postgresql", project, database_factory, tmp_path)
    assert not report.passed
    assert data_migrations == {"02ca36b0235b"}
    _assert_passes_or_names_exactly_the_data_migrations(report, data_migrations, config)
