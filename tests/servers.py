"""Finding, starting, and making databases on the PostgreSQL and MariaDB test servers."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

DEFAULTS = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "mariadb": "mysql+pymysql://root@127.0.0.1:3306/mysql",
}
ENV = {"postgresql": "SCHEMA_LEDGER_TEST_POSTGRES", "mariadb": "SCHEMA_LEDGER_TEST_MARIADB"}
#: the flavour the test servers run of a database, where it is not the database itself
TESTED_AS = {"mysql": "mariadb"}


class Throwaway:
    """A server started for this test session in a temporary folder."""

    def __init__(self, process: subprocess.Popen[bytes], folder: str) -> None:
        self.process = process
        self.folder = folder

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


def answers(url: str, timeout: float = 5.0) -> str | None:
    """None when the server at ``url`` answers a query, else why not."""
    engine = sa.create_engine(url, connect_args={"connect_timeout": int(timeout)})
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not this server"
        return str(exc).splitlines()[0]
    finally:
        engine.dispose()


def find(dialect: str) -> tuple[str | None, str, Throwaway | None]:
    url = os.environ.get(ENV[dialect])
    if url:
        why = answers(url)
        return (url, "", None) if why is None else (None, f"{ENV[dialect]}={url}: {why}", None)
    why = answers(DEFAULTS[dialect])
    if why is None:
        return DEFAULTS[dialect], "", None
    try:
        throwaway, url = (_start_postgres() if dialect == "postgresql" else _start_mariadb())
    except Exception as exc:  # noqa: BLE001
        return None, f"{DEFAULTS[dialect]}: {why}; no throwaway server: {exc}", None
    return url, "", throwaway


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        if answers(url, 1) is None:
            return
        time.sleep(0.2)
    raise RuntimeError("server did not answer within 20 s")


def _start_postgres() -> tuple[Throwaway, str]:
    initdb = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))), None)
    if initdb is None:
        raise RuntimeError("initdb not installed")
    bindir = os.path.dirname(initdb)
    folder = tempfile.mkdtemp(prefix="sl-pg-")
    prefix: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(folder, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(folder, "data")
    subprocess.run([*prefix, initdb, "-A", "trust", "-U", "postgres", "-D", data], check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [*prefix, os.path.join(bindir, "postgres"), "-D", data, "-p", str(port), "-k", folder, "-h", "127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    _wait(url, process)
    return Throwaway(process, folder), url


def _start_mariadb() -> tuple[Throwaway, str]:
    install = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
    server = shutil.which("mariadbd") or shutil.which("mysqld") or (
        "/usr/sbin/mariadbd" if os.path.exists("/usr/sbin/mariadbd") else None
    )
    if install is None or server is None:
        raise RuntimeError("mariadb-install-db / mariadbd not installed")
    folder = tempfile.mkdtemp(prefix="sl-maria-")
    data = os.path.join(folder, "data")
    user = ["--user=root"] if os.geteuid() == 0 else []
    subprocess.run([install, f"--datadir={data}", "--auth-root-authentication-method=normal", *user],
                   check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen(
        [server, "--no-defaults", f"--datadir={data}", f"--port={port}", "--bind-address=127.0.0.1",
         f"--socket={folder}/sock", *user],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"mysql+pymysql://root@127.0.0.1:{port}/mysql"
    _wait(url, process)
    return Throwaway(process, folder), url


def database_url(admin_url: str, name: str) -> str:
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def create_database(admin_url: str, name: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
            else:
                conn.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"))
    finally:
        engine.dispose()


def drop_database(admin_url: str, name: str) -> bool:
    """Drop database ``name``; whether it went (a leftover test database must not fail the run)."""
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            else:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        return True
    except Exception:  # noqa: BLE001 - see the docstring
        return False
    finally:
        engine.dispose()


#: databases a test made, dropped when the session ends (:func:`drop_later`, :func:`drop_all`)
_TO_DROP: list[tuple[str, str]] = []


def drop_later(admin_url: str, name: str) -> None:
    """Drop database ``name`` when the session ends (its tests no longer use it)."""
    _TO_DROP.append((admin_url, name))


def drop_all() -> None:
    """Drop the databases of :func:`drop_later`, many at once: PostgreSQL's DROP DATABASE waits for
    a checkpoint (seconds each, one after another), which drops under way together share. Those
    that could not be dropped so (the server's connections all in use) are tried again one by one."""
    pending = list(reversed(_TO_DROP))
    _TO_DROP.clear()
    for workers in (24, 1):
        if not pending:
            return
        with ThreadPoolExecutor(max_workers=workers) as pool:
            dropped = list(pool.map(lambda made: drop_database(*made), pending))
        pending = [made for made, done in zip(pending, dropped) if not done]
