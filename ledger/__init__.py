"""History and execution: the codec, the ledger table, revisions, dialects, the runner and the CLI."""

from ops.base import LedgerError, LedgerFormatError

__version__ = "0.1.0"

__all__ = ["LedgerError", "LedgerFormatError", "__version__"]
