"""Constraints SQLite keeps without a name stay without one when the ledger writes their table.

SQLite keeps no name for a constraint created without ``CONSTRAINT name`` (``sa.ForeignKey``,
``unique=True``, a primary key, a CHECK). The fold knows such a constraint by the naming
convention's name, marked ``unnamed``; a table the ledger writes again (a rollback's rebuild,
``apply``, ``materialize``) holds it unnamed, as Alembic alone would, so that a later migration
that reads the table (Alembic's batch mode) does what it does without the ledger.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, note, reject, settings
from hypothesis import strategies as st

from ledger.dialects import ddl, execute
from ledger.format.payload import from_payload, to_payload
from ledger.run.baseline import prepare
from ledger.schema.reflect import compare, reflect
from ops import AddConstraintOp, CreateTableOp, MigrateOperation, SchemaState
from ops.specs import CheckSpec, ColumnSpec, ForeignKeySpec, PrimaryKeySpec, TableSpec, TypeSpec, UniqueSpec
from tests.alembic_histories import (
    check_live_equals_fold,
    connected,
    hook_events,
    ledger_cli,
    run_alembic,
    sqlite_upgraded,
)
from tests.examples import examples
from tests.strategies import histories

# Revision 1 makes a table with a foreign key, a unique, a check and a primary key, none named;
# revision 2 changes the table in a batch (a rollback rebuilds it); revision 3 adds a named
# foreign key in a batch, which Alembic makes by reading the table as SQLite holds it.
HISTORY = [
    ["op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True))",
     "op.create_table('child', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('parent_id', sa.Integer(), sa.ForeignKey('parent.id')),"
     " sa.Column('code', sa.String(10), unique=True), sa.CheckConstraint('id > 0'))"],
    ["with op.batch_alter_table('child') as batch:",
     "    batch.add_column(sa.Column('x', sa.Integer()))",
     "    batch.create_unique_constraint('uq_child_x', ['x'])"],
    ["with op.batch_alter_table('child') as batch:",
     "    batch.create_foreign_key('child_parent_id_fkey', 'parent', ['parent_id'], ['id'], ondelete='CASCADE')"],
]


def _names(url: str, table: str) -> dict[str, list[str | None]]:
    with connected(url) as conn:
        inspector = sa.inspect(conn)
        return {
            "primary": [inspector.get_pk_constraint(table).get("name")],
            "foreign": sorted((fk.get("name") or "" for fk in inspector.get_foreign_keys(table)), key=str),
            "unique": sorted((u.get("name") or "" for u in inspector.get_unique_constraints(table)), key=str),
            "check": sorted((c.get("name") or "" for c in inspector.get_check_constraints(table)), key=str),
        }


def _schema(url: str) -> SchemaState:
    with connected(url) as conn:
        return reflect(conn, exclude=("schema_ledger", "alembic_version"))


def test_a_rolled_back_table_keeps_its_unnamed_constraints_and_migrates_again_as_alone(tmp_path: Path) -> None:
    alone, _ = sqlite_upgraded(tmp_path, HISTORY, name="alone", hook=False)
    hooked, _ = sqlite_upgraded(tmp_path, HISTORY)
    check_live_equals_fold(hooked)
    made = [e.op for e in hook_events(hooked) if isinstance(e.op, CreateTableOp) and e.op.table.name == "child"]
    child = made[0].table
    assert child.primary_key is not None and child.primary_key.unnamed
    assert all(c.unnamed for c in child.foreign_keys + child.uniques + child.checks)

    # the rollback of revisions 3 and 2 rebuilds the table: what revision 1 left, unnamed
    code, out = ledger_cli(hooked, tmp_path, "rollback", "--to", "0001aa")
    assert code == 0, out
    assert _names(hooked, "child") == {"primary": [None], "foreign": [""], "unique": [""], "check": [""]}
    check_live_equals_fold(hooked)

    # and Alembic's batch mode then finds the table it finds without the ledger
    run_alembic(tmp_path / "hooked", hooked, "stamp", "0001aa")
    run_alembic(tmp_path / "hooked", hooked, "upgrade", "head")
    assert compare(_schema(alone), _schema(hooked), "sqlite") == []
    assert _names(hooked, "child") == _names(alone, "child")
    check_live_equals_fold(hooked)


def test_a_batch_that_names_an_unnamed_constraint_is_recorded_as_held(tmp_path: Path) -> None:
    """A batch block's ``naming_convention`` names the unnamed foreign key as Alembic makes the
    table again: the fold holds it named from then on, and a rollback makes it unnamed again."""
    history = HISTORY[:1] + [[
        "conv = {'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s'}",
        "with op.batch_alter_table('child', naming_convention=conv, recreate='always') as batch:",
        "    batch.add_column(sa.Column('y', sa.Integer()))"]]
    url, _ = sqlite_upgraded(tmp_path, history)
    assert _names(url, "child")["foreign"] == ["fk_child_parent_id_parent"]
    check_live_equals_fold(url)
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "0001aa")
    assert code == 0, out
    assert _names(url, "child")["foreign"] == [""]
    check_live_equals_fold(url)


def test_a_baseline_marks_what_sqlite_keeps_unnamed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/made.db"
    metadata = sa.MetaData()
    sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("child", metadata, sa.Column("id", sa.Integer), sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id")),
             sa.Column("code", sa.String(5), unique=True), sa.PrimaryKeyConstraint("id", name="child_pk"),
             sa.CheckConstraint("id > 0", name="positive"))
    engine = sa.create_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    child = prepare(_schema(url), "sqlite").table("child")
    assert child.primary_key == PrimaryKeySpec("child_pk", ("id",))
    assert [(c.name, c.unnamed) for c in child.checks] == [("positive", False)]
    assert [(c.name, c.unnamed) for c in child.foreign_keys] == [("fk_child_parent_id_parent", True)]
    assert [(c.name, c.unnamed) for c in child.uniques] == [("uq_child_code", True)]


def _table() -> TableSpec:
    integer = TypeSpec.of("Integer")
    return TableSpec(
        "child", (ColumnSpec("id", integer, nullable=False), ColumnSpec("parent_id", integer)),
        primary_key=PrimaryKeySpec("pk_child", ("id",), unnamed=True),
        foreign_keys=(ForeignKeySpec("fk_child_parent_id_parent", ("parent_id",), "parent", ("id",), unnamed=True),),
        uniques=(UniqueSpec("uq_child_parent_id", ("parent_id",)),),
        checks=(CheckSpec("ck_child_positive", "id > 0", unnamed=True),),
    )


def test_sqlite_writes_unnamed_constraints_without_a_name_and_other_databases_with_theirs() -> None:
    parent = TableSpec("parent", (ColumnSpec("id", TypeSpec.of("Integer"), nullable=False),),
                       primary_key=PrimaryKeySpec("pk_parent", ("id",)))
    state = SchemaState().apply(CreateTableOp(parent))
    sqlite = ddl(CreateTableOp(_table()), state, "sqlite")[0]
    assert "CONSTRAINT" in sqlite and "pk_child" not in sqlite and "fk_child" not in sqlite
    assert "ck_child" not in sqlite and "CONSTRAINT uq_child_parent_id UNIQUE (parent_id)" in sqlite
    assert "PRIMARY KEY (id)" in sqlite and "FOREIGN KEY(parent_id) REFERENCES parent (id)" in sqlite
    # PostgreSQL names every constraint: the fold's name is the one it gets
    postgresql = ddl(CreateTableOp(_table()), state, "postgresql")[0]
    assert all(f"CONSTRAINT {n}" in postgresql for n in ("pk_child", "fk_child_parent_id_parent", "ck_child_positive"))


# -- the property ---------------------------------------------------------------------------------


def _marked(op: MigrateOperation, unnamed: st.DataObject) -> MigrateOperation:
    """``op`` with each constraint it makes marked unnamed, or not, as drawn."""
    def mark(spec: object) -> object:
        return attrs.evolve(spec, unnamed=unnamed.draw(st.booleans())) if spec is not None else None

    if isinstance(op, CreateTableOp):
        table = op.table
        return attrs.evolve(op, table=attrs.evolve(
            table, primary_key=mark(table.primary_key), foreign_keys=tuple(mark(c) for c in table.foreign_keys),
            uniques=tuple(mark(c) for c in table.uniques), checks=tuple(mark(c) for c in table.checks)))
    if isinstance(op, AddConstraintOp):
        return attrs.evolve(op, constraint=mark(op.constraint))  # type: ignore[misc]
    return op


def _twins(state: SchemaState) -> bool:
    """Two constraints of one kind on a table alike but for their names: SQLite's reflection
    reads back one of two such foreign keys, and two such unnamed ones cannot be told apart."""
    for table in state.tables.values():
        for items in (table.foreign_keys, table.uniques, table.checks):
            shapes = [repr(attrs.evolve(i, name=None, unnamed=False)) for i in items]
            if len(set(shapes)) != len(shapes):
                return True
    return False


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(history=histories(portable=True, max_ops=6), unnamed=st.data())
def test_unnamed_marks_survive_the_fold_the_codec_the_reverse_and_sqlite(
        history: tuple[SchemaState, list[MigrateOperation]], unnamed: st.DataObject) -> None:
    """Marked or not, a constraint folds, encodes, reverses and is written on SQLite as the
    database keeps it: live equals fold after every op and after undoing them all, and a
    constraint marked unnamed has no name in the database."""
    start, ops = history
    engine = sa.create_engine("sqlite://")
    try:
        with engine.connect() as conn:
            state = SchemaState()
            for op in [_marked(CreateTableOp(attrs.evolve(t, foreign_keys=())), unnamed)
                       for t in start.tables.values()]:
                execute(conn, ddl(op, state, "sqlite", conn=conn))
                state = state.apply(op)
            first, done = state, []
            for op in ops:
                try:
                    op = _marked(op, unnamed).complete(state)
                except Exception:  # noqa: BLE001 - an op about the foreign keys the start left out
                    reject()
                note(op.describe())
                assert from_payload(to_payload(op)) == op
                after = state.apply(op)
                if _twins(after):
                    reject()
                execute(conn, ddl(op, state, "sqlite", conn=conn))
                state = after
                done.append(op)
                live = reflect(conn)
                assert compare(state, live, "sqlite") == []
                held = {(t.name, c.name) for t in live.tables.values() for c in t.constraints if c.name}
                assert not any((t.name, c.name) in held for t in state.tables.values() for c in t.constraints
                               if c.unnamed)
            for op in reversed(done):
                if not op.reversible:
                    return
                undo = op.reverse().complete(state)
                execute(conn, ddl(undo, state, "sqlite", conn=conn))
                state = state.apply(undo)
            assert state == first
            assert compare(state, reflect(conn), "sqlite") == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("spec", [
    PrimaryKeySpec("pk", ("a",)), UniqueSpec("uq", ("a",)), CheckSpec("ck", "a > 0"),
])
def test_the_mark_is_written_only_when_set(spec: object) -> None:
    """A constraint not marked encodes as before the mark existed (its events keep their bytes)."""
    def encoded(item: object) -> dict[str, object]:
        field = {PrimaryKeySpec: "primary_key", UniqueSpec: "uniques", CheckSpec: "checks"}[type(item)]
        table = TableSpec("t", (ColumnSpec("a", TypeSpec.of("Integer"), nullable=False),),
                          **{field: item if field == "primary_key" else (item,)})
        op = CreateTableOp(table)
        assert from_payload(to_payload(op)) == op
        found = to_payload(op)["op"]["table"][field]
        return found if field == "primary_key" else found[0]  # type: ignore[no-any-return]

    assert "unnamed" not in encoded(spec)
    assert encoded(attrs.evolve(spec, unnamed=True))["unnamed"] is True


def test_models_compared_with_the_ledger_ignore_what_a_model_cannot_state() -> None:
    """A model cannot mark a constraint unnamed, and the database keeps no name for one so marked:
    comparing models with the fold (the pytest plugin, ``new --autogenerate``) finds no change there,
    yet still finds a real one."""
    from ledger.schema.autogenerate import compare_metadata
    from ledger.schema.diff import diff, models_as_held

    columns = (ColumnSpec("id", TypeSpec("INTEGER"), nullable=False), ColumnSpec("code", TypeSpec("VARCHAR", (10,))))
    fold = SchemaState().with_table(TableSpec(
        "item", columns, primary_key=PrimaryKeySpec("pk_item", ("id",), unnamed=True),
        uniques=(UniqueSpec("uq_item_code", ("code",), unnamed=True),)))
    models = SchemaState().with_table(TableSpec(
        "item", columns, primary_key=PrimaryKeySpec("item_pkey", ("id",)), uniques=(UniqueSpec("item_code_key", ("code",)),)))
    assert diff(fold, models)  # the plain diff sees the marks and names
    assert compare_metadata(fold, models) == []
    assert diff(fold, models_as_held(models, fold)) == []
    changed = SchemaState().with_table(TableSpec(
        "item", columns, primary_key=PrimaryKeySpec("pk_item", ("id",)), uniques=(UniqueSpec("item_code_key", ("id", "code")),)))
    assert [op.describe() for op in compare_metadata(fold, changed)] == [
        "drop unique constraint uq_item_code on item", "add unique constraint item_code_key on item(id, code)"]
