"""Operations on whole tables: create, drop, rename, and table comments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .classes import frozen
from .base import InvalidOperationError, IrreversibleError, MigrateOperation, op_type
from .column import _ops
from .operations import AbstractOperations, BatchOperations, Operations
from .specs import PARTITION_OF, TableSpec, partitions_of, unnamed_metadata
from . import classes as oc

if TYPE_CHECKING:
    from .state import SchemaState

__all__ = [
    "AlterTableOptionsOp", "CreateTableCommentOp", "CreateTableOp", "DropTableCommentOp", "DropTableOp", "RenameTableOp",
]


def _full(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema else name


def _with_partitions(ops: tuple[MigrateOperation, ...]) -> str:
    """`` with partitions p1, p2``: the partitions made or dropped with a partitioned table."""
    names = [_full(str(getattr(op, "table_name", "")), getattr(op, "schema", None)) for op in ops]
    return f" with partition{'s' if len(names) != 1 else ''} {', '.join(names)}" if names else ""


@Operations.register_operation("create_table")
@op_type("create_table")
@frozen
class CreateTableOp(MigrateOperation):
    """Create a table with its columns, keys, constraints and indexes."""

    table: TableSpec
    #: the partitions made after a partitioned table (the reverse of its drop, which took them), in order
    _then: tuple[MigrateOperation, ...] = oc.field(default=(), alias="_then", converter=_ops)

    @property
    def table_name(self) -> str:
        return self.table.name

    @property
    def schema(self) -> str | None:
        return self.table.schema

    @property
    def columns(self) -> tuple[Any, ...]:
        return self.table.columns

    @property
    def comment(self) -> str | None:
        return self.table.comment

    @classmethod
    def from_table(cls, table: sa.Table, naming_convention: Any = None) -> CreateTableOp:
        return cls(TableSpec.from_table(table, naming_convention))

    def to_table(self, metadata: sa.MetaData | None = None) -> sa.Table:
        return self.table.to_table(metadata)

    def reverse(self) -> DropTableOp:
        return DropTableOp(self.table.name, schema=self.table.schema, _reverse=self.table,
                           _dependents=tuple(op.reverse() for op in reversed(self._then)))

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_table", self.to_table())

    def apply(self, state: SchemaState) -> SchemaState:
        state = state.with_table(self.table)
        for op in self._then:
            state = op.apply(state)
        return state

    def describe(self) -> str:
        count = len(self.table.columns)
        return f"create table {self.table.fullname} ({count} column{'' if count == 1 else 's'}){_with_partitions(self._then)}"

    @classmethod
    def create_table(
        cls, operations: AbstractOperations, table_name: str, *columns: Any, schema: str | None = None,
        comment: str | None = None, **kw: Any,
    ) -> Any:
        """Issue ``CREATE TABLE``: ``op.create_table("t", sa.Column(...), ..., schema=None)``; a
        PostgreSQL partition with ``postgresql_partition_of="parent"`` and its
        ``postgresql_partition_bound`` (``"FOR VALUES IN (true)"``)."""
        partition = {key: kw.pop(key) for key in sorted(PARTITION_OF) if key in kw}
        table = sa.Table(table_name, unnamed_metadata(), *columns, schema=schema, comment=comment, **kw)
        op = cls.from_table(table, operations.naming_convention)
        if partition:
            op = cls(oc.evolve(op.table, dialect_options=tuple(sorted({**dict(op.table.dialect_options),
                                                                            **partition}.items()))))
        return operations.invoke(op)


@Operations.register_operation("drop_table")
@op_type("drop_table")
@frozen
class DropTableOp(MigrateOperation):
    """Drop a table; completion keeps the whole table so the drop can be undone, and the drops of the
    partitions of a partitioned table, which PostgreSQL's ``DROP TABLE`` takes with it."""

    table_name: str
    schema: str | None = None
    _reverse: TableSpec | None = oc.field(default=None, alias="_reverse")
    #: the drops of its partitions (and theirs, each after its own), completed: what the database
    #: dropped with it, which the reverse makes again after the table
    _dependents: tuple[MigrateOperation, ...] = oc.field(default=(), alias="_dependents", converter=_ops)

    def reverse(self) -> CreateTableOp:
        if self._reverse is None:
            raise IrreversibleError(f"{self.describe()}: the dropped table is unknown")
        return CreateTableOp(self._reverse, _then=tuple(op.reverse() for op in reversed(self._dependents)))

    def to_table(self, metadata: sa.MetaData | None = None) -> sa.Table:
        if self._reverse is not None:
            return self._reverse.to_table(metadata)
        return sa.Table(self.table_name, metadata if metadata is not None else sa.MetaData(), schema=self.schema)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("remove_table", self.to_table())

    def complete(self, state: SchemaState) -> DropTableOp:
        table = state.table(self.table_name, self.schema)
        dependents = []
        for op in self.dependents(state):
            done = op.complete(state)
            dependents.append(done)
            state = done.apply(state)
        return oc.evolve(self, _reverse=table, _dependents=tuple(dependents))

    def dependents(self, state: SchemaState) -> tuple[MigrateOperation, ...]:
        """The drops that go with this one on ``state`` (the state before it): its partitions', the
        deepest first. (An event of a ledger written before they were held here has none: its
        partitions' drops were events of their own, before it.)"""
        if self._dependents:
            return self._dependents
        return tuple(DropTableOp(p.name, schema=p.schema) for p in partitions_of(state.tables, self.table_name, self.schema))

    def apply(self, state: SchemaState) -> SchemaState:
        for op in self.dependents(state):
            state = op.apply(state)
        return state.without_table(self.table_name, self.schema)

    def describe(self) -> str:
        return f"drop table {_full(self.table_name, self.schema)}{_with_partitions(self._dependents)}"

    @classmethod
    def drop_table(cls, operations: AbstractOperations, table_name: str, *, schema: str | None = None, **_kw: Any) -> Any:
        """Issue ``DROP TABLE``: ``op.drop_table("t")``."""
        return operations.invoke(cls(table_name, schema=schema))


