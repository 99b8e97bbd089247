"""Identifiers with spaces, quotes, mixed case, percent signs and reserved words, on every database."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops import Operations, SchemaState
from tests.builders import assert_live_is, columns, index_names, inspect, migrate

def _lifecycle(names: list[str]) -> Any:
    table, first, second, index, unique, renamed, added, new_table = names

    def create(op: Operations) -> None:
        op.create_table(table, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column(first, sa.String(20)), sa.Column(second, sa.Integer))
        op.create_index(index, table, [first])
        op.create_unique_constraint(unique, table, [second])

    def change(op: Operations) -> None:
        op.alter_column(table, second, new_column_name=renamed, type_=sa.BigInteger, nullable=False)
        op.add_column(table, sa.Column(added, sa.String(30), server_default="it's 100%", comment="50% 'off'"))
        op.drop_constraint(unique, table, type_="unique")
        op.rename_table(table, new_table)

    return create, change


def _check(engine: sa.Engine, names: list[str]) -> None:
    table, first, second, index, unique, renamed, added, new_table = names
    assert new_table in inspect(engine).get_table_names()
    live = columns(engine, new_table)
    assert list(live) == ["id", first, renamed, added]
    assert live[renamed]["nullable"] is False
    assert index in index_names(engine, new_table)
    with engine.begin() as conn:
        target = sa.table(new_table, sa.column(first), sa.column(renamed), sa.column(added))
        conn.execute(sa.insert(target).values({first: "x", renamed: 1}))
        assert conn.execute(sa.select(target.c[added])).scalar() == "it's 100%"
        conn.execute(sa.delete(target))


def test_awkward_names(engine: sa.Engine) -> None:
    names = ["Order Lines", 'we"ird', "it's", "MixedCase ix", "select", "order", "from", "User"]
    create, change = _lifecycle(names)
    state, _ = migrate(engine, create)
    state, sql = migrate(engine, change, state)
    _check(engine, names)
    quote = engine.dialect.identifier_preparer.quote
    assert all(quote(n) != n for n in ("Order Lines", 'we"ird', "it's", "order", "from"))
    assert any(quote("Order Lines") in s for s in sql)
    migrate(engine, lambda op: op.drop_table("User"), state)
    assert inspect(engine).get_table_names() == []


# Left out where SQLAlchemy's reflection (not the DDL) cannot read a name back: SQLite's reads
# constraint names and columns out of CREATE TABLE without undoing doubled quotes (CONSTRAINT
# "pk_""" comes back as pk_""), and writes "$" names unquoted and reads them as \w+ only;
# MySQL's parser of SHOW CREATE TABLE loses a column whose name holds a backtick.
_LETTERS = {"sqlite": "abcXYZé '`%-_0", "postgresql": "abcXYZé \"'`%$-_0", "mysql": "abcXYZé \"'%$-_0"}
# MySQL refuses an index named PRIMARY, so reserved words here are ones every database allows.
RESERVED = ["select", "order", "user", "group", "table", "from", "Index", "KEY", "check"]


def _names(dialect: str) -> st.SearchStrategy[list[str]]:
    text = st.text(alphabet=_LETTERS[dialect], min_size=1, max_size=12).filter(
        lambda s: s.strip() == s and not s.lower().startswith("sqlite_") and not s.startswith("_sl_")
    )
    name = st.one_of(text, st.sampled_from(RESERVED))
    return st.lists(name, min_size=8, max_size=8, unique_by=lambda s: s.casefold())


# Each example is a dozen DDL round trips on a server: a quarter of the profile's examples.
@settings(max_examples=max(5, settings.default.max_examples // 4),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_any_names_are_quoted_right(engine: sa.Engine, data: st.DataObject) -> None:
    names = data.draw(_names(engine.dialect.name), label="names")
    create, change = _lifecycle(names)
    try:
        state, _ = migrate(engine, create)
        state, _ = migrate(engine, change, state)
        _check(engine, names)
    finally:
        with engine.begin() as conn:
            for name in inspect(engine).get_table_names():
                conn.execute(sa.schema.DropTable(sa.table(name)))  # type: ignore[arg-type]
    assert_live_is(engine, SchemaState())


@pytest.mark.parametrize("name", ["a%b", "100%", "%s", "%(x)s"])
def test_percent_in_names_survives_every_driver(engine: sa.Engine, name: str) -> None:
    state, _ = migrate(engine, lambda op: op.create_table(name, sa.Column(name, sa.Integer, primary_key=True)))
    migrate(engine, lambda op: op.create_index(f"ix {name}", name, [name]), state)
    assert list(columns(engine, name)) == [name]
