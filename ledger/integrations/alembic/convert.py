"""Alembic operations -> the ops vocabulary."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from alembic.operations import ops as aops
from alembic.operations.schemaobj import SchemaObjects
from sqlalchemy.types import TypeDecorator

import ops as lops
from ops import InvalidOperationError, MigrateOperation, SchemaState
from ops.specs import (
    CheckSpec,
    ColumnSpec,
    ForeignKeySpec,
    IndexSpec,
    PrimaryKeySpec,
    TableSpec,
    UniqueSpec,
    named,
    sqlite_autoincrement,
)

from ledger import dialects
from ledger.integrations.alembic.base import PLACEHOLDER, PLACEHOLDER_CONVENTION
from ops import classes as oc

if TYPE_CHECKING:
    from ledger.integrations.alembic.recorder import Recorder


class Unconverted:
    """An operation of a batch block that could not be converted; recorded from the table after the flush."""

    __slots__ = ("what", "table", "error")

    def __init__(self, what: str, table: tuple[str | None, str] | None, error: BaseException) -> None:
        self.what = what
        self.table = table
        self.error = error

    def __repr__(self) -> str:
        return f"Unconverted(what={self.what!r}, table={self.table!r}, error={self.error!r})"


def touched(operation: Any) -> tuple[str | None, str] | None:
    """``(schema, table)`` an Alembic operation changes; None when it may change others (a rename)."""
    if isinstance(operation, aops.RenameTableOp):
        return None
    table = getattr(operation, "table_name", None)
    if not isinstance(table, str):
        return None
    return getattr(operation, "schema", None), table


def in_default_schema(operation: Any) -> Any:
    """``operation`` as it is recorded: one given an empty schema name (rucio passes its unset
    ``version_table_schema``), which SQLAlchemy and Alembic write as no schema, as a copy on the
    default schema (None), whose objects are built again (Alembic's table is keyed ".name" in its
    MetaData); any other as itself."""
    if getattr(operation, "schema", None) != "":
        return operation
    operation = copy.copy(operation)
    operation.schema = None
    return operation


#: ``info`` key of the drop of a CHECK an ``alter_column`` of an Enum/Boolean type made Alembic drop:
#: recorded only when the database no longer holds it
TYPE_CHECK = "alembic_type_check"


class _NotModelled(Exception):
    """An Alembic operation of a known class whose content the vocabulary cannot hold."""


def _storable_type(type_: Any, dialect: sa.Dialect) -> Any:
    """The type the database got: the dialect's variant, a TypeDecorator's underlying type. A
    type the codec knows stays itself though SQLAlchemy writes it as a TypeDecorator
    (``sa.Interval`` is INTERVAL on PostgreSQL, its DateTime impl only where there is no
    interval type), since it compiles on each dialect as that dialect made it."""
    from ops.types import _TYPE_NAMES

    for _ in range(8):
        variants = getattr(type_, "_variant_mapping", None) or {}
        if dialect.name in variants:
            type_ = variants[dialect.name]
            continue
        if isinstance(type_, TypeDecorator) and type(type_) not in _TYPE_NAMES:
            if _compiled_its_own_way(type_, dialect):
                return type_  # the database got what it compiled to, not its impl: recorded as reflected
            type_ = type_.load_dialect_impl(dialect)
            continue
        break
    if not isinstance(type_, TypeDecorator) and _written_otherwise(type_, dialect):
        raise _CompiledOtherwise(f"{type(type_).__name__} is compiled by a @compiles of the migration's own on "
                                 f"{dialect.name}: the table is recorded as the database holds it")
    return _nearest_known(type_)


class _CompiledOtherwise(Exception):
    """A column type whose DDL here is a ``@compiles`` function's, not the dialect's own: the ledger,
    which compiles without the migration's code, would write another type."""


