"""SchemaState as a value: immutability, the rules it enforces, and SQLAlchemy MetaData in and out."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import mysql, postgresql

import ops
from ops import (
    AlterColumnOp,
    CheckSpec,
    ColumnSpec,
    CreateCheckConstraintOp,
    CreateIndexOp,
    DropColumnOp,
    ForeignKeySpec,
    IndexElement,
    IndexSpec,
    InvalidOperationError,
    PrimaryKeySpec,
    SchemaState,
    TableSpec,
    TypeSpec,
    UniqueSpec,
)
from ops.names import ONE_PER_SCHEMA
from ops.specs import sql_references
from tests import strategies as S

INT = TypeSpec("Integer")


def _plain_strings(value: Any) -> None:
    """Every string inside a spec is a plain str (not SQLAlchemy's quoted_name)."""
    if isinstance(value, str):
        assert type(value) is str, repr(value)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _plain_strings(item)
    elif isinstance(value, ops.state.FrozenMap):
        for key, item in value.items():
            _plain_strings(key)
            _plain_strings(item)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            _plain_strings(getattr(value, field.name))


@given(S.histories(max_ops=5))
def test_apply_never_mutates(history: tuple[SchemaState, list[ops.MigrateOperation]]) -> None:
    start, steps = history
    copy = SchemaState(dict(start.tables))
    state = start
    for op in steps:
        before = SchemaState(dict(state.tables))
        state = state.apply(op)
        assert state is not before
    assert start == copy and hash(start) == hash(copy)


@given(S.schema_states())
def test_states_from_metadata_hold_plain_values(state: SchemaState) -> None:
    again = SchemaState.from_metadata(state.to_metadata())
    _plain_strings(again)
    assert again == state


def test_from_metadata_reads_a_declarative_model() -> None:
    metadata = sa.MetaData(naming_convention={"fk": "fk_%(table_name)s_%(column_0_name)s"})
    sa.Table("customer", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("email", sa.String(80), unique=True, index=True),
             sa.Column("ok", sa.Boolean(create_constraint=True)),
             sa.Column("kind", sa.Enum("a", "b", name="kind", create_constraint=True)))
    sa.Table("order", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("customer_id", sa.ForeignKey("customer.id")),
             sa.Column("parent_id", sa.ForeignKey("order.id")))
    state = SchemaState.from_metadata(metadata)
    customer = state.table("customer")
    assert customer.checks == ()  # the types' own CHECK constraints are part of the types
    assert customer.uniques == ()  # unique=True with index=True: one unique index, as create_all() makes it
    assert [(i.name, i.unique) for i in customer.indexes] == [("ix_customer_email", True)]
    order = state.table("order")
    assert {f.name for f in order.foreign_keys} == {"fk_order_customer_id", "fk_order_parent_id"}
    assert order.column("customer_id").type == INT  # type: ignore[union-attr]
    assert SchemaState.from_metadata(state.to_metadata()) == state


def test_metadata_round_trip_keeps_dialect_types_and_index_options() -> None:
    metadata = sa.MetaData()
    table = sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("tags", postgresql.ARRAY(sa.Text)), sa.Column("flags", mysql.SET("a", "b")),
                     sa.Column("small", mysql.TINYINT(unsigned=True)), sa.Column("body", mysql.MEDIUMTEXT()),
                     sa.Column("at", postgresql.TIMESTAMP(timezone=True)), sa.Column("ip", postgresql.INET),
                     sa.Column("bits", postgresql.BIT(8)), sa.Column("j", postgresql.JSONB),
                     sa.Column("u", postgresql.UUID(as_uuid=False)), schema="app", comment="all of it")
    sa.Index("ix_t_body", table.c.body, mysql_length=20)
    sa.Index("ix_t_lower", sa.func.lower(table.c.body), postgresql_where=table.c.id > 5)
    state = SchemaState.from_metadata(metadata)
    spec = state.table("t", "app")
    assert spec.index("ix_t_lower") == IndexSpec(
        "ix_t_lower", (IndexElement("lower(body)", expression=True),), dialect_options=(("postgresql_where", "id > 5"),))
    assert SchemaState.from_metadata(state.to_metadata()) == state


