"""Rows a data statement inserted with the values of a key (seed rows), and the ``DELETE`` that
takes exactly those rows away: the reverse the Alembic hook records for such an ``INSERT``.

``INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')`` (as written in SQL text, or as the hook writes
an ``op.bulk_insert`` row or a bound ``sa.insert()`` with its values as literals) into a table the
fold holds gives each row a key when every row writes all columns of the table's primary key, or
else of one of its unique keys (a unique constraint, a unique index on plain columns), with a
constant that is not NULL; its reverse is ``DELETE FROM t WHERE a IN (1, 2)`` (the first such key).
An ``INSERT ... SELECT``, one with ``ON CONFLICT``/``IGNORE``/``OR REPLACE``/``RETURNING`` (it may
have inserted nothing, or changed a row that was there), a value that is no constant in a key
column, or a table with no such key: no reverse, as before. Nor when a row may give 0 to a column
where the database stores an inserted 0 as the next id (MySQL/MariaDB's AUTO_INCREMENT column, a key's
or one under a plain index, unless the session's sql_mode holds NO_AUTO_VALUE_ON_ZERO): the row holds
another id than inserted. Nor, where the database checks foreign keys row by row (InnoDB), into a
table with a foreign key to itself that restricts deletes: a row referring to itself cannot be deleted.

:func:`seed_rows` tells such a reverse (an ``execute`` whose SQL is that ``DELETE`` and whose
reverse the ``INSERT``) from any other, so that a rollback says which rows it deletes, counts the
rows changed since they were inserted (their values no longer the constants inserted: data the
delete loses, :mod:`ledger.schema.dataloss`) and the rows of other tables that refer to them
(:mod:`ledger.schema.violations`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ops import ExecuteSQLOp, SchemaState
from ops.classes import Value
from ops.specs import TableSpec

from ledger.dialects.sqltokens import raw_tokens, unquote_identifier

__all__ = ["Inserted", "SeedRows", "deleted_rows", "inserted", "key_condition", "seed_reverse", "seed_rows"]

#: a token's kind and text
_Token = tuple[str, str, int, int]


class Inserted(Value):
    """An ``INSERT INTO t (columns) VALUES (...), ...`` read: its table (as written, and its schema
    and name), its columns (as written, and their names) and each row's values (their SQL as written;
    None for a value that is no constant)."""

    __slots__ = ("table", "schema", "name", "written", "columns", "rows")
    table: str
    schema: str | None
    name: str
    written: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]

    def __init__(self, table: str, schema: str | None, name: str, written: tuple[str, ...],
                 columns: tuple[str, ...], rows: tuple[tuple[str | None, ...], ...]) -> None:
        self._assign(table, schema, name, written, columns, rows)


def _tokens(sql: str) -> list[_Token]:
    return [(m.lastgroup or "", m.group(), m.start(), m.end()) for m in raw_tokens(sql)]


_CONSTANT_WORDS = frozenset({"NULL", "TRUE", "FALSE"})
_STRING_PREFIXES = frozenset({"E", "N", "X", "B"})


def _constant(tokens: Sequence[_Token]) -> bool:
    """Whether a value's tokens are a constant: a number (signed), a string (``E'..'``), NULL, TRUE,
    FALSE, each with PostgreSQL casts (``'{}'::jsonb``), or ``CAST(constant AS type)``."""
    at = 0
    if len(tokens) > 3 and tokens[0][1].upper() == "CAST" and tokens[1][1] == "(" and tokens[-1][1] == ")":
        words = [t[1].upper() for t in tokens]
        if "AS" not in words:
            return False
        return _constant(tokens[2:words.index("AS")])
    if at < len(tokens) and tokens[at][1] in "+-" and tokens[at][0] == "op":
        at += 1
        if at >= len(tokens) or tokens[at][0] != "num":
            return False
    if at < len(tokens) and tokens[at][0] == "word" and tokens[at][1].upper() in _STRING_PREFIXES \
            and at + 1 < len(tokens) and tokens[at + 1][0] == "str" and tokens[at + 1][2] == tokens[at][3]:
        at += 1
    if at >= len(tokens):
        return False
    kind, text = tokens[at][0], tokens[at][1]
    if not (kind in ("num", "str") or (kind == "word" and text.upper() in _CONSTANT_WORDS)):
        return False
    rest = tokens[at + 1:]
    while rest:  # ::type, ::type(10), ::type[]
        if rest[0][1] != "::" or len(rest) < 2 or rest[1][0] not in ("word", "qid"):
            return False
        rest = rest[2:]
        while rest and rest[0][1] != "::":
            if rest[0][0] not in ("word", "num") and rest[0][1] not in "()[],":
                return False
            rest = rest[1:]
    return True


def _split(tokens: Sequence[_Token], start: int) -> tuple[list[list[_Token]], int] | None:
    """The comma-separated parts of the parenthesis opening at ``tokens[start]``, and the index after it."""
    if start >= len(tokens) or tokens[start][1] != "(":
        return None
    parts: list[list[_Token]] = [[]]
    depth = 0
    for at in range(start + 1, len(tokens)):
        token = tokens[at]
        if token[1] in ("(", "[") and token[0] == "op":
            depth += 1
        elif token[1] in (")", "]") and token[0] == "op":
            if depth == 0:
                return parts, at + 1
            depth -= 1
        elif token[1] == "," and depth == 0:
            parts.append([])
            continue
        parts[-1].append(token)
    return None


def inserted(sql: str) -> Inserted | None:
    """``sql`` read as one plain ``INSERT INTO t (columns) VALUES (...), ...``; None for anything else."""
    if "insert" not in sql[:200].lower():
        return None
    tokens = _tokens(sql)
    words = [t[1].upper() if t[0] == "word" else t[1] for t in tokens]
    if words[:2] != ["INSERT", "INTO"] or len(tokens) < 8:
        return None
    at, names = 2, []
    while at < len(tokens) and tokens[at][0] in ("word", "qid"):
        names.append(tokens[at])
        if at + 1 < len(tokens) and tokens[at + 1][1] == ".":
            at += 2
            continue
        at += 1
        break
    if not names or len(names) > 2:
        return None
    table = sql[names[0][2]:names[-1][3]]
    split = _split(tokens, at)
    if split is None:
        return None
    parts, at = split
    if any(len(part) != 1 or part[0][0] not in ("word", "qid") for part in parts):
        return None
    written = tuple(part[0][1] for part in parts)
    if at >= len(tokens) or words[at] != "VALUES":
        return None
    at += 1
    rows = []
    while True:
        split = _split(tokens, at)
        if split is None:
            return None
        values, at = split
        if len(values) != len(written) or any(not value for value in values):
            return None
        rows.append(tuple(sql[v[0][2]:v[-1][3]] if _constant(v) else None for v in values))
        if at < len(tokens) and tokens[at][1] == ",":
            at += 1
            continue
        break
    if at < len(tokens) and tokens[at][1] == ";":
        at += 1
    if at != len(tokens):
        return None  # ON CONFLICT, RETURNING, a second statement
    unquoted = [unquote_identifier(t[1]) if t[0] == "qid" else t[1] for t in names]
    return Inserted(table, unquoted[0] if len(unquoted) == 2 else None, unquoted[-1], written,
                    tuple(unquote_identifier(w) for w in written), tuple(rows))


def _table(state: SchemaState, schema: str | None, name: str) -> TableSpec | None:
    found = state.tables.get((schema, name))
    if found is not None:
        return found  # type: ignore[no-any-return]
    folded = [t for key, t in state.tables.items()
              if key[1].casefold() == name.casefold() and (key[0] or "").casefold() == (schema or "").casefold()]
    return folded[0] if len(folded) == 1 else None


def _keys(table: TableSpec) -> list[tuple[str, ...]]:
    """The table's keys, primary first: its unique constraints, its unique indexes on plain columns."""
    keys = [table.primary_key.columns] if table.primary_key is not None and table.primary_key.columns else []
    keys += [u.columns for u in table.uniques if u.columns]
    keys += [tuple(e.value for e in index.elements) for index in table.indexes
             if index.unique and index.elements and not any(e.expression for e in index.elements)
             and not any(k.endswith("_where") for k, _ in index.dialect_options)]
    return keys


