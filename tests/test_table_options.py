"""A table's options (MariaDB's character set and collation) and a column's AUTO_INCREMENT changed
after the table was made: recorded as the database holds them, reversed, replayed and compared."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

import ops
from ledger.format.codec import decode, encode
from ledger.schema.diff import diff
from ledger.schema.pysource import render_python
from ops.specs import ColumnSpec, PrimaryKeySpec, TableSpec, TypeSpec
from tests.alembic_histories import (
    check_everything,
    connected,
    hook_events,
    ledger_cli,
    ledger_fold,
    run_alembic,
    upgrade_with_hook,
    write_env,
    write_history,
)

_COLUMNS = ("SELECT COLUMN_NAME, COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, EXTRA FROM information_schema.COLUMNS"
            " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t ORDER BY ORDINAL_POSITION")
_TABLE = "SELECT TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :t"


def _held(url: str, table: str) -> tuple[str, list[tuple[str, ...]]]:
    """The table's collation and, per column, its type, character set, collation and AUTO_INCREMENT."""
    with connected(url) as conn:
        collation = conn.execute(sa.text(_TABLE), {"t": table}).scalar_one()
        return str(collation), [tuple(str(v) for v in row) for row in conn.execute(sa.text(_COLUMNS), {"t": table})]


def _changed_and_replayed(tmp_path: Path, url: str, factory: Callable[[str], str], table: str,
                          made: str, changed: str) -> tuple[str, list[tuple[str, ...]]]:
    """Revision ``made`` makes ``table``, revision ``changed`` runs SQL text on it, with the hook:
    a materialized ledger makes the table as the database holds it, rolling ``changed`` back leaves
    it as before, and the upgrade runs again. What the database held after ``changed``."""
    folder = tmp_path / "alembic"
    write_env(folder)
    first, _ = write_history(folder, [[made], [f"op.execute({changed!r})"]])
    run_alembic(folder, url, "upgrade", first)
    before = _held(url, table)
    run_alembic(folder, url, "upgrade", "head")
    after = _held(url, table)
    scratch = factory("mariadb")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    assert _held(scratch, table) == after
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", first)
    assert code == 0, out
    assert _held(url, table) == before
    run_alembic(folder, url, "upgrade", "head")
    assert _held(url, table) == after
    check_everything(tmp_path, url, factory, "mariadb")
    return after


def _named_when_changed_behind(tmp_path: Path, url: str, statement: str, *named: str) -> None:
    """``verify --live`` is clean; ``statement`` run behind the ledger makes it fail, naming ``named``."""
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    with connected(url) as conn:
        conn.execute(sa.text(statement))
        conn.commit()
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code != 0 and all(name in out for name in named), out


def _table(options: tuple[tuple[str, str], ...]) -> TableSpec:
    return TableSpec("t", (ColumnSpec("id", TypeSpec("Integer"), nullable=False),
                           ColumnSpec("name", TypeSpec("String", kwargs=(("length", 20),)))),
                     primary_key=PrimaryKeySpec("pk_t", ("id",)), dialect_options=options)


def test_alter_table_options_is_completed_reversed_stored_and_written_as_python() -> None:
    utf8 = (("mysql_charset", "utf8mb3"), ("mysql_collate", "utf8mb3_general_ci"))
    wider = (("mysql_charset", "utf8mb4"), ("mysql_collate", "utf8mb4_bin"))
    state = ops.SchemaState.fold([ops.CreateTableOp(_table(utf8))])
    (recorded,) = ops.record(lambda op: op.alter_table_options("t", mysql_charset="utf8mb4", mysql_collate="utf8mb4_bin"))
    assert not recorded.reversible
    op = state.complete(recorded)
    assert op == ops.AlterTableOptionsOp("t", wider, existing_options=utf8)
    after = state.apply(op)
    assert after.table("t").dialect_options == wider
    assert after.apply(op.reverse()) == state and op.reverse().reverse() == op
    assert decode(encode(op)) == op and decode(encode(op).decode()) == op
    assert "op.alter_table_options(" in render_python([op])
    # the diff of two states whose tables differ in their options leads from one to the other
    assert diff(state, after) == [op]
    assert ops.SchemaState.fold(diff(after, state), start=after) == state


