"""What the recorder does to the fold with each op it records, and what lets the fold follow a
database that accepted what the fold refuses as converted (a drop of a table other tables' keys
refer to, on SQLite; a primary key MySQL names PRIMARY; a unique constraint a database holds as a
unique index)."""

from __future__ import annotations

import sqlalchemy as sa

import ops as lops
from ops import InvalidOperationError, MigrateOperation, SchemaState

from ledger.integrations.alembic.base import ADJUSTED, AlembicHookError, Origin, Unrecordable


class FoldsOps:
    """Applies each recorded op to the fold (``self.state``), appending its event."""

    def _the_primary_key(self, op: lops.DropConstraintOp) -> lops.DropConstraintOp:
        """A database that names no primary key (MySQL/MariaDB: every one is PRIMARY) drops the
        table's one whatever name the drop gives: the drop of the one the fold holds."""
        assert self.state is not None
        if not self.state.has_table(op.table_name, op.schema):
            return op
        held = self.state.table(op.table_name, op.schema).primary_key
        if held is None or not held.name or held.name == op.constraint_name:
            return op
        drop = lops.DropConstraintOp(held.name, op.table_name, type_="primary", schema=op.schema)
        drop.info.update(op.info)
        return drop

    def _holds_check(self, op: MigrateOperation) -> bool:
        """The live table still has the CHECK ``op`` drops (a database that keeps a type's CHECK when
        Alembic alters the column's type: the drop did not run)."""
        table, schema = getattr(op, "table_name", None), getattr(op, "schema", None)
        with self._quiet():
            checks = sa.inspect(self.conn).get_check_constraints(table, schema=schema)  # type: ignore[arg-type]
        return any(c.get("name") == getattr(op, "constraint_name", None) for c in checks)

    def _unique_twin(self, op: MigrateOperation) -> MigrateOperation | None:
        """The drop of the unique constraint a ``drop_index`` named (or of the unique index a unique
        ``drop_constraint`` named) when the fold holds it as the other one: the database dropped it,
        so to it they are one object (MySQL/MariaDB keep a unique constraint as a unique index)."""
        assert self.state is not None
        if isinstance(op, lops.DropIndexOp) and op.table_name is not None \
                and self.state.has_table(op.table_name, op.schema):
            if any(u.name == op.index_name for u in self.state.table(op.table_name, op.schema).uniques):
                return lops.DropConstraintOp(op.index_name, op.table_name, type_="unique", schema=op.schema)
        if isinstance(op, lops.DropConstraintOp) and op.type_ == "unique" and self.state.has_table(op.table_name, op.schema):
            if any(i.name == op.constraint_name and i.unique for i in self.state.table(op.table_name, op.schema).indexes):
                return lops.DropIndexOp(op.constraint_name, op.table_name, schema=op.schema)
        return None

    def _apply(self, op: MigrateOperation, origin: Origin | None, message: str | None = None) -> None:
        assert self.state is not None
        try:
            state = op.apply(self.state)
        except InvalidOperationError as exc:
            adjusted = self._adjust(op)
            if adjusted is None:
                raise self._error(op.describe(), exc, origin) from exc
            state = adjusted
        self._append(op, message or self._message(), origin)
        self.state = state

    def _adjust(self, op: MigrateOperation) -> SchemaState | None:
        """Record what lets the fold follow an op the database accepted but the fold refuses.

        SQLite drops a table that other tables' foreign keys refer to and keeps those keys
        dangling. The fold drops the keys first (recorded, so a rollback re-creates them after
        the table) and then the table.
        """
        assert self.state is not None
        if not isinstance(op, lops.DropTableOp):
            return None
        refs = self.state.referencing(op.table_name, op.schema)
        if not refs:
            return None
        for table, fk in refs:
            drop = self.state.complete(lops.DropConstraintOp(fk.name or "", table.name, type_="foreignkey",
                                                             schema=table.schema))
            note = (f"{ADJUSTED} recorded so that table {op.table_name} can be dropped; the database keeps "
                    f"this foreign key, now dangling")
            self._append(drop, self._message(note))
            self.state = drop.apply(self.state)
            # recorded again once a table of that name is there (made, or renamed to it)
            self._dangling.add((table.key, (op.schema if fk.referent_schema is None else fk.referent_schema,
                                            op.table_name)))
        try:
            return op.apply(self.state)
        except InvalidOperationError:
            return None

    def _error(self, what: str, exc: BaseException, origin: Origin | None) -> AlembicHookError:
        where = f" ({origin})" if origin else ""
        return Unrecordable(
            f"alembic revision {self.revision}{where}: {what} ran but cannot be recorded: {' '.join(str(exc).split())}"
        )
