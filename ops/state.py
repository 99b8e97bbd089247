"""SchemaState: the schema as an immutable value. Operations fold onto it; nothing mutates it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from .base import InvalidOperationError
from .classes import frozen
from .frozenmap import FrozenMap, frozen_map
from .names import ONE_PER_SCHEMA, NamesPer, kind_of, name_rule, repeatable
from .specs import (
    CheckSpec, ColumnSpec,
    ConstraintSpec,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableSpec,
    UniqueSpec,
    by_name,
    table_spec,
)
from .tableparts import (
    column_users,
    with_inserted,
    require_columns,
    column_index,
    fk_referent_schema,
    renamed_column_in_table,
    sql_text_users,
    table_where,
    with_columns,
)
from . import classes as oc

if TYPE_CHECKING:
    from .base import MigrateOperation

__all__ = ["REFERENTS", "FrozenMap", "SchemaState", "TableKey"]

_new = object.__new__

TableKey = tuple[str | None, str]

#: What a foreign key may refer to, by the rule of the database a state belongs to (``SchemaState.referents``):
#: ``key``: a primary key, unique constraint or unique index on exactly those columns (PostgreSQL; a
#: state of no database); ``index``: the first columns, in order, of any index or key (InnoDB: MySQL,
#: MariaDB); ``any``: any columns of the table (SQLite checks a parent key only when rows change; a
#: fold of events that already ran on their database).
REFERENTS = ("key", "index", "any")


def _names_of(table: TableSpec, kinds: frozenset[str]) -> list[tuple[str | None, str]]:
    """The (schema, name) of each item of ``table`` whose ``kinds`` are named per schema."""
    return [(table.schema, item.name) for item in table.constraints + table.indexes
            if item.name is not None and kind_of(item) in kinds]


def _frozen_tables(value: Any) -> FrozenMap:
    if isinstance(value, FrozenMap):
        return value
    if isinstance(value, Mapping):
        return FrozenMap(value)
    return FrozenMap((t.key, t) for t in value)


@frozen
class SchemaState:
    """Tables by (schema, name), each a TableSpec. ``apply`` returns a new state."""

    tables: FrozenMap = oc.field(factory=FrozenMap, converter=_frozen_tables)
    #: Every name per schema (of the kinds ``names_per`` names per schema) -> the table holding it;
    #: kept up to date by the verbs (derived from ``tables``, so outside equality).
    names: FrozenMap | None = oc.field(default=None, eq=False, repr=False)
    #: Which names must differ, per schema or per table (``ops.names``): the rule of the database
    #: the state belongs to, so the verbs accept what it accepts. A setting, outside equality.
    names_per: NamesPer = oc.field(default=ONE_PER_SCHEMA, eq=False, repr=False)
    #: What a foreign key may refer to (``REFERENTS``), the rule of the database the state belongs
    #: to, as ``names_per`` is: a state of no database keeps the strictest. A setting, outside equality.
    referents: str = oc.field(default="key", eq=False, repr=False, validator=oc.one_of(REFERENTS))

    def __attrs_post_init__(self) -> None:
        if self.names is None:
            kinds = name_rule(self.names_per)[0]
            names = {key: table.name for table in self.tables.values() for key in _names_of(table, kinds)}
            object.__setattr__(self, "names", FrozenMap(names))

    def with_names_per(self, names_per: NamesPer) -> SchemaState:
        """This state under the name rule ``names_per`` (the tables are not checked again)."""
        if names_per == self.names_per:
            return self
        name_rule(names_per)
        return SchemaState(self.tables, names_per=names_per, referents=self.referents)

    def with_rules_of(self, other: SchemaState) -> SchemaState:
        """This state under the rules of ``other``'s database (names, referents; not checked again)."""
        if (other.names_per, other.referents) == (self.names_per, self.referents):
            return self
        return SchemaState(self.tables, names_per=other.names_per, referents=other.referents)

    def emptied(self) -> SchemaState:
        """An empty state under this one's rules."""
        return SchemaState(names_per=self.names_per, referents=self.referents)

    def taken_names(self, table: str, kind: str, schema: str | None = None) -> set[str]:
        """The names a new item of ``kind`` on ``table`` cannot take under the state's rule."""
        per_schema, clashes = name_rule(self.names_per)
        taken = {n for (s, n) in self._names if s == schema} if kind in per_schema else set()
        spec = self.tables.get((schema, table))
        if spec is not None:
            taken |= {i.name for i in spec.constraints + spec.indexes if i.name and kind_of(i) in clashes[kind]}
        return taken

    def derived(self, tables: Mapping[TableKey, TableSpec], *keys: TableKey) -> SchemaState:
        """A state of ``tables`` (in order) that differs only at ``keys``: the name index follows those, unchecked."""
        removed: list[tuple[str | None, str]] = []
        added: dict[tuple[str | None, str], str] = {}
        kinds = name_rule(self.names_per)[0]
        for key in keys:
            old, new = self.tables.get(key), tables.get(key)
            old_names = _names_of(old, kinds) if old is not None else []
            new_names = _names_of(new, kinds) if new is not None else []
            # Most changes (a column added or altered) keep the table's names: the index stays.
            if old_names == new_names and (old is None or new is None or old.name == new.name):
                continue
            removed.extend(old_names)
            if new is not None:
                added.update((name, new.name) for name in new_names)
        assert self.names is not None
        names = self.names.update(added, removed) if removed or added else self.names
        return SchemaState(tables, names=names, names_per=self.names_per, referents=self.referents)

    # -- reading -------------------------------------------------------------------------------

    def has_table(self, name: str, schema: str | None = None) -> bool:
        return (schema, name) in self.tables

    def table(self, name: str, schema: str | None = None) -> TableSpec:
        table = self.tables._data.get((schema, name))
        if table is None:
            raise InvalidOperationError(f"table {table_where(name, schema)} does not exist")
        return table

    def column(self, table: str, name: str, schema: str | None = None) -> ColumnSpec:
        column = self.table(table, schema).column(name)
        if column is None:
            raise InvalidOperationError(f"column {table_where(table, schema)}.{name} does not exist")
        return column

    def find_index(self, name: str, schema: str | None = None, table: str | None = None) -> tuple[TableSpec, IndexSpec]:
        candidates = [self.table(table, schema)] if table else [t for t in self.tables.values() if t.schema == schema]
        for spec in candidates:
            index = spec.index(name)
            if index is not None:
                return spec, index
        where = f" on {table_where(table, schema)}" if table else ""
        raise InvalidOperationError(f"index {name} does not exist{where}")

    def referencing(self, name: str, schema: str | None = None) -> list[tuple[TableSpec, ForeignKeySpec]]:
        """Foreign keys of other tables that point at table ``name``."""
        found = []
        for table in self.tables.values():
            if table.key == (schema, name):
                continue
            for fk in table.foreign_keys:
                if fk.referent_table == name and fk_referent_schema(fk, table) == schema:
                    found.append((table, fk))
        return found

    @property
    def _names(self) -> FrozenMap:
        assert self.names is not None
        return self.names

    # -- verbs ----------------------------------------------------------------------------------
    # A verb builds only what changes: the table (its parts kept in order, see ``table_spec``), the
    # name index entries it adds or removes, and the checks of what it adds. The rest of a table
    # passed its checks when it came into the state, and no verb breaks it (drops of what other
    # parts use are refused), so it is not checked again; renames re-check the renamed table.

    #: Re-validate the whole changed table on every change, as before checks were incremental
    #: (tests compare both ways).
    whole_table_checks: ClassVar[bool] = False

    def _put(self, table: TableSpec, names: FrozenMap, *added: Any) -> SchemaState:
        """This state with ``table`` at its key and the name index ``names``; what the change
        ``added`` (constraints, indexes) is checked."""
        state = _new(SchemaState)
        _S_TABLES(state, frozen_map(self.tables._data.set(table.key, table)))
        _S_NAMES(state, names)
        _S_NAMES_PER(state, self.names_per)
        _S_REFERENTS(state, self.referents)
        if self.whole_table_checks:
            state._check_table(table)
        else:
            for item in added:
                state._check_item(table, item)
        return state

    def _check_name(self, table: TableSpec, item: Any) -> None:
        """``item`` (new on ``table``) has a name no other item it must differ from has."""
        name, kind = item.name, kind_of(item)
        per_schema, clashes = name_rule(self.names_per)
        if (kind in per_schema and (table.schema, name) in self._names) or any(
            other.name == name and kind_of(other) in clashes[kind] for other in table.constraints + table.indexes
        ):
            raise InvalidOperationError(f"name {name} on {table.fullname} is already used by a constraint or index")

    def _with_name(self, table: TableSpec, item: Any) -> FrozenMap:
        """The name index once ``item`` is added to ``table``."""
        if kind_of(item) in name_rule(self.names_per)[0]:
            return self._names.set((table.schema, item.name), table.name)
        return self._names

    def _named(self, table: TableSpec, name: str) -> FrozenMap:
        """The name index once an item called ``name`` has left ``table`` (it stays while another
        item of ``table`` named per schema has that name)."""
        kinds = name_rule(self.names_per)[0]
        if any(i.name == name and kind_of(i) in kinds for i in table.constraints + table.indexes):
            return self._names
        return self._names.without((table.schema, name))

    def with_table(self, table: TableSpec) -> SchemaState:
        if table.key in self.tables:
            raise InvalidOperationError(f"table {table.fullname} already exists")
        self._check_names(table)
        names = _names_of(table, name_rule(self.names_per)[0])
        state = _state(self.tables.set(table.key, table), self._names.update(dict.fromkeys(names, table.name)), self)
        state._check_table(table)
        return state

    def without_table(self, name: str, schema: str | None = None) -> SchemaState:
        table = self.table(name, schema)
        refs = self.referencing(name, schema)
        if refs:
            other, fk = refs[0]
            raise InvalidOperationError(
                f"cannot drop table {table_where(name, schema)}: foreign key {fk.name} of {other.fullname} refers to it"
            )
        names = self._names.update({}, _names_of(table, name_rule(self.names_per)[0]))
        return _state(self.tables.delete(table.key), names, self)

    def renamed_table(self, old: str, new: str, schema: str | None = None) -> SchemaState:
        table = self.table(old, schema)
        if self.has_table(new, schema):
            raise InvalidOperationError(f"cannot rename {table_where(old, schema)}: table {table_where(new, schema)} exists")

        def retarget(fks: tuple[ForeignKeySpec, ...], owner_schema: str | None) -> tuple[ForeignKeySpec, ...]:
            return tuple(
                oc.evolve(fk, referent_table=new)
                if fk.referent_table == old and (fk.referent_schema or owner_schema) == schema
                else fk
                for fk in fks
            )

        changes: dict[TableKey, TableSpec] = {}
        for key, other in self.tables.items():
            changed = retarget(other.foreign_keys, other.schema)
            if key != table.key and changed != other.foreign_keys:
                changes[key] = oc.evolve(other, foreign_keys=changed)
        changes[(schema, new)] = oc.evolve(table, name=new, foreign_keys=retarget(table.foreign_keys, schema))
        names = self._names.update(dict.fromkeys(_names_of(table, name_rule(self.names_per)[0]), new))
        return _state(self.tables.update(changes, [table.key]), names, self)

    def replaced_table(self, table: TableSpec) -> SchemaState:
        """The state with ``table`` in place of the table of the same key (checked)."""
        state = self.derived(self.tables.set(table.key, table), table.key)
        state._check_table(table)
        return state

    def with_column(
        self, table: str, column: ColumnSpec, schema: str | None = None, *, before: str | None = None
    ) -> SchemaState:
        """The state with ``column`` added at the end of ``table``, or just before column ``before``."""
        spec = self.table(table, schema)
        if spec.column(column.name) is not None:
            raise InvalidOperationError(f"column {table_where(table, schema)}.{column.name} already exists")
        names = spec.column_names
        if before is not None and before not in names:
            raise InvalidOperationError(
                f"cannot add column {table_where(table, schema)}.{column.name} before missing column {before}"
            )
        at = names.index(before) if before is not None else len(names)
        return self._put(with_columns(spec, spec.columns[:at] + (column,) + spec.columns[at:]), self._names)

    def without_column(self, table: str, name: str, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        at = column_index(spec, name)
        users = column_users(spec, name)
        if users:
            raise InvalidOperationError(
                f"cannot drop column {table_where(table, schema)}.{name}: used by {', '.join(users)}; drop them first"
            )
        # A foreign key refers to a primary key or unique constraint (checked when it is added), so
        # only a column of one can be referred to: other drops skip the scan of every table.
        keys = ([spec.primary_key] if spec.primary_key else []) + list(spec.uniques)
        if any(name in key.columns for key in keys):
            for other, fk in self.referencing(table, schema):
                if name in fk.referent_columns:
                    raise InvalidOperationError(
                        f"cannot drop column {table_where(table, schema)}.{name}: foreign key {fk.name} of {other.fullname} refers to it"
                    )
        columns = spec.columns[:at] + spec.columns[at + 1:]
        if not columns:
            raise InvalidOperationError(f"cannot drop column {table_where(table, schema)}.{name}: it is the last column")
        return self._put(with_columns(spec, columns), self._names)

    def dropped_with_column(self, table: str, name: str, schema: str | None = None) -> list[MigrateOperation]:
        """The drops a database performs with column ``name`` of ``table``, in an order that folds.

        What uses the column on its own table: foreign keys (its own, and the table's foreign
        keys that refer to it), CHECK constraints naming it, unique constraints, the primary key
        and indexes holding it (in a column list, an expression or a clause). PostgreSQL drops
        them with ``DROP COLUMN``; SQLite's table rebuild leaves them out; the ledger's own
        DDL drops them explicitly first, so every database ends where the fold does. A computed
        column using it, and another table's foreign key referring to it, stay in the way.
        """
        from .constraint import DropConstraintOp
        from .index import DropIndexOp

        spec = self.table(table, schema)
        column_index(spec, name)
        text_users = set(sql_text_users(spec, name))
        drops: list[MigrateOperation] = []
        for fk in spec.foreign_keys:
            if name in fk.columns or (fk.referent_table == spec.name and fk_referent_schema(fk, spec) == spec.schema
                                      and name in fk.referent_columns):
                drops.append(DropConstraintOp(fk.name or "", spec.name, type_="foreignkey", schema=schema))
        checks: set[str | None] = set()  # CHECKs of one name go as one (SQLite holds such groups)
        for check in spec.checks:
            if (f"check constraint {check.name}" in text_users or name in check.column_names) \
                    and check.name not in checks:
                checks.add(check.name)
                drops.append(DropConstraintOp(check.name or "", spec.name, type_="check", schema=schema))
        for unique in spec.uniques:
            if name in unique.columns:
                drops.append(DropConstraintOp(unique.name or "", spec.name, type_="unique", schema=schema))
        if spec.primary_key is not None and name in spec.primary_key.columns:
            drops.append(DropConstraintOp(spec.primary_key.name or "", spec.name, type_="primary", schema=schema))
        for index in spec.indexes:
            if name in index.columns or name in index.option_columns or f"index {index.name}" in text_users:
                drops.append(DropIndexOp(index.name or "", spec.name, schema=schema))
        return drops

    def with_altered_column(
        self, table: str, name: str, column: ColumnSpec, schema: str | None = None
    ) -> SchemaState:
        """Replace column ``name`` by ``column`` (which may be renamed), keeping its position."""
        return self.with_changed_column(table, name, lambda _old: column, schema)

    def with_changed_column(
        self, table: str, name: str, change: Callable[[ColumnSpec], ColumnSpec], schema: str | None = None
    ) -> SchemaState:
        """Replace column ``name`` by ``change(column)`` (which may rename it), keeping its position:
        ``with_altered_column`` without looking the column up first."""
        # Written for speed (a fold alters often): the table and the name index read directly.
        spec = self.tables._data.get((schema, table))
        if spec is None:
            spec = self.table(table, schema)  # says which
        at = column_index(spec, name)
        column = change(spec.columns[at])
        if column.name != name and spec.column(column.name) is not None:
            raise InvalidOperationError(f"column {table_where(table, schema)}.{column.name} already exists")
        if spec.primary_key and name in spec.primary_key.columns and column.nullable:
            raise InvalidOperationError(
                f"column {table_where(table, schema)}.{name} is in the primary key and cannot be nullable"
            )
        columns = spec.columns[:at] + (column,) + spec.columns[at + 1:]
        if column.name == name:
            names = self.names
            assert names is not None
            return self._put(with_columns(spec, columns), names)
        users = sql_text_users(spec, name)
        if users:
            raise InvalidOperationError(
                f"cannot rename column {table_where(table, schema)}.{name}: the SQL text of {', '.join(users)} "
                "names it; drop those first, rename, then create them again"
            )
        spec = renamed_column_in_table(with_columns(spec, columns), name, column.name)
        changes: dict[TableKey, TableSpec] = {spec.key: spec}
        for key, other in self.tables.items():
            if key == spec.key:
                continue
            fks = tuple(
                oc.evolve(fk, referent_columns=tuple(column.name if c == name else c for c in fk.referent_columns))
                if fk.referent_table == table and fk_referent_schema(fk, other) == schema
                else fk
                for fk in other.foreign_keys
            )
            if fks != other.foreign_keys:
                changes[key] = oc.evolve(other, foreign_keys=fks)
        state = _state(self.tables.update(changes), self._names, self)
        state._check_table(spec)
        return state

    def with_constraint(self, table: str, constraint: ConstraintSpec, schema: str | None = None, *,
                        repeated: tuple[CheckSpec, ...] = ()) -> SchemaState:
        """The state with ``constraint`` on ``table``, under a name no other item of the table it
        must differ from has. ``repeated``: more CHECKs of the CHECK ``constraint``'s name, made with
        it as one group, where the state's rule lets CHECK names repeat (``ops.names.repeatable``)."""
        spec = self.table(table, schema)
        if constraint.name is None:
            raise InvalidOperationError(f"a constraint on {table_where(table, schema)} needs a name")
        if not isinstance(constraint, (PrimaryKeySpec, ForeignKeySpec, UniqueSpec, CheckSpec)):
            raise InvalidOperationError(f"unknown constraint {constraint!r}")
        self._check_name(spec, constraint)
        pk, fks, uniques, checks = spec.primary_key, spec.foreign_keys, spec.uniques, spec.checks
        if repeated:
            checks = self._grouped(spec, (constraint, *repeated))  # type: ignore[arg-type]
        elif isinstance(constraint, PrimaryKeySpec):
            if pk is not None:
                raise InvalidOperationError(f"table {spec.fullname} already has primary key {pk.name}")
            pk = constraint
        elif isinstance(constraint, ForeignKeySpec):
            fks = with_inserted(fks, constraint)
        elif isinstance(constraint, UniqueSpec):
            uniques = with_inserted(uniques, constraint)
        else:
            checks = with_inserted(checks, constraint)
        changed = table_spec(spec.name, spec.columns, spec.schema, pk, fks, uniques, checks, spec.indexes, spec.comment,
                             spec.dialect_options)
        return self._put(changed, self._with_name(spec, constraint), constraint, *repeated)

    def _grouped(self, spec: TableSpec, group: tuple[CheckSpec, ...]) -> tuple[CheckSpec, ...]:
        """``spec``'s CHECKs with ``group``, CHECKs of one name that the state's rule must let repeat."""
        name = group[0].name
        if "check" not in repeatable(self.names_per) or not all(isinstance(c, CheckSpec) and c.name == name
                                                                for c in group):
            raise InvalidOperationError(f"table {spec.fullname} cannot hold {len(group)} CHECK constraints named "
                                        f"{name}: its database keeps constraint names apart")
        return by_name(spec.checks + group)

    def without_constraint(self, table: str, name: str, schema: str | None = None) -> SchemaState:
        """The state without the constraint ``name`` of ``table`` (every CHECK of a group of that name)."""
        spec = self.table(table, schema)
        constraint = spec.constraint(name)
        if constraint is None:
            raise InvalidOperationError(f"constraint {name} does not exist on {spec.fullname}")
        # SQLite (``referents`` "any") drops a key foreign keys refer to (a rebuild): it checks a
        # parent key only when rows change, as it takes a foreign key to columns of no key.
        if isinstance(constraint, (PrimaryKeySpec, UniqueSpec)) and self.referents != "any":
            for other, fk in self.referencing(table, schema) + [(spec, f) for f in spec.foreign_keys]:
                if fk.referent_table == table and fk_referent_schema(fk, other) == schema and set(fk.referent_columns) == set(constraint.columns):
                    if not self._has_other_key(spec, constraint, fk.referent_columns):
                        raise InvalidOperationError(
                            f"cannot drop constraint {name} of {spec.fullname}: foreign key {fk.name} of {other.fullname} needs it"
                        )
        changed = table_spec(
            spec.name, spec.columns, spec.schema,
            None if spec.primary_key is not None and spec.primary_key.name == name else spec.primary_key,
            tuple(c for c in spec.foreign_keys if c.name != name),
            tuple(c for c in spec.uniques if c.name != name),
            tuple(c for c in spec.checks if c.name != name),
            spec.indexes, spec.comment, spec.dialect_options,
        )
        return _state(self.tables.set(spec.key, changed), self._named(changed, name), self)

    def with_index(self, table: str, index: IndexSpec, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        if index.name is None:
            raise InvalidOperationError(f"an index on {table_where(table, schema)} needs a name")
        self._check_name(spec, index)
        changed = table_spec(
            spec.name, spec.columns, spec.schema, spec.primary_key, spec.foreign_keys, spec.uniques, spec.checks,
            with_inserted(spec.indexes, index), spec.comment, spec.dialect_options,
        )
        return self._put(changed, self._with_name(spec, index), index)

    def without_index(self, table: str, name: str, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        if spec.index(name) is None:
            raise InvalidOperationError(f"index {name} does not exist on {spec.fullname}")
        changed = table_spec(
            spec.name, spec.columns, spec.schema, spec.primary_key, spec.foreign_keys, spec.uniques, spec.checks,
            tuple(i for i in spec.indexes if i.name != name), spec.comment, spec.dialect_options,
        )
        return _state(self.tables.set(spec.key, changed), self._named(changed, name), self)

    def with_comment(self, table: str, comment: str | None, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        changed = table_spec(
            spec.name, spec.columns, spec.schema, spec.primary_key, spec.foreign_keys, spec.uniques, spec.checks,
            spec.indexes, comment, spec.dialect_options,
        )
        return _state(self.tables.set(spec.key, changed), self._names, self)

    def with_table_options(self, table: str, options: tuple[tuple[str, Any], ...],
                           schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        changed = table_spec(
            spec.name, spec.columns, spec.schema, spec.primary_key, spec.foreign_keys, spec.uniques, spec.checks,
            spec.indexes, spec.comment, options,
        )
        return _state(self.tables.set(spec.key, changed), self._names, self)

    # -- folding -------------------------------------------------------------------------------

    def apply(self, op: MigrateOperation) -> SchemaState:
        return op.apply(self)

    def complete(self, op: MigrateOperation) -> MigrateOperation:
        """``op`` with everything its ``reverse()`` needs, taken from this (the prior) state."""
        return op.complete(self)

    @classmethod
    def fold(cls, ops: Iterable[MigrateOperation], start: SchemaState | None = None, *,
             names_per: NamesPer | None = None) -> SchemaState:
        """``ops`` folded onto ``start`` (an empty state), under the name rule ``names_per`` when given."""
        state = start if start is not None else cls()
        if names_per is not None:
            state = state.with_names_per(names_per)
        for op in ops:
            state = op.apply(state)
        return state

    # -- SQLAlchemy ----------------------------------------------------------------------------

    def to_metadata(self, metadata: sa.MetaData | None = None) -> sa.MetaData:
        metadata = metadata if metadata is not None else sa.MetaData()
        for key in sorted(self.tables, key=lambda k: (k[0] or "", k[1])):
            self.tables[key].to_table(metadata)
        return metadata

    @classmethod
    def from_metadata(cls, metadata: sa.MetaData, naming_convention: Mapping[str, str] | None = None, *,
                      names_per: NamesPer = ONE_PER_SCHEMA) -> SchemaState:
        convention = naming_convention
        if convention is None and metadata.naming_convention and set(metadata.naming_convention) - {"ix"}:
            convention = {str(k): v for k, v in metadata.naming_convention.items() if isinstance(v, str)}
        state = cls(names_per=names_per)
        specs = [TableSpec.from_table(t, convention) for t in metadata.tables.values()]
        # Plain tables first, then foreign keys, so that the order of tables never matters.
        for spec in specs:
            state = state.with_table(oc.evolve(spec, foreign_keys=()))
        for spec in specs:
            for fk in spec.foreign_keys:
                state = state.with_constraint(spec.name, fk, spec.schema)
        return state

    # -- checks --------------------------------------------------------------------------------

    def _has_other_key(self, table: TableSpec, dropping: ConstraintSpec, columns: tuple[str, ...]) -> bool:
        keys = ([table.primary_key] if table.primary_key else []) + list(table.uniques)
        if any(k.name != dropping.name and set(k.columns) == set(columns) for k in keys):
            return True
        # a unique index on exactly those plain columns, not partial, also holds a foreign key up
        # (as the databases accept, and as the schema diff plans)
        return any(index.holds_key_on(columns) for index in table.indexes)

    def _check_names(self, table: TableSpec) -> None:
        per_schema, clashes = name_rule(self.names_per)
        repeats = repeatable(self.names_per)
        seen: list[Any] = []
        for item in table.constraints + table.indexes:
            if item.name is None:
                raise InvalidOperationError(f"every constraint and index of {table.fullname} needs a name")
            kind = kind_of(item)
            if (kind in per_schema and (table.schema, item.name) in self._names) or any(
                other.name == item.name and kind_of(other) in clashes[kind]
                and not (kind in repeats and kind_of(other) == kind) for other in seen
            ):
                raise InvalidOperationError(
                    f"name {item.name} on {table.fullname} is already used by a constraint or index"
                )
            seen.append(item)

    def _check_table(self, table: TableSpec) -> None:
        where = table.fullname
        if not table.columns:
            raise InvalidOperationError(f"table {where} needs at least one column")
        names = [c.name for c in table.columns]
        if len(set(names)) != len(names):
            raise InvalidOperationError(f"table {where} has duplicate column names")
        present = set(names)
        if table.primary_key is not None:
            self._check_item(table, table.primary_key, present)
        for unique in table.uniques:
            self._check_item(table, unique, present)
        for index in table.indexes:
            self._check_item(table, index, present)
        for fk in table.foreign_keys:
            self._check_item(table, fk, present)

    def _check_item(self, table: TableSpec, item: Any, present: set[str] | None = None) -> None:
        """Check one constraint or index of ``table`` (``present``: its column names)."""
        if present is None:
            present = {c.name for c in table.columns}
        if isinstance(item, PrimaryKeySpec):
            require_columns(table, present, item.columns, "primary key", item.name)
            for name in item.columns:
                if table.column(name).nullable:  # type: ignore[union-attr]
                    raise InvalidOperationError(
                        f"primary key {item.name} on {table.fullname}: column {name} must be NOT NULL"
                    )
        elif isinstance(item, UniqueSpec):
            require_columns(table, present, item.columns, "unique constraint", item.name)
        elif isinstance(item, IndexSpec):
            if not item.elements:
                raise InvalidOperationError(f"index {item.name} on {table.fullname} needs at least one element")
            columns = item.columns
            if columns:
                require_columns(table, present, columns, "index", item.name)
        elif isinstance(item, ForeignKeySpec):
            require_columns(table, present, item.columns, "foreign key", item.name)
            self._check_foreign_key(table, item)

    def _check_foreign_key(self, table: TableSpec, fk: ForeignKeySpec) -> None:
        what = f"foreign key {fk.name} on {table.fullname}"
        schema = fk_referent_schema(fk, table)
        target = table if (schema, fk.referent_table) == table.key else self.tables.get((schema, fk.referent_table))
        if target is None:
            raise InvalidOperationError(f"{what} refers to missing table {table_where(fk.referent_table, schema)}")
        if len(fk.referent_columns) != len(fk.columns):
            raise InvalidOperationError(f"{what} has {len(fk.columns)} columns but refers to {len(fk.referent_columns)}")
        for name in fk.referent_columns:
            if target.column(name) is None:
                raise InvalidOperationError(f"{what} refers to missing column {target.fullname}.{name}")
        if self.referents == "any":
            return
        # A unique index on plain columns serves as well (every database takes it; SQLite and
        # PostgreSQL histories refer to one), unless it is partial.
        keys = ([target.primary_key] if target.primary_key else []) + list(target.uniques) + [
            i for i in target.indexes if i.unique and len(i.columns) == len(i.elements)
            and not any(key.endswith("table_where") for key, _ in i.dialect_options)]
        if any(set(k.columns) == set(fk.referent_columns) and len(k.columns) == len(fk.referent_columns) for k in keys):
            return
        referred = f"{what} refers to {target.fullname}({', '.join(fk.referent_columns)})"
        if self.referents == "key":
            raise InvalidOperationError(f"{referred}, which is not a primary key or unique constraint")
        keys += [i for i in target.indexes if not i.unique and len(i.columns) == len(i.elements)]
        if not any(tuple(k.columns[:len(fk.referent_columns)]) == fk.referent_columns for k in keys):
            raise InvalidOperationError(f"{referred}, which are not the first columns of an index or key")


#: The slot setters of a state's fields (``_state``, ``SchemaState._put``), see ``specs._slot_setters``.
_S_TABLES, _S_NAMES, _S_NAMES_PER, _S_REFERENTS = (getattr(SchemaState, f.name).__set__
                                                   for f in oc.fields(SchemaState))


def _state(tables: FrozenMap, names: FrozenMap, rules: SchemaState) -> SchemaState:
    """A SchemaState with ``names`` already the name index of ``tables`` (no converter, no rebuild),
    under the rules of ``rules``."""
    state = _new(SchemaState)
    _S_TABLES(state, tables)
    _S_NAMES(state, names)
    _S_NAMES_PER(state, rules.names_per)
    _S_REFERENTS(state, rules.referents)
    return state
