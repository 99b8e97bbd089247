"""The DDL of the common key and index statements written straight from the specs.

SQLAlchemy compiles these statements from a Table it has to build first (the part of the table
a statement names and the tables its foreign keys refer to); for a run of many one-op
revisions building those objects was most of the time spent making DDL. The functions here
write the same text SQLAlchemy's DDL compiler writes (same keywords, spacing, quoting through
the dialect's IdentifierPreparer) for the plain cases, and return None for anything else, which
then goes through SQLAlchemy as before. ``tests/test_ddltext.py`` checks them against
SQLAlchemy's compiled DDL, on specs that hypothesis generates.
"""

from __future__ import annotations

import re
from typing import Any

from ops import SchemaState
from ops.specs import ConstraintSpec, ForeignKeySpec, IndexSpec, TableSpec, UniqueSpec
from ledger.support.lazyre import lazy

__all__ = ["add_constraint", "constraint_sql", "create_index", "drop_constraint", "drop_index", "name_fits", "name_sql",
           "table_sql"]

#: what SQLAlchemy accepts (``FK_ON_DELETE``, ``FK_INITIALLY``); anything else goes through it
_CASCADE = lazy(r"^(?:RESTRICT|CASCADE|SET NULL|NO ACTION|SET DEFAULT)$", re.I)
_INITIALLY = lazy(r"^(?:DEFERRED|IMMEDIATE)$", re.I)


def name_fits(dialect: Any, name: str | None) -> bool:
    """A name SQLAlchemy would write as it is (it refuses one longer than the database takes)."""
    return bool(name) and len(name) <= (dialect.max_identifier_length or 10**9)  # type: ignore[arg-type]


def table_sql(preparer: Any, spec: TableSpec) -> str:
    """The table's name as ``IdentifierPreparer.format_table`` writes it (schema-qualified, quoted)."""
    return name_sql(preparer, spec.name, spec.schema)


def name_sql(preparer: Any, name: str, schema: str | None) -> str:
    """The table ``name`` in ``schema`` as ``IdentifierPreparer.format_table`` writes it."""
    quoted = preparer.quote(name)
    return quoted if schema is None else f"{preparer.quote_schema(schema)}.{quoted}"


def _deferrability(deferrable: bool | None, initially: str | None) -> str:
    text = "" if deferrable is None else " DEFERRABLE" if deferrable else " NOT DEFERRABLE"
    return text if initially is None else f"{text} INITIALLY {initially}"


def _plain_keys(dialect: Any, deferrable: bool | None, initially: str | None, match: str | None = None) -> bool:
    """Whether the clauses after the columns are ones written here. MySQL's compiler treats
    deferrability and MATCH its own way: those go through SQLAlchemy there."""
    if dialect.name == "mysql":
        return deferrable is None and initially is None and match is None
    return initially is None or _INITIALLY.match(initially) is not None


def constraint_sql(dialect: Any, state: SchemaState, spec: TableSpec, constraint: ConstraintSpec) -> str | None:
    """``CONSTRAINT name UNIQUE (...)`` / ``CONSTRAINT name FOREIGN KEY(...) REFERENCES ...``: the
    constraint as ADD CONSTRAINT and CREATE TABLE write it, or None."""
    preparer = dialect.identifier_preparer
    quote = preparer.quote
    if constraint.unnamed or not name_fits(dialect, constraint.name) or not constraint.column_names or not all(
            spec.column(c) is not None for c in constraint.column_names):
        return None
    if isinstance(constraint, UniqueSpec):
        if not _plain_keys(dialect, constraint.deferrable, constraint.initially) or spec.dialect_options:
            return None
        return (f"CONSTRAINT {quote(constraint.name)} UNIQUE ({', '.join(quote(c) for c in constraint.columns)})"
                + _deferrability(constraint.deferrable, constraint.initially))
    if isinstance(constraint, ForeignKeySpec):
        if not _plain_keys(dialect, constraint.deferrable, constraint.initially, constraint.match):
            return None
        if any(v is not None and not _CASCADE.match(v) for v in (constraint.ondelete, constraint.onupdate)):
            return None
        schema = constraint.referent_schema if constraint.referent_schema is not None else spec.schema
        target = state.tables.get((schema, constraint.referent_table))
        if target is None or target.schema is not None or len(constraint.referent_columns) != len(constraint.columns) or not all(
                target.column(c) is not None for c in constraint.referent_columns):
            return None
        text = (f"CONSTRAINT {quote(constraint.name)} FOREIGN KEY({', '.join(quote(c) for c in constraint.columns)}) "
                f"REFERENCES {table_sql(preparer, target)} ({', '.join(quote(c) for c in constraint.referent_columns)})")
        if constraint.match is not None:
            text += f" MATCH {constraint.match}"
        if constraint.ondelete is not None:
            text += f" ON DELETE {constraint.ondelete}"
        if constraint.onupdate is not None:
            text += f" ON UPDATE {constraint.onupdate}"
        return text + _deferrability(constraint.deferrable, constraint.initially)
    return None


def add_constraint(dialect: Any, state: SchemaState, spec: TableSpec, name: str) -> str | None:
    """``ALTER TABLE ... ADD CONSTRAINT`` of the unique or foreign key ``name`` of ``spec`` (in
    ``state``), or None where SQLAlchemy should write it."""
    constraint = spec.constraint(name)
    if constraint is None:
        return None
    body = constraint_sql(dialect, state, spec, constraint)
    return None if body is None else f"ALTER TABLE {table_sql(dialect.identifier_preparer, spec)} ADD {body}"


def drop_constraint(dialect: Any, spec: TableSpec, name: str) -> str | None:
    """``ALTER TABLE ... DROP CONSTRAINT name`` (PostgreSQL and SQLite write it alike), or None."""
    constraint = spec.constraint(name)
    if dialect.name not in ("postgresql", "sqlite") or not name_fits(dialect, name) \
            or not isinstance(constraint, (UniqueSpec, ForeignKeySpec)) or constraint.unnamed:
        return None
    preparer = dialect.identifier_preparer
    return f"ALTER TABLE {table_sql(preparer, spec)} DROP CONSTRAINT {preparer.quote(name)}"


def _plain_index(dialect: Any, spec: TableSpec, index: IndexSpec) -> bool:
    return (spec.schema is None and not index.dialect_options and name_fits(dialect, index.name)
            and bool(index.elements) and not any(e.expression for e in index.elements)
            and all(spec.column(e.value) is not None for e in index.elements))


def create_index(dialect: Any, spec: TableSpec, index: IndexSpec) -> str | None:
    """``CREATE [UNIQUE] INDEX name ON table (columns)`` of an index on plain columns of a table in
    the default schema, with no dialect options; None for any other."""
    if not _plain_index(dialect, spec, index):
        return None
    quote = dialect.identifier_preparer.quote
    return (f"CREATE {'UNIQUE ' if index.unique else ''}INDEX {quote(index.name)} ON {quote(spec.name)} "
            f"({', '.join(quote(e.value) for e in index.elements)})")


def drop_index(dialect: Any, spec: TableSpec, index: IndexSpec) -> str | None:
    """``DROP INDEX name`` (PostgreSQL and SQLite) of an index :func:`create_index` writes, or None."""
    if dialect.name not in ("postgresql", "sqlite") or not _plain_index(dialect, spec, index):
        return None
    return f"DROP INDEX {dialect.identifier_preparer.quote(index.name)}"
