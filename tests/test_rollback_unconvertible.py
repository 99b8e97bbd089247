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
    # an enum takes exactly its labels: case and blanks count
    (sa.Enum("happy", "sad", "so so", name="mood"), ["happy", "so so"], ["Happy", " sad", "sad ", "meh", ""]),
]


#: as MariaDB/MySQL's strict mode converts strings
MARIADB_CASES: list[tuple[sa.types.TypeEngine, list[str], list[str]]] = [
    (sa.Integer(), ["1", " -2 ", "+3"], ["1.5", "", "x", "0x1A", "12a", "2147483648"]),
    (sa.Numeric(6, 2), ["12", " 1.5 ", ".5", "5.", "1e1"], ["", "abc", "1,5", "123456"]),
    # dates and times as MariaDB parses them: other delimiters, no delimiter, a time of day
    # dropped (a note, not a refusal), a zero date (sql_mode has no NO_ZERO_DATE) pass; an
    # impossible day, trailing text, too few digits do not
    (sa.Date(), ["2024-02-29", "2024/1/1", "20240101", " 2024-01-01", "2024-01-01 10:00:00", "0000-00-00"],
     ["2023-02-29", "2024-01-01x", "x", "", "1234567", "2024-01-01 25:00:00", "10:00"]),
    (sa.DateTime(), ["2024-01-01T10:00:00", "2024-01-01 10:00:00.1234567", "240101"],
     ["2024-13-01", "2024-01-01 10:00:00Z", "1.5"]),
    (sa.TIMESTAMP(), ["1970-01-01 00:00:01", "2038-01-19 03:14:07"],
     ["1970-01-01 00:00:00", "2038-01-19 03:14:08", "2106-01-01"]),
    (sa.Time(), ["10:00", "838:59:59", "-1", "1.5", "2024-01-01 10:00:00", "123045"],
     ["839:00:00", "abc10:00", "24-01-01", "1000-01-01", "  "]),
    # an enum's labels as the collation compares them (the test databases' utf8mb4_bin: case
    # counts), trailing blanks dropped
    (sa.Enum("happy", "sad", "so so", name="mood"), ["happy", "so so "], ["SAD", " sad", "meh", "", "so  so"]),
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
            if isinstance(target, sa.Enum):
                target.create(conn)
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


@pytest.mark.parametrize("dialect", ["mariadb"])
@pytest.mark.parametrize("old", ["BIGINT", "DECIMAL(20, 6)"])
def test_numbers_a_date_or_time_type_refuses_are_counted_as_mariadb_refuses_them(db_url: str, old: str) -> None:
    """A number column made a date, a datetime or a time again: MariaDB reads 20240101 and 1230
    (2000-12-30) as dates, 123045 as a time, and refuses 5 for a date, 20241301, or 839 hours."""
    cases: list[tuple[sa.types.TypeEngine, list[str], list[str]]] = [
        (sa.Date(), ["20240101", "240101", "99991231235959", "1230"], ["5", "20241301", "-1"]),
        (sa.DateTime(), ["20240101103000", "0", "123"], ["20240101250000"]),
        (sa.Time(), ["123045", "8385959", "5", "-1", "20240101"], ["8390000"]),
    ]
    engine = sa.create_engine(db_url)
    try:
        for n, (target, good, bad) in enumerate(cases):
            with engine.begin() as conn:
                conn.exec_driver_sql(f"CREATE TABLE t{n} (v {old})")
                conn.exec_driver_sql(f"INSERT INTO t{n} (v) VALUES ({'), ('.join([*good, *bad, 'NULL'])})")
                assert unconvertible(conn, f"t{n}", "v", sa.Numeric(20, 6) if "DEC" in old else sa.BigInteger(),
                                     target) == len(bad), (target, old)
                conn.exec_driver_sql(f"DELETE FROM t{n} WHERE v IN ({', '.join(bad)})")
                conn.exec_driver_sql(f"ALTER TABLE t{n} MODIFY v {target.compile(dialect=conn.dialect)}")
            for value in bad:  # each alone is refused by the type change
                with engine.begin() as conn:
                    conn.exec_driver_sql("CREATE TABLE one (v %s)" % old)
                    conn.exec_driver_sql(f"INSERT INTO one (v) VALUES ({value})")
                with engine.begin() as conn, pytest.raises(sa.exc.DBAPIError):
                    conn.exec_driver_sql(f"ALTER TABLE one MODIFY v {target.compile(dialect=conn.dialect)}")
                with engine.begin() as conn:
                    conn.exec_driver_sql("DROP TABLE one")
    finally:
        engine.dispose()


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_the_postgresql_count_leaves_no_setting_in_the_session(db_url: str) -> None:
    """The count runs in a savepoint it rolls back: the transaction goes on, and neither it nor the
    session keeps anything of the check (``rollback --sql`` reads only)."""
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (v VARCHAR(20))")
            conn.exec_driver_sql("INSERT INTO t (v) VALUES ('1'), ('x'), ('y')")
        with engine.connect() as conn:
            assert unconvertible(conn, "t", "v", sa.String(20), sa.Integer()) == 2
            assert conn.in_transaction() and not conn.in_nested_transaction()
            assert conn.exec_driver_sql("SELECT current_setting('schema_ledger.unconvertible', true)").scalar() \
                in (None, "")
            conn.commit()
            assert conn.exec_driver_sql("SELECT current_setting('schema_ledger.unconvertible', true)").scalar() \
                in (None, "")
    finally:
        engine.dispose()


def _retype(conn: sa.Connection, table: str, target: sa.types.TypeEngine) -> None:
    """The type change a rollback runs (on PostgreSQL with the cast it writes)."""
    type_sql = target.compile(dialect=conn.dialect)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"ALTER TABLE {table} ALTER COLUMN v TYPE {type_sql} USING v::{type_sql}")
    else:
        conn.exec_driver_sql(f"ALTER TABLE {table} MODIFY v {type_sql}")


