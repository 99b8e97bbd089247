"""A rollback whose reverse changes a column's type back, over rows holding values that type
cannot take (strings that are no number, a string too long for the old length).

The reverse would fail half way through the run, after later revisions were rolled back
already; the values are counted in the live database before anything runs, and the rollback is
refused naming the revision, the column, the type and the count, with nothing run or recorded.
Values that convert roll back as they always did.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from ledger.dialects.convertible import unconvertible
from ledger.run.apply import apply
from tests.builders import cli, events, one_error_line, project, rows

#: a number column widened to a string (as mindsdb's revision does), then a later revision
WIDENED = {
    "0001": """
        op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.Integer))
    """,
    "0002": """
        op.alter_column("item", "code", type_=sa.String(40), existing_type=sa.Integer)
    """,
    "0003": """
        op.add_column("item", sa.Column("note", sa.String(10)))
    """,
}

#: a string lengthened, then a later revision
LENGTHENED = {
    "0001": """
        op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String(5)))
    """,
    "0002": """
        op.alter_column("item", "code", type_=sa.String(40), existing_type=sa.String(5))
    """,
    "0003": WIDENED["0003"],
}


def test_strings_the_old_number_type_cannot_take_refuse_the_rollback_before_anything_runs(
    tmp_path: Path, db_url: str, dialect: str
) -> None:
    config = project(tmp_path, db_url, revisions=WIDENED)
    apply(config)
    rows(config, "INSERT INTO item (id, code) VALUES (1, '7'), (2, '6f1c2a9e-0c1d-4d1e-9a4b-2b8f1f7d9c10'), "
                 "(3, 'a8e3b1f2-7d4c-4e9a-8b1c-3d2e1f0a9b87'), (4, '99999999999'), (5, NULL)")
    before = len(events(config))
    result = cli(config, "rollback", "--to", "0001", "--allow-data-loss")
    if dialect == "sqlite":  # SQLite keeps every value as it is: nothing to count, nothing refused
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1, result.output
    line = one_error_line(result)
    # two UUIDs that are no number, and one number out of INTEGER's range
    assert "revision 0002" in line and "item.code" in line and "INTEGER" in line and "3 rows" in line, line
    assert "cannot convert" in line, line
    assert len(events(config)) == before  # nothing was run or recorded: 0003 is not rolled back
    assert rows(config, "SELECT note FROM item WHERE id = 1") == [(None,)]

    # values that convert roll back
    rows(config, "UPDATE item SET code = ' 12' WHERE id = 2")
    rows(config, "DELETE FROM item WHERE id IN (3, 4)")
    result = cli(config, "rollback", "--to", "0001", "--allow-data-loss")
    assert result.exit_code == 0, result.output
    assert rows(config, "SELECT id, code FROM item ORDER BY id") == [(1, 7), (2, 12), (5, None)]


def test_strings_longer_than_the_old_length_refuse_the_rollback_before_anything_runs(
    tmp_path: Path, db_url: str
) -> None:
    config = project(tmp_path, db_url, revisions=LENGTHENED)
    apply(config)
    rows(config, "INSERT INTO item (id, code) VALUES (1, 'short'), (2, 'much too long for five')")
    before = len(events(config))
    result = cli(config, "rollback", "--to", "0001", "--allow-data-loss")
    assert result.exit_code == 1, result.output
    line = one_error_line(result)
    assert "revision 0002" in line and "item.code" in line and "VARCHAR(5)" in line and "1 row " in line, line
    assert len(events(config)) == before
    rows(config, "UPDATE item SET code = 'long' WHERE id = 2")
    result = cli(config, "rollback", "--to", "0001", "--allow-data-loss")
    assert result.exit_code == 0, result.output
    assert rows(config, "SELECT code FROM item ORDER BY id") == [("short",), ("long",)]


#: (target type, values that convert, values that do not), as PostgreSQL casts strings
POSTGRESQL_CASES: list[tuple[sa.types.TypeEngine, list[str], list[str]]] = [
    (sa.Integer(), ["1", " -2 ", "+3"], ["1.5", "", "x", "2147483648"]),
    (sa.SmallInteger(), ["32767"], ["32768"]),
    (sa.Numeric(4, 2), ["12.34", "1e1", "-0.5"], ["123.4", "1,5", "NaNx"]),
    (sa.Boolean(), ["t", "YES", " off ", "0"], ["maybe", "o", "2"]),
    (sa.Date(), ["2024-02-29", "2024-01-01"], ["2023-02-29", "tomorrowish", "2024-13-01"]),
    (sa.Uuid(), ["6f1c2a9e-0c1d-4d1e-9a4b-2b8f1f7d9c10", "{6F1C2A9E0C1D4D1E9A4B2B8F1F7D9C10}"],
     ["6f1c2a9e", "6f1c2a9e-0c1d-4d1e-9a4b-2b8f1f7d9c1g"]),
]


#: as MariaDB/MySQL's strict mode converts strings
MARIADB_CASES: list[tuple[sa.types.TypeEngine, list[str], list[str]]] = [
    (sa.Integer(), ["1", " -2 ", "+3"], ["1.5", "", "x", "0x1A", "12a", "2147483648"]),
    (sa.Numeric(6, 2), ["12", " 1.5 ", ".5", "5.", "1e1"], ["", "abc", "1,5", "123456"]),
]


@pytest.mark.parametrize(("dialect", "target", "good", "bad"),
                         [("postgresql", *case) for case in POSTGRESQL_CASES]
                         + [("mariadb", *case) for case in MARIADB_CASES], ids=lambda v: str(v)[:20])
def test_the_strings_the_database_refuses_to_convert_are_counted_exactly(
    db_url: str, target: sa.types.TypeEngine, good: list[str], bad: list[str]
) -> None:
    """PostgreSQL: by its cast; MariaDB: what strict mode refuses. Each bad value, alone, fails the
    type change; the good ones pass it."""
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v VARCHAR(60))")
            values = [*good, *bad]
            conn.execute(sa.text("INSERT INTO t (id, v) VALUES (:id, :v)"),
                         [{"id": i, "v": v} for i, v in enumerate([*values, None])])
            quote: Callable[[str], str] = conn.dialect.identifier_preparer.quote
            assert unconvertible(conn, quote("t"), quote("v"), sa.String(60), target) == len(bad)
            # the check's transaction goes on: the type change itself, after the bad values go
            conn.execute(sa.text("DELETE FROM t WHERE v IN :bad").bindparams(sa.bindparam("bad", expanding=True)),
                         {"bad": bad})
            _retype(conn, "t", target)
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM t").scalar() == len(good) + 1
        for i, value in enumerate(bad):
            with engine.connect() as conn:
                conn.exec_driver_sql(f"CREATE TABLE bad{i} (v VARCHAR(60))")
                conn.execute(sa.text(f"INSERT INTO bad{i} (v) VALUES (:v)"), {"v": value})
                conn.commit()
                with pytest.raises(sa.exc.DBAPIError):
                    _retype(conn, f"bad{i}", target)
    finally:
        engine.dispose()


def _retype(conn: sa.Connection, table: str, target: sa.types.TypeEngine) -> None:
    """The type change a rollback runs (on PostgreSQL with the cast it writes)."""
    type_sql = target.compile(dialect=conn.dialect)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ALTER TABLE {table} ALTER COLUMN v TYPE {type_sql} USING v::{type_sql}")
    else:
        conn.exec_driver_sql(f"ALTER TABLE {table} MODIFY v {type_sql}")
