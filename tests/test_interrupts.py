"""Ctrl-C: a real SIGINT to the command as a process of its own, stopped at a statement boundary by
the fault hook (ledger/support/faults.py). The command exits 130 without a traceback and says in one line
where the database stands; on MariaDB, the intent it leaves in doubt is named by `status` and
`apply`, which send the user to `schema-ledger recover`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.project.config import Config
from tests.builders import ROOT, cli, events
from tests.reliability import make_project, spawn, trace


def _boundary(labels: list[str], label: str, after: str | None = None) -> int:
    """The number (from 1) of the first boundary called ``label`` (after the first one called ``after``)."""
    start = labels.index(after) + 1 if after is not None else 0
    return labels.index(label, start) + 1


def _interrupted(config: Config, args: tuple[str, ...], point: int, gate: Path) -> tuple[int, str, str]:
    """Run ``args``, pause it at boundary ``point``, send it SIGINT; its exit code, stdout, stderr."""
    gate.mkdir()
    process = spawn(config, *args, fault=f"pause:{point}:{gate}")
    deadline = time.monotonic() + 120
    while not (gate / "paused").exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never reached the boundary"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def _states(config: Config) -> list[tuple[str, str | None]]:
    return [(e.kind, e.revision) for e in events(config)]


@pytest.mark.parametrize("one_transaction", [False, True])
def test_ctrl_c_during_apply(tmp_path: Path, dialect: str, database_factory: Callable[[str], str],
                             one_transaction: bool) -> None:
    if one_transaction and dialect == "mariadb":
        # Nothing to interrupt: MariaDB refuses the mode before anything runs (each DDL statement commits).
        config = make_project(tmp_path / "run", database_factory(dialect))
        result = cli(config, "apply", "--one-transaction")
        assert result.exit_code != 0 and "--one-transaction" in result.output, result.output
        assert _states(config) == []
        return
    args = ("apply", *(["--one-transaction"] if one_transaction else []))
    labels = trace(make_project(tmp_path / "probe", database_factory(dialect)), *args)
    config = make_project(tmp_path / "run", database_factory(dialect))
    code, out, err = _interrupted(config, args, _boundary(labels, "ddl r3"), tmp_path / "gate")

    assert code == 130, (out, err)
    assert "Traceback" not in err and out == ""
    lines = err.splitlines()
    assert lines[-2].startswith("[3/4] r3  r3. ...") and lines[-2].endswith(" interrupted")
    if one_transaction:
        assert lines[-1] == ("schema-ledger: interrupted: the run's one transaction was rolled back: the revisions "
                             "printed \"ok\" (r1, r2) were rolled back with it, and the database is as it was before "
                             "the run; nothing is in doubt")
        assert events(config) == []
        return
    if dialect != "mariadb":
        assert lines[-1] == ("schema-ledger: interrupted: 2 revisions applied and committed (r1, r2); the open "
                             "transaction of r3 was rolled back, so r3 is as it was before the run; nothing is in doubt")
        assert {revision for _, revision in _states(config)} == {"r1", "r2"}
        return
    # MariaDB commits the intent before the DDL: the op is in doubt, and everyone says what to do.
    assert lines[-1].startswith("schema-ledger: interrupted: 2 revisions applied and committed (r1, r2); r3 stopped "
                                "part way (MariaDB/MySQL commit each op: the ops recorded before the interrupt stay); "
                                "ledger seq ")
    assert lines[-1].endswith(" (revision r3: alter_column) is in doubt: run `schema-ledger recover`")
    status = cli(config, "status")
    assert status.exit_code == 1
    assert "current    r2" in status.stdout
    assert "is in doubt: run `schema-ledger recover`" in status.stderr
    again = cli(config, "apply")
    assert again.exit_code == 1 and "run `schema-ledger recover`" in again.stderr
    assert cli(config, "recover").exit_code == 0
    assert cli(config, "apply").exit_code == 0


@pytest.mark.parametrize("dialect", ["mariadb"])
def test_status_does_not_call_a_partly_applied_revision_current(tmp_path: Path, dialect: str,
                                                                database_factory: Callable[[str], str]) -> None:
    labels = trace(make_project(tmp_path / "probe", database_factory(dialect)), "apply")
    config = make_project(tmp_path / "run", database_factory(dialect))
    # Inside r3, after its first op was recorded: r3 is partly applied, its second op in doubt.
    point = _boundary(labels, "ddl r3", after="event apply r3")
    code, _out, err = _interrupted(config, ("apply",), point, tmp_path / "gate")
    assert code == 130 and "Traceback" not in err
    status = cli(config, "status")
    assert status.exit_code == 1
    assert "current    r2" in status.stdout, status.stdout
    assert "revision r3 is partly applied" in status.stderr and "run `schema-ledger recover`" in status.stderr


def test_ctrl_c_during_rollback(tmp_path: Path, dialect: str, database_factory: Callable[[str], str]) -> None:
    probe = make_project(tmp_path / "probe", database_factory(dialect))
    assert cli(probe, "apply").exit_code == 0
    labels = trace(probe, "rollback", "--to", "base")
    config = make_project(tmp_path / "run", database_factory(dialect))
    assert cli(config, "apply").exit_code == 0
    code, out, err = _interrupted(config, ("rollback", "--to", "base"), _boundary(labels, "ddl r3"),
                                  tmp_path / "gate")
    assert code == 130, (out, err)
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    if dialect == "mariadb":
        assert last.startswith("schema-ledger: interrupted: 1 revision rolled back and committed (r4); r3 stopped "
                               "part way") and last.endswith("is in doubt: run `schema-ledger recover`")
    else:
        assert last == ("schema-ledger: interrupted: 1 revision rolled back and committed (r4); the open transaction "
                        "of r3 was rolled back, so r3 is as it was before the run; nothing is in doubt")
        assert [revision for kind, revision in _states(config) if kind == "revert"] == ["r4"] * 2


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_ctrl_c_while_starting(tmp_path: Path, db_url: str) -> None:
    config = make_project(tmp_path, db_url)
    gate = tmp_path / "gate"
    gate.mkdir()
    env = dict(os.environ, SCHEMA_LEDGER_URL=db_url, PYTHONPATH=str(ROOT),
               SCHEMA_LEDGER_FAULT=f"pause:1:{gate}")
    # -X importtime reports each import as it ends: once the command line's own imports have begun
    # (click), the interrupt lands while the rest loads, or, were they done, at the first boundary.
    process = subprocess.Popen([sys.executable, "-X", "importtime", "-m", "ledger", "apply"], cwd=config.project_dir,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith("import time:") and line.rsplit("|", 1)[-1].strip() == "click":
            break
    process.send_signal(signal.SIGINT)
    out, rest = process.communicate(timeout=120)
    err = "".join(seen) + rest
    assert process.returncode == 130, err[-2000:]
    assert "Traceback" not in err
    last = [line for line in err.splitlines() if not line.startswith("import time:")][-1]
    assert last.startswith("schema-ledger: interrupted"), last
