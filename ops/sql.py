"""Operations that run SQL text: ``op.execute`` (reversible when given ``reverse_sql``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .classes import frozen
from .base import IrreversibleError, MigrateOperation, op_type
from .operations import AbstractOperations, BatchOperations, Operations
from .specs import sql_text

if TYPE_CHECKING:
    from .state import SchemaState

__all__ = ["ExecuteSQLOp"]


def _text(sql: Any) -> str:
    if isinstance(sql, str):
        return sql
    return sql_text(sql)


@Operations.register_operation("execute")
@BatchOperations.register_operation("execute", "batch_execute")
@op_type("execute", version=2)
@frozen
class ExecuteSQLOp(MigrateOperation):
    """Run SQL text. Reversible exactly when ``reverse_sql`` is given. The schema state is unchanged."""

    sqltext: str
    reverse_sql: str | None = None

    def reverse(self) -> ExecuteSQLOp:
        if self.reverse_sql is None:
            raise IrreversibleError(f"{self.describe()} has no reverse_sql")
        return ExecuteSQLOp(self.reverse_sql, reverse_sql=self.sqltext)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("execute", self.sqltext, self.reverse_sql)

    def apply(self, state: SchemaState) -> SchemaState:
        return state

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
