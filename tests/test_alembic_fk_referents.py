"""What a foreign key may refer to is the database's rule: PostgreSQL needs a primary key or unique
constraint on exactly the referenced columns; InnoDB (MySQL, MariaDB) takes the first columns of any
index or key; SQLite checks the parent key only when rows change. The fold of a ledger accepts what
its database accepts (mlrun's ``*_tags`` tables refer to ``feature_sets(name)``, the first column of
a unique key on ``(name, project, uid)``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ops import (
    ColumnSpec,
    CreateForeignKeyOp,
    CreateTableOp,
    ForeignKeySpec,
    InvalidOperationError,
    PrimaryKeySpec,
    SchemaState,
    TableSpec,
    TypeSpec,
    UniqueSpec,
)

from ledger import dialects
from ledger.format.events import fold_ops
from tests.alembic_histories import check_everything, hook_events, upgrade_with_hook

INT, TEXT = TypeSpec("Integer"), TypeSpec.of("String", length=40)

PARENT = TableSpec("parent", (ColumnSpec("id", INT, nullable=False), ColumnSpec("name", TEXT),
                              ColumnSpec("project", TEXT), ColumnSpec("note", TEXT)),
                   primary_key=PrimaryKeySpec("pk_parent", ("id",)),
                   uniques=(UniqueSpec("uq_parent", ("name", "project")),))
CHILD = TableSpec("child", (ColumnSpec("id", INT, nullable=False), ColumnSpec("ref", TEXT)),
                  primary_key=PrimaryKeySpec("pk_child", ("id",)))


def _refers(start: SchemaState, column: str) -> SchemaState:
    state = start.apply(CreateTableOp(PARENT)).apply(CreateTableOp(CHILD))
    return state.apply(CreateForeignKeyOp("child", ForeignKeySpec("fk_child_ref", ("ref",), "parent", (column,))))


@pytest.mark.parametrize(("dialect", "first_of_a_key", "no_index"), [
    ("postgresql", False, False), ("mysql", True, False), ("sqlite", True, True)])
def test_the_fold_takes_the_foreign_keys_its_database_takes(dialect: str, first_of_a_key: bool, no_index: bool) -> None:
    start = dialects.empty_state(dialect)
    assert _refers(start, "id").table("child").foreign_keys  # a primary key: every database
    for column, accepted in (("name", first_of_a_key), ("note", no_index), ("project", no_index)):
        if accepted:
            assert _refers(start, column).table("child").foreign_keys[0].referent_columns == (column,)
        else:
            with pytest.raises(InvalidOperationError, match="not a primary key or unique constraint"
                               if dialect == "postgresql" else "not the first columns of an index or key"):
                _refers(start, column)
    # a fold of events that already ran (a ledger file, a report) takes what any database took
    assert fold_ops([CreateTableOp(PARENT), CreateTableOp(CHILD), CreateForeignKeyOp(
        "child", ForeignKeySpec("fk_child_ref", ("ref",), "parent", ("note",)))]).table("child").foreign_keys
    # a state of no database keeps the strictest rule
    with pytest.raises(InvalidOperationError, match="not a primary key or unique constraint"):
        _refers(SchemaState(), "name")


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_a_foreign_key_to_the_first_column_of_a_unique_key_is_recorded(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('feature_sets', sa.Column('id', sa.Integer(), nullable=False),",
         "    sa.Column('name', sa.String(255)), sa.Column('project', sa.String(255)),",
         "    sa.PrimaryKeyConstraint('id', name='_feature_sets_pk'),",
         "    sa.UniqueConstraint('name', 'project', name='_feature_set_uc'))",
         "op.create_table('feature_sets_tags', sa.Column('id', sa.Integer(), nullable=False),",
         "    sa.Column('obj_name', sa.String(255)),",
         "    sa.ForeignKeyConstraint(['obj_name'], ['feature_sets.name'], name='_feature_sets_tags_obj_name_fk'),",
         "    sa.PrimaryKeyConstraint('id', name='_feature_sets_tags_pk'))"],
        ["with op.batch_alter_table('feature_sets_tags') as batch_op:",
         "    batch_op.alter_column('obj_name', type_=sa.String(300))"] if dialect == "sqlite" else
        ["op.drop_constraint('_feature_sets_tags_obj_name_fk', 'feature_sets_tags', type_='foreignkey')"],
    ], batch=dialect == "sqlite")
    assert [e.message for e in hook_events(url) if e.op_type == "execute"] == []
    check_everything(tmp_path, url, database_factory, dialect)


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
def test_a_key_foreign_keys_refer_to_drops_where_its_database_drops_it(dialect: str) -> None:
    """SQLite drops (by a rebuild) a key that foreign keys refer to: it checks a parent key only
    when rows change. PostgreSQL and InnoDB refuse while no other key serves."""
    state = _refers(dialects.empty_state(dialect), "id").apply(CreateForeignKeyOp(
        "child", ForeignKeySpec("fk_child_both", ("ref", "id"), "parent", ("name", "project"))))
    if dialect == "sqlite":
        dropped = state.without_constraint("parent", "uq_parent").without_constraint("parent", "pk_parent")
        assert dropped.table("parent").primary_key is None and dropped.table("parent").uniques == ()
        assert {fk.name for fk in dropped.table("child").foreign_keys} == {"fk_child_ref", "fk_child_both"}
    else:
        for dropping in ("pk_parent", "uq_parent"):
            with pytest.raises(InvalidOperationError, match=f"cannot drop constraint {dropping} of parent: foreign key"):
                state.without_constraint("parent", dropping)


def test_a_rollback_drops_a_key_that_foreign_keys_refer_to_on_sqlite(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Airflow's d59cbbef95eb on SQLite: task_instance's primary key moves to a new id column and its
    old columns get a unique key the foreign keys of other tables refer to; the rollback drops the
    unique key before it makes the primary key on those columns again (a rebuild SQLite takes)."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('ti', sa.Column('dag_id', sa.String(40), nullable=False),",
         "    sa.Column('task_id', sa.String(40), nullable=False),",
         "    sa.PrimaryKeyConstraint('dag_id', 'task_id', name='ti_pkey'))",
         "op.create_table('xcom', sa.Column('id', sa.Integer(), nullable=False),",
         "    sa.Column('dag_id', sa.String(40)), sa.Column('task_id', sa.String(40)),",
         "    sa.ForeignKeyConstraint(['dag_id', 'task_id'], ['ti.dag_id', 'ti.task_id'], name='xcom_ti_fkey'),",
         "    sa.PrimaryKeyConstraint('id', name='xcom_pkey'))"],
        ["op.add_column('ti', sa.Column('id', sa.String(36), nullable=True))",
         "with op.batch_alter_table('ti') as batch_op:",
         "    batch_op.drop_constraint('ti_pkey', type_='primary')",
         "with op.batch_alter_table('ti') as batch_op:",
         "    batch_op.alter_column('id', type_=sa.String(36), nullable=False)",
         "    batch_op.create_unique_constraint('ti_composite_key', ['dag_id', 'task_id'])",
         "    batch_op.create_primary_key('ti_pkey', ['id'])",
         "with op.batch_alter_table('xcom') as batch_op:",
         "    batch_op.create_foreign_key('xcom_ti_fkey', 'ti', ['dag_id', 'task_id'], ['dag_id', 'task_id'])"],
    ], batch=True)
    check_everything(tmp_path, url, database_factory, "sqlite")
