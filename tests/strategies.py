"""Hypothesis strategies for schema-ledger: identifiers, types, columns, tables, states, ops, histories.

The public API (``__all__``) is used by every test suite that needs schemas or operations:

- :func:`identifiers` - table, column, constraint and index names;
- :func:`type_specs`, :func:`column_specs`, :func:`table_specs` - specs on their own;
- :func:`schema_states` - several tables with keys, foreign keys, checks and indexes;
- :func:`ops_for` - an operation valid on a given state, of any type in ``ops.OP_TYPES``;
- :func:`histories` - a start state and a list of ops, each valid on the state before it.

Every generator takes ``portable``. With ``portable=True`` everything drawn can be created on
SQLite, PostgreSQL and MariaDB alike: generic types only, no schemas, no expression or
partial indexes, no identity or computed columns, foreign keys between identical types,
names that stay distinct under case and accent folding (MariaDB and SQLite fold them),
and changes every database can make on an empty table. Without it, the whole vocabulary is
drawn: dialect types, schema names, expression and partial indexes, dialect options, ...

Draws are from sorted collections so that failures replay. The ops are returned as a
migration file would issue them (not completed); complete them with ``state.complete(op)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import attrs
from hypothesis import reject
from hypothesis import strategies as st

import ops
from ops import (
    OP_TYPES,
    AddColumnOp,
    AlterColumnOp,
    AlterTableOptionsOp,
    CheckSpec,
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
    ExecuteSQLOp,
    MigrateOperation,
    PrimaryKeySpec,
    RenameTableOp,
    SchemaState,
    TableSpec,
    UniqueSpec,
)
from ops.specs import sql_references
from tests.strategies_schema import (
    MAX_IDENTIFIER,
    NON_ASCII,
    PORTABLE_PUNCTUATION,
    PORTABLE_TYPE_NAMES,
    RESERVED_WORDS,
    RISKY_PUNCTUATION,
    Draw,
    _check_text,
    _comments,
    _defaults_for,
    _foreign_key,
    _index_spec,
    _keyable,
    _keys,
    _Names,
    _portable_type_change,
    _table,
    _unique_enum_names,
    _used_names,
    column_specs,
    identifiers,
    name_key,
    schema_states,
    small_states,
    table_specs,
    type_specs,
)

__all__ = [
    "MAX_IDENTIFIER",
    "NON_ASCII",
    "OP_STRATEGIES",
    "PORTABLE_PUNCTUATION",
    "PORTABLE_TYPE_NAMES",
    "RESERVED_WORDS",
    "RISKY_PUNCTUATION",
    "column_specs",
    "histories",
    "identifiers",
    "name_key",
    "ops_for",
    "register_op_strategy",
    "schema_states",
    "small_states",
    "table_specs",
    "type_specs",
]


# ---------------------------------------------------------------------------------------------
# Operations valid on a state
# ---------------------------------------------------------------------------------------------

#: op tag -> fn(draw, state, portable, irreversible) -> an op valid on state, or None when no op
#: of that type fits the state. Plugins add theirs with :func:`register_op_strategy`.
OpStrategy = Callable[[Draw, SchemaState, bool, bool], MigrateOperation | None]
OP_STRATEGIES: dict[str, OpStrategy] = {}


def register_op_strategy(tag: str) -> Callable[[OpStrategy], OpStrategy]:
    """Decorator: ``fn(draw, state, portable, irreversible)`` draws ops of type ``tag``."""

    def register(fn: OpStrategy) -> OpStrategy:
        OP_STRATEGIES[tag] = fn
        return fn

    return register


def _tables(state: SchemaState) -> list[TableSpec]:
    return sorted(state.tables.values(), key=lambda t: (t.schema or "", t.name))


def _names_for(draw: Draw, state: SchemaState, portable: bool, schema: str | None) -> _Names:
    return _Names(draw, portable, _used_names(SchemaState(
        {k: t for k, t in state.tables.items() if t.schema == schema})))


def _pick_table(draw: Draw, state: SchemaState) -> TableSpec | None:
    tables = _tables(state)
    return draw(st.sampled_from(tables)) if tables else None


def _fk_needs(table: TableSpec) -> set[str]:
    """Leading columns of foreign keys: MariaDB refuses to drop the index that serves them."""
    return {fk.columns[0] for fk in table.foreign_keys}


@register_op_strategy("create_table")
def _create_table(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation:
    schema = None if portable else draw(st.sampled_from([None, None, "other"]))
    names = _names_for(draw, state, portable, schema)
    table = _unique_enum_names(draw, names, draw(_table(names, portable=portable, schema=schema)))
    targets = [t for t in _tables(state) if t.schema == schema or not portable]
    if targets and draw(st.booleans()):
        found = _foreign_key(draw, names, table, draw(st.sampled_from(targets)), portable,
                             new_columns=draw(st.booleans()))
        if found is not None:
            table, fk = found
            table = attrs.evolve(table, foreign_keys=table.foreign_keys + (fk,))
    return CreateTableOp(table)


@register_op_strategy("drop_table")
def _drop_table(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    free = [t for t in _tables(state) if not state.referencing(t.name, t.schema)]
    if not free:
        return None
    table = draw(st.sampled_from(free))
    return DropTableOp(table.name, schema=table.schema)


@register_op_strategy("rename_table")
def _rename_table(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    table = _pick_table(draw, state)
    if table is None:
        return None
    return RenameTableOp(table.name, _names_for(draw, state, portable, table.schema).fresh(), schema=table.schema)


@register_op_strategy("add_column")
def _add_column(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    table = _pick_table(draw, state)
    if table is None:
        return None
    names = _names_for(draw, state, portable, table.schema)
    column = draw(column_specs(portable=portable, name=st.builds(names.fresh)))
    if portable and column.server_default is None:
        column = attrs.evolve(column, nullable=True)  # SQLite adds NOT NULL columns only with a default
    if column.type.kw.get("name") is not None and column.type.name in ("Enum", "postgresql.ENUM"):
        column = attrs.evolve(column, type=attrs.evolve(column.type, kwargs=tuple(sorted(
            {**column.type.kw, "name": names.fresh(simple=True)}.items()))))
    return AddColumnOp(table.name, column, schema=table.schema)


def _users(table: TableSpec, name: str) -> bool:
    """True when anything in ``table`` depends on column ``name`` (so it cannot be dropped)."""
    if any(name in c.column_names for c in table.constraints):
        return True
    if any(i.uses(name) for i in table.indexes):
        return True
    if any(sql_references(c.sqltext, name) for c in table.checks):
        return True
    return any(c.computed is not None and sql_references(c.computed.sqltext, name) for c in table.columns)


@register_op_strategy("drop_column")
def _drop_column(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    # A column its own table's keys, indexes and checks use is dropped with them (as PostgreSQL does);
    # a computed column using it, or another table's foreign key referring to it, stays in the way.
    free, used = [], []
    for table in _tables(state):
        if len(table.columns) < 2:
            continue
        referenced = {c for other, fk in state.referencing(table.name, table.schema)
                      if other.key != table.key for c in fk.referent_columns}
        for column in table.columns:
            computed = any(c.computed is not None and c.name != column.name
                           and sql_references(c.computed.sqltext, column.name) for c in table.columns)
            if computed or column.name in referenced:
                continue
            (used if _users(table, column.name) else free).append((table, column.name))
    if not free and not used:
        return None
    table, name = draw(st.sampled_from(used + free if used and free else used or free))
    if used and free and draw(st.booleans()):
        table, name = draw(st.sampled_from(used))
    return DropColumnOp(table.name, name, schema=table.schema)


def _in_text(table: TableSpec, name: str) -> bool:
    return (
        any(sql_references(c.sqltext, name) for c in table.checks)
        or any(i.uses_in_text(name) for i in table.indexes)
        or any(c.computed is not None and c.name != name and sql_references(c.computed.sqltext, name)
               for c in table.columns)
    )


@register_op_strategy("alter_column")
def _alter_column(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    table = _pick_table(draw, state)
    if table is None:
        return None
    column = draw(st.sampled_from(table.columns))
    in_key = table.primary_key is not None and column.name in table.primary_key.columns
    generated = column.computed is not None or column.identity is not None
    changes: dict[str, Any] = {}
    constrained = _users(table, column.name) or any(
        column.name in fk.referent_columns for _, fk in state.referencing(table.name, table.schema))
    if not generated and draw(st.booleans()):
        if not portable:
            changes["modify_type"] = draw(type_specs().filter(lambda t: t != column.type))
        elif not constrained and (change := _portable_type_change(column.type)) is not None:
            changes["modify_type"] = draw(change)
    if draw(st.booleans()) and not (in_key and column.nullable is False):
        changes["modify_nullable"] = not column.nullable
    if not generated and draw(st.booleans()):
        type_ = changes.get("modify_type", column.type)
        default = draw(_defaults_for(type_, portable).filter(lambda d: d != column.server_default))
        changes["modify_server_default"] = default
    if draw(st.booleans()):
        comment = draw(_comments(portable).filter(lambda c: c != column.comment))
        changes["modify_comment"] = comment
    if draw(st.booleans()) and not _in_text(table, column.name):
        changes["modify_name"] = _names_for(draw, state, portable, table.schema).fresh()
    if not changes:
        changes["modify_comment"] = None if column.comment is not None else "changed"
    # What a careful author passes along; completion fills in the rest either way.
    known = draw(st.fixed_dictionaries({}, optional={
        "existing_type": st.just(column.type), "existing_nullable": st.just(column.nullable),
        "existing_server_default": st.just(column.server_default), "existing_comment": st.just(column.comment),
    }))
    return AlterColumnOp(table.name, column.name, schema=table.schema, **changes, **known)


@register_op_strategy("create_index")
def _create_index(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    table = _pick_table(draw, state)
    if table is None:
        return None
    index = _index_spec(draw, _names_for(draw, state, portable, table.schema), table, portable)
    if index is None:
        return None
    return CreateIndexOp(table.name, index, schema=table.schema)


@register_op_strategy("drop_index")
def _drop_index(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    candidates = [
        (t, i) for t in _tables(state) for i in t.indexes
        if not (portable and i.elements and i.elements[0].value in _fk_needs(t))
    ]
    if not candidates:
        return None
    table, index = draw(st.sampled_from(candidates))
    table_name = draw(st.sampled_from([table.name, None]))
    return DropIndexOp(str(index.name), table_name, schema=table.schema)


@register_op_strategy("create_primary_key")
def _create_primary_key(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    candidates = []
    for table in _tables(state):
        if table.primary_key is None:
            columns = [c for c in table.columns if not c.nullable and _keyable(c, portable)]
            if columns:
                candidates.append((table, columns))
    if not candidates:
        return None
    table, columns = draw(st.sampled_from(candidates))
    key = draw(st.lists(st.sampled_from(columns), min_size=1, max_size=2, unique_by=lambda c: c.name))
    name = _names_for(draw, state, portable, table.schema).fresh()
    return CreatePrimaryKeyOp(table.name, PrimaryKeySpec(name, tuple(c.name for c in key)), schema=table.schema)


@register_op_strategy("create_unique_constraint")
def _create_unique(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    candidates = [(t, cs) for t in _tables(state) if (cs := [c for c in t.columns if _keyable(c, portable)])]
    if not candidates:
        return None
    table, columns = draw(st.sampled_from(candidates))
    chosen = draw(st.lists(st.sampled_from(columns), min_size=1, max_size=3, unique_by=lambda c: c.name))
    options = {} if portable else draw(st.fixed_dictionaries({}, optional={
        "deferrable": st.booleans(), "initially": st.sampled_from(["DEFERRED", "IMMEDIATE"])}))
    name = _names_for(draw, state, portable, table.schema).fresh()
    return CreateUniqueConstraintOp(table.name, UniqueSpec(name, tuple(c.name for c in chosen), **options),
                                    schema=table.schema)


@register_op_strategy("create_foreign_key")
def _create_foreign_key(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    tables = _tables(state)
    pairs = [(s, t) for s in tables for t in tables
             if _keys(t) and (not portable or s.schema == t.schema)]
    if not pairs:
        return None
    source, target = draw(st.sampled_from(pairs))
    names = _names_for(draw, state, portable, source.schema)
    found = _foreign_key(draw, names, source, target, portable, new_columns=False)
    if found is None:
        return None
    return CreateForeignKeyOp(source.name, found[1], schema=source.schema)


@register_op_strategy("create_check_constraint")
def _create_check(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    table = _pick_table(draw, state)
    if table is None:
        return None
    name = _names_for(draw, state, portable, table.schema).fresh()
    return CreateCheckConstraintOp(table.name, CheckSpec(name, _check_text(draw, table.columns, portable)),
                                   schema=table.schema)


@register_op_strategy("drop_constraint")
def _drop_constraint(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    candidates = []
    for table in _tables(state):
        for constraint in table.constraints:
            if isinstance(constraint, (PrimaryKeySpec, UniqueSpec)):
                try:
                    state.without_constraint(table.name, str(constraint.name), table.schema)
                except ops.InvalidOperationError:
                    continue
                if portable and constraint.columns[0] in _fk_needs(table):
                    continue
            candidates.append((table, constraint))
    if not candidates:
        return None
    table, constraint = draw(st.sampled_from(candidates))
    type_ = draw(st.sampled_from([None, constraint.constraint_type]))
    return DropConstraintOp(str(constraint.name), table.name, type_=type_, schema=table.schema)


@register_op_strategy("create_table_comment")
def _create_table_comment(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    table = _pick_table(draw, state)
    if table is None:
        return None
    comment = draw(_comments(portable).filter(lambda c: c is not None))
    existing = draw(st.sampled_from([False, table.comment]))
    return CreateTableCommentOp(table.name, comment, schema=table.schema, existing_comment=existing)


@register_op_strategy("drop_table_comment")
def _drop_table_comment(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation | None:
    table = _pick_table(draw, state)
    if table is None:
        return None
    existing = draw(st.sampled_from([False, table.comment]))
    return DropTableCommentOp(table.name, schema=table.schema, existing_comment=existing)


#: table options as MySQL/MariaDB hold them (the database's defaults: none)
_TABLE_OPTIONS = [(), (("mysql_charset", "utf8mb4"), ("mysql_collate", "utf8mb4_bin")),
                  (("mysql_charset", "utf8mb3"), ("mysql_collate", "utf8mb3_general_ci"))]


@register_op_strategy("alter_table_options")
def _alter_table_options(draw: Draw, state: SchemaState, portable: bool,
                         irreversible: bool) -> MigrateOperation | None:
    # MariaDB refuses CONVERT TO on a table a foreign key stands on or points into ("Cannot change
    # column ...: used in a foreign key constraint"), even with foreign_key_checks off: no history
    # the database accepted holds one, so none is drawn.
    keyed = {(t.schema, t.name) for t in state.tables.values() if t.foreign_keys} | {
        (fk.referent_schema if fk.referent_schema is not None else t.schema, fk.referent_table)
        for t in state.tables.values() for fk in t.foreign_keys}
    table = _pick_table(draw, state)
    if table is None or (table.schema, table.name) in keyed:
        return None
    options = draw(st.sampled_from(_TABLE_OPTIONS))
    existing = draw(st.sampled_from([None, table.dialect_options]))
    return AlterTableOptionsOp(table.name, options, schema=table.schema, existing_options=existing)


@register_op_strategy("execute")
def _execute(draw: Draw, state: SchemaState, portable: bool, irreversible: bool) -> MigrateOperation:
    statements = ["SELECT 1", "SELECT 2", "SELECT 1 + 1"]
    if not portable:
        statements += ["UPDATE \"t\" SET x = 'it''s' WHERE y = :z", "-- é 中\nSELECT 3", "VACUUM"]
    sql = draw(st.sampled_from(statements))
    reverse = draw(st.sampled_from(statements) if not irreversible else st.none() | st.sampled_from(statements))
    return ExecuteSQLOp(sql, reverse_sql=reverse)


def ops_for(state: SchemaState, *, portable: bool = False, irreversible: bool = True,
            tags: Iterable[str] | None = None) -> st.SearchStrategy[MigrateOperation]:
    """An operation valid on ``state``, of any type in ``ops.OP_TYPES`` that fits the state (or of
    ``tags`` only). ``irreversible=False`` leaves out ``execute`` without ``reverse_sql``."""
    wanted = sorted(tags if tags is not None else OP_TYPES)
    missing = [t for t in wanted if t not in OP_STRATEGIES]
    if missing:
        raise LookupError(f"no strategy draws {', '.join(missing)} ops: register one with register_op_strategy")

    @st.composite
    def draw_op(draw: Draw) -> MigrateOperation:
        tag = draw(st.sampled_from(wanted))
        op = OP_STRATEGIES[tag](draw, state, portable, irreversible)
        if op is None:
            if tags is not None:
                reject()  # asked for this type only, and it does not fit this state
            # This type does not fit the state (e.g. nothing to drop): a new table always does.
            op = OP_STRATEGIES["create_table"](draw, state, portable, irreversible)
        return op  # type: ignore[return-value]

    return draw_op()


@st.composite
def histories(draw: Draw, *, portable: bool = False, irreversible: bool = False, min_ops: int = 1,
              max_ops: int = 8, start: SchemaState | None = None) -> tuple[SchemaState, list[MigrateOperation]]:
    """A start state and ops, each valid on the state the ones before it leave."""
    state = start if start is not None else draw(schema_states(portable=portable, max_tables=3))
    first, steps = state, []
    for _ in range(draw(st.integers(min_ops, max_ops))):
        op = draw(ops_for(state, portable=portable, irreversible=irreversible))
        state = state.apply(op)
        steps.append(op)
    return first, steps
