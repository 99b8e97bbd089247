"""SQLite's stored ``CREATE`` statements taken apart where SQLAlchemy's reflection falls short:
an index's elements and WHERE, a table's UNIQUE constraints and foreign key clauses as written."""

from __future__ import annotations

import functools


from .sqltokens import TOKEN, raw_tokens, split_definitions, unquote_identifier
from ops import classes as oc

__all__ = ["SqliteForeignKey", "split_index_sql", "sqlite_autoincrement", "sqlite_foreign_keys",
           "sqlite_primary_key_name", "sqlite_unique_constraints"]


def split_index_sql(sql: str) -> tuple[list[str], str | None] | None:
    """The elements and WHERE condition of a ``CREATE INDEX`` statement, as written; None if unreadable."""
    depth = 0
    on_seen = False
    elements: list[str] = []
    start = None
    for match in TOKEN.finditer(sql):
        kind, value = match.lastgroup, match.group()
        if kind == "ws":
            continue
        if start is None:
            if kind == "word" and value.lower() == "on" and depth == 0:
                on_seen = True
            elif on_seen and value == "(":
                start = match.end()
                depth = 1
            continue
        if value in ("(", "["):
            depth += 1
        elif value in (")", "]"):
            depth -= 1
            if depth == 0:
                elements.append(sql[start:match.start()].strip())
                rest = sql[match.end():].strip()
                where = None
                if rest[:5].lower() == "where":
                    where = rest[5:].strip()
                return [e for e in elements if e], where
        elif value == "," and depth == 1:
            elements.append(sql[start:match.start()].strip())
            start = match.end()
    return None


#: the statements read are the tables' as SQLite keeps them: a batch rebuild's read-back reads the same
#: few again and again, so each reading is kept (the readers below give each caller its own list)
_cached = functools.lru_cache(maxsize=512)


@_cached
def sqlite_autoincrement(create_table: str) -> bool:
    """Whether a SQLite CREATE TABLE statement writes AUTOINCREMENT (which SQLite takes only
    after an INTEGER PRIMARY KEY column's PRIMARY KEY): SQLAlchemy's reflection does not say."""
    return any(t.lastgroup == "word" and t.group().upper() == "AUTOINCREMENT" for t in raw_tokens(create_table))


@_cached
def sqlite_primary_key_name(create_table: str) -> str | None:
    """The name a SQLite CREATE TABLE statement gives its PRIMARY KEY (``CONSTRAINT name PRIMARY
    KEY``, table-level or inline); None when it names none or cannot be read. SQLAlchemy's
    reading takes only a name of word characters (not ``pk$t``, not a quoted one)."""
    for part in split_definitions(create_table) or ():
        tokens = [m.group() for m in raw_tokens(part)]
        depth = 0
        for i, token in enumerate(tokens):
            depth += (token in ("(", "[")) - (token in (")", "]"))
            if depth == 0 and token.upper() == "PRIMARY" and [t.upper() for t in tokens[i + 1:i + 2]] == ["KEY"]:
                named = i >= 2 and tokens[i - 2].upper() == "CONSTRAINT"
                return unquote_identifier(tokens[i - 1]) if named else None
    return None


def sqlite_unique_constraints(create_table: str) -> list[tuple[str | None, tuple[str, ...]]] | None:
    """(name, columns) of each UNIQUE constraint of a SQLite CREATE TABLE statement, table-level
    or inline, in the order written; None if the statement cannot be read."""
    found = _unique_constraints(create_table)
    return None if found is None else list(found)


@_cached
def _unique_constraints(create_table: str) -> tuple[tuple[str | None, tuple[str, ...]], ...] | None:
    parts = split_definitions(create_table)
    if parts is None:
        return None
    found: list[tuple[str | None, tuple[str, ...]]] = []
    for part in parts:
        tokens = raw_tokens(part)
        if not tokens:
            continue
        first = tokens[0].group().upper()
        table_level = first in ("CONSTRAINT", "UNIQUE", "PRIMARY", "FOREIGN", "CHECK")
        column = None if table_level else unquote_identifier(tokens[0].group())
        name: str | None = None
        depth = 0
        i = 0 if table_level else 1
        while i < len(tokens):
            value = tokens[i].group()
            if value in ("(", "["):
                depth += 1
            elif value in (")", "]"):
                depth -= 1
            elif depth == 0 and value.upper() == "CONSTRAINT" and i + 1 < len(tokens):
                name = unquote_identifier(tokens[i + 1].group())
                i += 2
                continue
            elif depth == 0 and value.upper() == "UNIQUE":
                if column is not None:
                    found.append((name, (column,)))
                elif i + 1 < len(tokens) and tokens[i + 1].group() == "(":
                    inner = split_definitions(part[tokens[i].end():])
                    if inner is None:
                        return None
                    found.append((name, tuple(unquote_identifier(raw_tokens(c)[0].group()) for c in inner)))
                name = None
            elif depth == 0 and tokens[i].lastgroup == "word" and value.upper() in (
                    "PRIMARY", "CHECK", "REFERENCES", "FOREIGN", "NOT", "NULL", "DEFAULT", "COLLATE"):
                name = None  # the name belonged to another constraint
            i += 1
    return tuple(found)


