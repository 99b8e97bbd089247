"""Values of a column that a type change to another kind of type cannot convert.

A rollback's ``alter_column`` that turns a string column back into a number, a boolean, a date,
an enum or a UUID fails on PostgreSQL (the cast ``USING col::type`` refuses the value) and on
MariaDB and MySQL in strict mode (``Truncated incorrect INTEGER value``, ``Incorrect date
value``) at the first row that does not convert, half way through the run. :func:`unconvertible`
counts those rows before anything runs, reading only:

- PostgreSQL: exactly, by the cast the type change runs. One ``DO`` block casts the whole column
  in a block that catches a ``data_exception`` (class 22: invalid text, out of range, a bad date);
  only when that fails is every value cast on its own, each in its own block, and the ones that
  fail are counted. The count is handed back through a transaction-local setting, and the check
  runs in a savepoint that is rolled back: nothing is written, nothing of the session changes,
  and the check's transaction is not aborted. An enum target takes exactly its labels (case and
  blanks count): the values that are none of them are counted, with no cast (the type may not
  exist yet when the count runs).
- MariaDB/MySQL: integer, boolean (``TINYINT``) and decimal targets by what strict mode refuses
  (measured on MariaDB 10.11): anything but optional blanks, a sign, digits (and for a decimal, a
  point and an exponent), or a value out of the type's range. Date and time targets (``DATE``,
  ``DATETIME``, ``TIMESTAMP``, ``TIME``), from strings, integers or decimals, and ``ENUM``
  targets (labels match as the column's collation compares), by the database itself: an anonymous block assigns each value to a variable of the target type, in strict
  mode, and counts the assignments it refuses (notes, such as a time of day dropped for a
  date, are not refusals: the type change passes them too). A ``FLOAT``/``DOUBLE`` column
  converts by other rules, and MySQL has no anonymous block: there the database says.
- SQLite converts or keeps every value: nothing is counted.

:func:`removed_labels` and :func:`held_labels` count what a PostgreSQL enum type made again without
some of its values (the reverse of ``ADD VALUE``) refuses: the rows holding each removed value.

:func:`labels_refused` and :func:`outside_labels` count the same for an enum that belongs to one
column: MariaDB/MySQL's ``ENUM`` column (``MODIFY`` in strict mode refuses a value none of its
labels, ``Data truncated``; without strict mode it would keep ``''`` in its place), and the
``CHECK`` a non-native ``Enum`` with ``create_constraint`` makes (SQLite copies the rows into the
table made again, PostgreSQL and MariaDB check them when the constraint is added): the rows
holding each value outside the new labels, as the column's collation compares them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

__all__ = ["held_labels", "holds_value", "labels_refused", "live_types", "outside_labels", "removed_labels",
           "unconvertible"]

#: the targets PostgreSQL's count casts to (built-in types whose input function judges a string)
_PG_TARGETS = (sa.Integer, sa.Numeric, sa.Boolean, sa.Date, sa.DateTime, sa.Time, sa.Interval, sa.Uuid)
#: the targets MariaDB's count assigns to: dates, times and enums
_MYSQL_ASSIGNED = (sa.Date, sa.DateTime, sa.Time, sa.Enum)
_SETTING = "schema_ledger.unconvertible"
_RANGES = {"small": 2**15, "int": 2**31, "big": 2**63, "tiny": 2**7}


def _is_string(type_: Any) -> bool:
    return isinstance(type_, sa.String) and not isinstance(type_, sa.Enum)


def _is_exact_number(type_: Any) -> bool:
    return isinstance(type_, (sa.Integer, sa.Numeric)) and not isinstance(type_, (sa.Float, sa.Boolean))


def unconvertible(conn: sa.Connection, table: str, column: str, old: Any, new: Any) -> int | None:
    """How many rows of ``table`` (quoted SQL) hold a value of ``column`` (quoted) that changing
    its type from ``old`` to ``new`` (SQLAlchemy types) cannot convert; None when nothing is counted
    (not a change this module judges, or one this database converts as it can)."""
    name = conn.dialect.name
    if name == "postgresql":
        if not _is_string(old):
            return None
        if isinstance(new, sa.Enum):
            return _postgresql_labels(conn, table, column, new) if new.native_enum else None
        if not isinstance(new, _PG_TARGETS) or isinstance(new, sa.String):
            return None
        return _postgresql(conn, table, column, str(new.compile(dialect=conn.dialect)))
    if name in ("mysql", "mariadb"):
        if isinstance(new, _MYSQL_ASSIGNED):
            # the anonymous block and SET STATEMENT are MariaDB's: on MySQL the database says
            takes = _is_string(old) if isinstance(new, sa.Enum) else _is_string(old) or _is_exact_number(old)
            if not getattr(conn.dialect, "is_mariadb", False) or not takes \
                    or (isinstance(new, sa.Enum) and not new.native_enum):
                return None
            return _mysql_assigned(conn, table, column, str(new.compile(dialect=conn.dialect)))
        condition = _mysql_condition(column, new) if _is_string(old) else None
        if condition is None:
            return None
        return int(conn.exec_driver_sql(
            f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL AND ({condition})").scalar() or 0)
    return None


def removed_labels(conn: sa.Connection, old: Any, new: Any) -> list[str]:
    """The labels of the named enum type ``old`` that ``new`` (the same type made again) lacks, on
    PostgreSQL, where the type is made again and every column of it converted through text, which
    refuses a row holding one of them; none elsewhere (MariaDB: the database says)."""
    if conn.dialect.name != "postgresql" or not (isinstance(old, sa.Enum) and isinstance(new, sa.Enum)) \
            or not (old.native_enum and new.native_enum) or old.name != new.name or old.schema != new.schema:
        return []
    kept = set(new.enums)
    return [label for label in old.enums if label not in kept]


def labels_refused(conn: sa.Connection, old: Any, new: Any) -> bool:
    """Whether a column's enum type ``old`` made ``new`` (SQLAlchemy types) refuses the rows whose
    value is none of ``new``'s labels, by the column's own type or CHECK (not a PostgreSQL named
    type: :func:`removed_labels`): MariaDB/MySQL's native ``ENUM``, and anywhere the CHECK of a
    non-native ``Enum`` with ``create_constraint``."""
    if not (isinstance(old, sa.Enum) and isinstance(new, sa.Enum)):
        return False
    native = new.native_enum and conn.dialect.supports_native_enum
    if native:
        return conn.dialect.name in ("mysql", "mariadb")
    return bool(new.create_constraint)


def outside_labels(conn: sa.Connection, table: str, column: str, labels: list[str]) -> dict[str, int]:
    """How many rows of ``table`` (quoted SQL) hold each value of ``column`` (quoted) that is none
    of ``labels`` (compared as the column's collation compares them, as its type or CHECK does);
    only the values some row holds."""
    query = f"SELECT {column}, COUNT(*) FROM {table} WHERE {column} IS NOT NULL"
    if labels:
        query += f" AND {column} NOT IN :labels"
    statement = sa.text(query + f" GROUP BY {column}")
    if labels:
        statement = statement.bindparams(sa.bindparam("labels", expanding=True))
    return {str(value): int(n) for value, n in conn.execute(statement, {"labels": labels} if labels else {}) if n}


def held_labels(conn: sa.Connection, table: str, column: str, labels: list[str]) -> dict[str, int]:
    """How many rows of ``table`` (quoted SQL) hold each of ``labels`` in ``column`` (quoted); only
    the labels some row holds."""
    query = sa.text(f"SELECT CAST({column} AS text), COUNT(*) FROM {table} "
                    f"WHERE CAST({column} AS text) IN :labels GROUP BY 1").bindparams(
        sa.bindparam("labels", expanding=True))
    counts = {label: n for label, n in conn.execute(query, {"labels": labels})}
    return {label: int(counts[label]) for label in labels if counts.get(label)}


def _postgresql(conn: sa.Connection, table: str, column: str, type_sql: str) -> int:
    # the column is read through an alias, and the block's own names are its own: no column
    # name can be taken for them; the savepoint's rollback takes the setting away again
    value = f"sl_row.{column}"
    with conn.begin_nested() as check:
        conn.exec_driver_sql(
            "DO $sl$ DECLARE sl_count bigint := 0; sl_value text; BEGIN "
            f"BEGIN PERFORM count(CAST({value} AS {type_sql})) FROM {table} AS sl_row; "
            "EXCEPTION WHEN data_exception THEN "
            f"FOR sl_value IN SELECT {value}::text FROM {table} AS sl_row WHERE {value} IS NOT NULL LOOP "
            f"BEGIN PERFORM CAST(sl_value AS {type_sql}); "
            "EXCEPTION WHEN data_exception THEN sl_count := sl_count + 1; END; "
            "END LOOP; END; "
            f"PERFORM set_config('{_SETTING}', sl_count::text, true); END $sl$")
        count = int(conn.exec_driver_sql(f"SELECT current_setting('{_SETTING}')").scalar() or 0)
        check.rollback()
    return count


def _postgresql_labels(conn: sa.Connection, table: str, column: str, new: sa.Enum) -> int:
    labels = list(new.enums)
    query = sa.text(f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL"
                    + (" AND NOT (CAST(" + column + " AS text) IN :labels)" if labels else ""))
    if labels:
        query = query.bindparams(sa.bindparam("labels", expanding=True))
    return int(conn.execute(query, {"labels": labels} if labels else {}).scalar() or 0)


def _mysql_assigned(conn: sa.Connection, table: str, column: str, type_sql: str) -> int:
    # strict mode refuses with an error or a warning (class 01: 'Data truncated'); notes are
    # switched off for this one statement, so what the type change passes is not counted
    return int(conn.exec_driver_sql(
        "SET STATEMENT sql_notes = 0 FOR BEGIN NOT ATOMIC "
        f"DECLARE sl_count BIGINT DEFAULT 0; DECLARE sl_value {type_sql}; "
        f"FOR sl_row IN (SELECT {column} AS sl_old FROM {table} WHERE {column} IS NOT NULL) DO "
        "BEGIN DECLARE CONTINUE HANDLER FOR SQLEXCEPTION, SQLWARNING SET sl_count = sl_count + 1; "
        "SET sl_value = sl_row.sl_old; END; "
        "END FOR; SELECT sl_count; END").scalar() or 0)


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


def live_types(conn: sa.Connection, table: str) -> dict[str, str]:
    """The types of the live columns of ``table`` (as SQL, quoted) by name, as PostgreSQL writes
    them in a ``CAST`` ({} on other databases, which :func:`holds_value` needs no type for)."""
    if conn.dialect.name != "postgresql":
        return {}
    rows = conn.execute(sa.text(
        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute "
        "WHERE attrelid = to_regclass(:table) AND attnum > 0 AND NOT attisdropped"), {"table": table})
    return {name: type_sql for name, type_sql in rows}


def holds_value(conn: sa.Connection, column: str, value: str, type_sql: str | None = None) -> str:
    """SQL true when ``column`` (as SQL) holds what storing the constant ``value`` (as SQL) in it
    holds, NULL as NULL: PostgreSQL compares both as the column's type writes them as text (a
    ``json`` column has no ``=``), the constant cast to the column's live type ``type_sql`` (from
    :func:`live_types`) as storing it does, whatever type the constant has (``CAST(... AS JSONB)``
    stored in a ``json`` column, which no ``CASE`` could type as the column); without ``type_sql``
    the ``CASE`` types the constant as the column; SQLite compares with ``IS`` (the column's
    affinity applies to the constant), MariaDB/MySQL with ``<=>``."""
    name = conn.dialect.name
    if name == "postgresql":
        stored = f"CAST({value} AS {type_sql})" if type_sql else f"CASE WHEN FALSE THEN {column} ELSE {value} END"
        return f"CAST({column} AS TEXT) IS NOT DISTINCT FROM CAST({stored} AS TEXT)"
    if name == "sqlite":
        return f"{column} IS {value}"
    return f"{column} <=> {value}"
