"""The CHECK constraints SQLAlchemy emits for ``Boolean`` and non-native ``Enum`` column types,
recorded by the hook under the names the database gave them."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.schema.reflect import compare
from tests.alembic_histories import (
    check_everything,
    check_live_equals_fold,
    ledger_cli,
    live_schema,
    upgrade_with_hook,
)
from tests.examples import examples


def test_the_checks_of_column_types_keep_the_names_mariadb_numbered_them_by_after_a_drop(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """glance's images on MariaDB: ``Boolean(create_constraint=True)`` columns made with the table
    and added later get CHECKs MariaDB names ``CONSTRAINT_1``, ``CONSTRAINT_2``... (the lowest free
    number), which they keep when an earlier one goes with its column. The ledger materialized
    into a fresh database has them under the same names."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('images', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('deleted', sa.Boolean(create_constraint=True), nullable=False),"
         " sa.Column('is_public', sa.Boolean(create_constraint=True), nullable=False),"
         " sa.Column('protected', sa.Boolean(create_constraint=True), nullable=False))"],
        ["op.add_column('images', sa.Column('os_hidden', sa.Boolean(create_constraint=True)))",
         "op.add_column('images', sa.Column('kind', sa.Enum('a', 'b', native_enum=False, create_constraint=True)))"],
        ["op.drop_column('images', 'deleted')"],
    ])
    check_everything(tmp_path, url, database_factory, "mariadb")


@st.composite
def _boolean_histories(draw: st.DrawFn) -> list[list[str]]:
    """A table made with some ``Boolean(create_constraint=True)`` columns, then revisions that
    add such columns and drop them, in any order."""
    columns = [f"b{n}" for n in range(draw(st.integers(1, 4)))]
    made = ", ".join(f"sa.Column({c!r}, sa.Boolean(create_constraint=True))" for c in columns)
    bodies = [[f"op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), {made})"]]
    counter = len(columns)
    for _ in range(draw(st.integers(1, 4))):
        if columns and draw(st.booleans()):
            column = draw(st.sampled_from(columns))
            columns.remove(column)
            bodies.append([f"op.drop_column('t', {column!r})"])
        else:
            column, counter = f"b{counter}", counter + 1
            columns.append(column)
            bodies.append([f"op.add_column('t', sa.Column({column!r}, sa.Boolean(create_constraint=True)))"])
    return bodies


@settings(max_examples=examples(6))
@given(bodies=_boolean_histories())
def test_the_ledger_materializes_the_checks_of_column_types_under_the_names_mariadb_gave_them(
    database_factory: Callable[[str], str], bodies: list[list[str]]
) -> None:
    url, scratch = database_factory("mariadb"), database_factory("mariadb")
    with tempfile.TemporaryDirectory() as folder:
        upgrade_with_hook(Path(folder), url, bodies)
        check_live_equals_fold(url)
        code, out = ledger_cli(url, Path(folder), "materialize", "--into", scratch)
    assert code == 0, out
    live, made = live_schema(url), live_schema(scratch)
    assert compare(live, made, "mysql") == []


def test_a_type_change_between_types_with_their_own_check_is_recorded_once_on_mariadb(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``alter_column`` from a ``Boolean``/``Enum`` with ``create_constraint`` to another one (also to
    the same type, to change nullability): Alembic's drop of the old type's CHECK runs nothing on
    MariaDB, which keeps that CHECK. The drop is never recorded as the ALTER's own statements
    (with the new type's ``ADD CHECK``): the materialized ledger and the drill make each CHECK once."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('flag', sa.Boolean(create_constraint=True)),"
         " sa.Column('kind', sa.Enum('a', 'b', native_enum=False, create_constraint=True)),"
         " sa.Column('done', sa.Boolean(create_constraint=True)))"],
        ["op.alter_column('t', 'done', type_=sa.Boolean(create_constraint=True), nullable=False,"
         " existing_type=sa.Boolean(create_constraint=True))"],
        ["op.alter_column('t', 'flag', type_=sa.Enum('y', 'n', native_enum=False, create_constraint=True),"
         " existing_type=sa.Boolean(create_constraint=True))",
         "op.alter_column('t', 'kind', type_=sa.Enum('a', 'b', 'c', native_enum=False, create_constraint=True),"
         " existing_type=sa.Enum('a', 'b', native_enum=False, create_constraint=True))"],
    ])
    check_everything(tmp_path, url, database_factory, "mariadb")
