"""The front door as a new user meets it: a project ``alembic init -t TEMPLATE`` makes, the hook's line
added to its ``env.py`` as docs/alembic.md says (or as users get it wrong), revisions written by hand.

- An ``alembic downgrade`` that adds back a column its upgrade dropped (Alembic adds it at the end of
  the table) takes that revision out of effect: ``status`` names the revision below, as Alembic does.
- ``attach`` twice (the line pasted twice) records once and says so in one warning line; ``attach``
  before ``context.configure(...)`` is one ``FAILED:`` line from Alembic, no traceback.
- An async env.py that attaches between its ``connection.run_sync(...)`` calls (where no statement can
  run) records as the template's does: the applier lock is taken when Alembic's run begins.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.alembic_layouts import HOOK_IMPORT, Layout, init, set_option, tables, versions

R1 = '''"""create item

Revision ID: r1
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "r1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)),
                    sa.Column("note", sa.Text), sa.Column("price", sa.Integer))
    op.create_index("ix_item_name", "item", ["name"])


def downgrade():
    op.drop_index("ix_item_name", table_name="item")
    op.drop_table("item")
'''

R2 = '''"""drop note

Revision ID: r2
Revises: r1
"""
from alembic import op
import sqlalchemy as sa

revision = "r2"
down_revision = "r1"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_column("item", "note")


def downgrade():
    op.add_column("item", sa.Column("note", sa.Text))
'''


def _project(folder: Path, url: str, template: str = "generic", *, edit: Callable[[str], str] | None = None) -> Layout:
    """``alembic init -t TEMPLATE`` with the hook's line (``edit``: env.py as the user changed it instead),
    the database ``url``, and the revisions r1 (a table of four columns) and r2 (drops one)."""
    layout = init(folder, template)
    env_py = folder / "migrations" / "env.py"
    if edit is not None:
        text = env_py.read_text(encoding="utf-8")
        env_py.write_text(edit(text), encoding="utf-8")
    set_option(folder / "alembic.ini", "sqlalchemy.url", url.replace("%", "%%"))
    for name, text in (("r1_create_item.py", R1), ("r2_drop_note.py", R2)):
        (folder / "migrations" / "versions" / name).write_text(text, encoding="utf-8")
    return layout


def _alembic_lines(ran: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (ran.stdout + ran.stderr).splitlines() if line.strip()]


def test_a_downgrade_that_adds_back_a_dropped_column_takes_its_revision_out_of_effect(
        dialect: str, database_factory: Callable[[str], str], tmp_path: Path) -> None:
    url = database_factory(dialect)
    layout = _project(tmp_path / "app", url)
    layout.alembic("upgrade", "head")
    layout.alembic("downgrade", "-1")  # note comes back after price: Alembic adds a column at the end
    assert versions(url) == ["r1"]
    status = layout.ledger_here(None, "status")
    assert status.returncode == 0 and re.search(r"^current +r1 ", status.stdout, flags=re.M), \
        status.stdout + status.stderr
    history = layout.ledger_here(None, "history")
    assert history.returncode == 0 and "r2" not in history.stdout, history.stdout
    # the rollback undoes r1 alone: r2's upgrade and its downgrade are no longer in effect
    ran = layout.ledger_here(None, "rollback", "--to", "base", "--allow-data-loss")
    assert ran.returncode == 0 and "rolled back 1 revision " in ran.stdout, ran.stdout + ran.stderr
    assert tables(url) == [] and versions(url) == []
    layout.alembic("upgrade", "head")
    assert tables(url) == ["item"] and versions(url) == ["r2"]
    verify = layout.ledger_here(None, "verify", "--live")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def _twice(text: str) -> str:
    return re.sub(r"^( *)ledger\.alembic\.attach\(context\)\n", r"\g<0>\1ledger.alembic.attach(context)\n",
                  text, count=1, flags=re.M)


def test_attach_twice_records_once_and_says_so(dialect: str, database_factory: Callable[[str], str],
                                               tmp_path: Path) -> None:
    url = database_factory(dialect)
    layout = _project(tmp_path / "app", url, edit=_twice)
    assert (tmp_path / "app" / "migrations" / "env.py").read_text(encoding="utf-8").count("attach(context)") == 2
    ran = layout.alembic("upgrade", "head")
    lines = _alembic_lines(ran)
    said = [line for line in lines if not line.startswith("INFO  [alembic.")]
    assert len(said) == 1 and "attach(context) was called again" in said[0], lines
    assert "Running upgrade r1 -> r2, drop note" in ran.stderr
    log = layout.ledger_here(None, "log")
    assert log.returncode == 0, log.stdout + log.stderr
    assert len(re.findall(r"create table item\b", log.stdout)) == 1, log.stdout
    assert len(re.findall(r"drop column item\.note\b", log.stdout)) == 1, log.stdout
    verify = layout.ledger_here(None, "verify", "--live")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def _before_configure(text: str) -> str:
    text = re.sub(r"^ *ledger\.alembic\.attach\(context\)\n", "", text, flags=re.M)
    return text.replace("    with connectable.connect() as connection:\n",
                        "    ledger.alembic.attach(context)\n    with connectable.connect() as connection:\n", 1)


def test_attach_before_configure_is_one_failed_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    layout = _project(tmp_path / "app", url, edit=_before_configure)
    ran = layout.run("upgrade", "head")
    output = ran.stdout + ran.stderr
    assert ran.returncode != 0 and "Traceback" not in output, output
    failed = [line for line in output.splitlines() if line.startswith("FAILED:")]
    assert len(failed) == 1 and "after context.configure(connection=...)" in failed[0], output
    assert not (tmp_path / "app.db").exists() or tables(url) == []


ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "mariadb": "mysql+aiomysql"}

#: an async env.py that configures and runs in two ``run_sync`` calls and attaches between them
_BETWEEN = '''    async with connectable.connect() as connection:
        await connection.run_sync(lambda sync: context.configure(connection=sync, target_metadata=target_metadata))
        ledger.alembic.attach(context)
        await connection.run_sync(lambda sync: _run_in_transaction())
