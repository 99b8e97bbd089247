"""A Python list bound with no type (``sa.func.to_json(['llm'])``): the driver sends what it makes of it,
on PostgreSQL an array (psycopg writes ``ARRAY['llm']``, a text[]), and that is what the hook records
and import-alembic imports, as SQL that runs again (gpustack's e6bf9e067296 sets each model's
categories with ``to_json`` of such lists, on psycopg2, as gpustack runs it: psycopg 3 sends the list as a
parameter of no type PostgreSQL can name, which ``to_json`` refuses)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli import main
from tests.alembic_histories import check_live_equals_fold, connected, hook_events, upgrade_with_hook, write_env, write_history

BODY = [
    "op.create_table('model', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('kind', sa.String(10)),"
    " sa.Column('categories', sa.JSON()), sa.Column('n', sa.Integer()))",
    "op.execute(\"INSERT INTO model (id, kind) VALUES (1, 'a'), (2, 'b')\")",
    "t = sa.table('model', sa.column('kind', sa.String()), sa.column('categories', sa.JSON()),"
    " sa.column('n', sa.Integer()))",
    "op.get_bind().execute(sa.update(t).values(categories=sa.case((t.c.kind == 'a', sa.func.to_json(['x', \"it's\"])),"
    " else_=sa.func.to_json(['y']))))",
    "op.execute(sa.update(t).values(n=sa.func.array_length([3, 4, 5], 1)))",
]


def _psycopg2(url: str) -> str:
    return sa.make_url(url).set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)


def test_a_list_bound_with_no_type_is_recorded_as_the_array_postgresql_was_sent(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _psycopg2(database_factory("postgresql"))
    upgrade_with_hook(tmp_path, url, [BODY])
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert len(texts) == 3 and "ARRAY['x', 'it''s']" in texts[1] and "ARRAY[3, 4, 5]" in texts[2], texts
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            expected = conn.exec_driver_sql("SELECT id, categories::text, n FROM model ORDER BY id").all()
            conn.exec_driver_sql("UPDATE model SET categories = NULL, n = NULL")
            for text in texts[1:]:  # the recorded SQL runs again and writes the same values
                conn.exec_driver_sql(text)
            assert conn.exec_driver_sql("SELECT id, categories::text, n FROM model ORDER BY id").all() == expected
    finally:
        engine.dispose()
    assert [tuple(r) for r in expected] == [(1, '["x","it\'s"]', 3), (2, '["y"]', 3)]
    check_live_equals_fold(url)
    # import-alembic imports it whole (nothing named as unrenderable), and apply writes the same values
    folder = tmp_path / "plain"
    write_env(folder, hook=False)
    write_history(folder, [BODY])
    monkeypatch.chdir(tmp_path)
    imported = CliRunner().invoke(main, ["import-alembic", str(folder), "--dialect", "postgresql", "--into", "imported",
                                         "--scratch-url", _psycopg2(database_factory("postgresql"))])
    assert imported.exit_code == 0, imported.output
    (tmp_path / "schema-ledger.toml").write_text('migrations = "imported"\n', encoding="utf-8")
    applied_url = database_factory("postgresql")
    applied = CliRunner().invoke(main, ["--url", applied_url, "apply", "-q"])
    assert applied.exit_code == 0, applied.output
    with connected(applied_url) as conn:
        assert conn.exec_driver_sql("SELECT id, categories::text, n FROM model ORDER BY id").all() == expected
