"""Two ``alembic upgrade`` runs with the hook on one database at once: the applier lock serializes them.

Each run is a process of its own (Alembic's ``context`` and ``op`` are process-wide). The first
revision marks a file once its table is created, then waits a moment inside its transaction;
the second run starts when the mark exists, so that it asks for the database while the first
one holds it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.storage.store import LedgerStore
from tests.alembic_histories import LEDGER_TABLE, chain_problems, differences, write_env, write_history

RUN = """
import sys
from pathlib import Path
from ledger.alembic import AlembicHookError
from tests.alembic_histories import run_alembic
try:
    run_alembic(Path(sys.argv[1]), sys.argv[2], "upgrade", "head")
except AlembicHookError as exc:
    print("HOOK ERROR:", exc)
    sys.exit(3)
"""

ROOT = Path(__file__).resolve().parent.parent


def _start(folder: Path, url: str, mark: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SL_MARK": str(mark), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", RUN, str(folder), url], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _history(folder: Path) -> list[str]:
    write_env(folder)
    return write_history(folder, [
        ["op.create_table('account', sa.Column('id', sa.Integer(), primary_key=True))",
         "import os, pathlib, time",
         "pathlib.Path(os.environ['SL_MARK']).touch()",
         "time.sleep(3)  # the other run asks for the database now"],
        ["op.add_column('account', sa.Column('email', sa.String(80)))",
         "op.create_index('ix_account_email', 'account', ['email'])"],
        ["op.create_table('entry', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('account_id', sa.Integer(), sa.ForeignKey('account.id', name='fk_entry_account')))"],
    ])


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb", "sqlite"])
def test_concurrent_alembic_upgrades_with_the_hook_are_serialized_by_the_applier_lock(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory(dialect)
    ids = _history(tmp_path / "project")
    mark = tmp_path / "mark"
    first = _start(tmp_path / "project", url, mark)
    while not mark.exists() and first.poll() is None:
        time.sleep(0.05)
    second = _start(tmp_path / "project", url, mark)
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    codes = [first.returncode, second.returncode]
    if dialect == "sqlite":
        # SQLite's write lock is per transaction (one per revision): the second run may take it
        # between two revisions of the first, which then stops with a clear message.
        assert 0 in codes, outputs
        for code, output in zip(codes, outputs):
            assert code == 0 or (code == 3 and "another run migrated this database meanwhile" in output), output
    else:
        # The session lock is held for the whole run: the second run waits, then finds the database at head.
        assert codes == [0, 0], outputs
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            events = list(LedgerStore(LEDGER_TABLE).events(conn))
            assert [(e.revision, e.kind, e.op_type) for e in events] == [  # each revision once, with its record
                (ids[0], "apply", "create_table"), (ids[0], "alembic", None), (ids[1], "apply", "add_column"),
                (ids[1], "apply", "create_index"), (ids[1], "alembic", None), (ids[2], "apply", "create_table"),
                (ids[2], "alembic", None),
            ]
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == [ids[2]]
            assert differences(conn) == []
            assert chain_problems(conn) == []
    finally:
        engine.dispose()


def test_a_run_that_cannot_get_the_lock_in_time_fails_with_a_one_line_message(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    from alembic.util import CommandError

    from ledger.alembic import AlembicHookError
    from tests.alembic_histories import run_alembic

    url = database_factory("postgresql")
    folder = tmp_path / "project"
    write_env(folder)
    env = folder / "env.py"
    env.write_text(env.read_text().replace('by="tests")', 'by="tests", lock_timeout=0.2)'))
    write_history(folder, [["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))"]])
    engine = sa.create_engine(url)
    try:
        with engine.connect() as holder, LedgerStore(LEDGER_TABLE).lock(holder):
            with pytest.raises(AlembicHookError, match=r"another schema-ledger run holds the lock on schema_ledger") \
                    as caught:
                run_alembic(folder, url, "upgrade", "head")
            assert isinstance(caught.value, CommandError)  # the alembic command prints "FAILED: <message>"
        with engine.connect() as conn:
            assert not sa.inspect(conn).has_table("t")
        run_alembic(folder, url, "upgrade", "head")  # the lock was released with the holder's block
    finally:
        engine.dispose()


def test_on_postgresql_a_version_table_moved_while_a_revision_runs_rolls_the_revision_back_with_its_events(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """The version table is read in the statement of a revision's events (before Alembic writes its
    version row): a run that another one overtook stops there, with neither the revision's DDL nor
    its events left behind."""
    from ledger.alembic import AlembicHookError
    from tests.alembic_histories import run_alembic

    url = database_factory("postgresql")
    folder = tmp_path / "project"
    write_env(folder)
    env = folder / "env.py"
    env.write_text(env.read_text().replace("render_as_batch=", "transaction_per_migration=True, render_as_batch="))
    ids = write_history(folder, [
        ["op.create_table('account', sa.Column('id', sa.Integer(), primary_key=True))"],
        ["op.create_table('entry', sa.Column('id', sa.Integer(), primary_key=True))",
         "from alembic import context",
         "other = sa.create_engine(context.config.get_main_option('sqlalchemy.url'))",
         "with other.begin() as conn:  # another run, without the hook, moves the version table",
         "    conn.execute(sa.text(\"UPDATE alembic_version SET version_num = 'elsewhere'\"))",
         "other.dispose()"],
    ])
    with pytest.raises(AlembicHookError, match=r"another run migrated this database meanwhile \(its version table "
                                               r"holds elsewhere, this run expected 0001aa\); its transaction rolls back"):
        run_alembic(folder, url, "upgrade", "head")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert sa.inspect(conn).has_table("account") and not sa.inspect(conn).has_table("entry")
            events = list(LedgerStore(LEDGER_TABLE).events(conn))
            assert [(e.revision, e.kind) for e in events] == [(ids[0], "apply"), (ids[0], "alembic")]
            assert chain_problems(conn) == []
    finally:
        engine.dispose()
