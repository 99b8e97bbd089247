"""The migration context: a connection, its dialect and the schema state it has; the op executors.

Every op class has an executor registered with ``Operations.implementation_for``: it turns the
op into statements with :func:`ledger.dialects.ddl` from the context's state, runs them, and
folds the op onto the state. That makes ``op`` a live facade::

    ctx = MigrationContext.configure(conn, state)
    operations = ctx.operations()
    operations.add_column("customer", sa.Column("email", sa.String(200)))
"""

from __future__ import annotations

from typing import Any

import attrs
import sqlalchemy as sa

from ops import OP_TYPES, InvalidOperationError, MigrateOperation, Operations, SchemaState
from ops.operations import AbstractOperations

from . import dialects

__all__ = ["MigrationContext", "run_op"]


@attrs.define
class MigrationContext:
    """What a live facade executes against: ``state`` is the schema the connection has now."""

    connection: sa.Connection
    dialect: str
    state: SchemaState = attrs.field(factory=SchemaState)

    @classmethod
    def configure(cls, connection: sa.Connection, state: SchemaState | None = None) -> MigrationContext:
        return cls(connection, dialects.dialect_name(connection), state if state is not None else SchemaState())

    def statements(self, op: MigrateOperation) -> list[str]:
        """What running ``op`` now would execute."""
        return dialects.ddl(op, self.state, self.dialect, conn=self.connection)

    def run(self, op: MigrateOperation) -> None:
        """Execute ``op`` on the connection and fold it onto the state."""
        dialects.execute(self.connection, self.statements(op))
        self.state = self.state.apply(op)

    def operations(self, **kwargs: Any) -> Operations:
        """A facade whose calls run at once against this context."""
        holder: list[Operations] = []
        operations = Operations(lambda op: Operations.implementation(op)(holder[0], op), context=self, **kwargs)
        holder.append(operations)
        return operations


def run_op(operations: AbstractOperations, op: MigrateOperation) -> None:
    """The executor of every op type: DDL from the context's state, run, then fold."""
    context = operations.migration_context
    if not isinstance(context, MigrationContext):
        raise InvalidOperationError(f"{op.describe()}: this facade has no migration context to run against")
    context.run(op)


for _op_class in OP_TYPES.values():
    Operations.implementation_for(_op_class)(run_op)
