"""Plain, frozen values that stand for SQLAlchemy objects: columns, constraints, indexes, tables.

Specs are what operations hold, what the codec stores and what the schema state is made of.
SQLAlchemy objects come in through ``from_*`` adapters and go out through ``to_*`` adapters.
This module holds the column and table specs and is where every spec is found: the
constraint and index specs live in ``ops.keyspecs``, naming conventions in ``ops.naming``,
types in ``ops.types``; all are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.functions import FunctionElement, next_value

from .classes import frozen
from .base import InvalidOperationError
from .keyspecs import (  # noqa: F401 - re-exported
    CheckSpec,
    ConstraintSpec,
    ForeignKeySpec,
    IndexElement,
    IndexSpec,
    PrimaryKeySpec,
    UniqueSpec,
)
from .naming import (  # noqa: F401 - re-exported
    DEFAULT_NAMING_CONVENTION,
    conventional_name,
    held_unnamed,
    named,
    unnamed_metadata,
)
from . import classes as oc
from .types import (  # noqa: F401 - re-exported: ops.specs is where specs, types included, are found
    TypeSpec,
    sql_text,
    register_type,
    registered_type,
    registered_type_names,
    sql_references,
)

__all__ = [
    "CheckSpec",
    "ColumnSpec",
    "ComputedSpec",
    "ConstraintSpec",
    "DEFAULT_NAMING_CONVENTION",
    "DefaultSpec",
    "ForeignKeySpec",
    "IdentitySpec",
    "IndexElement",
    "IndexSpec",
    "PARTITION_OF",
    "PARTITION_OPTIONS",
    "partitions_of",
    "PrimaryKeySpec",
    "TableSpec",
    "TypeSpec",
    "UniqueSpec",
    "by_name",
    "conventional_name",
    "held_unnamed",
    "register_type",
    "registered_type",
    "registered_type_names",
    "sql_references",
    "sqlite_autoincrement",
    "unnamed_metadata",
]


@frozen
class DefaultSpec:
    """A server default: a literal string value, SQL text, or a zero-argument SQL function."""

    kind: str  # "literal" | "text" | "func"
    value: str

    @classmethod
    def from_sa(cls, default: Any) -> DefaultSpec | None:
        if default is None:
            return None
        arg = getattr(default, "arg", default)
        if isinstance(arg, str):
            return cls("literal", arg)
        if isinstance(arg, next_value):
            # each database writes it its own way (nextval('s'), NEXT VALUE FOR s): no neutral text
            raise InvalidOperationError(
                f"unsupported server default {arg.sequence.name}.next_value(): write the database's own "
                f"text instead, e.g. sa.text(\"nextval('{arg.sequence.name}')\") on PostgreSQL")
        if isinstance(arg, FunctionElement) and not list(arg.clauses) and isinstance(arg.name, str):
            return cls("func", arg.name)
        if isinstance(arg, ClauseElement):
            return cls("text", sql_text(arg))
        if isinstance(arg, bool):
            return cls("text", "1" if arg else "0")
        if isinstance(arg, (int, float)):
            return cls("text", repr(arg))
        raise InvalidOperationError(f"unsupported server default {default!r}")

    def to_sa(self) -> Any:
        if self.kind == "literal":
            return self.value
        if self.kind == "func":
            return getattr(sa.func, self.value)()
        return sa.text(self.value)

    def render(self) -> str:
        return repr(self.value) if self.kind == "literal" else f"{self.value}" if self.kind == "text" else f"{self.value}()"


@frozen
class IdentitySpec:
    """An identity column (GENERATED ... AS IDENTITY)."""

    always: bool = False
    on_null: bool | None = None
    start: int | None = None
    increment: int | None = None
    minvalue: int | None = None
    maxvalue: int | None = None
    cycle: bool | None = None
    cache: int | None = None

    @classmethod
    def from_sa(cls, identity: sa.Identity) -> IdentitySpec:
        return cls(
            always=bool(identity.always), on_null=identity.on_null, start=identity.start,
            increment=identity.increment, minvalue=identity.minvalue, maxvalue=identity.maxvalue,
            cycle=identity.cycle, cache=identity.cache,
        )

    def to_sa(self) -> sa.Identity:
        return sa.Identity(**oc.asdict(self))


@frozen
class ComputedSpec:
    """A computed (generated) column."""

    sqltext: str
    persisted: bool | None = None

    @classmethod
    def from_sa(cls, computed: sa.Computed) -> ComputedSpec:
        return cls(sql_text(computed.sqltext), computed.persisted)

    def to_sa(self) -> sa.Computed:
        return sa.Computed(sa.text(self.sqltext), persisted=self.persisted)


#: in a Column's ``info``: its spec holds autoincrement=True, written "auto" because SQLAlchemy refuses
#: autoincrement=True on a key of a type that draws from no sequence (an integer key made a string)
_KEPT_AUTOINCREMENT = "schema_ledger_autoincrement"


@frozen
class ColumnSpec:
    """A column: name, type, nullability, server default, comment and generation."""

    name: str
    type: TypeSpec
    nullable: bool = True
    server_default: DefaultSpec | None = None
    comment: str | None = None
    autoincrement: bool | str = "auto"
    identity: IdentitySpec | None = None
    computed: ComputedSpec | None = None

    @classmethod
    def from_column(cls, column: sa.Column[Any], type_: Any = None) -> ColumnSpec:
        """``type_``: the column's type as stored, in place of ``column.type`` (None: that)."""
        if not column.name:
            raise InvalidOperationError("a column needs a name")
        server_default = column.server_default
        identity = computed = None
        if isinstance(server_default, sa.Identity):
            identity, server_default = IdentitySpec.from_sa(server_default), None
        elif isinstance(server_default, sa.Computed):
            computed, server_default = ComputedSpec.from_sa(server_default), None
        autoincrement = column.autoincrement
        if autoincrement == "auto" and column.__dict__.get("info", {}).get(_KEPT_AUTOINCREMENT):
            autoincrement = True  # to_column wrote it "auto" for SQLAlchemy, which refuses it on this key
        return cls(
            name=str(column.name),
            type=TypeSpec.from_sa(column.type if type_ is None else type_),
            nullable=bool(column.nullable),
            server_default=DefaultSpec.from_sa(server_default),
            comment=column.comment,
            autoincrement=autoincrement if autoincrement in (True, False) else "auto",
            identity=identity,
            computed=computed,
        )

    def to_column(self, *, primary_key: bool = False, sole_key: bool = False) -> sa.Column[Any]:
        """The column; ``sole_key``: it is its table's primary key alone (given as a constraint)."""
        extra: list[Any] = []
        if self.identity is not None:
            extra.append(self.identity.to_sa())
        if self.computed is not None:
            extra.append(self.computed.to_sa())
        type_ = self.type.to_sa()
        autoincrement = self.autoincrement
        if autoincrement is True and (primary_key or sole_key) and not _draws_from_a_sequence(type_):
            # an integer key made a string (its sequence dropped first) keeps no autoincrement: SQLAlchemy
            # refuses autoincrement=True on a key of another type (only a key's is checked)
            autoincrement = "auto"
            extra_kw = {"info": {_KEPT_AUTOINCREMENT: True}}
        else:
            extra_kw = {}
        return sa.Column(
            self.name,
            type_,
            *extra,
            nullable=self.nullable,
            server_default=self.server_default.to_sa() if self.server_default else None,
            comment=self.comment,
            autoincrement=autoincrement,  # type: ignore[arg-type]
            primary_key=primary_key,
            **extra_kw,
        )

    def describe(self) -> str:
        text = f"{self.name} {self.type.render()}"
        if not self.nullable:
            text += " NOT NULL"
        if self.server_default is not None:
            text += f" DEFAULT {self.server_default.render()}"
        return text


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def by_name(items: Iterable[Any]) -> tuple[Any, ...]:
    """``items`` (constraints or indexes) in a table's order: by name, items of one name (SQLite's
    CHECKs) by what they are."""
    items = items if type(items) is tuple else tuple(items)
    if len(items) < 2:
        return items
    names = [s.name or "" for s in items]
    if all(a < b for a, b in zip(names, names[1:])):
        # Already in order (every table the state's verbs build): nothing to sort.
        return items
    if len(set(names)) == len(names):
        # Distinct names order alone; repr (a tenth of a fold's time) only breaks ties.
        return tuple(item for _name, item in sorted(zip(names, items), key=lambda pair: pair[0]))
    return tuple(sorted(items, key=lambda s: (s.name or "", repr(s))))


