"""Type changes that narrow a column, and the rows whose values do not fit the new type.

A narrowing ``alter_column`` (a shorter string, fewer digits or decimals, a smaller integer, a
timestamp to a date) can cut, round or refuse the values already there, depending on the
database: PostgreSQL's assignment cast refuses a string that is too long but rounds decimals
and drops the time of a timestamp; MariaDB in strict mode refuses a string or number that does
not fit but rounds decimals and drops the time (as notes); SQLite keeps every value as it is.
So before a narrowing change runs, the runners count the values that would not survive it
unchanged (:func:`misfits`), and stop the run when there is one: the same on every database,
and no value is ever changed silently.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ops import AlterColumnOp, MigrateOperation, SchemaState
from ops.classes import frozen
from ops.specs import TypeSpec

from ledger import dialects

__all__ = ["Narrowing", "misfit_query", "misfits", "narrowing"]

_INTEGER_RANGES = {"small": (-(2**15), 2**15 - 1), "int": (-(2**31), 2**31 - 1), "big": (-(2**63), 2**63 - 1)}


@frozen
class Narrowing:
    """A column whose type change can lose what its values hold, and the condition a value that
    does not fit meets (``{col}`` stands for the column)."""

    table: str
    schema: str | None
    column: str
    old: TypeSpec
    new: TypeSpec
    #: SQL that is true for a value that does not fit: ``{col}`` is the column, ``{length}`` its
    #: length in characters and ``{has_time}`` whether it holds a time of day, as each
    #: database writes them (``Database.length_sql``, ``Database.has_time_sql``)
    condition_sql: str

    @property
    def fullname(self) -> str:
        return f"{self.schema}.{self.table}" if self.schema else self.table

    def describe(self, dialect: sa.engine.Dialect | None = None) -> str:
        return (f"column {self.fullname}.{self.column} narrows from {_type_sql(self.old, dialect)} "
                f"to {_type_sql(self.new, dialect)}")

    def type_sql(self, dialect: sa.engine.Dialect | None = None) -> str:
        """The new type, as ``dialect`` writes it (or as SQLAlchemy names it)."""
        return _type_sql(self.new, dialect)

    def condition(self, dialect: str) -> str:
        database = dialects.database(dialect)
        return (self.condition_sql.replace("{length}", database.length_sql("{col}"))
                .replace("{has_time}", database.has_time_sql("{col}")))


def _type_sql(spec: TypeSpec, dialect: sa.engine.Dialect | None) -> str:
    if dialect is not None:
        try:
            return str(spec.to_sa().compile(dialect=dialect))
        except Exception:  # noqa: BLE001 - a type the dialect cannot write is named as SQLAlchemy's
            pass
    return spec.render()


def _sa(spec: TypeSpec) -> Any:
    try:
        return spec.to_sa()
    except Exception:  # noqa: BLE001 - a type that cannot be built is not judged
        return None


def _integer_size(type_: Any) -> str:
    if isinstance(type_, sa.SmallInteger):
        return "small"
    if isinstance(type_, sa.BigInteger):
        return "big"
    return "int"


def _out_of(size: str) -> str:
    low, high = _INTEGER_RANGES[size]
    return f"({{col}} < {low} OR {{col}} > {high})"


def _conditions(old: Any, new: Any) -> str | None:
    """What a value that does not fit ``new`` (coming from ``old``) is, or None when ``new`` holds
    every value of ``old``."""
    if isinstance(old, sa.String) and isinstance(new, sa.String) and not isinstance(new, sa.Enum) \
            and not isinstance(old, sa.Enum):
        if new.length is None or (old.length is not None and old.length <= new.length):
            return None
        return f"{{length}} > {new.length}"
    if isinstance(old, sa.Integer) and isinstance(new, sa.Integer):
        order = ["small", "int", "big"]
        before, after = _integer_size(old), _integer_size(new)
        return None if order.index(after) >= order.index(before) else _out_of(after)
    numeric = isinstance(old, sa.Numeric) and not isinstance(old, sa.Float)
    if numeric and isinstance(new, sa.Integer):
        return f"({{col}} <> ROUND({{col}}, 0) OR {_out_of(_integer_size(new))})"
    if numeric and isinstance(new, sa.Numeric) and not isinstance(new, sa.Float):
        if new.precision is None:
            return None
        new_scale = new.scale or 0
        old_scale = old.scale if old.precision is not None else None
        digits = new.precision - new_scale
        parts = []
        if old_scale is None or new_scale < old_scale:
            parts.append(f"{{col}} <> ROUND({{col}}, {new_scale})")
        if old.precision is None or digits < old.precision - (old_scale or 0):
            parts.append(f"ABS({{col}}) >= 1{'0' * digits}")
        return "(" + " OR ".join(parts) + ")" if parts else None
    if isinstance(old, sa.DateTime) and isinstance(new, sa.Date) and not isinstance(new, sa.DateTime):
        return "{has_time}"
    return None


def narrowing(op: MigrateOperation, before: SchemaState) -> Narrowing | None:
    """The narrowing that ``op`` (applied to ``before``) makes, or None."""
    if not isinstance(op, AlterColumnOp) or op.modify_type is None:
        return None
    try:
        column = before.column(op.table_name, op.column_name, op.schema)
    except Exception:  # noqa: BLE001 - an op that does not fit is refused elsewhere
        return None
    old, new = column.type, op.modify_type
    if old == new:
        return None
    old_sa, new_sa = _sa(old), _sa(new)
    if old_sa is None or new_sa is None:
        return None
    conditions = _conditions(old_sa, new_sa)
    if conditions is None:
        return None
    return Narrowing(op.table_name, op.schema, op.column_name, old, new, conditions)


def _quoted(conn: sa.Connection, found: Narrowing) -> tuple[str, str]:
    preparer = conn.dialect.identifier_preparer
    table = preparer.quote(found.table)
    if found.schema:
        table = f"{preparer.quote_schema(found.schema)}.{table}"
    return table, preparer.quote(found.column)


def misfit_query(conn: sa.Connection, found: Narrowing, dialect: str) -> str:
    """``SELECT COUNT(*)`` of the rows whose value of the column does not fit the new type."""
    table, column = _quoted(conn, found)
    condition = found.condition(dialect).replace("{col}", column)
    return f"SELECT COUNT(*) FROM {table} WHERE {column} IS NOT NULL AND {condition}"


def misfits(conn: sa.Connection, found: Narrowing, dialect: str) -> int:
    """How many rows hold a value of the column that the new type would not keep as it is."""
    return int(conn.exec_driver_sql(misfit_query(conn, found, dialect)).scalar() or 0)
