"""The CHECK constraints a column type makes by itself: a ``Boolean`` or non-native ``Enum`` with
``create_constraint=True`` (compared apart from the CHECKs a table declares)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from ops import LedgerError
from ops.specs import ColumnSpec, TableSpec, TypeSpec

from ledger.support.memo import remembered
from ledger.schema.sqltext import canonical_sql

__all__ = ["implied_check", "implied_checks", "implied_name", "is_implied_name"]


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def implied_checks(table: TableSpec, d: str) -> list[tuple[str | None, str, str]]:
    """The CHECKs that a table's Boolean and Enum types create (with create_constraint), one per
    column: the name the type gives it (None: the type has none), the condition (canonical SQL)
    and the column."""
    return [(implied_name(column), check, column.name) for column in table.columns
            if (check := implied_check(column, d)) is not None]


def implied_name(column: ColumnSpec) -> str | None:
    """The name of the CHECK that ``column``'s type creates: the type's own name (an ``Enum``'s
    ``name``), as SQLAlchemy gives it with no naming convention; None: the type has no name."""
    try:
        name = getattr(column.type.to_sa(), "name", None)
    except LedgerError:
        return None
    return name if isinstance(name, str) and name else None


def is_implied_name(name: str | None, held: str | None, stored: Callable[[str], str] = str) -> bool:
    """A CHECK the database holds as ``held`` is one a type named ``name`` made: under that name
    (as the database stores names, ``stored``), or any the database gave it when the type has none."""
    return name is None or (held is not None and stored(held) == stored(name))


def implied_check(column: ColumnSpec, d: str) -> str | None:
    """The CHECK condition (canonical SQL) that ``column``'s Boolean or Enum type creates (with
    create_constraint); None if it creates none."""
    try:
        values = _checked_values(column.type)
    except LedgerError:
        return None
    if values is None:
        return None
    name = '"' + column.name.replace('"', '""') + '"'
    return canonical_sql(f"{name} IN ({values})", dialect=d)


@remembered(4096)
def _checked_values(spec: TypeSpec) -> str | None:
    """The values of the CHECK that ``spec`` creates, as SQL (``'a', 'b'`` or ``0, 1``); None if none."""
    type_ = spec.to_sa()
    if not getattr(type_, "create_constraint", False):
        return None
    if isinstance(type_, sa.Enum):
        return ", ".join(_literal(v) for v in type_.enums)
    if isinstance(type_, sa.Boolean):
        return "0, 1"
    return None
