"""Values a revision read back from the database, and the later statements that carry them.

A data migration that inserts a row, reads back the id the database gave it (a ``SELECT``, or
``RETURNING``) and passes that id to later statements cannot be replayed as the SQL that ran:
the literal is the id of that database's row, and on another database it links to a row that
does not exist (a foreign key fails) or to the wrong one. Such statements are recorded behind
the "cannot be rendered" comment (``dialects.unrendered_sql``), with :data:`READ_BACK` in the
why: drill names their revision and never runs them, and ``import-alembic`` leaves the data
part of that revision out of the imported file (its schema part is imported), naming it.

The values are those of the migration's own reads (``SELECT``), of a write's ``RETURNING``,
the id an ``INSERT`` got from the database without ``RETURNING`` (``lastrowid``: SQLite,
MySQL/MariaDB), unless the statement gave it itself, and the values SQLAlchemy got from the
database for an ``INSERT`` before running it, which the ``INSERT`` then carries as parameters (a
column's ``Sequence`` or SQL expression default without ``RETURNING``: MariaDB's ``nextval``,
PostgreSQL's with ``implicit_returning=False`` or an executemany).

A statement carries a value read back when one of its bound parameters equals a value an
earlier statement of the same revision returned, or a quoted string in its text equals such a
value of at least :data:`_LONG` characters (a shorter word may be a constant both statements
name). ``None``, booleans and empty strings are not values that identify a row. Only the
migration's own reads count: the catalog queries of inspections and reflection (``PRAGMA``,
``SHOW``, ``pg_catalog``, ``information_schema``, ``sqlite_master``) do not.
"""

from __future__ import annotations

import collections
import datetime
import decimal
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import cursor as sa_cursor
from sqlalchemy.engine.interfaces import ExecuteStyle

from ledger.support.lazyre import lazy

__all__ = ["READ_BACK", "ReadBack", "carries_read_back", "drawn_by_database"]

#: in the why of a statement recorded as not replayable because it carries a value read back
READ_BACK = "it carries a value the database returned (read back) earlier in its revision"

#: rows of one result whose values are kept (the rest reach the migration straight from the cursor)
_ROWS = 1000
#: a quoted string in a statement's text counts from this length on
_LONG = 16

#: a read of the migration's own (not a catalog query of an inspection or of the dialect)
_OWN_READ = lazy(r"^\s*(?:/\*.*?\*/\s*|--[^\n]*\n\s*)*\(?\s*(?:SELECT|WITH)\b", re.I | re.S)
_CATALOG = lazy(r"\b(?:pg_catalog|pg_\w+|information_schema|sqlite_master|sqlite_schema|sqlite_temp_master"
                r"|mysql\s*\.|performance_schema)\b", re.I)
_QUOTED = lazy(r"'((?:[^']|'')*)'")
_INSERT = lazy(r"^\s*INSERT\b", re.I)


def carries_read_back(why: str | None) -> bool:
    """Whether ``why`` (``dialects.unrendered`` of a statement) is that it carries a value read back."""
    return why is not None and READ_BACK in why


def _key(value: Any) -> Any:
    """``value`` as compared (a UUID object as its text), or None for a value that identifies nothing."""
    if value is None or isinstance(value, bool) or value == "" or value == b"":
        return None
    if isinstance(value, (str, bytes, int, float, decimal.Decimal, datetime.date, datetime.time)):
        return value
    if isinstance(value, uuid.UUID) or type(value).__name__ == "UUID":  # asyncpg's own UUID class too
        return str(value).lower()
    try:
        hash(value)
    except TypeError:
        return None
    return value


def _flat(parameters: Any) -> Iterator[Any]:
    """Every value of a DBAPI parameter set (or list of sets), lists expanded."""
    if isinstance(parameters, dict):
        for value in parameters.values():
            yield from _flat(value)
    elif isinstance(parameters, (list, tuple)):
        for value in parameters:
            yield from _flat(value)
    else:
        yield parameters


