"""Exported ledgers round-trip and malformed files give one clear error."""

from __future__ import annotations

import io
import json

import pytest

from ledger.storage.archive import read_jsonl, write_jsonl
from ledger.format.events import verify_chain
from ops import LedgerFormatError
from tests.builders import MemoryLedger, table_with_column


def test_round_trip(tmp_path) -> None:  # noqa: ANN001
    ledger = MemoryLedger()
    for n in range(3):
        ledger.apply(f"r{n}", table_with_column(n))
    path = tmp_path / "ledger.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        assert write_jsonl(ledger.events, fh) == 6
    assert list(read_jsonl(path)) == ledger.events
    assert verify_chain(read_jsonl(path)) == []


@pytest.mark.parametrize("line", ['{"seq": 1}', "not json", "[1]", None])
def test_malformed_lines_name_file_and_line(tmp_path, line) -> None:  # noqa: ANN001
    ledger = MemoryLedger()
    ledger.apply("r0", table_with_column(0))
    buffer = io.StringIO()
    write_jsonl(ledger.events, buffer)
    lines = buffer.getvalue().splitlines()
    if line is None:
        row = json.loads(lines[1])
        row["seq"] = "2"
        line = json.dumps(row)
    lines[1] = line
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LedgerFormatError, match=r"bad.jsonl:2"):
        list(read_jsonl(path))


def test_missing_file(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(LedgerFormatError, match="cannot read"):
        list(read_jsonl(tmp_path / "nope.jsonl"))