@Operations.register_operation("rename_table")
@op_type("rename_table")
@frozen
class RenameTableOp(MigrateOperation):
    """Rename a table; foreign keys that point at it follow."""

    old_table_name: str
    new_table_name: str
    schema: str | None = None

    @property
    def table_name(self) -> str:
        return self.old_table_name

    def reverse(self) -> RenameTableOp:
        return RenameTableOp(self.new_table_name, self.old_table_name, schema=self.schema)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("rename_table", self.schema, self.old_table_name, self.new_table_name)

    def apply(self, state: SchemaState) -> SchemaState:
        return state.renamed_table(self.old_table_name, self.new_table_name, self.schema)

    def describe(self) -> str:
        return f"rename table {_full(self.old_table_name, self.schema)} to {self.new_table_name}"

    @classmethod
    def rename_table(
        cls, operations: AbstractOperations, old_table_name: str, new_table_name: str, *, schema: str | None = None
    ) -> Any:
        """Rename a table: ``op.rename_table("old", "new")``."""
        return operations.invoke(cls(old_table_name, new_table_name, schema=schema))


@Operations.register_operation("create_table_comment")
@BatchOperations.register_operation("create_table_comment", "batch_create_table_comment")
@op_type("create_table_comment")
@frozen
class CreateTableCommentOp(MigrateOperation):
    """Set a table's comment; completion records the comment it replaces."""

    table_name: str
    comment: str
    schema: str | None = None
    #: the comment replaced: None when there was none, False when unknown (before completion)
    existing_comment: str | None | bool = False

    def reverse(self) -> MigrateOperation:
        if self.existing_comment is False or self.existing_comment is True:
            raise IrreversibleError(f"{self.describe()}: the replaced comment is unknown")
        if self.existing_comment is None:
            return DropTableCommentOp(self.table_name, schema=self.schema, existing_comment=self.comment)
        return CreateTableCommentOp(self.table_name, self.existing_comment, schema=self.schema,
                                    existing_comment=self.comment)

    def to_table(self, metadata: sa.MetaData | None = None) -> sa.Table:
        """A bare table carrying the new comment (as Alembic's op gives it)."""
        return sa.Table(self.table_name, metadata if metadata is not None else sa.MetaData(), schema=self.schema,
                        comment=self.comment)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_table_comment", self.to_table(), self.existing_comment)

    def complete(self, state: SchemaState) -> CreateTableCommentOp:
        return oc.evolve(self, existing_comment=state.table(self.table_name, self.schema).comment)

    def apply(self, state: SchemaState) -> SchemaState:
        return state.with_comment(self.table_name, self.comment, self.schema)

    def describe(self) -> str:
        return f"comment on table {_full(self.table_name, self.schema)}: {self.comment!r}"

    @classmethod
    def create_table_comment(
        cls, operations: AbstractOperations, table_name: str, comment: str, *,
        existing_comment: str | None | bool = False, schema: str | None = None,
    ) -> Any:
        """Set a table comment: ``op.create_table_comment("t", "what it holds")``."""
        return operations.invoke(cls(table_name, comment, schema=schema, existing_comment=existing_comment))

    @classmethod
    def batch_create_table_comment(
        cls, operations: BatchOperations, comment: str, *, existing_comment: str | None | bool = False
    ) -> Any:
        return operations.invoke(cls(operations.table_name, comment, schema=operations.schema,
                                     existing_comment=existing_comment))


