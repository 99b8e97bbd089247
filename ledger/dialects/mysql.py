"""MySQL and MariaDB: full column definitions in MODIFY/CHANGE, and InnoDB's foreign key indexes."""

from __future__ import annotations

import re
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.sql.elements import Grouping, TextClause

from ops import (AddColumnOp, AlterColumnOp, AlterTableOptionsOp, CreateIndexOp, CreatePrimaryKeyOp,
                 CreateUniqueConstraintOp, DropColumnOp, DropConstraintOp, DropIndexOp, RenameTableOp, SchemaState)
from ops.specs import ForeignKeySpec, IndexSpec, PrimaryKeySpec, TableSpec, UniqueSpec

from . import ddltext
from .base import DDLGenerator, UnsupportedOperationError, handles, mentions
from ledger.support.lazyre import lazy

__all__ = ["MySQLGenerator"]


#: an index element written as text that is one column, maybe with its order: ``n DESC``, ```n` ASC``
_ORDERED_COLUMN = lazy(r'^\s*(?:`[^`]+`|"[^"]+"|[A-Za-z_$][\w$]*)(?:\s+(?:ASC|DESC))?\s*$', re.IGNORECASE)


class MySQLGenerator(DDLGenerator):
    """MySQL/MariaDB DDL (SQLAlchemy's compiler picks DROP CHECK or DROP CONSTRAINT per vendor)."""

    name = "mysql"

    def compile(self, element: Any) -> str:
        if isinstance(element, sa.schema.DropConstraint):
            # Importing Alembic replaces MySQL's compilation of DropConstraint, process-wide,
            # with a function that asserts it gets no compile keywords (so literal_binds fails
            # it). A DROP has no values to inline: compiled without keywords, both give the same.
            return str(element.compile(dialect=self.dialect)).strip()
        return super().compile(element)

    @handles(RenameTableOp)
    def rename_table(self, op: RenameTableOp, before: SchemaState) -> list[str]:
        table = self.table(before, op.old_table_name, op.schema)
        # An unqualified new name would move the table into the connection's current database.
        target = sa.Table(op.new_table_name, sa.MetaData(), schema=op.schema)
        rename = f"ALTER TABLE {self.format_table(table)} RENAME TO {self.format_table(target)}"
        # InnoDB renames the foreign keys named <old>_ibfk_N with their table (to <new>_ibfk_N); the
        # op keeps every name (the hook records InnoDB's renames as ops of their own after it), so
        # those keys are dropped before the rename and made again under their names after it.
        spec = before.table(op.old_table_name, op.schema)
        renamed = [fk.name for fk in spec.foreign_keys if fk.name and fk.name.startswith(f"{op.old_table_name}_ibfk_")]
        if not renamed:
            return [rename]
        after = self.applied(op, before)
        moved = after.table(op.new_table_name, op.schema)
        return ([self.compile(sa.schema.DropConstraint(self.constraint(before, spec, name))) for name in renamed]
                + [rename]
                + [self.compile(sa.schema.AddConstraint(self.constraint(after, moved, name))) for name in renamed])

    def create_index_sql(self, index: sa.Index) -> str:
        # A column with its order written as text (``sa.text("n DESC")``) is a key part, not an expression.
        expressions = [e for e in index.expressions if isinstance(e, TextClause) and not _ORDERED_COLUMN.match(e.text)]
        if not expressions:
            return super().create_index_sql(index)
        if self.dialect.is_mariadb:  # type: ignore[attr-defined]
            raise UnsupportedOperationError(
                f"index {index.name}: MariaDB has no expression indexes (index a generated column instead)"
            )
        # MySQL 8 takes an expression key part only inside its own parentheses: ((lower(x))).
        copy = sa.Index(
            index.name,
            *[Grouping(e) if isinstance(e, TextClause) and not _ORDERED_COLUMN.match(e.text) else e
              for e in index.expressions],
            unique=index.unique, **index.dialect_kwargs,
        )
        copy.table = index.table  # compiled against the table without becoming one of its indexes
        return super().create_index_sql(copy)

    @handles(AddColumnOp)
    def add_column(self, op: AddColumnOp, before: SchemaState) -> list[str]:
        statements = super().add_column(op, before)
        if op.insert_before is not None:
            names = self.applied(op, before).table(op.table_name, op.schema).column_names
            at = names.index(op.column.name)
            statements[0] += " FIRST" if at == 0 else f" AFTER {self.quote(names[at - 1])}"
        return self._keyed_with_its_column(op, before, statements)

    def _keyed_with_its_column(self, op: AddColumnOp, before: SchemaState, statements: list[str]) -> list[str]:
        """An AUTO_INCREMENT column added back with the primary key it was dropped with (the
        reverse of a drop that took the key): MySQL refuses an AUTO_INCREMENT column that is no
        key, so the key is added in the column's own statement, which also numbers the rows."""
        auto = self.table(self.applied(op, before), op.table_name, op.schema).autoincrement_column
        if auto is None or auto.name != op.column.name:
            return statements
        state = attrs.evolve(op, _then=()).apply(before)
        for follow in op._then:
            made = follow.apply(state)
            if state.table(op.table_name, op.schema).primary_key is None \
                    and made.table(op.table_name, op.schema).primary_key is not None:
                keyed = self.table(made, op.table_name, op.schema)
                clause = self.compile(sa.schema.AddConstraint(keyed.primary_key)).split(" ADD ", 1)[1]
                own = self.statements(follow, state)
                rest = [s for s in statements[1:] if s not in own]
                return [f"{statements[0]}, ADD {clause}", *rest]
            state = made
        return statements

    @handles(DropColumnOp)
    def drop_column(self, op: DropColumnOp, before: SchemaState) -> list[str]:
        *first, statement = super().drop_column(op, before)
        if not self.dialect.is_mariadb:  # type: ignore[attr-defined]
            return [*first, statement]
        # MariaDB's DROP COLUMN also drops every CHECK that names no column at all (its columns
        # are "all dropped"): such checks are put back in the same statement.
        for dependent in op.dependents(before):
            before = dependent.apply(before)
        op = attrs.evolve(op, _dependents=())
        table = before.table(op.table_name, op.schema)
        after = self.applied(op, before)
        clauses = []
        for check in table.checks:
            if not any(mentions(check.sqltext, name) for name in table.column_names):
                add = self.compile(sa.schema.AddConstraint(self.constraint(after, table, check.name or "")))
                clauses.append(f"DROP CONSTRAINT IF EXISTS {self.quote(check.name or '')}, ADD {add.split(' ADD ', 1)[1]}")
        return [*first, ", ".join([statement, *clauses])]

    @handles(AlterColumnOp)
    def alter_column(self, op: AlterColumnOp, before: SchemaState) -> list[str]:
        # MODIFY and CHANGE replace the whole definition, so it is written in full from the new
        # state: type, NULL, default, comment and AUTO_INCREMENT together.
        after = self.applied(op, before)
        old = before.column(op.table_name, op.column_name, op.schema)
        new_name = op.modify_name or op.column_name
        if after.column(op.table_name, new_name, op.schema) == old:
            return []
        table = self.table(after, op.table_name, op.schema)
        spec = self.column_spec(table.c[new_name])
        if new_name != old.name:
            return [f"ALTER TABLE {self.format_table(table)} CHANGE COLUMN {self.quote(old.name)} {spec}"]
        return [f"ALTER TABLE {self.format_table(table)} MODIFY COLUMN {spec}"]

    @handles(AlterTableOptionsOp)
    def alter_table_options(self, op: AlterTableOptionsOp, before: SchemaState) -> list[str]:
        """``CONVERT TO CHARACTER SET``: the table's character set and collation, and those of the
        columns that follow it. The columns the new state gives a character set or collation of their
        own, and the TEXT columns (which CONVERT widens to hold as many characters in a wider character
        set), are then written again as that state has them, so the database holds what the fold does
        whichever order the changes come in."""
        options = dict(op.options)
        unknown = sorted(k for k in options if k.startswith("mysql_") and k not in ("mysql_charset", "mysql_collate"))
        if unknown:
            raise UnsupportedOperationError(f"{op.describe()}: no MySQL/MariaDB DDL for {', '.join(unknown)}")
        charset, collate = options.get("mysql_charset"), options.get("mysql_collate")
        if charset is None and collate is not None:
            charset = str(collate).split("_", 1)[0]
        after = self.applied(op, before)
        table = self.table(after, op.table_name, op.schema)
        prefix = f"ALTER TABLE {self.format_table(table)}"
        statements = [f"{prefix} CONVERT TO CHARACTER SET {charset or 'DEFAULT'}"
                      + (f" COLLATE {collate}" if collate is not None else "")]
        for column in after.table(op.table_name, op.schema).columns:
            kwargs = dict(column.type.kwargs)
            type_sql = self.type_sql(table.c[column.name].type).upper()
            if "charset" in kwargs or "collation" in kwargs or (type_sql.endswith("TEXT") and "JSON" not in type_sql):
                statements.append(f"{prefix} MODIFY COLUMN {self.column_spec(table.c[column.name])}")
        return statements

    @handles(CreatePrimaryKeyOp)
    def create_primary_key(self, op: CreatePrimaryKeyOp, before: SchemaState) -> list[str]:
        after = self.applied(op, before)
        table = self.table(after, op.table_name, op.schema)
        add = self.compile(sa.schema.AddConstraint(table.primary_key))
        auto = table.autoincrement_column
        kept = self._kept_key_indexes(before, op.table_name, op.schema, op.constraint.columns)
        if auto is None:
            return [add, *kept]
        # The key makes this column the table's AUTO_INCREMENT column, as CREATE TABLE would
        # have; both change in one statement because AUTO_INCREMENT needs the key.
        clause = add.split(" ADD ", 1)[1]
        return [f"ALTER TABLE {self.format_table(table)} MODIFY COLUMN {self.column_spec(auto)}, ADD {clause}", *kept]

    @handles(DropConstraintOp)
    def drop_constraint(self, op: DropConstraintOp, before: SchemaState) -> list[str]:
        spec = before.table(op.table_name, op.schema)
        constraint = spec.constraint(op.constraint_name)
        table = self.table(before, op.table_name, op.schema)
        statements = super().drop_constraint(op, before)
        if isinstance(constraint, (PrimaryKeySpec, UniqueSpec)):
            statements = self._keep_foreign_key_indexes(spec, self.applied(op, before)) + statements
        if isinstance(constraint, PrimaryKeySpec) and table.autoincrement_column is not None:
            # MySQL refuses an AUTO_INCREMENT column that is no key: it goes in the same statement.
            after = self.applied(op, before)
            column = self.table(after, op.table_name, op.schema).c[table.autoincrement_column.name]
            return statements[:-1] + [f"ALTER TABLE {self.format_table(table)} MODIFY COLUMN "
                                      f"{self.column_spec(column)}, DROP PRIMARY KEY"]
        if isinstance(constraint, ForeignKeySpec) and self._has_implicit_index(spec, constraint):
            # InnoDB gave the foreign key an index of its own name; it outlives the key. Another
            # foreign key on those columns that no other index serves now needs it (InnoDB moved
            # that key onto it): it becomes that key's index, named as InnoDB names one it makes.
            after = self.applied(op, before).table(op.table_name, op.schema)
            heir = next((fk for fk in after.foreign_keys if fk.name and fk.columns == constraint.columns
                         and not _covered(after, fk) and not self._has_implicit_index(after, fk)), None)
            if heir is not None:
                statements.append(f"ALTER TABLE {self.format_table(table)} RENAME INDEX "
                                  f"{self.quote(constraint.name or '')} TO {self.quote(heir.name or '')}")
            else:
                statements.append(f"DROP INDEX {self.quote(constraint.name or '')} ON {self.format_table(table)}")
        return statements

    @handles(CreateIndexOp)
    def create_index(self, op: CreateIndexOp, before: SchemaState) -> list[str]:
        return super().create_index(op, before) + self._kept_key_indexes(before, op.table_name, op.schema,
                                                                         op.index.columns)

    @handles(CreateUniqueConstraintOp)
    def create_unique_constraint(self, op: CreateUniqueConstraintOp, before: SchemaState) -> list[str]:
        return super().add_constraint(op, before) + self._kept_key_indexes(before, op.table_name, op.schema,
                                                                           op.constraint.columns)

    def _kept_key_indexes(self, before: SchemaState, table_name: str, schema: str | None,
                          columns: tuple[str, ...]) -> list[str]:
        """On MariaDB, ``CREATE INDEX IF NOT EXISTS`` of each index the table holds for one of its
        foreign keys that a new index or key on ``columns`` covers (starts with its columns).

        InnoDB drops an index it made for a foreign key when an index or key made later covers the
        key, where it keeps one made on purpose. The fold holds such an index by the name InnoDB gave
        it (a ``baseline``, a table read back after SQL text), so it is made again where InnoDB
        dropped it: the table then holds what the fold does, whoever made the index."""
        if not self.dialect.is_mariadb:  # type: ignore[attr-defined]
            return []  # (MySQL has no CREATE INDEX IF NOT EXISTS)
        table = before.table(table_name, schema)
        keys = {fk.columns for fk in table.foreign_keys}
        statements = []
        for index in table.indexes:
            width = len(index.columns)
            if index.unique or index.dialect_options or not width or width != len(index.elements) \
                    or index.columns not in keys or tuple(columns[:width]) != index.columns:
                continue
            quoted = ", ".join(self.quote(c) for c in index.columns)
            statements.append(f"CREATE INDEX IF NOT EXISTS {self.quote(index.name or '')} "
                              f"ON {ddltext.table_sql(self.preparer, table)} ({quoted})")
        return statements

    @handles(DropIndexOp)
    def drop_index(self, op: DropIndexOp, before: SchemaState) -> list[str]:
        spec, index = before.find_index(op.index_name, op.schema, op.table_name)
        if self._dropped_for_another(spec, index):
            return []
        return self._keep_foreign_key_indexes(spec, self.applied(op, before)) + super().drop_index(op, before)

    def _dropped_for_another(self, table: TableSpec, index: IndexSpec) -> bool:
        """Whether InnoDB dropped ``index`` already: an index it made for a foreign key (named after
        the key's column, which the ledger holds as an index of the table) is dropped silently when
        an index made later serves the key as well, one that starts with its columns (a rollback
        that makes such an index again, before it drops the key); the live table no longer has it."""
        width = len(index.columns)
        if index.unique or not index.name or not width or len(index.columns) != len(index.elements) or not any(
                other.name != index.name and other.columns[:width] == index.columns for other in table.indexes):
            return False
        conn = self.reading()
        return conn is not None and not self._index_exists(conn, table, index.name)

    @staticmethod
    def _index_exists(conn: sa.Connection, table: TableSpec, name: str) -> bool:
        """Whether the live ``table`` has an index ``name``."""
        query = sa.text(
            "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
            + ("DATABASE()" if table.schema is None else ":schema")
            + " AND TABLE_NAME = :table AND INDEX_NAME = :name"
        )
        params: dict[str, Any] = {"table": table.name, "name": name}
        if table.schema is not None:
            params["schema"] = table.schema
        return bool(conn.execute(query, params).scalar())

    def _keep_foreign_key_indexes(self, old: TableSpec, after: SchemaState) -> list[str]:
        """``CREATE INDEX`` for each foreign key whose only index is the key or index being dropped.

        InnoDB refuses to drop the last index a foreign key can use. Had the key not been there
        when the foreign key was made, InnoDB would have made an index named after the foreign
        key: that is the index made here, so the schema is the one InnoDB would have.
        """
        new = after.table(old.name, old.schema)
        statements = []
        for fk in new.foreign_keys:
            if fk.name is None or _covered(new, fk) or not _covered(old, fk) or self._has_implicit_index(old, fk):
                continue
            table = self.table(after, new.name, new.schema)
            columns = ", ".join(self.quote(c) for c in fk.columns)
            statements.append(f"CREATE INDEX {self.quote(fk.name)} ON {self.format_table(table)} ({columns})")
        return statements

    def _has_implicit_index(self, table: TableSpec, fk: ForeignKeySpec) -> bool:
        """Whether InnoDB created an index for ``fk`` (one that the schema state does not hold)."""
        if fk.name is None or table.index(fk.name) is not None:
            return False
        conn = self.reading()
        if conn is not None:
            return self._index_exists(conn, table, fk.name)
        # Without a connection: InnoDB keeps an index whose leading columns are the key's, making
        # one named after the key when no other index serves.
        return not _covered(table, fk)


def _covered(table: TableSpec, fk: ForeignKeySpec) -> bool:
    """Whether a key or index of ``table`` starts with ``fk``'s columns (InnoDB can use it for ``fk``)."""
    width = len(fk.columns)
    leads = [k.columns[:width] for k in ([table.primary_key] if table.primary_key else [])]
    leads += [u.columns[:width] for u in table.uniques]
    leads += [i.columns[:width] for i in table.indexes if len(i.columns) == len(i.elements)]
    return tuple(fk.columns) in leads
