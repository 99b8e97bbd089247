"""Live equals fold: reflect a database, normalize per dialect, compare (docs/design.md, contract point 8: live equals fold).

Rich schemas are created from a SchemaState on each database, reflected and compared; then
the live database is changed by hand and the comparison must name each change. Canonical SQL
is checked against evaluation: two conditions that read the same must mean the same.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, note, reject, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import mysql, postgresql as pg

from ledger.storage.db import dialect_of
from ledger.schema.reflect import DDL_TYPE, PARTS, UnsupportedDialectError, compare, normalize, reflect, type_ddl
from ledger.schema.sqltext import canonical_default, canonical_sql
from ops import LedgerError, SchemaState, TypeSpec
from ops.specs import DefaultSpec
from tests.examples import examples

DIALECTS = ("sqlite", "postgresql", "mysql")


# =============================================================================================
# Canonical SQL
# =============================================================================================

SAME = [
    # PostgreSQL's rewrites of what was declared
    ("price >= 0", "(price >= (0)::numeric)"),
    ("qty BETWEEN -100 AND 100", "qty >= '-100'::integer AND qty <= 100"),
    ("kind IN ('a', 'b')",
     "((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"),
    ("kind NOT IN ('a', 'b')", "(kind)::text <> ALL (ARRAY['a'::text, 'b'::text])"),
    ('"Name" LIKE \'a%\'', "\"Name\" ~~ 'a%'::text"),
    ("NOT (n > 9)", "NOT n > 9"),
    ("(n + 1) * 2 > 0", "((n + 1) * 2) > 0"),
    ('("Name" IS NOT NULL AND n BETWEEN 1 AND 5) OR "Id" < 0',
     '((("Name" IS NOT NULL) AND ((n >= 1) AND (n <= 5))) OR ("Id" < 0))'),
    ("lower(name)", "lower((name)::text)"),
    ("v->>'k'", "(v ->> 'k'::text)"),
    ("n != 3", "n <> 3"),
    # a list of one: PostgreSQL keeps a comparison (dstack's partial indexes)
    ("(status NOT IN ('TERMINATED'))", "((status)::text <> 'TERMINATED'::text)"),
    ("status IN ('a')", "((status)::text = ANY (ARRAY['a'::text]))"),
    ("status IN ('a')", "((status)::text = 'a'::text)"),
    # a parenthesized list is a row: PostgreSQL writes its ROW (tacker's generated vnf_provider)
    ("(coalesce(decode(p->>'$.v','escape')),0)", "ROW(COALESCE(decode((p ->> '$.v'::text), 'escape'::text)), 0)"),
    ("(a, b) = (1, 2)", "ROW(a, b) = ROW(1, 2)"),
    # CAST(x AS t) is stored as (x)::t (waiverdb's index on a json column's text)
    ("CAST(subject AS TEXT)", "((subject)::text)"),
    ("lower(CAST(n AS VARCHAR(10))) = 'a'", "lower(((n)::character varying(10))::text) = 'a'::text"),
    # MariaDB's
    ("price >= 0 AND (qty > 0 OR qty < -10)", "`price` >= 0 and (`qty` > 0 or `qty` < -10)"),
    ("kind IN ('a','b')", "`kind` in ('a','b')"),
    ('"Flag" IS NOT NULL', "`Flag` is not null"),
]

DIFFERENT = [
    ("(a OR b) AND c", "a OR (b AND c)"),
    ("NOT (a AND b)", "NOT a AND b"),
    ("a - (b - c)", "a - b - c"),
    ("(a + b) * 2", "a + b * 2"),
    ("price >= 0", "price > 0"),
    ("x IN (1, 2)", "x IN (1, 3)"),
    ("x IN (1)", "x <> 1"),
    ("x NOT IN (1)", "x = 1"),
    ("x IN (1)", "x IN (1, 1)"),
    ("x BETWEEN 1 AND 5", "x NOT BETWEEN 1 AND 5"),
    ("name LIKE 'a%'", "name LIKE 'A%'"),
    ("lower(name)", "upper(name)"),
    ("row(a)", "(a)"),
    ("CAST(a AS TEXT) = b", "a = CAST(b AS TEXT) OR c"),
]


@pytest.mark.parametrize(("declared", "stored"), SAME)
def test_rewritten_sql_reads_the_same(declared: str, stored: str) -> None:
    assert canonical_sql(declared) == canonical_sql(stored)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_conditions_stay_different(one: str, other: str) -> None:
    assert canonical_sql(one) != canonical_sql(other)


@pytest.mark.parametrize(
    ("declared", "stored", "booleans_as_numbers"),
    [
        ("now()", "CURRENT_TIMESTAMP", False),
        ("now()", "current_timestamp()", True),
        ("'x'", "'x'::character varying", False),
        ("'5'", "5", False),
        ("0", "0.00", True),
        ("'-5.5'", "'-5.5'::numeric", False),
        ("-5", "(-5)", True),
        ("true", "1", True),
        ("'it''s'", "'it''s'::text", False),
    ],
)
def test_defaults_read_the_same(declared: str, stored: str, booleans_as_numbers: bool) -> None:
    assert canonical_default(declared, booleans_as_numbers=booleans_as_numbers) == \
        canonical_default(stored, booleans_as_numbers=booleans_as_numbers)


def test_null_default_is_no_default() -> None:
    assert canonical_default("NULL") is None
    assert canonical_default("'x'") != canonical_default("'y'")


# A boolean condition over a, b, c (each 0 or 1), as a tree, to render two ways and evaluate.
_ATOMS = st.sampled_from(["a = 1", "b = 1", "c = 1", "a > b", "b <> c", "a + b > c", "c * 2 >= a + 1"])
_CONDITIONS = st.recursive(
    _ATOMS.map(lambda a: ("atom", a)),
    lambda inner: st.one_of(
        st.tuples(st.just("not"), inner),
        st.tuples(st.sampled_from(["and", "or"]), inner, inner),
    ),
    max_leaves=6,
)
_PREC = {"or": 1, "and": 2, "not": 3, "atom": 9}


def _full(tree: tuple[Any, ...]) -> str:
    """Every subexpression in parentheses, as PostgreSQL stores conditions."""
    if tree[0] == "atom":
        return f"({tree[1]})"
    if tree[0] == "not":
        return f"(NOT {_full(tree[1])})"
    return f"({_full(tree[1])} {tree[0].upper()} {_full(tree[2])})"


def _minimal(tree: tuple[Any, ...], outer: int = 0) -> str:
    """Parentheses only where precedence needs them, as a user writes conditions."""
    kind = tree[0]
    if kind == "atom":
        return str(tree[1])
    if kind == "not":
        text = f"NOT {_minimal(tree[1], _PREC['not'])}"
    else:
        right_outer = _PREC[kind] + 1  # keep (x AND y) on the right of AND as written
        text = f"{_minimal(tree[1], _PREC[kind])} {kind.upper()} {_minimal(tree[2], right_outer)}"
    return f"({text})" if _PREC[kind] < outer or (kind == "not" and outer > _PREC["not"]) else text


def _truth(tree: tuple[Any, ...]) -> tuple[bool, ...]:
    def value(t: tuple[Any, ...], env: dict[str, int]) -> bool:
        if t[0] == "atom":
            expr = t[1].replace("<>", "!=").replace(" = ", " == ")
            return bool(eval(expr, {}, env))  # noqa: S307 - atoms are the fixed strings above
        if t[0] == "not":
            return not value(t[1], env)
        left, right = value(t[1], env), value(t[2], env)
        return (left and right) if t[0] == "and" else (left or right)

    return tuple(value(tree, dict(zip("abc", bits))) for bits in itertools.product((0, 1), repeat=3))


@given(_CONDITIONS)
def test_parentheses_that_precedence_implies_do_not_count(tree: tuple[Any, ...]) -> None:
    note(_full(tree))
    assert canonical_sql(_full(tree)) == canonical_sql(_minimal(tree))


@given(_CONDITIONS, _CONDITIONS)
def test_conditions_that_read_the_same_mean_the_same(one: tuple[Any, ...], other: tuple[Any, ...]) -> None:
    if canonical_sql(_full(one)) == canonical_sql(_minimal(other)):
        assert _truth(one) == _truth(other)


@given(_CONDITIONS)
def test_canonical_sql_is_idempotent(tree: tuple[Any, ...]) -> None:
    once = canonical_sql(_full(tree))
    assert canonical_sql(once) == once


# =============================================================================================
# Types per dialect
# =============================================================================================

EQUAL_TYPES = [
    # (dialect, declared, what the server reports)
    ("postgresql", sa.String(50), sa.VARCHAR(50)),
    ("postgresql", sa.Float(), pg.DOUBLE_PRECISION(precision=53)),
    ("postgresql", sa.Float(24), sa.REAL()),
    ("postgresql", sa.Numeric(10), sa.NUMERIC(10, 0)),
    ("postgresql", sa.DECIMAL(8, 3), sa.NUMERIC(8, 3)),
    ("postgresql", sa.DateTime(timezone=True), pg.TIMESTAMP(timezone=True)),
    ("postgresql", sa.Enum("a", "b", name="e1"), pg.ENUM("a", "b", name="e1")),
    ("postgresql", sa.Uuid(as_uuid=False), pg.UUID()),
    ("postgresql", sa.JSON(none_as_null=True), pg.JSON()),
    ("postgresql", sa.NCHAR(5), sa.CHAR(5)),
    ("postgresql", pg.ARRAY(sa.String(10), dimensions=2), pg.ARRAY(sa.VARCHAR(10))),
    ("postgresql", sa.Numeric(10, 2, asdecimal=False), sa.NUMERIC(10, 2)),
    ("mysql", sa.Integer(), mysql.INTEGER(display_width=11)),
    ("mysql", sa.Boolean(), mysql.TINYINT(display_width=1)),
    ("mysql", sa.Enum("a", "b", name="e1"), mysql.ENUM("a", "b")),
    ("mysql", sa.JSON(), mysql.LONGTEXT()),
    ("mysql", sa.Uuid(), sa.CHAR(32)),
    ("mysql", sa.Uuid(), mysql.CHAR(32)),
    ("mysql", sa.Numeric(), mysql.DECIMAL(10, 0)),
    ("mysql", sa.Float(53), mysql.DOUBLE(asdecimal=True)),
    ("mysql", sa.Text(60), mysql.TINYTEXT()),
    ("mysql", sa.Text(1000), mysql.TEXT()),
    ("mysql", sa.LargeBinary(100), mysql.TINYBLOB()),
    ("mysql", sa.DateTime(timezone=True), mysql.DATETIME()),
    ("mysql", sa.Unicode(20), mysql.VARCHAR(20, charset="utf8mb3", collation="utf8mb3_general_ci")),
    ("mysql", mysql.INTEGER(unsigned=True), mysql.INTEGER(display_width=10, unsigned=True)),
    ("sqlite", sa.Boolean(), sa.BOOLEAN()),
    ("sqlite", sa.Enum("a", "bb", name="e"), sa.VARCHAR(2)),
    ("sqlite", sa.Uuid(), sa.CHAR(32)),
    ("sqlite", sa.DOUBLE_PRECISION(), sa.REAL()),
    ("sqlite", sa.DateTime(timezone=True), sa.DATETIME()),
]

DIFFERENT_TYPES = [
    ("postgresql", sa.String(50), sa.String(60)),
    ("postgresql", sa.Numeric(10, 2), sa.Numeric(10, 3)),
    ("postgresql", sa.DateTime(timezone=True), sa.DateTime()),
    ("postgresql", sa.Enum("a", "b", name="e1"), pg.ENUM("a", "b", "c", name="e1")),
    ("postgresql", sa.Enum("a", "b", name="e1"), pg.ENUM("a", "b", name="e2")),
    ("postgresql", sa.Text(), sa.String()),
    ("postgresql", sa.Integer(), sa.BigInteger()),
    ("mysql", sa.Enum("a", "b", name="e1"), mysql.ENUM("a", "c")),
    ("mysql", sa.Boolean(), mysql.TINYINT()),
    ("mysql", sa.Text(), mysql.LONGTEXT()),
    ("mysql", mysql.INTEGER(unsigned=True), sa.Integer()),
    ("mysql", sa.Numeric(10, 2), mysql.DECIMAL(12, 2)),
    ("sqlite", sa.String(50), sa.String(20)),
    ("sqlite", sa.Integer(), sa.Text()),
]


@pytest.mark.parametrize(("dialect", "declared", "reported"), EQUAL_TYPES, ids=repr)
def test_types_the_server_rewrites_compare_equal(dialect: str, declared: Any, reported: Any) -> None:
    assert type_ddl(TypeSpec.from_sa(declared), dialect) == type_ddl(TypeSpec.from_sa(reported), dialect)


@pytest.mark.parametrize(("dialect", "declared", "reported"), DIFFERENT_TYPES, ids=repr)
def test_types_that_differ_compare_unequal(dialect: str, declared: Any, reported: Any) -> None:
    assert type_ddl(TypeSpec.from_sa(declared), dialect) != type_ddl(TypeSpec.from_sa(reported), dialect)


def test_unknown_dialect_is_refused() -> None:
    with pytest.raises(UnsupportedDialectError):
        normalize(SchemaState(), "oracle")


# =============================================================================================
# Normalize and compare without a database
# =============================================================================================


def _one_table(**columns: sa.Column[Any]) -> SchemaState:
    md = sa.MetaData()
    sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True), *columns.values())
    return SchemaState.from_metadata(md)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_normalize_is_idempotent_and_gives_ddl_types(dialect: str) -> None:
    state = _rich_state(dialect)
    once = normalize(state, dialect)
    assert normalize(once, dialect) == once
    assert {c.type.name for t in once.tables.values() for c in t.columns} == {DDL_TYPE}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_state_equals_itself(dialect: str) -> None:
    state = _rich_state(dialect)
    assert compare(state, state, dialect) == []


def test_comments_are_not_compared_where_the_dialect_drops_them() -> None:
    with_comment = _one_table(x=sa.Column("x", sa.Integer, comment="hello"))
    without = _one_table(x=sa.Column("x", sa.Integer))
    assert compare(with_comment, without, "sqlite") == []
    assert compare(with_comment, without, "postgresql") == ["column t.x: comment expected 'hello', live none"]


def test_column_order_is_compared_where_the_dialect_can_keep_it() -> None:
    ab = _one_table(a=sa.Column("a", sa.Integer), b=sa.Column("b", sa.Integer))
    ba = _one_table(b=sa.Column("b", sa.Integer), a=sa.Column("a", sa.Integer))
    for dialect in ("sqlite", "mysql"):
        assert compare(ab, ba, dialect) == ["table t: column order expected (id, a, b), live (id, b, a)"]
    # PostgreSQL adds columns only at the end, so a restored column cannot go back in place there.
    assert compare(ab, ba, "postgresql") == []


def test_pg_sequence_default_and_autoincrement_are_not_differences() -> None:
    declared = _one_table()
    table = declared.table("t")
    serial = attrs.evolve(table.columns[0], server_default=DefaultSpec("text", "nextval('t_id_seq'::regclass)"),
                          autoincrement=True)
    live = SchemaState({table.key: attrs.evolve(table, columns=(serial,))})
    assert compare(declared, live, "postgresql") == []


def test_mysql_unique_constraint_and_unique_index_are_one_thing() -> None:
    md = sa.MetaData()
    sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer),
             sa.UniqueConstraint("x", name="uq_x"))
    constraint = SchemaState.from_metadata(md)
    md = sa.MetaData()
    t = sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))
    sa.Index("uq_x", t.c.x, unique=True)
    index = SchemaState.from_metadata(md)
    assert compare(constraint, index, "mysql") == []
    assert compare(constraint, index, "postgresql") != []


def _strategies() -> Any:
    from tests import strategies

    return strategies


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), dialect=st.sampled_from(DIALECTS))
def test_normalize_is_idempotent_and_compare_agrees_with_it(data: st.DataObject, dialect: str) -> None:
    strategies = _strategies()
    state = data.draw(strategies.schema_states(), label="state")
    op = data.draw(strategies.ops_for(state, irreversible=False), label="op")
    after = state.apply(state.complete(op))
    once = normalize(state, dialect)
    assert normalize(once, dialect) == once
    assert compare(state, state, dialect) == []
    assert compare(after, after, dialect) == []
    # Without Boolean/Enum CHECKs (which only compare discounts), no lines means equal forms.
    assert (compare(state, after, dialect) == []) == (once == normalize(after, dialect))


@settings(max_examples=examples(60), deadline=None)
@given(data=st.data(), dialect=st.sampled_from(DIALECTS))
def test_remembered_types_are_what_working_them_out_gives(data: st.DataObject, dialect: str) -> None:
    """The type caches of reflection and normalization hand out what from_sa and compiling give,
    however types are interleaved (two types of one class with other arguments stay apart)."""
    from ledger.schema import comparison
    from ledger.schema import reflect as reflect_module

    specs = data.draw(st.lists(_strategies().type_specs(), min_size=1, max_size=6), label="types")
    for spec in specs + specs[::-1]:
        try:
            type_ = spec.to_sa()
        except LedgerError:
            reject()
        try:
            fresh = TypeSpec.from_sa(type_)
        except LedgerError:
            fresh = TypeSpec(type(type_).__name__)
        assert reflect_module._type_spec(type_) == fresh
        assert reflect_module._type_spec(spec.to_sa()) == fresh
        worked_out = comparison._compiled_type(spec, dialect) or f"?{spec.render()}"
        assert type_ddl(spec, dialect) == worked_out
        assert type_ddl(spec, dialect) == worked_out


def test_types_of_one_class_with_other_arguments_reflect_apart() -> None:
    from ledger.schema import reflect as reflect_module

    assert reflect_module._type_spec(sa.VARCHAR(80)) == TypeSpec.from_sa(sa.VARCHAR(80))
    assert reflect_module._type_spec(sa.VARCHAR(20)) == TypeSpec.from_sa(sa.VARCHAR(20))
    assert reflect_module._type_spec(sa.NUMERIC(10, 2)) != reflect_module._type_spec(sa.NUMERIC(12, 2))
    assert type_ddl(TypeSpec.of("String", 20), "postgresql") == "VARCHAR(20)"
    assert type_ddl(TypeSpec.of("String", 80), "postgresql") == "VARCHAR(80)"


# =============================================================================================
# Rich schemas on every database
# =============================================================================================


def _rich_metadata(dialect: str) -> sa.MetaData:
    """Composite keys, self-referencing and composite foreign keys, named constraints, defaults,
    enums, JSON, comments, expression and partial indexes, quoted, mixed-case, non-ASCII names."""
    md = sa.MetaData(naming_convention={"pk": "pk_%(table_name)s"})
    sa.Table(
        "Customer", md,
        sa.Column("Region", sa.String(10), primary_key=True),
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(50), nullable=False, server_default="anon", comment="display name"),
        sa.Column("vip", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("tier", sa.Enum("gold", "silver", "it's", name="tier_kind")),
        sa.Column("data", sa.JSON),
        sa.Column("joined", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("ref", sa.Uuid),
        sa.Column("balance", sa.Numeric(12, 2), nullable=False, server_default=sa.text("0")),
        sa.Column("größe", sa.Integer, server_default="3", comment="non-ASCII column"),
        sa.UniqueConstraint("name", "Region", name="uq_customer_name"),
        sa.CheckConstraint("balance >= 0 AND (balance < 1000000 OR vip)" if dialect != "sqlite"
                           else "balance >= 0 AND (balance < 1000000 OR vip = 1)", name="ck_balance"),
        comment="people who buy",
    )
    orders = sa.Table(
        "order items", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_region", sa.String(10), nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("parent_id", sa.Integer),
        sa.Column("qty", sa.SmallInteger, nullable=False, server_default=sa.text("1")),
        sa.Column("note", sa.String(40)),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("price", sa.Float),
        sa.Column("placed", sa.Date),
        sa.ForeignKeyConstraint(["customer_region", "customer_id"], ["Customer.Region", "Customer.id"],
                                name="fk_items_customer", ondelete="CASCADE", onupdate="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["order items.id"], name="fk_items_parent", ondelete="SET NULL"),
        sa.UniqueConstraint("code", name="uq_items_code"),
        sa.CheckConstraint("qty BETWEEN 1 AND 100", name="ck_items_qty"),
        sa.CheckConstraint("note IN ('a', 'b') OR note IS NULL", name="ck_items_note"),
    )
    sa.Index("ix_items_qty_code", orders.c.qty, orders.c.code)
    sa.Index("ix_items_parent", orders.c.parent_id, postgresql_where=sa.text("parent_id IS NOT NULL"),
             sqlite_where=sa.text("parent_id IS NOT NULL"))
    sa.Index("ix_items_note", orders.c.note, mysql_length=8)
    if dialect != "mysql":  # MariaDB has no expression indexes
        sa.Index("ix_items_lower_note", sa.text("lower(note)"), sa.text("qty DESC"), _table=orders)
    if dialect == "postgresql":
        sa.Index("ix_items_include", orders.c.code, postgresql_include=["note"])
    return md


def _rich_state(dialect: str) -> SchemaState:
    return SchemaState.from_metadata(_rich_metadata(dialect))


@pytest.fixture
def rich(engine: sa.Engine) -> Iterator[tuple[sa.Engine, str, SchemaState]]:
    """A database holding the rich schema, created from its SchemaState."""
    dialect = dialect_of(engine)
    state = _rich_state(dialect)
    with engine.begin() as conn:
        state.to_metadata().create_all(conn)
    yield engine, dialect, state


def _live(engine: sa.Engine, **kw: Any) -> SchemaState:
    with engine.connect() as conn:
        return reflect(conn, **kw)


def test_rich_schema_round_trips(rich: tuple[sa.Engine, str, SchemaState]) -> None:
    engine, dialect, state = rich
    live = _live(engine)
    assert set(live.tables) == set(state.tables)
    assert compare(state, live, dialect) == []
    assert normalize(state, dialect) == normalize(live, dialect)



def test_reflecting_some_tables_reads_them_as_the_whole_reflection_does(
        rich: tuple[sa.Engine, str, SchemaState]) -> None:
    """``reflect(only=...)`` (what a drill reads after a revision) gives each named table exactly as
    reflecting everything does, names compared case-blind, and no other table; so does
    ``exact=True`` by the tables' own names (PostgreSQL's one query, without the list of tables)."""
    engine, _dialect, state = rich
    whole = _live(engine)
    for key, table in whole.tables.items():
        alone = _live(engine, only=[table.name.upper()])
        assert dict(alone.tables) == {key: table}
        assert dict(_live(engine, only=[table.name, "no such table"], exact=True).tables) == {key: table}
    assert dict(_live(engine, only=["no such table"]).tables) == {}
    assert dict(_live(engine, only=["no such table"], exact=True).tables) == {}
    assert len(state.tables) > 1


@pytest.mark.parametrize("parts", [{"keys", "checks"}, {"indexes"}, {"columns"}, {"comments", "checks"}, set(PARTS)])
def test_reflecting_some_parts_reads_them_as_the_whole_reflection_does(
        rich: tuple[sa.Engine, str, SchemaState], parts: set[str]) -> None:
    """``reflect(held=..., parts=...)`` (what the Alembic hook reads after a statement that can change
    only those parts of its table) gives the parts read as reflecting everything does, and the
    others as ``held`` has them; a table not there by its name is left out."""
    engine, _dialect, _state = rich
    whole = _live(engine)
    for key, table in whole.tables.items():
        # what was held before: every part emptied, so each part read shows, and each not read stays empty
        bare = attrs.evolve(table, columns=table.columns[:1], primary_key=None, foreign_keys=(), uniques=(),
                            checks=(), indexes=(), comment="held")
        read = _live(engine, held={table.name: bare}, parts=parts)
        got = read.tables[key]
        if "keys" in parts or "indexes" in parts:  # each of them reads the other where it must (MySQL, SQLite)
            assert (got.primary_key, got.foreign_keys, got.uniques) == (
                table.primary_key, table.foreign_keys, table.uniques)
        else:
            assert (got.primary_key, got.foreign_keys) == (None, ())
        assert got.checks == (table.checks if "checks" in parts else ())
        assert got.columns == (table.columns if "columns" in parts else bare.columns)
        assert got.comment == (table.comment if "comments" in parts else "held")
        if "indexes" in parts:
            assert got.indexes == table.indexes
        elif "keys" not in parts:
            assert got.indexes == ()
    assert dict(_live(engine, held={"no such table": bare}, parts=parts).tables) == {}

def test_reflect_reads_what_the_database_keeps(rich: tuple[sa.Engine, str, SchemaState]) -> None:
    engine, dialect, _ = rich
    items = _live(engine).table("order items")
    assert items.primary_key is not None and items.primary_key.columns == ("id",)
    fks = {fk.name: fk for fk in items.foreign_keys}
    assert fks["fk_items_customer"].columns == ("customer_region", "customer_id")
    assert fks["fk_items_customer"].referent_columns == ("Region", "id")
    assert fks["fk_items_parent"].referent_table == "order items"
    names = {i.name for i in items.indexes}
    assert "fk_items_parent" not in names  # MariaDB's own index for the foreign key
    if dialect != "mysql":
        lower = next(i for i in items.indexes if i.name == "ix_items_lower_note")
        assert [canonical_sql(e.value) for e in lower.elements] == ["lower(note)", "qty desc"]
    customer = _live(engine).table("Customer")
    assert customer.column("größe") is not None
    if dialect != "sqlite":
        assert customer.comment == "people who buy"
        assert customer.column("name").comment == "display name"  # type: ignore[union-attr]


def test_ledger_table_is_left_out(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE schema_ledger (seq INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE kept (id INTEGER PRIMARY KEY)")
    assert [k[1] for k in _live(engine).tables] == ["kept"]
    assert sorted(k[1] for k in _live(engine, exclude=()).tables) == ["kept", "schema_ledger"]


# =============================================================================================
# Changes made by hand are named
# =============================================================================================

#: name -> (SQL per dialect, a line compare must report). SQLite changes that ALTER TABLE cannot
#: make rewrite the table: ("rebuild", table, old text, new text) or ("drop", table, constraint).
MUTATIONS: dict[str, tuple[dict[str, list[Any]], str]] = {
    "add index": (
        {d: ['CREATE INDEX ix_extra ON "Customer" (balance)'] for d in ("sqlite", "postgresql")}
        | {"mysql": ["CREATE INDEX ix_extra ON `Customer` (balance)"]},
        "index ix_extra on Customer: in the live database",
    ),
    "drop index": (
        {"sqlite": ["DROP INDEX ix_items_qty_code"], "postgresql": ["DROP INDEX ix_items_qty_code"],
         "mysql": ["DROP INDEX ix_items_qty_code ON `order items`"]},
        "index ix_items_qty_code on order items: expected",
    ),
    "change type": (
        {"sqlite": [("rebuild", "order items", "note VARCHAR(40)", "note VARCHAR(80)")],
         "postgresql": ['ALTER TABLE "order items" ALTER COLUMN note TYPE VARCHAR(80)'],
         "mysql": ["ALTER TABLE `order items` MODIFY note VARCHAR(80)"]},
        "column order items.note: type expected VARCHAR(40), live VARCHAR(80)",
    ),
    "drop check constraint": (
        {"sqlite": [("drop", "order items", "ck_items_qty")],
         "postgresql": ['ALTER TABLE "order items" DROP CONSTRAINT ck_items_qty'],
         "mysql": ["ALTER TABLE `order items` DROP CONSTRAINT ck_items_qty"]},
        "check constraint ck_items_qty on order items: expected",
    ),
    "change check condition": (
        {"sqlite": [("rebuild", "order items", "BETWEEN 1 AND 100", "BETWEEN 1 AND 99")],
         "postgresql": ['ALTER TABLE "order items" DROP CONSTRAINT ck_items_qty',
                        'ALTER TABLE "order items" ADD CONSTRAINT ck_items_qty CHECK (qty BETWEEN 1 AND 99)'],
         "mysql": ["ALTER TABLE `order items` DROP CONSTRAINT ck_items_qty",
                   "ALTER TABLE `order items` ADD CONSTRAINT ck_items_qty CHECK (qty BETWEEN 1 AND 99)"]},
        "check constraint ck_items_qty on order items: sqltext expected 'qty >= 1 and qty <= 100', "
        "live 'qty >= 1 and qty <= 99'",
    ),
    "drop unique constraint": (
        {"sqlite": [("drop", "order items", "uq_items_code")],
         "postgresql": ['ALTER TABLE "order items" DROP CONSTRAINT uq_items_code'],
         "mysql": ["ALTER TABLE `order items` DROP INDEX uq_items_code"]},
        "uq_items_code on order items: expected",
    ),
    "drop foreign key": (
        {"sqlite": [("drop", "order items", "fk_items_parent")],
         "postgresql": ['ALTER TABLE "order items" DROP CONSTRAINT fk_items_parent'],
         "mysql": ["ALTER TABLE `order items` DROP FOREIGN KEY fk_items_parent"]},
        "foreign key fk_items_parent on order items: expected",
    ),
    "change foreign key action": (
        {"sqlite": [("rebuild", "order items", "ON DELETE SET NULL", "ON DELETE CASCADE")],
         "postgresql": ['ALTER TABLE "order items" DROP CONSTRAINT fk_items_parent',
                        'ALTER TABLE "order items" ADD CONSTRAINT fk_items_parent FOREIGN KEY (parent_id) '
                        'REFERENCES "order items" (id) ON DELETE CASCADE'],
         "mysql": ["ALTER TABLE `order items` DROP FOREIGN KEY fk_items_parent",
                   "ALTER TABLE `order items` ADD CONSTRAINT fk_items_parent FOREIGN KEY (parent_id) "
                   "REFERENCES `order items` (id) ON DELETE CASCADE"]},
        "foreign key fk_items_parent on order items: ondelete expected 'SET NULL', live 'CASCADE'",
    ),
    "change default": (
        {"sqlite": [("rebuild", "order items", "qty SMALLINT DEFAULT 1", "qty SMALLINT DEFAULT 7")],
         "postgresql": ['ALTER TABLE "order items" ALTER COLUMN qty SET DEFAULT 7'],
         "mysql": ["ALTER TABLE `order items` ALTER COLUMN qty SET DEFAULT 7"]},
        "column order items.qty: server default expected 1, live 7",
    ),
    "make nullable": (
        {"sqlite": [("rebuild", "order items", "code VARCHAR(20) NOT NULL", "code VARCHAR(20)")],
         "postgresql": ['ALTER TABLE "order items" ALTER COLUMN code DROP NOT NULL'],
         "mysql": ["ALTER TABLE `order items` MODIFY code VARCHAR(20) NULL"]},
        "column order items.code: expected NOT NULL, live NULL",
    ),
    "add column": (
        {"sqlite": ['ALTER TABLE "Customer" ADD COLUMN extra INTEGER'],
         "postgresql": ['ALTER TABLE "Customer" ADD COLUMN extra INTEGER'],
         "mysql": ["ALTER TABLE `Customer` ADD COLUMN extra INTEGER"]},
        "column Customer.extra: in the live database (extra INTEGER), not expected",
    ),
    "add table": (
        {d: ["CREATE TABLE stray (id INTEGER PRIMARY KEY)"] for d in DIALECTS},
        "table stray: in the live database, not expected",
    ),
    "change table comment": (
        {"postgresql": ["COMMENT ON TABLE \"Customer\" IS 'changed'"],
         "mysql": ["ALTER TABLE `Customer` COMMENT = 'changed'"]},
        "table Customer: comment expected 'people who buy', live 'changed'",
    ),
    "change column comment": (
        {"postgresql": ["COMMENT ON COLUMN \"Customer\".name IS NULL"],
         "mysql": ["ALTER TABLE `Customer` MODIFY name VARCHAR(50) NOT NULL DEFAULT 'anon'"]},
        "column Customer.name: comment expected 'display name', live none",
    ),
    "change enum values": (
        {"postgresql": ["ALTER TYPE tier_kind ADD VALUE 'bronze'"],
         "mysql": ["ALTER TABLE `Customer` MODIFY tier ENUM('gold','silver','it''s','bronze')"]},
        "column Customer.tier: type expected",
    ),
    "drop partial index condition": (
        {d: ["DROP INDEX ix_items_parent", 'CREATE INDEX ix_items_parent ON "order items" (parent_id)']
         for d in ("sqlite", "postgresql")},
        "index ix_items_parent on order items: dialect_options expected",
    ),
    "change expression index": (
        {d: ["DROP INDEX ix_items_lower_note", 'CREATE INDEX ix_items_lower_note ON "order items" (upper(note), qty)']
         for d in ("sqlite", "postgresql")},
        "index ix_items_lower_note on order items: elements expected",
    ),
}

#: conftest's name for each database -> the dialect name compare takes.
_FIXTURE_DIALECT = {"sqlite": "sqlite", "postgresql": "postgresql", "mariadb": "mysql"}


def _sqlite_rebuild(conn: sa.Connection, table: str, old: str, new: str) -> None:
    """Rewrite a SQLite table's CREATE statement (what ALTER TABLE cannot change), keeping its indexes."""
    create = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                  (table,)).scalar_one()
    assert old in create, create
    indexes = [r[0] for r in conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]
    conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
    quoted = '"' + table.replace('"', '""') + '"'
    renamed = re.sub(r'^CREATE TABLE\s+("(?:[^"]|"")*"|\S+)', 'CREATE TABLE "rebuilt"', create.replace(old, new))
    conn.exec_driver_sql(renamed)
    conn.exec_driver_sql(f'INSERT INTO "rebuilt" SELECT * FROM {quoted}')
    conn.exec_driver_sql(f"DROP TABLE {quoted}")
    conn.exec_driver_sql(f'ALTER TABLE "rebuilt" RENAME TO {quoted}')
    for sql in indexes:
        conn.exec_driver_sql(sql)


