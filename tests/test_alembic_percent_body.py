"""A ``%`` inside a dollar-quoted body (a ``DO $$ ... RAISE ... '%' ... $$`` block passed to ``op.execute``):
SQLAlchemy doubles every ``%`` of the text for psycopg, and psycopg sends each ``%%`` as ``%``, in the body too.
The hook and import-alembic record the statement as PostgreSQL received it, one ``%``, so that it runs
again: with ``%%`` PL/pgSQL counts no placeholder and refuses the block ("too many parameters specified for
RAISE"), as skyvern's 456c370b0f7d was refused when import-alembic's folder was applied."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ledger.cli import main
from tests.alembic_histories import check_live_equals_fold, connected, hook_events, upgrade_with_hook, write_env, write_history

BODY = [
    "op.create_table('seen', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('note', sa.String(40)))",
    "op.execute(\"\"\"DO $$ BEGIN\n"
    "    IF false THEN RAISE WARNING 'cannot grant as %; run it '\n        'by hand', current_user; END IF;\n"
    "    INSERT INTO seen (id, note) VALUES (1, '100%');\nEND $$\"\"\")",
]


def test_a_percent_in_a_dollar_quoted_body_is_recorded_as_the_database_received_it(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [BODY])
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert len(texts) == 1 and "as %;" in texts[0] and "'100%'" in texts[0] and "%%" not in texts[0], texts
    with connected(url) as conn:
        assert conn.exec_driver_sql("SELECT note FROM seen").all() == [("100%",)]
        conn.exec_driver_sql("DELETE FROM seen")
        conn.exec_driver_sql(texts[0], execution_options={"no_parameters": True})  # runs again, does the same
        assert conn.exec_driver_sql("SELECT note FROM seen").all() == [("100%",)]
        conn.commit()
    check_live_equals_fold(url)
    folder = tmp_path / "plain"
    write_env(folder, hook=False)
    write_history(folder, [BODY])
    monkeypatch.chdir(tmp_path)
    imported = CliRunner().invoke(main, ["import-alembic", str(folder), "--dialect", "postgresql", "--into", "imported",
                                         "--scratch-url", database_factory("postgresql")])
    assert imported.exit_code == 0, imported.output
    (tmp_path / "schema-ledger.toml").write_text('migrations = "imported"\n', encoding="utf-8")
    applied_url = database_factory("postgresql")
    applied = CliRunner().invoke(main, ["--url", applied_url, "apply", "-q"])
    assert applied.exit_code == 0, applied.output
    with connected(applied_url) as conn:
        assert conn.exec_driver_sql("SELECT note FROM seen").all() == [("100%",)]
