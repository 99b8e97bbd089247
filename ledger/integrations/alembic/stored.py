"""What the database stored: defaults and CHECK text as it keeps them, and what MySQL/MariaDB did implicitly."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

import ops as lops
from ops import InvalidOperationError, MigrateOperation, SchemaState
from ops.specs import ForeignKeySpec, IndexElement, IndexSpec

from ledger import dialects
from ledger.schema.comparison import normalize_column
from ledger.schema.implied import implied_check, implied_name, is_implied_name, without_constraint
from ledger.schema.reflect import as_auto_incremented
from ledger.schema.sqltext import canonical_sql
from ledger.integrations.alembic.base import ADJUSTED, PLACEHOLDER, SCHEMA_SQL, Origin
from ledger.integrations.alembic_sql import schema_object
from ops import classes as oc


class RecordsStored:
    """Records an operation as the database stored it, and the implicit changes that came with it."""

    def _stored_defaults(self, op: MigrateOperation) -> MigrateOperation:
        """``op`` with each server default it sets as the database stores it, where that differs.

        SQLite stores ``sa.false()`` as ``0``; PostgreSQL stores ``'0'`` on a boolean as
        ``false``. The columns' defaults are read back after the op ran and compared as
        ``verify --live`` compares them; a default the database rewrote is recorded as rewritten.
        """
        if isinstance(op, lops.CreateTableOp):
            table, schema, columns = op.table.name, op.table.schema, op.table.columns
        elif isinstance(op, lops.AddColumnOp):
            table, schema, columns = op.table_name, op.schema, (op.column,)
        elif isinstance(op, lops.AlterColumnOp) and isinstance(op.modify_server_default, lops.DefaultSpec) \
                and self.state is not None:
            table, schema = op.table_name, op.schema
            columns = (op.altered(self.state.column(op.table_name, op.column_name, op.schema)),)
        else:
            return op
        wanted = {c.name: c for c in columns if c.server_default is not None}
        if not wanted:
            return op
        read = self._table_read(table, schema)
        stored = read.defaults if read is not None else None
        with self._quiet():
            if stored is None:
                try:
                    stored = {c["name"]: c.get("default") for c in sa.inspect(self.conn).get_columns(table, schema=schema)}
                except sa.exc.NoSuchTableError:
                    return op
        replaced = {}
        for name, column in wanted.items():
            text = stored.get(name)
            if text is None:
                continue
            live = oc.evolve(column, server_default=lops.DefaultSpec("text", str(text)))
            if normalize_column(live, False, self.dialect) != normalize_column(column, False, self.dialect):
                replaced[name] = live
        return _with_replaced(op, "columns", replaced)

    def _stored_autoincrement(self, op: MigrateOperation, origin: str | None = None) -> MigrateOperation:
        """``op`` (a ``create_table``) with the columns the database auto-increments as it holds them,
        where ``autoincrement="auto"`` says otherwise (MariaDB makes a key column drawing on a
        ``sa.Sequence`` without AUTO_INCREMENT).

        Before a primary key added to a table's columns (``create_primary_key``), each column that the
        key would make auto-incremented by those rules and the database does not (MySQL/MariaDB's
        ``ADD PRIMARY KEY`` leaves its column as it was, where CREATE TABLE makes it AUTO_INCREMENT)
        is recorded first as the database holds it, its ``autoincrement`` False."""
        if not self._database.reports_autoincrement or not isinstance(op, (lops.CreateTableOp, lops.CreatePrimaryKeyOp)):
            return op
        name, schema = (op.table.name, op.table.schema) if isinstance(op, lops.CreateTableOp) else (op.table_name, op.schema)
        with self._quiet():
            try:
                live = {c["name"] for c in sa.inspect(self.conn).get_columns(name, schema=schema)
                        if c.get("autoincrement") is True}
            except sa.exc.NoSuchTableError:
                return op
        if isinstance(op, lops.CreateTableOp):
            table = as_auto_incremented(op.table, live)
            return op if table is op.table else oc.evolve(op, table=table)
        assert self.state is not None
        try:
            keyed = op.apply(self.state).table(name, schema)
        except InvalidOperationError:
            return op  # the recording of the op itself says why
        held = as_auto_incremented(keyed, live)
        for column, as_held in zip(keyed.columns, held.columns):
            if column.autoincrement != as_held.autoincrement:
                alter = lops.AlterColumnOp(name, column.name, schema=schema, modify_autoincrement=as_held.autoincrement)
                held_as = "auto-incremented" if as_held.autoincrement else "not auto-incremented"
                self._apply(self.state.complete(alter), origin, self._message(
                    f"{ADJUSTED} {op.describe()} left column {column.name} as it was, {held_as}"))
        return op

    def _foreign_key_indexes(self, op: MigrateOperation, origin: Origin | None) -> MigrateOperation:
        """``op`` (``create_table``, ``create_foreign_key``) with the index InnoDB made for each of its
        foreign keys held as an index of the table, where InnoDB named it after the key's first
        column (``parent_id``, ``parent_id_2``: a key made without a name) and not after the key.

        The fold takes a key's own index to bear the key's name, as InnoDB names it for a key made
        by name; a key the database named (``child_ibfk_1``), made again by that name (``apply``,
        ``materialize``, a drill), would have its index named so, where Alembic's run holds
        ``parent_id`` (which InnoDB keeps when the key goes). Held as an index, it is made with the
        table or before the key, which then takes it as its own."""
        if isinstance(op, lops.CreateTableOp):
            table, schema, keys, held = op.table.name, op.table.schema, op.table.foreign_keys, op.table
        elif isinstance(op, lops.CreateForeignKeyOp) and self.state is not None \
                and self.state.has_table(op.table_name, op.schema):
            table, schema, keys = op.table_name, op.schema, (op.constraint,)
            held = self.state.table(table, schema)
        else:
            return op
        keys = tuple(fk for fk in keys if fk.name)
        if not keys:
            return op
        with self._quiet():
            try:
                live = sa.inspect(self.conn).get_indexes(table, schema=schema)
            except sa.exc.NoSuchTableError:
                return op
        names = {i["name"] for i in live}
        taken = {i.name for i in held.indexes}
        made = []
        for fk in keys:
            if fk.name in names:
                continue  # named after the key, as the fold takes it
            found = next((i for i in live if i["name"] not in taken and not i.get("unique")
                          and tuple(i["column_names"]) == fk.columns
                          and re.fullmatch(rf"{re.escape(fk.columns[0])}(_\d+)?", i["name"] or "")), None)
            if found is not None:
                taken.add(found["name"])
                made.append(IndexSpec(found["name"], tuple(IndexElement(c) for c in fk.columns)))
        if not made:
            return op
        if isinstance(op, lops.CreateTableOp):
            return oc.evolve(op, table=oc.evolve(op.table, indexes=(*op.table.indexes, *made)))
        assert self.state is not None
        for index in made:
            self._apply(self.state.complete(lops.CreateIndexOp(table, index, schema=schema)), origin, self._message(
                f"{ADJUSTED} the index MySQL/MariaDB made for foreign key {op.constraint.name}, "  # type: ignore[attr-defined]
                f"named after its column"))
        return op

    def _made_types(self, op: MigrateOperation, origin: Origin | None, captured: list[Any]) -> None:
        """Record each ``CREATE TYPE`` the op ran for a named ENUM its columns declare, before the op,
        with its DROP TYPE as reverse. PostgreSQL keeps the type after its last column goes (only a
        DROP TYPE drops it): held as SQL text, a later DROP TYPE has its definition to make it again,
        and the rollback of the op that made it drops it."""
        if not isinstance(op, (lops.CreateTableOp, lops.AddColumnOp)):
            return
        columns = op.table.columns if isinstance(op, lops.CreateTableOp) else (op.column,)
        # an ARRAY of a named ENUM makes its item's type too
        declared = {str(spec.kw["name"]) for c in columns for spec in dialects.enums_in(c.type)}
        for item in captured:
            for text in item.texts:
                found = schema_object(text)
                if found is None or found[0] != "create" or found[1].kind != "TYPE" \
                        or found[1].key[1].rsplit(".", 1)[-1] not in declared:
                    continue
                self._append(lops.ExecuteSQLOp(text, self._reverse_sql(text)), self._message(
                    f"{SCHEMA_SQL} {item.source}: the type {found[1].name} that {op.describe()} made; "
                    "PostgreSQL keeps it until DROP TYPE"), origin)

    def _existing_enums(self, op: MigrateOperation) -> MigrateOperation:
        """``op`` with each column declared with a named ENUM type that exists given that type as the
        fold holds it: PostgreSQL keeps the existing type (SQLAlchemy creates a named ENUM only when
        it is not there), whatever values the column declares."""
        if isinstance(op, lops.CreateTableOp):
            columns = op.table.columns
        elif isinstance(op, lops.AddColumnOp):
            columns = (op.column,)
        else:
            return op
        assert self.state is not None
        held = None
        replaced = {}
        for column in columns:
            kw = column.type.kw
            if column.type.name not in ("Enum", "postgresql.ENUM") or not kw.get("name") \
                    or not kw.get("native_enum", True):
                continue
            if held is None:
                held = dialects.enum_types(self.state)
            existing = held.get((kw.get("schema"), str(kw["name"])))
            if existing is None:
                # a type the fold holds no column of (made by SQL text, CREATE TYPE): as the database holds it
                existing = self._enum_as_held(column.type)
            if existing is not None and existing != column.type:
                replaced[column.name] = oc.evolve(column, type=existing)
        return _with_replaced(op, "columns", replaced)

    def _enum_as_held(self, type_: lops.TypeSpec) -> lops.TypeSpec | None:
        """``type_`` (a named ENUM) with the labels the database's type of that name holds; None when
        it holds none of that name."""
        quote = self.conn.dialect.identifier_preparer.quote
        kw = type_.kw
        name = ".".join(quote(str(part)) for part in (kw.get("schema"), kw["name"]) if part)
        with self._quiet():
            labels = self._database.enum_labels(self.conn, name)
        return oc.evolve(type_, args=tuple(labels)) if labels else None

    def _type_checks_as_held(self, op: MigrateOperation) -> MigrateOperation:
        """``op`` with the CHECK each of its columns' types makes (``Boolean``/``Enum`` with
        ``create_constraint``) held as CHECKs of their own, under the names the database gave them,
        where the type's own would not make what the database holds.

        A type makes one CHECK under its own name (none for a type without a name). A naming
        convention names it otherwise (``ck_%(table_name)s_%(constraint_name)s``), and MariaDB
        names a CHECK made without a name ``CONSTRAINT_<n>``, the lowest number the table has free,
        which it keeps when an earlier one goes with its column: held as part of the column's type,
        a materialized table would have it under another name (or number its CHECKs from 1 again).
        A column whose CHECK the database does not hold at all (SQLite's ``ALTER TABLE ... ADD
        COLUMN``, which Alembic writes without it) is held as its type without ``create_constraint``.
        """
        if isinstance(op, lops.CreateTableOp):
            table, schema, columns = op.table.name, op.table.schema, op.table.columns
            taken = {c.name for c in op.table.checks}
        elif isinstance(op, lops.AddColumnOp):
            table, schema, columns = op.table_name, op.schema, (op.column,)
            taken = ({c.name for c in self.state.table(table, schema).checks}
                     if self.state is not None and self.state.has_table(table, schema) else set())
        else:
            return op
        implied = {c.name: (implied_name(c), check) for c in columns
                   if (check := implied_check(c, self.dialect)) is not None}
        if not implied:
            return op
        live = self._checks_now(table, schema)
        if live is None:
            return op
        numbered = self._database.numbers_unnamed_checks
        made: dict[str, list[lops.CheckSpec]] = {}
        for column, (name, check) in implied.items():
            alike = [c for c in live if canonical_sql(str(c.get("sqltext")), dialect=self.dialect) == check]
            if not alike:
                made[column] = []  # the database holds no such CHECK (SQLite's ALTER adds none): the type without it
                continue
            found = [c for c in alike if c.get("name") and c["name"] not in taken]
            if not found:
                continue
            if numbered:
                found = found[:1]
            elif len(found) == 1 and self._as_the_type_makes_it(name, found[0]["name"], table, column):
                continue  # the type's own CHECK, as the type makes it
            taken.update(c["name"] for c in found)
            made[column] = [lops.CheckSpec(c["name"], str(c["sqltext"])) for c in found]
        if not made:
            return op
        plain = {c.name: oc.evolve(c, type=without_constraint(c.type)) for c in columns if c.name in made}
        if isinstance(op, lops.AddColumnOp):
            return oc.evolve(op, column=plain[op.column.name], _then=(
                *op._then, *(lops.CreateCheckConstraintOp(table, c, schema=schema) for c in made[op.column.name])))
        return oc.evolve(op, table=oc.evolve(
            op.table, columns=tuple(plain.get(c.name, c) for c in op.table.columns),
            checks=(*op.table.checks, *(c for col in op.table.columns for c in made.get(col.name, ())))))

    def _as_the_type_makes_it(self, name: str | None, held: str, table: str, column: str) -> bool:
        """A CHECK the database holds as ``held`` is the one a type named ``name`` makes on ``column``
        of ``table`` by itself: under the type's name, or for a type without one under the name the
        database gives a CHECK made without a name (PostgreSQL's ``<table>_<column>_check``; SQLite
        keeps none, so any name there is a naming convention's, ``ck_<table>_<column>``)."""
        stored = self._database.stored_name
        if name is not None:
            return is_implied_name(name, held, stored)
        given = self._database.unnamed_check_name(table, column)
        return given is not None and stored(held) == stored(given)

    def _stored_checks(self, op: MigrateOperation) -> MigrateOperation:
        """``op`` with each named CHECK as the database stores its text, where that differs
        (MariaDB keeps ``lower(s)`` as ``lcase(`s`)``; PostgreSQL rewrites ``IN`` lists)."""
        if isinstance(op, lops.CreateTableOp):
            table, schema, checks = op.table.name, op.table.schema, op.table.checks
        elif isinstance(op, lops.CreateCheckConstraintOp):
            table, schema, checks = op.table_name, op.schema, (op.constraint,)
        else:
            return op
        named_checks = [c for c in checks if c.name and not c.name.startswith(PLACEHOLDER)]
        if not named_checks:
            return op
        live = self._checks_now(table, schema)
        if live is None:
            return op
        stored = {c.get("name"): c.get("sqltext") for c in live}
        replaced = {}
        for check in named_checks:
            text = stored.get(check.name)
            if text and canonical_sql(str(text), dialect=self.dialect) != canonical_sql(check.sqltext,
                                                                                       dialect=self.dialect):
                replaced[check.name] = oc.evolve(check, sqltext=str(text))
        return _with_replaced(op, "checks", replaced)

    def _checks_now(self, table: str, schema: str | None) -> list[dict[str, Any]] | None:
        """The CHECKs of ``table`` now, as ``Inspector.get_check_constraints`` lists them (from the
        op's one read of its table where the database has it); None where they cannot be read."""
        read = self._table_read(table, schema)
        if read is not None:
            return [{"name": name, "sqltext": text} for name, text in read.checks]
        with self._quiet():
            try:
                return sa.inspect(self.conn).get_check_constraints(table, schema=schema)  # type: ignore[return-value]
            except (NotImplementedError, sa.exc.NoSuchTableError):
                return None

    def _kept_with_column(self, op: lops.DropColumnOp, origin: Origin | None) -> None:
        """Record what the database kept of what used a dropped column (MariaDB shrinks a
        multi-column index to its other columns, where PostgreSQL drops it)."""
        follows = self._follow_live((op.schema, op.table_name)) or ()
        for follow in follows:
            self._apply(follow, origin, self._message(
                f"{ADJUSTED} the database kept what used column {op.table_name}.{op.column_name} without it"))
        # The table was read whole: in a batch block, after the whole block ran, so what the
        # block's later ops did is in what was just recorded.
        self._read_back = self._read_back or bool(follows)

    def _renamed_keys(self, op: lops.RenameTableOp, origin: Origin | None) -> None:
        """Record the foreign keys MySQL/MariaDB renamed with their table (``t_ibfk_1`` -> ``u_ibfk_1``),
        and the index such a key had under its own name, which keeps that name (``t_ibfk_1``): no
        longer named after its key, it is an index of the table's own."""
        for follow in self._follow_live((op.schema, op.new_table_name)) or ():
            if isinstance(follow, (lops.DropConstraintOp, lops.CreateForeignKeyOp, lops.CreateIndexOp)):
                self._apply(follow, origin, self._message(
                    f"{ADJUSTED} MySQL/MariaDB renamed the foreign keys it had named after table {op.table_name}"))

    def _as_indexed(self, op: lops.CreateIndexOp) -> lops.CreateIndexOp:
        """``op`` with the key prefix lengths MariaDB chose (it indexes a TEXT column by a prefix)."""
        for follow in self._follow_live((op.schema, op.table_name)) or ():
            if isinstance(follow, lops.CreateIndexOp) and follow.index.name == op.index.name \
                    and follow.index.columns == op.index.columns and follow.index.dialect_options \
                    and not op.index.dialect_options:
                return oc.evolve(op, index=oc.evolve(op.index, dialect_options=follow.index.dialect_options))
        return op

    def _replaced_kept_index(self, op: MigrateOperation, origin: Origin | None) -> None:
        """Record the index InnoDB kept for a dropped foreign key, which it drops once a new key or index
        serves (a new foreign key on those columns gets an index of its own name in its place)."""
        made = op.index.name if isinstance(op, lops.CreateIndexOp) else op.constraint.name  # type: ignore[attr-defined]
        table, schema = op.table_name, op.schema  # type: ignore[attr-defined]
        with self._quiet():
            inspector = sa.inspect(self.conn)
            live = {i["name"] for i in inspector.get_indexes(table, schema=schema)}
        held = self.state.table(table, schema) if self.state is not None and self.state.has_table(table, schema) else None
        for follow in self._follow_live((schema, table)) or ():
            # only a plain index the database no longer has (InnoDB drops none but its own key's
            # index; a unique index it reports as a unique key, or one made later in the same batch
            # block, is no drop)
            kept = held.index(follow.index_name) if held is not None and isinstance(follow, lops.DropIndexOp) else None
            if isinstance(follow, lops.DropIndexOp) and follow.index_name != made and kept is not None \
                    and not kept.unique and follow.index_name not in live:
                self._apply(follow, origin, self._message(
                    f"{ADJUSTED} MySQL/MariaDB dropped index {follow.index_name}, now served by {made}"))

    def _without_kept_type(self, op: lops.AlterColumnOp) -> lops.AlterColumnOp | None:
        """``op`` without its type change when the database kept the column's type as the fold holds it.

        ``ALTER COLUMN ... TYPE name`` of a named ENUM that exists (PostgreSQL) leaves the type's
        values as they were, whatever values Alembic's ``Enum`` lists: recording the change and then
        the type kept would make a replay remake the type and add the values again, which a later
        statement of the transaction cannot use. None: the database changed nothing of the column.
        """
        follow = self._follow_live((op.schema, op.table_name))
        if follow is None or op.modify_name is not None or any(
                isinstance(f, lops.AlterColumnOp) and f.column_name == op.column_name and f.modify_type is not None
                for f in follow):
            return op
        kept = oc.evolve(op, modify_type=None)
        return kept if kept.has_changes() else None

    def _lost_type_checks(self, schema: str | None, table: str) -> None:
        """Record the columns whose type's own CHECK a batch rebuild lost, or made more than once.

        Alembic makes the table again from its reflection: a ``Boolean``/``Enum`` made with
        ``create_constraint`` comes back without it, and without its CHECK. Each such column is
        recorded as that type without ``create_constraint``, which the database now holds. So is a
        column whose type's CHECK the table now holds more than once under the type's name (the
        column made again as that type, ``reflect_args``, next to its CHECK the rebuild kept): the
        table read back then records those CHECKs as CHECKs of their own, where the database
        holds CHECKs of one name (SQLite).
        """
        if self.state is None or not self.state.has_table(table, schema):
            return
        held = self.state.table(table, schema)
        implied = [(column, check) for column in held.columns
                   if (check := implied_check(column, self.dialect)) is not None]
        if not implied:
            return  # no column's type makes a CHECK: nothing to read
        with self._quiet():
            live = [(c.get("name"), canonical_sql(str(c.get("sqltext")), dialect=self.dialect))
                    for c in sa.inspect(self.conn).get_check_constraints(table, schema=schema)]
        for column, check in implied:
            # the type's own CHECK is there under the type's name: one of that text under another
            # name (a naming convention's, another type's) is recorded as a CHECK of its own
            name = implied_name(column)
            held = sum(text == check and is_implied_name(name, held_name, self._database.stored_name)
                       for held_name, text in live)
            if held == 1 or (held and name is None):
                continue
            how = "with its type's CHECK more than once" if held else "without its type's CHECK"
            op = self.state.complete(lops.AlterColumnOp(table, column.name, schema=schema,
                                                        modify_type=without_constraint(column.type)))
            self._apply(op, None, self._message(
                f"{ADJUSTED} the batch rebuild of {table} made column {column.name} again {how}"))

    def _kept_type(self, op: lops.AlterColumnOp, origin: Origin | None) -> None:
        """Record the type the database kept: ``ALTER COLUMN ... TYPE name`` of a named ENUM
        (PostgreSQL) leaves that type's values as they were, whatever values Alembic's ``Enum``
        lists. The column is reflected and the fold follows it."""
        name = op.modify_name or op.column_name
        for follow in self._follow_live((op.schema, op.table_name)) or ():
            if isinstance(follow, lops.AlterColumnOp) and follow.column_name == name:
                self._apply(follow, origin, self._message(
                    f"{ADJUSTED} the database kept the type of column {op.table_name}.{name} as it was"))

    def _restated(self, op: lops.AlterColumnOp, origin: Origin | None) -> None:
        """Record what MySQL/MariaDB's ``MODIFY``/``CHANGE`` did to the rest of the column.

        Those restate the whole column from Alembic's ``existing_*`` arguments: one left out
        resets that property (an ``alter_column(type_=...)`` without ``existing_nullable``
        makes a NOT NULL column nullable). The column is reflected and the fold follows it.
        """
        name = op.modify_name or op.column_name
        for follow in self._follow_live((op.schema, op.table_name)) or ():
            if isinstance(follow, lops.AlterColumnOp) and follow.column_name == name:
                self._apply(follow, origin, self._message(
                    f"{ADJUSTED} MySQL/MariaDB restated column {op.table_name}.{name} from Alembic's existing_* "
                    f"arguments"))

    def _adopt_kept_index(self, op: lops.CreateForeignKeyOp, origin: Origin | None) -> None:
        """A foreign key added again under its old name takes over the index InnoDB kept for it.

        The index left by dropping the key (recorded then) becomes the new key's own index, which
        the fold does not hold as an index: it is recorded as dropped, so that the names agree.
        """
        assert self.state is not None
        if not self.state.has_table(op.table_name, op.schema) or not op.constraint.name:
            return
        index = self.state.table(op.table_name, op.schema).index(op.constraint.name)
        if index is None or index.unique or tuple(index.columns[:len(op.constraint.columns)]) != \
                tuple(op.constraint.columns):
            return
        drop = self.state.complete(lops.DropIndexOp(index.name or "", op.table_name, schema=op.schema))
        self._apply(drop, origin, self._message(
            f"{ADJUSTED} foreign key {op.constraint.name} takes over the index MySQL/MariaDB kept under its name"))

    def _keep_what_stayed(self, op: lops.DropConstraintOp, fk: ForeignKeySpec, origin: Origin | None) -> None:
        """Record what MySQL/MariaDB kept of a dropped foreign key: the index InnoDB made for it.

        Only that index: in a batch block the table may already hold what later ops of the
        block made, which they record themselves.
        """
        for kept in self._follow_live((op.schema, op.table_name)) or ():
            if not isinstance(kept, lops.CreateIndexOp) or kept.index.unique or \
                    tuple(kept.index.columns[:len(fk.columns)]) != tuple(fk.columns):
                continue
            self._apply(kept, origin, self._message(
                f"{ADJUSTED} MySQL/MariaDB keeps the index it made for foreign key {op.constraint_name}"))


    def _dropped_with_its_key(self, op: MigrateOperation) -> bool:
        """``op`` drops the index InnoDB made for a foreign key this revision dropped, which the
        ledger never held: its drop of that key drops that index too (MySQL/MariaDB), so the
        ``DROP INDEX`` is not recorded again, to fail where the ledger's drop runs."""
        return self._database.indexes_foreign_keys and isinstance(op, lops.DropIndexOp) and any(
            isinstance(e.op, lops.DropConstraintOp) and e.op.type_ == "foreignkey" and e.revision == self.revision
            and (e.op.constraint_name, e.op.table_name) == (op.index_name, op.table_name) for e in self.events)


def dropped_foreign_key(op: MigrateOperation, state: SchemaState) -> ForeignKeySpec | None:
    """The foreign key ``op`` drops, if it drops one."""
    if not isinstance(op, lops.DropConstraintOp) or not state.has_table(op.table_name, op.schema):
        return None
    found = state.table(op.table_name, op.schema).constraint(op.constraint_name)
    return found if isinstance(found, ForeignKeySpec) else None


def _with_replaced(op: MigrateOperation, field: str, replaced: dict[str, Any]) -> MigrateOperation:
    """``op`` with the parts of ``replaced`` (by name) in place of its own: for a table it creates,
    those of its ``field`` (``columns`` or ``checks``); else its one column, CHECK or altered default."""
    if not replaced:
        return op
    if isinstance(op, lops.CreateTableOp):
        parts = tuple(replaced.get(part.name, part) for part in getattr(op.table, field))
        return oc.evolve(op, table=oc.evolve(op.table, **{field: parts}))
    (part,) = replaced.values()
    if isinstance(op, lops.AddColumnOp):
        return oc.evolve(op, column=part)
    if isinstance(op, lops.CreateCheckConstraintOp):
        return oc.evolve(op, constraint=part)
    return oc.evolve(op, modify_server_default=part.server_default)  # an AlterColumnOp