def _sqlite_drop_constraint(conn: sa.Connection, table: str, name: str) -> None:
    """Rewrite a SQLite table without its table-level constraint ``name``."""
    create = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                  (table,)).scalar_one()
    start = create.index(f"CONSTRAINT {name} ")
    depth, end = 0, start
    while depth > 0 or create[end] not in ",)\n":
        depth += {"(": 1, ")": -1}.get(create[end], 0)
        end += 1
    comma = create.rindex(",", 0, start)
    _sqlite_rebuild(conn, table, create[comma:end].rstrip(), "")


def _run(conn: sa.Connection, statement: Any) -> None:
    if isinstance(statement, tuple) and statement[0] == "rebuild":
        _sqlite_rebuild(conn, *statement[1:])
    elif isinstance(statement, tuple):
        _sqlite_drop_constraint(conn, *statement[1:])
    else:
        conn.exec_driver_sql(statement)


@pytest.mark.parametrize(
    ("mutation", "dialect"),
    [(m, d) for m in sorted(MUTATIONS) for d in ("sqlite", "postgresql", "mariadb")
     if _FIXTURE_DIALECT[d] in MUTATIONS[m][0]],
)
def test_changes_by_hand_are_named(mutation: str, rich: tuple[sa.Engine, str, SchemaState]) -> None:
    engine, dialect, state = rich
    statements, expected_line = MUTATIONS[mutation]
    with engine.begin() as conn:
        for statement in statements[dialect]:
            _run(conn, statement)
    differences = compare(state, _live(engine), dialect)
    assert any(expected_line in line for line in differences), differences
    assert normalize(state, dialect) != normalize(_live(engine), dialect)


