"""Shared by the reliability tests: a small project, fresh databases, the CLI as a process, checks.

The project has four revisions that exercise what a crash can cut in two: a table created
with its index (two statements on MariaDB), a foreign key, a column renamed, a SQLite batch
rebuild, a check constraint, a table renamed, an index dropped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ledger.inspect.drift import drift, reflect_live
from ledger.cli import main
from ledger.project.config import Config
from ledger.storage.db import create_engine
from ledger.project.revisions import RevisionChain, load_revisions
from ledger.storage.session import store_for
from ops import SchemaState
from tests import servers
from tests.builders import ROOT, project

DEEP = bool(os.environ.get("SCHEMA_LEDGER_DEEP"))

REVISIONS: dict[str, tuple[str | None, str]] = {
    "r1": (None, '''
        op.create_table("customer", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("email", sa.String(120), nullable=False), sa.Column("name", sa.String(60)),
                        sa.UniqueConstraint("email", name="uq_customer_email"))
        op.create_index("ix_customer_name", "customer", ["name"])
    '''),
    "r2": ("r1", '''
        op.create_table("orders", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", name="fk_orders_customer"),
                                  nullable=False),
                        sa.Column("total", sa.Numeric(10, 2), server_default="0"),
                        sa.Index("ix_orders_customer", "customer_id"))
        op.add_column("customer", sa.Column("phone", sa.String(30)))
    '''),
    "r3": ("r2", '''
        op.alter_column("customer", "name", new_column_name="full_name", existing_type=sa.String(60))
        op.create_check_constraint("ck_orders_total", "orders", "total >= 0")
        with op.batch_alter_table("customer") as batch_op:
            batch_op.drop_column("phone")
            batch_op.add_column(sa.Column("vip", sa.Boolean, nullable=False, server_default=sa.false()))
    '''),
    "r4": ("r3", '''
        op.rename_table("orders", "purchase")
        op.drop_index("ix_customer_name", "customer")
    '''),
}


def make_project(folder: Path, url: str, revisions: dict[str, tuple[str | None, str]] = REVISIONS) -> Config:
    """The project above (or ``revisions``) in ``folder``, with a schema-ledger.toml naming no URL."""
    return project(folder, url, revisions=revisions)


def chain_of(config: Config) -> RevisionChain:
    return load_revisions(config.migrations_dir, naming_convention=config.naming_convention)


def expected_states(chain: RevisionChain) -> list[SchemaState]:
    """The schema after 0, 1, 2 ... revisions, folded from the files alone (not from any ledger)."""
    states = [SchemaState()]
    state = SchemaState()
    for revision in chain:
        for op in revision.ops:
            state = op.complete(state).apply(state)
        states.append(state)
    return states


# ---------------------------------------------------------------------------------------------
# Databases
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(dialect: str, server_urls: dict[str, str | None], folder: Path) -> Iterator[str]:
    """A new empty database of ``dialect``: a SQLite file in ``folder``, or a database on the server
    dropped when the test session ends (with the others, :func:`tests.servers.drop_all`)."""
    if dialect == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / f'sl_{uuid.uuid4().hex[:8]}.db'}"
        return
    admin = server_urls.get(dialect)
    if admin is None:
        raise RuntimeError(f"no {dialect} server")
    name = f"sl_rel_{uuid.uuid4().hex[:12]}"
    servers.create_database(admin, name)
    servers.drop_later(admin, name)
    yield servers.database_url(admin, name)


def other_sessions(url: str) -> int:
    """How many other sessions are connected to ``url``'s database (0 on SQLite)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return 0
    engine = create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if parsed.get_backend_name() == "postgresql":
                query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            else:
                query = ("SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() "
                         "AND ID <> CONNECTION_ID()")
            return int(conn.exec_driver_sql(query).scalar_one())
    finally:
        engine.dispose()


def wait_for_other_sessions(url: str, timeout: float = 30.0) -> None:
    """Wait until a killed client's session has ended on the server (its last statement finished)."""
    deadline = time.monotonic() + timeout
    while other_sessions(url) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert other_sessions(url) == 0, "a killed runner's session is still open on the server"


