"""The CHECK constraints a column type makes by itself: a ``Boolean`` or non-native ``Enum`` with
``create_constraint=True`` (compared apart from the CHECKs a table declares)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from ops import LedgerError
from ops import classes as oc
from ops.specs import ColumnSpec, TableSpec, TypeSpec

from ledger import dialects
from ledger.support.memo import remembered
from ledger.schema.sqltext import canonical_sql

__all__ = ["implied_check", "implied_checks", "implied_name", "is_implied_name", "matched_implied",
           "without_constraint"]


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
    create_constraint) on the database ``d``; None if it creates none (a Boolean where the database
    has a boolean type, PostgreSQL; an Enum made native where the database has enums)."""
    try:
        values = _checked_values(column.type)
        if values is None or not _made_on(column.type, d):
            return None
    except LedgerError:
        return None
    name = '"' + column.name.replace('"', '""') + '"'
    return canonical_sql(f"{name} IN ({values})", dialect=d)


@remembered(256)
def _made_on(spec: TypeSpec, d: str) -> bool:
    """Whether SQLAlchemy writes the CHECK of ``spec`` (which makes one) on the database ``d``."""
    type_, dialect = spec.to_sa(), dialects.compile_dialect(d)
    if isinstance(type_, sa.Enum):
        return not type_.native_enum or not dialect.supports_native_enum
    return not dialect.supports_native_boolean and bool(getattr(dialect, "non_native_boolean_check_constraint", True))


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


def matched_implied(live: TableSpec, expected: TableSpec, implied: list[tuple[str | None, str, str]],
                    dialect: str | None = None) -> tuple[TableSpec, list[tuple[str | None, str, str]]]:
    """``live`` without the CHECKs the expected column types create, unless expected by name, and
    those of ``implied`` that ``live`` does not hold (a type whose CHECK the database lacks: SQLite's
    ``ADD COLUMN`` as Alembic writes it), but for one the table declares by its text as well.

    Each column's type creates one CHECK, under the type's name (any name the database gives it
    when the type has none): a live CHECK is taken for it once, and only under that name. A second
    CHECK of the same text, or one under another name (a naming convention's, another type's
    that a batch rebuild left), is not the type's and is compared as a declared CHECK. Of several
    CHECKs a type without a name may have made, the one under the name the database gives a CHECK
    made without one (PostgreSQL's ``<table>_<column>_check``) is taken first."""
    if not implied:
        return live, []
    named = {c.name for c in expected.checks}
    stored = dialects.DATABASES[dialect].stored_name if dialect is not None else str
    given = (lambda column: dialects.DATABASES[dialect].unnamed_check_name(live.name, column)) \
        if dialect is not None else (lambda column: None)
    # each name as the database stores it, worked out once for both passes: the type's, the one the
    # database gives a CHECK made without a name on its column, and each live CHECK's
    left = [(want, None if name is None else stored(name), stored(given(column) or ""), number)
            for number, (name, want, column) in enumerate(implied)]
    candidates = [(c, canonical_sql(c.sqltext, dialect=dialect), None if c.name is None else stored(c.name))
                  for c in live.checks if c.name not in named]
    taken: set[int] = set()
    for first in (True, False):
        for number, (check, text, held) in enumerate(candidates):
            if number in taken:
                continue
            found = next((i for i, (want, name, unnamed, _) in enumerate(left)
                          if want == text and (name is None or name == held)
                          and (not first or name is not None or held is None or held == unnamed)), None)
            if found is not None:
                del left[found]
                taken.add(number)
    gone = {id(candidates[number][0]) for number in taken}
    declared = {canonical_sql(c.sqltext, dialect=dialect) for c in expected.checks} if left else set()
    missing = [implied[number] for want, _, _, number in left if want not in declared]
    return oc.evolve(live, checks=tuple(c for c in live.checks if id(c) not in gone)), missing


def without_constraint(type_: TypeSpec) -> TypeSpec:
    """``type_`` without ``create_constraint``: a ``Boolean``/``Enum`` that makes no CHECK."""
    return TypeSpec(type_.name, type_.args, tuple((k, v) for k, v in type_.kwargs if k != "create_constraint"))
