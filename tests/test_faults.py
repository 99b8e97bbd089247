"""Crashes and lost connections: nothing is lost, and the ledger never disagrees with the schema unreported.

The applier (the CLI in a process of its own) is killed with SIGKILL right after a statement
boundary -- a DDL statement, a ledger INSERT, a COMMIT -- found through the test-only hook
``SCHEMA_LEDGER_FAULT`` (see ledger/support/faults.py): first every boundary of a four-revision
``apply`` and of a ``rollback --to base`` is listed, then the run is killed at chosen ones.
Those runs, the random timing kills (anywhere, mid-statement included) and the runs whose
connection is killed are forked from the test process: the CLI's code, without a new
interpreter's start-up, which is most of a short run (tests/test_concurrency.py starts
``python -m ledger`` afresh). Afterwards:

- every event recorded before the killed run is still there, unchanged, and the ledger still
  refuses UPDATE and DELETE;
- ``status`` tells the truth: the intents it shows in doubt are the ledger's open intents,
  and on PostgreSQL and SQLite the live schema is exactly the schema of the revisions it
  says are applied (folded from the files, not from the ledger), at a revision boundary;
- on MariaDB ``recover`` settles what is in doubt from the live schema;
- ``verify --live`` passes, and a following ``apply`` (or ``rollback``) finishes the job.

CI runs a spread of boundaries per dialect; ``SCHEMA_LEDGER_DEEP=1`` runs every boundary
and random timing kills up to 500 kill points per dialect.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.run.apply import apply
from ledger.storage.view import LedgerView
from tests.builders import cli, events
from tests.reliability import (
    DEEP,
    chain_of,
    expected_states,
    fresh_database,
    kill_sessions,
    ledger_refuses_changes,
    live_matches,
    fork_run,
    fork_start,
    make_project,
    trace,
    wait_for_other_sessions,
)
from ledger.storage.db import create_engine
from ledger.storage.session import store_for
from ledger.project.config import Config

DIALECTS = ("sqlite", "postgresql", "mariadb")
SCENARIOS = {"apply": ("apply", "-q"), "rollback": ("rollback", "-q", "--to", "base")}
#: kill points per dialect in the deep run (every boundary, then random timing kills)
DEEP_KILLS = 500
#: boundaries per scenario and dialect in CI, spread evenly over the run
CI_POINTS = {"apply": 7, "rollback": 5}
#: random timing kills per scenario and dialect in CI
CI_RANDOM = 1


def _report(dialect: str, what: str, trials: int, kills: int) -> None:
    """With SCHEMA_LEDGER_FAULT_REPORT=FILE, one line per test: what ran (docs/reliability.md quotes it)."""
    path = os.environ.get("SCHEMA_LEDGER_FAULT_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{dialect} {what}: {trials} trials, {kills} killed\n")


def _open_intents(config: Config) -> list[int]:
    engine = create_engine(config.url)
    try:
        with engine.connect() as conn:
            return [e.seq for e in LedgerView.read(store_for(config), conn).in_doubt]
    finally:
        engine.dispose()


def check_after_failure(config: Config, dialect: str, scenario: str, before: list, where: str) -> None:
    """What must hold after a run was killed or lost its connection, then finish the job."""
    chain = chain_of(config)
    states = expected_states(chain)
    wait_for_other_sessions(config.url)
    now = events(config)
    assert now[: len(before)] == before, f"{where}: events recorded before the run were lost or changed"
    if now:
        assert ledger_refuses_changes(config), f"{where}: the ledger table no longer refuses UPDATE/DELETE"

    status = cli(config, "status", "--json")
    assert status.exception is None or isinstance(status.exception, SystemExit), (where, status.output)
    report = json.loads(status.stdout)
    shown = [e["seq"] for e in report["in_doubt"]]
    assert shown == _open_intents(config), f"{where}: status shows {shown} in doubt"
    assert status.exit_code == (1 if report["problems"] else 0), (where, status.output)

    if dialect == "mysql" or dialect == "mariadb":
        recovered = cli(config, "recover", "--by", "faults")
        assert recovered.exit_code == 0, (where, recovered.output)
        assert ("nothing in doubt" in recovered.stdout) == (not shown), (where, recovered.output)
        assert _open_intents(config) == [], where
        after = json.loads(cli(config, "status", "--json").stdout)
        assert after["in_doubt"] == [], where
    else:
        # A revision is one transaction: never an intent, never half a revision.
        assert shown == [] and report["partly_applied"] == [], (where, report["problems"])
        applied = [r["revision"] for r in report["revisions"] if r["applied"]]
        assert applied == list(chain.ids[: len(applied)]), (where, applied)
        assert live_matches(config, states[len(applied)]) == [], (where, applied)

    verified = cli(config, "verify", "--live")
    if report["ledger_exists"]:
        assert verified.exit_code == 0, (where, verified.output)
    else:
        # Killed before the ledger table was committed: a database without a ledger proves nothing.
        assert verified.exit_code == 1 and "no ledger table" in verified.output, (where, verified.output)

    # The job finishes: a rollback goes on to base, then apply brings everything back.
    if scenario == "rollback":
        finished = cli(config, "rollback", "-q", "--to", "base")
        assert finished.exit_code == 0, (where, finished.output)
        assert live_matches(config, states[0]) == [], where
    finished = cli(config, "apply", "-q")
    assert finished.exit_code == 0, (where, finished.output)
    assert live_matches(config, states[-1]) == [], where
    final = cli(config, "verify", "--live")
    assert final.exit_code == 0, (where, final.output)
    # A run killed while the ledger table was being made must not leave it without its triggers.
    assert ledger_refuses_changes(config), f"{where}: the ledger table does not refuse UPDATE/DELETE"
    assert json.loads(cli(config, "status", "--json").stdout)["problems"] == [], where


def _prepare(config: Config, scenario: str) -> list:
    """The database as the scenario starts from; the events recorded so far."""
    if scenario == "rollback":
        apply(config)
    return events(config)


def _pick(labels: list[str], count: int) -> list[int]:
    """Kill points (1-based boundaries): all of them in the deep run; in CI a spread, plus the first
    point between two statements of one op (a table created, its index not yet)."""
    n = len(labels)
    if DEEP or n <= count:
        return list(range(1, n + 1))
    chosen = {1 + round(i * (n - 1) / (count - 1)) for i in range(count)}
    between = [i + 1 for i in range(n - 1) if labels[i].startswith("ddl r") and labels[i + 1].startswith("ddl r")]
    chosen.update(between[:1])
    return sorted(chosen)


@pytest.fixture(params=DIALECTS)
def kill_dialect(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fresh(server_urls: dict[str, str | None], tmp_path: Path) -> Callable[[str, str], object]:
    def make(dialect: str, name: str) -> object:
        return fresh_database(dialect, server_urls, tmp_path / name)
    return make


def _boundaries(dialect: str, scenario: str, fresh: Callable[[str, str], object], tmp_path: Path) -> list[str]:
    with fresh(dialect, "trace") as url:  # type: ignore[attr-defined]
        config = make_project(tmp_path / "trace", url)
        _prepare(config, scenario)
        return trace(config, *SCENARIOS[scenario])


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_killed_at_every_statement_boundary(kill_dialect: str, scenario: str, fresh: Callable[[str, str], object],
                                            tmp_path: Path) -> None:
    labels = _boundaries(kill_dialect, scenario, fresh, tmp_path)
    # Every write is a boundary: DDL, ledger rows and commits each show up.
    assert any(label.startswith("ddl r") for label in labels) and "commit" in labels
    assert any(label.startswith("event ") for label in labels)
    points = _pick(labels, CI_POINTS[scenario])
    for point in points:
        where = f"{kill_dialect} {scenario} killed after boundary {point}/{len(labels)} ({labels[point - 1]})"
        with fresh(kill_dialect, f"k{point}") as url:  # type: ignore[attr-defined]
            config = make_project(tmp_path / f"k{point}", url)
            before = _prepare(config, scenario)
            code, out, err = fork_run(config, *SCENARIOS[scenario], fault=f"kill:{point}")
            assert code == -signal.SIGKILL, (where, code, out, err)
            check_after_failure(config, kill_dialect, scenario, before, where)
    _report(kill_dialect, f"{scenario} at boundaries ({len(labels)} in the run)", len(points), len(points))


def _random_kill_count(dialect: str, scenario: str, deterministic: int) -> int:
    """How many runs to kill at random moments (the deep run: to reach DEEP_KILLS per database)."""
    if not DEEP:
        return CI_RANDOM
    # Half the deep budget per scenario, less the boundaries already killed one by one.
    return max(CI_RANDOM, DEEP_KILLS // 2 - deterministic)


def _work_window(config: Config, scenario: str) -> float:
    """How long a whole run works in the database: from its first boundary to its end."""
    marker = config.project_dir / "window.txt"
    process, _out, _err = fork_start(config, *SCENARIOS[scenario], fault=f"trace:{marker}")
    while not marker.exists() and process.is_alive():
        time.sleep(0.002)
    started = time.monotonic()
    process.join(300)
    assert process.exitcode == 0, _err.read_text()
    return time.monotonic() - started


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_killed_at_random_moments(kill_dialect: str, scenario: str, fresh: Callable[[str, str], object],
                                  tmp_path: Path) -> None:
    labels = _boundaries(kill_dialect, scenario, fresh, tmp_path) if DEEP else []
    wanted = _random_kill_count(kill_dialect, scenario, len(labels))
    rng = random.Random(f"{kill_dialect}-{scenario}")
    with fresh(kill_dialect, "window") as url:  # type: ignore[attr-defined]
        config = make_project(tmp_path / "window", url)
        _prepare(config, scenario)
        window = _work_window(config, scenario)
    kills = 0
    trial = 0
    # Trials go on until that many runs were killed (a run may finish before its moment comes:
    # the window was measured once, and a short SQLite run varies a lot from run to run). Each
    # miss halves the range the moment is drawn from, so the kills still come at random moments.
    misses = 0
    while kills < wanted and trial < 3 * wanted + 8:
        trial += 1
        with fresh(kill_dialect, f"r{trial}") as url:  # type: ignore[attr-defined]
            config = make_project(tmp_path / f"r{trial}", url)
            before = _prepare(config, scenario)
            marker = config.project_dir / "boundaries.txt"
            process, _out, _err = fork_start(config, *SCENARIOS[scenario], fault=f"trace:{marker}")
            # From its first boundary on the run is at work in the database: it is killed
            # somewhere inside that work, mid-statement as often as not.
            while not marker.exists() and process.is_alive():
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.8 * window * 0.5 ** misses))
            if process.is_alive():
                process.kill()
            process.join(300)
            passed = len(marker.read_text().splitlines()) if marker.exists() else 0
            where = f"{kill_dialect} {scenario} random trial {trial} (after {passed} boundaries, exit {process.exitcode})"
            killed = process.exitcode == -signal.SIGKILL
            kills += killed
            misses += not killed
            check_after_failure(config, kill_dialect, scenario, before, where)
    _report(kill_dialect, f"{scenario} at random moments", trial, kills)
    assert kills == wanted, f"only {kills} of {trial} runs were killed before they finished"


# ---------------------------------------------------------------------------------------------
# The connection killed from another session
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("server", ["postgresql", "mariadb"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_connection_killed_mid_run(server: str, scenario: str, fresh: Callable[[str, str], object],
                                   tmp_path: Path) -> None:
    labels = _boundaries(server, scenario, fresh, tmp_path)
    # Inside a revision: after a DDL statement, and after a ledger row (MariaDB: between an
    # intent and its DDL, and between the DDL and its event).
    chosen = {label: i + 1 for i, label in reversed(list(enumerate(labels)))
              if label.startswith(("ddl r", "event"))}
    points = sorted({chosen[next(lb for lb in labels if lb.startswith("event") and " r2" in lb)]}
                    | ({chosen[next(lb for lb in labels if lb.startswith("ddl r"))]} if scenario == "apply" or DEEP else set()))
    for point in points:
        label = labels[point - 1]
        revision = label.rsplit(" ", 1)[1]
        where = f"{server} {scenario}: connection killed after boundary {point} ({label})"
        with fresh(server, f"c{point}") as url:  # type: ignore[attr-defined]
            config = make_project(tmp_path / f"c{point}", url)
            before = _prepare(config, scenario)
            gate = config.project_dir / "gate"
            gate.mkdir()
            process, out_path, err_path = fork_start(config, *SCENARIOS[scenario], fault=f"pause:{point}:{gate}")
            deadline = time.monotonic() + 120
            while not (gate / "paused").exists() and process.is_alive() and time.monotonic() < deadline:
                time.sleep(0.01)
            assert (gate / "paused").exists(), (where, err_path.read_text() if err_path.exists() else "")
            assert kill_sessions(url) >= 1, where
            (gate / "resume").touch()
            process.join(120)
            out, err = out_path.read_text(), err_path.read_text()
            assert process.exitcode == 1, (where, out, err)
            lines = err.strip().splitlines()
            assert len(lines) == 1 or (len(lines) == 2 and lines[0].endswith("failed")), (where, err)
            assert lines[-1].startswith("schema-ledger: error: ") and "Traceback" not in err, (where, err)
            assert f"revision {revision}" in lines[-1], (where, err)
            check_after_failure(config, server, scenario, before, where)
    _report(server, f"{scenario} connection killed", len(points), 0)