@frozen
class TableSpec:
    """A table: ordered columns, its constraints and indexes (kept sorted by name), a comment."""

    name: str
    columns: tuple[ColumnSpec, ...]
    schema: str | None = None
    primary_key: PrimaryKeySpec | None = None
    foreign_keys: tuple[ForeignKeySpec, ...] = oc.field(default=(), converter=by_name)
    uniques: tuple[UniqueSpec, ...] = oc.field(default=(), converter=by_name)
    checks: tuple[CheckSpec, ...] = oc.field(default=(), converter=by_name)
    indexes: tuple[IndexSpec, ...] = oc.field(default=(), converter=by_name)
    comment: str | None = None
    #: the table's options as its database holds them, sorted by key: on MySQL/MariaDB its
    #: character set and collation (``mysql_charset``, ``mysql_collate``); none where the table
    #: takes the database's defaults or the ledger predates them
    dialect_options: tuple[tuple[str, Any], ...] = ()

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.schema, self.name)

    @property
    def fullname(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def column(self, name: str) -> ColumnSpec | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def constraints(self) -> tuple[ConstraintSpec, ...]:
        pk: tuple[ConstraintSpec, ...] = (self.primary_key,) if self.primary_key else ()
        return pk + self.foreign_keys + self.uniques + self.checks

    def constraint(self, name: str) -> ConstraintSpec | None:
        for constraint in self.constraints:
            if constraint.name == name:
                return constraint
        return None

    def index(self, name: str) -> IndexSpec | None:
        for index in self.indexes:
            if index.name == name:
                return index
        return None

    @classmethod
    def from_table(cls, table: sa.Table, convention: Mapping[str, str] | None = None,
                   types: Sequence[Any] | None = None) -> TableSpec:
        """``types``: each column's type as stored, in the columns' order, in place of their own."""
        columns = tuple(ColumnSpec.from_column(c) for c in table.columns) if types is None else tuple(
            ColumnSpec.from_column(c, t) for c, t in zip(table.columns, types, strict=True))
        pk = None
        if table.primary_key is not None and len(table.primary_key.columns):
            pk = named(PrimaryKeySpec.from_constraint(table.primary_key), table.name, convention)
            if _autoincrement_key(table):
                pk = oc.evolve(pk, autoincrement=True)
        fks, uniques, checks = [], [], []
        for constraint in table.constraints:
            if isinstance(constraint, sa.ForeignKeyConstraint):
                fks.append(named(ForeignKeySpec.from_constraint(constraint), table.name, convention))
            elif isinstance(constraint, sa.UniqueConstraint):
                uniques.append(named(UniqueSpec.from_constraint(constraint), table.name, convention))
            elif isinstance(constraint, sa.CheckConstraint):
                if _is_type_check(constraint):
                    continue
                checks.append(named(CheckSpec.from_constraint(constraint), table.name, convention))
            elif not isinstance(constraint, sa.PrimaryKeyConstraint):
                raise InvalidOperationError(
                    f"table {table.name}: {type(constraint).__name__} constraints are not supported"
                )
        for column in table.columns:
            # a CHECK declared on the column (``Column("x", ..., CheckConstraint(...))``) is the table's
            for constraint in column.constraints:
                if isinstance(constraint, sa.CheckConstraint) and not _is_type_check(constraint):
                    checks.append(named(CheckSpec.from_constraint(constraint), table.name, convention))
            # ``Column(unique=True, index=True)`` is one unique index (in ``table.indexes``), no constraint
            if column.unique and not column.index and not any(u.columns == (column.name,) for u in uniques):
                uniques.append(named(UniqueSpec(None, (str(column.name),)), table.name, convention))
        indexes = [named(IndexSpec.from_index(i), table.name, convention) for i in table.indexes]
        return cls(
            name=str(table.name), columns=columns, schema=None if table.schema is None else str(table.schema),
            primary_key=pk,
            foreign_keys=tuple(fks), uniques=tuple(uniques), checks=tuple(checks),
            indexes=tuple(indexes), comment=table.comment, dialect_options=charset_options(table.dialect_kwargs),
        )

    def to_table(self, metadata: sa.MetaData | None = None, *, with_indexes: bool = True) -> sa.Table:
        metadata = metadata if metadata is not None else sa.MetaData()
        key = self.primary_key.columns if self.primary_key is not None and len(self.primary_key.columns) == 1 else ()
        args: list[Any] = [c.to_column(sole_key=c.name in key) for c in self.columns]
        if self.primary_key is not None:
            args.append(self.primary_key.to_constraint())
        args.extend(fk.to_constraint(self.schema) for fk in self.foreign_keys)
        args.extend(c.to_constraint() for c in self.uniques + self.checks)  # type: ignore[operator]
        kwargs = {"sqlite_autoincrement": True} if self.primary_key is not None and self.primary_key.autoincrement else {}
        kwargs.update((k, v) for k, v in self.dialect_options if k not in PARTITION_OF)
        table = sa.Table(self.name, metadata, *args, schema=self.schema, comment=self.comment, **kwargs)
        if with_indexes:
            for index in self.indexes:
                _attach_index(table, index)
        return table


_new = object.__new__


def _slot_setters(cls: type, *names: str) -> tuple[Any, ...]:
    """The setters of the slots ``names`` of the attrs class ``cls``: setting a slot through its own
    descriptor skips ``object.__setattr__``'s look-up of the name, a third of the time of making a
    table or column the fold's verbs build for every op."""
    assert names == tuple(f.name for f in oc.fields(cls))
    return tuple(getattr(cls, name).__set__ for name in names)


(_T_NAME, _T_COLUMNS, _T_SCHEMA, _T_PK, _T_FKS, _T_UNIQUES, _T_CHECKS, _T_INDEXES, _T_COMMENT,
 _T_OPTIONS) = _slot_setters(TableSpec, "name", "columns", "schema", "primary_key", "foreign_keys", "uniques", "checks",
                             "indexes", "comment", "dialect_options")


#: a table option naming its character set or collation (``mysql_charset``, ``mysql_default_charset``,
#: ``mysql_collate``; SQLAlchemy's reflection spells one ``mysql_default charset``) -> how it is kept
_CHARSET_OPTIONS = {"charset": "charset", "default_charset": "charset", "default charset": "charset",
                    "character_set": "charset", "default_character_set": "charset", "collate": "collate",
                    "default_collate": "collate"}


#: a PostgreSQL partition's parent table and bound (``FOR VALUES IN (true)``, as ``pg_get_expr``
#: prints it): options a :class:`TableSpec` holds that SQLAlchemy's ``Table`` does not take (its
#: ``CREATE TABLE ... PARTITION OF`` is the PostgreSQL generator's)
PARTITION_OF = frozenset({"postgresql_partition_of", "postgresql_partition_bound"})
#: the options that say how a table is partitioned, or which table's partition it is: compared
#: whatever the other side holds (a plain table is not a partitioned one)
PARTITION_OPTIONS = PARTITION_OF | {"postgresql_partition_by"}


def partitions_of(tables: Mapping[tuple[str | None, str], TableSpec], name: str,
                  schema: str | None = None) -> list[TableSpec]:
    """The partitions of the table ``name`` among ``tables`` (a state's), and theirs in turn, each
    after its own partitions: the order they can be dropped in. [] for a table not partitioned."""
    spec = tables.get((schema, name))
    if spec is None or not any(key == "postgresql_partition_by" for key, _ in spec.dialect_options):
        return []
    found: list[TableSpec] = []
    for table in tables.values():
        parent = dict(table.dialect_options).get("postgresql_partition_of") if table.dialect_options else None
        if parent is not None and (parent == f"{schema}.{name}" or (parent == name and table.schema == schema)):
            found += partitions_of(tables, table.name, table.schema) + [table]
    return found


def charset_options(kwargs: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The character set and collation among a table's dialect keyword arguments, as
    ``(("<dialect>_charset", ...), ("<dialect>_collate", ...))``, and a PostgreSQL table's partition
    key (``postgresql_partition_by``) and place as a partition (:data:`PARTITION_OF`): what
    :class:`TableSpec` keeps."""
    options = {key: value for key, value in kwargs.items()
               if (key == "postgresql_partition_by" or key in PARTITION_OF) and isinstance(value, str) and value}
    for key, value in kwargs.items():
        prefix, _, option = key.partition("_")
        kept = _CHARSET_OPTIONS.get(option.lower())
        if kept is not None and isinstance(value, str) and value:
            options[f"{prefix}_{kept}"] = value
    return tuple(sorted(options.items()))


def table_spec(
    name: str,
    columns: tuple[ColumnSpec, ...],
    schema: str | None,
    primary_key: PrimaryKeySpec | None,
    foreign_keys: tuple[ForeignKeySpec, ...],
    uniques: tuple[UniqueSpec, ...],
    checks: tuple[CheckSpec, ...],
    indexes: tuple[IndexSpec, ...],
    comment: str | None,
    dialect_options: tuple[tuple[str, Any], ...],
) -> TableSpec:
    """A TableSpec from parts already in its order: foreign keys, uniques, checks and indexes each
    a tuple sorted by distinct names, as in any TableSpec. The state's verbs change one part of a
    table at a time and keep that order, so they skip the converters (a fifth of a fold's time)."""
    table = _new(TableSpec)
    _T_NAME(table, name)
    _T_COLUMNS(table, columns)
    _T_SCHEMA(table, schema)
    _T_PK(table, primary_key)
    _T_FKS(table, foreign_keys)
    _T_UNIQUES(table, uniques)
    _T_CHECKS(table, checks)
    _T_INDEXES(table, indexes)
    _T_COMMENT(table, comment)
    _T_OPTIONS(table, dialect_options)
    return table


_C_NAME, _C_TYPE, _C_NULLABLE, _C_DEFAULT, _C_COMMENT, _C_AUTOINCREMENT, _C_IDENTITY, _C_COMPUTED = _slot_setters(
    ColumnSpec, "name", "type", "nullable", "server_default", "comment", "autoincrement", "identity", "computed")


def column_spec(
    name: str, type: TypeSpec, nullable: bool, server_default: DefaultSpec | None, comment: str | None,
    autoincrement: bool | str, identity: IdentitySpec | None, computed: ComputedSpec | None,
) -> ColumnSpec:
    """``ColumnSpec(...)`` of every field, in order, from values of their types (its __init__ only
    sets them): for the fold's column changes."""
    column = _new(ColumnSpec)
    _C_NAME(column, name)
    _C_TYPE(column, type)
    _C_NULLABLE(column, nullable)
    _C_DEFAULT(column, server_default)
    _C_COMMENT(column, comment)
    _C_AUTOINCREMENT(column, autoincrement)
    _C_IDENTITY(column, identity)
    _C_COMPUTED(column, computed)
    return column


def _attach_index(table: sa.Table, index: IndexSpec) -> None:
    if any(i.name == index.name for i in table.indexes):
        return
    elements = [table.c[e] if isinstance(e, str) else e for e in index.sa_elements()]
    sa.Index(index.name, *elements, unique=index.unique, _table=table, **index.sa_options())


def _autoincrement_key(table: sa.Table) -> bool:
    """Whether SQLite's CREATE TABLE of ``table`` writes AUTOINCREMENT: ``sqlite_autoincrement=True``
    on a table whose primary key is one column of integer affinity with no foreign key (SQLAlchemy
    writes the keyword for no other)."""
    if not sqlite_autoincrement(table) or len(table.primary_key.columns) != 1:
        return False
    column = next(iter(table.primary_key.columns))
    return issubclass(column.type._type_affinity, sa.Integer) and not column.foreign_keys  # type: ignore[arg-type]


def sqlite_autoincrement(table: sa.Table) -> bool:
    """``table.kwargs.get("sqlite_autoincrement")``, without loading SQLite's dialect where the table
    was given no SQLite option (looking an option up loads its dialect's module: 0.04 s)."""
    return bool(dict(table.dialect_kwargs).get("sqlite_autoincrement"))  # (a copy holds only the options given)


def _is_type_check(constraint: sa.CheckConstraint) -> bool:
    """True for the CHECK constraints that Boolean and Enum types create themselves."""
    return bool(getattr(constraint, "_type_bound", False))


def _draws_from_a_sequence(type_: sa.types.TypeEngine[Any]) -> bool:
    """Whether a column of ``type_`` can be an autoincrement column (SQLAlchemy's rule: an integer, or
    a numeric type of scale 0)."""
    affinity = type_._type_affinity
    if affinity is None:
        return False
    if issubclass(affinity, sa.Integer):
        return True
    return issubclass(affinity, sa.Numeric) and getattr(type_, "scale", None) == 0
