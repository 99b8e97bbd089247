"""The CHECKs column types make, matched against those a table holds: each name as the database
stores it is worked out once, not once per pair of CHECKs tried."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
import sqlalchemy as sa

import ops
from ledger.dialects.database import Database
from ledger.schema.comparison import without_type_checks
from ledger.schema.implied import implied_checks, without_constraint
from ops import CheckSpec, CreateTableOp
from ops.state import SchemaState


def test_the_stored_names_of_the_checks_types_make_are_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    width = 12

    def upgrade(op: ops.Operations) -> None:
        op.create_table("flags", sa.Column("id", sa.Integer, primary_key=True),
                        *(sa.Column(f"f{i}", sa.Enum("a", "b", name=f"kind{i}", native_enum=False,
                                                     create_constraint=True)) for i in range(width)))

    (create,) = ops.record(upgrade)
    assert isinstance(create, CreateTableOp)
    expected = create.table
    implied = implied_checks(expected, "postgresql")
    assert len(implied) == width
    # the types' CHECKs under other names (a naming convention's): not the types', compared as declared
    # ones in both passes of the match
    live = attrs.evolve(expected, checks=tuple(CheckSpec(f"ck_flags_{column}", text)
                                               for _, text, column in reversed(implied)))
    calls: list[str] = []
    stored = Database.stored_name

    def counted(self: Database, name: str) -> str:
        calls.append(name)
        return stored(self, name)

    monkeypatch.setattr(Database, "stored_name", counted)
    kept = without_type_checks(SchemaState({expected.key: live}), SchemaState({expected.key: expected}), "postgresql")
    assert kept.tables[expected.key].checks == live.checks
    # one for each live CHECK and two for each the types make (its own name, the one given)
    assert len(calls) <= 3 * width, len(calls)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_a_type_without_its_constraint_makes_no_check_in_the_database(
    dialect: str, database_factory: Callable[[str], str]
) -> None:
    """``without_constraint``: a ``Boolean``/non-native ``Enum`` typed so implies no CHECK, and the
    table made from it holds none, where the type with ``create_constraint`` makes one per column."""
    def upgrade(op: ops.Operations) -> None:
        op.create_table("flags", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("on", sa.Boolean(create_constraint=True, name="ck_on")),
                        sa.Column("kind", sa.Enum("a", "b", name="kind", native_enum=False, create_constraint=True)))

    (create,) = ops.record(upgrade)
    assert isinstance(create, CreateTableOp)
    table = create.table
    plain = attrs.evolve(table, columns=tuple(attrs.evolve(c, type=without_constraint(c.type)) for c in table.columns))
    implied = implied_checks(table, dialect)  # (PostgreSQL's Boolean is native: the Enum's alone)
    assert len(implied) == (1 if dialect == "postgresql" else 2) and implied_checks(plain, dialect) == []
    held = []
    for spec in (table, plain):  # each in a database of its own: the same table, its CHECKs as made
        engine = sa.create_engine(database_factory(dialect))
        try:
            with engine.begin() as conn:
                spec.to_table(sa.MetaData()).create(conn)
                held.append(len(sa.inspect(conn).get_check_constraints("flags")))
        finally:
            engine.dispose()
    assert held == [len(implied), 0]
