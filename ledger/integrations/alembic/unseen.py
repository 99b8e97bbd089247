"""The ledger's table, left out of the tables SQLAlchemy lists to the migration it records.

The ledger lives in the database it records, and a migration may reflect "every table" of that
database: nova's initial revision copies each table it reflects into a ``shadow_`` table. Such a
migration must find what it finds without the hook. While a recorder is attached, the names of
the tables in the ledger's schema that the engine's dialect lists (``Inspector.get_table_names``,
so ``MetaData.reflect``) leave out the ledger's table, and so do the reads of many tables at once
(``Inspector.get_multi_columns``, ``get_multi_indexes``, ...): SQLAlchemy's default reads each
table the listing lists, and a dialect that reads its catalog for every table at once
(PostgreSQL) has what it read filtered the same way. Alembic's autogenerate reads both, so it
proposes no drop of the ledger's table or its indexes. A table named explicitly
(``sa.Table(name, autoload_with=...)``, ``has_table``, ``get_columns(name)``) is still found, as
SQLAlchemy takes names of any kind as given, and so is a catalog read as SQL text.
"""

from __future__ import annotations

import weakref
from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.engine.reflection import ObjectKind, ObjectScope

#: the ledger tables hidden on each dialect (engine) with a recorder attached, counted per recorder
_HIDDEN: weakref.WeakKeyDictionary[sa.Dialect, Counter[tuple[str | None, str]]] = weakref.WeakKeyDictionary()

#: the dialect's reads of many tables at once: ``(schema, table)`` keyed pairs
MULTI = tuple(f"get_multi_{key}" for key in (
    "columns", "pk_constraint", "foreign_keys", "indexes", "unique_constraints", "check_constraints",
    "table_comment", "table_options"))


def _unseen(dialect: sa.Dialect, hidden: Counter[tuple[str | None, str]], schema: str | None) -> set[str]:
    return {name for (where, name) in +hidden if where == schema or (
        schema == dialect.default_schema_name and where is None)}


def _listing(dialect: sa.Dialect, hidden: Counter[tuple[str | None, str]]) -> Any:
    listed = dialect.get_table_names  # the dialect's own, bound

    def get_table_names(connection: Any, schema: str | None = None, **kw: Any) -> list[str]:
        names = listed(connection, schema, **kw)
        unseen = _unseen(dialect, hidden, schema)
        return [name for name in names if name not in unseen] if unseen else names

    return get_table_names


def _multi(dialect: sa.Dialect, hidden: Counter[tuple[str | None, str]], method: str) -> Any:
    """The dialect's own ``method``, its pairs without the hidden tables, as SQLAlchemy's default
    filters them: names of any kind and scope are taken as given, other reads get what is listed."""
    read = getattr(dialect, method)

    def get_multi(connection: Any, **kw: Any) -> Any:
        pairs = read(connection, **kw)
        if kw.get("filter_names") and kw.get("kind") == ObjectKind.ANY and kw.get("scope") == ObjectScope.ANY:
            return pairs
        unseen = _unseen(dialect, hidden, kw.get("schema"))
        return [(key, value) for key, value in pairs if key[1] not in unseen] if unseen else pairs

    return get_multi


def hide(dialect: sa.Dialect, schema: str | None, table: str) -> None:
    """From now on ``dialect`` lists and reads the tables of ``schema`` (None: the default one) without ``table``."""
    hidden = _HIDDEN.get(dialect)
    if hidden is None:
        hidden = _HIDDEN[dialect] = Counter()
        dialect.get_table_names = _listing(dialect, hidden)  # type: ignore[method-assign]
        for method in MULTI:  # SQLAlchemy's default reads the listed tables (above) one by one
            if getattr(type(dialect), method, None) is not getattr(DefaultDialect, method):
                setattr(dialect, method, _multi(dialect, hidden, method))
    hidden[(schema, table)] += 1


def show(dialect: sa.Dialect, schema: str | None, table: str) -> None:
    """Undo one :func:`hide`; the dialect lists and reads as it did once nothing is hidden on it."""
    hidden = _HIDDEN.get(dialect)
    if hidden is None or not hidden[(schema, table)]:
        return
    hidden[(schema, table)] -= 1
    if not +hidden:
        del _HIDDEN[dialect]
        for method in ("get_table_names", *MULTI):
            vars(dialect).pop(method, None)  # the class's method again
