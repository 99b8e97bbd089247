"""Operations on constraints: primary keys, unique, foreign key and check constraints."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from .classes import frozen
from .base import InvalidOperationError, IrreversibleError, MigrateOperation, op_type
from .operations import AbstractOperations, BatchOperations, Operations
from .specs import (
    CheckSpec,
    ConstraintSpec,
    ForeignKeySpec,
    PrimaryKeySpec,
    UniqueSpec,
    sql_text,
    named,
    unnamed_metadata,
)
from . import classes as oc

if TYPE_CHECKING:
    from .state import SchemaState

__all__ = [
    "AddConstraintOp",
    "CreateCheckConstraintOp",
    "CreateForeignKeyOp",
    "CreatePrimaryKeyOp",
    "CreateUniqueConstraintOp",
    "DropConstraintOp",
]


def _checks(value: Any) -> tuple[CheckSpec, ...]:
    # A Python function, not ``tuple``: attrs reads a converter's signature (see ops.column._ops).
    return tuple(value)


def _full(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema else name


def _attach(spec: ConstraintSpec, table_name: str, schema: str | None) -> sa.Constraint:
    """``spec`` as a SQLAlchemy constraint attached to a minimal table (as Alembic does)."""
    constraint = spec.to_constraint(schema) if isinstance(spec, ForeignKeySpec) else spec.to_constraint()
    columns = [sa.Column(c, sa.types.NULLTYPE) for c in spec.column_names]
    metadata = unnamed_metadata()
    if isinstance(spec, ForeignKeySpec):
        referent_schema = spec.referent_schema if spec.referent_schema is not None else schema
        if (referent_schema, spec.referent_table) != (schema, table_name):
            sa.Table(spec.referent_table, metadata,
                     *[sa.Column(c, sa.types.NULLTYPE) for c in spec.referent_columns], schema=referent_schema)
        else:
            columns += [sa.Column(c, sa.types.NULLTYPE) for c in spec.referent_columns if c not in spec.columns]
    sa.Table(table_name, metadata, *columns, constraint, schema=schema)
    return constraint


def _visit_name(constraint: sa.Constraint) -> str:
    """The constraint's kind; SQLAlchemy's CHECK constraints visit as table or column checks."""
    kind = str(constraint.__visit_name__)
    return "check_constraint" if isinstance(constraint, sa.CheckConstraint) else kind


def _table_of(constraint: sa.Constraint) -> tuple[str, str | None]:
    table = getattr(constraint, "table", None)
    if table is None:
        raise InvalidOperationError("the constraint must be attached to a Table")
    return str(table.name), None if table.schema is None else str(table.schema)


class AddConstraintOp(MigrateOperation):
    """Base of the operations that add a constraint; dispatches on the SQLAlchemy constraint type."""

    add_constraint_ops: ClassVar[dict[str, Callable[[sa.Constraint], AddConstraintOp]]] = {}
    spec_class: ClassVar[type[Any]]

    table_name: str
    constraint: Any
    schema: str | None

    @classmethod
    def register_add_constraint(cls, type_: str) -> Callable[[type[AddConstraintOp]], type[AddConstraintOp]]:
        """Class decorator: ``type_`` constraints (a ``__visit_name__``) are built by this class."""

        def go(klass: type[AddConstraintOp]) -> type[AddConstraintOp]:
            cls.add_constraint_ops[type_] = klass.from_constraint
            return klass

        return go

    @classmethod
    def from_constraint(cls, constraint: sa.Constraint) -> AddConstraintOp:
        if cls is not AddConstraintOp:  # a subclass builds the op of its own kind
            return cls._from_spec_constraint(constraint)
        kind = _visit_name(constraint)
        builder = cls.add_constraint_ops.get(kind)
        if builder is None:
            raise InvalidOperationError(f"no operation handles {kind} constraints")
        return builder(constraint)

    @classmethod
    def _from_spec_constraint(cls, constraint: sa.Constraint) -> AddConstraintOp:
        table_name, schema = _table_of(constraint)
        spec = named(cls.spec_class.from_constraint(constraint), table_name)
        return cls(table_name, spec, schema=schema)  # type: ignore[call-arg]

    @property
    def constraint_type(self) -> str:
        return self.spec_class.constraint_type  # type: ignore[no-any-return]

    @property
    def constraint_name(self) -> str | None:
        return self.constraint.name  # type: ignore[no-any-return]

    def to_constraint(self, migration_context: Any = None) -> sa.Constraint:
        return _attach(self.constraint, self.table_name, self.schema)

    def reverse(self) -> DropConstraintOp:
        return DropConstraintOp(self.constraint.name, self.table_name, type_=self.constraint_type,
                                schema=self.schema, _reverse=self)

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_constraint", self.to_constraint())

    def apply(self, state: SchemaState) -> SchemaState:
        return state.with_constraint(self.table_name, self.constraint, self.schema)

    def describe(self) -> str:
        columns = ", ".join(self.constraint.column_names)
        keyword = " AUTOINCREMENT" if getattr(self.constraint, "autoincrement", False) else ""  # SQLite's
        return (f"add {self.constraint_type} constraint {self.constraint.name} on "
                f"{_full(self.table_name, self.schema)}({columns}){keyword}")


def _invoke(operations: AbstractOperations, op_class: type[AddConstraintOp], table_name: str, spec: Any,
            schema: str | None) -> Any:
    return operations.invoke(op_class(table_name, named(spec, table_name, operations.naming_convention),  # type: ignore[call-arg]
                                      schema=schema))


@Operations.register_operation("create_primary_key")
@BatchOperations.register_operation("create_primary_key", "batch_create_primary_key")
@AddConstraintOp.register_add_constraint("primary_key_constraint")
@op_type("create_primary_key")
@frozen
class CreatePrimaryKeyOp(AddConstraintOp):
    """Add a primary key."""

    spec_class = PrimaryKeySpec

    table_name: str
    constraint: PrimaryKeySpec
    schema: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return self.constraint.columns

    @classmethod
    def create_primary_key(cls, operations: AbstractOperations, constraint_name: str | None, table_name: str,
                           columns: Sequence[str], *, schema: str | None = None, sqlite_autoincrement: bool = False) -> Any:
        """Add a primary key: ``op.create_primary_key("pk_t", "t", ["id"])``; ``sqlite_autoincrement``:
        SQLite's AUTOINCREMENT on its INTEGER column, as ``create_table`` takes it."""
        spec = PrimaryKeySpec(constraint_name, tuple(columns), autoincrement=sqlite_autoincrement)
        return _invoke(operations, cls, table_name, spec, schema)

    @classmethod
    def batch_create_primary_key(cls, operations: BatchOperations, constraint_name: str | None,
                                 columns: Sequence[str]) -> Any:
        return _invoke(operations, cls, operations.table_name, PrimaryKeySpec(constraint_name, tuple(columns)),
                       operations.schema)


