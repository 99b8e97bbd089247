"""Exported ledgers: one JSON object per line, the ledger table's columns by name, in seq order.

``log --format jsonl`` writes one; ``verify --ledger FILE`` and ``schema --ledger FILE`` read
one, so an auditor can check the chain and rebuild a schema with no database at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ops.base import LedgerFormatError

from ledger.format.events import Event

__all__ = ["read_jsonl", "write_jsonl"]

_COLUMNS = (
    "seq", "event_id", "kind", "revision", "op_type", "table_name", "payload", "payload_version", "reverses",
    "actor_os_user", "actor_db_user", "actor_host", "actor_by", "tool_version", "recorded_at", "message",
    "revision_checksum", "prev_hash", "hash",
)
_INTS = {"seq", "payload_version", "reverses"}


def write_jsonl(events: Iterable[Event], out: IO[str]) -> int:
    """Write ``events`` as JSON lines; return how many."""
    count = 0
    for event in events:
        out.write(json.dumps(event.to_row(), sort_keys=True, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        count += 1
    return count


def _check(row: Any, line: int, path: str) -> dict[str, Any]:
    where = f"{path}:{line}"
    if not isinstance(row, dict):
        raise LedgerFormatError(f"{where}: expected a JSON object")
    missing = [c for c in _COLUMNS if c not in row]
    if missing:
        raise LedgerFormatError(f"{where}: missing {', '.join(missing)}")
    for column in _COLUMNS:
        value = row[column]
        if column in _INTS:
            ok = value is None and column != "seq" or type(value) is int
        else:
            ok = value is None and column not in ("event_id", "kind", "recorded_at", "prev_hash", "hash") \
                or isinstance(value, str)
        if not ok:
            raise LedgerFormatError(f"{where}: {column} has the wrong type")
    return row


def read_jsonl(path: str | Path) -> Iterator[Event]:
    """The events of an exported ledger, checked line by line (LedgerFormatError names file and line)."""
    name = str(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except (OSError, ValueError) as exc:
        raise LedgerFormatError(f"cannot read ledger file {name}: {getattr(exc, 'strerror', None) or exc}") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                # Line by line, so that a file that is not UTF-8 (a database file, say) names its line.
                row = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise LedgerFormatError(f"{name}:{number}: not UTF-8 text ({exc.reason})") from None
            except ValueError as exc:
                raise LedgerFormatError(f"{name}:{number}: not JSON: {exc}") from None
            yield Event.from_row(_check(row, number, name))
