"""Name namespaces: which constraint and index names must differ, per schema or per table.

Databases keep names apart differently. PostgreSQL keeps index names (a primary key's and a
unique constraint's included) apart per schema, and constraint names per table; MariaDB keeps
key names (indexes, uniques, the primary key) apart per table, foreign key names per database,
and constraint names (checks, foreign keys, uniques) per table; SQLite keeps index names apart
per database and constraint names per table. The fold accepts exactly what the database of its
ledger accepts, so the rule is data the state carries (``SchemaState.names_per``), set by whoever
folds a ledger from the database object (``ledger.dialects``); ``ops`` knows no database.

A rule is a tuple of namespaces, each ``(scope, kinds)``: ``scope`` is ``"schema"`` or
``"table"``, ``kinds`` the kinds of item sharing it (``index``, ``unique``, ``primary``,
``foreignkey``, ``check``). At most one namespace is per schema. Whatever the rule, the fold
itself needs a table's constraint names to differ and its index names to differ (it finds them
by name), so those two namespaces per table are always kept, with one exception a rule can name:
``("repeat", kinds)`` lets items of those kinds share a name on one table with items of their own
kind (SQLite keeps two CHECKs of one name, which Alembic's batch rebuilds make). The fold holds
the items of one such name as one group, made together and dropped together by that name, so it
still finds them by name.
"""

from __future__ import annotations

import functools
from typing import Any

from .base import InvalidOperationError

__all__ = ["ANY_DATABASE", "KINDS", "ONE_PER_SCHEMA", "NamesPer", "kind_of", "name_rule", "repeatable"]

#: The kinds of named item in a table.
KINDS = ("check", "foreignkey", "index", "primary", "unique")
_CONSTRAINTS = frozenset({"check", "foreignkey", "primary", "unique"})

NamesPer = tuple[tuple[str, tuple[str, ...]], ...]

#: Every constraint and index name differs from every other in its schema: the rule of a state
#: that belongs to no database, and the strictest of the supported databases' rules together.
ONE_PER_SCHEMA: NamesPer = (("schema", KINDS),)

#: Names kept apart only as the fold needs (within a table, CHECKs of one name held as SQLite
#: holds them): what every database keeps apart. For a fold that reads a ledger whose events
#: already ran on their database (a ledger file, whose database is unknown; a report), not for
#: planning what is still to run.
ANY_DATABASE: NamesPer = (("repeat", ("check",)),)


def kind_of(item: Any) -> str:
    """The kind of a constraint or index spec (``index``, ``unique``, ``primary``, ...): a
    constraint spec says its ``constraint_type``, an index spec has none."""
    kind = getattr(item, "constraint_type", None)
    return "index" if kind is None else str(kind)


@functools.lru_cache(maxsize=64)
def name_rule(names_per: NamesPer) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """``names_per`` as the state uses it: the kinds named per schema, and for each kind the
    kinds whose names it must differ from in the same table."""
    schema: frozenset[str] = frozenset()
    groups = [_CONSTRAINTS, frozenset({"index"})]
    for entry in names_per:
        if not (isinstance(entry, tuple) and len(entry) == 2):
            raise InvalidOperationError(f"a name namespace is (scope, kinds), not {entry!r}")
        scope, kinds = entry
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise InvalidOperationError(f"unknown kinds {sorted(unknown)} in name namespace {entry!r}")
        if scope == "repeat":
            continue  # a permission, not a namespace: see ``repeatable``
        if scope == "schema":
            if schema:
                raise InvalidOperationError("a name rule has at most one namespace per schema")
            schema = frozenset(kinds)
        elif scope != "table":
            raise InvalidOperationError(f"a name namespace is per schema, per table or repeat, not {scope!r}")
        groups.append(frozenset(kinds))
    clashes = {kind: frozenset().union(*(g for g in groups if kind in g)) for kind in KINDS}
    return schema, clashes


@functools.lru_cache(maxsize=64)
def repeatable(names_per: NamesPer) -> frozenset[str]:
    """The kinds whose items may share a name on one table with items of their own kind under
    ``names_per`` (its ``("repeat", kinds)`` entries): none unless the database allows it."""
    name_rule(names_per)  # a malformed rule is refused as the state refuses it
    return frozenset().union(*(frozenset(kinds) for scope, kinds in names_per if scope == "repeat"))
