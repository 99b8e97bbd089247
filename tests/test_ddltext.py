"""The key and index statements written from the specs (ledger.dialects.ddltext) are the ones
SQLAlchemy compiles for the same specs, on every database."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings

from ledger.dialects import ddltext, generator
from ops import SchemaState
from ops.specs import ColumnSpec, PrimaryKeySpec, ForeignKeySpec, IndexElement, IndexSpec, TypeSpec, UniqueSpec, table_spec
from tests.examples import examples
from tests.strategies_schema import schema_states

DIALECTS = ("postgresql", "sqlite", "mysql", "mariadb")


def _or_error(make: Callable[[], str]) -> str | None:
    """SQLAlchemy's statement, None where it refuses to compile one (the text must then be None too)."""
    try:
        return make()
    except Exception:  # noqa: BLE001 - any refusal: the text must not be written either
        return None


def _compiled(state: SchemaState) -> list[tuple[str, str, str | None, str | None]]:
    """(dialect, what, the text written from the specs or None, SQLAlchemy's statement) for every
    unique, foreign key and index of ``state``."""
    found = []
    for name in DIALECTS:
        gen = generator(name)
        for spec in state.tables.values():
            found.append((name, f"drop table {spec.name}", f"DROP TABLE {ddltext.table_sql(gen.preparer, spec)}",
                          _or_error(lambda: gen.compile(sa.schema.DropTable(gen.part(state, spec))))))
            for constraint in (*spec.uniques, *spec.foreign_keys):
                if constraint.name is None:
                    continue
                found.append((name, f"add {constraint.name}",
                              ddltext.add_constraint(gen.dialect, state, spec, constraint.name),
                              _or_error(lambda: gen.compile(sa.schema.AddConstraint(gen.constraint(state, spec, constraint.name))))))
                found.append((name, f"drop {constraint.name}", ddltext.drop_constraint(gen.dialect, spec, constraint.name),
                              _or_error(lambda: gen.compile(sa.schema.DropConstraint(gen.constraint(state, spec, constraint.name))))))
            for index in spec.indexes:
                if index.name is None:
                    continue
                sa_index = gen.index(state, spec, index)
                found.append((name, f"create {index.name}", ddltext.create_index(gen.dialect, spec, index),
                              _or_error(lambda: gen.create_index_sql(sa_index))))
                found.append((name, f"drop {index.name}", ddltext.drop_index(gen.dialect, spec, index),
                              _or_error(lambda: gen.compile(sa.schema.DropIndex(sa_index)))))
    return found


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema_states(min_tables=1))
def test_text_is_what_sqlalchemy_compiles(state: SchemaState) -> None:
    for dialect, what, text, compiled in _compiled(state):
        if text is not None:
            assert text == compiled, (dialect, what)


def _plain_state() -> SchemaState:
    integer, string = TypeSpec("Integer"), TypeSpec.of("String", length=20)
    parent = table_spec("Parent Table", (ColumnSpec("id", integer, nullable=False),), None,
                        PrimaryKeySpec("pk_parent", ("id",)), (), (), (), (),
                        None, ())
    child = table_spec(
        "child", (ColumnSpec("id", integer, nullable=False), ColumnSpec("select", string),
                  ColumnSpec("parent_id", integer)), None, None,
        (ForeignKeySpec("fk child", ("parent_id",), "Parent Table", ("id",), ondelete="CASCADE", onupdate="SET NULL",
                        deferrable=True, initially="DEFERRED"),
         ForeignKeySpec("fk_plain", ("parent_id",), "Parent Table", ("id",))),
        (UniqueSpec("uq_child", ("select", "parent_id"), deferrable=False),
         UniqueSpec("Uq_Plain", ("select",))), (),
        (IndexSpec("ix_child", (IndexElement("select"), IndexElement("parent_id")), unique=True),
         IndexSpec("ix plain", (IndexElement("parent_id"),))), None, ())
    return SchemaState().with_table(parent).with_table(child)


def test_plain_keys_and_indexes_are_written_from_the_specs() -> None:
    """Quoted, reserved and mixed-case names, cascades and deferrability: each written from the
    specs (no fallback) where the database writes it in the common form, and as SQLAlchemy does."""
    found = _compiled(_plain_state())
    for dialect, what, text, compiled in found:
        if dialect in ("postgresql", "sqlite") or what.startswith("create") or what in ("add fk_plain", "add Uq_Plain"):
            assert text is not None, (dialect, what)
        if text is not None:
            assert text == compiled, (dialect, what)
    # PostgreSQL and SQLite: all twelve statements each; MySQL and MariaDB: the two CREATE INDEX and
    # the two ADD CONSTRAINT without deferrability each
    assert sum(text is not None for _, what, text, _ in found if not what.startswith("drop table")) == 12 + 12 + 4 + 4


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema_states(min_tables=1))
def test_default_text_is_the_columns_default(state: SchemaState) -> None:
    """PostgreSQL's ALTER COLUMN ... SET DEFAULT writes the default from its spec alone: as
    SQLAlchemy writes it for the column."""
    gen = generator("postgresql")
    for spec in state.tables.values():
        for column in spec.columns:
            if column.server_default is not None:
                assert gen.default_text(column.server_default) == gen.default_sql(column.to_column())


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema_states(min_tables=1))
def test_rebuild_constraints_are_what_sqlalchemy_compiles(state: SchemaState) -> None:
    """The unique and foreign keys a SQLite table rebuild's CREATE TABLE writes from the specs."""
    gen = generator("sqlite")
    for spec in state.tables.values():
        for constraint in (*spec.uniques, *spec.foreign_keys):
            text = ddltext.constraint_sql(gen.dialect, state, spec, constraint)
            if text is None:
                continue
            compiled = _or_error(lambda: gen._compile_part(state, spec, None, constraint))
            if compiled is None:  # the rebuild then compiles the whole table: the same text is in it
                whole = gen.neighbourhood(state, attrs.evolve(spec, indexes=())).tables[spec.fullname]
                table_sql = _or_error(lambda: gen.compile(sa.schema.CreateTable(whole)))
                assert table_sql is None or text in table_sql  # None: the rebuild fails as SQLAlchemy does
            else:
                assert text == compiled


