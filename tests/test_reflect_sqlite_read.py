"""SQLite's tables read in one query (ledger/dialects/sqlite_read.py) are what the inspector reads.

A batch rebuild's read-back and a drill's reflection of the tables a revision touched read them
at once; these tests compare that reading with SQLAlchemy's inspector (and the database's own
reads of keys) on random schemas and on tables made to be awkward, part by part and as specs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, reject, settings
from hypothesis import strategies as st

from ledger import dialects
from ledger.schema.reflect import PARTS, reflect
from tests.examples import examples


def _plain(value: Any) -> Any:
    """The inspector's answers with types and SQL fragments as text (they compare by identity)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, sa.types.TypeEngine):
        return (type(value).__name__, repr(value), str(value))
    if isinstance(value, sa.sql.ClauseElement):
        return (type(value).__name__, str(value))
    return value


def _inspected(conn: sa.Connection, schema: str | None, names: list[str]) -> Any:
    database = dialects.database("sqlite")
    inspector = sa.inspect(conn)
    kw = {"schema": schema, "filter_names": names}
    keys = database.reflect_keys(conn, inspector, schema, names, subset=True, kw=kw)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        return (inspector.get_multi_columns(**kw), inspector.get_multi_indexes(**kw),
                inspector.get_multi_check_constraints(**kw), keys)


def _assert_read_alike(conn: sa.Connection, schema: str | None, names: list[str]) -> None:
    """Each table alone and all together: what the one query gives equals what the inspector gives,
    and so do the specs ``reflect`` makes of them, whole and part by part."""
    database = dialects.database("sqlite")
    for group in [[name] for name in names] + [names]:
        read = database.read_tables(conn, sa.inspect(conn), schema, group)
        assert read is not None, group  # read at once (else this compares the inspector with itself)
        columns, indexes, checks, keys, comments = read
        assert comments == {}  # SQLite keeps no table comments
        want_columns, want_indexes, want_checks, want_keys = _inspected(conn, schema, group)
        assert _plain(columns) == _plain(want_columns)
        assert _plain(indexes) == _plain(want_indexes)
        assert _plain(checks) == _plain(want_checks)
        assert _plain((keys.primary_keys, keys.uniques, keys.foreign_keys, keys.deferrable, keys.index_sql)) == \
            _plain((want_keys.primary_keys, want_keys.uniques, want_keys.foreign_keys, want_keys.deferrable,
                    want_keys.index_sql))
        assert reflect(conn, schema=schema, only=group) == reflect(conn, schema=schema, only=group, fast=False)
    every = reflect(conn, schema=schema, only=names, fast=False)
    for key, table in every.tables.items():
        for parts in ({"columns"}, {"keys", "checks"}, {"indexes"}, set(PARTS)):
            held = {table.name: table}
            assert reflect(conn, schema=schema, held=held, parts=parts) == \
                reflect(conn, schema=schema, held=held, parts=parts, fast=False), (key, parts)


@pytest.fixture
def sqlite_engine(database_factory: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory,
                  ) -> Iterator[sa.Engine]:
    """A SQLite database with a second one attached as ``other`` (a schema, to SQLAlchemy)."""
    engine = sa.create_engine(database_factory("sqlite"))
    other = tmp_path_factory.mktemp("other") / "other.db"

    @sa.event.listens_for(engine, "connect")
    def _attach(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"ATTACH DATABASE '{other}' AS other")

    yield engine
    engine.dispose()