class ReadBack:
    """The values one revision's statements returned so far."""

    def __init__(self) -> None:
        self.revision: str | None = None
        self._values: set[Any] = set()

    def for_revision(self, revision: str | None) -> ReadBack:
        if revision != self.revision:
            self.revision, self._values = revision, set()
        return self

    def note(self, statement: str, cursor: Any, context: Any, *, returning: bool = False) -> None:
        """Keep the values the statement returns (a read of the migration's own, or a write's
        ``RETURNING``); the migration then gets the same rows from SQLAlchemy's buffer."""
        if not returning and (_OWN_READ.match(statement) is None or _CATALOG.search(statement)):
            return
        for row in _read_ahead(statement, cursor, context):
            for value in row:
                key = _key(value)
                if key is not None:
                    self._values.add(key)

    def note_inserted(self, statement: str, parameters: Any, cursor: Any) -> None:
        """Keep the id an ``INSERT`` got from the database (``cursor.lastrowid``: SQLite's rowid,
        MySQL's AUTO_INCREMENT), unless the statement itself gave it (a parameter, or the number
        in its text)."""
        if not _INSERT.match(statement):
            return
        try:
            row_id = cursor.lastrowid
        except Exception:  # noqa: BLE001 - a driver without it (or one that raises for it)
            return
        if not isinstance(row_id, int) or isinstance(row_id, bool) or row_id <= 0:
            return
        if any(_key(value) == row_id for value in _flat(parameters)) or re.search(rf"\b{row_id}\b", statement):
            return
        self._values.add(row_id)

    def note_prefetched(self, context: Any, drawn: Mapping[str, str]) -> None:
        """Keep the values SQLAlchemy got from the database for an ``INSERT`` before running it
        (``drawn``, of :func:`drawn_by_database`), which reach the database as its parameters."""
        for parameters in (context.compiled_parameters or ()) if drawn else ():
            for key in drawn:
                value = _key(parameters.get(key))
                if value is not None:
                    self._values.add(value)

    def carried(self, statement: str, parameters: Any) -> Any:
        """A value read back earlier that ``statement`` carries (see the module docstring), or None."""
        if not self._values:
            return None
        for value in _flat(parameters):
            key = _key(value)
            if key is not None and key in self._values:
                return value
        for match in _QUOTED.finditer(statement):
            text = match.group(1).replace("''", "'")
            if len(text) >= _LONG and (text in self._values or text.lower() in self._values):
                return text
        return None


def drawn_by_database(context: Any) -> dict[str, str]:
    """The parameters of an ``INSERT`` whose values SQLAlchemy got from the database before running
    it (a column's ``Sequence``, or SQL expression, as default without ``RETURNING``: MariaDB, a
    table with ``implicit_returning=False``), each by name with the SQL that draws the value. The
    ``INSERT`` is recorded with that SQL in their place, as the database drew them: a replay draws
    them again, so the sequence stands where the migration left it (with the values as literals
    it stayed where it was, and the application's next INSERT took an id the replay had used)."""
    compiled = getattr(context, "compiled", None)
    columns = getattr(compiled, "insert_prefetch", None)
    if not columns:
        return {}
    key_of = compiled._within_exec_param_key_getter
    drawn = {}
    for column in columns:
        default = column.default
        if default is not None and (default.is_sequence or default.is_clause_element):
            expression = default.next_value() if default.is_sequence else default.arg
            try:
                drawn[key_of(column)] = str(expression.compile(dialect=context.dialect,
                                                               compile_kwargs={"literal_binds": True}))
            except sa_exc.SQLAlchemyError:
                continue  # an expression with no SQL of its own (a bound value with no literal): the value
    return drawn


def _read_ahead(statement: str, cursor: Any, context: Any) -> Iterable[Any]:
    """Up to :data:`_ROWS` rows of ``cursor``, read before SQLAlchemy builds the result, which then
    serves them from a buffer before reading on from the cursor; nothing when that cannot be done
    without changing what the migration gets (a server-side cursor, an executemany, a result
    SQLAlchemy already reads its own way)."""
    if context is None or getattr(cursor, "description", None) is None or context.executemany:
        return ()
    if statement != getattr(context, "statement", None):
        # a statement SQLAlchemy runs for another one's sake on its cursor (a sequence's next value
        # for an INSERT on MariaDB), which it then reads itself
        return ()
    options = context.execution_options
    if getattr(context, "_is_server_side", False) or options.get("stream_results") or options.get("yield_per"):
        return ()
    if context.cursor_fetch_strategy is not sa_cursor._DEFAULT_FETCH or context.execute_style is not ExecuteStyle.EXECUTE:
        return ()
    rows = list(cursor.fetchmany(_ROWS))
    if len(rows) < _ROWS:  # all of them: the cursor is not read again
        context.cursor_fetch_strategy = sa_cursor.FullyBufferedCursorFetchStrategy(cursor, None, rows)
    else:
        context.cursor_fetch_strategy = sa_cursor.BufferedRowCursorFetchStrategy(
            cursor, options, initial_buffer=collections.deque(rows))
    return rows