@Operations.register_operation("create_unique_constraint")
@BatchOperations.register_operation("create_unique_constraint", "batch_create_unique_constraint")
@AddConstraintOp.register_add_constraint("unique_constraint")
@op_type("create_unique_constraint")
@frozen
class CreateUniqueConstraintOp(AddConstraintOp):
    """Add a unique constraint."""

    spec_class = UniqueSpec

    table_name: str
    constraint: UniqueSpec
    schema: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return self.constraint.columns

    @classmethod
    def create_unique_constraint(cls, operations: AbstractOperations, constraint_name: str | None, table_name: str,
                                 columns: Sequence[str], *, schema: str | None = None,
                                 deferrable: bool | None = None, initially: str | None = None, **_kw: Any) -> Any:
        """Add a unique constraint: ``op.create_unique_constraint("uq_t_email", "t", ["email"])``."""
        spec = UniqueSpec(constraint_name, tuple(columns), deferrable, initially)
        return _invoke(operations, cls, table_name, spec, schema)

    @classmethod
    def batch_create_unique_constraint(cls, operations: BatchOperations, constraint_name: str | None,
                                       columns: Sequence[str], **kw: Any) -> Any:
        return cls.create_unique_constraint(operations, constraint_name, operations.table_name, columns,
                                            schema=operations.schema, **kw)


