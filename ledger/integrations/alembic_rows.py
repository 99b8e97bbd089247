"""The rows of the database a history starts from, for ``import-alembic``'s scratch database.

A package that makes a new database with ``create_all()`` may write rows there too, and its data
revisions may rely on them (faraday-manage initdb inserts four roles, which a revision gives
permissions to by their ids). On a scratch database holding the starting schema alone such a
revision fails, where on the database the history starts from it runs. So the rows of that database
(only read) are inserted on the scratch database, table after table in the order of their foreign
keys, and each sequence a column owns there (PostgreSQL's SERIAL and identity columns) is set where
it stands, so that the revisions run on what they would find.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from ops import SchemaState
from ops.specs import TableSpec

from ledger import dialects
from ledger.storage.db import dialect_of
from ledger.storage.session import tx

__all__ = ["ROW_LIMIT", "TableRows", "read_rows", "write_rows"]

#: the most rows copied from a starting database: one made by ``create_all()`` and its package's
#: set-up holds a few; a database holding more (a production one) is read for its schema alone,
#: and ``import-alembic`` says so, rather than holding all of it in memory and copying it
ROW_LIMIT = 10_000


@attrs.frozen
class TableRows:
    """The rows of one table of the starting database, and where the sequences its columns own stand."""

    schema: str | None
    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    sequences: tuple[tuple[str, int, bool], ...] = ()


def _in_key_order(state: SchemaState) -> list[TableSpec]:
    """The tables of ``state``, each after the tables its foreign keys refer to (a cycle: as they come)."""
    tables = sorted(state.tables.values(), key=lambda t: (t.schema or "", t.name))
    keys = {(t.schema, t.name) for t in tables}
    placed: list[TableSpec] = []
    done: set[tuple[str | None, str]] = set()
    visiting: set[tuple[str | None, str]] = set()
    by_key = {(t.schema, t.name): t for t in tables}

    def place(table: TableSpec) -> None:
        key = (table.schema, table.name)
        if key in done or key in visiting:
            return
        visiting.add(key)
        for fk in table.foreign_keys:
            referred = (fk.referent_schema if fk.referent_schema is not None else table.schema, fk.referent_table)
            if referred in keys and referred != key:
                place(by_key[referred])
        visiting.discard(key)
        done.add(key)
        placed.append(table)

    for table in tables:
        place(table)
    return placed


def read_rows(conn: sa.Connection, state: SchemaState) -> tuple[TableRows, ...] | None:
    """The rows of the tables of ``state`` at ``conn``, in the order they can be inserted in; None
    when they are more than ``ROW_LIMIT`` (counted up to one past it, table by table)."""
    database = dialects.database(dialect_of(conn))
    found: list[TableRows] = []
    held: list[TableSpec] = []
    left = ROW_LIMIT
    for spec in _in_key_order(state):
        plain = sa.table(spec.name, *(sa.column(c.name) for c in spec.columns), schema=spec.schema)
        count = len(conn.execute(sa.select(sa.literal(1)).select_from(plain).limit(left + 1)).all())
        if count > left:
            return None
        if count:
            left -= count
            held.append(spec)
    for spec in held:
        # read with the column types as reflected, so that each value is written back as it was read
        table = sa.Table(spec.name, sa.MetaData(), schema=spec.schema, autoload_with=conn)
        columns = tuple(c.name for c in spec.columns)
        rows = tuple(tuple(row) for row in conn.execute(sa.select(*(table.c[c] for c in columns))))
        found.append(TableRows(spec.schema, spec.name, columns, rows,
                               tuple(database.column_sequences(conn, spec.schema, spec.name))))
    return tuple(found)


def write_rows(conn: sa.Connection, tables: Sequence[TableRows]) -> None:
    """Insert ``tables``' rows at ``conn`` (which holds their tables, empty) and set their sequences."""
    database = dialects.database(dialect_of(conn))
    for rows in tables:
        table = sa.Table(rows.name, sa.MetaData(), schema=rows.schema, autoload_with=conn)
        with tx(conn):
            conn.execute(table.insert(), [dict(zip(rows.columns, row)) for row in rows.rows])
            database.set_column_sequences(conn, list(rows.sequences))
