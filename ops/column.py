"""Operations on columns: add, drop, alter (type, nullability, default, comment, name)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .classes import frozen
from .base import InvalidOperationError, IrreversibleError, MigrateOperation, op_type
from .operations import AbstractOperations, BatchOperations, Operations
from .specs import ColumnSpec, DefaultSpec, TypeSpec, column_spec, partitions_of, unnamed_metadata
from . import classes as oc

if TYPE_CHECKING:
    from .state import SchemaState

__all__ = ["AddColumnOp", "AlterColumnOp", "DropColumnOp"]


def _ops(value: Any) -> tuple[MigrateOperation, ...]:
    # A Python function, not ``tuple``: attrs reads a converter's signature, and a builtin's means
    # parsing its text signature with ``tokenize`` (a large regular expression compiled at import).
    return tuple(value)


def _full(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema else name


def _add_column(operations: AbstractOperations, table_name: str, column: sa.Column[Any], schema: str | None,
                insert_before: str | None = None) -> Any:
    """Invoke AddColumnOp, then the constraints (foreign keys, CHECKs, unique) and index declared
    inline on ``column``."""
    from .constraint import CreateCheckConstraintOp, CreateForeignKeyOp, CreateUniqueConstraintOp
    from .index import CreateIndexOp
    from .specs import IndexElement, IndexSpec, TableSpec, UniqueSpec, named

    if column.primary_key:
        raise InvalidOperationError(
            f"add_column {table_name}.{column.name}: add the column, then create_primary_key"
        )
    table = sa.Table(table_name, unnamed_metadata(), column, schema=schema)
    spec = TableSpec.from_table(table, operations.naming_convention)
    result = operations.invoke(AddColumnOp(table_name, spec.columns[0], schema=schema, insert_before=insert_before))
    convention = operations.naming_convention
    for fk in spec.foreign_keys:
        operations.invoke(CreateForeignKeyOp(table_name, fk, schema=schema))
    for check in spec.checks:
        operations.invoke(CreateCheckConstraintOp(table_name, check, schema=schema))
    if column.unique and not column.index:
        unique = named(UniqueSpec(None, (column.name,)), table_name, convention)
        operations.invoke(CreateUniqueConstraintOp(table_name, unique, schema=schema))
    if column.index:  # with unique=True, one unique index (as SQLAlchemy makes it), no constraint
        index = named(IndexSpec(None, (IndexElement(column.name),), unique=bool(column.unique)), table_name, convention)
        operations.invoke(CreateIndexOp(table_name, index, schema=schema))
    return result


@Operations.register_operation("add_column")
@BatchOperations.register_operation("add_column", "batch_add_column")
@op_type("add_column")
@frozen
class AddColumnOp(MigrateOperation):
    """Add a column at the end of a table, or before column ``insert_before``.

    ``insert_before`` is what makes the reverse of a drop put the column back where it was.
    """

    table_name: str
    column: ColumnSpec
    schema: str | None = None
    insert_before: str | None = oc.field(default=None, kw_only=True)
    #: what the reverse of a drop puts back with the column: the indexes and constraints the drop took
    _then: tuple[MigrateOperation, ...] = oc.field(default=(), kw_only=True, alias="_then", converter=_ops)

    @classmethod
    def from_column_and_tablename(cls, schema: str | None, tname: str, col: sa.Column[Any]) -> AddColumnOp:
        return cls(tname, ColumnSpec.from_column(col), schema=schema)

    def to_column(self) -> sa.Column[Any]:
        return self.column.to_column()

    def reverse(self) -> DropColumnOp:
        return DropColumnOp(self.table_name, self.column.name, schema=self.schema, _reverse=self.column,
                            _before=self.insert_before,
                            _dependents=tuple(op.reverse() for op in reversed(self._then)))

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_column", self.schema, self.table_name, self.to_column())

    def apply(self, state: SchemaState) -> SchemaState:
        state = state.with_column(self.table_name, self.column, self.schema, before=self.insert_before)
        for part in partitions_of(state.tables, self.table_name, self.schema):
            # PostgreSQL adds it to each partition of a partitioned table too, without its comment
            # (a comment is on the table it is given for)
            if part.column(self.column.name) is None:
                state = state.with_column(part.name, oc.evolve(self.column, comment=None), part.schema)
        for op in self._then:
            state = op.apply(state)
        return state

    def describe(self) -> str:
        where = f" before {self.insert_before}" if self.insert_before is not None else ""
        return f"add column {_full(self.table_name, self.schema)}.{self.column.describe()}{where}{_with(self._then)}"

    @classmethod
    def add_column(
        cls, operations: AbstractOperations, table_name: str, column: sa.Column[Any], *, schema: str | None = None,
        **_kw: Any,
    ) -> Any:
        """Add a column: ``op.add_column("t", sa.Column("x", sa.Integer))``."""
        return _add_column(operations, table_name, column, schema)

    @classmethod
    def batch_add_column(cls, operations: BatchOperations, column: sa.Column[Any], *,
                         insert_before: str | None = None, insert_after: str | None = None, **_kw: Any) -> Any:
        """``batch_op.add_column(sa.Column(...), insert_before="x")``; ``insert_after`` is not supported."""
        if insert_after is not None:
            raise InvalidOperationError(
                f"add_column {operations.table_name}.{column.name}: insert_after is not supported, use insert_before"
            )
        return _add_column(operations, operations.table_name, column, operations.schema, insert_before)


def _dropped_with_column(state: SchemaState, table: str, name: str, schema: str | None) -> list[MigrateOperation]:
    """The drops a database performs with the column (``SchemaState.dropped_with_column``), and with
    it on each partition of a partitioned table (its own indexes and constraints on it there)."""
    found = state.dropped_with_column(table, name, schema)
    for part in partitions_of(state.tables, table, schema):
        if part.column(name) is not None:
            found += state.dropped_with_column(part.name, name, part.schema)
    return found


@Operations.register_operation("drop_column")
@BatchOperations.register_operation("drop_column", "batch_drop_column")
@op_type("drop_column")
@frozen
class DropColumnOp(MigrateOperation):
    """Drop a column; completion keeps the whole column so the drop can be undone."""

    table_name: str
    column_name: str
    schema: str | None = None
    _reverse: ColumnSpec | None = oc.field(default=None, alias="_reverse")
    #: the column that followed the dropped one (None: it was the last), so the reverse restores the order
    _before: str | None = oc.field(default=None, alias="_before")
    #: the drops the database performs with the column (indexes and constraints using it), completed
    _dependents: tuple[MigrateOperation, ...] = oc.field(default=(), alias="_dependents", converter=_ops)

    def to_column(self) -> sa.Column[Any]:
        if self._reverse is not None:
            return self._reverse.to_column()
        return sa.Column(self.column_name, sa.types.NULLTYPE)

    def reverse(self) -> AddColumnOp:
        if self._reverse is None:
            raise IrreversibleError(f"{self.describe()}: the dropped column is unknown")
        return AddColumnOp(self.table_name, self._reverse, schema=self.schema, insert_before=self._before,
                           _then=tuple(op.reverse() for op in reversed(self._dependents)))

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("remove_column", self.schema, self.table_name, self.to_column())

    def complete(self, state: SchemaState) -> DropColumnOp:
        column = state.column(self.table_name, self.column_name, self.schema)
        names = state.table(self.table_name, self.schema).column_names
        at = names.index(self.column_name)
        dependents = []
        for op in _dropped_with_column(state, self.table_name, self.column_name, self.schema):
            done = op.complete(state)
            dependents.append(done)
            state = done.apply(state)
        return oc.evolve(self, _reverse=column, _before=names[at + 1] if at + 1 < len(names) else None,
                            _dependents=tuple(dependents))

    def dependents(self, state: SchemaState) -> tuple[MigrateOperation, ...]:
        """The drops that go with this one on ``state`` (the state before it)."""
        if self._dependents:
            return self._dependents
        return tuple(_dropped_with_column(state, self.table_name, self.column_name, self.schema))

    def apply(self, state: SchemaState) -> SchemaState:
        for op in self.dependents(state):
            state = op.apply(state)
        for part in partitions_of(state.tables, self.table_name, self.schema):
            # PostgreSQL drops it from each partition of a partitioned table too
            if part.column(self.column_name) is not None:
                state = state.without_column(part.name, self.column_name, part.schema)
        return state.without_column(self.table_name, self.column_name, self.schema)

    def describe(self) -> str:
        return f"drop column {_full(self.table_name, self.schema)}.{self.column_name}{_with(self._dependents)}"

    @classmethod
    def drop_column(
        cls, operations: AbstractOperations, table_name: str, column_name: str, *, schema: str | None = None,
        **_kw: Any,
    ) -> Any:
        """Drop a column: ``op.drop_column("t", "x")``."""
        return operations.invoke(cls(table_name, column_name, schema=schema))

    @classmethod
    def batch_drop_column(cls, operations: BatchOperations, column_name: str, **_kw: Any) -> Any:
        return operations.invoke(cls(operations.table_name, column_name, schema=operations.schema))


def _with(ops: tuple[MigrateOperation, ...]) -> str:
    """`` with index ix_a, constraint uq_a``: what goes with a column added or dropped."""
    names = [getattr(op, "index_name", None) or getattr(op, "constraint_name", None) for op in ops]
    names += [getattr(getattr(op, "index", None), "name", None) or getattr(getattr(op, "constraint", None), "name", None)
              for op in ops if not (getattr(op, "index_name", None) or getattr(op, "constraint_name", None))]
    shown = ", ".join(str(n) for n in names if n)
    return f" with {shown}" if shown else ""


def _type(value: Any) -> TypeSpec | None:
    if value is None or isinstance(value, TypeSpec):
        return value
    return TypeSpec.from_sa(value)


def _default(value: Any) -> DefaultSpec | None | bool:
    """Alembic's sentinel: False means no change / unknown, None means no default."""
    if value is False or value is None or isinstance(value, DefaultSpec):
        return value
    return DefaultSpec.from_sa(value)