def test_alter_column_autoincrement_is_completed_reversed_and_keeps_older_bytes() -> None:
    state = ops.SchemaState.fold([ops.CreateTableOp(_table(()))])
    plain = state.complete(ops.AlterColumnOp("t", "name", modify_nullable=False))
    assert b"autoincrement" not in encode(plain)  # an op without it is written as before
    (recorded,) = ops.record(lambda op: op.alter_column("t", "id", existing_type=sa.Integer, autoincrement=False))
    op = state.complete(recorded)
    assert op.existing_autoincrement == "auto" and op.modify_autoincrement is False
    after = state.apply(op)
    assert after.column("t", "id").autoincrement is False
    assert after.apply(op.reverse()) == state and op.reverse().reverse() == op
    assert decode(encode(op)) == op
    assert "autoincrement=False" in render_python([op])
    assert diff(state, after) == [op]  # altered, not dropped and added


def test_on_mariadb_convert_to_run_as_sql_is_recorded_with_its_columns_and_replays(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``ALTER TABLE ... CONVERT TO CHARACTER SET`` through ``op.execute``: the table's character set
    and collation, a column that had its own character set and now follows the table, a TEXT
    column MariaDB widened to MEDIUMTEXT: the ledger holds them as the database does; verify,
    materialize, drill and rollback agree."""
    url = database_factory("mariadb")
    held = _changed_and_replayed(
        tmp_path, url, database_factory, "zones",
        "op.create_table('zones', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(20)),"
        " sa.Column('code', sa.String(10, collation='latin1_bin')), sa.Column('notes', sa.Text), mysql_charset='utf8')",
        "ALTER TABLE zones CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    assert held[0] == "utf8mb4_bin" and held[1][3] == ("notes", "mediumtext", "utf8mb4", "utf8mb4_bin", "")
    assert any(e.op_type == "alter_table_options" for e in hook_events(url))


def test_on_mariadb_a_changed_default_character_set_leaves_the_columns_in_theirs(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``ALTER TABLE ... DEFAULT CHARSET=latin1`` changes the table's default only: its columns keep
    utf8mb4, now a character set of their own, and a materialized ledger makes them so."""
    url = database_factory("mariadb")
    held = _changed_and_replayed(
        tmp_path, url, database_factory, "hosts",
        "op.create_table('hosts', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(20)),"
        " mysql_charset='utf8mb4', mysql_collate='utf8mb4_bin')",
        "ALTER TABLE hosts DEFAULT CHARSET=latin1")
    assert held[0] == "latin1_swedish_ci" and held[1][1][2:4] == ("utf8mb4", "utf8mb4_bin")


def test_on_mariadb_verify_live_names_a_character_set_changed_behind_the_ledger(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('pools', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(20)),"
         " mysql_charset='utf8mb4', mysql_collate='utf8mb4_general_ci')"],
    ])
    _named_when_changed_behind(tmp_path, url, "ALTER TABLE pools CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
                               "pools options", "mysql_collate=utf8mb4_bin")


def test_on_mariadb_alter_column_without_auto_increment_is_recorded_and_compared(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Alembic's MODIFY leaves AUTO_INCREMENT out unless told (``autoincrement=False``, or no
    ``existing_autoincrement=True``): the ledger holds the column as MariaDB does, rolls it back,
    and ``verify --live`` names AUTO_INCREMENT changed behind it."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('nodes', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(20)))"],
        ["op.alter_column('nodes', 'id', existing_type=sa.Integer, nullable=False, autoincrement=False)"],
    ])
    assert "auto_increment" not in _held(url, "nodes")[1][0][4]
    with connected(url) as conn:
        fold = ledger_fold(conn)
    assert fold.column("nodes", "id").autoincrement is False
    _named_when_changed_behind(tmp_path, url, "ALTER TABLE nodes MODIFY id INTEGER NOT NULL AUTO_INCREMENT",
                               "autoincrement")
    with connected(url) as conn:
        conn.execute(sa.text("ALTER TABLE nodes MODIFY id INTEGER NOT NULL"))
        conn.commit()
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--json", "-q")
    assert code == 0 and json.loads(out)["passed"], out
    check_everything(tmp_path, url, database_factory, "mariadb")
