"""The difference of two schema states, as the operations that lead from one to the other.

``diff(source, target)`` returns completed operations in an order that is valid to apply:
``SchemaState.fold(diff(a, b), start=a) == b``. The order is fixed by what each step needs:

1. foreign keys that go away (or lose a key, column or table they need) are dropped first;
2. tables that go away are dropped, those referenced by the others last (a cycle is cut by
   dropping one of its foreign keys first);
3. indexes and the other constraints that go away or change are dropped, which frees their
   names for what comes later;
4. columns are altered (type, nullability, server default, comment, autoincrement) and
   dropped, table comments and options set;
5. columns are added, then primary keys, unique and check constraints and indexes;
6. new tables are created, referenced tables first, with their foreign keys inline unless
   they point at a table created later (tables that reference each other);
7. the remaining foreign keys are added.

Renames are not guessed: a renamed table is a drop and a create, a renamed column a drop and
an add. Columns keep the target's order: the columns that stay are a longest common
subsequence of both orders, and a new column is added before the next column that stays
(``insert_before``). A column that would have to move, or whose identity or computed
expression changes (which no ALTER here expresses), is dropped and added again; a table none
of whose columns can stay is dropped and created again. Checks, indexes and computed columns
whose SQL names a dropped column go and come back with it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any


from ops import (
    AddColumnOp,
    AlterColumnOp,
    AlterTableOptionsOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableCommentOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    MigrateOperation,
    SchemaState,
)
from ops.specs import (
    CheckSpec,
    ColumnSpec,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableSpec,
    UniqueSpec,
    partitions_of,
    sql_references,
)
from ops import classes as oc

__all__ = ["diff", "models_as_held"]

TableKey = tuple[str | None, str]
KeySpec = PrimaryKeySpec | UniqueSpec


def diff(source: SchemaState, target: SchemaState) -> list[MigrateOperation]:
    """Completed ops that lead from ``source`` to ``target``, in an order valid to apply."""
    return _Planner(source, target).plan()


def models_as_held(models: SchemaState, fold: SchemaState,
                   drawn: Collection[tuple[str | None, str, str]] = ()) -> SchemaState:
    """``models`` with each constraint that differs from one of the fold's only by what a model
    cannot state taken as the fold holds it: a constraint the database keeps without a name
    (marked ``unnamed``) matches the model's whatever name the model gives it, so comparing
    models with the ledger reports no change where the database would see none.

    Likewise a column of ``drawn`` (``(schema, table, column)``), which draws its values from a
    ``sa.Sequence`` of its own: a database with sequences makes it without SERIAL/AUTO_INCREMENT
    (one without makes it autoincrement), so it is taken as not autoincrementing where the
    fold holds it so.
    """
    tables = dict(models.tables)
    for key, table in models.tables.items():
        held = fold.tables.get(key)
        if held is not None and any(c.unnamed for c in held.constraints):
            table = tables[key] = _table_as_held(table, held)
        if held is not None and drawn:
            columns = tuple(
                oc.evolve(c, autoincrement=False)
                if (key[0], key[1], c.name) in drawn and c.autoincrement == "auto"
                and (h := held.column(c.name)) is not None and h.autoincrement is False else c
                for c in table.columns)
            if columns != table.columns:
                tables[key] = oc.evolve(table, columns=columns)
    return SchemaState(tables)


def _table_as_held(table: TableSpec, held: TableSpec) -> TableSpec:
    def same(model: Any, kept: Any) -> bool:
        return kept.unnamed and oc.evolve(kept, name=model.name, unnamed=False) == model

    def taken(items: tuple[Any, ...], kept_items: tuple[Any, ...]) -> tuple[Any, ...]:
        free = list(kept_items)
        out = []
        for item in items:
            match = next((k for k in free if same(item, k)), None)
            if match is not None:
                free.remove(match)
            out.append(match if match is not None else item)
        return tuple(out)

    pk = table.primary_key
    if pk is not None and held.primary_key is not None and same(pk, held.primary_key):
        pk = held.primary_key
    return oc.evolve(table, primary_key=pk, foreign_keys=taken(table.foreign_keys, held.foreign_keys),
                        uniques=taken(table.uniques, held.uniques), checks=taken(table.checks, held.checks))


def _sort_key(key: TableKey) -> tuple[str, str]:
    return (key[0] or "", key[1])


def _ref_key(fk: ForeignKeySpec, owner: TableSpec) -> TableKey:
    return (fk.referent_schema if fk.referent_schema is not None else owner.schema, fk.referent_table)


def _same_column_kind(a: ColumnSpec, b: ColumnSpec) -> bool:
    """True when ``a`` can become ``b`` through ALTER COLUMN (what AlterColumnOp can change)."""
    return (a.identity, a.computed) == (b.identity, b.computed)


def _partition_key(table: TableSpec) -> Any:
    """How ``table`` is partitioned (PostgreSQL's ``postgresql_partition_by``; None: it is not)."""
    return dict(table.dialect_options).get("postgresql_partition_by") if table.dialect_options else None


def _kept_columns(old: TableSpec, new: TableSpec) -> tuple[str, ...]:
    """The most columns that can stay as they are: a longest common subsequence of both orders.

    The others are dropped and added (before the next column that stays), which keeps the
    target's order. A column that changes kind (identity, computed) cannot stay, nor can a computed column whose expression names a column that goes.
    """
    olds = {c.name: c for c in old.columns}
    a = [c.name for c in old.columns if (n := new.column(c.name)) is not None and _same_column_kind(c, n)]
    kept_names = set(a)
    b = [c.name for c in new.columns if c.name in kept_names]
    if a == b:  # the same order on both sides: all of them are the longest common subsequence
        return _without_blocked(a, old, olds)
    # lengths[i][j]: the longest common subsequence of a[i:] and b[j:]
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lengths[i][j] = lengths[i + 1][j + 1] + 1 if a[i] == b[j] else max(lengths[i + 1][j], lengths[i][j + 1])
    kept: list[str] = []
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            kept.append(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return _without_blocked(kept, old, olds)


def _without_blocked(kept: list[str], old: TableSpec, olds: dict[str, ColumnSpec]) -> tuple[str, ...]:
    """``kept`` without each computed column whose expression names a column that goes."""
    while True:
        dropped = [c for c in old.column_names if c not in kept]
        blocked = {
            name for name in kept
            if (computed := olds[name].computed) is not None and any(sql_references(computed.sqltext, d) for d in dropped)
        }
        if not blocked:
            return tuple(kept)
        kept = [name for name in kept if name not in blocked]


@oc.frozen
class _TablePlan:
    """What happens to one table that exists on both sides."""

    old: TableSpec
    new: TableSpec
    kept: tuple[str, ...]
    dropped_columns: frozenset[str] = oc.field(init=False)
    #: the very same spec on both sides: nothing of the table itself changes
    same: bool = oc.field(init=False)

    @dropped_columns.default
    def _dropped_columns(self) -> frozenset[str]:
        return frozenset(self.old.column_names) - frozenset(self.kept)

    @same.default
    def _same(self) -> bool:
        return self.old is self.new

    def uses_dropped(self, columns: Iterable[str]) -> bool:
        dropped = self.dropped_columns
        return any(c in dropped for c in columns)

    def index_uses_dropped(self, index: IndexSpec) -> bool:
        return any(index.uses(c) for c in self.dropped_columns)

    def check_uses_dropped(self, check: CheckSpec) -> bool:
        return any(sql_references(check.sqltext, c) for c in self.dropped_columns)


class _Planner:
    """Builds the op list step by step, completing and applying each op as it goes."""

    def __init__(self, source: SchemaState, target: SchemaState) -> None:
        self.source = source
        self.target = target
        self.state = source
        self.ops: list[MigrateOperation] = []
        self.dropped: set[TableKey] = set()
        self.created: set[TableKey] = set()
        self.altered: dict[TableKey, _TablePlan] = {}
        for key in sorted(source.tables, key=_sort_key):
            old = source.tables[key]
            new = target.tables.get(key)
            if new is None:
                self.dropped.add(key)
                continue
            # the same spec (a table the target shares with the source) keeps every column
            kept = old.column_names if new is old else _kept_columns(old, new)
            if not kept or _partition_key(old) != _partition_key(new):
                # (a partition key has no ALTER: a table partitioned otherwise was made again)
                self.dropped.add(key)
                self.created.add(key)
            else:
                self.altered[key] = _TablePlan(old, new, kept)
        self.created.update(k for k in target.tables if k not in source.tables)
        for key in sorted(self.dropped & self.created, key=_sort_key):
            # a partitioned table made again: its partitions went with it (PostgreSQL's DROP TABLE)
            for part in partitions_of(source.tables, key[1], key[0]):
                self.dropped.add(part.key)
                self.altered.pop(part.key, None)
                if part.key in target.tables:
                    self.created.add(part.key)

    # -- bookkeeping ---------------------------------------------------------------------------

    def emit(self, op: MigrateOperation) -> None:
        op = op.complete(self.state)
        self.state = op.apply(self.state)
        self.ops.append(op)

    def plan(self) -> list[MigrateOperation]:
        self.drop_foreign_keys()
        self.drop_tables()
        self.drop_indexes_and_constraints()
        self.change_columns()
        self.add_columns()
        self.add_indexes_and_constraints()
        self.create_tables()
        self.add_foreign_keys()
        return self.ops

    # -- what stays ----------------------------------------------------------------------------

    def _key_stays(self, key: TableKey, spec: KeySpec) -> bool:
        plan = self.altered.get(key)
        if plan is None:
            return False
        if isinstance(spec, PrimaryKeySpec):
            return plan.new.primary_key == spec and not plan.uses_dropped(spec.columns)
        return spec in plan.new.uniques and not plan.uses_dropped(spec.columns)

    def _item_stays(self, key: TableKey, item: Any) -> bool:
        """True when constraint or index ``item`` of altered table ``key`` is left as it is."""
        plan = self.altered[key]
        if isinstance(item, IndexSpec):
            return item in plan.new.indexes and not plan.index_uses_dropped(item)
        if isinstance(item, ForeignKeySpec):
            return self._fk_stays(key, item)
        if isinstance(item, CheckSpec):
            # CHECKs of one name (SQLite's) stay or go together: the drop of the name drops them all
            return _group(plan.old.checks, item.name) == _group(plan.new.checks, item.name) and not any(
                plan.check_uses_dropped(check) for check in _group(plan.old.checks, item.name))
        return self._key_stays(key, item)

    def _fk_stays(self, key: TableKey, fk: ForeignKeySpec) -> bool:
        plan = self.altered.get(key)
        if plan is None or fk not in plan.new.foreign_keys or plan.uses_dropped(fk.columns):
            return False
        ref = _ref_key(fk, plan.old)
        ref_plan = self.altered.get(ref)
        if ref_plan is None or ref_plan.uses_dropped(fk.referent_columns):
            return False
        # The foreign key must keep a key to stand on while the referent's keys change: its primary
        # key, a unique constraint or a unique index on plain columns (PostgreSQL and MySQL accept one).
        wanted = set(fk.referent_columns)
        keys: list[KeySpec] = ([ref_plan.old.primary_key] if ref_plan.old.primary_key else [])
        keys += list(ref_plan.old.uniques)
        if any(set(k.columns) == wanted and self._key_stays(ref, k) for k in keys):
            return True
        return any(index.holds_key_on(wanted) and self._item_stays(ref, index) for index in ref_plan.old.indexes)

    # -- steps ---------------------------------------------------------------------------------

    def drop_foreign_keys(self) -> None:
        for key in sorted(self.altered, key=_sort_key):
            plan = self.altered[key]
            for fk in plan.old.foreign_keys:
                if not self._fk_stays(key, fk):
                    self.emit(DropConstraintOp(fk.name, plan.old.name, schema=plan.old.schema))  # type: ignore[arg-type]

    def drop_tables(self) -> None:
        # a partitioned table's drop takes its partitions (completed, held in it: PostgreSQL's DROP TABLE)
        taken = {p.key for key in self.dropped for p in partitions_of(self.state.tables, key[1], key[0])}
        remaining = sorted(self.dropped - taken, key=_sort_key)
        while remaining:
            blocked = {
                _ref_key(fk, table)
                for key in remaining
                for table in [self.state.tables[key]]
                for fk in table.foreign_keys
                if _ref_key(fk, table) != key
            }
            free = [key for key in remaining if key not in blocked]
            if free:
                key = free[0]
            else:
                # Tables that reference each other: cut the cycle at the first table.
                key = remaining[0]
                for other in remaining:
                    table = self.state.tables[other]
                    for fk in table.foreign_keys:
                        if other != key and _ref_key(fk, table) == key:
                            self.emit(DropConstraintOp(fk.name, table.name, schema=table.schema))  # type: ignore[arg-type]
            self.emit(DropTableOp(key[1], schema=key[0]))
            remaining.remove(key)

    def drop_indexes_and_constraints(self) -> None:
        for key in sorted(self.altered, key=_sort_key):
            if self.altered[key].same:
                continue  # its indexes and constraints stay (a foreign key's referent: drop_foreign_keys)
            table = self.altered[key].old
            for index in table.indexes:
                if not self._item_stays(key, index):
                    self.emit(DropIndexOp(index.name, table.name, schema=table.schema))  # type: ignore[arg-type]
            for item in table.checks + table.uniques + ((table.primary_key,) if table.primary_key else ()):
                if not self._item_stays(key, item) and self.state.tables[key].constraint(item.name) is not None:  # type: ignore[arg-type]
                    self.emit(DropConstraintOp(item.name, table.name, schema=table.schema))  # type: ignore[arg-type]

    def change_columns(self) -> None:
        for key in sorted(self.altered, key=_sort_key):
            plan = self.altered[key]
            if plan.same:
                continue
            name, schema = plan.old.name, plan.old.schema
            for column_name in plan.kept:
                alter = _alter(name, schema, plan.old.column(column_name), plan.new.column(column_name))  # type: ignore[arg-type]
                if alter is not None:
                    self.emit(alter)
            for column in reversed(plan.old.columns):
                if column.name in plan.dropped_columns:
                    self.emit(DropColumnOp(name, column.name, schema=schema))
            if plan.old.comment != plan.new.comment:
                if plan.new.comment is None:
                    self.emit(DropTableCommentOp(name, schema=schema))
                else:
                    self.emit(CreateTableCommentOp(name, plan.new.comment, schema=schema))
            if plan.old.dialect_options != plan.new.dialect_options:
                # after the columns' own changes: the columns that follow the table's character set follow it
                self.emit(AlterTableOptionsOp(name, plan.new.dialect_options, schema=schema))

    def add_columns(self) -> None:
        for key in sorted(self.altered, key=_sort_key):
            plan = self.altered[key]
            if plan.same:
                continue
            kept = set(plan.kept)
            names = plan.new.column_names
            for at, column in enumerate(plan.new.columns):
                if column.name in kept:
                    continue
                # Before the next column that stays: added in target order, they line up.
                before = next((n for n in names[at + 1:] if n in kept), None)
                self.emit(AddColumnOp(plan.new.name, column, schema=plan.new.schema, insert_before=before))

    def add_indexes_and_constraints(self) -> None:
        for key in sorted(self.altered, key=_sort_key):
            new = self.altered[key].new
            current = self.state.tables[key]
            name, schema = new.name, new.schema
            if new.primary_key is not None and current.primary_key != new.primary_key:
                self.emit(CreatePrimaryKeyOp(name, new.primary_key, schema=schema))
            for unique in new.uniques:
                if unique not in current.uniques:
                    self.emit(CreateUniqueConstraintOp(name, unique, schema=schema))
            for check_name in dict.fromkeys(c.name for c in new.checks):
                group = _group(new.checks, check_name)
                if group != _group(current.checks, check_name):
                    self.emit(CreateCheckConstraintOp(name, group[0], schema=schema, repeated=group[1:]))
            for index in new.indexes:
                if index not in current.indexes:
                    self.emit(CreateIndexOp(name, index, schema=schema))

    def create_tables(self) -> None:
        remaining = sorted(self.created, key=_sort_key)
        while remaining:
            pending = set(remaining)

            def waits_for(key: TableKey) -> set[TableKey]:
                table = self.target.tables[key]
                return {_ref_key(fk, table) for fk in table.foreign_keys} & pending - {key}

            ready = [key for key in remaining if not waits_for(key)]
            # Tables that reference each other: create the first one now, its foreign keys later.
            key = ready[0] if ready else remaining[0]
            table = self.target.tables[key]
            inline = tuple(fk for fk in table.foreign_keys if _ref_key(fk, table) not in pending - {key})
            self.emit(CreateTableOp(oc.evolve(table, foreign_keys=inline)))
            remaining.remove(key)

    def add_foreign_keys(self) -> None:
        for key in sorted(self.target.tables, key=_sort_key):
            new = self.target.tables[key]
            current = self.state.tables[key]
            for fk in new.foreign_keys:
                if fk not in current.foreign_keys:
                    self.emit(CreateForeignKeyOp(new.name, fk, schema=new.schema))


def _group(checks: tuple[CheckSpec, ...], name: str | None) -> tuple[CheckSpec, ...]:
    """The CHECKs named ``name`` among ``checks`` (more than one where SQLite holds them)."""
    return tuple(c for c in checks if c.name == name)


def _alter(table: str, schema: str | None, old: ColumnSpec, new: ColumnSpec) -> AlterColumnOp | None:
    """The ALTER COLUMN that turns ``old`` into ``new`` (same name), or None when they are equal."""
    if old == new:
        return None
    changes: dict[str, Any] = {}
    if old.type != new.type:
        changes["modify_type"] = new.type
    if old.nullable != new.nullable:
        changes["modify_nullable"] = new.nullable
    if old.server_default != new.server_default:
        changes["modify_server_default"] = new.server_default
    if old.comment != new.comment:
        changes["modify_comment"] = new.comment
    if old.autoincrement != new.autoincrement:
        changes["modify_autoincrement"] = new.autoincrement
    return AlterColumnOp(table, old.name, schema=schema, **changes)