'''


def _between_run_sync(text: str) -> str:
    text = re.sub(r"^ *ledger\.alembic\.attach\(context\)\n", "", text, flags=re.M)
    original = "    async with connectable.connect() as connection:\n        await connection.run_sync(do_run_migrations)\n"
    assert original in text
    text = text.replace(original, _BETWEEN)
    return text.replace("async def run_async_migrations", "def _run_in_transaction():\n"
                        "    with context.begin_transaction():\n        context.run_migrations()\n\n\n"
                        "async def run_async_migrations", 1)


def test_an_async_env_that_attaches_outside_run_sync_records(dialect: str, database_factory: Callable[[str], str],
                                                             tmp_path: Path) -> None:
    driver = ASYNC_DRIVERS[dialect]
    url = sa.make_url(database_factory(dialect)).set(drivername=driver).render_as_string(hide_password=False)
    layout = _project(tmp_path / "app", url, "async", edit=_between_run_sync)
    assert HOOK_IMPORT in (tmp_path / "app" / "migrations" / "env.py").read_text(encoding="utf-8")
    ran = layout.alembic("upgrade", "head")
    assert all(line.startswith("INFO  [alembic.") for line in _alembic_lines(ran)), ran.stdout + ran.stderr
    assert tables(url) == ["item"] and versions(url) == ["r2"]
    status = layout.ledger_here(None, "status")
    assert status.returncode == 0 and re.search(r"^current +r2 ", status.stdout, flags=re.M), \
        status.stdout + status.stderr
    verify = layout.ledger_here(None, "verify", "--live")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    ran = layout.ledger_here(None, "rollback", "--to", "r1")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert versions(url) == ["r1"]


R3 = '''"""first item

Revision ID: r3
Revises: r2
"""
from alembic import op

revision = "r3"
down_revision = "r2"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("INSERT INTO item (name, price) VALUES ('pen', 2)")


def downgrade():
    op.execute("DELETE FROM item")
