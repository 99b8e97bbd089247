"""Operations on indexes: create and drop, with expressions, partial indexes and dialect options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .classes import frozen
from .base import InvalidOperationError, IrreversibleError, MigrateOperation, op_type
from .operations import AbstractOperations, BatchOperations, Operations
from .specs import IndexSpec, named, unnamed_metadata
from . import classes as oc

if TYPE_CHECKING:
    from .state import SchemaState

__all__ = ["CreateIndexOp", "DropIndexOp"]


def _full(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema else name


def _table_for(index: IndexSpec, table_name: str, schema: str | None) -> sa.Table:
    columns = [sa.Column(c, sa.types.NULLTYPE) for c in dict.fromkeys(index.columns)]
    return sa.Table(table_name, unnamed_metadata(), *columns, schema=schema)


def _index(index_name: str | None, table_name: str, columns: Sequence[Any], schema: str | None, unique: bool,
           kw: dict[str, Any]) -> IndexSpec:
    """An IndexSpec built through SQLAlchemy, so that dialect options are validated as SQLAlchemy does."""
    if isinstance(columns, str):
        columns = [columns]
    names = [c for c in columns if isinstance(c, str)]
    table = sa.Table(table_name, unnamed_metadata(), *[sa.Column(c, sa.types.NULLTYPE) for c in dict.fromkeys(names)],
                     schema=schema)
    elements = [table.c[c] if isinstance(c, str) else c for c in columns]
    try:
        index = sa.Index(index_name, *elements, unique=unique, _table=table, **kw)
    except (TypeError, sa.exc.ArgumentError) as exc:
        raise InvalidOperationError(f"index {index_name or ''} on {table_name}: {exc}") from None
    return IndexSpec.from_index(index)


@Operations.register_operation("create_index")
@BatchOperations.register_operation("create_index", "batch_create_index")
@op_type("create_index")
@frozen
class CreateIndexOp(MigrateOperation):
    """Create an index."""

    table_name: str
    index: IndexSpec
    schema: str | None = None

    @property
    def index_name(self) -> str | None:
        return self.index.name

    @property
    def unique(self) -> bool:
        return self.index.unique

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(e.value for e in self.index.elements)

    @classmethod
    def from_index(cls, index: sa.Index) -> CreateIndexOp:
        table = index.table
        if table is None:
            raise InvalidOperationError(f"index {index.name} must be attached to a Table")
        name, schema = str(table.name), None if table.schema is None else str(table.schema)
        return cls(name, named(IndexSpec.from_index(index), name), schema=schema)

    def to_index(self) -> sa.Index:
        return self.index.to_index(_table_for(self.index, self.table_name, self.schema))

    def reverse(self) -> DropIndexOp:
        return DropIndexOp(self.index.name, self.table_name, schema=self.schema, _reverse=self.index)  # type: ignore[arg-type]

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_index", self.to_index())

    def apply(self, state: SchemaState) -> SchemaState:
        return state.with_index(self.table_name, self.index, self.schema)

    def describe(self) -> str:
        kind = "unique index" if self.index.unique else "index"
        return f"create {kind} {self.index.name} on {_full(self.table_name, self.schema)}({', '.join(self.columns)})"

    @classmethod
    def create_index(cls, operations: AbstractOperations, index_name: str | None, table_name: str,
                     columns: Sequence[Any], *, schema: str | None = None, unique: bool = False,
                     if_not_exists: bool | None = None, **kw: Any) -> Any:
        """Create an index: ``op.create_index("ix_t_x", "t", ["x"], unique=False, postgresql_where=...)``."""
        spec = named(_index(index_name, table_name, columns, schema, unique, kw), table_name,
                     operations.naming_convention)
        return operations.invoke(cls(table_name, spec, schema=schema))

    @classmethod
    def batch_create_index(cls, operations: BatchOperations, index_name: str | None, columns: Sequence[Any],
                           **kw: Any) -> Any:
        return cls.create_index(operations, index_name, operations.table_name, columns, schema=operations.schema,
                                **kw)


@Operations.register_operation("drop_index")
@BatchOperations.register_operation("drop_index", "batch_drop_index")
@op_type("drop_index")
@frozen
class DropIndexOp(MigrateOperation):
    """Drop an index; completion keeps the index so the drop can be undone."""

    index_name: str
    table_name: str | None = None
    schema: str | None = None
    _reverse: IndexSpec | None = oc.field(default=None, alias="_reverse")

    def reverse(self) -> CreateIndexOp:
        if self._reverse is None or self.table_name is None:
            raise IrreversibleError(f"{self.describe()}: the dropped index is unknown")
        return CreateIndexOp(self.table_name, self._reverse, schema=self.schema)

    def to_index(self) -> sa.Index:
        if self._reverse is not None and self.table_name is not None:
            return self._reverse.to_index(_table_for(self._reverse, self.table_name, self.schema))
        return sa.Index(self.index_name)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("remove_index", self.to_index())

    def complete(self, state: SchemaState) -> DropIndexOp:
        table, index = state.find_index(self.index_name, self.schema, self.table_name)
        return oc.evolve(self, table_name=table.name, _reverse=index)

    def apply(self, state: SchemaState) -> SchemaState:
        table, _ = state.find_index(self.index_name, self.schema, self.table_name)
        return state.without_index(table.name, self.index_name, self.schema)

    def describe(self) -> str:
        where = f" on {_full(self.table_name, self.schema)}" if self.table_name else ""
        return f"drop index {self.index_name}{where}"

    @classmethod
    def drop_index(cls, operations: AbstractOperations, index_name: str, table_name: str | None = None, *,
                   schema: str | None = None, if_exists: bool | None = None, **_kw: Any) -> Any:
        """Drop an index: ``op.drop_index("ix_t_x", table_name="t")``."""
        return operations.invoke(cls(index_name, table_name, schema=schema))

    @classmethod
    def batch_drop_index(cls, operations: BatchOperations, index_name: str, **_kw: Any) -> Any:
        return operations.invoke(cls(index_name, operations.table_name, schema=operations.schema))
