"""SQLite's own failures: a read-only file, a locked database, a missing folder.

Each gives one clear line on stderr (exit 1), never a traceback, and nothing is written: the
database file keeps its bytes, no journal is left beside it, and no folder appears.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger.project.config import Config
from tests.builders import cli, events
from tests.reliability import make_project


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(result: object, *needles: str) -> str:
    output = getattr(result, "stderr")
    assert getattr(result, "exit_code") == 1, getattr(result, "output")
    lines = [line for line in output.splitlines() if not line.endswith(" failed")]
    assert len(lines) == 1 and lines[0].startswith("schema-ledger: error: "), output
    assert "Traceback" not in getattr(result, "output")
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[str]:
    """``path`` made read-only; yields the URL to open it with.

    chmod is enough for an ordinary user; root ignores it, so there the file is also made
    immutable (chattr +i). Where even that is not allowed, SQLite is told to open the file
    read-only (``mode=ro``), which is how it treats a file it cannot write.
    """
    mode = path.stat().st_mode
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    immutable = False
    url = f"sqlite:///{path}"
    if os.geteuid() == 0:
        immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
        if not immutable:
            url = f"sqlite:///file:{path}?mode=ro&uri=true"
    try:
        yield url
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(mode)


def _project(tmp_path: Path, to: str | None = "r2") -> Config:
    config = make_project(tmp_path, f"sqlite:///{tmp_path / 'app.db'}")
    if to is not None:
        assert cli(config, "apply", "-q", "--to", to).exit_code == 0
    else:
        sqlite3.connect(tmp_path / "app.db").close()
    return config


@pytest.mark.parametrize("applied", ["r2", None])
def test_read_only_file_one_error_nothing_written(tmp_path: Path, applied: str | None) -> None:
    config = _project(tmp_path, applied)
    path = tmp_path / "app.db"
    before = _digest(path)
    with read_only(path) as url:
        locked = Config(project_dir=config.project_dir, url=url, migrations=config.migrations,
                        source=config.source)
        _one_line(cli(locked, "apply", "-q"), "readonly database")
        if applied:
            line = _one_line(cli(locked, "rollback", "-q", "--to", "base"), "readonly database")
            assert "revision r2" in line
            # Reading still works.
            assert cli(locked, "status").exit_code == 0
            assert cli(locked, "verify", "--live").exit_code == 0
    assert _digest(path) == before
    assert not list(tmp_path.glob("app.db-*")), "a journal was left beside the database"


@contextlib.contextmanager
def held_lock(path: Path, how: str, seconds: float) -> Iterator[None]:
    """Another connection holds ``path``'s write lock (``BEGIN how``) for the block, or for
    ``seconds`` if the block takes longer: a command that waits for the lock longer than its
    --lock-timeout gets it and runs, which the block's assertions then see."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    guard = threading.Lock()

    def release() -> None:
        with guard:
            if other.in_transaction:
                other.execute("ROLLBACK")

    other.execute(f"BEGIN {how}")
    timer = threading.Timer(seconds, release)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        release()
        other.close()


@pytest.mark.parametrize("how", ["IMMEDIATE", "EXCLUSIVE"])
def test_locked_database_one_error_nothing_written(tmp_path: Path, how: str) -> None:
    config = _project(tmp_path)
    path = tmp_path / "app.db"
    recorded = events(config)
    # Each command takes the write lock (its check of the ledger before the applier lock too)
    # waiting no longer than --lock-timeout: it gives up at once, while the lock is still held.
    with held_lock(path, how, seconds=20):
        for args in (("apply", "-q", "--lock-timeout", "0.2"), ("rollback", "-q", "--to", "base", "--lock-timeout", "0"),
                     ("recover", "--lock-timeout", "0.1"), ("stamp", "r1", "--lock-timeout", "0"),
                     ("baseline", "--lock-timeout", "0")):
            _one_line(cli(config, *args), "write lock", "--lock-timeout", "waited ")
        if how == "IMMEDIATE":
            assert cli(config, "status").exit_code == 0  # a reserved lock still lets readers in
    assert events(config) == recorded
    assert cli(config, "verify", "--live").exit_code == 0
    assert cli(config, "apply", "-q").exit_code == 0  # once the lock is gone, everything works


def test_missing_folder_one_error_nothing_created(tmp_path: Path) -> None:
    config = make_project(tmp_path / "project", "sqlite:///unused")
    missing = tmp_path / "nowhere" / "deeper"
    broken = Config(project_dir=config.project_dir, url=f"sqlite:///{missing / 'app.db'}",
                    migrations=config.migrations, source=config.source)
    for args in (("apply", "-q"), ("status",), ("verify", "--live"), ("rollback", "-q", "--to", "base"),
                 ("recover",), ("log",)):
        _one_line(cli(broken, *args), f"the folder {missing} does not exist")
    assert not (tmp_path / "nowhere").exists()
