"""Lock contention: appliers and rollbacks at once, short lock timeouts, and killed lock holders.

Eight ``python -m ledger`` processes start together, each an ``apply``, an ``apply --to r2``
or a ``rollback --to base``, some with a short ``--lock-timeout``. Each either does its work
or gives up waiting with a one-line message; none crashes. Afterwards the ledger is whole,
no intent is in doubt, no revision is in effect twice or in part, and the live schema is
exactly the schema of the revisions the final ledger says are applied (folded from the
files). A runner killed while it holds the lock leaves no lock behind.

CI runs one mix per database; ``SCHEMA_LEDGER_DEEP=1`` runs ten.
"""

from __future__ import annotations

import json
import random
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from ledger.project.config import Config
from ledger.format.events import Event
from tests.builders import cli, events
from tests.reliability import (
    DEEP,
    chain_of,
    expected_states,
    fresh_database,
    live_matches,
    make_project,
    spawn,
    wait_for_other_sessions,
)

DIALECTS = ("sqlite", "postgresql", "mariadb")
COMMANDS = (("apply", "-q"), ("apply", "-q", "--to", "r2"), ("rollback", "-q", "--to", "base"))
LOCK_MESSAGES = ("holds the lock", "write lock")
MIXES = 10 if DEEP else 1


def _never_twice(recorded: list[Event], ops_per_revision: dict[str, int]) -> None:
    """Walking the ledger, no revision ever has more of its events in effect than it has ops."""
    live: dict[int, str | None] = {}
    count: Counter[str | None] = Counter()
    for event in recorded:
        if event.kind == "revert" and event.reverses is not None:
            count[live.pop(event.reverses)] -= 1
        elif event.kind in ("apply", "baseline"):
            live[event.seq] = event.revision
            count[event.revision] += 1
            assert count[event.revision] <= ops_per_revision[str(event.revision)], \
                f"seq {event.seq}: revision {event.revision} applied twice"


def _check_final(config: Config) -> None:
    chain = chain_of(config)
    wait_for_other_sessions(config.url)
    recorded = events(config)
    _never_twice(recorded, {r.id: max(1, len(r.ops)) for r in chain})
    status = cli(config, "status", "--json")
    report = json.loads(status.stdout)
    assert status.exit_code == 0 and report["problems"] == [], status.output
    applied = [r["revision"] for r in report["revisions"] if r["applied"]]
    assert applied == list(chain.ids[: len(applied)])
    assert live_matches(config, expected_states(chain)[len(applied)]) == []
    verified = cli(config, "verify", "--live")
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize("dialect", DIALECTS)
def test_eight_appliers_and_rollbacks_at_once(dialect: str, server_urls: dict[str, str | None],
                                              tmp_path: Path) -> None:
    for mix in range(MIXES):
        rng = random.Random(f"{dialect}-{mix}")
        with fresh_database(dialect, server_urls, tmp_path / f"m{mix}") as url:
            config = make_project(tmp_path / f"m{mix}", url)
            if rng.random() < 0.5:
                assert cli(config, "apply", "-q", "--to", "r3").exit_code == 0
            plan = []
            for i in range(8):
                command = COMMANDS[i % len(COMMANDS)] if i < len(COMMANDS) else rng.choice(COMMANDS)
                short = i % 3 == 2  # some runners wait only briefly
                timeout = ["--lock-timeout", f"{rng.choice([0, 0.05, 0.2]):g}"] if short else ["--lock-timeout", "120"]
                plan.append((command, short, [*command, *timeout]))
            runners = [spawn(config, *args) for _, _, args in plan]
            outcomes = [(r.wait(timeout=300), r.stdout.read(), r.stderr.read()) for r in runners]  # type: ignore[union-attr]
            for (command, short, args), (code, out, err) in zip(plan, outcomes, strict=True):
                assert "Traceback" not in err, (args, err)
                if code == 0:
                    continue
                if code == 2 and "--to" in command and "below the current revision" in err:
                    continue  # another runner went further first: `apply --to` does not go back
                # Only a runner with a short timeout may give up, and it says why in one line.
                assert code == 1 and short, (args, code, out, err)
                assert err.count("\n") == 1 and err.startswith("schema-ledger: error: "), (args, err)
                assert any(m in err for m in LOCK_MESSAGES) and "--lock-timeout" in err, (args, err)
            _check_final(config)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_waiting_runner_times_out_and_a_killed_holder_leaves_no_lock(
    dialect: str, server_urls: dict[str, str | None], tmp_path: Path,
) -> None:
    with fresh_database(dialect, server_urls, tmp_path / "db") as url:
        config = make_project(tmp_path / "db", url)
        # A runner that holds the lock: paused right after its first write (inside a revision).
        gate = tmp_path / "gate"
        gate.mkdir()
        holder = spawn(config, "apply", "-q", fault=f"pause:1:{gate}")
        deadline = time.monotonic() + 120
        while not (gate / "paused").exists() and holder.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert (gate / "paused").exists(), holder.communicate()

        waiting = spawn(config, "apply", "-q", "--lock-timeout", "0.3")
        out, err = waiting.communicate(timeout=120)
        assert waiting.returncode == 1, (out, err)
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert "waited 0.3 s" in err and "--lock-timeout" in err, err
        assert any(m in err for m in LOCK_MESSAGES), err
        rolling = spawn(config, "rollback", "-q", "--to", "base", "--lock-timeout", "0")
        out, err = rolling.communicate(timeout=120)
        assert rolling.returncode == 1 and any(m in err for m in LOCK_MESSAGES), (out, err)

        # Killed while it holds the lock: the next runner gets it (within its usual wait).
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=60)
        assert holder.returncode == -signal.SIGKILL
        follower = spawn(config, "apply", "-q", "--lock-timeout", "60")
        out, err = follower.communicate(timeout=120)
        if dialect == "mariadb" and follower.returncode == 1 and "in doubt" in err:
            # The holder died between an intent and its event: recover, then apply.
            assert cli(config, "recover").exit_code == 0
            follower = spawn(config, "apply", "-q", "--lock-timeout", "60")
            out, err = follower.communicate(timeout=120)
        assert follower.returncode == 0, (out, err)
        assert out.startswith("applied "), out
        _check_final(config)