def test_foreign_keys_across_schemas() -> None:
    """A referent schema of None means the schema of the table that holds the key."""
    parent = TableSpec("parent", (ColumnSpec("id", INT, nullable=False),), schema="a",
                       primary_key=PrimaryKeySpec("pk_parent", ("id",)))
    same = TableSpec("child", (ColumnSpec("pid", INT),), schema="a",
                     foreign_keys=(ForeignKeySpec("fk_child", ("pid",), "parent", ("id",)),))
    other = TableSpec("child", (ColumnSpec("pid", INT),),
                      foreign_keys=(ForeignKeySpec("fk_child", ("pid",), "parent", ("id",), referent_schema="a"),))
    state = SchemaState().with_table(parent).with_table(same).with_table(other)
    assert SchemaState.from_metadata(state.to_metadata()) == state
    metadata = state.to_metadata()
    assert {fk.target_fullname for fk in metadata.tables["a.child"].foreign_keys} == {"a.parent.id"}
    assert {t.key for t, _ in state.referencing("parent", "a")} == {("a", "child"), (None, "child")}
    with pytest.raises(InvalidOperationError, match="missing table parent"):
        SchemaState().with_table(parent).with_table(attrs.evolve(other, foreign_keys=(
            ForeignKeySpec("fk_child", ("pid",), "parent", ("id",)),)))


def test_names_are_unique_per_schema() -> None:
    a = TableSpec("a", (ColumnSpec("x", INT),), checks=(CheckSpec("ck_x", "x > 0"),))
    state = SchemaState().with_table(a)
    with pytest.raises(InvalidOperationError, match="ck_x on b is already used"):
        state.with_table(TableSpec("b", (ColumnSpec("x", INT),), indexes=(IndexSpec("ck_x", (IndexElement("x"),)),)))
    with pytest.raises(InvalidOperationError, match="already used"):
        state.apply(CreateCheckConstraintOp("a", CheckSpec("ck_x", "x < 9")))
    # In another schema the same name is free.
    other = state.with_table(TableSpec("b", (ColumnSpec("x", INT),), schema="s", checks=(CheckSpec("ck_x", "x > 0"),)))
    assert other.table("b", "s").checks[0].name == "ck_x"
    with pytest.raises(InvalidOperationError, match="already used"):
        SchemaState().with_table(TableSpec("t", (ColumnSpec("x", INT),), checks=(
            CheckSpec("c", "x > 0"), CheckSpec("c", "x < 9"))))


# What each database accepted, tried on PostgreSQL 15, MariaDB 10.11 and SQLite 3: two tables
# each with an item of that kind and name, or one table with two items of one name.
_TWO_TABLES = {  # kind -> databases that accept it in two tables of one schema
    "unique": {"mysql", "sqlite"}, "check": {"mysql", "postgresql", "sqlite"},
    "foreignkey": {"postgresql", "sqlite"}, "index": {"mysql"}, "primary": {"mysql", "sqlite"},
}
_ONE_TABLE = {  # (kind, kind) -> databases that accept both in one table
    ("check", "unique"): set(), ("check", "check"): set(), ("check", "index"): {"mysql", "postgresql", "sqlite"},
    ("unique", "index"): {"sqlite"}, ("foreignkey", "check"): set(),
}


def _item(kind: str, name: str, table: str) -> Any:
    return {
        "unique": UniqueSpec(name, ("x",)), "check": CheckSpec(name, "x > 0"),
        "foreignkey": ForeignKeySpec(name, ("x",), "p", ("id",)), "index": IndexSpec(name, (IndexElement("x"),)),
        "primary": PrimaryKeySpec(name, ("id",)),
    }[kind]


def _with_items(state: SchemaState, table: str, *items: Any) -> SchemaState:
    spec = TableSpec(table, (ColumnSpec("id", INT, nullable=False), ColumnSpec("x", INT)))
    state = state.with_table(spec)
    for item in items:
        state = _add(state, table, item)
    return state


def _add(state: SchemaState, table: str, item: Any) -> SchemaState:
    if isinstance(item, IndexSpec):
        return state.with_index(table, item)
    return state.with_constraint(table, item)