@Operations.register_operation("drop_table_comment")
@BatchOperations.register_operation("drop_table_comment", "batch_drop_table_comment")
@op_type("drop_table_comment")
@frozen
class DropTableCommentOp(MigrateOperation):
    """Remove a table's comment; completion records the comment it removes."""

    table_name: str
    schema: str | None = None
    #: the comment removed: None when there was none, False when unknown (before completion)
    existing_comment: str | None | bool = False

    def reverse(self) -> MigrateOperation:
        if self.existing_comment is False or self.existing_comment is True:
            raise IrreversibleError(f"{self.describe()}: the removed comment is unknown")
        if self.existing_comment is None:
            return self
        return CreateTableCommentOp(self.table_name, self.existing_comment, schema=self.schema, existing_comment=None)

    def to_table(self, metadata: sa.MetaData | None = None) -> sa.Table:
        return sa.Table(self.table_name, metadata if metadata is not None else sa.MetaData(), schema=self.schema)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("remove_table_comment", self.to_table())

    def complete(self, state: SchemaState) -> DropTableCommentOp:
        return oc.evolve(self, existing_comment=state.table(self.table_name, self.schema).comment)

    def apply(self, state: SchemaState) -> SchemaState:
        return state.with_comment(self.table_name, None, self.schema)

    def describe(self) -> str:
        return f"drop comment on table {_full(self.table_name, self.schema)}"

    @classmethod
    def drop_table_comment(
        cls, operations: AbstractOperations, table_name: str, *, existing_comment: str | None | bool = False,
        schema: str | None = None,
    ) -> Any:
        """Remove a table comment: ``op.drop_table_comment("t")``."""
        return operations.invoke(cls(table_name, schema=schema, existing_comment=existing_comment))

    @classmethod
    def batch_drop_table_comment(cls, operations: BatchOperations, *, existing_comment: str | None | bool = False) -> Any:
        return operations.invoke(cls(operations.table_name, schema=operations.schema,
                                     existing_comment=existing_comment))


Options = tuple[tuple[str, Any], ...]


def _options(options: Any) -> Options:
    return tuple(sorted((str(k), v) for k, v in (options.items() if isinstance(options, dict) else options)))


@Operations.register_operation("alter_table_options")
@BatchOperations.register_operation("alter_table_options", "batch_alter_table_options")
@op_type("alter_table_options")
@frozen
class AlterTableOptionsOp(MigrateOperation):
    """Change a table's options (:attr:`TableSpec.dialect_options`): on MySQL/MariaDB its character
    set and collation (``mysql_charset``, ``mysql_collate``), as ``ALTER TABLE t CONVERT TO
    CHARACTER SET ... COLLATE ...`` changes them. ``options`` are the table's options afterwards;
    completion records the ones it had (``existing_options``; None: unknown), which makes the op
    reversible. Alembic has no such op."""

    table_name: str
    options: Options = oc.field(converter=_options)
    schema: str | None = None
    existing_options: Options | None = oc.field(default=None, converter=lambda v: None if v is None else _options(v))

    def reverse(self) -> AlterTableOptionsOp:
        if self.existing_options is None:
            raise IrreversibleError(f"{self.describe()}: the table's options before it are unknown")
        return AlterTableOptionsOp(self.table_name, self.existing_options, schema=self.schema,
                                   existing_options=self.options)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("modify_table_options", self.schema, self.table_name, self.existing_options, self.options)

    def complete(self, state: SchemaState) -> AlterTableOptionsOp:
        return oc.evolve(self, existing_options=state.table(self.table_name, self.schema).dialect_options)

    def apply(self, state: SchemaState) -> SchemaState:
        old = dict(state.table(self.table_name, self.schema).dialect_options).get("postgresql_partition_by")
        new = dict(self.options).get("postgresql_partition_by")
        if old != new:
            # PostgreSQL has no ALTER for it: a table is made partitioned, or plain, by its CREATE TABLE
            raise InvalidOperationError(
                f"cannot change the partition key of table {_full(self.table_name, self.schema)} ({old or 'none'} to "
                f"{new or 'none'}): PostgreSQL has no ALTER for it; drop the table and create it again")
        return state.with_table_options(self.table_name, self.options, self.schema)

    def describe(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self.options) or "the database's defaults"
        return f"alter table {_full(self.table_name, self.schema)} options: {shown}"

    @classmethod
    def alter_table_options(cls, operations: AbstractOperations, table_name: str, *, schema: str | None = None,
                            existing_options: Any = None, **options: Any) -> Any:
        """Set a table's options: ``op.alter_table_options("t", mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin")``; those given are all the table has afterwards."""
        return operations.invoke(cls(table_name, options, schema=schema, existing_options=existing_options))

    @classmethod
    def batch_alter_table_options(cls, operations: BatchOperations, *, existing_options: Any = None,
                                  **options: Any) -> Any:
        return operations.invoke(cls(operations.table_name, options, schema=operations.schema,
                                     existing_options=existing_options))