def test_type_checks_are_ignored_but_named_checks_are_not(engine: sa.Engine) -> None:
    dialect = dialect_of(engine)
    md = sa.MetaData()
    sa.Table(
        "t", md, sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("flag", sa.Boolean(create_constraint=True)),
        sa.Column("kind", sa.Enum("a", "b", name="kind_enum", native_enum=False, create_constraint=True)),
        sa.CheckConstraint("kind IN ('a', 'b')", name="ck_same_text"),
    )
    state = SchemaState.from_metadata(md)
    with engine.begin() as conn:
        state.to_metadata().create_all(conn)
    assert compare(state, _live(engine), dialect) == []
    with engine.begin() as conn:
        _run(conn, ("drop", "t", "ck_same_text") if dialect == "sqlite"
             else "ALTER TABLE t DROP CONSTRAINT ck_same_text")
    assert any("check constraint ck_same_text on t: expected" in line
               for line in compare(state, _live(engine), dialect))


def test_mariadb_foreign_key_index_is_not_a_user_index(database_factory: Callable[[str], str]) -> None:
    engine = sa.create_engine(database_factory("mariadb"))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE p (id INTEGER PRIMARY KEY)")
            conn.exec_driver_sql("CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER, "
                                 "CONSTRAINT fk_c_p FOREIGN KEY (p_id) REFERENCES p (id))")
            keys = [r[2] for r in conn.exec_driver_sql("SHOW INDEX FROM c")]
        assert "fk_c_p" in keys  # the server made it
        assert _live(engine).table("c").indexes == ()
    finally:
        engine.dispose()


