"""A test-only hook at every statement boundary of apply, rollback and recover.

The runners call :func:`boundary` right after each statement that writes: a DDL statement,
a ledger INSERT, a COMMIT. Tests use it to stop a run at an exact point and check what the
ledger and the schema say afterwards. It is driven by the environment variable
``SCHEMA_LEDGER_FAULT``, read once when this module is imported:

``trace:PATH``
    append one line per boundary to PATH: ``N LABEL`` (N counts from 1 within the process).
``kill:N``
    SIGKILL this process right after boundary N (nothing after it runs, no cleanup).
``pause:N:DIR``
    at boundary N write ``DIR/paused`` (holding the pid), then wait until ``DIR/resume``
    exists (at most 120 s): another session can kill the connection meanwhile.

Unset (production), :data:`hook` is None and a boundary costs one global lookup.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

from ops.base import LedgerError


class FaultSpecError(LedgerError, ValueError):
    """``SCHEMA_LEDGER_FAULT`` holds something that is not a fault specification."""

__all__ = ["ENV", "boundary", "hook", "install"]

ENV = "SCHEMA_LEDGER_FAULT"

#: called with the boundary's label; None in production
hook: Callable[[str], None] | None = None


def boundary(label: str) -> None:
    """A statement boundary was passed: the hook, when one is installed, sees it."""
    if hook is not None:
        hook(label)


class _Counter:
    """Numbers the boundaries of this process and acts at the chosen one."""

    def __init__(self, act: Callable[[int, str], None]) -> None:
        self.count = 0
        self.act = act

    def __call__(self, label: str) -> None:
        self.count += 1
        self.act(self.count, label)


def _trace(path: Path) -> Callable[[int, str], None]:
    def act(n: int, label: str) -> None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"{n} {label}\n")

    return act


def _kill(at: int) -> Callable[[int, str], None]:
    def act(n: int, _label: str) -> None:
        if n == at:
            os.kill(os.getpid(), signal.SIGKILL)

    return act


def _pause(at: int, folder: Path) -> Callable[[int, str], None]:
    def act(n: int, label: str) -> None:
        if n != at:
            return
        (folder / "paused").write_text(f"{os.getpid()} {label}\n", encoding="utf-8")
        deadline = time.monotonic() + 120
        while not (folder / "resume").exists() and time.monotonic() < deadline:
            time.sleep(0.02)

    return act


def install(spec: str | None) -> Callable[[str], None] | None:
    """Set :data:`hook` from a ``SCHEMA_LEDGER_FAULT`` value (None or empty removes it)."""
    global hook
    if not spec:
        hook = None
        return None
    mode, _, rest = spec.partition(":")
    if mode == "trace":
        act = _trace(Path(rest))
    elif mode == "kill":
        act = _kill(int(rest))
    elif mode == "pause":
        number, _, folder = rest.partition(":")
        act = _pause(int(number), Path(folder))
    else:
        raise FaultSpecError(f"{ENV}={spec!r}: expected trace:PATH, kill:N or pause:N:DIR")
    hook = _Counter(act)
    return hook


install(os.environ.get(ENV))
