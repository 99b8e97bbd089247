"""Commands given what is not a ledger database: each says so in one line naming what it was given."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import main


@pytest.mark.parametrize("command", [["status"], ["log"], ["verify"], ["schema"], ["rollback", "--to", "base", "--sql"],
                                     ["apply", "--sql"], ["drill"], ["history"]])
def test_a_sqlite_url_naming_a_file_that_is_no_database_is_one_line_naming_it(tmp_path: Path,
                                                                              command: list[str]) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("these are notes, not a database\n" * 10, encoding="utf-8")
    (tmp_path / "migrations").mkdir()
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--url", f"sqlite:///{text}", "--config", str(tmp_path / "schema-ledger.toml"),
                                       *command])
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.output.strip().splitlines() if ln.startswith("schema-ledger: error:")]
    assert lines == [f"schema-ledger: error: sqlite:///{text}: {text} is not an SQLite database "
                     "(file is not a database): is it the right file?"], result.output
    assert "Traceback" not in result.output
    assert text.read_text(encoding="utf-8").startswith("these are notes")
