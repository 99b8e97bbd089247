"""Apply's check, before it runs, of the tables its plan touches: the live ones must be as the
ledger has them; and the database's Alembic version tables, which a rollback looks for.

Kept apart from :mod:`ledger.inspect.drift` so that a plan whose tables neither the database
nor the ledger holds yet (a first apply, a new table) is checked with one look at the table
names, and a rollback finds the version tables, without loading reflection and the comparison.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ops import LedgerError, MigrateOperation, SchemaState

from ledger import dialects
from ledger.storage.db import dialect_of

__all__ = ["DriftError", "alembic_version_tables", "check_touched_drift", "touched_tables"]


class DriftError(LedgerError):
    """The live schema differs from the ledger in a table the plan touches."""


def touched_tables(ops: Iterable[MigrateOperation]) -> set[str]:
    """The tables (of the default schema) that ``ops`` create, change, rename or drop."""
    names: set[str] = set()
    for op in ops:
        if getattr(op, "schema", None) is not None:
            continue
        for attribute in ("table_name", "old_table_name", "new_table_name"):
            name = getattr(op, attribute, None)
            if isinstance(name, str):
                names.add(name)
    return names


def check_touched_drift(conn: sa.Connection, ledger_table: str, fold: SchemaState, tables: set[str]) -> None:
    """Raise DriftError when the live ``tables`` differ from ``fold``'s; only those tables are reflected."""
    if not tables:
        return
    present = set(sa.inspect(conn).get_table_names())
    if not present & tables and not any(key[0] is None and key[1] in tables for key in fold.tables):
        return  # neither side holds any of them: nothing to compare
    from ledger.inspect.drift import IGNORED_TABLES, compare_touched

    leave_out = (present - tables) | {ledger_table, f"{ledger_table}_snapshots", *IGNORED_TABLES}
    lines = compare_touched(conn, fold, tables, tuple(sorted(leave_out)))
    if lines:
        raise DriftError(
            f"the live schema differs from the ledger in the tables this plan touches ({'; '.join(lines[:5])}"
            f"{'; ...' if len(lines) > 5 else ''}): nothing was run; `verify --live` shows it all, "
            "--ignore-drift applies anyway")


def alembic_version_tables(conn: sa.Connection, schema: str | None = None,
                           held: SchemaState | None = None) -> list[str]:
    """The tables that are Alembic version tables, whatever their name (``version_table=...``:
    ``alembic_version_fab``, cloudkitty's ``hashmap_alembic``).

    Alembic makes one column, ``version_num``: a table of that one column is taken for one (by its
    shape, as the database holds it, not by its name), unless ``held`` (the fold) has it: a table the
    ledger recorded is the application's, whatever its shape (nova's initial revision copies
    every table, Alembic's version table too, into a ``shadow_`` table of the same columns).
    PostgreSQL finds them in one catalog query (``PostgreSQL.one_column_tables``); elsewhere the
    columns of every table are read at once (one query where the database has one), with ``held``
    only those of the tables it does not have (their names listed first: a rollback at head would
    otherwise read every column of every table the ledger made, to skip them).
    """
    # a database with a catalog query of its own for them (PostgreSQL: ``one_column_tables``)
    one_column_tables = getattr(dialects.database(dialect_of(conn)), "one_column_tables", None)
    if one_column_tables is not None:
        shaped = one_column_tables(conn, "version_num", schema)
        return sorted(name for name in shaped if held is None or (schema, name) not in held.tables)
    found = []
    inspector = sa.inspect(conn)
    names = None
    if held is not None:
        names = [name for name in inspector.get_table_names(schema=schema) if (schema, name) not in held.tables]
        if not names:
            return []
    for (_, name), columns in inspector.get_multi_columns(schema=schema, filter_names=names).items():
        if held is not None and (schema, name) in held.tables:
            continue
        if [c["name"] for c in columns] == ["version_num"]:
            found.append(name)
    return sorted(found)
