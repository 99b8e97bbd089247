"""SQLite table rebuilds keep every row, index, trigger, view and the foreign keys that point in."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, note, settings
from hypothesis import strategies as st

from ledger.dialects import DDLGenerator, SQLiteRebuildError, ddl, ddl_batch, execute, generator
from ledger.run.apply import ApplyError, apply
from ops import Operations, SchemaState, record
from tests.builders import assert_live_equals_fold, assert_live_is, engine_for, project, run_ops
from tests.examples import examples

ROWS = [(i, f"item {i}", f"{i}.50", i % 7, f"c'{i}%") for i in range(1, 41)]


def _schema(op: Operations) -> None:
    op.create_table(
        "item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("price", sa.String(20)),
        sa.Column("qty", sa.Integer),
        sa.Column("code", sa.String(20)),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("item.id")),
    )
    op.create_index("ix_item_name", "item", ["name"])
    op.create_index("ux_item_code", "item", ["code"], unique=True)
    op.create_index("ix_item_big", "item", ["qty"], sqlite_where=sa.text("qty > 3"))
    op.create_table(
        "line",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE")),
    )
    op.create_table("audit", sa.Column("item_id", sa.Integer), sa.Column("what", sa.String(10)))


@pytest.fixture
def engine(database_factory: Callable[[str], str]) -> Iterator[sa.Engine]:
    eng = sa.create_engine(database_factory("sqlite"))
    yield eng
    eng.dispose()


@pytest.fixture
def state(engine: sa.Engine) -> SchemaState:
    with engine.begin() as conn:
        state, _ = run_ops(conn, record(_schema), SchemaState())
        conn.execute(sa.text("INSERT INTO item (id, name, price, qty, code) VALUES (:a, :b, :c, :d, :e)"),
                     [dict(zip("abcde", row)) for row in ROWS])
        conn.execute(sa.text("UPDATE item SET parent_id = 1 WHERE id > 1"))
        conn.execute(sa.text("INSERT INTO line (id, item_id) SELECT id, id FROM item"))
        conn.exec_driver_sql(
            'CREATE TRIGGER "item audit" AFTER INSERT ON item BEGIN '
            "INSERT INTO audit (item_id, what) VALUES (NEW.id, 'insert'); END"
        )
        conn.exec_driver_sql("CREATE VIEW cheap AS SELECT id, name FROM item WHERE qty < 3")
    return state


def migrate(engine: sa.Engine, upgrade: Callable[[Operations], Any], state: SchemaState) -> tuple[SchemaState, list[str]]:
    with engine.begin() as conn:
        state, sql = run_ops(conn, record(upgrade), state)
    assert_live_is(engine, state)
    return state, sql


def rows(engine: sa.Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql))]


def assert_everything_survived(engine: sa.Engine, columns: str = "id, name, qty") -> None:
    expected = {"id, name, qty": [(r[0], r[1], r[3]) for r in ROWS]}[columns]
    assert rows(engine, f"SELECT {columns} FROM item ORDER BY id") == expected
    assert rows(engine, "SELECT COUNT(*) FROM line") == [(len(ROWS),)]  # no ON DELETE CASCADE fired
    assert rows(engine, "SELECT COUNT(*) FROM item WHERE parent_id = 1") == [(len(ROWS) - 1,)]
    names = {r[0] for r in rows(engine, "SELECT name FROM sqlite_master WHERE tbl_name = 'item' AND sql IS NOT NULL")}
    assert {"item", "ix_item_name", "ux_item_code", "ix_item_big", "item audit"} <= names
    assert not any(n.startswith("_sl_") for n in names)
    assert rows(engine, "SELECT COUNT(*) FROM cheap") == [(sum(1 for r in ROWS if r[3] < 3),)]
    assert rows(engine, "PRAGMA foreign_key_check") == []
    assert rows(engine, "PRAGMA legacy_alter_table") == [(0,)]
    assert rows(engine, "SELECT \"table\" FROM pragma_foreign_key_list('line')") == [("item",)]
    with engine.begin() as conn:  # the trigger still fires, on the rebuilt table
        conn.execute(sa.text("INSERT INTO item (id, name) VALUES (1000, 'new')"))
        assert conn.execute(sa.text("SELECT what FROM audit WHERE item_id = 1000")).scalar() == "insert"
        conn.execute(sa.text("DELETE FROM item WHERE id = 1000"))
        conn.execute(sa.text("DELETE FROM audit"))


def test_constraint_change_keeps_everything(engine: sa.Engine, state: SchemaState) -> None:
    state, sql = migrate(engine, lambda op: op.create_check_constraint("ck_item_qty", "item", "qty >= 0"), state)
    assert any(s.startswith("CREATE TABLE _sl_new_item") for s in sql)
    assert_everything_survived(engine)
    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO item (id, name, qty) VALUES (999, 'x', -1)"))
    state, _ = migrate(engine, lambda op: op.drop_constraint("ck_item_qty", "item"), state)
    assert_everything_survived(engine)


def test_type_change_keeps_values(engine: sa.Engine, state: SchemaState) -> None:
    migrate(engine, lambda op: op.alter_column("item", "price", type_=sa.Numeric(10, 2), nullable=True), state)
    assert_everything_survived(engine)
    # the values took the new column's affinity: text "3.50" is now the number 3.5
    assert rows(engine, "SELECT typeof(price), price FROM item WHERE id = 3") == [("real", 3.5)]


def test_column_drop_keeps_everything(engine: sa.Engine, state: SchemaState) -> None:
    def upgrade(op: Operations) -> None:
        with op.batch_alter_table("item") as batch:
            batch.drop_index("ux_item_code")
            batch.drop_column("code")
            batch.alter_column("qty", nullable=False, server_default="0")

    (group,) = [record(upgrade)]
    with engine.begin() as conn:
        completed, current = [], state
        for op in group:
            completed.append(op.complete(current))
            current = current.apply(op)
        sql = ddl_batch(completed, state, "sqlite", conn=conn)
        execute(conn, sql)
    assert sum(s.startswith("CREATE TABLE") for s in sql) == 1
    assert_live_is(engine, current)
    assert [r[1] for r in rows(engine, "PRAGMA table_info(item)")] == ["id", "name", "price", "qty", "parent_id"]
    assert rows(engine, "SELECT id, name, qty FROM item ORDER BY id") == [(r[0], r[1], r[3]) for r in ROWS]
    with engine.begin() as conn:
        conn.exec_driver_sql('CREATE UNIQUE INDEX ux_item_code ON item (name)')  # stands in for the dropped one
    assert_everything_survived(engine)


def test_rename_in_a_rebuild_follows_the_values(engine: sa.Engine, state: SchemaState) -> None:
    def upgrade(op: Operations) -> None:
        with op.batch_alter_table("line") as batch:
            batch.alter_column("item_id", new_column_name="product_id", nullable=False)

    with engine.begin() as conn:
        ops = record(upgrade)
        sql = ddl_batch([o.complete(state) for o in ops], state, "sqlite", conn=conn)
        execute(conn, sql)
    assert rows(engine, "SELECT id, product_id FROM line ORDER BY id") == [(r[0], r[0]) for r in ROWS]


def test_self_referencing_table_keeps_pointing_at_itself(engine: sa.Engine, state: SchemaState) -> None:
    migrate(engine, lambda op: op.alter_column("item", "name", type_=sa.String(80)), state)
    assert rows(engine, "SELECT \"table\" FROM pragma_foreign_key_list('item')") == [("item",)]
    assert_everything_survived(engine)


def _fk_on(engine: sa.Engine) -> sa.Engine:
    on = sa.create_engine(engine.url)

    @sa.event.listens_for(on, "connect")
    def _on(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    return on


def test_rebuild_of_a_referenced_table_is_refused_while_foreign_keys_are_on(engine: sa.Engine, state: SchemaState) -> None:
    on = _fk_on(engine)
    try:
        (op,) = record(lambda op: op.create_check_constraint("ck_item_qty", "item", "qty >= 0"))
        with on.connect() as conn, pytest.raises(SQLiteRebuildError, match="foreign_keys"):
            ddl(op, state, "sqlite", conn=conn)
        # a table that nothing refers to is rebuilt safely with foreign keys on
        (op,) = record(lambda op: op.alter_column("line", "item_id", nullable=False))
        with on.begin() as conn:
            execute(conn, ddl(op.complete(state), state, "sqlite", conn=conn))
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        on.dispose()
    assert rows(engine, "SELECT COUNT(*) FROM line WHERE item_id IS NOT NULL") == [(len(ROWS),)]
    assert_everything_survived(engine)


def test_failed_rebuild_changes_nothing(engine: sa.Engine, state: SchemaState) -> None:
    (op,) = record(lambda op: op.create_check_constraint("ck_item_qty", "item", "qty > 100"))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.exec_driver_sql("BEGIN")  # pysqlite leaves DDL outside a transaction unless one is open
        execute(conn, ddl(op, state, "sqlite", conn=conn))
    assert_live_is(engine, state)
    assert_everything_survived(engine)


# ---------------------------------------------------------------------------------------------
# hypothesis: whatever the values, a rebuild keeps them
# ---------------------------------------------------------------------------------------------

_values = st.one_of(
    st.none(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False), st.text(max_size=20),
    st.binary(max_size=8),
)
_changes: list[Callable[[Operations], Any]] = [
    lambda op: op.alter_column("t", "v", type_=sa.LargeBinary),
    lambda op: op.alter_column("t", "v", server_default="x"),
    lambda op: op.create_unique_constraint("uq_t_k_v", "t", ["k", "v"]),
    lambda op: op.create_check_constraint("ck_t_k", "t", "k >= 0"),
    lambda op: op.drop_column("t", "w"),
]


@given(values=st.lists(_values, max_size=30),
       changes=st.lists(st.sampled_from(range(len(_changes))), min_size=1, max_size=4, unique=True))
def test_rebuilds_keep_any_values(values: list[Any], changes: list[int]) -> None:
    note(f"changes {changes}")
    engine = sa.create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            state, _ = run_ops(conn, record(lambda op: op.create_table(
                "t", sa.Column("k", sa.Integer, primary_key=True), sa.Column("v", sa.Text), sa.Column("w", sa.Text))),
                SchemaState())
            for i, v in enumerate(values):
                conn.execute(sa.text("INSERT INTO t (k, v, w) VALUES (:k, :v, :v)"), {"k": i, "v": v})
            before = list(conn.execute(sa.text("SELECT k, v FROM t ORDER BY k")))
            ops = [op for i in changes for op in record(_changes[i])]
            gen = running(conn)  # as a run makes them: no row (no value drawn), no copy
            for op in ops:
                op = op.complete(state)
                sql = ddl(op, state, "sqlite", conn=conn, gen=gen)
                rebuilt = any(s.startswith("DROP TABLE") for s in sql)
                assert not rebuilt or any("RENAME" in s for s in sql) == bool(values)
                execute(conn, sql)
                state = state.apply(op)
            after = list(conn.execute(sa.text("SELECT k, v FROM t ORDER BY k")))
        assert [(k, v) for k, v in after] == [(k, v) for k, v in before]
    finally:
        engine.dispose()


def test_a_column_whose_type_makes_a_check_is_dropped_by_a_rebuild(engine: sa.Engine, state: SchemaState) -> None:
    """glance's images.is_public, a ``Boolean(create_constraint=True)`` of a table's creation:
    SQLAlchemy writes its CHECK among the table's constraints, which SQLite's DROP COLUMN refuses
    ("no such column")."""
    state, _ = migrate(engine, lambda op: op.create_table(
        "image", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(20)),
        sa.Column("is_public", sa.Boolean(create_constraint=True), nullable=False)), state)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO image (id, name, is_public) VALUES (1, 'a', 1)"))
    state, sql = migrate(engine, lambda op: op.drop_column("image", "is_public"), state)
    assert any(s.startswith("CREATE TABLE _sl_new_image") for s in sql)
    assert rows(engine, "SELECT id, name FROM image") == [(1, "a")]


def test_a_column_whose_type_makes_a_check_is_added_by_a_rebuild(engine: sa.Engine, state: SchemaState) -> None:
    """SQLite's ALTER TABLE ... ADD COLUMN adds no table constraint: a ``Boolean`` or ``Enum`` with
    ``create_constraint`` is added by a rebuild, whose CREATE TABLE holds the CHECK its type makes
    (the live schema is the fold's, which verify --live compares CHECK for CHECK)."""
    state, sql = migrate(engine, lambda op: op.add_column(
        "item", sa.Column("kind", sa.Enum("a", "b", native_enum=False, create_constraint=True))), state)
    assert any(s.startswith("CREATE TABLE _sl_new_item") for s in sql), sql
    assert_everything_survived(engine)
    with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.exec_driver_sql("UPDATE item SET kind = 'c' WHERE id = 1")


# ---------------------------------------------------------------------------------------------
# a table with no row, in a run: dropped and made again under its own name
# ---------------------------------------------------------------------------------------------


def running(conn: sa.Connection) -> DDLGenerator:
    """The generator as a run holds it: each op's statements run before the next op's are made."""
    gen = generator("sqlite", conn)
    gen.runs_now = True
    return gen


def _emptied(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM line")
        conn.exec_driver_sql("DELETE FROM item")


def test_a_table_with_no_row_is_rebuilt_without_copy_or_rename(engine: sa.Engine, state: SchemaState) -> None:
    _emptied(engine)
    with engine.begin() as conn:
        (op,) = record(lambda op: op.create_check_constraint("ck_item_qty", "item", "qty >= 0"))
        sql = ddl(op.complete(state), state, "sqlite", conn=conn, gen=running(conn))
        execute(conn, sql)
        state = state.apply(op.complete(state))
    assert sql[:2] == ["DROP TABLE item", sql[1]] and sql[1].startswith("CREATE TABLE item (")
    assert not any("RENAME" in s or "_sl_" in s or "legacy_alter_table" in s for s in sql)
    assert_live_is(engine, state)
    # the indexes, the trigger, the view and the foreign keys that point in are there, and work
    names = {r[0] for r in rows(engine, "SELECT name FROM sqlite_master WHERE tbl_name = 'item' AND sql IS NOT NULL")}
    assert {"item", "ix_item_name", "ux_item_code", "ix_item_big", "item audit"} <= names
    assert rows(engine, "SELECT \"table\" FROM pragma_foreign_key_list('line')") == [("item",)]
    assert rows(engine, "SELECT \"table\" FROM pragma_foreign_key_list('item')") == [("item",)]
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO item (id, name, qty) VALUES (1, 'a', 1)"))
        conn.execute(sa.text("INSERT INTO line (id, item_id) VALUES (1, 1)"))
        assert conn.execute(sa.text("SELECT what FROM audit WHERE item_id = 1")).scalar() == "insert"
        with pytest.raises(sa.exc.IntegrityError):
            conn.execute(sa.text("INSERT INTO item (id, name, qty) VALUES (2, 'b', -1)"))
    assert rows(engine, "SELECT id, name FROM cheap") == [(1, "a")]
    assert rows(engine, "PRAGMA foreign_key_check") == []


def test_a_table_with_rows_is_copied_in_a_run_too(engine: sa.Engine, state: SchemaState) -> None:
    with engine.begin() as conn:
        (op,) = record(lambda op: op.create_check_constraint("ck_item_qty", "item", "qty >= 0"))
        sql = ddl(op.complete(state), state, "sqlite", conn=conn, gen=running(conn))
        execute(conn, sql)
    assert any(s.startswith("CREATE TABLE _sl_new_item") for s in sql)
    assert_everything_survived(engine)


def test_rows_a_batch_adds_before_its_rebuild_are_kept(engine: sa.Engine, state: SchemaState) -> None:
    """A batch's statements are made before any runs: the rows its SQL adds are not read, so the
    rebuild after it copies."""
    _emptied(engine)

    def upgrade(op: Operations) -> None:
        with op.batch_alter_table("item") as batch:
            batch.execute("INSERT INTO item (id, name, qty) VALUES (1, 'kept', 5)")
            batch.create_check_constraint("ck_item_qty", "qty >= 0")

    with engine.begin() as conn:
        ops, current = [], state
        for op in record(upgrade):
            ops.append(op.complete(current))
            current = current.apply(ops[-1])
        execute(conn, ddl_batch(ops, state, "sqlite", conn=conn, gen=running(conn)))
    assert rows(engine, "SELECT id, name, qty FROM item") == [(1, "kept", 5)]
    assert_live_is(engine, current)


def _traced(conn: sa.Connection) -> list[str]:
    """The statements the driver runs on ``conn`` from now on (SQLite's trace), the reads of
    whether a table holds a row among them."""
    seen: list[str] = []
    conn.connection.dbapi_connection.set_trace_callback(seen.append)
    return seen


def test_a_table_read_empty_in_the_transaction_is_not_read_again(engine: sa.Engine, state: SchemaState) -> None:
    """Its rows can come only from statements that change rows (SQLite's count of them moves) or
    from an op that may add rows (the user's SQL): until then a second rebuild reads nothing."""
    _emptied(engine)
    with engine.begin() as conn:
        gen, seen = running(conn), _traced(conn)
        for make in (lambda op: op.create_check_constraint("ck_item_qty", "item", "qty >= 0"),
                     lambda op: op.create_check_constraint("ck_item_name", "item", "name <> ''")):
            (op,) = record(make)
            execute(conn, sql := ddl(op.complete(state), state, "sqlite", conn=conn, gen=gen))
            state = state.apply(op.complete(state))
            assert sql[0] == "DROP TABLE item"
    assert [s for s in seen if s.startswith("SELECT 1 FROM item")] == ["SELECT 1 FROM item LIMIT 1"]
    assert_live_is(engine, state)


@pytest.mark.parametrize("how", ["a statement of the run", "the user's SQL"])
def test_rows_that_came_after_the_table_was_read_empty_are_copied(engine: sa.Engine, state: SchemaState,
                                                                  how: str) -> None:
    _emptied(engine)
    insert = "INSERT INTO item (id, name, qty) VALUES (1, 'kept', 5)"
    with engine.begin() as conn:
        gen = running(conn)
        (first,) = record(lambda op: op.create_check_constraint("ck_item_qty", "item", "qty >= 0"))
        execute(conn, ddl(first.complete(state), state, "sqlite", conn=conn, gen=gen))
        state = state.apply(first.complete(state))
        if how == "the user's SQL":  # an op that may add rows: what was read is forgotten with it
            (sql_op,) = record(lambda op: op.execute(insert))
            execute(conn, ddl(sql_op.complete(state), state, "sqlite", conn=conn, gen=gen))
        else:  # SQL no op made (a rollback's DELETE, Alembic's version rows): SQLite's count of changes moves
            conn.exec_driver_sql(insert)
        (second,) = record(lambda op: op.create_check_constraint("ck_item_name", "item", "name <> ''"))
        sql = ddl(second.complete(state), state, "sqlite", conn=conn, gen=gen)
        execute(conn, sql)
        state = state.apply(second.complete(state))
    assert any(s.startswith("INSERT INTO _sl_new_item") for s in sql)
    assert rows(engine, "SELECT id, name, qty FROM item") == [(1, "kept", 5)]
    assert_live_is(engine, state)


#: what a step of one transaction does to table t: a change that rebuilds it, a row added by SQL no op
#: made, a row added by the user's SQL (an op)
_STEPS = ("rebuild", "row", "sql row")


@settings(max_examples=examples(25))
@given(steps=st.lists(st.sampled_from(_STEPS), min_size=1, max_size=10))
def test_rebuilds_in_one_transaction_keep_every_row_whatever_came_between(steps: list[str]) -> None:
    """A table read empty is not read again until rows may have come: whatever the order of the
    rebuilds and the rows added, every row is there at the end."""
    engine = sa.create_engine("sqlite://")
    try:
        with engine.begin() as conn:
            state, _ = run_ops(conn, record(lambda op: op.create_table(
                "t", sa.Column("k", sa.Integer, primary_key=True), sa.Column("v", sa.Text))), SchemaState())
            gen, added, flip = running(conn), 0, False
            for step in steps:
                if step == "rebuild":  # NOT NULL on and off: a rebuild each time
                    flip = not flip
                    (op,) = record(lambda op, on=flip: op.alter_column("t", "v", nullable=not on))
                elif step == "row":
                    added += 1
                    conn.exec_driver_sql(f"INSERT INTO t (k, v) VALUES ({added}, 'r{added}')")
                    continue
                else:
                    added += 1
                    (op,) = record(lambda op, k=added: op.execute(f"INSERT INTO t (k, v) VALUES ({k}, 'r{k}')"))
                op = op.complete(state)
                execute(conn, ddl(op, state, "sqlite", conn=conn, gen=gen))
                state = state.apply(op)
            kept = [k for (k,) in conn.execute(sa.text("SELECT k FROM t ORDER BY k"))]
        assert kept == list(range(1, added + 1))
    finally:
        engine.dispose()


_EMPTY_TABLE = {
    "a1": "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True), sa.Column('v', sa.String(10)))",
    "a2": "op.execute('CREATE VIEW tv AS SELECT id, v FROM t')",
    "a3": "op.create_unique_constraint('uq_t_v', 't', ['v'])",
}


def test_a_run_rebuilds_a_table_with_no_row_without_rename(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    config = project(tmp_path, database_factory("sqlite"), revisions=_EMPTY_TABLE)
    result = apply(config)
    sql = [s for applied in result.applied for s in applied.statements]
    assert "DROP TABLE t" in sql and not any("RENAME" in s for s in sql)
    assert_live_equals_fold(config)


def test_a_dry_run_prints_the_rebuild_that_copies(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    """``--sql`` runs nothing, so the rows its SQL would add are not there to be read: its rebuild
    copies whatever the table holds, and the printed script keeps rows when it runs."""
    config = project(tmp_path, database_factory("sqlite"), revisions={
        **_EMPTY_TABLE, "a2": "op.execute(\"INSERT INTO t (id, v) VALUES (1, 'kept')\")"})
    apply(config, to="a1")
    script = apply(config, sql_only=True).sql
    assert any(s.startswith("CREATE TABLE _sl_new_t") for s in script)
    with engine_for(config.url) as engine:
        raw = engine.raw_connection()
        try:
            raw.driver_connection.executescript(";\n".join(script) + ";")  # type: ignore[union-attr]
        finally:
            raw.close()
        assert rows(engine, "SELECT id, v FROM t") == [(1, "kept")]
    assert_live_equals_fold(config)


def test_add_and_drop_column_of_a_table_with_no_row_are_a_rebuild_in_a_run(engine: sa.Engine, state: SchemaState) -> None:
    """SQLite's ADD and DROP COLUMN re-read the whole schema; DROP and CREATE of a table with no row
    read its own."""
    _emptied(engine)
    for change in (lambda op: op.add_column("item", sa.Column("note", sa.String(20))),
                   lambda op: op.drop_column("item", "note")):
        with engine.begin() as conn:
            (op,) = record(change)
            op = op.complete(state)
            sql = ddl(op, state, "sqlite", conn=conn, gen=running(conn))
            execute(conn, sql)
            state = state.apply(op)
        assert sql[0] == "DROP TABLE item" and not any(s.startswith("ALTER TABLE") for s in sql), sql
        assert_live_is(engine, state)
    names = {r[0] for r in rows(engine, "SELECT name FROM sqlite_master WHERE tbl_name = 'item' AND sql IS NOT NULL")}
    assert {"item", "ix_item_name", "ux_item_code", "ix_item_big", "item audit"} <= names
    # with rows, and outside a run, SQLite's own ALTER
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO item (id, name) VALUES (1, 'a')"))
        (op,) = record(lambda op: op.add_column("item", sa.Column("note", sa.String(20))))
        assert ddl(op, state, "sqlite", conn=conn, gen=running(conn)) == ["ALTER TABLE item ADD COLUMN note VARCHAR(20)"]
        conn.execute(sa.text("DELETE FROM item"))
        assert ddl(op, state, "sqlite", conn=conn) == ["ALTER TABLE item ADD COLUMN note VARCHAR(20)"]


def test_add_and_drop_column_read_the_rows_once(engine: sa.Engine, state: SchemaState) -> None:
    """Whether the table holds a row decides both whether ADD/DROP COLUMN is a rebuild and how the
    rebuild runs: read once, in the run's transaction, for the two."""
    _emptied(engine)
    for change in (lambda op: op.add_column("item", sa.Column("note", sa.String(20))),
                   lambda op: op.drop_column("item", "note")):
        with engine.begin() as conn:
            seen: list[str] = []
            conn.connection.dbapi_connection.set_trace_callback(seen.append)  # type: ignore[union-attr]
            (op,) = record(change)
            op = op.complete(state)
            after = state.apply(op)
            sql = ddl(op, state, "sqlite", conn=conn, gen=running(conn), after=after)
            conn.connection.dbapi_connection.set_trace_callback(None)  # type: ignore[union-attr]
            execute(conn, sql)
            state = after
        assert sql[0] == "DROP TABLE item", sql
        assert [s for s in seen if s.startswith("SELECT 1 FROM")] == ["SELECT 1 FROM item LIMIT 1"], seen
        assert_live_is(engine, state)


def test_add_column_stays_sqlites_own_where_a_rebuild_would_lose_or_refuse(engine: sa.Engine, state: SchemaState) -> None:
    """A table with no row that foreign keys refer to while they are on (a rebuild is refused), or
    whose AUTOINCREMENT counter a DROP TABLE would forget, takes SQLite's ADD COLUMN."""
    _emptied(engine)
    on = _fk_on(engine)
    try:
        (op,) = record(lambda op: op.add_column("item", sa.Column("note", sa.String(20))))
        with on.begin() as conn:
            assert ddl(op, state, "sqlite", conn=conn, gen=running(conn)) == [
                "ALTER TABLE item ADD COLUMN note VARCHAR(20)"]
    finally:
        on.dispose()
    state, _ = migrate(engine, lambda op: op.create_table(
        "counted", sa.Column("id", sa.Integer, primary_key=True), sqlite_autoincrement=True), state)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO counted (id) VALUES (5)")
        conn.exec_driver_sql("DELETE FROM counted")
        (op,) = record(lambda op: op.add_column("counted", sa.Column("note", sa.String(20))))
        sql = ddl(op, state, "sqlite", conn=conn, gen=running(conn))
        execute(conn, sql)
    assert sql == ["ALTER TABLE counted ADD COLUMN note VARCHAR(20)"]
    assert rows(engine, "SELECT seq FROM sqlite_sequence WHERE name = 'counted'") == [(5,)]


_TRIGGERED = {
    "a1": "op.create_table('t', sa.Column('id', sa.Integer, primary_key=True), sa.Column('v', sa.String(10)), "
          "sa.Column('w', sa.String(10)))",
    "a2": "op.create_unique_constraint('uq_t_v', 't', ['v'])",
    "a3": "op.create_index('ix_t_w', 't', ['w'])",
    "a4": "op.execute(\"CREATE TRIGGER t_fill AFTER INSERT ON t BEGIN UPDATE t SET w = 'filled' WHERE id = NEW.id; END\")",
    "a5": "op.alter_column('t', 'v', existing_type=sa.String(10), nullable=False, server_default='x')",
    "a6": "op.alter_column('t', 'w', new_column_name='w2', existing_type=sa.String(10))",
    "a7": "op.drop_constraint('uq_t_v', 't', type_='unique')",
    "a8": "op.create_unique_constraint('uq_t_w2', 't', ['w2'])",
}


def test_a_run_reads_the_triggers_once_a_transaction_until_other_sql_runs(
        tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    """In one transaction the triggers are read once, and again after SQL the run did not write (the
    user's, which made one) and after a rename (which SQLite writes into a trigger's text): every
    rebuild makes the table's triggers as the database holds them then."""
    config = project(tmp_path, database_factory("sqlite"), revisions=_TRIGGERED)
    seen: list[str] = []

    def trace(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    sa.event.listen(sa.Engine, "connect", trace)
    try:
        result = apply(config, one_transaction=True)
    finally:
        sa.event.remove(sa.Engine, "connect", trace)
    by_revision = {r.revision.id: r.statements for r in result.applied}
    assert sum("RENAME COLUMN" in s for s in by_revision["a6"]) == 1
    for rid in ("a5", "a7", "a8"):  # rebuilds after the trigger was made
        (made,) = [s for s in by_revision[rid] if s.startswith("CREATE TRIGGER")]
        assert ("w2" in made) == (rid != "a5"), made
    reads = [s for s in seen if "type = 'trigger'" in s]
    assert len(reads) == 3, reads  # a2's rebuild, a5's after the user's SQL, a7's after the rename
    assert sum(s == "PRAGMA foreign_keys" for s in seen) == 1
    assert_live_equals_fold(config)
    with engine_for(config.url) as engine:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO t (id) VALUES (1)"))
        assert rows(engine, "SELECT v, w2 FROM t") == [("x", "filled")]


@pytest.mark.parametrize("listening", [False, True])
def test_a_run_runs_its_statements_as_sqlalchemy_would(tmp_path: Path, database_factory: Callable[[str], str],
                                                       listening: bool) -> None:
    """A run's DDL goes on the driver's cursor unless something listens to SQLAlchemy's execution of
    statements: then each goes through SQLAlchemy, and the listener sees every one. Either way a
    failing statement stops the run with the database's own message and nothing recorded."""
    revisions = {**_TRIGGERED, "a9": "op.execute('INSERT INTO no_such_table VALUES (1)')"}
    config = project(tmp_path, database_factory("sqlite"), revisions=revisions)
    heard: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        heard.append(statement)

    if listening:
        sa.event.listen(sa.Engine, "before_cursor_execute", listen)
    try:
        applied = apply(config, to="a8", one_transaction=True)
        with pytest.raises(ApplyError) as info:
            apply(config)
    finally:
        if listening:
            sa.event.remove(sa.Engine, "before_cursor_execute", listen)
    ran = [s for r in applied.applied for s in r.statements]
    assert [s for s in heard if s in set(ran)] == (ran if listening else [])
    assert "no such table: no_such_table" in str(info.value)
    assert "nothing of the revision was applied or recorded" in str(info.value)
    assert [r.revision.id for r in apply(config, sql_only=True).applied] == ["a9"]
    assert_live_equals_fold(config)


#: SQLite's keywords as its documentation lists them (https://sqlite.org/lang_keywords.html)
_SQLITE_KEYWORDS = """ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN
BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE
CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE
END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB
GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL
JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER
OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX
RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN
TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH
WITHOUT""".lower().split()


def _refused_bare(word: str) -> bool:
    import sqlite3

    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        try:
            conn.executescript(f"CREATE TABLE t (a INT, CONSTRAINT {word} CHECK (a > 0)); CREATE INDEX {word} ON t (a)")
        except sqlite3.Error:
            return True
    return False


@pytest.mark.parametrize("word", [w for w in _SQLITE_KEYWORDS if _refused_bare(w)])
def test_a_keyword_sqlite_refuses_bare_is_quoted_as_a_name(engine: sa.Engine, state: SchemaState, word: str) -> None:
    """A CHECK, a unique and an index named by a keyword SQLite refuses unquoted (``nothing``,
    ``window``...): created, carried through a table rebuild, dropped."""
    state, _ = migrate(engine, lambda op: op.create_check_constraint(word, "item", "qty >= 0"), state)
    state, _ = migrate(engine, lambda op: op.alter_column("item", "price", type_=sa.Numeric(10, 2)), state)
    assert_everything_survived(engine)
    state, _ = migrate(engine, lambda op: op.drop_constraint(word, "item", type_="check"), state)
    state, _ = migrate(engine, lambda op: op.create_unique_constraint(word, "audit", ["item_id", "what"]), state)
    state, _ = migrate(engine, lambda op: op.drop_constraint(word, "audit", type_="unique"), state)
    state, _ = migrate(engine, lambda op: op.create_index(word, "audit", ["what"]), state)
    migrate(engine, lambda op: op.drop_index(word, "audit"), state)