def _written_otherwise(type_: Any, dialect: sa.Dialect) -> bool:
    """Whether ``type_`` compiles on ``dialect`` to other DDL than the dialect's own for its kind: a
    ``@compiles`` of its class or of an ancestor (privacyidea's ``DateTime`` is ``DATETIME(6)`` on
    MySQL), which registers a dispatcher on that class."""
    if not any("_compiler_dispatcher" in vars(klass) for klass in type(type_).__mro__):
        return False
    compiler = dialect.type_compiler_instance
    own = getattr(compiler, f"visit_{getattr(type_, '__visit_name__', '')}", None)
    if own is None:
        return False
    try:
        return bool(compiler.process(type_) != own(type_))
    except Exception:  # noqa: BLE001 - not written here either way (no length on MySQL): as it was declared
        return False


def _compiled_its_own_way(type_: TypeDecorator, dialect: sa.Dialect) -> bool:
    """Whether ``type_``'s DDL on ``dialect`` is not its dialect impl's (a ``@compiles`` of the
    decorator's class: mailman's ``SAUnicode`` is ``VARCHAR(255) COLLATE utf8_bin`` on MySQL)."""
    compiler = dialect.type_compiler_instance
    try:
        own = compiler.process(type_)
    except Exception:  # noqa: BLE001 - it cannot be written here: its impl's DDL is not it either
        return True
    try:
        return own != compiler.process(type_.load_dialect_impl(dialect))
    except Exception:  # noqa: BLE001 - its impl alone cannot be written (VARCHAR without a length on MySQL)
        return True


def _nearest_known(type_: Any) -> Any:
    """``type_``, or as the nearest class in its ancestry the codec knows (SQLite's private JSON
    type as ``sa.JSON``, psycopg2's private JSONB class as ``postgresql.JSONB``, a
    ``UserDefinedType`` subclass of a known type as that type). A class of a database's package is
    looked up with that database's types registered (``_type_name``), whether or not a type of
    that database was converted before."""
    from ops.types import _type_name

    if not isinstance(type_, sa.types.TypeEngine) or _type_name(type(type_)) is not None:
        return type_
    for klass in type(type_).__mro__[1:]:
        if klass not in (sa.types.TypeEngine, sa.types.UserDefinedType, TypeDecorator, sa.types.NullType) \
                and _type_name(klass) is not None:
            if getattr(klass, "__visit_name__", None) != getattr(type_, "__visit_name__", None):
                return type_  # compiled its own way (@compiles): the table is recorded as reflected
            try:
                return type_.adapt(klass)
            except Exception:  # noqa: BLE001 - not adaptable: the table is then recorded as reflected
                return type_
    return type_


def _storable_column(column: sa.Column[Any], dialect: sa.Dialect) -> sa.Column[Any]:
    copy = column._copy()
    copy.type = _storable_type(column.type, dialect)
    if column.table is not None and not copy.foreign_keys:
        # Alembic attached the column to a table to run it, which moved its foreign keys into the
        # table's constraints; Column._copy() then leaves them out, though the database made them.
        for fk in column.foreign_keys:
            copy.append_foreign_key(fk._copy())
    return copy


def _table_spec(table: sa.Table, dialect: sa.Dialect) -> TableSpec:
    stored = [_storable_type(column.type, dialect) for column in table.columns]
    if not (dialect.supports_alter and any(isinstance(c, sa.ForeignKeyConstraint) and c.use_alter
                                           for c in table.constraints)):
        if all(a is b for a, b in zip(stored, (c.type for c in table.columns))):
            # the table as Alembic made it holds what the database got: read as it is (not copied)
            return TableSpec.from_table(table, PLACEHOLDER_CONVENTION)
        if not sqlite_autoincrement(table):  # (which the columns' own types decide)
            # the table as Alembic made it, each column with the type the database got
            return TableSpec.from_table(table, PLACEHOLDER_CONVENTION, types=stored)
    # The copy's metadata has the naming convention of the one Alembic used, so that an index a
    # column makes (index=True) is named again as the database got it.
    copy = table.to_metadata(sa.MetaData(naming_convention=table.metadata.naming_convention))
    for column, type_ in zip(copy.columns, stored):
        column.type = type_
    if dialect.supports_alter:
        # SQLAlchemy leaves a foreign key declared ``use_alter=True`` out of CREATE TABLE where the
        # database can add it by ALTER TABLE (``metadata.create_all`` does so afterwards; Alembic's
        # create_table never does): the table the database made has no such key.
        for fk in [c for c in copy.constraints if isinstance(c, sa.ForeignKeyConstraint) and c.use_alter]:
            copy.constraints.discard(fk)
            for element in fk.elements:
                element.parent.foreign_keys.discard(element)
    return TableSpec.from_table(copy, PLACEHOLDER_CONVENTION)


