"""A primary key added to a table's columns after the table (``op.create_primary_key``): the
database leaves its column as it was. MySQL/MariaDB's ``ADD PRIMARY KEY`` does not make a lone
integer key column AUTO_INCREMENT, as ``CREATE TABLE`` would (invenio-db's ``transaction`` table:
``id BIGINT NOT NULL``, then ``create_primary_key``). The hook and import-alembic record the
column as the database holds it, so the fold, a materialized copy and an applied import equal the
database Alembic alone made, and a rollback runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import main
from tests.alembic_histories import (
    check_everything,
    hook_events,
    live_schema,
    name_like_fold,
    run_alembic,
    upgrade_with_hook,
    write_env,
    write_history,
)
from ledger.schema.reflect import compare

ADDED_KEY = [
    ["op.create_table('transaction', sa.Column('id', sa.BigInteger(), nullable=False),"
     " sa.Column('remote_addr', sa.String(length=50), nullable=True))",
     "op.create_primary_key('pk_transaction', 'transaction', ['id'])"],
    ["op.add_column('transaction', sa.Column('issued_at', sa.DateTime(), nullable=True))"],
]


@pytest.mark.parametrize("dialect", ["mariadb", "postgresql"])
def test_a_key_added_after_its_table_leaves_the_column_as_the_database_holds_it(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, ADDED_KEY)
    if dialect == "mariadb":
        adjusted = [e.message for e in hook_events(url) if e.message and e.message.startswith("[adjusted]")]
        assert adjusted and "left column id as it was, not auto-incremented" in adjusted[0], adjusted
    check_everything(tmp_path, url, database_factory, dialect)


@pytest.mark.parametrize("dialect", ["mariadb", "postgresql"])
def test_an_import_of_a_key_added_after_its_table_applies_as_alembic_ran_it(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, ADDED_KEY)
    oracle = database_factory(dialect)
    run_alembic(folder, oracle, "upgrade", "head")

    d = "mysql" if dialect == "mariadb" else dialect
    monkeypatch.chdir(tmp_path)
    imported = CliRunner().invoke(main, ["import-alembic", str(folder), "--dialect", d, "--into", "imported",
                                         "--scratch-url", database_factory(dialect)])
    assert imported.exit_code == 0, imported.output
    (tmp_path / "schema-ledger.toml").write_text('migrations = "imported"\n', encoding="utf-8")
    url = database_factory(dialect)
    applied = CliRunner().invoke(main, ["--url", url, "apply", "-q"])
    assert applied.exit_code == 0, applied.output
    live, made = live_schema(oracle), live_schema(url)
    assert compare(name_like_fold(live, made), name_like_fold(made, live), d) == []
    rolled = CliRunner().invoke(main, ["--url", url, "rollback", "--to", "base", "-q"])
    assert rolled.exit_code == 0, rolled.output