def _parent(names_per: Any) -> SchemaState:
    return SchemaState(names_per=names_per).with_table(TableSpec(
        "p", (ColumnSpec("id", INT, nullable=False),), primary_key=PrimaryKeySpec("p_pkey", ("id",))))


def _accepts(build: Any) -> bool:
    try:
        build()
    except InvalidOperationError:
        return False
    return True


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_the_fold_keeps_names_apart_as_the_database_does(dialect: str) -> None:
    from ledger import dialects

    rule = dialects.empty_state(dialect).names_per
    for kind, accepting in _TWO_TABLES.items():
        def two_tables(kind: str = kind) -> SchemaState:
            state = _parent(rule)
            for table in ("a", "b"):
                state = _add(_with_items(state, table), table, _item(kind, "same", table))
            return state

        assert _accepts(two_tables) == (dialect in accepting), (kind, dialect)
        if dialect in accepting:
            # What the fold accepted, its reverses take back and restore under the same names.
            state = two_tables()
            for table in ("a", "b"):
                drop = ops.DropIndexOp("same", table) if kind == "index" else ops.DropConstraintOp("same", table, type_=kind)
                completed = state.complete(drop)
                after = state.apply(completed)
                assert after.apply(completed.reverse()) == state
                assert after.names == SchemaState(after.tables, names_per=rule).names
            drop_table = state.complete(ops.DropTableOp("b"))
            assert state.apply(drop_table).apply(drop_table.reverse()) == state
            renamed = state.apply(ops.RenameTableOp("b", "c"))
            assert renamed.names == SchemaState(renamed.tables, names_per=rule).names
    for (first, second), accepting in _ONE_TABLE.items():
        def one_table(first: str = first, second: str = second) -> SchemaState:
            state = _with_items(_parent(rule), "a")
            return _add(_add(state, "a", _item(first, "same", "a")), "a", _item(second, "same", "a"))

        assert _accepts(one_table) == (dialect in accepting), (first, second, dialect)
    # Without a database every name differs from every other in its schema (the strictest rule).
    state = _add(_with_items(_parent(ONE_PER_SCHEMA), "a"), "a", _item("check", "same", "a"))
    assert not _accepts(lambda: _add(_with_items(state, "b"), "b", _item("check", "same", "b")))


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
@given(history=S.histories(max_ops=6))
def test_a_history_folds_and_reverses_under_every_database_rule(
    dialect: str, history: tuple[SchemaState, list[ops.MigrateOperation]],
) -> None:
    """Names unique per schema (what the strategies draw) suit every database: under each
    database's rule the same history folds, its reverses undo it, and the name index kept
    change by change is the one derived from the tables."""
    from ledger import dialects

    rule = dialects.empty_state(dialect).names_per
    start, steps = history
    state = start.with_names_per(rule)
    done = []
    for op in steps:
        completed = state.complete(op)
        after = state.apply(completed)
        assert after.names_per == rule
        assert after.names == SchemaState(after.tables, names_per=rule).names
        done.append((state, completed))
        state = after
    for before, completed in reversed(done):
        if completed.reversible:
            state = state.apply(completed.reverse())
            assert state == before
        else:
            break


def test_primary_key_columns_must_be_not_null() -> None:
    table = TableSpec("t", (ColumnSpec("a", INT, nullable=False), ColumnSpec("b", INT)),
                      primary_key=PrimaryKeySpec("pk_t", ("a",)))
    state = SchemaState().with_table(table)
    with pytest.raises(InvalidOperationError, match="must be NOT NULL"):
        state.apply(ops.DropConstraintOp("pk_t", "t")).apply(
            ops.CreatePrimaryKeyOp("t", PrimaryKeySpec("pk_t", ("a", "b"))))
    with pytest.raises(InvalidOperationError, match="cannot be nullable"):
        state.apply(AlterColumnOp("t", "a", modify_nullable=True))


