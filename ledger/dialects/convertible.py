"""Values of a string column that a type change to a non-string type cannot convert.

A rollback's ``alter_column`` that turns a string column back into a number, a boolean, a date
or a UUID fails on PostgreSQL (the cast ``USING col::type`` refuses the value) and on MariaDB and
MySQL in strict mode (``Truncated incorrect INTEGER value``, ``Out of range value``) at the first
row that does not convert, half way through the run. :func:`unconvertible` counts those rows
before anything runs:

- PostgreSQL: exactly, by the cast the type change runs. One ``DO`` block casts the whole column
  in a block that catches a ``data_exception`` (class 22: invalid text, out of range, a bad date);
  only when that fails is every value cast on its own, each in its own block, and the ones that
  fail are counted. The count is handed back through a session setting: nothing is written, and
  the check's transaction is not aborted.
- MariaDB/MySQL: what strict mode refuses for integer, boolean (``TINYINT``) and decimal targets
  (measured on MariaDB 10.11): anything but optional blanks, a sign, digits (and for a decimal, a
  point and an exponent), or a value out of the type's range. Other targets (dates, times) are
  not counted: there the database says.
- SQLite converts or keeps every value: nothing is counted.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = ["unconvertible"]

#: the targets PostgreSQL's count casts to (built-in types whose input function judges a string)
_PG_TARGETS = (sa.Integer, sa.Numeric, sa.Boolean, sa.Date, sa.DateTime, sa.Time, sa.Interval, sa.Uuid)
_SETTING = "schema_ledger.unconvertible"
_RANGES = {"small": 2**15, "int": 2**31, "big": 2**63, "tiny": 2**7}


def _is_string(type_: Any) -> bool:
    return isinstance(type_, sa.String) and not isinstance(type_, sa.Enum)


def unconvertible(conn: sa.Connection, table: str, column: str, old: Any, new: Any) -> int | None:
    """How many rows of ``table`` (quoted SQL) hold a value of ``column`` (quoted) that changing
    its type from ``old`` to ``new`` (SQLAlchemy types) cannot convert; None when nothing is counted
    (not a change from a string to another type, or one this database converts as it can)."""
    if not _is_string(old) or isinstance(new, (sa.String, sa.Enum)):
        return None
    name = conn.dialect.name
    if name == "postgresql":
        if not isinstance(new, _PG_TARGETS) or isinstance(new, sa.Enum):
            return None
        return _postgresql(conn, table, column, str(new.compile(dialect=conn.dialect)))
    if name in ("mysql", "mariadb"):
        condition = _mysql_condition(column, new)
        if condition is None:
            return None
        return int(conn.exec_driver_sql(
            f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL AND ({condition})").scalar() or 0)
    return None


def _postgresql(conn: sa.Connection, table: str, column: str, type_sql: str) -> int:
    # the column is read through an alias, and the block's own names are its own: no column
    # name can be taken for them
    value = f"sl_row.{column}"
    conn.exec_driver_sql(
        "DO $sl$ DECLARE sl_count bigint := 0; sl_value text; BEGIN "
        f"BEGIN PERFORM count(CAST({value} AS {type_sql})) FROM {table} AS sl_row; "
        "EXCEPTION WHEN data_exception THEN "
        f"FOR sl_value IN SELECT {value}::text FROM {table} AS sl_row WHERE {value} IS NOT NULL LOOP "
        f"BEGIN PERFORM CAST(sl_value AS {type_sql}); "
        "EXCEPTION WHEN data_exception THEN sl_count := sl_count + 1; END; "
        "END LOOP; END; "
        f"PERFORM set_config('{_SETTING}', sl_count::text, false); END $sl$")
    return int(conn.exec_driver_sql(f"SELECT current_setting('{_SETTING}')").scalar() or 0)


def _mysql_condition(column: str, new: Any) -> str | None:
    """SQL true for a value that MariaDB/MySQL's strict mode refuses to convert to ``new``."""
    blank = "[[:space:]]*"
    if isinstance(new, (sa.Integer, sa.Boolean)):
        size = "tiny" if isinstance(new, sa.Boolean) else "small" if isinstance(new, sa.SmallInteger) \
            else "big" if isinstance(new, sa.BigInteger) else "int"
        bound = _RANGES[size]
        return (f"NOT {column} REGEXP '^{blank}[+-]?[0-9]+{blank}$' OR "
                f"CAST(TRIM({column}) AS DECIMAL(65, 0)) NOT BETWEEN {-bound} AND {bound - 1}")
    if isinstance(new, sa.Numeric) and not isinstance(new, sa.Float):
        shape = f"NOT {column} REGEXP '^{blank}[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?{blank}$'"
        if new.precision is None:
            return shape
        scale = new.scale or 0
        return (f"{shape} OR ABS(ROUND(CAST(TRIM({column}) AS DOUBLE), {scale})) "
                f">= 1{'0' * (new.precision - scale)}")
    return None
