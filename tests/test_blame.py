"""blame: the events that created and changed a table or a column, renames followed, rollbacks included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ledger.inspect.blame import blame, blame_events
from ledger.cli import main
from ledger.project.config import Config
from ledger.format.events import GENESIS_HASH, Actor, Event
from ledger.run.rollback import rollback
from ledger.run.apply import apply
from ops import AddColumnOp, ColumnSpec, CreateTableOp, RenameTableOp, TableSpec, TypeSpec
from tests.builders import project

REVISIONS = {
    "0001": 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))',
    "0002": 'op.add_column("account", sa.Column("email", sa.String(200)))\n'
            'op.create_index("ix_account_email", "account", ["email"])',
    "0003": 'op.alter_column("account", "name", new_column_name="full_name")',
    "0004": 'op.rename_table("account", "customer")\n'
            'op.create_table("other", sa.Column("id", sa.Integer, primary_key=True))',
    "0005": 'op.alter_column("customer", "full_name", type_=sa.String(100))',
}


def applied_project(tmp_path: Path, url: str) -> Config:
    """The revisions above, applied by alice; 0005 rolled back by bob."""
    config = project(tmp_path, url, revisions=REVISIONS, url_in_file=True, file_name="{rid}_step.py",
                     doc="Step {rid}.")
    apply(config, by="alice")
    rollback(config, to="0004", by="bob", why="too short after all")
    return config


def summary(config: Config, target: str) -> list[tuple[str, str | None, str, str | None, str | None]]:
    return [(e.event.kind, e.event.revision, e.event.op_type or "", e.event.actor.by, e.note)
            for e in blame(config, target).entries]


def test_table_history_follows_the_rename_and_shows_the_rollback(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)
    rows = summary(config, "customer")
    assert rows[:5] == [
        ("apply", "0001", "create_table", "alice", "as account"),
        ("apply", "0002", "add_column", "alice", "as account"),
        ("apply", "0002", "create_index", "alice", "as account"),
        ("apply", "0003", "alter_column", "alice", "as account"),
        ("apply", "0004", "rename_table", "alice", "as account"),
    ]
    assert rows[5] == ("apply", "0005", "alter_column", "alice", None)
    kind, revision, op_type, by, note = rows[6]
    assert (kind, revision, op_type, by) == ("revert", "0005", "alter_column", "bob")
    assert note is not None and note.startswith("rollback of seq ")
    assert len(rows) == 7  # "other", created in the same revision, is not in customer's history


def test_column_history_follows_the_column_rename(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)
    rows = summary(config, "customer.full_name")
    assert [(r[2], r[4]) for r in rows] == [
        ("create_table", "as account; as column name"),
        ("alter_column", "as account; renamed from name"),
        ("rename_table", "as account"),
        ("alter_column", None),
        ("alter_column", rows[4][4]),
    ]
    assert rows[4][0] == "revert"
    assert [r[2] for r in summary(config, "customer.email")] == ["add_column", "create_index", "rename_table"]


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_cli_lines_json_and_exit_codes(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["--config", str(config.source), *args])

    result = run("blame", "customer.full_name")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 5
    assert "apply    0003" in lines[1] and "alice@" in lines[1]
    assert lines[1].endswith("alter column account.name: rename to full_name  (as account; renamed from name)"
                             "  -- Step 0003.")
    assert "revert   0005" in lines[4] and "bob@" in lines[4]
    assert lines[4].endswith("type String(length=50)  (rollback of seq 7)  -- too short after all")

    data = json.loads(run("blame", "customer", "--json").output)
    assert data["table"] == "customer" and data["column"] is None
    assert [e["revision"] for e in data["entries"]] == ["0001", "0002", "0002", "0003", "0004", "0005", "0005"]
    assert data["entries"][-1]["reverses"] == data["entries"][-2]["seq"]

    result = run("blame", "nowhere")
    assert result.exit_code == 1 and "no event in the ledger touches nowhere" in result.stderr
    result = run("blame", "customer.")
    assert result.exit_code == 2


def test_table_renamed_away_and_name_reused() -> None:
    """A table renamed to X after X was dropped: X's history starts with the renamed table's."""
    actor = Actor("u", None, "h", "0")
    column = ColumnSpec("id", TypeSpec("Integer"), nullable=False)
    ops = [
        CreateTableOp(TableSpec("x", (column,))),        # 1: the first x
        CreateTableOp(TableSpec("y", (column,))),        # 2
        RenameTableOp("x", "old_x"),                      # 3: the first x goes away
        RenameTableOp("y", "x"),                          # 4: y becomes x
        AddColumnOp("x", ColumnSpec("note", TypeSpec("Text"))),  # 5
    ]
    events: list[Event] = []
    for seq, op in enumerate(ops, start=1):
        events.append(Event.create(seq=seq, prev_hash=events[-1].hash if events else GENESIS_HASH, kind="apply",
                                   op=op, revision=None, message=None, actor=actor))

    def of_table(name: str) -> list[Event]:
        return [e for e in events if e.table_name == name]

    report = blame_events("x", None, of_table, [e for e in events if e.op_type == "rename_table"])
    assert [(e.event.seq, e.table_name) for e in report.entries] == [(2, "y"), (4, "y"), (5, "x")]
    old = blame_events("old_x", None, of_table, [e for e in events if e.op_type == "rename_table"])
    assert [e.event.seq for e in old.entries] == [1, 3]
