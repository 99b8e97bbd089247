"""SQLite keeps a table as the SQL that made it: where that text is the one the ledger writes for the
fold's table, the table is the fold's (``SQLiteGenerator.holds_as_written``), and the Alembic hook
leaves a batch rebuild's read-back out. Each answer of True is checked against reading the table back."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from ledger import dialects
from ledger.inspect.drift import drift
from ledger.schema.reflect import reflect
from ops import CreateTableOp, SchemaState
from tests.examples import examples


def _made_by_the_ledger(conn: sa.Connection, state: SchemaState) -> None:
    from ledger.schema.diff import diff

    gen = dialects.generator("sqlite", conn)
    before = dialects.empty_state("sqlite")
    for op in diff(before, state):
        dialects.execute(conn, dialects.ddl(op, before, "sqlite", conn=conn, gen=gen))
        before = op.apply(before)


def _changed(spec: object, data: st.DataObject) -> object:
    """``spec`` with one thing the database would hold differently."""
    column = data.draw(st.sampled_from(spec.columns), label="column")  # type: ignore[attr-defined]
    how = data.draw(st.sampled_from(["nullable", "rename", "indexes"]), label="how")
    if how == "indexes" and spec.indexes:  # type: ignore[attr-defined]
        return attrs.evolve(spec, indexes=spec.indexes[1:])  # type: ignore[attr-defined]
    if how == "rename" and not any(column.name in c.columns for c in (*spec.constraints, *spec.indexes)  # type: ignore[attr-defined]
                                   if hasattr(c, "columns")):
        columns = tuple(attrs.evolve(c, name=c.name + "_x") if c is column else c for c in spec.columns)  # type: ignore[attr-defined]
        return attrs.evolve(spec, columns=columns)
    columns = tuple(attrs.evolve(c, nullable=not c.nullable) if c is column else c for c in spec.columns)  # type: ignore[attr-defined]
    return attrs.evolve(spec, columns=columns)


@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), by_ledger=st.booleans())
def test_a_table_held_as_written_reads_back_as_the_fold(
        data: st.DataObject, by_ledger: bool, database_factory: Callable[[str], str]) -> None:
    from tests import strategies

    state = data.draw(strategies.schema_states(portable=True, min_tables=1, max_tables=3), label="state")
    state = SchemaState({k: t for k, t in state.tables.items() if k[0] is None})
    if not state.tables:
        reject()
    engine = sa.create_engine(database_factory("sqlite"))
    try:
        try:
            with engine.begin() as conn:
                if by_ledger:
                    _made_by_the_ledger(conn, state)
                else:  # as SQLAlchemy writes it (Alembic's batch rebuild)
                    state.to_metadata().create_all(conn)
        except (sa.exc.DBAPIError, sa.exc.CompileError, dialects.UnsupportedOperationError) as exc:
            event(f"SQLite refused the state: {type(exc).__name__}")
            reject()
        gen = dialects.generator("sqlite")
        with engine.connect() as conn:
            live = reflect(conn)
            for key, spec in state.tables.items():
                held = gen.holds_as_written(conn, state, spec)
                event(f"made by the ledger: {by_ledger}, held as written: {held}")
                if by_ledger:
                    assert held, spec.name  # the ledger's own text is recognised
                if held:  # the same text is the same table: read back, it is the fold's
                    assert drift(SchemaState({key: spec}), SchemaState({key: live.tables[key]}), "sqlite") is None
                other = _changed(spec, data)
                if other != spec:
                    changed = SchemaState({**state.tables, key: other})
                    assert not gen.holds_as_written(conn, changed, other), (spec, other)
    finally:
        engine.dispose()


def test_a_renamed_table_and_reordered_constraints_are_held_as_written(database_factory: Callable[[str], str]) -> None:
    """A rebuild's RENAME leaves the name quoted; SQLAlchemy writes the constraints in the order it
    made them; anything after the definitions (WITHOUT ROWID) or another index is a different table."""
    engine = sa.create_engine(database_factory("sqlite"))
    metadata = sa.MetaData()
    sa.Table("p", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True), sa.Column("p_id", sa.Integer),
             sa.Column("n", sa.Integer, nullable=False, server_default="0"),
             sa.CheckConstraint("n >= 0", name="ck_t_n"), sa.UniqueConstraint("n", name="uq_t_n"),
             sa.ForeignKeyConstraint(["p_id"], ["p.id"], name="fk_t_p"), sa.Index("ix_t_n", "n"))
    from ops.specs import TableSpec

    state = SchemaState({(None, name): TableSpec.from_table(table) for name, table in
                         (("p", metadata.tables["p"]), ("t", metadata.tables["t"]))})
    spec = state.tables[(None, "t")]
    gen = dialects.generator("sqlite")
    try:
        with engine.begin() as conn:
            _made_by_the_ledger(conn, SchemaState({(None, "p"): state.tables[(None, "p")]}))
            written = gen.create_table(CreateTableOp(spec), SchemaState({(None, "p"): state.tables[(None, "p")]}))
            create, index = written
            head, body = create.split("(", 1)
            parts = body.rsplit("\n)", 1)[0].split(", \n\t")
            columns = [p for p in parts if not p.strip().startswith("CONSTRAINT")]
            constraints = [p for p in parts if p.strip().startswith("CONSTRAINT")]
            reordered = head.replace("CREATE TABLE t", "CREATE TABLE _tmp") + "(" + ", \n\t".join(
                columns + constraints[::-1]) + "\n)"
            conn.exec_driver_sql(reordered)
            conn.exec_driver_sql("ALTER TABLE _tmp RENAME TO t")
            assert conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 't'").scalar().startswith(
                'CREATE TABLE "t"')
            assert not gen.holds_as_written(conn, state, spec)  # its index is not there yet
            conn.exec_driver_sql(index)
            assert gen.holds_as_written(conn, state, spec)
            conn.exec_driver_sql("CREATE INDEX ix_more ON t (p_id)")
            assert not gen.holds_as_written(conn, state, spec)
            conn.exec_driver_sql("DROP INDEX ix_more")
            conn.exec_driver_sql("CREATE TEMPORARY TABLE t (x INTEGER)")
            assert not gen.holds_as_written(conn, state, spec)  # shadowed: the hook reads it back
    finally:
        engine.dispose()