@Operations.register_operation("create_foreign_key")
@BatchOperations.register_operation("create_foreign_key", "batch_create_foreign_key")
@AddConstraintOp.register_add_constraint("foreign_key_constraint")
@op_type("create_foreign_key")
@frozen
class CreateForeignKeyOp(AddConstraintOp):
    """Add a foreign key."""

    spec_class = ForeignKeySpec

    table_name: str
    constraint: ForeignKeySpec
    schema: str | None = None

    @property
    def source_table(self) -> str:
        return self.table_name

    @property
    def referent_table(self) -> str:
        return self.constraint.referent_table

    def to_diff_tuple(self) -> tuple[Any, ...]:
        return ("add_fk", self.to_constraint())

    def describe(self) -> str:
        c = self.constraint
        return (f"add foreign key {c.name} on {_full(self.table_name, self.schema)}({', '.join(c.columns)}) "
                f"-> {c.referent_fullname}({', '.join(c.referent_columns)})")

    @classmethod
    def create_foreign_key(
        cls, operations: AbstractOperations, constraint_name: str | None, source_table: str, referent_table: str,
        local_cols: Sequence[str], remote_cols: Sequence[str], *, onupdate: str | None = None,
        ondelete: str | None = None, deferrable: bool | None = None, initially: str | None = None,
        match: str | None = None, source_schema: str | None = None, referent_schema: str | None = None,
        **_kw: Any,
    ) -> Any:
        """Add a foreign key: ``op.create_foreign_key(None, "order", "customer", ["customer_id"], ["id"])``."""
        spec = ForeignKeySpec(
            constraint_name, tuple(local_cols), referent_table, tuple(remote_cols), referent_schema,
            ondelete.upper() if ondelete else None, onupdate.upper() if onupdate else None,
            deferrable, initially, match,
        )
        return _invoke(operations, cls, source_table, spec, source_schema)

    @classmethod
    def batch_create_foreign_key(
        cls, operations: BatchOperations, constraint_name: str | None, referent_table: str,
        local_cols: Sequence[str], remote_cols: Sequence[str], *, referent_schema: str | None = None, **kw: Any,
    ) -> Any:
        return cls.create_foreign_key(operations, constraint_name, operations.table_name, referent_table,
                                      local_cols, remote_cols, source_schema=operations.schema,
                                      referent_schema=referent_schema, **kw)


@Operations.register_operation("create_check_constraint")
@BatchOperations.register_operation("create_check_constraint", "batch_create_check_constraint")
@AddConstraintOp.register_add_constraint("check_constraint")
@op_type("create_check_constraint")
@frozen
class CreateCheckConstraintOp(AddConstraintOp):
    """Add a check constraint; with ``repeated``, more CHECKs of its name, as one group.

    SQLite holds CHECKs of one name on a table (Alembic's batch rebuilds make them); where the
    fold's rule allows it (``ops.names.repeatable``) the op makes them all, the drop of the name
    drops them all, and the reverse of that drop makes them all again.
    """

    spec_class = CheckSpec

    table_name: str
    constraint: CheckSpec
    schema: str | None = None
    #: the further CHECKs of ``constraint``'s name made with it
    repeated: tuple[CheckSpec, ...] = oc.field(default=(), kw_only=True, converter=_checks)

    @property
    def condition(self) -> str:
        return self.constraint.sqltext

    def apply(self, state: SchemaState) -> SchemaState:
        return state.with_constraint(self.table_name, self.constraint, self.schema, repeated=self.repeated)

    def describe(self) -> str:
        more = (f" (and {len(self.repeated)} more of that name: {'; '.join(c.sqltext for c in self.repeated)})"
                if self.repeated else "")
        return (f"add check constraint {self.constraint.name} on {_full(self.table_name, self.schema)}: "
                f"{self.condition}{more}")

    @classmethod
    def create_check_constraint(cls, operations: AbstractOperations, constraint_name: str | None, table_name: str,
                                condition: Any, *, schema: str | None = None, repeated: Sequence[Any] = (),
                                **_kw: Any) -> Any:
        """Add a check constraint: ``op.create_check_constraint("ck_price", "product", "price >= 0")``;
        ``repeated``: the conditions of more CHECKs of that name, made with it (on SQLite only)."""
        if not repeated:
            return _invoke(operations, cls, table_name, CheckSpec(constraint_name, sql_text(condition)), schema)
        first = named(CheckSpec(constraint_name, sql_text(condition)), table_name, operations.naming_convention)
        more = tuple(CheckSpec(first.name, sql_text(c)) for c in repeated)
        return operations.invoke(cls(table_name, first, schema=schema, repeated=more))

    @classmethod
    def batch_create_check_constraint(cls, operations: BatchOperations, constraint_name: str | None,
                                      condition: Any, **_kw: Any) -> Any:
        return cls.create_check_constraint(operations, constraint_name, operations.table_name, condition,
                                           schema=operations.schema)