def test_sqlite_foreign_keys_with_awkward_names_are_read(database_factory: Callable[[str], str]) -> None:
    """SQLAlchemy's pattern for SQLite's SQL loses these (reserved words, quotes, parentheses,
    non-ASCII names, twins); PRAGMA foreign_key_list and the table SQL do not."""
    engine = sa.create_engine(database_factory("sqlite"))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql('CREATE TABLE "WHERE" ("cüΩ" INTEGER PRIMARY KEY, "k)""," INTEGER UNIQUE)')
            conn.exec_driver_sql(
                'CREATE TABLE "from" ("f4hl12w2" INTEGER CONSTRAINT "in(line" REFERENCES "WHERE",'
                ' "a""b" INTEGER NOT NULL REFERENCES "WHERE" ("k)"","),'
                ' CONSTRAINT "p/j(G*" FOREIGN KEY ("f4hl12w2") REFERENCES "WHERE" ("cüΩ") ON DELETE RESTRICT,'
                ' CONSTRAINT "twin" FOREIGN KEY ("f4hl12w2") REFERENCES "WHERE" ("cüΩ")'
                ' ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED)'
            )
        keys = [(fk.name, fk.columns, fk.referent_table, fk.referent_columns, fk.ondelete, fk.onupdate,
                 fk.deferrable, fk.initially) for fk in _live(engine).table("from").foreign_keys]
        assert sorted(keys, key=repr) == sorted([
            ("in(line", ("f4hl12w2",), "WHERE", ("cüΩ",), "NO ACTION", "NO ACTION", None, None),
            (None, ('a"b',), "WHERE", ('k)",',), "NO ACTION", "NO ACTION", None, None),
            ("p/j(G*", ("f4hl12w2",), "WHERE", ("cüΩ",), "RESTRICT", "NO ACTION", None, None),
            ("twin", ("f4hl12w2",), "WHERE", ("cüΩ",), "NO ACTION", "CASCADE", True, "DEFERRED"),
        ], key=repr)
    finally:
        engine.dispose()


