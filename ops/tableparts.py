"""What the schema state's verbs do inside one table: its columns' positions, the parts that
use a column, a column renamed through its keys and indexes, the checks of a part's columns."""

from __future__ import annotations

import bisect
from typing import Any


from .base import InvalidOperationError
from .specs import ColumnSpec, ForeignKeySpec, TableSpec, sql_references, table_spec
from . import classes as oc


def table_where(table: str, schema: str | None) -> str:
    return f"{schema}.{table}" if schema else table


def require_columns(table: TableSpec, present: set[str], columns: tuple[str, ...], kind: str, name: str | None) -> None:
    """``columns`` (of the ``kind`` ``name`` on ``table``) name at least one column, each once, each present."""
    if not columns:
        raise InvalidOperationError(f"{kind} {name} on {table.fullname} needs at least one column")
    if len(set(columns)) != len(columns):
        raise InvalidOperationError(f"{kind} {name} on {table.fullname} names a column twice")
    for column in columns:
        if column not in present:
            raise InvalidOperationError(f"{kind} {name} on {table.fullname} names missing column {column}")


def with_columns(table: TableSpec, columns: tuple[ColumnSpec, ...]) -> TableSpec:
    return table_spec(
        table.name, columns, table.schema, table.primary_key, table.foreign_keys, table.uniques, table.checks,
        table.indexes, table.comment, table.dialect_options,
    )


def column_index(table: TableSpec, name: str) -> int:
    """Where column ``name`` is in ``table``."""
    for at, column in enumerate(table.columns):
        if column.name == name:
            return at
    raise InvalidOperationError(f"column {table_where(table.name, table.schema)}.{name} does not exist")


def _name_of(item: Any) -> str:
    return item.name or ""


def with_inserted(items: tuple[Any, ...], item: Any) -> tuple[Any, ...]:
    """``items`` (sorted by distinct names, as a TableSpec holds them) with ``item``, whose name none of
    them has, in its place: what sorting them all again would give."""
    at = bisect.bisect_right(items, _name_of(item), key=_name_of)
    return items[:at] + (item,) + items[at:]


def fk_referent_schema(fk: ForeignKeySpec, owner: TableSpec) -> str | None:
    return fk.referent_schema if fk.referent_schema is not None else owner.schema


def renamed_column_in_table(table: TableSpec, old: str, new: str) -> TableSpec:
    def swap(columns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new if c == old else c for c in columns)

    fks = tuple(
        oc.evolve(
            fk, columns=swap(fk.columns),
            referent_columns=swap(fk.referent_columns) if fk.referent_table == table.name and fk_referent_schema(fk, table) == table.schema else fk.referent_columns,
        )
        for fk in table.foreign_keys
    )
    return oc.evolve(
        table,
        primary_key=oc.evolve(table.primary_key, columns=swap(table.primary_key.columns)) if table.primary_key else None,
        foreign_keys=fks,
        uniques=tuple(oc.evolve(u, columns=swap(u.columns)) for u in table.uniques),
        indexes=tuple(i.with_renamed_column(old, new) for i in table.indexes),
    )


def sql_text_users(table: TableSpec, name: str) -> list[str]:
    """What names column ``name`` inside SQL text: checks, index expressions and clauses, computed columns."""
    users = [f"check constraint {c.name}" for c in table.checks if sql_references(c.sqltext, name)]
    users += [f"index {i.name}" for i in table.indexes if i.uses_in_text(name)]
    users += [
        f"computed column {c.name}"
        for c in table.columns
        if c.computed is not None and c.name != name and sql_references(c.computed.sqltext, name)
    ]
    return users


def column_users(table: TableSpec, name: str) -> list[str]:
    """Every constraint, index and computed column of ``table`` that depends on column ``name``."""
    users = [f"constraint {c.name}" for c in table.constraints if name in c.column_names]
    users += [f"index {i.name}" for i in table.indexes if name in i.columns or name in i.option_columns]
    return users + [u for u in sql_text_users(table, name) if u not in users]
