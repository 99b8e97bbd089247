"""Operations that run SQL text: ``op.execute`` (reversible when given ``reverse_sql``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .classes import evolve, frozen
from .base import IrreversibleError, MigrateOperation, op_type
from .operations import AbstractOperations, BatchOperations, Operations
from .specs import sql_text
from .types import TypeSpec

if TYPE_CHECKING:
    from .state import SchemaState

__all__ = ["ExecuteSQLOp", "rename_back", "renamed_type", "renames_type"]


#: PostgreSQL's ``ALTER TYPE [schema.]old RENAME TO new`` (compiled by ``re`` when first matched, not at import)
_PART = r'"(?:[^"]|"")+"|[^\s."(),;]+'
_RENAME_TYPE = (rf"\s*ALTER\s+TYPE\s+(?:(?P<schema>{_PART})\s*\.\s*)?(?P<old>{_PART})\s+RENAME\s+TO\s+"
                rf"(?P<new>{_PART})\s*;?\s*$")
#: the column types a named type's rename renames: a native ENUM and a DOMAIN, by their ``name``
_NAMED_TYPES = ("Enum", "postgresql.ENUM", "postgresql.DOMAIN")


def _identifier(part: str) -> str:
    """An identifier as PostgreSQL holds it: a quoted one as written, another folded to lower case."""
    return part[1:-1].replace('""', '"') if part.startswith('"') else part.lower()


def _renamed(value: Any, schema: str | None, old: str, new: str) -> Any:
    """``value`` (a type, or what a type's arguments hold) with each named ENUM or DOMAIN type called
    ``old`` in ``schema`` called ``new``; the same object where none is."""
    if isinstance(value, tuple):
        items = tuple(_renamed(item, schema, old, new) for item in value)
        return value if all(a is b for a, b in zip(items, value)) else items
    if not isinstance(value, TypeSpec):
        return value
    args, kwargs = _renamed(value.args, schema, old, new), _renamed(value.kwargs, schema, old, new)
    kw = dict(kwargs)
    if value.name in _NAMED_TYPES and kw.get("name") == old and kw.get("schema") == schema:
        kwargs = tuple((k, new if k == "name" else v) for k, v in kwargs)
    return value if args is value.args and kwargs is value.kwargs else evolve(value, args=args, kwargs=kwargs)


def renames_type(sqltext: str) -> bool:
    """Whether ``sqltext`` is PostgreSQL's ``ALTER TYPE old RENAME TO new`` (:func:`renamed_type`)."""
    return re.match(_RENAME_TYPE, sqltext, re.I | re.S) is not None


def rename_back(sqltext: str) -> str | None:
    """What undoes PostgreSQL's ``ALTER TYPE [schema.]old RENAME TO new``: ``ALTER TYPE [schema.]new
    RENAME TO old``; None for any other text."""
    found = re.match(_RENAME_TYPE, sqltext, re.I | re.S)
    if found is None:
        return None
    schema = f"{found['schema']}." if found["schema"] is not None else ""
    return f"ALTER TYPE {schema}{found['new']} RENAME TO {found['old']}"


def renamed_type(state: SchemaState, sqltext: str) -> SchemaState:
    """``state`` after ``sqltext`` when it is PostgreSQL's ``ALTER TYPE old RENAME TO new``: every column
    whose type is, or holds (a DOMAIN's base type, an ARRAY's item), the ENUM or DOMAIN ``old`` has it
    as ``new``, as the database has it then (a domain follows the rename of its base type); ``state``
    itself for any other text. ``schema.old`` names a type held with that schema, or, when none is,
    one held with no schema (the database's default schema)."""
    found = re.match(_RENAME_TYPE, sqltext, re.I | re.S)
    if found is None:
        return state
    old, new = _identifier(found["old"]), _identifier(found["new"])
    schemas = [None] if found["schema"] is None else [_identifier(found["schema"]), None]
    for schema in schemas:
        changed = []
        for table in state.tables.values():
            columns = tuple(c if (t := _renamed(c.type, schema, old, new)) is c.type else evolve(c, type=t)
                            for c in table.columns)
            if any(a is not b for a, b in zip(columns, table.columns)):
                changed.append(evolve(table, columns=columns))
        if changed:
            for table in changed:
                state = state.replaced_table(table)
            return state
    return state


def _text(sql: Any) -> str:
    if isinstance(sql, str):
        return sql
    return sql_text(sql)


@Operations.register_operation("execute")
@BatchOperations.register_operation("execute", "batch_execute")
@op_type("execute", version=2)
@frozen
class ExecuteSQLOp(MigrateOperation):
    """Run SQL text. Reversible exactly when ``reverse_sql`` is given. The schema state is unchanged, but
    for PostgreSQL's ``ALTER TYPE old RENAME TO new``, which renames the type of the columns that use it
    (:func:`renamed_type`): the fold follows it, so it is replayed and undone (the rename back) as the
    statement it is."""

    sqltext: str
    reverse_sql: str | None = None

    def reverse(self) -> ExecuteSQLOp:
        if self.reverse_sql is None:
            raise IrreversibleError(f"{self.describe()} has no reverse_sql")
        return ExecuteSQLOp(self.reverse_sql, reverse_sql=self.sqltext)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("execute", self.sqltext, self.reverse_sql)

    def apply(self, state: SchemaState) -> SchemaState:
        return renamed_type(state, self.sqltext)

    def describe(self) -> str:
        text = " ".join(self.sqltext.split())
        return f"execute {text[:60]}{'...' if len(text) > 60 else ''}"

    @classmethod
    def execute(cls, operations: AbstractOperations, sqltext: Any, *, reverse_sql: Any = None,
                execution_options: Any = None) -> Any:
        """Run SQL: ``op.execute("UPDATE ...", reverse_sql="UPDATE ...")``; without reverse_sql it is irreversible."""
        return operations.invoke(cls(_text(sqltext), None if reverse_sql is None else _text(reverse_sql)))

    @classmethod
    def batch_execute(cls, operations: BatchOperations, sqltext: Any, *, reverse_sql: Any = None) -> Any:
        return cls.execute(operations, sqltext, reverse_sql=reverse_sql)


def _bulk_insert(operations: AbstractOperations, table: sa.Table, rows: list[dict[str, Any]], *,
                 multiinsert: bool = True) -> Any:
    """``op.bulk_insert(table, rows)``: recorded as one irreversible ``execute`` per row."""
    result = None
    for row in rows:
        stmt = sa.insert(table).values(**row)
        result = operations.invoke(ExecuteSQLOp(sql_text(stmt)))
    return result


Operations.bulk_insert = _bulk_insert  # type: ignore[attr-defined]
