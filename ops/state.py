"""SchemaState: the schema as an immutable value. Operations fold onto it; nothing mutates it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import immutables
import sqlalchemy as sa

from .base import InvalidOperationError
from .specs import (
    CheckSpec,
    ColumnSpec,
    ConstraintSpec,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableSpec,
    UniqueSpec,
    sql_references,
)

if TYPE_CHECKING:
    from .base import MigrateOperation

__all__ = ["FrozenMap", "SchemaState", "TableKey"]

TableKey = tuple[str | None, str]


class FrozenMap(Mapping[Any, Any]):
    """A read-only, hashable mapping whose ``set`` and ``delete`` share structure with the original.

    Backed by a hash array mapped trie (``immutables.Map``), so a fold of N events over a schema
    of T tables costs O(N log T) instead of copying every table at every step.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = ()) -> None:
        self._data = data if isinstance(data, immutables.Map) else immutables.Map(data)

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: Any, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return bool(self._data == other._data)
        if isinstance(other, Mapping):
            return dict(self._data.items()) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self._data.items())!r})"

    def set(self, key: Any, value: Any) -> FrozenMap:
        return FrozenMap(self._data.set(key, value))

    def delete(self, key: Any) -> FrozenMap:
        return FrozenMap(self._data.delete(key))

    def update(self, changes: Mapping[Any, Any], removed: Iterable[Any] = ()) -> FrozenMap:
        with self._data.mutate() as draft:
            for key in removed:
                draft.pop(key, None)
            for key, value in changes.items():
                draft[key] = value
            return FrozenMap(draft.finish())


def _names_of(table: TableSpec) -> list[tuple[str | None, str]]:
    return [(table.schema, item.name) for item in table.constraints + table.indexes if item.name is not None]


def _frozen_tables(value: Any) -> FrozenMap:
    if isinstance(value, FrozenMap):
        return value
    if isinstance(value, Mapping):
        return FrozenMap(value)
    return FrozenMap((t.key, t) for t in value)


def _where(table: str, schema: str | None) -> str:
    return f"{schema}.{table}" if schema else table


