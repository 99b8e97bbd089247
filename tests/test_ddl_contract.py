"""Generated histories run through ``ddl()``: after every op, and after undoing them all, the
reflected live schema equals the fold (docs/design.md, contract points 3 and 8, for the DDL alone)."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, note, reject, settings

from ledger.dialects import ddl, dialect_name, execute
from ledger.schema.reflect import compare, reflect
from ops import CreateForeignKeyOp, CreateTableOp, MigrateOperation, OP_TYPES, SchemaState
from tests.strategies import histories


def _wipe(conn: sa.Connection) -> None:
    """An empty database again (the fixture's database is shared by a test's examples)."""
    name = conn.dialect.name
    if name == "postgresql":
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    elif name in ("mysql", "mariadb"):
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
        for table in sa.inspect(conn).get_table_names():
            conn.exec_driver_sql(f"DROP TABLE {conn.dialect.identifier_preparer.quote(table)}")
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
    else:
        for table in sa.inspect(conn).get_table_names():
            conn.exec_driver_sql(f"DROP TABLE {conn.dialect.identifier_preparer.quote(table)}")


def _building(state: SchemaState) -> list[MigrateOperation]:
    """Ops that create ``state`` from nothing: the tables, then their foreign keys."""
    tables = sorted(state.tables.values(), key=lambda t: (t.schema or "", t.name))
    ops: list[MigrateOperation] = [CreateTableOp(attrs.evolve(t, foreign_keys=())) for t in tables]
    ops += [CreateForeignKeyOp(t.name, fk, schema=t.schema) for t in tables for fk in t.foreign_keys]
    return ops


def _mismatched_foreign_key(state: SchemaState) -> bool:
    """A foreign key between columns of different types (two ENUMs of different names), which
    the strategies can draw but PostgreSQL refuses ("cannot be implemented")."""
    for table in state.tables.values():
        for fk in table.foreign_keys:
            target = state.table(fk.referent_table, fk.referent_schema or table.schema)
            for local, remote in zip(fk.columns, fk.referent_columns):
                if table.column(local).type != target.column(remote).type:  # type: ignore[union-attr]
                    return True
    return False


def _default_does_not_fit(state: SchemaState) -> bool:
    """A NUMERIC(p, s) default with more than p - s integer digits, which the strategies can draw
    but every database refuses ("numeric field overflow", "Invalid default value")."""
    for table in state.tables.values():
        for column in table.columns:
            kw, default = column.type.kw, column.server_default
            if column.type.name in ("Numeric", "DECIMAL", "NUMERIC") and default is not None and kw.get("precision"):
                digits = default.value.strip("'-+ ").split(".")[0].lstrip("0")
                if len(digits) > kw["precision"] - (kw.get("scale") or 0):
                    return True
    return False


def _twin_foreign_keys(state: SchemaState) -> bool:
    """Two foreign keys of a table on the same columns to the same key: valid DDL everywhere, but
    SQLAlchemy's SQLite reflection keys foreign keys by exactly that and reads back only one."""
    for table in state.tables.values():
        shapes = [(fk.columns, fk.referent_table, fk.referent_columns) for fk in table.foreign_keys]
        if len(set(shapes)) != len(shapes):
            return True
    return False


def _index_named_primary(state: SchemaState) -> bool:
    """An index or unique constraint named PRIMARY, which MySQL/MariaDB refuse (error 1280)."""
    return any(
        (item.name or "").lower() == "primary"
        for table in state.tables.values() for item in table.uniques + table.indexes + table.foreign_keys
    )


def _step(conn: sa.Connection, state: SchemaState, op: MigrateOperation) -> SchemaState:
    execute(conn, ddl(op, state, dialect_name(conn), conn=conn))
    return state.apply(op)


def _built(conn: sa.Connection, start: SchemaState) -> SchemaState:
    """An empty database again, then ``start`` made in it op by op: the state those ops fold to."""
    _wipe(conn)
    conn.commit()
    state = SchemaState()
    for op in _building(start):
        state = _step(conn, state, op)
    return state


def _live_is(conn: sa.Connection, state: SchemaState, what: str) -> None:
    live = reflect(conn)
    differences = compare(state, live, dialect_name(conn))
    assert differences == [], f"after {what}:\n" + "\n".join(differences)


@pytest.fixture
def connection(engine: sa.Engine) -> Iterator[sa.Connection]:
    with engine.connect() as conn:
        yield conn


