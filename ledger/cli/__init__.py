"""The schema-ledger command line, one module per command group.

- :mod:`ledger.cli.app`: the ``schema-ledger`` group, its global options, the exit-code table
  and the one-line errors; what every command shares;
- :mod:`ledger.cli.project`: ``init``, ``new``, ``import-alembic`` (the project's files);
- :mod:`ledger.cli.run`: ``apply``, ``rollback``;
- :mod:`ledger.cli.adopt`: ``baseline``, ``stamp``, ``drill``, ``recover``;
- :mod:`ledger.cli.inspect`: ``status``, ``history``, ``log``, ``verify``, ``blame``, ``schema``,
  ``materialize``, ``diff``, ``report``;
- :mod:`ledger.cli.trust`: ``keygen``, ``grants``, ``sign`` (signed, anchored history).

``main`` taken from this package comes with every command registered; the ``schema-ledger``
command itself (``ledger.__main__``) takes it from :mod:`ledger.cli.app`, whose group imports the
module of the command it runs only (``app.COMMAND_MODULES``; ``--help`` imports them all). A
command imports what it needs when it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledger.cli.app import (
    ALEMBIC_COMMANDS,
    SECONDS,
    CliContext,
    Failure,
    exit_code,
    exit_codes,
    pass_cli,
    printable,
    sealing,
)

if TYPE_CHECKING:
    from ledger.cli.app import main

__all__ = [
    "ALEMBIC_COMMANDS",
    "SECONDS",
    "CliContext",
    "Failure",
    "exit_code",
    "exit_codes",
    "main",
    "pass_cli",
    "printable",
    "sealing",
]


def __getattr__(name: str) -> Any:
    if name != "main":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ledger.cli.app import load_commands, main

    load_commands()
    globals()["main"] = main
    return main