def test_columns_named_in_sql_text_guard_drops_and_renames() -> None:
    table = TableSpec(
        "t",
        (ColumnSpec("a", INT), ColumnSpec("B c", INT), ColumnSpec("d", INT), ColumnSpec("e", INT),
         ColumnSpec("g", INT, computed=ops.ComputedSpec("e + 1"))),
        checks=(CheckSpec("ck_a", "A > 0 AND 'a' <> 'd'"), CheckSpec("ck_b", '"B c" IS NOT NULL')),
    )
    state = SchemaState().with_table(table)
    state = state.apply(CreateIndexOp("t", IndexSpec("ix_lower", (IndexElement("lower(d)", expression=True),))))
    for column, user in (("a", "ck_a"), ("B c", "ck_b"), ("d", "ix_lower"), ("e", "computed column g")):
        with pytest.raises(InvalidOperationError, match=user):
            state.apply(AlterColumnOp("t", column, modify_name="z"))
    # A drop takes what names the column in SQL text with it, as PostgreSQL does; its reverse puts it back.
    for column, user in (("a", "ck_a"), ("B c", "ck_b"), ("d", "ix_lower")):
        drop = state.complete(DropColumnOp("t", column))
        after = drop.apply(state)
        assert after.table("t").constraint(user) is None and after.table("t").index(user) is None
        assert drop.reverse().apply(after) == state
    with pytest.raises(InvalidOperationError, match="computed column g"):
        state.apply(DropColumnOp("t", "e"))
    partial = IndexSpec("ix_p", (IndexElement("g"),), dialect_options=(("sqlite_where", "f IS NULL"),))
    state = state.apply(ops.AddColumnOp("t", ColumnSpec("f", INT))).apply(CreateIndexOp("t", partial))
    drop = state.complete(DropColumnOp("t", "f"))
    assert [getattr(d, "index_name", None) for d in drop._dependents] == ["ix_p"]
    assert drop.reverse().apply(drop.apply(state)) == state
    # A string literal or a function of the same name is not the column.
    assert not sql_references("lower(x) = 'd'", "d") and not sql_references("d(x)", "d")
    assert sql_references("D + 1", "d") and sql_references("`d` + 1", "d") and sql_references("[d] > 0", "d")
    assert not sql_references('"D" + 1', "d") and not sql_references("1e5 > 0", "e5")


def test_fold_and_complete() -> None:
    recorded = ops.record(lambda op: (
        op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer)),
        op.drop_column("t", "x"),
    ))
    state = SchemaState.fold(recorded)
    assert state.table("t").column_names == ("id",)
    assert SchemaState.fold(recorded[1:], SchemaState.fold(recorded[:1])) == state
    assert SchemaState().complete(ops.ExecuteSQLOp("x")) == ops.ExecuteSQLOp("x")


def test_states_are_hashable_values() -> None:
    a = SchemaState().with_table(TableSpec("t", (ColumnSpec("x", INT),)))
    b = SchemaState().with_table(TableSpec("t", (ColumnSpec("x", INT),)))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != SchemaState()


def test_unsupported_constraints_are_refused_clearly() -> None:
    table = sa.Table("t", sa.MetaData(), sa.Column("r", postgresql.TSRANGE),
                     postgresql.ExcludeConstraint(("r", "&&"), name="no_overlap"))
    with pytest.raises(InvalidOperationError, match="ExcludeConstraint constraints are not supported"):
        TableSpec.from_table(table)
    with pytest.raises(InvalidOperationError, match="exclude_constraint"):
        ops.AddConstraintOp.from_constraint(list(table.constraints - {table.primary_key})[0])


# -- incremental checks ---------------------------------------------------------------------------
# A change is checked where it changes the table (what it adds); the whole table is not checked
# again. These compare that with re-validating the whole table on every change.


@contextlib.contextmanager
def _whole_table_checks() -> Iterator[None]:
    SchemaState.whole_table_checks = True
    try:
        yield
    finally:
        SchemaState.whole_table_checks = False


def _outcome(state: SchemaState, op: ops.MigrateOperation) -> SchemaState | str:
    try:
        return state.apply(op)
    except InvalidOperationError as exc:
        return f"refused: {exc}"


_KEYED = ["create_foreign_key", "create_index", "create_primary_key", "create_unique_constraint"]


