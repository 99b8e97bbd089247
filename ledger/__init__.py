"""History and execution: the codec, the ledger table, revisions, dialects, the runner and the CLI."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["LedgerError", "LedgerFormatError", "__version__"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: `schema-ledger` starts by importing this package, and its Ctrl-C
    # handling (ledger.__main__) must be in place before anything heavy (SQLAlchemy) loads.
    if name in ("LedgerError", "LedgerFormatError"):
        from ops import base

        return getattr(base, name)
    raise AttributeError(f"module 'ledger' has no attribute {name!r}")
