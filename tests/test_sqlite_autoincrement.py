"""SQLite's AUTOINCREMENT (``sqlite_autoincrement=True``) is recorded and written again.

SQLAlchemy's reflection does not report it: the ledger reads it from the SQL SQLite keeps,
records it on the table's primary key, writes it in CREATE TABLE and in a rebuild, and compares
it. Without it a table the ledger makes again has no ``sqlite_sequence`` row, and a later
migration's ``UPDATE sqlite_sequence`` finds no such table.
"""

from __future__ import annotations

import json
from pathlib import Path

import attrs

from ledger.format.payload import from_payload, to_payload
from ledger.integrations.alembic_import import import_alembic
from ledger.project.config import Config
from ledger.run import apply as runner
from ledger.schema.reflect import compare, reflect
from ledger.dialects import ddl, execute, generator
from ledger.schema.pysource import render_python
from ops import AlterColumnOp, CreatePrimaryKeyOp, CreateTableOp, SchemaState, record
from ops.specs import ColumnSpec, PrimaryKeySpec, TableSpec, TypeSpec
from tests.alembic_histories import (
    check_live_equals_fold,
    connected,
    hook_events,
    ledger_cli,
    run_alembic,
    sqlite_upgraded,
    write_env,
    write_history,
)
from tests.builders import engine_for

# Revision 1 makes an AUTOINCREMENT table; revision 2 moves its sequence on (as arize-phoenix's
# history does); revision 3 changes the table in a batch block (a rollback rebuilds it).
HISTORY = [
    ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('label', sa.String(20)), sqlite_autoincrement=True)"],
    ["op.execute(\"INSERT INTO item (label) VALUES ('a')\")",
     "op.execute(\"UPDATE sqlite_sequence SET seq = 41 WHERE name = 'item'\")"],
    ["with op.batch_alter_table('item') as batch:",
     "    batch.add_column(sa.Column('extra', sa.Integer()))"],
]


def _table_sql(url: str, table: str = "item") -> str:
    with connected(url) as conn:
        return str(conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                        (table,)).scalar_one())


def _next_id(url: str) -> int:
    """The id SQLite gives the next row, after moving the sequence on as revision 2 does."""
    with engine_for(url) as engine, engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO item (label) VALUES ('first')")
        conn.exec_driver_sql("UPDATE sqlite_sequence SET seq = 99 WHERE name = 'item'")
        conn.exec_driver_sql("INSERT INTO item (label) VALUES ('next')")
        return int(conn.exec_driver_sql("SELECT max(id) FROM item").scalar_one())


def test_a_rolled_back_and_upgraded_again_table_keeps_autoincrement(tmp_path: Path) -> None:
    url, ids = sqlite_upgraded(tmp_path, HISTORY[:1] + HISTORY[2:])
    check_live_equals_fold(url)
    made = [e.op for e in hook_events(url) if isinstance(e.op, CreateTableOp)]
    assert made[0].table.primary_key is not None and made[0].table.primary_key.autoincrement

    # the rollback rebuilds the table as revision 1 made it: AUTOINCREMENT, a sequence SQLite keeps
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0])
    assert code == 0, out
    assert "AUTOINCREMENT" in _table_sql(url)
    check_live_equals_fold(url)
    assert _next_id(url) == 100

    # rolled back to base and upgraded again: the table is made by the hook's own run
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--allow-data-loss")
    assert code == 0, out
    run_alembic(tmp_path / "hooked", url, "stamp", "base")
    run_alembic(tmp_path / "hooked", url, "upgrade", ids[0])
    assert "AUTOINCREMENT" in _table_sql(url)
    check_live_equals_fold(url)