@Operations.register_operation("alter_column")
@BatchOperations.register_operation("alter_column", "batch_alter_column")
@op_type("alter_column")
@frozen
class AlterColumnOp(MigrateOperation):
    """Change a column's type, nullability, server default, comment, name or autoincrement.

    ``modify_server_default`` and ``modify_comment`` are False for "no change" and None for
    "remove"; the ``existing_*`` values say what the column was (False/None: unknown) and are
    filled in by completion, which is what makes the op reversible. ``postgresql_using`` is the
    expression of PostgreSQL's ``USING`` clause for a type change (as in Alembic); it serves this
    op only, never its reverse. ``modify_autoincrement`` (True, False or ``"auto"``; None: no
    change) is the column's ``autoincrement`` afterwards: on MySQL/MariaDB whether it is
    AUTO_INCREMENT (Alembic's ``autoincrement=``); completion fills ``existing_autoincrement``
    when it is set, so that an op without it keeps its bytes.
    """

    table_name: str
    column_name: str
    schema: str | None = None
    existing_type: TypeSpec | None = None
    existing_server_default: DefaultSpec | None | bool = False
    existing_nullable: bool | None = None
    existing_comment: str | None | bool = False
    modify_nullable: bool | None = None
    modify_comment: str | None | bool = False
    modify_server_default: DefaultSpec | None | bool = False
    modify_name: str | None = None
    modify_type: TypeSpec | None = None
    postgresql_using: str | None = None
    modify_autoincrement: bool | str | None = None
    existing_autoincrement: bool | str | None = None

    def has_changes(self) -> bool:
        return (
            self.modify_nullable is not None or self.modify_comment is not False
            or self.modify_server_default is not False or self.modify_name is not None
            or self.modify_type is not None or self.modify_autoincrement is not None
        )

    def reverse(self) -> AlterColumnOp:
        unknown = [
            what
            for what, changed, known in (
                ("type", self.modify_type is not None, self.existing_type is not None),
                ("nullability", self.modify_nullable is not None, self.existing_nullable is not None),
                ("server default", self.modify_server_default is not False, self.existing_server_default is not False),
                ("comment", self.modify_comment is not False, self.existing_comment is not False),
                ("autoincrement", self.modify_autoincrement is not None, self.existing_autoincrement is not None),
            )
            if changed and not known
        ]
        if unknown:
            raise IrreversibleError(f"{self.describe()}: the existing {', '.join(unknown)} is unknown")
        return AlterColumnOp(
            self.table_name,
            self.modify_name or self.column_name,
            schema=self.schema,
            existing_type=self.modify_type if self.modify_type is not None else self.existing_type,
            existing_server_default=(
                self.modify_server_default if self.modify_server_default is not False else self.existing_server_default
            ),
            existing_nullable=self.modify_nullable if self.modify_nullable is not None else self.existing_nullable,
            existing_comment=self.modify_comment if self.modify_comment is not False else self.existing_comment,
            modify_nullable=self.existing_nullable if self.modify_nullable is not None else None,
            modify_comment=self.existing_comment if self.modify_comment is not False else False,
            modify_server_default=self.existing_server_default if self.modify_server_default is not False else False,
            modify_name=self.column_name if self.modify_name else None,
            modify_type=self.existing_type if self.modify_type is not None else None,
            modify_autoincrement=self.existing_autoincrement if self.modify_autoincrement is not None else None,
            existing_autoincrement=self.modify_autoincrement,
        )

    def to_diff_tuple(self) -> tuple[Any, ...]:
        """Alembic's ``modify_*`` entries, each ``(kind, schema, table, column, existing, old, new)``
        where ``existing`` holds the other ``existing_*`` values; plus ``modify_name`` for renames."""
        where = (self.schema, self.table_name, self.column_name)
        existing = {
            "existing_type": self.existing_type,
            "existing_nullable": self.existing_nullable,
            "existing_server_default": self.existing_server_default,
            "existing_comment": self.existing_comment,
        }

        def others(own: str) -> dict[str, Any]:
            return {k: v for k, v in existing.items() if k != own}

        entries: list[tuple[Any, ...]] = []
        if self.modify_type is not None:
            entries.append(("modify_type", *where, others("existing_type"), self.existing_type, self.modify_type))
        if self.modify_nullable is not None:
            entries.append(("modify_nullable", *where, others("existing_nullable"), self.existing_nullable,
                            self.modify_nullable))
        if self.modify_server_default is not False:
            entries.append(("modify_default", *where, others("existing_server_default"),
                            self.existing_server_default, self.modify_server_default))
        if self.modify_comment is not False:
            entries.append(("modify_comment", *where, others("existing_comment"), self.existing_comment,
                            self.modify_comment))
        if self.modify_name is not None:
            entries.append(("modify_name", *where, dict(existing), self.column_name, self.modify_name))
        if self.modify_autoincrement is not None:
            entries.append(("modify_autoincrement", *where, dict(existing), self.existing_autoincrement,
                            self.modify_autoincrement))
        return tuple(entries)

    def complete(self, state: SchemaState) -> AlterColumnOp:
        column = state.column(self.table_name, self.column_name, self.schema)
        return oc.evolve(
            self,
            existing_type=column.type,
            existing_server_default=column.server_default,
            existing_nullable=column.nullable,
            existing_comment=column.comment,
            existing_autoincrement=column.autoincrement if self.modify_autoincrement is not None else None,
        )

    def altered(self, column: ColumnSpec) -> ColumnSpec:
        """``column`` as this op leaves it."""
        # Not attrs.evolve (which looks the fields up on every call), nor the constructor: folds alter often.
        return column_spec(
            column.name if self.modify_name is None else self.modify_name,
            column.type if self.modify_type is None else self.modify_type,
            column.nullable if self.modify_nullable is None else self.modify_nullable,
            column.server_default if self.modify_server_default is False else self.modify_server_default,  # type: ignore[arg-type]
            column.comment if self.modify_comment is False else self.modify_comment,  # type: ignore[arg-type]
            column.autoincrement if self.modify_autoincrement is None else self.modify_autoincrement,
            column.identity,
            column.computed,
        )

    def apply(self, state: SchemaState) -> SchemaState:
        state = state.with_changed_column(self.table_name, self.column_name, self.altered, self.schema)
        if self.modify_comment is False:  # (a column's comment is its table's own in PostgreSQL)
            for part in partitions_of(state.tables, self.table_name, self.schema):
                # PostgreSQL changes it in each partition of a partitioned table too
                if part.column(self.column_name) is not None:
                    state = state.with_changed_column(part.name, self.column_name, self.altered, part.schema)
        return state

    def describe(self) -> str:
        changes = []
        if self.modify_type is not None:
            changes.append(f"type {self.modify_type.render()}")
        if self.modify_nullable is not None:
            changes.append("NULL" if self.modify_nullable else "NOT NULL")
        if self.modify_server_default is not False:
            changes.append("drop default" if self.modify_server_default is None else
                           f"default {self.modify_server_default.render()}")  # type: ignore[union-attr]
        if self.modify_comment is not False:
            changes.append("drop comment" if self.modify_comment is None else f"comment {self.modify_comment!r}")
        if self.modify_name is not None:
            changes.append(f"rename to {self.modify_name}")
        if self.modify_autoincrement is not None:
            changes.append(f"autoincrement {self.modify_autoincrement}")
        if self.postgresql_using is not None:
            changes.append(f"using {self.postgresql_using}")
        return f"alter column {_full(self.table_name, self.schema)}.{self.column_name}: {', '.join(changes) or 'no change'}"

    @classmethod
    def _build(cls, table_name: str, column_name: str, schema: str | None, *, nullable: bool | None = None,
               comment: Any = False, server_default: Any = False, new_column_name: str | None = None,
               type_: Any = None, existing_type: Any = None, existing_server_default: Any = False,
               existing_nullable: bool | None = None, existing_comment: Any = False,
               postgresql_using: Any = None, autoincrement: bool | str | None = None,
               existing_autoincrement: bool | str | None = None, **_kw: Any) -> AlterColumnOp:
        return cls(
            table_name, column_name, schema=schema,
            existing_type=_type(existing_type),
            existing_server_default=_default(existing_server_default),
            existing_nullable=existing_nullable,
            existing_comment=existing_comment,
            modify_nullable=nullable,
            modify_comment=comment,
            modify_server_default=_default(server_default),
            modify_name=new_column_name,
            modify_type=_type(type_),
            postgresql_using=None if postgresql_using is None else str(postgresql_using),
            modify_autoincrement=autoincrement,
            existing_autoincrement=existing_autoincrement if autoincrement is not None else None,
        )

    @classmethod
    def alter_column(
        cls, operations: AbstractOperations, table_name: str, column_name: str, *, schema: str | None = None,
        **kw: Any,
    ) -> Any:
        """Alter a column: ``op.alter_column("t", "x", nullable=False, type_=sa.String(80), ...)``.

        Takes Alembic's arguments: ``nullable``, ``comment``, ``server_default``,
        ``new_column_name``, ``type_``, ``autoincrement``, the ``existing_*`` values and
        ``postgresql_using`` (the expression of PostgreSQL's ``USING`` clause for the type change).
        """
        return operations.invoke(cls._build(table_name, column_name, schema, **kw))

    @classmethod
    def batch_alter_column(cls, operations: BatchOperations, column_name: str, **kw: Any) -> Any:
        return operations.invoke(cls._build(operations.table_name, column_name, operations.schema, **kw))
