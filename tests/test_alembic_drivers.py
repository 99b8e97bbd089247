"""The hook inside the connection of the driver a project runs on: psycopg2, and the async drivers
(asyncpg, aiosqlite, aiomysql) through an async env.py (``connection.run_sync``), as async
applications run Alembic. The database is real; only the driver changes."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.alembic_histories import (
    connected,
    differences,
    hook_events,
    ledger_cli,
    run_alembic,
    table_names,
    write_env,
    write_history,
)

ASYNC_ENV_PY = '''\
"""An async application's env.py: an async engine, the migrations run through run_sync."""
import asyncio

import sqlalchemy as sa
from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

import ledger.alembic

config = context.config


def run_migrations(connection):
    context.configure(connection=connection, target_metadata=None)
    ledger.alembic.attach(context, by="tests")
    with context.begin_transaction():
        context.run_migrations()


async def main():
    engine = create_async_engine(config.get_main_option("sqlalchemy.url"), poolclass=sa.pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(run_migrations)
    await engine.dispose()

asyncio.run(main())
'''


def with_driver(url: str, driver: str) -> str:
    parsed = sa.make_url(url)
    return parsed.set(drivername=f"{parsed.get_backend_name()}+{driver}").render_as_string(hide_password=False)


def hooked_project(tmp_path: Path, bodies: list[list[str]], *, run_async: bool) -> Path:
    folder = tmp_path / "alembic"
    write_env(folder)
    if run_async:
        (folder / "env.py").write_text(ASYNC_ENV_PY, encoding="utf-8")
    write_history(folder, bodies)
    return folder


def live_differences(url: str) -> list[str]:
    with connected(url) as conn:
        return differences(conn)


HISTORY = [
    ["op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('code', sa.String(20)),"
     " sa.UniqueConstraint('code'))"],
    ["op.create_table('child', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('parent_id', sa.Integer(), sa.ForeignKey('parent.id', ondelete='CASCADE')))",
     "op.execute(sa.text('INSERT INTO parent (id, code) VALUES (:i, :c)').bindparams(i=1, c='a%b'))"],
    # DDL as SQL text: the hook reflects the table and diffs it against the fold
    ["op.execute('ALTER TABLE child ADD COLUMN note VARCHAR(10)')"],
]


@pytest.mark.postgresql
def test_the_hook_records_keys_as_postgresql_holds_them_through_asyncpg(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    folder = hooked_project(tmp_path, HISTORY, run_async=True)
    run_alembic(folder, with_driver(url, "asyncpg"), "upgrade", "head")
    # asyncpg returns the catalog's one-byte "char" codes (a key's kind, a foreign key's actions) as
    # bytes: read as such, the primary key, the unique and the foreign key were missed by reflection
    # and the DDL as SQL text was recorded as their drop
    assert live_differences(url) == []
    assert [e.op_type for e in hook_events(url)] == ["create_table", "create_table", "execute", "add_column"]


@pytest.mark.postgresql
def test_the_command_line_takes_the_url_of_the_driver_the_project_runs_on(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    folder = hooked_project(tmp_path, HISTORY, run_async=False)
    run_alembic(folder, with_driver(url, "psycopg2"), "upgrade", "head")
    assert live_differences(url) == []
    for driver in ("psycopg2", "asyncpg"):
        code, output = ledger_cli(with_driver(url, driver), tmp_path, "verify", "--live")
        assert code == 0, output
    code, output = ledger_cli(with_driver(url, "asyncpg"), tmp_path, "rollback", "--to", "base",
                              "--skip-irreversible", "--allow-data-loss", "-q")
    assert code == 0, output
    assert table_names(url) == []


def test_an_aiosqlite_revision_that_fails_leaves_neither_its_ddl_nor_its_events(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    folder = hooked_project(tmp_path, [
        ["op.create_table('a', sa.Column('id', sa.Integer(), primary_key=True))"],
        ["op.create_table('b', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.execute('SELECT * FROM no_such_table')"],
    ], run_async=True)
    with warnings.catch_warnings():
        # a coroutine of aiosqlite's own connection called but never awaited: the hook's BEGIN IMMEDIATE
        # did not run, so SQLite committed the DDL of the failing revision on its own
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(sa.exc.OperationalError, match="no_such_table"):
            run_alembic(folder, f"sqlite+aiosqlite:///{path}", "upgrade", "head")
    url = f"sqlite:///{path}"
    assert table_names(url) == ["a"]
    assert [e.revision for e in hook_events(url)] == ["0001aa"]
    assert live_differences(url) == []


def test_an_aiosqlite_batch_rebuild_is_recorded_as_ops_that_roll_back(tmp_path: Path) -> None:
    # nonebot-plugin-session-orm's 2e0c173949d3: a batch block renames a unique constraint, which SQLite
    # does by rebuilding the table; the hook reads the rebuilt table back (its triggers, its pragmas)
    # through aiosqlite's adapter, as through sqlite3
    path = tmp_path / "app.db"
    folder = hooked_project(tmp_path, [
        ["op.create_table('session', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('bot', sa.String(64), nullable=False), sa.Column('scene', sa.String(64), nullable=False),"
         " sa.UniqueConstraint('bot', 'scene', name='unique_session'))"],
        ["with op.batch_alter_table('session') as batch_op:",
         "    batch_op.drop_constraint('unique_session', type_='unique')",
         "    batch_op.create_unique_constraint('session_unique_session', ['bot', 'scene'])"],
    ], run_async=True)
    run_alembic(folder, f"sqlite+aiosqlite:///{path}", "upgrade", "head")
    url = f"sqlite:///{path}"
    assert [e.message for e in hook_events(url) if e.message and "re-sync" in e.message] == []
    assert live_differences(url) == []
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "-q")
    assert code == 0, out
    assert table_names(url) == []


@pytest.mark.mariadb
def test_an_aiomysql_revision_that_fails_after_ddl_keeps_the_events_of_that_ddl(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    folder = hooked_project(tmp_path, [
        ["op.create_table('a', sa.Column('id', sa.Integer(), primary_key=True))"],
        ["op.create_table('b', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.execute('SELECT * FROM no_such_table')"],
    ], run_async=True)
    with warnings.catch_warnings():
        # the event of each DDL is committed with it, through SQLAlchemy's adapter (aiomysql's own
        # commit is a coroutine: called, never awaited, it committed nothing)
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(sa.exc.ProgrammingError, match="no_such_table"):
            run_alembic(folder, with_driver(url, "aiomysql"), "upgrade", "head")
    assert table_names(url) == ["a", "b"]  # MariaDB committed the DDL that ran
    events = hook_events(url)
    assert [e.op_type for e in events][:2] == ["create_table", "create_table"], [e.message for e in events]
    assert "[partial]" in (events[-1].message or "")
    assert live_differences(url) == []


@pytest.mark.postgresql
def test_import_alembic_runs_the_revisions_on_an_asyncpg_scratch_url(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    from click.testing import CliRunner

    from ledger.cli import main

    folder = hooked_project(tmp_path, HISTORY, run_async=True)
    scratch = with_driver(database_factory("postgresql"), "asyncpg")
    result = CliRunner().invoke(main, ["import-alembic", str(folder), "--dialect", "postgresql",
                                       "--into", str(tmp_path / "imported"), "--scratch-url", scratch])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "imported").glob("*.py"))) == len(HISTORY)