AWKWARD = [
    'CREATE TABLE "WHERE" ("cüΩ" INTEGER PRIMARY KEY, "k)""," INTEGER UNIQUE, n INTEGER DEFAULT (1 + 2))',
    'CREATE TABLE "from" ("f4hl12w2" INTEGER CONSTRAINT "in(line" REFERENCES "WHERE",'
    ' "a""b" INTEGER NOT NULL REFERENCES "WHERE" ("k)"","), gone INTEGER REFERENCES missing (id),'
    ' CONSTRAINT "p/j(G*" FOREIGN KEY ("f4hl12w2") REFERENCES "WHERE" ("cüΩ") ON DELETE RESTRICT,'
    ' CONSTRAINT "twin" FOREIGN KEY ("f4hl12w2") REFERENCES "WHERE" ("cüΩ")'
    ' ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED, CONSTRAINT ck_n CHECK ("a""b" > 0), CHECK (gone <> 3))',
    "CREATE TABLE gen (id INTEGER NOT NULL, a VARCHAR(20) DEFAULT 'x''y', b NUMERIC(10, 2),"
    " v INTEGER GENERATED ALWAYS AS (id * 2) VIRTUAL, s TEXT GENERATED ALWAYS AS (upper(a)) STORED,"
    " odd FLOOB(3), bare, CONSTRAINT pk_gen PRIMARY KEY (a, id), CONSTRAINT uq_b UNIQUE (b)) WITHOUT ROWID",
    "CREATE TABLE auto (id INTEGER PRIMARY KEY AUTOINCREMENT, p INTEGER REFERENCES auto, q TIMESTAMP NOT NULL"
    " DEFAULT CURRENT_TIMESTAMP, flag BOOLEAN CHECK (flag IN (0, 1)))",
    "CREATE INDEX ix_gen_expr ON gen (lower(a), b DESC)",
    "CREATE UNIQUE INDEX ix_gen_partial ON gen (b, a) WHERE b > 0",
    "CREATE INDEX ix_gen_mixed ON gen (a, id + 1)",
    'CREATE INDEX "ix ""q" ON auto (q)',
]


def test_awkward_tables_read_in_one_query_as_the_inspector_reads_them(sqlite_engine: sa.Engine) -> None:
    with sqlite_engine.begin() as conn:
        for statement in AWKWARD:
            conn.exec_driver_sql(statement)
        _assert_read_alike(conn, None, ["WHERE", "from", "gen", "auto"])


def test_a_table_not_there_or_shadowed_is_left_to_the_inspector(sqlite_engine: sa.Engine) -> None:
    database = dialects.database("sqlite")
    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        assert database.read_tables(conn, sa.inspect(conn), None, ["t"]) is not None
        assert database.read_tables(conn, sa.inspect(conn), None, ["T"]) is None  # not its exact name
        assert database.read_tables(conn, sa.inspect(conn), None, ["nope"]) is None
        assert dict(reflect(conn, only=["nope"]).tables) == {}
        conn.exec_driver_sql("CREATE TEMPORARY TABLE t (x TEXT)")
        assert database.read_tables(conn, sa.inspect(conn), None, ["t"]) is None
        assert reflect(conn, only=["t"]) == reflect(conn, only=["t"], fast=False)


def _strategies() -> Any:
    from tests import strategies

    return strategies


@settings(max_examples=examples(10), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_random_tables_read_in_one_query_as_the_inspector_reads_them(
        data: st.DataObject, database_factory: Callable[[str], str], tmp_path: Path) -> None:
    state = data.draw(_strategies().schema_states(portable=True, min_tables=1, max_tables=4), label="state")
    engine = sa.create_engine(database_factory("sqlite"))
    other = tmp_path / f"other_{len(list(tmp_path.iterdir()))}.db"

    @sa.event.listens_for(engine, "connect")
    def _attach(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"ATTACH DATABASE '{other}' AS other")

    try:
        try:
            with engine.begin() as conn:
                state.to_metadata().create_all(conn)
        except (sa.exc.DBAPIError, sa.exc.CompileError) as exc:
            event(f"SQLite refused the state: {type(exc).__name__}")
            reject()
        with engine.begin() as conn:
            for schema in sorted({s for s, _ in state.tables}, key=lambda s: s or ""):
                _assert_read_alike(conn, schema, sorted(n for s, n in state.tables if s == schema))
    finally:
        engine.dispose()
