"""The hook inside the connection of the driver a project runs on: psycopg2 and pg8000, and the async
drivers (asyncpg, aiosqlite, aiomysql) through an async env.py (``connection.run_sync``), as async
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


#: what a PostgreSQL project's history does that a driver sees differently: a named enum and a value added
#: to it, JSONB, an array and a UUID with server defaults, a CHECK, expression and partial indexes, bound
#: parameters (an expanding IN list), a function in SQL text, a type change and a dropped column
PG_HISTORY = [
    ["status = sa.Enum('new', 'paid', name='order_status')",
     "op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('status', status, nullable=False, server_default='new'),"
     " sa.Column('doc', sa.dialects.postgresql.JSONB(), server_default=sa.text(\"'{}'::jsonb\")),"
     " sa.Column('tags', sa.dialects.postgresql.ARRAY(sa.Text()), server_default=sa.text(\"ARRAY['a']::text[]\")),"
     " sa.Column('paid', sa.Boolean(), server_default=sa.false(), nullable=False),"
     " sa.Column('total', sa.Numeric(10, 2), server_default='0'),"
     " sa.Column('ref', sa.dialects.postgresql.UUID(as_uuid=True)),"
     " sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()')),"
     " sa.CheckConstraint('total >= 0', name='ck_total'))",
     "op.create_index('ix_orders_doc', 'orders', [sa.text(\"(doc #>> '{a,b}')\")])",
     "op.create_index('ix_orders_open', 'orders', ['at'], postgresql_where=sa.text(\"status = 'new'\"))",
     "op.create_index('ix_orders_ref', 'orders', [sa.text('lower(ref::text)')])"],
    ["op.execute(sa.text('INSERT INTO orders (id, total) VALUES (:i, :t)').bindparams(i=1, t=5))",
     "op.execute(sa.text('UPDATE orders SET total = total + 1 WHERE id IN :ids')"
     ".bindparams(sa.bindparam('ids', [1, 2], expanding=True)))",
     "op.execute(\"ALTER TYPE order_status ADD VALUE 'shipped'\")",
     "op.add_column('orders', sa.Column('note', sa.String(20), server_default='x'))"],
    ["op.create_index('ix_orders_note', 'orders', ['note'])",
     "op.execute('CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql')",
     "op.alter_column('orders', 'note', type_=sa.String(40))",
     "op.drop_column('orders', 'paid')"],
]


def recorded(url: str) -> list[tuple[object, ...]]:
    """What the hook recorded, without when and by whom."""
    return [(e.kind, e.revision, e.op_type, e.table_name, e.payload, e.message)
            for e in hook_events(url, records=True)]


@pytest.mark.postgresql
def test_pg8000_records_the_ledger_psycopg_records_and_the_commands_run_on_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    reference = database_factory("postgresql")
    run_alembic(hooked_project(tmp_path / "psycopg", PG_HISTORY, run_async=False), reference, "upgrade", "head")
    url = database_factory("postgresql")
    run_alembic(hooked_project(tmp_path / "pg8000", PG_HISTORY, run_async=False), with_driver(url, "pg8000"),
                "upgrade", "head")
    assert recorded(url) == recorded(reference)
    assert live_differences(url) == []
    for command in (("verify", "--live"), ("drill", "--from-ledger", "--allow-irreversible"),
                    ("materialize", "--into", with_driver(database_factory("postgresql"), "pg8000")),
                    ("rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss", "-q")):
        code, output = ledger_cli(with_driver(url, "pg8000"), tmp_path, *command)
        assert code == 0, (command, output)
    assert table_names(url) == []


@pytest.mark.postgresql
def test_import_alembic_runs_the_revisions_on_a_pg8000_scratch_url_and_apply_builds_them(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    from click.testing import CliRunner

    from ledger.cli import main

    folder = hooked_project(tmp_path, PG_HISTORY, run_async=False)
    scratch = with_driver(database_factory("postgresql"), "pg8000")
    result = CliRunner().invoke(main, ["import-alembic", str(folder), "--dialect", "postgresql",
                                       "--into", str(tmp_path / "imported"), "--scratch-url", scratch])
    assert result.exit_code == 0, result.output
    target = with_driver(database_factory("postgresql"), "pg8000")
    config = tmp_path / "schema-ledger.toml"
    config.write_text(f'url = "{target}"\nmigrations = "imported"\n', encoding="utf-8")
    for command in (("apply",), ("verify", "--live"), ("rollback", "--to", "base", "--skip-irreversible",
                                                       "--allow-data-loss", "-q")):
        result = CliRunner().invoke(main, ["--config", str(config), *command])
        assert result.exit_code == 0, (command, result.output)
        if command == ("apply",):
            assert table_names(target) == ["orders"]
    assert table_names(target) == []


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