def test_postgresql_deferrable_unique_is_read(database_factory: Callable[[str], str]) -> None:
    engine = sa.create_engine(database_factory("postgresql"))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER, "
                                 "CONSTRAINT uq_x UNIQUE (x) DEFERRABLE INITIALLY DEFERRED)")
        (unique,) = _live(engine).table("t").uniques
        assert (unique.name, unique.deferrable, unique.initially) == ("uq_x", True, "DEFERRED")
    finally:
        engine.dispose()


def test_postgresql_keys_read_from_the_catalog_are_what_the_inspector_reports(
    database_factory: Callable[[str], str],
) -> None:
    """Primary keys, unique constraints and foreign keys come from one catalog query on
    PostgreSQL: every action, MATCH FULL, deferral, a referent in another schema, one found
    by the search path and one that is not, are read as SQLAlchemy's inspector reads them."""
    from ledger.dialects.postgresql_catalog import catalog_keys

    engine = sa.create_engine(database_factory("postgresql"))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE SCHEMA other")
            conn.exec_driver_sql("CREATE TABLE other.far (a INTEGER, b INTEGER, CONSTRAINT pk_far PRIMARY KEY (b, a))")
            conn.exec_driver_sql("CREATE TABLE other.t (id INTEGER PRIMARY KEY)")
            conn.exec_driver_sql(
                "CREATE TABLE p (id INTEGER PRIMARY KEY, x INTEGER, y INTEGER,"
                " CONSTRAINT uq_p_xy UNIQUE (y, x), CONSTRAINT uq_p_x UNIQUE (x) DEFERRABLE)"
            )
            conn.exec_driver_sql(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, p_id INTEGER, x INTEGER, y INTEGER, a INTEGER, b INTEGER,"
                " CONSTRAINT fk_r FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE RESTRICT ON UPDATE SET DEFAULT,"
                " CONSTRAINT fk_c FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL"
                "  DEFERRABLE INITIALLY DEFERRED,"
                " CONSTRAINT fk_m FOREIGN KEY (y, x) REFERENCES p (y, x) MATCH FULL DEFERRABLE,"
                " CONSTRAINT fk_far FOREIGN KEY (a, b) REFERENCES other.far (b, a) ON DELETE NO ACTION,"
                " CONSTRAINT fk_shadow FOREIGN KEY (x) REFERENCES other.t (id))"
            )
            conn.exec_driver_sql("CREATE TABLE bare (n INTEGER)")
        with engine.connect() as conn:
            for schema in (None, "other"):
                pks, uniques, fks, _deferrable = catalog_keys(conn, schema)
                inspector = sa.inspect(conn)
                expected_pks = {k: v for k, v in inspector.get_multi_pk_constraint(schema=schema).items()
                                if v["constrained_columns"]}
                assert {k: (v["name"], v["constrained_columns"]) for k, v in pks.items()} == {
                    k: (v["name"], v["constrained_columns"]) for k, v in expected_pks.items()}
                assert {k: [(u["name"], u["column_names"]) for u in v] for k, v in uniques.items()} == {
                    k: [(u["name"], u["column_names"]) for u in sorted(v, key=lambda u: u["name"])]
                    for k, v in inspector.get_multi_unique_constraints(schema=schema).items() if v}

                def shape(fk: dict[str, Any]) -> tuple[Any, ...]:
                    options = {k: v for k, v in fk["options"].items() if v is not None}
                    return (fk["name"], fk["constrained_columns"], fk["referred_schema"], fk["referred_table"],
                            fk["referred_columns"], sorted(options.items()))

                assert {k: sorted(map(shape, v)) for k, v in fks.items()} == {
                    k: sorted(map(shape, v)) for k, v in inspector.get_multi_foreign_keys(schema=schema).items() if v}
        assert len(_live(engine).table("t").foreign_keys) == 5
    finally:
        engine.dispose()