def _positions(found: Inserted, table: TableSpec, key: tuple[str, ...]) -> tuple[int, ...] | None:
    """Where each column of ``key`` is among the inserted columns, when every row gives it a constant
    that is not NULL; else None."""
    lowered = [c.casefold() for c in found.columns]
    names = {c.name.casefold(): c.name for c in table.columns}
    positions = []
    for column in key:
        if column.casefold() not in lowered or column.casefold() not in names:
            return None
        positions.append(lowered.index(column.casefold()))
    for row in found.rows:
        if any(row[p] is None or row[p].upper() == "NULL" for p in positions):  # type: ignore[union-attr]
            return None
    return tuple(positions)


def key_condition(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """``a IN (1, 2)``, ``a = 1 AND b = 2``, ``(a = 1 AND b = 2) OR (...)``: the rows whose ``columns``
    (as SQL) hold these values (as SQL)."""
    if len(columns) == 1:
        values = [row[0] for row in rows]
        return f"{columns[0]} = {values[0]}" if len(values) == 1 else f"{columns[0]} IN ({', '.join(values)})"
    each = [" AND ".join(f"{c} = {v}" for c, v in zip(columns, row)) for row in rows]
    return each[0] if len(each) == 1 else " OR ".join(f"({one})" for one in each)


def _delete(found: Inserted, positions: tuple[int, ...]) -> str:
    rows = [[row[p] or "" for p in positions] for row in found.rows]
    return f"DELETE FROM {found.table} WHERE {key_condition([found.written[p] for p in positions], rows)}"


def _one_or_more(value: str) -> bool:
    """Whether ``value`` (SQL) is a number (a quoted one too) whose size is at least 1: one no
    integer column stores as 0."""
    text = value[1:-1] if len(value) > 1 and value[0] == value[-1] == "'" else value
    digits = text.lstrip("+-")
    return digits.replace(".", "", 1).isdigit() and len(text) - len(digits) <= 1 and abs(float(text)) >= 1


def _indexed(table: TableSpec, keys: Sequence[tuple[str, ...]]) -> set[str]:
    """The columns (casefolded) of ``table``'s keys and of its plain indexes: where an AUTO_INCREMENT
    column may be, which must be under an index but need not be a key."""
    plain = [e.value for index in table.indexes for e in index.elements if not e.expression]
    return {c.casefold() for c in [*(c for key in keys for c in key), *plain]}


def seed_reverse(sql: str, state: SchemaState | None,
                 next_id: Callable[[str | None, str], str | None] | None = None, *, per_row: bool = False) -> str | None:
    """The ``DELETE`` of exactly the rows ``sql`` inserted, by the first key of its table that each
    row gives; None when ``sql`` is no such ``INSERT``. ``next_id(schema, table)`` names the column
    where the database stored an inserted 0 as the next id (MySQL/MariaDB's AUTO_INCREMENT column
    unless the session's sql_mode holds NO_AUTO_VALUE_ON_ZERO): a row that may have given it a 0
    is not the row inserted, and has no reverse. Where the database checks a foreign key row by row
    (``per_row``: InnoDB), a table with a foreign key to itself that restricts deletes has none
    either: a row referring to itself (keystone's root domain) cannot be deleted there."""
    found = inserted(sql) if state is not None else None
    table = _table(state, found.schema, found.name) if found is not None else None  # type: ignore[union-attr]
    if found is None or table is None:
        return None
    if per_row and any(fk.referent_table == table.name and (fk.referent_schema or table.schema) == table.schema
                       and (fk.ondelete or "").upper() not in ("CASCADE", "SET NULL") for fk in table.foreign_keys):
        return None
    keys = _keys(table)
    for key in keys:
        positions = _positions(found, table, key)
        if positions is not None:
            break
    else:
        return None
    indexed = _indexed(table, keys)
    zero = {c.casefold() for at, c in enumerate(found.columns)
            if c.casefold() in indexed and not all(_one_or_more(row[at] or "") for row in found.rows)}
    drawn = next_id(found.schema, table.name) if zero and next_id is not None else None
    return None if drawn is not None and drawn.casefold() in zero else _delete(found, positions)


class SeedRows(Value):
    """The rows an ``INSERT`` inserted, as its reverse deletes them: the statement read, its table in
    the state the delete runs in, and the inserted columns of the key it deletes by."""

    __slots__ = ("found", "table", "key")
    found: Inserted
    table: TableSpec
    key: tuple[int, ...]

    def __init__(self, found: Inserted, table: TableSpec, key: tuple[int, ...]) -> None:
        self._assign(found, table, key)

    def column(self, at: int) -> str | None:
        """The table's name of the inserted column at ``at`` (None: the table has no such column)."""
        wanted = self.found.columns[at].casefold()
        return next((c.name for c in self.table.columns if c.name.casefold() == wanted), None)

    def describe(self) -> str:
        """``the 2 rows inserted into t (id IN (1, 2))``"""
        count = len(self.found.rows)
        rows = [[row[p] or "" for p in self.key] for row in self.found.rows]
        shown = key_condition([self.found.columns[p] for p in self.key], rows)
        shown = shown if len(shown) <= 200 else shown[:200] + "..."
        return f"the {count} row{'s' if count != 1 else ''} inserted into {self.table.fullname} ({shown})"


def seed_rows(op: object, state: SchemaState) -> SeedRows | None:
    """The rows ``op`` deletes when it is the reverse :func:`seed_reverse` makes of an ``INSERT``
    (its SQL that ``DELETE``, its reverse the ``INSERT``) into a table of ``state``; else None."""
    if not isinstance(op, ExecuteSQLOp) or op.reverse_sql is None or not re.match(r"\s*DELETE\b", op.sqltext, re.I):
        return None
    found = inserted(op.reverse_sql)
    table = _table(state, found.schema, found.name) if found is not None else None  # type: ignore[union-attr]
    if found is None or table is None:
        return None
    for key in _keys(table):
        positions = _positions(found, table, key)
        if positions is not None and _delete(found, positions) == op.sqltext:
            return SeedRows(found, table, positions)
    return None


def deleted_rows(op: object, state: SchemaState) -> str | None:
    """What a rollback says of ``op`` when it deletes the rows an ``INSERT`` inserted (None: it does not)."""
    seed = seed_rows(op, state)
    return None if seed is None else f"{seed.describe()} {'are' if len(seed.found.rows) != 1 else 'is'} deleted"