def kill_sessions(url: str) -> int:
    """Kill every other session on ``url``'s database from a session of our own; return how many."""
    parsed = sa.make_url(url)
    engine = create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            if parsed.get_backend_name() == "postgresql":
                rows = conn.exec_driver_sql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()").all()
                return len(rows)
            ids = [r[0] for r in conn.exec_driver_sql(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()")]
            for session in ids:
                conn.exec_driver_sql(f"KILL CONNECTION {int(session)}")
            return len(ids)
    finally:
        engine.dispose()


def live_matches(config: Config, state: SchemaState) -> list[str]:
    """How the live schema differs from ``state`` (empty: it matches)."""
    engine = create_engine(config.url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            found = drift(state, reflect_live(conn, config), engine.dialect.name)
    finally:
        engine.dispose()
    return [] if found is None else found.lines()


def ledger_refuses_changes(config: Config) -> bool:
    """Whether the ledger table still refuses UPDATE and DELETE (its triggers are there)."""
    engine = create_engine(config.url, poolclass=sa.pool.NullPool)
    table = store_for(config).table
    try:
        for statement in (sa.update(table).values(message="x"), sa.delete(table)):
            with engine.connect() as conn:
                transaction = conn.begin()
                try:
                    # Row triggers: the ledger must hold rows for the refusal to show.
                    assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() > 0
                    conn.execute(statement)
                except sa.exc.DBAPIError:
                    continue
                finally:
                    transaction.rollback()
            return False
        return True
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------


def spawn(config: Config, *args: str, fault: str | None = None) -> subprocess.Popen[str]:
    """The CLI as a process of its own (what gets killed), with the fault hook set when given."""
    env = dict(os.environ, SCHEMA_LEDGER_URL=config.url, PYTHONPATH=str(ROOT))
    env.pop("SCHEMA_LEDGER_FAULT", None)
    if fault is not None:
        env["SCHEMA_LEDGER_FAULT"] = fault
    return subprocess.Popen([sys.executable, "-m", "ledger", *args], cwd=config.project_dir, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(config: Config, *args: str, fault: str | None = None, timeout: float = 300) -> tuple[int, str, str]:
    process = spawn(config, *args, fault=fault)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def _forked_cli(folder: str, url: str, args: tuple[str, ...], fault: str | None, out: str, err: str) -> None:
    from ledger.support import faults

    os.chdir(folder)
    os.environ["SCHEMA_LEDGER_URL"] = url
    for fd, path in ((1, out), (2, err)):
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(handle, fd)
        os.close(handle)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - the process ends with os._exit
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    faults.install(fault)
    code = 0
    try:
        main(list(args), prog_name="schema-ledger")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def fork_start(config: Config, *args: str, fault: str | None = None) -> tuple[Any, Path, Path]:
    """The CLI in a forked process (started; with the paths its stdout and stderr go to): the same
    code and the same kill as :func:`spawn`, without the interpreter start and imports of a new
    process (most of the time of a short run)."""
    out = config.project_dir / f"out-{uuid.uuid4().hex[:6]}"
    err = out.with_name(out.name.replace("out-", "err-"))
    process = multiprocessing.get_context("fork").Process(
        target=_forked_cli, args=(str(config.project_dir), config.url, args, fault, str(out), str(err)))
    process.start()
    return process, out, err


def fork_run(config: Config, *args: str, fault: str | None = None, timeout: float = 300) -> tuple[int, str, str]:
    """:func:`fork_start`, waited for: (exit code, stdout, stderr); killed by a signal: minus its number."""
    process, out, err = fork_start(config, *args, fault=fault)
    process.join(timeout)
    if process.exitcode is None:
        process.kill()
        process.join()
        raise AssertionError(f"{args} did not finish within {timeout} s")
    texts = [path.read_text(encoding="utf-8") if path.exists() else "" for path in (out, err)]
    return int(process.exitcode), texts[0], texts[1]


def trace(config: Config, *args: str) -> list[str]:
    """The labels of every statement boundary of one run of ``args``, in order."""
    path = config.project_dir / f"trace-{uuid.uuid4().hex[:6]}.txt"
    code, out, err = fork_run(config, *args, fault=f"trace:{path}")
    assert code == 0, (out, err)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    path.unlink(missing_ok=True)
    return [line.split(" ", 1)[1] for line in lines]
