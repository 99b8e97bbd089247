"""The SQL text of the events' INSERT in a WITH (``LedgerStore.insert_reading``): each row written out
from one compiled row is the text SQLAlchemy compiles for the whole statement, on every driver."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql

from ledger.storage.store import LedgerStore
from tests.examples import examples

DIALECTS = {
    "psycopg2": postgresql.psycopg2.dialect,
    "psycopg": postgresql.psycopg.dialect,
    "asyncpg": postgresql.asyncpg.dialect,
    "pg8000": postgresql.pg8000.dialect,
}


class _Conn:
    """What the text needs of a connection: its dialect (no database is reached)."""

    def __init__(self, dialect: sa.Dialect) -> None:
        self.dialect = dialect


def _compiled_whole(store: LedgerStore, dialect: sa.Dialect, query: sa.Select, count: int) -> tuple[str, tuple[str, ...]]:
    rows = [{c.name: sa.bindparam(f"{c.name}_{n}", type_=c.type) for c in store.table.c} for n in range(count)]
    done = query.add_cte(store.table.insert().values(rows).cte("sl_written")).compile(dialect=dialect)
    return str(done), tuple(done.positiontup or ())


@pytest.mark.parametrize("driver", sorted(DIALECTS))
@settings(max_examples=examples(15), deadline=None)
@given(counts=st.lists(st.integers(1, 40), min_size=1, max_size=4), schema=st.sampled_from([None, "app"]))
def test_insert_reading_text_is_the_compiled_statement(driver: str, counts: list[int], schema: str | None) -> None:
    store = LedgerStore(schema=schema) if schema else LedgerStore()
    dialect = DIALECTS[driver]()
    query = sa.select(sa.table("alembic_version", sa.column("version_num"), schema=schema).c.version_num)
    for count in counts:  # in any order: the one-row text is kept between sizes
        assert store._insert_reading_sql(_Conn(dialect), query, count) == _compiled_whole(store, dialect, query, count)


@pytest.mark.parametrize("driver", sorted(DIALECTS))
def test_insert_reading_text_with_a_query_binding_values_is_the_compiled_statement(driver: str) -> None:
    # the query's own values follow the rows' ($n on asyncpg): the rows are not numbered on alone
    store = LedgerStore()
    dialect = DIALECTS[driver]()
    version = sa.table("alembic_version", sa.column("version_num"))
    query = sa.select(version.c.version_num).where(version.c.version_num.in_(["a", "b"]))
    for count in (3, 1, 7):
        assert store._insert_reading_sql(_Conn(dialect), query, count) == _compiled_whole(store, dialect, query, count)