@attrs.frozen
class SchemaState:
    """Tables by (schema, name), each a TableSpec. ``apply`` returns a new state."""

    tables: FrozenMap = attrs.field(factory=FrozenMap, converter=_frozen_tables)
    #: Every constraint and index name -> the table holding it, per schema; kept up to date by the
    #: verbs (derived from ``tables``, so outside equality).
    names: FrozenMap | None = attrs.field(default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.names is None:
            names = {key: table.name for table in self.tables.values() for key in _names_of(table)}
            object.__setattr__(self, "names", FrozenMap(names))

    def _derive(self, tables: FrozenMap, *keys: TableKey) -> SchemaState:
        """A state with ``tables``, where only the tables at ``keys`` changed (names follow them)."""
        removed: list[tuple[str | None, str]] = []
        added: dict[tuple[str | None, str], str] = {}
        for key in keys:
            old, new = self.tables.get(key), tables.get(key)
            old_names = _names_of(old) if old is not None else []
            new_names = _names_of(new) if new is not None else []
            # Most changes (a column added or altered) keep the table's names: the index stays.
            if old_names == new_names and (old is None or new is None or old.name == new.name):
                continue
            removed.extend(old_names)
            if new is not None:
                added.update((name, new.name) for name in new_names)
        assert self.names is not None
        names = self.names.update(added, removed) if removed or added else self.names
        return SchemaState(tables, names=names)

    # -- reading -------------------------------------------------------------------------------

    def has_table(self, name: str, schema: str | None = None) -> bool:
        return (schema, name) in self.tables

    def table(self, name: str, schema: str | None = None) -> TableSpec:
        try:
            return self.tables[(schema, name)]
        except KeyError:
            raise InvalidOperationError(f"table {_where(name, schema)} does not exist") from None

    def column(self, table: str, name: str, schema: str | None = None) -> ColumnSpec:
        column = self.table(table, schema).column(name)
        if column is None:
            raise InvalidOperationError(f"column {_where(table, schema)}.{name} does not exist")
        return column

    def find_index(self, name: str, schema: str | None = None, table: str | None = None) -> tuple[TableSpec, IndexSpec]:
        candidates = [self.table(table, schema)] if table else [t for t in self.tables.values() if t.schema == schema]
        for spec in candidates:
            index = spec.index(name)
            if index is not None:
                return spec, index
        where = f" on {_where(table, schema)}" if table else ""
        raise InvalidOperationError(f"index {name} does not exist{where}")

    def referencing(self, name: str, schema: str | None = None) -> list[tuple[TableSpec, ForeignKeySpec]]:
        """Foreign keys of other tables that point at table ``name``."""
        found = []
        for table in self.tables.values():
            if table.key == (schema, name):
                continue
            for fk in table.foreign_keys:
                if fk.referent_table == name and _ref_schema(fk, table) == schema:
                    found.append((table, fk))
        return found

    @property
    def _names(self) -> FrozenMap:
        assert self.names is not None
        return self.names

    # -- verbs ----------------------------------------------------------------------------------

    def with_table(self, table: TableSpec) -> SchemaState:
        if table.key in self.tables:
            raise InvalidOperationError(f"table {table.fullname} already exists")
        self._check_names(table, self._names)
        state = self._derive(self.tables.set(table.key, table), table.key)
        state._check_table(table)
        return state

    def without_table(self, name: str, schema: str | None = None) -> SchemaState:
        self.table(name, schema)
        refs = self.referencing(name, schema)
        if refs:
            other, fk = refs[0]
            raise InvalidOperationError(
                f"cannot drop table {_where(name, schema)}: foreign key {fk.name} of {other.fullname} refers to it"
            )
        return self._derive(self.tables.delete((schema, name)), (schema, name))

    def renamed_table(self, old: str, new: str, schema: str | None = None) -> SchemaState:
        table = self.table(old, schema)
        if self.has_table(new, schema):
            raise InvalidOperationError(f"cannot rename {_where(old, schema)}: table {_where(new, schema)} exists")
        tables = dict(self.tables)
        del tables[(schema, old)]

        def retarget(fks: tuple[ForeignKeySpec, ...], owner_schema: str | None) -> tuple[ForeignKeySpec, ...]:
            return tuple(
                attrs.evolve(fk, referent_table=new)
                if fk.referent_table == old and (fk.referent_schema or owner_schema) == schema
                else fk
                for fk in fks
            )

        for key, other in list(tables.items()):
            changed = retarget(other.foreign_keys, other.schema)
            if changed != other.foreign_keys:
                tables[key] = attrs.evolve(other, foreign_keys=changed)
        tables[(schema, new)] = attrs.evolve(table, name=new, foreign_keys=retarget(table.foreign_keys, schema))
        return SchemaState(tables)

    def replaced_table(self, table: TableSpec) -> SchemaState:
        """The state with ``table`` in place of the table of the same key (checked)."""
        state = self._derive(self.tables.set(table.key, table), table.key)
        state._check_table(table)
        return state

    def with_column(
        self, table: str, column: ColumnSpec, schema: str | None = None, *, before: str | None = None
    ) -> SchemaState:
        """The state with ``column`` added at the end of ``table``, or just before column ``before``."""
        spec = self.table(table, schema)
        if spec.column(column.name) is not None:
            raise InvalidOperationError(f"column {_where(table, schema)}.{column.name} already exists")
        names = spec.column_names
        if before is not None and before not in names:
            raise InvalidOperationError(
                f"cannot add column {_where(table, schema)}.{column.name} before missing column {before}"
            )
        at = names.index(before) if before is not None else len(names)
        return self.replaced_table(attrs.evolve(spec, columns=spec.columns[:at] + (column,) + spec.columns[at:]))

    def without_column(self, table: str, name: str, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        self.column(table, name, schema)
        users = _column_users(spec, name)
        if users:
            raise InvalidOperationError(
                f"cannot drop column {_where(table, schema)}.{name}: used by {', '.join(users)}; drop them first"
            )
        # A foreign key refers to a primary key or unique constraint (checked when it is added), so
        # only a column of one can be referred to: other drops skip the scan of every table.
        keys = ([spec.primary_key] if spec.primary_key else []) + list(spec.uniques)
        if any(name in key.columns for key in keys):
            for other, fk in self.referencing(table, schema):
                if name in fk.referent_columns:
                    raise InvalidOperationError(
                        f"cannot drop column {_where(table, schema)}.{name}: foreign key {fk.name} of {other.fullname} refers to it"
                    )
        columns = tuple(c for c in spec.columns if c.name != name)
        if not columns:
            raise InvalidOperationError(f"cannot drop column {_where(table, schema)}.{name}: it is the last column")
        return self.replaced_table(attrs.evolve(spec, columns=columns))

    def with_altered_column(
        self, table: str, name: str, column: ColumnSpec, schema: str | None = None
    ) -> SchemaState:
        """Replace column ``name`` by ``column`` (which may be renamed), keeping its position."""
        spec = self.table(table, schema)
        self.column(table, name, schema)
        if column.name != name and spec.column(column.name) is not None:
            raise InvalidOperationError(f"column {_where(table, schema)}.{column.name} already exists")
        if spec.primary_key and name in spec.primary_key.columns and column.nullable:
            raise InvalidOperationError(
                f"column {_where(table, schema)}.{name} is in the primary key and cannot be nullable"
            )
        if column.name != name:
            users = _text_users(spec, name)
            if users:
                raise InvalidOperationError(
                    f"cannot rename column {_where(table, schema)}.{name}: the SQL text of {', '.join(users)} "
                    "names it; drop those first, rename, then create them again"
                )
        columns = tuple(column if c.name == name else c for c in spec.columns)
        spec = attrs.evolve(spec, columns=columns)
        state = self
        if column.name != name:
            spec = _renamed_column_in_table(spec, name, column.name)
            tables = dict(self.tables)
            for key, other in tables.items():
                if key == spec.key:
                    continue
                fks = tuple(
                    attrs.evolve(fk, referent_columns=tuple(column.name if c == name else c for c in fk.referent_columns))
                    if fk.referent_table == table and _ref_schema(fk, other) == schema
                    else fk
                    for fk in other.foreign_keys
                )
                if fks != other.foreign_keys:
                    tables[key] = attrs.evolve(other, foreign_keys=fks)
            state = SchemaState(tables)
        return state.replaced_table(spec)

    def with_constraint(self, table: str, constraint: ConstraintSpec, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        if constraint.name is None:
            raise InvalidOperationError(f"a constraint on {_where(table, schema)} needs a name")
        self._check_names(_only(spec, constraint), self._names)
        if isinstance(constraint, PrimaryKeySpec):
            if spec.primary_key is not None:
                raise InvalidOperationError(f"table {spec.fullname} already has primary key {spec.primary_key.name}")
            spec = attrs.evolve(spec, primary_key=constraint)
        elif isinstance(constraint, ForeignKeySpec):
            spec = attrs.evolve(spec, foreign_keys=spec.foreign_keys + (constraint,))
        elif isinstance(constraint, UniqueSpec):
            spec = attrs.evolve(spec, uniques=spec.uniques + (constraint,))
        elif isinstance(constraint, CheckSpec):
            spec = attrs.evolve(spec, checks=spec.checks + (constraint,))
        else:
            raise InvalidOperationError(f"unknown constraint {constraint!r}")
        return self.replaced_table(spec)

    def without_constraint(self, table: str, name: str, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        constraint = spec.constraint(name)
        if constraint is None:
            raise InvalidOperationError(f"constraint {name} does not exist on {spec.fullname}")
        if isinstance(constraint, (PrimaryKeySpec, UniqueSpec)):
            for other, fk in self.referencing(table, schema) + [(spec, f) for f in spec.foreign_keys]:
                if fk.referent_table == table and _ref_schema(fk, other) == schema and set(fk.referent_columns) == set(constraint.columns):
                    if not self._has_other_key(spec, constraint, fk.referent_columns):
                        raise InvalidOperationError(
                            f"cannot drop constraint {name} of {spec.fullname}: foreign key {fk.name} of {other.fullname} needs it"
                        )
        spec = attrs.evolve(
            spec,
            primary_key=None if spec.primary_key is not None and spec.primary_key.name == name else spec.primary_key,
            foreign_keys=tuple(c for c in spec.foreign_keys if c.name != name),
            uniques=tuple(c for c in spec.uniques if c.name != name),
            checks=tuple(c for c in spec.checks if c.name != name),
        )
        return self._derive(self.tables.set(spec.key, spec), spec.key)

    def with_index(self, table: str, index: IndexSpec, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        if index.name is None:
            raise InvalidOperationError(f"an index on {_where(table, schema)} needs a name")
        self._check_names(_only(spec, index), self._names)
        return self.replaced_table(attrs.evolve(spec, indexes=spec.indexes + (index,)))

    def without_index(self, table: str, name: str, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        if spec.index(name) is None:
            raise InvalidOperationError(f"index {name} does not exist on {spec.fullname}")
        return self._derive(
            self.tables.set(spec.key, attrs.evolve(spec, indexes=tuple(i for i in spec.indexes if i.name != name))),
            spec.key,
        )

    def with_comment(self, table: str, comment: str | None, schema: str | None = None) -> SchemaState:
        spec = self.table(table, schema)
        return SchemaState(self.tables.set(spec.key, attrs.evolve(spec, comment=comment)), names=self.names)

    # -- folding -------------------------------------------------------------------------------

    def apply(self, op: MigrateOperation) -> SchemaState:
        return op.apply(self)

    def complete(self, op: MigrateOperation) -> MigrateOperation:
        """``op`` with everything its ``reverse()`` needs, taken from this (the prior) state."""
        return op.complete(self)

    @classmethod
    def fold(cls, ops: Iterable[MigrateOperation], start: SchemaState | None = None) -> SchemaState:
        state = start if start is not None else cls()
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
    def from_metadata(cls, metadata: sa.MetaData, naming_convention: Mapping[str, str] | None = None) -> SchemaState:
        convention = naming_convention
        if convention is None and metadata.naming_convention and set(metadata.naming_convention) - {"ix"}:
            convention = {str(k): v for k, v in metadata.naming_convention.items() if isinstance(v, str)}
        state = cls()
        specs = [TableSpec.from_table(t, convention) for t in metadata.tables.values()]
        # Plain tables first, then foreign keys, so that the order of tables never matters.
        for spec in specs:
            state = state.with_table(attrs.evolve(spec, foreign_keys=()))
        for spec in specs:
            for fk in spec.foreign_keys:
                state = state.with_constraint(spec.name, fk, spec.schema)
        return state

    # -- checks --------------------------------------------------------------------------------

    def _has_other_key(self, table: TableSpec, dropping: ConstraintSpec, columns: tuple[str, ...]) -> bool:
        keys = ([table.primary_key] if table.primary_key else []) + list(table.uniques)
        return any(k.name != dropping.name and set(k.columns) == set(columns) for k in keys)

    @staticmethod
    def _check_names(table: TableSpec, names: Mapping[tuple[str | None, str], str]) -> None:
        seen: set[str] = set()
        for item in table.constraints + table.indexes:
            if item.name is None:
                raise InvalidOperationError(f"every constraint and index of {table.fullname} needs a name")
            if item.name in seen or (table.schema, item.name) in names:
                raise InvalidOperationError(
                    f"name {item.name} on {table.fullname} is already used by a constraint or index"
                )
            seen.add(item.name)

    def _check_table(self, table: TableSpec) -> None:
        where = table.fullname
        if not table.columns:
            raise InvalidOperationError(f"table {where} needs at least one column")
        names = [c.name for c in table.columns]
        if len(set(names)) != len(names):
            raise InvalidOperationError(f"table {where} has duplicate column names")
        present = set(names)

        def need(columns: Iterable[str], what: str) -> None:
            columns = list(columns)
            if not columns:
                raise InvalidOperationError(f"{what} on {where} needs at least one column")
            if len(set(columns)) != len(columns):
                raise InvalidOperationError(f"{what} on {where} names a column twice")
            missing = [c for c in columns if c not in present]
            if missing:
                raise InvalidOperationError(f"{what} on {where} names missing column {missing[0]}")

        if table.primary_key is not None:
            need(table.primary_key.columns, f"primary key {table.primary_key.name}")
            for name in table.primary_key.columns:
                if table.column(name).nullable:  # type: ignore[union-attr]
                    raise InvalidOperationError(
                        f"primary key {table.primary_key.name} on {where}: column {name} must be NOT NULL"
                    )
        for unique in table.uniques:
            need(unique.columns, f"unique constraint {unique.name}")
        for index in table.indexes:
            if not index.elements:
                raise InvalidOperationError(f"index {index.name} on {where} needs at least one element")
            if index.columns:
                need(index.columns, f"index {index.name}")
        for fk in table.foreign_keys:
            need(fk.columns, f"foreign key {fk.name}")
            self._check_foreign_key(table, fk)

    def _check_foreign_key(self, table: TableSpec, fk: ForeignKeySpec) -> None:
        what = f"foreign key {fk.name} on {table.fullname}"
        schema = _ref_schema(fk, table)
        target = table if (schema, fk.referent_table) == table.key else self.tables.get((schema, fk.referent_table))
        if target is None:
            raise InvalidOperationError(f"{what} refers to missing table {_where(fk.referent_table, schema)}")
        if len(fk.referent_columns) != len(fk.columns):
            raise InvalidOperationError(f"{what} has {len(fk.columns)} columns but refers to {len(fk.referent_columns)}")
        for name in fk.referent_columns:
            if target.column(name) is None:
                raise InvalidOperationError(f"{what} refers to missing column {target.fullname}.{name}")
        keys = ([target.primary_key] if target.primary_key else []) + list(target.uniques)
        if not any(set(k.columns) == set(fk.referent_columns) and len(k.columns) == len(fk.referent_columns) for k in keys):
            raise InvalidOperationError(
                f"{what} refers to {target.fullname}({', '.join(fk.referent_columns)}), which is not a primary key or unique constraint"
            )


def _ref_schema(fk: ForeignKeySpec, owner: TableSpec) -> str | None:
    return fk.referent_schema if fk.referent_schema is not None else owner.schema


def _only(table: TableSpec, item: Any) -> TableSpec:
    """A stand-in table holding just ``item``, to check its name against the schema."""
    return TableSpec(
        name=table.name, columns=table.columns, schema=table.schema,
        primary_key=item if isinstance(item, PrimaryKeySpec) else None,
        foreign_keys=(item,) if isinstance(item, ForeignKeySpec) else (),
        uniques=(item,) if isinstance(item, UniqueSpec) else (),
        checks=(item,) if isinstance(item, CheckSpec) else (),
        indexes=(item,) if isinstance(item, IndexSpec) else (),
    )


def _renamed_column_in_table(table: TableSpec, old: str, new: str) -> TableSpec:
    def swap(columns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if c == old else c for c in columns)

    fks = tuple(
        attrs.evolve(
            fk, columns=swap(fk.columns),
            referent_columns=swap(fk.referent_columns) if fk.referent_table == table.name and _ref_schema(fk, table) == table.schema else fk.referent_columns,
        )
        for fk in table.foreign_keys
    )
    return attrs.evolve(
        table,
        primary_key=attrs.evolve(table.primary_key, columns=swap(table.primary_key.columns)) if table.primary_key else None,
        foreign_keys=fks,
        uniques=tuple(attrs.evolve(u, columns=swap(u.columns)) for u in table.uniques),
        indexes=tuple(i.with_renamed_column(old, new) for i in table.indexes),
    )


def _text_users(table: TableSpec, name: str) -> list[str]:
    """What names column ``name`` inside SQL text: checks, index expressions and clauses, computed columns."""
    users = [f"check constraint {c.name}" for c in table.checks if sql_references(c.sqltext, name)]
    users += [f"index {i.name}" for i in table.indexes if i.uses_in_text(name)]
    users += [
        f"computed column {c.name}"
        for c in table.columns
        if c.computed is not None and c.name != name and sql_references(c.computed.sqltext, name)
    ]
    return users


def _column_users(table: TableSpec, name: str) -> list[str]:
    """Every constraint, index and computed column of ``table`` that depends on column ``name``."""
    users = [f"constraint {c.name}" for c in table.constraints if name in c.column_names]
    users += [f"index {i.name}" for i in table.indexes if name in i.columns or name in i.option_columns]
    return users + [u for u in _text_users(table, name) if u not in users]