# =============================================================================================
# Random portable schemas on every database
# =============================================================================================


@settings(max_examples=examples(8), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_random_portable_schemas_round_trip(
    data: st.DataObject, dialect: str, database_factory: Callable[[str], str]
) -> None:
    state = data.draw(_strategies().schema_states(portable=True, min_tables=1, max_tables=3), label="state")
    engine = sa.create_engine(database_factory(dialect))
    try:
        try:
            with engine.begin() as conn:
                state.to_metadata().create_all(conn)
        except sa.exc.DBAPIError as exc:
            # Not what this test is about: a state the server refuses (a default out of the
            # column's range, a foreign key between two differently named enum types, ...).
            event(f"{dialect} refused the state: {type(exc.orig).__name__}")
            reject()
        live = _live(engine)
        differences = compare(state, live, dialect_of(engine))
        assert differences == []
        assert normalize(state, dialect_of(engine)) == normalize(live, dialect_of(engine))
    finally:
        engine.dispose()


# =============================================================================================
# A primary key over a column SQLite reports nullable
# =============================================================================================


def test_a_primary_key_s_columns_are_reflected_not_null_where_sqlite_reports_them_nullable(tmp_path: Any) -> None:
    # SQLite keeps the declared nullability of a key column that is not its rowid; Alembic's batch
    # create_primary_key over a nullable column makes such a table (open-webui's tag table).
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'pk.db'}")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE tag (id VARCHAR(20) NOT NULL, user_id VARCHAR(20),"
                                 " CONSTRAINT pk_id_user_id PRIMARY KEY (id, user_id))")
            state = reflect(conn)
        table = state.tables[(None, "tag")]
        assert [c.nullable for c in table.columns] == [False, False]
        assert SchemaState.fold([], start=state) == state  # the fold takes it (it refused a nullable key column)
    finally:
        engine.dispose()


