"""An operation the hook records as what ran, marked for re-sync, whose change a later re-sync
records as ops: import-alembic writes that change once, so ``apply`` builds Alembic's schema."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli import main
from ledger.format.events import RESYNC, RESYNCED
from ledger.integrations.alembic.fallback import FollowsLive
from ledger.inspect.status import status
from ledger.project.revisions import RevisionChain
from ledger.schema.comparison import compare
from ledger.schema.reflect import reflect
from tests.alembic_histories import (
    LEDGER_TABLE,
    connected,
    hook_events,
    ledger_only_config,
    name_like_fold,
    upgrade_with_hook,
)


def _default_schema(backend: str) -> str:
    """The default schema's name spelled out, as code of a revision (MySQL's: the database's name)."""
    return {"sqlite": "'main'", "postgresql": "'public'"}.get(backend, "op.get_bind().engine.url.database")


def test_a_change_recorded_as_sql_and_then_re_synced_is_imported_once(
    tmp_path: Path, dialect: str, db_url: str, database_factory: Callable[[str], str]
) -> None:
    backend = sa.make_url(db_url).get_backend_name()
    # the default schema spelled out: the fold holds the table under no schema, so the converted
    # op and the read-back of its table fail; the re-sync at the end of the revision finds the column
    ids = upgrade_with_hook(tmp_path, db_url, [
        ["op.create_table('rules', sa.Column('id', sa.Integer(), primary_key=True))"],
        [f"op.add_column('rules', sa.Column('note', sa.String(40)), schema={_default_schema(backend)})",
         "op.create_index('ix_rules_id', 'rules', ['id'])"],
    ])
    events = [e for e in hook_events(db_url) if e.revision == ids[1]]
    messages = [e.message or "" for e in events]
    assert [e.op_type for e in events] == ["execute", "create_index", "add_column"], messages
    assert messages[0].startswith(RESYNC) and messages[2].startswith(RESYNCED)
    # status says what it says about a re-synced ledger
    assert status(ledger_only_config(tmp_path, db_url), chain=RevisionChain()).resync is None

    imported = CliRunner().invoke(main, ["import-alembic", str(tmp_path / "alembic"), "--dialect", backend,
                                         "--into", str(tmp_path / "imported"), "--scratch-url", database_factory(dialect)])
    assert imported.exit_code == 0, imported.output
    (written,) = (tmp_path / "imported").glob(f"{ids[1]}_*.py")
    text = written.read_text(encoding="utf-8")
    assert text.count("# SQL not imported: its schema change is the re-synced ops below:") == 1
    assert text.count("add_column") == 1, text
    fresh, config = database_factory(dialect), tmp_path / "imported.toml"
    config.write_text(f'migrations = "{tmp_path / "imported"}"\n', encoding="utf-8")
    for args in (["apply", "-q"], ["verify", "--live"]):
        result = CliRunner().invoke(main, ["--url", fresh, "--config", str(config), *args])
        assert result.exit_code == 0, (args, result.output)
    with connected(db_url) as conn:
        alembic_schema = reflect(conn, exclude=(LEDGER_TABLE, "alembic_version"))
    with connected(fresh) as conn:
        applied = reflect(conn, exclude=(LEDGER_TABLE,))
    applied = name_like_fold(applied, alembic_schema)
    assert compare(name_like_fold(alembic_schema, applied), applied, backend) == []


def test_sql_text_the_ledger_cannot_follow_and_a_re_sync_then_records_is_imported_once(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # op.execute's DDL whose table read back leads to no list of ops is recorded as what ran, marked
    # for re-sync; the re-sync at the end of the revision records its change as ops: import-alembic
    # ran both (apply failed with 'column already exists')
    follow = FollowsLive._follow_live

    def no_list_for_the_statement(self: FollowsLive, table: Any, *args: Any, **kw: Any) -> Any:
        if sys._getframe(1).f_code.co_name == "_record_schema_sql":
            return None  # the statement's table read back: no list of ops leads there
        return follow(self, table, *args, **kw)

    monkeypatch.setattr(FollowsLive, "_follow_live", no_list_for_the_statement)
    url = database_factory("postgresql")
    ids = upgrade_with_hook(tmp_path, url, [
        ["op.create_table('rules', sa.Column('id', sa.Integer(), primary_key=True))"],
        ["op.execute('ALTER TABLE rules ADD COLUMN note VARCHAR(40)')"],
    ])
    events = [e for e in hook_events(url) if e.revision == ids[1]]
    messages = [e.message or "" for e in events]
    assert [e.op_type for e in events] == ["execute", "add_column"], messages
    assert messages[0].startswith(RESYNC) and messages[1].startswith(RESYNCED)

    imported = CliRunner().invoke(main, ["import-alembic", str(tmp_path / "alembic"), "--dialect", "postgresql",
                                         "--into", str(tmp_path / "imported"),
                                         "--scratch-url", database_factory("postgresql")])
    assert imported.exit_code == 0, imported.output
    (written,) = (tmp_path / "imported").glob(f"{ids[1]}_*.py")
    text = written.read_text(encoding="utf-8")
    assert text.count("# SQL not imported: its schema change is the re-synced ops below:") == 1, text
    assert text.count("ADD COLUMN note") == 1 and text.count("add_column") == 1, text
    fresh, config = database_factory("postgresql"), tmp_path / "imported.toml"
    config.write_text(f'migrations = "{tmp_path / "imported"}"\n', encoding="utf-8")
    for args in (["apply", "-q"], ["verify", "--live"]):
        result = CliRunner().invoke(main, ["--url", fresh, "--config", str(config), *args])
        assert result.exit_code == 0, (args, result.output)