@contextlib.contextmanager
def built_by_alembic(operation: Any) -> Iterator[dict[str, tuple[Any, Any]]]:
    """While Alembic runs ``operation``: the index or constraint its ``to_index``/``to_constraint``
    built to run it, by the method's name, with the migration context it was built for; converting
    the operation reads that object instead of building another (a foreign key builds two tables)."""
    kept: dict[str, tuple[Any, Any]] = {}
    names = [name for name in ("to_index", "to_constraint") if callable(getattr(type(operation), name, None))]
    for name in names:
        def keep(migration_context: Any = None, *args: Any, _name: str = name,
                 _method: Any = getattr(operation, name), **kw: Any) -> Any:
            made = _method(migration_context, *args, **kw)
            if not args and not kw:
                kept.setdefault(_name, (migration_context, made))  # the first: the one Alembic ran
            return made
        operation.__dict__[name] = keep  # this operation's own, for the time Alembic runs it
    try:
        yield kept
    finally:
        for name in names:
            operation.__dict__.pop(name, None)


def _built(operation: Any, name: str, recorder: Recorder) -> Any:
    """What ``operation.<name>(migration_context)`` builds: the object Alembic ran, when it built one."""
    kept = recorder._built.get(name)
    if kept is not None and kept[0] is recorder.migration_context:
        return kept[1]
    return getattr(operation, name)(recorder.migration_context)


def _with_if(op: MigrateOperation, flag: Any, when: str) -> MigrateOperation:
    if flag:
        op.info["alembic_if"] = when
    return op


def _recording(recorder: Recorder, call: Callable[[lops.Operations], Any]) -> list[MigrateOperation]:
    issued: list[MigrateOperation] = []
    call(lops.Operations(issued.append, naming_convention=PLACEHOLDER_CONVENTION))
    return issued


