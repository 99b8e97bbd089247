"""A Python list bound with no type (``sa.func.to_json(['llm'])``): the driver sends what it makes of it,
on PostgreSQL an array (psycopg writes ``ARRAY['llm']``, a text[]), and that is what the hook records
and import-alembic imports, as SQL that runs again (gpustack's e6bf9e067296 sets each model's
categories with ``to_json`` of such lists, on psycopg2, as gpustack runs it: psycopg 3 sends the list as a
parameter of no type PostgreSQL can name, which ``to_json`` refuses). MySQL's drivers write a list or a
tuple bound with no type as the parenthesized list of its values (``IN %(names)s``), and so does psycopg2 a
tuple; SQLite's refuses such a value, so there the migration fails as it does without the hook."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli import main
from tests.alembic_histories import (
    check_live_equals_fold, connected, hook_events, ledger_cli, run_alembic, upgrade_with_hook, write_env,
    write_history,
)

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


#: ``IN :names`` with a list or a tuple bound with no type (not expanding): the driver writes the list
IN_LISTS = [
    "t = op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)),"
    " sa.Column('n', sa.Integer()))",
    "op.execute(\"INSERT INTO item (id, name, n) VALUES (1, 'x', 0), (2, 'y', 0), (3, 'it''s', 0)\")",
    "op.execute(sa.text('UPDATE item SET n = n + 1 WHERE name IN :names').bindparams(names=('x', \"it's\")))",
    "op.get_bind().execute(sa.text('UPDATE item SET n = n + 10 WHERE id IN :ids'), {'ids': (2, 3)})",
]
#: the same with a list, which psycopg writes as an array (``IN ARRAY[...]`` does not parse: Alembic fails)
IN_LIST_MYSQL = ["op.execute(sa.text('UPDATE item SET n = n + 100 WHERE name IN :names').bindparams(names=['y']))"]


@pytest.mark.parametrize("dialect", ["mariadb", "postgresql"])
def test_a_list_or_tuple_bound_with_no_type_in_an_in_list_is_recorded_as_the_list_the_driver_wrote(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch, dialect: str
) -> None:
    body = IN_LISTS + (IN_LIST_MYSQL if dialect == "mariadb" else [])
    url = database_factory(dialect)
    url = _psycopg2(url) if dialect == "postgresql" else url
    upgrade_with_hook(tmp_path, url, [body])
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert texts[1:3] == ["UPDATE item SET n = n + 1 WHERE name IN ('x', 'it''s')",
                          "UPDATE item SET n = n + 10 WHERE id IN (2, 3)"], texts
    assert texts[3:] == (["UPDATE item SET n = n + 100 WHERE name IN ('y')"] if dialect == "mariadb" else []), texts
    select = "SELECT id, n FROM item ORDER BY id"
    with connected(url) as conn:
        expected = conn.exec_driver_sql(select).all()
        assert [tuple(r) for r in expected] == [(1, 1), (2, 110 if dialect == "mariadb" else 10), (3, 11)]
    code, output = ledger_cli(url, tmp_path, "drill", "--from-ledger", "-q")
    assert code == 1 and "cannot be rendered" not in output, output  # only the data revision is named
    # import-alembic imports it whole, and apply writes the same values
    folder = tmp_path / "plain"
    write_env(folder, hook=False)
    write_history(folder, [body])
    monkeypatch.chdir(tmp_path)
    scratch = database_factory(dialect)
    scratch = _psycopg2(scratch) if dialect == "postgresql" else scratch
    family = "mysql" if dialect == "mariadb" else dialect
    imported = CliRunner().invoke(main, ["import-alembic", str(folder), "--dialect", family, "--into", "imported",
                                         "--scratch-url", scratch])
    assert imported.exit_code == 0, imported.output
    (tmp_path / "schema-ledger.toml").write_text('migrations = "imported"\n', encoding="utf-8")
    applied_url = database_factory(dialect)
    applied = CliRunner().invoke(main, ["--url", applied_url, "apply", "-q"])
    assert applied.exit_code == 0, applied.output
    with connected(applied_url) as conn:
        assert conn.exec_driver_sql(select).all() == expected


def test_sqlite_refuses_a_list_bound_with_no_type_with_the_hook_as_without_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """SQLite's driver binds no list: the migration fails with the error it fails with without the hook;
    an expanding parameter (``bindparam(..., expanding=True)``) is the list SQLite runs, recorded as literals."""
    errors = []
    for hooked in (False, True):
        url, folder = database_factory("sqlite"), tmp_path / f"hooked{hooked}"
        write_env(folder, hook=hooked)
        write_history(folder, [IN_LISTS[:3]])
        with pytest.raises(sa.exc.OperationalError) as raised:
            run_alembic(folder, url, "upgrade", "head")
        errors.append(str(raised.value.orig))
    assert errors[0] == errors[1], errors
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [[*IN_LISTS[:2], "op.execute(sa.text('UPDATE item SET n = n + 1 WHERE name IN :names')"
                                       ".bindparams(sa.bindparam('names', ['x', \"it's\"], expanding=True)))"]])
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert texts[1:] == ["UPDATE item SET n = n + 1 WHERE name IN ('x', 'it''s')"], texts
    with connected(url) as conn:
        conn.exec_driver_sql(texts[1])
        assert [tuple(r) for r in conn.exec_driver_sql("SELECT id, n FROM item ORDER BY id")] == [(1, 2), (2, 0), (3, 2)]
