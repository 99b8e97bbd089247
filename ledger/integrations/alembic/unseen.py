"""The ledger's table, left out of the tables SQLAlchemy lists to the migration it records.

The ledger lives in the database it records, and a migration may reflect "every table" of that
database: nova's initial revision copies each table it reflects into a ``shadow_`` table. Such a
migration must find what it finds without the hook. While a recorder is attached, the names of
the tables in the ledger's schema that the engine's dialect lists (``Inspector.get_table_names``,
so ``MetaData.reflect``, and the multi-table reads built on it) leave out the ledger's table.
A table named explicitly (``sa.Table(name, autoload_with=...)``, ``has_table``) is still found,
and so is a catalog read as SQL text.
"""

from __future__ import annotations

import weakref
from collections import Counter
from typing import Any

import sqlalchemy as sa

#: the ledger tables hidden on each dialect (engine) with a recorder attached, counted per recorder
_HIDDEN: weakref.WeakKeyDictionary[sa.Dialect, Counter[tuple[str | None, str]]] = weakref.WeakKeyDictionary()


def hide(dialect: sa.Dialect, schema: str | None, table: str) -> None:
    """From now on ``dialect`` lists the tables of ``schema`` (None: the default one) without ``table``."""
    hidden = _HIDDEN.get(dialect)
    if hidden is None:
        hidden = _HIDDEN[dialect] = Counter()
        listed = dialect.get_table_names  # the dialect's own, bound

        def get_table_names(connection: Any, schema: str | None = None, **kw: Any) -> list[str]:
            names = listed(connection, schema, **kw)
            unseen = {name for (where, name) in hidden if where == schema or (
                schema == dialect.default_schema_name and where is None)}
            return [name for name in names if name not in unseen] if unseen else names

        dialect.get_table_names = get_table_names  # type: ignore[method-assign]
    hidden[(schema, table)] += 1


def show(dialect: sa.Dialect, schema: str | None, table: str) -> None:
    """Undo one :func:`hide`; the dialect lists as it did once nothing is hidden on it."""
    hidden = _HIDDEN.get(dialect)
    if hidden is None or not hidden[(schema, table)]:
        return
    hidden[(schema, table)] -= 1
    if not +hidden:
        del _HIDDEN[dialect]
        del dialect.get_table_names  # the class's method again