def _create_table(operation: aops.CreateTableOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    # the table Alembic ran, unless it ran it under a schema the operation recorded no longer names
    table = result if isinstance(result, sa.Table) and result.schema == operation.schema \
        else operation.to_table(recorder.migration_context)
    spec = _table_spec(table, recorder.conn.dialect)
    # ``Column(unique=True)`` beside ``UniqueConstraint`` on that column, named alike by a naming
    # convention: one constraint of that name on those columns (SQLite keeps the clause twice).
    # (unnamed ones keep their placeholder names, told apart when the database's names are read)
    seen: set[Any] = set()
    uniques = tuple(u for u in spec.uniques if (u.name or "").startswith(PLACEHOLDER)
                    or not (u in seen or seen.add(u)))
    if len(uniques) != len(spec.uniques):
        spec = oc.evolve(spec, uniques=uniques)
    # The character set and collation the database gave the table (declared or its default),
    # which a replay into a database of another default must give it again; its comment as that
    # database's CREATE TABLE wrote it (MySQL's from ``mysql_comment=`` too).
    database = dialects.database(recorder.conn.dialect.name)
    held = database.table_options(recorder.conn, spec.schema, [spec.name], made_by=recorder._ran or ())
    if spec.name in held:
        spec = oc.evolve(spec, dialect_options=held[spec.name])
    comment = database.declared_comment(table, recorder.conn.dialect)
    if comment != spec.comment:
        spec = oc.evolve(spec, comment=comment)
    op = lops.CreateTableOp(spec)
    return [_with_if(op, getattr(operation, "if_not_exists", None), "not_exists")]


def _drop_table(operation: aops.DropTableOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    op = lops.DropTableOp(operation.table_name, schema=operation.schema)
    return [_with_if(op, getattr(operation, "if_exists", None), "exists")]


def _rename_table(operation: aops.RenameTableOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    return [lops.RenameTableOp(operation.table_name, operation.new_table_name, schema=operation.schema)]


def _create_table_comment(operation: aops.CreateTableCommentOp, result: Any,
                          recorder: Recorder) -> list[MigrateOperation]:
    return [lops.CreateTableCommentOp(operation.table_name, operation.comment, schema=operation.schema)]


def _drop_table_comment(operation: aops.DropTableCommentOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    return [lops.DropTableCommentOp(operation.table_name, schema=operation.schema)]


def _add_column(operation: aops.AddColumnOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    issued = _column_added(operation.table_name, operation.column, operation.schema, recorder)
    if getattr(operation, "if_not_exists", None) and issued:
        issued[0].info["alembic_if"] = "not_exists"
    return issued


def _column_added(table_name: str, column: sa.Column[Any], schema: str | None,
                  recorder: Recorder) -> list[MigrateOperation]:
    """The ops of adding ``column``: a column that declares nothing beside itself (no key, CHECK,
    unique or index) is one ``add_column`` read from it with the type the database got; else the
    ledger's ``add_column`` reads them from a one-column table, as it reads a migration's."""
    dialect = recorder.conn.dialect
    if not (column.foreign_keys or column.constraints or column.unique or column.index or column.primary_key):
        spec = ColumnSpec.from_column(column, _storable_type(column.type, dialect))
        return [lops.AddColumnOp(table_name, spec, schema=schema)]
    copy = _storable_column(column, dialect)
    return _recording(recorder, lambda op: op.add_column(table_name, copy, schema=schema))


def _drop_column(operation: aops.DropColumnOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    op = lops.DropColumnOp(operation.table_name, operation.column_name, schema=operation.schema)
    return [_with_if(op, getattr(operation, "if_exists", None), "exists")]


def _alter_column(operation: aops.AlterColumnOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    dialect = recorder.conn.dialect
    type_ = _storable_type(operation.modify_type, dialect) if operation.modify_type is not None else None
    new_checks = _type_checks(operation, operation.modify_type, recorder) if operation.modify_type is not None else []
    if new_checks and getattr(type_, "create_constraint", False):
        # Alembic added the type's CHECK beside the ALTER: it is recorded as that constraint (under
        # the name the database gave it, so a rollback drops it), not implied by the column's type.
        type_ = copy.copy(type_)
        type_.create_constraint = False  # type: ignore[union-attr]
    op = lops.AlterColumnOp._build(
        operation.table_name, operation.column_name, operation.schema,
        nullable=operation.modify_nullable, comment=operation.modify_comment,
        server_default=operation.modify_server_default, new_column_name=operation.modify_name, type_=type_,
    )
    # An op that changes nothing is kept: MySQL/MariaDB's MODIFY still restates the column (the recorder reads it back).
    converted: list[MigrateOperation] = [op]
    if operation.modify_type is None:
        return converted
    old_checks = _type_checks(operation, operation.existing_type, recorder, dropped=True) \
        if operation.existing_type is not None else []
    dropped = [lops.DropConstraintOp(c.name, operation.table_name, type_="check", schema=operation.schema)
               for c in old_checks if c.name]
    for op_ in dropped:
        op_.info[TYPE_CHECK] = True  # some databases keep it (MySQL/MariaDB): recorded if it went
    added = [lops.CreateCheckConstraintOp(operation.table_name, c, schema=operation.schema) for c in new_checks]
    return [*dropped, *converted, *added]


def _type_checks(operation: aops.AlterColumnOp, type_: Any, recorder: Recorder, *,
                 dropped: bool = False) -> list[CheckSpec]:
    """The CHECK constraints of ``type_`` (an ``Enum``/``Boolean`` with ``create_constraint``) that
    Alembic's ``alter_column`` drops (of the existing type) or adds (of the new one) beside the
    ALTER, as it names them (the naming convention of the context's metadata)."""
    if not isinstance(type_, sa.types.SchemaType):
        return []
    dialect = recorder.conn.dialect
    compiler = dialect.statement_compiler(dialect, None)
    table = SchemaObjects(recorder.migration_context).table(
        operation.table_name, sa.Column(operation.column_name, type_), schema=operation.schema)
    found = []
    for constraint in table.constraints:
        rule = getattr(constraint, "_create_rule", None)
        if isinstance(constraint, sa.CheckConstraint) and (not rule or rule(compiler)):
            spec = CheckSpec.from_constraint(constraint)
            if dropped and spec.name is None and constraint.name is not None:
                # the existing type has no name: Alembic drops its CHECK by the name a naming convention
                # gives it as Alembic compiles it (``ck_<table>_<column>``; none without one). A new
                # type's is read back as made (a batch rebuild makes it without the convention).
                given = dialect.identifier_preparer.format_constraint(constraint, _alembic_quote=False)
                spec = oc.evolve(spec, name=str(given)) if given else spec
            found.append(spec if spec.name else named(spec, table.name, PLACEHOLDER_CONVENTION))
    return found


def _create_index(operation: aops.CreateIndexOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    index = _built(operation, "to_index", recorder)
    table = index.table
    assert table is not None
    spec = named(IndexSpec.from_index(index), table.name)
    op = lops.CreateIndexOp(table.name, spec, schema=table.schema)
    return [_with_if(op, getattr(operation, "if_not_exists", None), "not_exists")]


def _drop_index(operation: aops.DropIndexOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    op = lops.DropIndexOp(operation.index_name, operation.table_name, schema=operation.schema)
    return [_with_if(op, getattr(operation, "if_exists", None), "exists")]


_SPEC_BY_VISIT: dict[str, tuple[Any, type[MigrateOperation]]] = {
    "primary_key_constraint": (PrimaryKeySpec, lops.CreatePrimaryKeyOp),
    "unique_constraint": (UniqueSpec, lops.CreateUniqueConstraintOp),
    "foreign_key_constraint": (ForeignKeySpec, lops.CreateForeignKeyOp),
    "check_constraint": (CheckSpec, lops.CreateCheckConstraintOp),
    "table_or_column_check_constraint": (CheckSpec, lops.CreateCheckConstraintOp),
    "column_check_constraint": (CheckSpec, lops.CreateCheckConstraintOp),
}


def _add_constraint(operation: aops.AddConstraintOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    constraint = _built(operation, "to_constraint", recorder)
    known = _SPEC_BY_VISIT.get(constraint.__visit_name__)
    if known is None:
        raise _NotModelled(f"{constraint.__visit_name__} constraints are not in the vocabulary")
    spec_class, op_class = known
    table = constraint.table  # type: ignore[attr-defined]
    spec = spec_class.from_constraint(constraint)
    if spec.name is None:
        spec = named(spec, table.name, PLACEHOLDER_CONVENTION)
    return [op_class(table.name, spec, schema=table.schema)]  # type: ignore[call-arg]


def _dropped_name(operation: aops.DropConstraintOp, recorder: Recorder) -> str:
    """The name Alembic's ``drop_constraint`` dropped: the name given, through the naming convention
    of the context's metadata when its template for that kind holds ``%(constraint_name)s``
    (SQLAlchemy names the constraint Alembic builds to drop as it named the one it made)."""
    name = operation.constraint_name or ""
    try:
        constraint = SchemaObjects(recorder.migration_context).generic_constraint(
            name, operation.table_name, operation.constraint_type, schema=operation.schema)
    except Exception:  # noqa: BLE001 - Alembic built it to run the drop; without it the name given is the name
        return name
    return str(constraint.name) if isinstance(constraint.name, str) and constraint.name else name


def _drop_constraint(operation: aops.DropConstraintOp, result: Any, recorder: Recorder) -> list[MigrateOperation]:
    op = lops.DropConstraintOp(_dropped_name(operation, recorder), operation.table_name,
                               type_=operation.constraint_type, schema=operation.schema)
    return [_with_if(op, getattr(operation, "if_exists", None), "exists")]


CONVERTERS: dict[type, Callable[[Any, Any, Recorder], list[MigrateOperation]]] = {
    aops.CreateTableOp: _create_table,
    aops.DropTableOp: _drop_table,
    aops.RenameTableOp: _rename_table,
    aops.CreateTableCommentOp: _create_table_comment,
    aops.DropTableCommentOp: _drop_table_comment,
    aops.AddColumnOp: _add_column,
    aops.DropColumnOp: _drop_column,
    aops.AlterColumnOp: _alter_column,
    aops.CreateIndexOp: _create_index,
    aops.DropIndexOp: _drop_index,
    aops.CreatePrimaryKeyOp: _add_constraint,
    aops.CreateUniqueConstraintOp: _add_constraint,
    aops.CreateForeignKeyOp: _add_constraint,
    aops.CreateCheckConstraintOp: _add_constraint,
    aops.DropConstraintOp: _drop_constraint,
}


def is_noop(op: MigrateOperation, state: SchemaState) -> bool:
    """True for IF [NOT] EXISTS operations that found what they test for, so the database did nothing."""
    flag = op.info.get("alembic_if")
    if flag == "not_exists":
        if isinstance(op, lops.CreateTableOp):
            return state.has_table(op.table.name, op.table.schema)
        if isinstance(op, lops.CreateIndexOp):
            with contextlib.suppress(InvalidOperationError):
                state.find_index(op.index.name or "", op.schema, op.table_name)
                return True
        if isinstance(op, lops.AddColumnOp):
            return state.has_table(op.table_name, op.schema) and state.table(
                op.table_name, op.schema).column(op.column.name) is not None
    if flag == "exists":
        if isinstance(op, lops.DropTableOp):
            return not state.has_table(op.table_name, op.schema)
        if isinstance(op, lops.DropIndexOp):
            try:
                state.find_index(op.index_name, op.schema, op.table_name)
            except InvalidOperationError:
                return True
        if isinstance(op, lops.DropColumnOp):
            return not state.has_table(op.table_name, op.schema) or state.table(
                op.table_name, op.schema).column(op.column_name) is None
        if isinstance(op, lops.DropConstraintOp):
            return not state.has_table(op.table_name, op.schema) or state.table(
                op.table_name, op.schema).constraint(op.constraint_name) is None
    return False



_DROP_TYPE = {PrimaryKeySpec: "primary", ForeignKeySpec: "foreignkey", UniqueSpec: "unique", CheckSpec: "check"}


def replaced_in_rebuild(state: SchemaState | None, pending: list[Any], rebuilt: bool) -> list[Any]:
    """The ops a batch block queued (``(op, origin, entries)``), each constraint it adds under a
    name its table holds, or primary key on a table that has one, preceded by the drop of what it
    replaces, where the block rebuilds the table: Alembic makes the table again from its reflection
    with the block's constraints kept by name (a new one of a name held takes that one's place),
    and SQLAlchemy keeps one primary key (the one added last). The rebuilt table is read back
    after the block all the same, so an add that replaced nothing shows there."""
    if not rebuilt or state is None:
        return pending
    held: dict[tuple[str | None, str], dict[str, str]] = {}
    out: list[Any] = []
    for item in pending:
        op = item[0]
        key = (getattr(op, "schema", None), getattr(op, "table_name", None) or "")
        if isinstance(op, (lops.DropConstraintOp, lops.AddConstraintOp)) and key not in held:
            table = state.table(key[1], key[0]) if state.has_table(key[1], key[0]) else None
            held[key] = {c.name: _DROP_TYPE[type(c)] for c in (table.constraints if table else ())
                         if c.name and type(c) in _DROP_TYPE}
        if isinstance(op, lops.DropConstraintOp):
            held[key].pop(op.constraint_name, None)
        elif isinstance(op, lops.AddConstraintOp) and op.constraint.name and type(op.constraint) in _DROP_TYPE:
            kind = _DROP_TYPE[type(op.constraint)]
            names = held[key]
            replaced = next((n for n, k in names.items() if k == "primary"), None) if kind == "primary" else None
            replaced = op.constraint.name if replaced is None and op.constraint.name in names else replaced
            if replaced is not None:
                out.append((lops.DropConstraintOp(replaced, key[1], type_=names.pop(replaced), schema=key[0]),
                            *item[1:]))
            names[op.constraint.name] = kind
        out.append(item)
    return out