# Each example is tens of DDL round trips (a MariaDB DDL statement commits on its own): a quarter
# of the profile's examples, at least 5.
@settings(max_examples=max(5, settings.default.max_examples // 4), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(history=histories(portable=True, max_ops=6))
# Rejected: what tests/strategies.py draws that no database accepts or reflection cannot read.
def test_history_applies_and_undoes(connection: sa.Connection, history: tuple[SchemaState, list[MigrateOperation]]) -> None:
    start, ops = history
    states = [start]
    for op in ops:
        states.append(states[-1].apply(op))
    if any(_mismatched_foreign_key(s) or _default_does_not_fit(s) or _twin_foreign_keys(s) for s in states):
        reject()
    conn = connection
    if conn.dialect.name in ("mysql", "mariadb") and any(_index_named_primary(s) for s in states):
        reject()
    try:
        state = _built(conn, start)
        assert state == start
        done: list[MigrateOperation] = []
        for op in ops:
            op = op.complete(state)
            note(f"op {op.describe()}")
            state = _step(conn, state, op)
            done.append(op)
            _live_is(conn, state, op.describe())
        for op in reversed(done):
            if not op.reversible:
                break
            undo = op.reverse().complete(state)
            note(f"undo {undo.describe()}")
            state = _step(conn, state, undo)
        else:
            assert state == start
            _live_is(conn, state, "undoing every op")
    finally:
        conn.rollback()


def test_every_op_type_has_ddl_on_every_dialect() -> None:
    from ledger.dialects import generator

    for dialect in ("sqlite", "postgresql", "mysql"):
        methods = type(generator(dialect))._methods
        missing = [tag for tag, cls in OP_TYPES.items() if not any(k in methods for k in cls.__mro__)]
        assert missing == [], f"{dialect}: no DDL for {missing}"


def _ddl_or_error(op: MigrateOperation, state: SchemaState, dialect: str, gen: object | None) -> list[str]:
    try:
        return ddl(op, state, dialect, **({"gen": gen} if gen is not None else {}))
    except Exception as exc:  # the same failure either way is part of "the same DDL"
        return [f"{type(exc).__name__}: {' '.join(str(exc).split(' at 0x')[:1])}"]


@settings(max_examples=max(10, settings.default.max_examples // 2), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(history=histories(max_ops=8))
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql", "mariadb"])
def test_one_generator_per_run_writes_what_one_per_op_writes(dialect: str,
                                                             history: tuple[SchemaState, list[MigrateOperation]]) -> None:
    """A run keeps one generator, which builds and compiles each part of a table once: its DDL for
    every op of a history, and for undoing them, is the DDL a fresh generator writes for each op."""
    from ledger.dialects import generator

    state, steps = history
    gen = generator(dialect)
    done: list[tuple[MigrateOperation, SchemaState]] = []
    for op in steps:
        op = op.complete(state)
        assert _ddl_or_error(op, state, dialect, gen) == _ddl_or_error(op, state, dialect, None)
        done.append((op, state))
        state = state.apply(op)
    for op, _before in reversed(done):
        undo = op.reverse().complete(state)
        assert _ddl_or_error(undo, state, dialect, gen) == _ddl_or_error(undo, state, dialect, None)
        state = state.apply(undo)


@pytest.mark.parametrize("dropped", ["pk_node", "uq_node_id"])
def test_a_key_a_foreign_key_rests_on_goes_while_another_key_holds_its_columns(connection: sa.Connection,
                                                                               dropped: str) -> None:
    """A primary or unique key goes while another key on the same columns stays: the foreign key that
    refers to them rests on the one that stays (PostgreSQL ties a foreign key to one index and
    refuses the drop unless the key is made again), and undoing the drop brings the key back."""
    from ops import DropConstraintOp
    from ops.specs import ColumnSpec, ForeignKeySpec, PrimaryKeySpec, TableSpec, TypeSpec, UniqueSpec

    integer = TypeSpec.of("Integer")
    start = SchemaState().apply(CreateTableOp(TableSpec(
        "node", (ColumnSpec("id", integer, nullable=False), ColumnSpec("parent", integer)),
        primary_key=PrimaryKeySpec("pk_node", ("id",)), uniques=(UniqueSpec("uq_node_id", ("id",)),),
        foreign_keys=(ForeignKeySpec("fk_node_parent", ("parent",), "node", ("id",)),))))
    conn = connection
    try:
        state = _built(conn, start)
        drop = DropConstraintOp(dropped, "node", type_="primary" if dropped.startswith("pk") else "unique").complete(state)
        state = _step(conn, state, drop)
        _live_is(conn, state, drop.describe())
        assert state.table("node").foreign_keys == start.table("node").foreign_keys
        state = _step(conn, state, drop.reverse().complete(state))
        _live_is(conn, state, "undoing the drop")
        assert state == start
    finally:
        conn.rollback()


def test_names_with_a_dollar_sign_are_read_back_as_written(connection: sa.Connection) -> None:
    """Found by the history property on SQLite: a unique constraint named ``_$`` (SQLAlchemy writes
    such a name bare) read back as ``_`` after the next op. Every kind of name holding ``$``: the
    table, a column, the primary key, a foreign key, a unique constraint, a check and an index."""
    from ops import AddColumnOp
    from ops.keyspecs import IndexElement
    from ops.specs import CheckSpec, ColumnSpec, ForeignKeySpec, IndexSpec, PrimaryKeySpec, TableSpec, TypeSpec, UniqueSpec

    big = TypeSpec.of("BigInteger")
    start = SchemaState().apply(CreateTableOp(TableSpec(
        "a_0", (ColumnSpec("a_0_1", big, nullable=False),), primary_key=PrimaryKeySpec("pk$a", ("a_0_1",)))))
    start = start.apply(CreateTableOp(TableSpec(
        "a_0_4$", (ColumnSpec("a_0_5", big, nullable=False), ColumnSpec("ref$", big)),
        uniques=(UniqueSpec("_$", ("a_0_5",)),), checks=(CheckSpec("ck$", "a_0_5 > 0"),),
        indexes=(IndexSpec("ix$", (IndexElement("ref$"),)),),
        foreign_keys=(ForeignKeySpec("fk$1", ("ref$",), "a_0", ("a_0_1",)),))))
    conn = connection
    try:
        state = _built(conn, start)
        _live_is(conn, state, "making the tables")
        add = AddColumnOp("a_0", ColumnSpec("a_0_6", big)).complete(state)
        state = _step(conn, state, add)
        _live_is(conn, state, add.describe())
    finally:
        conn.rollback()