@st.composite
def _bent_ops(draw: st.DrawFn, state: SchemaState, tag: str) -> ops.MigrateOperation:
    """A ``tag`` op (a constraint or an index) drawn for ``state`` with one column list bent: a
    column missing, a column named twice, or no column at all."""
    op = draw(S.ops_for(state, tags=[tag]))
    spec = op.index if isinstance(op, CreateIndexOp) else op.constraint  # type: ignore[attr-defined]
    fields = [f for f in ("columns", "referent_columns", "elements") if f in attrs.fields_dict(type(spec))]
    field = draw(st.sampled_from(fields))
    values = getattr(spec, field)
    how = draw(st.sampled_from(["missing", "twice", "none"]))
    if how == "none":
        values = ()
    elif how == "twice":
        values = values + values[:1]
    else:
        missing = draw(S.identifiers())
        values = values[:-1] + ((IndexElement(missing),) if field == "elements" else (missing,))
    spec = attrs.evolve(spec, **{field: values})
    return attrs.evolve(op, index=spec) if isinstance(op, CreateIndexOp) else attrs.evolve(op, constraint=spec)


def _assert_valid(state: SchemaState) -> None:
    """Every table passes the whole-table check and the name index is the one built from scratch."""
    for table in state.tables.values():
        state._check_table(table)
    assert dict(state.names.items()) == dict(SchemaState(dict(state.tables)).names.items())  # type: ignore[union-attr]


def _assert_checked_alike(target: SchemaState, op: ops.MigrateOperation) -> None:
    incremental = _outcome(target, op)
    with _whole_table_checks():
        whole = _outcome(target, op)
    note(f"incremental: {incremental!r}")
    assert incremental == whole
    if isinstance(incremental, SchemaState):
        _assert_valid(incremental)


checks = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@checks
@given(st.data())
def test_incremental_checks_accept_and_refuse_what_whole_table_checks_do(data: st.DataObject) -> None:
    """An op applied to the state it was drawn for, to that state after other changes, or to another
    state: both ways give the same state or refuse with the same message."""
    source = data.draw(S.schema_states(max_tables=3), label="source")
    kind = data.draw(st.sampled_from(["same", "changed", "other"]), label="kind")
    target = source
    if kind == "changed":
        start, steps = data.draw(S.histories(start=source, max_ops=4), label="history")
        target = SchemaState.fold(steps, start)
    elif kind == "other":
        target = data.draw(S.schema_states(max_tables=3), label="target")
    _assert_checked_alike(target, data.draw(S.ops_for(source), label="op"))


@pytest.mark.parametrize("tag", _KEYED)
@checks
@given(data=st.data())
def test_incremental_checks_refuse_bent_keys_and_indexes_as_whole_table_checks_do(
    tag: str, data: st.DataObject
) -> None:
    state = data.draw(S.schema_states(min_tables=1, max_tables=3), label="state")
    _assert_checked_alike(state, data.draw(_bent_ops(state, tag), label="op"))


@given(S.histories(max_ops=8))
def test_a_state_built_change_by_change_equals_one_built_from_scratch(
    history: tuple[SchemaState, list[ops.MigrateOperation]],
) -> None:
    start, steps = history
    state = SchemaState.fold(steps, start)
    # Tables made again through the constructor, which sorts constraints and indexes itself.
    scratch = SchemaState({
        key: TableSpec(
            t.name, t.columns, t.schema, t.primary_key, tuple(reversed(t.foreign_keys)),
            tuple(reversed(t.uniques)), tuple(reversed(t.checks)), tuple(reversed(t.indexes)), t.comment, t.dialect_options,
        )
        for key, t in state.tables.items()
    })
    assert state == scratch and hash(state) == hash(scratch)
    for key, table in state.tables.items():
        again = scratch.tables[key]
        assert (table.foreign_keys, table.uniques, table.checks, table.indexes) == (
            again.foreign_keys, again.uniques, again.checks, again.indexes)
    _assert_valid(state)


@given(S.table_specs())
def test_table_spec_from_ordered_parts_is_the_constructed_table(table: TableSpec) -> None:
    parts = [getattr(table, f.name) for f in attrs.fields(TableSpec)]
    built = ops.specs.table_spec(*parts)
    assert built == table and hash(built) == hash(table) and repr(built) == repr(table)
    assert TableSpec(*parts) == table
