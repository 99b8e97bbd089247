"""Apply's check, before it runs, of the tables its plan touches: the live ones must be as the
ledger has them.

Kept apart from :mod:`ledger.inspect.drift` so that a plan whose tables neither the database
nor the ledger holds yet (a first apply, a new table) is checked with one look at the table
names, without loading reflection and the comparison.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ops import LedgerError, MigrateOperation, SchemaState

__all__ = ["DriftError", "check_touched_drift", "touched_tables"]


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