def test_an_imported_history_applied_keeps_autoincrement(tmp_path: Path) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, HISTORY[:2])
    result = import_alembic(folder, "sqlite", tmp_path / "imported")
    assert result.problems == ()
    url = f"sqlite:///{tmp_path}/applied.db"
    runner.apply(Config(project_dir=tmp_path, url=url, migrations=tmp_path / "imported"))  # revision 2 runs
    assert "AUTOINCREMENT" in _table_sql(url)
    assert _next_id(url) == 100


def test_verify_live_reports_a_table_that_lost_autoincrement(tmp_path: Path) -> None:
    url, _ = sqlite_upgraded(tmp_path, HISTORY[:1])
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    with engine_for(url) as engine, engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE item_new (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(20))")
        conn.exec_driver_sql("INSERT INTO item_new SELECT id, label FROM item")
        conn.exec_driver_sql("DROP TABLE item")
        conn.exec_driver_sql("ALTER TABLE item_new RENAME TO item")
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code != 0
    assert "live schema differs from the ledger: drop primary constraint pk_item on item" in out
    code, out = ledger_cli(url, tmp_path, "verify", "--live", "--json")
    assert code != 0
    drift = json.loads(out)["drift"]
    assert drift["differences"] == ["primary key of item: expected (unnamed) (id) AUTOINCREMENT, live (unnamed) (id)"]


def test_reflection_reads_autoincrement_and_the_field_is_written_only_when_set() -> None:
    with engine_for("sqlite://") as engine, engine.begin() as conn:
        conn.exec_driver_sql('CREATE TABLE a ("id" integer PRIMARY KEY autoincrement, "autoincrement" TEXT)')
        conn.exec_driver_sql("CREATE TABLE b (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'AUTOINCREMENT')")
        live = reflect(conn)
    assert live.table("a").primary_key.autoincrement  # type: ignore[union-attr]
    assert not live.table("b").primary_key.autoincrement  # type: ignore[union-attr]
    assert compare(live, live, "sqlite") == []
    a = live.table("a")
    lost = SchemaState({a.key: attrs.evolve(a, primary_key=attrs.evolve(a.primary_key, autoincrement=False))})
    only_a = SchemaState({a.key: a})
    assert any("AUTOINCREMENT" in line for line in compare(only_a, lost, "sqlite"))
    assert compare(only_a, lost, "postgresql") == []  # no other database keeps it

    table = TableSpec("t", (ColumnSpec("id", TypeSpec.of("Integer"), nullable=False),),
                      primary_key=PrimaryKeySpec("pk_t", ("id",)))
    plain = to_payload(CreateTableOp(table))["op"]["table"]["primary_key"]
    assert "autoincrement" not in plain
    marked = CreateTableOp(attrs.evolve(table, primary_key=attrs.evolve(table.primary_key, autoincrement=True)))
    assert to_payload(marked)["op"]["table"]["primary_key"]["autoincrement"] is True
    assert from_payload(to_payload(marked)) == marked


def test_a_rebuild_writes_autoincrement_after_a_table_alike_without_it() -> None:
    """One generator rebuilds two tables whose key columns are alike, one with AUTOINCREMENT: each
    column's definition is remembered with what decides SQLite's inline PRIMARY KEY AUTOINCREMENT."""
    def table(name: str, autoincrement: bool) -> TableSpec:
        integer = TypeSpec.of("Integer")
        return TableSpec(name, (ColumnSpec("id", integer, nullable=False), ColumnSpec("n", integer)),
                         primary_key=PrimaryKeySpec(f"pk_{name}", ("id",), autoincrement=autoincrement))

    state = SchemaState().apply(CreateTableOp(table("plain", False))).apply(CreateTableOp(table("counted", True)))
    with engine_for("sqlite://") as engine, engine.connect() as conn:
        gen = generator("sqlite", conn)  # one per run, as apply has
        for op in (CreateTableOp(table("plain", False)), CreateTableOp(table("counted", True))):
            execute(conn, ddl(op, SchemaState(), "sqlite", gen=gen))
        for name in ("plain", "counted"):
            op = AlterColumnOp(name, "n", modify_nullable=False, existing_type=TypeSpec.of("Integer"))
            execute(conn, ddl(op, state, "sqlite", gen=gen))
        state = state.apply(AlterColumnOp("plain", "n", modify_nullable=False)).apply(
            AlterColumnOp("counted", "n", modify_nullable=False))
        sql = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all())
        assert "AUTOINCREMENT" in sql["counted"] and "AUTOINCREMENT" not in sql["plain"]
        assert compare(state, reflect(conn), "sqlite") == []