'''


def _one_error_line(ran: subprocess.CompletedProcess[str], code: int, *said: str) -> str:
    lines = [line for line in ran.stderr.splitlines() if line.strip() and not line.startswith("schema-ledger: database ")]
    assert ran.returncode == code and len(lines) == 1 and "Traceback" not in ran.stderr, ran.stdout + ran.stderr
    assert lines[0].startswith("schema-ledger: error: ") and all(s in lines[0] for s in said), lines[0]
    return lines[0]


def test_the_mistakes_users_make_around_a_hooked_project_say_what_to_do(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    layout = _project(tmp_path / "app", url)
    (tmp_path / "app" / "migrations" / "versions" / "r3_first_item.py").write_text(R3, encoding="utf-8")
    layout.alembic("upgrade", "head")
    # a rollback past data work names the option that goes on past it
    ran = layout.ledger_here(None, "rollback", "--to", "r2")
    _one_error_line(ran, 1, "revision r3", "--skip-irreversible marks them undone")
    assert versions(url) == ["r3"]
    # outside the project: where to run it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ran = layout.ledger_here(None, "status", cwd=elsewhere)
    _one_error_line(ran, 2, "alembic.ini", "run the command in the project's folder", "--url URL")
    # Alembic's ini given as schema-ledger's configuration
    ran = layout.ledger_here(None, "--config", str(tmp_path / "app" / "alembic.ini"), "status", cwd=elsewhere)
    _one_error_line(ran, 2, "alembic.ini", "not a schema-ledger configuration", "--url URL")
    # import-alembic on a scratch database that holds tables: which, and what to do
    ran = layout.ledger(None, "import-alembic", ".", "--into", str(tmp_path / "imported"), "--scratch-url", url)
    _one_error_line(ran, 2, "is not empty (alembic_version, item, schema_ledger)", "another --scratch-url")
    assert not (tmp_path / "imported").exists()


def test_a_multidb_project_without_a_url_names_its_databases(tmp_path: Path) -> None:
    layout = init(tmp_path / "app", "multidb")
    for name in ("engine1", "engine2"):
        set_option(tmp_path / "app" / "alembic.ini", "sqlalchemy.url", f"sqlite:///{tmp_path / name}.db", section=name)
    ran = layout.ledger_here(None, "status")
    _one_error_line(ran, 2, "[engine1] and [engine2] of alembic.ini name databases", "-n engine1", "--url URL")
    ran = layout.ledger_here(None, "-n", "engine2", "status")
    assert ran.returncode != 0 and "has no ledger table" in ran.stderr, ran.stdout + ran.stderr
    assert f"sqlite:///{tmp_path / 'engine2'}.db from alembic.ini [engine2] sqlalchemy.url" in ran.stderr
    assert not (tmp_path / "engine2.db").exists()


#: Alembic's cookbook recipe for schema-level multi-tenancy on PostgreSQL: one connection, each tenant's
#: schema migrated in turn, the hook attached after each configure
_TENANTS = '''    with connectable.connect() as connection:
        for tenant in ("t1", "t2"):
            connection.execute(sa.text(f"SET search_path TO {tenant}"))
            connection.commit()
            connection.dialect.default_schema_name = tenant
            context.configure(connection=connection, target_metadata=target_metadata, version_table_schema=tenant)
            ledger.alembic.attach(context, lock_timeout=5)
            with context.begin_transaction():
                context.run_migrations()
'''


def _schema_after_schema(text: str) -> str:
    start = text.index("    with connectable.connect() as connection:\n")
    end = text.index("\n\n", start)
    return "import sqlalchemy as sa\n" + text[:start] + _TENANTS + text[end + 1:]


@pytest.mark.postgresql
def test_an_env_py_that_migrates_schema_after_schema_on_one_connection(database_factory: Callable[[str], str],
                                                                       tmp_path: Path) -> None:
    url = database_factory("postgresql")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE SCHEMA t1; CREATE SCHEMA t2")
    finally:
        engine.dispose()
    layout = _project(tmp_path / "app", url, edit=_schema_after_schema)
    ran = layout.alembic("upgrade", "head")
    assert ran.stderr.count("Running upgrade r1 -> r2, drop note") == 2, ran.stderr
    assert all(line.startswith("INFO  [alembic.") for line in _alembic_lines(ran)), ran.stdout + ran.stderr
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            for tenant in ("t1", "t2"):
                held = sorted(sa.inspect(conn).get_table_names(schema=tenant))
                assert held == ["alembic_version", "item", "schema_ledger"], (tenant, held)
                recorded = conn.exec_driver_sql(f"SELECT count(*) FROM {tenant}.schema_ledger "
                                                "WHERE op_type = 'drop_column'").scalar()
                assert recorded == 1, tenant
    finally:
        engine.dispose()


def _hook_when_asked(text: str) -> str:
    return re.sub(r"^( *)ledger\.alembic\.attach\(context\)$",
                  r'\1if __import__("os").environ.get("WITH_HOOK"):\n\1    ledger.alembic.attach(context)',
                  text, count=1, flags=re.M)


def test_a_database_alembic_migrated_before_the_hook(tmp_path: Path) -> None:
    """Hooked without adopting it first: one warning line says to adopt it with ``baseline``; adopted
    first, the hooked run prints Alembic's lines alone and the ledger follows the live schema."""
    for adopted in (False, True):
        url = f"sqlite:///{tmp_path / f'app{adopted}.db'}"
        layout = _project(tmp_path / f"app{adopted}", url, edit=_hook_when_asked)
        layout.alembic("upgrade", "r1")
        if adopted:
            ran = layout.ledger_here(None, "baseline", "-m", "made by Alembic before the hook")
            assert ran.returncode == 0, ran.stdout + ran.stderr
        layout.env["WITH_HOOK"] = "1"
        ran = layout.alembic("upgrade", "head")
        said = [line for line in _alembic_lines(ran) if not line.startswith("INFO  [alembic.")]
        assert "Running upgrade r1 -> r2, drop note" in ran.stderr
        if adopted:
            assert said == [], said
            verify = layout.ledger_here(None, "verify", "--live")
            assert verify.returncode == 0, verify.stdout + verify.stderr
        else:
            assert len(said) == 1 and "Alembic's version table holds r1" in said[0] \
                and "`schema-ledger baseline`" in said[0], said
