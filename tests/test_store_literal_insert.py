"""The events' INSERT in a WITH with its values written as literals (``LedgerStore.insert_reading``
on PostgreSQL through psycopg and psycopg2): the rows stored are the events as made, whatever their
text holds, and no parameter is bound; where the server would not read a literal exactly
(``standard_conforming_strings`` off), the values are bound as parameters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.format.events import Actor, Event
from ledger.storage.store import LedgerStore
from tests.examples import examples

#: texts a literal must carry exactly: quotes, a backslash (an escape where strings do not conform),
#: a % (a placeholder to a driver that interpolates), line ends, text beyond ASCII
AWKWARD = ["it's", "a\\b", "100% of %(x)s and %s", "two\nlines\r\n", "naïve – 日本", "'; DROP TABLE t; --", ""]
TEXT = st.one_of(st.sampled_from(AWKWARD), st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))


@pytest.fixture(params=["psycopg", "psycopg2"])
def pg(request: pytest.FixtureRequest, database_factory: Callable[[str], str]) -> Iterator[sa.Engine]:
    url = sa.make_url(database_factory("postgresql")).set(drivername=f"postgresql+{request.param}")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.exec_driver_sql("INSERT INTO alembic_version VALUES ('abc')")
        LedgerStore().create(conn)
    yield engine
    engine.dispose()


def _events(messages: list[str]) -> list[Event]:
    actor = Actor("os'user", "db\\user", "host%", "0.1.0", by=None)
    head: Event | None = None
    events = []
    for number, message in enumerate(messages):
        head = Event.following(head, kind="apply", op=None, revision=f"r{number}'", message=message, actor=actor)
        events.append(head)
    return events


def _inserted(conn: sa.Connection, store: LedgerStore, events: list[Event]) -> tuple[list[Any], list[Any]]:
    """What ``insert_reading`` returned, and the parameters of each statement the driver got."""
    seen: list[Any] = []

    def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if "INSERT INTO" in statement:
            seen.append(parameters)

    sa.event.listen(conn, "before_cursor_execute", before)
    try:
        query = sa.select(sa.table("alembic_version", sa.column("version_num")).c.version_num)
        rows = store.insert_reading(conn, events, query)
    finally:
        sa.event.remove(conn, "before_cursor_execute", before)
    assert rows is not None
    return [tuple(row) for row in rows], seen


@settings(max_examples=examples(15), suppress_health_check=[HealthCheck.function_scoped_fixture])  # each rolls back
@given(messages=st.lists(TEXT, min_size=1, max_size=5))
def test_events_written_as_literals_are_stored_as_made(pg: sa.Engine, messages: list[str]) -> None:
    store = LedgerStore()
    with pg.connect() as conn:
        events = _events(messages)
        rows, parameters = _inserted(conn, store, events)
        assert rows == [("abc",)]  # the query's rows, read as the tables were before the INSERT
        assert parameters == [()] or parameters == [None] or parameters == [{}], parameters  # nothing bound
        assert list(store.events(conn)) == events
        conn.rollback()


def test_without_conforming_strings_the_values_are_bound(pg: sa.Engine) -> None:
    """With ``standard_conforming_strings`` off a backslash in a literal is an escape: the values go
    as parameters, and the backslash is stored as given."""
    store = LedgerStore()
    with pg.connect() as conn:
        conn.exec_driver_sql("SET standard_conforming_strings = off")
        events = _events(["a\\nb", "c\\\\d"])
        rows, parameters = _inserted(conn, store, events)
        assert rows == [("abc",)]
        assert parameters and all(parameters), parameters  # bound
        assert list(store.events(conn)) == events
        conn.rollback()