#: a date column and an enum column widened to strings, then a later revision
DATE_AND_ENUM = {
    "0001": """
        op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), sa.Column("due", sa.Date),
                        sa.Column("kind", sa.Enum("small", "large", name="kind")))
    """,
    "0002": """
        op.alter_column("item", "due", type_=sa.String(40), existing_type=sa.Date)
    """,
    "0003": """
        op.alter_column("item", "kind", type_=sa.String(40), existing_type=sa.Enum("small", "large", name="kind"))
    """,
    "0004": WIDENED["0003"],
}


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_strings_that_are_no_date_or_no_label_of_the_enum_refuse_the_rollback(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url, revisions=DATE_AND_ENUM)
    apply(config)
    rows(config, "INSERT INTO item (id, due, kind) VALUES (1, '2024-01-01', 'small'), (2, '2024-02-30', 'large'), "
                 "(3, 'soon', 'large')")
    before = len(events(config))
    result = cli(config, "rollback", "--to", "0001", "--allow-data-loss")
    assert result.exit_code == 1, result.output
    line = one_error_line(result)
    assert "revision 0002" in line and "item.due" in line and "DATE" in line and "2 rows" in line, line
    assert len(events(config)) == before
    rows(config, "UPDATE item SET due = '2024-02-29' WHERE id IN (2, 3)")
    rows(config, "UPDATE item SET kind = 'medium' WHERE id = 3")
    result = cli(config, "rollback", "--to", "0001", "--allow-data-loss")
    assert result.exit_code == 1, result.output  # a value that is no label of the enum
    line = one_error_line(result)
    assert "revision 0003" in line and "item.kind" in line and "1 row " in line, line
    assert len(events(config)) == before
    rows(config, "UPDATE item SET kind = 'small' WHERE id = 3")
    result = cli(config, "rollback", "--to", "0001", "--allow-data-loss")
    assert result.exit_code == 0, result.output
    assert [(i, str(d), k) for i, d, k in rows(config, "SELECT id, due, kind FROM item ORDER BY id")] == [
        (1, "2024-01-01", "small"), (2, "2024-02-29", "large"), (3, "2024-02-29", "small")]
