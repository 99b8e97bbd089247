"""The schema-ledger command line, one module per command group.

- :mod:`ledger.cli.app`: the ``schema-ledger`` group, its global options, the exit-code table
  and the one-line errors; what every command shares;
- :mod:`ledger.cli.project`: ``init``, ``new``, ``import-alembic`` (the project's files);
- :mod:`ledger.cli.run`: ``apply``, ``rollback``, ``drill``, ``recover``, ``baseline``, ``stamp``;
- :mod:`ledger.cli.inspect`: ``status``, ``history``, ``log``, ``verify``, ``blame``, ``schema``,
  ``materialize``, ``diff``, ``report``;
- :mod:`ledger.cli.trust`: ``keygen``, ``grants``, ``sign`` (signed, anchored history).

Importing the package registers every command with :func:`main`; a command imports what it
needs when it runs.
"""

from __future__ import annotations

from ledger.cli.app import (
    ALEMBIC_COMMANDS,
    SECONDS,
    CliContext,
    Failure,
    exit_code,
    exit_codes,
    main,
    pass_cli,
    printable,
    sealing,
)
from ledger.cli import inspect, project, run, trust  # noqa: F401 - each registers its commands

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