_TYPE_BY_VISIT = {
    "primary_key_constraint": "primary",
    "unique_constraint": "unique",
    "foreign_key_constraint": "foreignkey",
    "check_constraint": "check",
}


@Operations.register_operation("drop_constraint")
@BatchOperations.register_operation("drop_constraint", "batch_drop_constraint")
@op_type("drop_constraint")
@frozen
class DropConstraintOp(MigrateOperation):
    """Drop a constraint; completion keeps the constraint (``_reverse``) so the drop can be undone."""

    constraint_name: str
    table_name: str
    type_: str | None = None
    schema: str | None = None
    _reverse: AddConstraintOp | None = oc.field(default=None, alias="_reverse")

    def reverse(self) -> AddConstraintOp:
        if self._reverse is None:
            raise IrreversibleError(f"{self.describe()}: the dropped constraint is unknown")
        return self._reverse

    @classmethod
    def from_constraint(cls, constraint: sa.Constraint) -> DropConstraintOp:
        table_name, schema = _table_of(constraint)
        add = AddConstraintOp.from_constraint(constraint)
        return cls(add.constraint.name, table_name, type_=_TYPE_BY_VISIT.get(_visit_name(constraint)),
                   schema=schema, _reverse=add)

    def to_constraint(self) -> sa.Constraint:
        if self._reverse is not None:
            return self._reverse.to_constraint()
        kinds = {"foreignkey": sa.ForeignKeyConstraint([], [], name=self.constraint_name),
                 "primary": sa.PrimaryKeyConstraint(name=self.constraint_name),
                 "unique": sa.UniqueConstraint(name=self.constraint_name),
                 "check": sa.CheckConstraint("", name=self.constraint_name)}
        constraint = kinds.get(self.type_ or "check")
        sa.Table(self.table_name, unnamed_metadata(), constraint, schema=self.schema)  # type: ignore[arg-type]
        return constraint  # type: ignore[return-value]

    def to_diff_tuple(self) -> tuple[Any, ...]:
        kind = "remove_fk" if self.type_ == "foreignkey" else "remove_constraint"
        return (kind, self.to_constraint())

    def complete(self, state: SchemaState) -> DropConstraintOp:
        table = state.table(self.table_name, self.schema)
        spec = table.constraint(self.constraint_name)
        if spec is None:
            raise InvalidOperationError(f"constraint {self.constraint_name} does not exist on {table.fullname}")
        if self.type_ is not None and self.type_ != spec.constraint_type:
            raise InvalidOperationError(
                f"constraint {self.constraint_name} on {table.fullname} is a {spec.constraint_type} constraint, "
                f"not {self.type_}"
            )
        add_class = {PrimaryKeySpec: CreatePrimaryKeyOp, UniqueSpec: CreateUniqueConstraintOp,
                     ForeignKeySpec: CreateForeignKeyOp, CheckSpec: CreateCheckConstraintOp}[type(spec)]
        add: AddConstraintOp
        if isinstance(spec, CheckSpec):
            # every CHECK of the name goes (SQLite holds more than one), and its reverse makes them all
            group = [c for c in table.checks if c.name == self.constraint_name]
            add = CreateCheckConstraintOp(self.table_name, group[0], schema=self.schema, repeated=tuple(group[1:]))
        else:
            add = add_class(self.table_name, spec, schema=self.schema)  # type: ignore[arg-type]
        return oc.evolve(self, type_=spec.constraint_type, _reverse=add)

    def apply(self, state: SchemaState) -> SchemaState:
        return state.without_constraint(self.table_name, self.constraint_name, self.schema)

    def describe(self) -> str:
        kind = f"{self.type_} " if self.type_ else ""
        return f"drop {kind}constraint {self.constraint_name} on {_full(self.table_name, self.schema)}"

    @classmethod
    def drop_constraint(cls, operations: AbstractOperations, constraint_name: str, table_name: str,
                        type_: str | None = None, *, schema: str | None = None, **_kw: Any) -> Any:
        """Drop a constraint: ``op.drop_constraint("fk_order_customer_id_customer", "order", type_="foreignkey")``."""
        return operations.invoke(cls(constraint_name, table_name, type_=type_, schema=schema))

    @classmethod
    def batch_drop_constraint(cls, operations: BatchOperations, constraint_name: str, type_: str | None = None,
                              **_kw: Any) -> Any:
        return operations.invoke(cls(constraint_name, operations.table_name, type_=type_, schema=operations.schema))
