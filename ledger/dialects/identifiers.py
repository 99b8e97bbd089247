"""Names each database accepts: checked before anything runs, so that no run stops half way.

Every identifier is quoted when it is written into SQL, so reserved words, mixed case, quotes,
spaces and semicolons are all fine. What quoting cannot save is refused here, before the first
statement of a plan runs:

- PostgreSQL keeps at most 63 bytes (UTF-8) of a name and cuts a longer one *silently*: the
  live schema would then differ from the ledger's.
- MySQL/MariaDB allow 64 characters, no name ending in a space, and no character outside the
  Basic Multilingual Plane (an emoji is an "invalid utf8mb4 character string" in a name).
- SQLite reserves names starting with ``sqlite_`` for tables and indexes.
- Nowhere: an empty name or one holding a NUL character.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ops import CreateTableOp, LedgerError, MigrateOperation, RenameTableOp, SchemaState
from ops.specs import TableSpec

from ledger import dialects
from ledger.dialects.registry import lookup
from ledger.format.codec import MAX_NAME_BYTES

__all__ = ["InvalidIdentifierError", "MAX_LENGTH", "check_name", "check_op_names"]


#: served by ``__getattr__`` below, from the database objects when first asked for
MAX_LENGTH: dict[str, tuple[int, str]]


def __getattr__(name: str) -> Any:
    # MAX_LENGTH: (limit, unit) per database, from the database objects; SQLite has no limit.
    if name == "MAX_LENGTH":
        return {d.name: d.name_limit for d in dialects.DATABASES.values() if d.name_limit is not None}
    raise AttributeError(name)


class InvalidIdentifierError(LedgerError, ValueError):
    """A name the database would refuse, or change, however it is quoted."""


def _names_primary_keys(dialect: str) -> bool:
    known = lookup(dialect)
    return known is None or known.names_primary_keys


def _short(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:37] + "...")


def check_name(name: str, what: str, dialect: str) -> None:
    """Raise InvalidIdentifierError when ``dialect`` cannot hold ``name`` as written."""
    known = lookup(dialect)
    database = known.title if known is not None else dialect
    if not name:
        raise InvalidIdentifierError(f"{what} name is empty")
    if "\x00" in name:
        raise InvalidIdentifierError(f"{what} name {_short(name)} holds a NUL character, which no database accepts")
    if len(name) > MAX_NAME_BYTES // 4 and len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise InvalidIdentifierError(f"{what} name {_short(name)} is longer than {MAX_NAME_BYTES} bytes, the most "
                                     "a ledger payload holds")
    if known is None:
        return
    if known.name_limit is not None:
        most, unit = known.name_limit
        size = len(name.encode("utf-8")) if unit == "bytes" else len(name)
        if size > most:
            consequence = " (it would cut the name silently)" if known.cuts_long_names else ""
            raise InvalidIdentifierError(f"{what} name {_short(name)} is {size} {unit} long; {database} allows at "
                                         f"most {most}{consequence}")
    problem = known.name_problem(name, what)
    if problem is not None:
        raise InvalidIdentifierError(f"{what} name {_short(name)} {problem}")


def _table_names(table: TableSpec, dialect: str) -> Iterator[tuple[str, str]]:
    """(name, what) for every identifier a table's definition holds."""
    if table.schema is not None:
        yield table.schema, "schema"
    yield table.name, "table"
    for column in table.columns:
        yield column.name, "column"
    # MySQL/MariaDB call every primary key PRIMARY: the name given is not used.
    if table.primary_key is not None and table.primary_key.name is not None and _names_primary_keys(dialect):
        yield table.primary_key.name, "constraint"
    for fk in table.foreign_keys:
        if fk.name is not None:
            yield fk.name, "constraint"
        yield fk.referent_table, "table"
        if fk.referent_schema is not None:
            yield fk.referent_schema, "schema"
        for column in fk.referent_columns:
            yield column, "column"
    for item in (*table.uniques, *table.checks):
        if item.name is not None:
            yield item.name, "constraint"
    for index in table.indexes:
        if index.name is not None:
            yield index.name, "index"


def _touched(op: MigrateOperation) -> tuple[str | None, str] | None:
    """The key of the table ``op`` creates or changes (None for an op on no table, or a drop)."""
    if isinstance(op, CreateTableOp):
        return op.table.key
    if isinstance(op, RenameTableOp):
        return (op.schema, op.new_table_name)
    name = getattr(op, "table_name", None)
    if not isinstance(name, str):
        return None
    return (getattr(op, "schema", None), name)


#: (name, what, dialect) that :func:`check_op_names` found fine: a plan meets the names of a table
#: again with each op on it (a refused name is never kept, so it is refused each time)
_PASSED: set[tuple[str, str, str]] = set()


def check_op_names(op: MigrateOperation, after: SchemaState, dialect: str) -> None:
    """Check every name of the table ``op`` leaves behind in ``after`` (the state with ``op`` applied)."""
    key = _touched(op)
    if key is None:
        return
    table = after.tables.get(key)
    if table is None:
        return
    passed = _PASSED
    for name, what in _table_names(table, dialect):
        seen = (name, what, dialect)
        if seen not in passed:
            check_name(name, what, dialect)
            if len(passed) >= 65536:
                passed.clear()
            passed.add(seen)
