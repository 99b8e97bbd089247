"""The migration context: a connection, its dialect and the schema state it has.

A live facade runs each op as it is issued: its SQL comes from the implementation registry
(:func:`ledger.dialects.ddl`: the database's DDL generator for built-in ops, a plugin's
implementation for its own), runs, and the op is folded onto the state::

    ctx = MigrationContext.configure(conn, state)
    operations = ctx.operations()
    operations.add_column("customer", sa.Column("email", sa.String(200)))
"""

from __future__ import annotations

from typing import Any

import attrs
import sqlalchemy as sa

from ops import MigrateOperation, Operations, SchemaState

from ledger import dialects

__all__ = ["MigrationContext"]


@attrs.define
class MigrationContext:
    """What a live facade executes against: ``state`` is the schema the connection has now."""

    connection: sa.Connection
    dialect: str
    state: SchemaState = attrs.field(factory=SchemaState)

    @classmethod
    def configure(cls, connection: sa.Connection, state: SchemaState | None = None) -> MigrationContext:
        return cls(connection, dialects.dialect_name(connection), state if state is not None else dialects.empty_state(connection))

    def statements(self, op: MigrateOperation) -> list[str]:
        """What running ``op`` now would execute."""
        return dialects.ddl(op, self.state, self.dialect, conn=self.connection)

    def run(self, op: MigrateOperation) -> None:
        """Execute ``op`` on the connection and fold it onto the state."""
        dialects.execute(self.connection, self.statements(op))
        self.state = self.state.apply(op)

    def operations(self, **kwargs: Any) -> Operations:
        """A facade whose calls run at once against this context."""
        return Operations(self.run, context=self, **kwargs)
