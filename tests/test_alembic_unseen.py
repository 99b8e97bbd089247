"""The ledger's table, left out of the tables a dialect lists while a recorder hides it (integrations/alembic/unseen.py).

What a migration that reflects every table then makes, with the hook and with import-alembic, is
checked end to end in test_alembic_daily.py and test_alembic_import.py (``COPIES_EVERY_TABLE``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine.reflection import ObjectKind, ObjectScope

from ledger.integrations.alembic.unseen import hide, show


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    made = sa.create_engine(db_url)
    with made.begin() as conn:
        for name in ("schema_ledger", "shop", "schema_ledger_import"):
            conn.execute(sa.text(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY)"))
    yield made
    made.dispose()


def _listed(engine: sa.Engine, schema: str | None = None) -> list[str]:
    with engine.connect() as conn:
        return sorted(sa.inspect(conn).get_table_names(schema=schema))


def test_a_hidden_table_is_not_listed_nor_reflected_until_shown_again(engine: sa.Engine) -> None:
    every = ["schema_ledger", "schema_ledger_import", "shop"]
    assert _listed(engine) == every
    hide(engine.dialect, None, "schema_ledger")
    hide(engine.dialect, None, "schema_ledger")  # a second recorder on the engine
    assert _listed(engine) == ["schema_ledger_import", "shop"]
    assert _listed(engine, engine.dialect.default_schema_name) == ["schema_ledger_import", "shop"]
    meta = sa.MetaData()
    with engine.connect() as conn:
        meta.reflect(bind=conn)
        assert sorted(meta.tables) == ["schema_ledger_import", "shop"]
        assert sa.inspect(conn).has_table("schema_ledger")  # named, it is found
        named = sa.Table("schema_ledger", sa.MetaData(), autoload_with=conn)
        assert [c.name for c in named.columns] == ["id"]
    show(engine.dialect, None, "schema_ledger")
    assert _listed(engine) == ["schema_ledger_import", "shop"]  # the other recorder still hides it
    show(engine.dialect, None, "schema_ledger")
    assert _listed(engine) == every
    assert "get_table_names" not in vars(engine.dialect)  # the dialect's own method again


def test_a_table_hidden_in_another_schema_leaves_the_default_schema_s_listed(engine: sa.Engine) -> None:
    hide(engine.dialect, "elsewhere", "schema_ledger")
    try:
        assert _listed(engine) == ["schema_ledger", "schema_ledger_import", "shop"]
    finally:
        show(engine.dialect, "elsewhere", "schema_ledger")


#: what ``Inspector.get_multi_<key>`` reads of every table of a schema (MetaData.reflect and
#: Alembic's autogenerate read them so, once PostgreSQL reads the catalog without a list of names)
MULTI = ("columns", "pk_constraint", "foreign_keys", "indexes", "unique_constraints", "check_constraints",
         "table_comment", "table_options")


def _multi(engine: sa.Engine, key: str, **kw: object) -> list[str]:
    with engine.connect() as conn:
        try:
            read = getattr(sa.inspect(conn), f"get_multi_{key}")(**kw)
        except NotImplementedError:  # a dialect without comments reads none
            return []
        return sorted(name for (_, name) in read)


def test_a_hidden_table_is_left_out_of_multi_table_reads_as_of_the_listing_unless_named_as_any_kind(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for name in ("schema_ledger", "shop", "schema_ledger_import"):
            conn.execute(sa.text(f"CREATE INDEX ix_{name}_id ON {name} (id)"))
    read = {key: _multi(engine, key) for key in MULTI}
    assert all(names in ([], ["schema_ledger", "schema_ledger_import", "shop"]) for names in read.values()), read
    hide(engine.dialect, None, "schema_ledger")
    hide(engine.dialect, None, "schema_ledger_import")
    try:
        for key in MULTI:
            assert _multi(engine, key) == (["shop"] if read[key] else []), key
            assert _multi(engine, key, schema=engine.dialect.default_schema_name) == (
                ["shop"] if read[key] else []), key
            named = ["schema_ledger", "shop"]  # tables of a kind, among the names listed (as SQLAlchemy's default)
            assert _multi(engine, key, filter_names=named) == (["shop"] if read[key] else []), key
            anything = {"kind": ObjectKind.ANY, "scope": ObjectScope.ANY}  # the names as given (Table autoload)
            assert _multi(engine, key, filter_names=named, **anything) == (named if read[key] else []), key
    finally:
        show(engine.dialect, None, "schema_ledger")
        show(engine.dialect, None, "schema_ledger_import")
    assert {key: _multi(engine, key) for key in MULTI} == read
    assert not {name for name in vars(engine.dialect) if name.startswith("get_")}  # the dialect's own methods again


def test_a_table_shown_again_is_listed_while_another_stays_hidden(engine: sa.Engine) -> None:
    hide(engine.dialect, None, "schema_ledger")
    hide(engine.dialect, None, "schema_ledger_import")  # import-alembic's scratch ledger, on the same engine
    try:
        show(engine.dialect, None, "schema_ledger_import")
        assert _listed(engine) == ["schema_ledger_import", "shop"]
        assert _multi(engine, "columns") == ["schema_ledger_import", "shop"]
    finally:
        show(engine.dialect, None, "schema_ledger")