def test_rebuild_constraints_are_written_from_the_specs() -> None:
    state = _plain_state()
    gen = generator("sqlite")
    child = state.tables[(None, "child")]
    for constraint in (*child.uniques, *child.foreign_keys):
        text = ddltext.constraint_sql(gen.dialect, state, child, constraint)
        assert text is not None and text == gen._compile_part(state, child, None, constraint)



@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema_states(min_tables=1))
def test_create_table_is_what_sqlalchemy_compiles(state: SchemaState) -> None:
    """SQLite's and PostgreSQL's CREATE TABLE assembled from its parts (ledger.dialects.assembled)
    and its indexes are the statements SQLAlchemy compiles for the whole table, where it compiles
    one (PostgreSQL: with the COMMENT statements, and a unique key that repeats another added
    after, as the general way writes them)."""
    from ledger.dialects.base import DDLGenerator
    from ops import CreateTableOp, DropTableOp

    for name in ("sqlite", "postgresql"):
        gen = generator(name)
        for spec in state.tables.values():
            if state.referencing(spec.name, spec.schema):
                continue  # dropping it first would leave foreign keys without their table
            op = CreateTableOp(spec)
            before = DropTableOp(spec.name, schema=spec.schema).complete(state).apply(state)
            table = gen.table(state, spec.name, spec.schema)
            if name == "sqlite":
                compiled = _or_error(lambda: [gen.compile(sa.schema.CreateTable(table))] + [
                    gen.create_index_sql(i) for i in sorted(table.indexes, key=lambda i: str(i.name or ""))])
            else:
                plain = generator(name)
                compiled = _or_error(lambda: DDLGenerator.create_table(plain, op, before))
                keys = [u.columns for u in spec.uniques] + ([spec.primary_key.columns] if spec.primary_key else [])
                if len(set(keys)) != len(keys):
                    continue  # a unique key that repeats another: PostgreSQL adds it after (the general way)
            written = _or_error(lambda: gen.create_table(op, before))
            assert written == compiled, (name, spec, written, compiled)


def test_sqlite_primary_keys_alike_but_their_names() -> None:
    """Keys alike but for their names (or their columns' types, with AUTOINCREMENT) share one
    compiled definition only where SQLAlchemy writes them alike: each table's CREATE TABLE is the
    one SQLAlchemy compiles, made by one generator in turn."""
    from ops import CreateTableOp

    gen = generator("sqlite")
    state = SchemaState()
    shapes = [("Integer", False), ("String", True), ("Integer", True), ("Integer", False), ("String", True)]
    for number, (type_name, autoincrement) in enumerate(shapes):
        spec = table_spec(f"t{number}", (ColumnSpec("id", TypeSpec(type_name), nullable=False),
                                         ColumnSpec("name", TypeSpec.of("String", length=20))), None,
                          PrimaryKeySpec(f"pk t{number}" if number % 2 else f"pk_t{number}", ("id",),
                                         autoincrement=autoincrement), (), (), (), (), None, ())
        op = CreateTableOp(spec)
        after = op.apply(state)
        compiled = [gen.compile(sa.schema.CreateTable(generator("sqlite").table(after, spec.name, None)))]
        assert gen.create_table(op, state) == compiled, spec
        state = after


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema_states(min_tables=1))
def test_add_column_is_what_sqlalchemy_compiles(state: SchemaState) -> None:
    """SQLite's and PostgreSQL's ADD COLUMN from the column's remembered definition is the statement
    compiled from the column's SQLAlchemy table, for every column added back to the table it was
    dropped from."""
    for name in ("sqlite", "postgresql"):
        _add_column_compiled(state, name)


def _add_column_compiled(state: SchemaState, name: str) -> None:
    from ledger.dialects.base import DDLGenerator
    from ops import AddColumnOp, DropColumnOp

    gen, plain = generator(name), generator(name)
    for spec in state.tables.values():
        for column in spec.columns:
            try:
                drop = DropColumnOp(spec.name, column.name, schema=spec.schema).complete(state)
                before = drop.apply(state)
            except Exception:  # noqa: BLE001 - a column the fold cannot drop (the last one, a key's)
                continue
            if before.table(spec.name, spec.schema) is None:
                continue
            op = AddColumnOp(spec.name, column, schema=spec.schema)
            compiled = _or_error(lambda: DDLGenerator.add_column(plain, op, before))
            written = _or_error(lambda: gen.add_column(op, before))
            assert written == compiled, (spec.name, column)