def test_an_imported_revision_writes_autoincrement_and_records_it_again() -> None:
    """The importer's Python for a table or primary key with AUTOINCREMENT says so, and records the same op."""
    integer = TypeSpec.of("Integer")
    key = PrimaryKeySpec("pk_t", ("id",), autoincrement=True)
    table = TableSpec("t", (ColumnSpec("id", integer, nullable=False),), primary_key=key)
    for op in (CreateTableOp(table), CreatePrimaryKeyOp("t", key)):
        source = render_python([op])
        assert "sqlite_autoincrement=True" in source
        namespace: dict[str, object] = {}
        exec(compile(source, "<rendered>", "exec"), namespace)  # noqa: S102
        assert record(namespace["upgrade"]) == [op]  # type: ignore[arg-type]


def test_a_batch_rebuild_that_loses_autoincrement_is_recorded_where_a_foreign_key_stands_on_a_unique_index(
        tmp_path: Path) -> None:
    """Alembic's batch rebuild makes the table again from its reflection, without AUTOINCREMENT.
    A foreign key from another table to the key column, with a unique index on that column (as
    superset's ``tab_state`` has), must not keep the ledger from recording the change: the fold
    lets the primary key go while the unique index still holds the foreign key up."""
    url, _ = sqlite_upgraded(tmp_path, [
        ["op.create_table('tab', sa.Column('id', sa.Integer(), nullable=False),"
         " sa.PrimaryKeyConstraint('id'), sqlite_autoincrement=True)",
         "op.create_index('ix_tab_id', 'tab', ['id'], unique=True)",
         "op.create_table('other', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('tab_id', sa.Integer(), sa.ForeignKey('tab.id', name='fk_other_tab')))"],
        ["with op.batch_alter_table('tab') as batch_op:",
         "    batch_op.add_column(sa.Column('hide', sa.Boolean(), nullable=False, server_default=sa.false()))"],
    ])
    sql = _table_sql(url, 'tab')
    assert "AUTOINCREMENT" not in sql  # what Alembic's rebuild did
    check_live_equals_fold(url)
    code, output = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, output


def test_an_empty_batch_block_that_always_rebuilds_is_recorded_as_the_database_holds_the_table(
        tmp_path: Path) -> None:
    """ihatemoney's cb038f79982e: ``batch_alter_table(t, recreate="always",
    table_kwargs={"sqlite_autoincrement": True})`` with no op inside rebuilds each table with
    AUTOINCREMENT; the ledger records the tables as the rebuild made them."""
    blocks = []
    for table in ("person", "bill", "billowers"):
        blocks += [f"with op.batch_alter_table({table!r}, recreate='always',"
                   " table_kwargs={'sqlite_autoincrement': True}):", "    pass"]
    url, _ = sqlite_upgraded(tmp_path, [
        ["op.create_table('person', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.create_table('bill', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('payer_id', sa.Integer(), sa.ForeignKey('person.id')))",
         "op.create_table('billowers', sa.Column('bill_id', sa.Integer(), sa.ForeignKey('bill.id'), primary_key=True),"
         " sa.Column('person_id', sa.Integer(), sa.ForeignKey('person.id'), primary_key=True))"],
        blocks,
    ])
    sql = _table_sql(url, 'bill')
    assert "AUTOINCREMENT" in sql  # what Alembic's rebuild did
    check_live_equals_fold(url)
    code, output = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, output