def test_a_batch_primary_key_over_a_nullable_column_is_recorded_and_rolls_back(
    tmp_path: Any, database_factory: Callable[[str], str]
) -> None:
    from tests.alembic_histories import check_everything, hook_events, upgrade_with_hook

    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('tag', sa.Column('id', sa.String(20), nullable=False),"
         " sa.Column('user_id', sa.String(20), nullable=True), sa.PrimaryKeyConstraint('id'))"],
        ["with op.batch_alter_table('tag') as b:",
         "    b.create_primary_key('pk_id_user_id', ['id', 'user_id'])"],
    ])
    assert [e.op_type for e in hook_events(url)] == ["create_table", "drop_constraint", "alter_column",
                                                     "create_primary_key"]
    check_everything(tmp_path, url, database_factory, "sqlite")


@st.composite
def _prefixed_columns(draw: st.DrawFn) -> tuple[Any, int, int]:
    """A MySQL string column type of ``n`` characters (or bytes) and an index prefix of at most ``n``."""
    n = draw(st.integers(1, 300))
    kind = draw(st.sampled_from([sa.String, sa.Unicode, mysql.CHAR, mysql.VARBINARY]))
    if kind is mysql.CHAR:
        n = min(n, 255)
    length = draw(st.one_of(st.just(n), st.integers(1, n)))
    return kind(n), n, length


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=_prefixed_columns())
def test_a_mysql_index_prefix_as_long_as_its_column_is_the_whole_column(
        database_factory: Callable[[str], str], column: tuple[Any, int, int]) -> None:
    # MySQL and MariaDB keep an index prefix only when it is shorter than the column: a prefix of the
    # whole column is a full-column index (SHOW INDEX: Sub_part NULL), and so it compares.
    type_, n, length = column
    note(f"{type_!r} prefix {length}")
    md = sa.MetaData()
    table = sa.Table("t", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", type_))
    sa.Index("ix_t_v", table.c.v, mysql_length={"v": length})
    state = SchemaState.from_metadata(md)
    engine = sa.create_engine(database_factory("mariadb"))
    try:
        with engine.begin() as conn:
            state.to_metadata().create_all(conn)
            sub_part = conn.exec_driver_sql("SHOW INDEX FROM t WHERE Key_name = 'ix_t_v'").mappings().one()["Sub_part"]
        assert (sub_part is None) == (length == n)  # what the server keeps
        assert compare(state, _live(engine), "mysql") == []
    finally:
        engine.dispose()
