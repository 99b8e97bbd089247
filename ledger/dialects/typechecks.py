"""The CHECK constraints a column type makes of itself (``Boolean``/``Enum`` with ``create_constraint``),
as a database's DDL writes them beside a column it adds or whose type it changes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from ops import SchemaState
from ops.specs import ColumnSpec, TypeSpec

from .database import database

__all__ = ["makes_constraint", "type_checks"]


def makes_constraint(value: Any) -> bool:
    """Whether a type (or a type inside it) makes a CHECK constraint of its own (``create_constraint``)."""
    if isinstance(value, TypeSpec):
        if any(key == "create_constraint" and item for key, item in value.kwargs):
            return True
        return any(makes_constraint(item) for item in value.args + tuple(v for _, v in value.kwargs))
    if isinstance(value, tuple):
        return any(makes_constraint(item) for item in value)
    return False


def type_checks(generator: Any, state: SchemaState, table_name: str, schema: str | None,
                column: ColumnSpec) -> dict[tuple[str, str], sa.CheckConstraint]:
    """The CHECKs ``column``'s type makes of itself (a ``Boolean``/non-native ``Enum`` with
    ``create_constraint``) on ``generator``'s database, by (name, SQL text): the name the type or a
    naming convention gives it, else the one the database gives a CHECK made without a name ("":
    none known)."""
    if not makes_constraint(column.type):
        return {}
    dialect = generator.dialect
    compiler = dialect.ddl_compiler(dialect, None)
    table = generator.part(state, state.table(table_name, schema), columns=(column.name,))
    found = {}
    for constraint in table.constraints:
        rule = getattr(constraint, "_create_rule", None)
        if isinstance(constraint, sa.CheckConstraint) and (rule is None or rule(compiler)):
            given = dialect.identifier_preparer.format_constraint(constraint, _alembic_quote=False)
            name = str(given) if given else database(generator.name).unnamed_check_name(table.name, column.name)
            text = constraint.sqltext.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
            found[(name or "", str(text))] = constraint
    return found
