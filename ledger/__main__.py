"""``python -m ledger`` and the ``schema-ledger`` command.

Ctrl-C is handled from the first moment: the handler is set before the command line (and
SQLAlchemy with it) is imported, so an interrupt while it loads ends like one during a run,
with exit code 130 and one line, never a traceback. Once a first Ctrl-C is on its way, the
unwinding it starts (transactions rolled back, connections closed) is not cut short by a
second one; a third ends the process at once.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

#: the exit code of a command stopped by Ctrl-C (128 + SIGINT), as shells report it
INTERRUPTED = 130

_interrupts = 0


def _on_sigint(_signum: int, _frame: FrameType | None) -> None:
    global _interrupts
    _interrupts += 1
    if _interrupts == 1:
        raise KeyboardInterrupt
    if _interrupts >= 3:
        os.write(2, b"\nschema-ledger: interrupted again: stopped at once\n")
        os._exit(INTERRUPTED)


def run() -> None:
    """The console entry point."""
    try:
        signal.signal(signal.SIGINT, _on_sigint)
    except ValueError:  # not the main thread: the default handling stays
        pass
    from ledger.support.gcpause import starting

    starting()  # the collector off while the command loads (the connection turns it on again)
    try:
        from ledger.cli.app import main  # the group: it imports the module of the command it runs
    except KeyboardInterrupt:
        sys.stderr.write("\nschema-ledger: interrupted while starting: nothing was run\n")
        sys.exit(INTERRUPTED)
    try:
        main(prog_name="schema-ledger")
    except KeyboardInterrupt:  # outside a command (the command line handles those)
        sys.stderr.write("\nschema-ledger: interrupted\n")
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    run()