@oc.frozen
class SqliteForeignKey:
    """A foreign key clause of a SQLite CREATE TABLE statement, as written."""

    name: str | None
    columns: tuple[str, ...]
    referent_table: str
    referent_columns: tuple[str, ...]  # () when the clause names none: the referent's primary key
    deferrable: bool | None = None
    initially: str | None = None


#: Words that start a column constraint other than REFERENCES: a CONSTRAINT name before them is theirs.
_OTHER_CONSTRAINTS = {"PRIMARY", "UNIQUE", "CHECK", "NOT", "NULL", "DEFAULT", "COLLATE", "GENERATED", "AS"}


def sqlite_foreign_keys(create_table: str) -> list[SqliteForeignKey] | None:
    """The foreign keys of a SQLite CREATE TABLE statement, table-level (``FOREIGN KEY (...)
    REFERENCES``) or inline (``col ... REFERENCES``), in the order written; None if the
    statement cannot be read."""
    found = _foreign_keys(create_table)
    return None if found is None else list(found)


@_cached
def _foreign_keys(create_table: str) -> tuple[SqliteForeignKey, ...] | None:
    parts = split_definitions(create_table)
    if parts is None:
        return None
    found: list[SqliteForeignKey] = []
    for part in parts:
        tokens = [m.group() for m in raw_tokens(part)]
        if not tokens:
            continue
        table_level = tokens[0].upper() in ("CONSTRAINT", "UNIQUE", "PRIMARY", "FOREIGN", "CHECK")
        columns: tuple[str, ...] | None = None if table_level else (unquote_identifier(tokens[0]),)
        name: str | None = None
        depth = 0
        i = 0 if table_level else 1
        while i < len(tokens):
            word = tokens[i].upper()
            if tokens[i] in ("(", "["):
                depth += 1
            elif tokens[i] in (")", "]"):
                depth -= 1
            elif depth > 0:
                pass
            elif word == "CONSTRAINT" and i + 1 < len(tokens):
                name = unquote_identifier(tokens[i + 1])
                i += 2
                continue
            elif word == "FOREIGN" and table_level and [t.upper() for t in tokens[i + 1:i + 3]] == ["KEY", "("]:
                read = _paren_names(tokens, i + 2)
                if read is None:
                    return None
                columns, i = read
                continue
            elif word == "REFERENCES" and i + 1 < len(tokens) and columns is not None:
                read_fk = _references(tokens, i + 1, name, columns)
                if read_fk is None:
                    return None
                fk, i = read_fk
                found.append(fk)
                name = None
                continue
            elif word in _OTHER_CONSTRAINTS:
                name = None  # the name belonged to another constraint
            i += 1
    return tuple(found)


def _paren_names(tokens: list[str], i: int) -> tuple[tuple[str, ...], int] | None:
    """The names listed in the parenthesis at ``tokens[i]``, and the index after it."""
    if i >= len(tokens) or tokens[i] != "(":
        return None
    names: list[str] = []
    depth = 0
    expect = True
    for j in range(i, len(tokens)):
        value = tokens[j]
        if value in ("(", "["):
            depth += 1
        elif value in (")", "]"):
            depth -= 1
            if depth == 0:
                return tuple(names), j + 1
        elif value == "," and depth == 1:
            expect = True
        elif depth == 1 and expect:
            names.append(unquote_identifier(value))
            expect = False
    return None


def _references(
    tokens: list[str], i: int, name: str | None, columns: tuple[str, ...]
) -> tuple[SqliteForeignKey, int] | None:
    """The clause after REFERENCES at ``tokens[i]``: table, columns, actions (the server reports
    those), MATCH, deferral; the foreign key and the index after the clause."""
    table = unquote_identifier(tokens[i])
    i += 1
    referent: tuple[str, ...] = ()
    if i < len(tokens) and tokens[i] == "(":
        read = _paren_names(tokens, i)
        if read is None:
            return None
        referent, i = read
    deferrable: bool | None = None
    initially: str | None = None
    upper = [t.upper() for t in tokens]
    while i < len(tokens):
        if upper[i] == "ON" and i + 2 < len(tokens):
            i += 4 if upper[i + 2] in ("SET", "NO") else 3
        elif upper[i] == "MATCH":
            i += 2
        elif upper[i] == "DEFERRABLE" or upper[i:i + 2] == ["NOT", "DEFERRABLE"]:
            deferrable = upper[i] == "DEFERRABLE"
            i += 1 if deferrable else 2
            if upper[i:i + 1] == ["INITIALLY"] and i + 1 < len(tokens):
                initially = upper[i + 1]
                i += 2
        else:
            break
    return SqliteForeignKey(name, columns, table, referent, deferrable, initially), i
