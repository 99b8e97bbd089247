"""Specs of constraints and indexes: primary keys, uniques, foreign keys, checks, indexes.

Part of ``ops.specs`` (which re-exports them): plain, frozen values for SQLAlchemy's constraint
and index objects, with their ``from_*`` and ``to_*`` adapters.

A constraint's ``unnamed`` is True when its database keeps it without a name (SQLite, for a
constraint created without ``CONSTRAINT name``): ``name`` is then the name the ledger knows it by
(the naming convention's), which the fold finds it by, and DDL for a database that keeps
constraints unnamed writes it without a name, as the database held it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, Union

import sqlalchemy as sa
from sqlalchemy.sql.elements import ClauseElement

from .classes import frozen
from .base import InvalidOperationError
from .types import sql_text, sql_references
from . import classes as oc

__all__ = [
    "CheckSpec",
    "ConstraintSpec",
    "ForeignKeySpec",
    "IndexElement",
    "IndexSpec",
    "PrimaryKeySpec",
    "UniqueSpec",
]


def _names(columns: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(c if isinstance(c, str) else c.name) for c in columns)


@frozen
class PrimaryKeySpec:
    """A primary key constraint."""

    name: str | None
    columns: tuple[str, ...]
    unnamed: bool = False
    #: SQLite's AUTOINCREMENT on the key's INTEGER PRIMARY KEY column (``sqlite_autoincrement=True``):
    #: row ids are never used twice, and SQLite keeps the largest in ``sqlite_sequence``
    autoincrement: bool = False

    constraint_type = "primary"
    visit_name = "primary_key_constraint"

    @classmethod
    def from_constraint(cls, constraint: sa.PrimaryKeyConstraint) -> PrimaryKeySpec:
        return cls(_constraint_name(constraint), _names(constraint.columns))

    def to_constraint(self) -> sa.PrimaryKeyConstraint:
        return sa.PrimaryKeyConstraint(*self.columns, name=self.name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return self.columns


@frozen
class UniqueSpec:
    """A unique constraint."""

    name: str | None
    columns: tuple[str, ...]
    deferrable: bool | None = None
    initially: str | None = None
    unnamed: bool = False

    constraint_type = "unique"
    visit_name = "unique_constraint"

    @classmethod
    def from_constraint(cls, constraint: sa.UniqueConstraint) -> UniqueSpec:
        return cls(_constraint_name(constraint), _names(constraint.columns),
                   constraint.deferrable, constraint.initially)

    def to_constraint(self) -> sa.UniqueConstraint:
        return sa.UniqueConstraint(*self.columns, name=self.name, deferrable=self.deferrable,
                                   initially=self.initially)

    @property
    def column_names(self) -> tuple[str, ...]:
        return self.columns


@frozen
class ForeignKeySpec:
    """A foreign key constraint."""

    name: str | None
    columns: tuple[str, ...]
    referent_table: str
    referent_columns: tuple[str, ...]
    referent_schema: str | None = None
    ondelete: str | None = None
    onupdate: str | None = None
    deferrable: bool | None = None
    initially: str | None = None
    match: str | None = None
    unnamed: bool = False

    constraint_type = "foreignkey"
    visit_name = "foreign_key_constraint"

    @classmethod
    def from_constraint(cls, constraint: sa.ForeignKeyConstraint) -> ForeignKeySpec:
        elements = constraint.elements
        if not elements:
            raise InvalidOperationError("a foreign key needs columns")
        first = elements[0]
        target = first.target_fullname.split(".")
        referent_schema, referent_table = (
            (None, target[0]) if len(target) == 2 else (".".join(target[:-2]), target[-2])
        )
        try:
            owner_schema = constraint.table.schema
        except sa.exc.InvalidRequestError:
            owner_schema = None
        if referent_schema == owner_schema:
            referent_schema = None  # None means "the schema of the table holding the key"
        return cls(
            name=_constraint_name(constraint),
            columns=tuple(str(e.parent.name) for e in elements),
            referent_table=referent_table,
            referent_columns=tuple(e.target_fullname.split(".")[-1] for e in elements),
            referent_schema=referent_schema,
            ondelete=_upper(constraint.ondelete),
            onupdate=_upper(constraint.onupdate),
            deferrable=constraint.deferrable,
            initially=constraint.initially,
            match=constraint.match,
        )

    @property
    def referent_fullname(self) -> str:
        return f"{self.referent_schema}.{self.referent_table}" if self.referent_schema else self.referent_table

    def to_constraint(self, owner_schema: str | None = None) -> sa.ForeignKeyConstraint:
        """The constraint, for a table in ``owner_schema`` (which a None referent schema means)."""
        schema = self.referent_schema if self.referent_schema is not None else owner_schema
        prefix = f"{schema}.{self.referent_table}" if schema else self.referent_table
        return sa.ForeignKeyConstraint(
            list(self.columns),
            [f"{prefix}.{c}" for c in self.referent_columns],
            name=self.name, ondelete=self.ondelete, onupdate=self.onupdate,
            deferrable=self.deferrable, initially=self.initially, match=self.match,
        )

    @property
    def column_names(self) -> tuple[str, ...]:
        return self.columns


@frozen
class CheckSpec:
    """A check constraint."""

    name: str | None
    sqltext: str
    unnamed: bool = False

    constraint_type = "check"
    visit_name = "check_constraint"

    @classmethod
    def from_constraint(cls, constraint: sa.CheckConstraint) -> CheckSpec:
        return cls(_constraint_name(constraint), sql_text(constraint.sqltext))

    def to_constraint(self) -> sa.CheckConstraint:
        return sa.CheckConstraint(sa.text(self.sqltext), name=self.name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return ()


ConstraintSpec = Union[PrimaryKeySpec, UniqueSpec, ForeignKeySpec, CheckSpec]


def _upper(value: str | None) -> str | None:
    return value.upper() if isinstance(value, str) else value


def _constraint_name(constraint: Any) -> str | None:
    name = constraint.name
    if name is None or type(name).__name__ == "_NoneName":
        return None
    return str(name)


@frozen
class IndexElement:
    """One element of an index: a column name or a SQL expression."""

    value: str
    expression: bool = False


def _plain_option(value: Any) -> Any:
    if isinstance(value, ClauseElement):
        return sql_text(value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _plain_option(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_plain_option(v) if not isinstance(v, sa.Column) else str(v.name) for v in value)
    if isinstance(value, sa.Column):
        return str(value.name)
    return value


def _names_columns(key: str, value: Any) -> bool:
    """True for the index options whose value lists columns (or column -> setting pairs)."""
    if not isinstance(value, tuple):
        return False
    option = key.split("_", 1)[-1]
    return option == "include" or (option in ("length", "ops") and all(isinstance(v, tuple) for v in value))


@frozen
class IndexSpec:
    """An index: elements (columns or expressions), uniqueness, and dialect options."""

    name: str | None
    elements: tuple[IndexElement, ...]
    unique: bool = False
    dialect_options: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def from_index(cls, index: sa.Index) -> IndexSpec:
        elements = []
        for expr in index.expressions:
            if isinstance(expr, str):
                elements.append(IndexElement(str(expr)))
            elif isinstance(expr, sa.Column):
                elements.append(IndexElement(str(expr.name)))
            else:
                elements.append(IndexElement(sql_text(expr), expression=True))
        options = {
            key: _plain_option(value)
            for key, value in index.dialect_kwargs.items()
            if value is not None and value != {} and value != []
        }
        # A setting per element (``postgresql_ops``, ``mysql_length``) is written by SQLAlchemy only
        # for the index's own elements: one for another column never reaches the database.
        keys = {str(e) if isinstance(e, str) else getattr(e, "key", None) for e in index.expressions}
        for key, value in list(options.items()):
            if key.split("_", 1)[-1] in ("ops", "length") and _names_columns(key, value):
                kept = tuple(v for v in value if v[0] in keys)
                if kept:
                    options[key] = kept
                else:
                    del options[key]
        return cls(
            _constraint_name(index), tuple(elements), bool(index.unique),
            tuple(sorted(options.items())),
        )

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple([e.value for e in self.elements if not e.expression])

    @property
    def column_names(self) -> tuple[str, ...]:
        return self.columns

    @property
    def option_columns(self) -> tuple[str, ...]:
        """Columns named by dialect options (``postgresql_include``, ``mysql_length``, ``postgresql_ops``)."""
        names: list[str] = []
        for key, value in self.dialect_options:
            if _names_columns(key, value):
                names.extend(v[0] if isinstance(v, tuple) else v for v in value)
        return tuple(names)

    def uses(self, column: str) -> bool:
        """True when this index depends on ``column`` in any way."""
        return column in self.columns or column in self.option_columns or self.uses_in_text(column)

    def holds_key_on(self, columns: Collection[str]) -> bool:
        """True when this index can stand for a key on exactly ``columns`` (a foreign key may point at
        it): unique, on those plain columns alone, not partial."""
        return (self.unique and set(self.columns) == set(columns) and len(self.elements) == len(set(columns))
                and not any(k.endswith("_where") for k, _ in self.dialect_options))

    def uses_in_text(self, column: str) -> bool:
        """True when an expression element or a ``*_where`` clause may name ``column``."""
        texts = [e.value for e in self.elements if e.expression]
        texts += [v for k, v in self.dialect_options if k.endswith("_where") and isinstance(v, str)]
        return any(sql_references(t, column) for t in texts)

    def with_renamed_column(self, old: str, new: str) -> IndexSpec:
        """This index after column ``old`` is renamed ``new`` (plain elements and column options)."""

        def swap(value: Any) -> Any:
            if isinstance(value, tuple):
                return tuple(swap(v) for v in value)
            return new if value == old else value

        options = tuple(
            (k, tuple((swap(v[0]),) + v[1:] if isinstance(v, tuple) else swap(v) for v in value))
            if _names_columns(k, value) else (k, value)
            for k, value in self.dialect_options
        )
        elements = tuple(
            oc.evolve(e, value=new) if not e.expression and e.value == old else e for e in self.elements
        )
        return oc.evolve(self, elements=elements, dialect_options=options)

    def sa_elements(self) -> list[Any]:
        return [sa.text(e.value) if e.expression else e.value for e in self.elements]

    def sa_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        for key, value in self.dialect_options:
            if key.endswith("_where") and isinstance(value, str):
                options[key] = sa.text(value)
            elif isinstance(value, tuple) and value and all(
                isinstance(v, tuple) and len(v) == 2 for v in value
            ):
                options[key] = dict(value)
            elif isinstance(value, tuple):
                options[key] = list(value)
            else:
                options[key] = value
        return options

    def to_index(self, table: sa.Table | None = None) -> sa.Index:
        elements = self.sa_elements()
        if table is not None:
            elements = [table.c[e] if isinstance(e, str) and e in table.c else e for e in elements]
        return sa.Index(self.name, *elements, unique=self.unique, **self.sa_options())
