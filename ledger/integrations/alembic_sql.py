"""Statements seen at the cursor, as SQL text that can run again: classification and literal rendering.

The Alembic hook captures the statements a migration runs outside Alembic's schema operations
(``op.execute``, ``op.bulk_insert``, ``op.get_bind().execute(...)``) after they succeed. What
it stores is the statement with its parameters rendered as SQL literals of the dialect that
ran it, one text per parameter set, so that an ``execute`` op holds SQL that runs on its own.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import math
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from ops.classes import Value
from ops import LedgerError

from ledger import dialects
from ledger.support.lazyre import lazy, mentions
from ledger.support.sqltext import skip_leading as _skip_leading

__all__ = [
    "READ", "DATA", "SCHEMA", "OTHER", "UnrenderableStatement", "changes_no_table", "changes_only_held", "classify",
    "dropped_index", "temporary_object", "render_statements", "INDEXES", "touched_tables", "names_no_changed_table",
    "SchemaObject", "renamed_table", "schema_object",
]

#: Statement categories: reads are never recorded; data and schema statements are.
READ, DATA, SCHEMA, OTHER = "read", "data", "schema", "other"

_READ_WORDS = frozenset({
    "SELECT", "PRAGMA", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "VALUES", "SAVEPOINT", "RELEASE", "ROLLBACK",
    "BEGIN", "COMMIT", "END", "SET", "RESET", "USE", "LOCK", "ANALYZE", "VACUUM",
})
_DATA_WORDS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "UPSERT", "COPY", "TRUNCATE", "CALL"})
_SCHEMA_WORDS = frozenset({"CREATE", "ALTER", "DROP", "RENAME", "COMMENT"})
_SETS_SEQUENCE = lazy(r"\bsetval\s*\(", re.I)
_LEADING = lazy(r"\s+|--[^\n]*\n?|/\*.*?\*/|\(", re.S)
_WORD = lazy(r"[A-Za-z_]+")


class UnrenderableStatement(LedgerError, ValueError):
    """A statement's parameters could not be written as SQL literals."""


def _first_word(statement: str) -> str:
    position = 0
    while True:
        match = _LEADING.match(statement, position)
        if match is None or match.end() == position:
            break
        position = match.end()
    word = _WORD.match(statement, position)
    return word.group(0).upper() if word else ""


@functools.lru_cache(maxsize=1024)
def classify(statement: str) -> str:
    """``read`` (nothing changes), ``data``, ``schema`` (DDL) or ``other`` (e.g. a PL/pgSQL DO block).

    A text of several statements is what its most far-reaching one is: ``other`` if any is (MySQL's
    ``SET @s = ...; PREPARE s FROM @s; EXECUTE s``: what it runs is not in its text), else
    ``schema``, ``data``, ``read`` (a ``SET`` first does not make the text a read).

    Cached: the hook classifies each statement a migration runs, and most are the same few
    (an Alembic batch block reads its table with the same PRAGMAs each time)."""
    if ";" in statement.rstrip().rstrip(";"):
        parts = statements_in(statement)
        if len(parts) > 1:
            return max((_classify_one(part) for part in parts), key=_REACH.index)
    return _classify_one(statement)


#: the statement categories, from the one that changes least to the one whose changes are least known
_REACH = (READ, DATA, SCHEMA, OTHER)


def _classify_one(statement: str) -> str:
    word = _first_word(statement)
    if word == "WITH":
        upper = statement.upper()
        return DATA if re.search(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", upper) else READ
    if word in _READ_WORDS:  # but a SELECT of setval() sets where a sequence stands
        return DATA if word == "SELECT" and _SETS_SEQUENCE.search(statement) else READ
    if word in _DATA_WORDS:
        return DATA
    if word in _SCHEMA_WORDS:
        return SCHEMA
    return OTHER


# ---------------------------------------------------------------------------------------------
# The tables a DDL statement changes
# ---------------------------------------------------------------------------------------------

_NAME = r'(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s."`\[(),;]+)'
_QUALIFIED = rf"(?P<table>{_NAME}(?:\s*\.\s*{_NAME})?)"
_TABLE_STATEMENTS = tuple(lazy(pattern, re.I | re.S) for pattern in (
    rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_QUALIFIED}",
    rf"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:{_NAME}(?:\s*\.\s*{_NAME})?\s+)?"
    rf"ON\s+(?:ONLY\s+)?{_QUALIFIED}",
    rf"CREATE\s+(?:(?:GLOBAL\s+|LOCAL\s+)?TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{_QUALIFIED}",
    rf"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?{_QUALIFIED}\s*(?:RESTRICT\s*)?;?\s*$",
    rf"DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?{_NAME}\s+ON\s+{_QUALIFIED}",
    rf"COMMENT\s+ON\s+TABLE\s+{_QUALIFIED}",
))
_OTHER_TABLES = lazy(r"\b(?:RENAME(?!\s+CONSTRAINT\b)|CASCADE|PARTITION)\b", re.I)  # a constraint renamed: its table


def _unquote(name: str) -> str:
    if name[:1] in "\"`[" and len(name) > 1:
        return name[1:-1].replace(name[0] * 2, name[0]) if name[0] != "[" else name[1:-1]
    return name


_NO_TABLE = lazy(
    r"(?:CREATE(?:\s+OR\s+REPLACE)?|DROP|ALTER|COMMENT\s+ON)\s+(?:CONSTRAINT\s+)?(?:TRUSTED\s+)?(?:PROCEDURAL\s+)?"
    r"(?:FUNCTION|PROCEDURE|TRIGGER|SEQUENCE|EXTENSION|VIEW|MATERIALIZED\s+VIEW|SCHEMA|ROLE|USER|POLICY|"
    r"AGGREGATE|OPERATOR|LANGUAGE|EVENT|RULE|PUBLICATION|SUBSCRIPTION|SERVER|STATISTICS)\b"
    # a type or domain made or dropped changes no table (ALTER TYPE ... ADD VALUE changes the columns' enum)
    r"|(?:CREATE|DROP)\s+(?:TYPE|DOMAIN|COLLATION)\b|CREATE\s+VIRTUAL\s+TABLE\b", re.I)


def statements_in(text: str) -> list[str]:
    """The statements of an SQL text that holds several, separated by ``;`` (not one inside a
    string, a comment or a ``$$`` body); the text itself when it holds one."""
    masked = _LITERALS.sub(lambda m: " " * len(m.group()), text)
    parts, start, depth = [], 0, 0
    # a ``;`` inside BEGIN ... END (a SQLite or MySQL trigger's body) or CASE ... END ends no
    # statement; MySQL's END IF, END LOOP, END WHILE, END REPEAT close blocks not counted here
    for match in re.finditer(r"\bBEGIN\b(?!\s*(?:;|$|TRANSACTION\b|WORK\b|DEFERRED\b|IMMEDIATE\b|EXCLUSIVE\b))|\bCASE\b"
                             r"|\bEND\b(?!\s+(?:IF|LOOP|WHILE|REPEAT)\b)|;",
                             masked, re.I):
        word = match.group().upper()
        if word == ";":
            if depth == 0:
                parts.append(text[start:match.start()])
                start = match.end()
        elif word == "END":
            depth = max(depth - 1, 0)
        else:
            depth += 1
    parts.append(text[start:])
    found = [part for part in parts if part.strip()]
    return found if len(found) > 1 else [text]


def changes_no_table(statement: str) -> bool:
    """True for DDL on objects the fold does not hold and that change no table's columns, keys or
    indexes (a function, a trigger, a sequence, a view, an extension): nothing to reflect after it.
    A text of several statements is that only when each of them is (a function made, then a
    column altered with it: the column changed)."""
    return all(_changes_no_table(part) for part in statements_in(statement))


def _changes_no_table(statement: str) -> bool:
    text = statement[_skip_leading(statement):]
    return _NO_TABLE.match(text) is not None and not re.search(r"\bCASCADE\b", _SKIP.sub(" ", text), re.I)


_TEMPORARY = lazy(
    rf"(?:CREATE\s+(?:GLOBAL\s+|LOCAL\s+)?TEMP(?:ORARY)?\s+(?P<made>TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?"
    rf"|DROP\s+(?P<temporary>TEMPORARY\s+)?(?:TABLE|VIEW)\s+(?:IF\s+EXISTS\s+)?)(?P<name>{_NAME})(?![\s]*[.,])", re.I)


def temporary_object(statement: str) -> tuple[str, str] | None:
    """``(what, name)`` of a statement that makes a temporary table or view (``what`` is ``made``:
    SQLite and PostgreSQL's ``TEMP``/``TEMPORARY``, MySQL/MariaDB's ``TEMPORARY``), drops one
    (``dropped``: MySQL/MariaDB's ``DROP TEMPORARY TABLE``) or drops one table or view by an
    unqualified name (``drop``: the caller checks the name against those it saw made temporary).
    None for anything else."""
    text = statement[_skip_leading(statement):]
    found = _TEMPORARY.match(text)
    if found is None or ";" in text.rstrip().rstrip(";"):
        return None
    what = "made" if found.group("made") else "dropped" if found.group("temporary") else "drop"
    return what, _unquote(found.group("name")).casefold()


@functools.lru_cache(maxsize=256)  # a statement is asked about several times as it is recorded
def touched_tables(statement: str) -> tuple[str | None, str] | None:
    """``(schema, table)`` of the one table a DDL statement changes; None when it is not that simple.

    None for statements that may change other tables too (a rename but a constraint's, ``CASCADE``), for
    ``DROP INDEX`` without ``ON`` and for anything else: the caller then
    looks at every table. An unquoted name is returned as written (the caller matches it
    without regard to case). In a text of several statements, the one table that those changing
    a table change (a function made before it changes none).
    """
    parts = [part for part in statements_in(statement) if not _changes_no_table(part)]
    if len(parts) != 1:
        return None
    text = parts[0][_skip_leading(parts[0]):]
    if _OTHER_TABLES.search(_SKIP.sub(" ", text)):
        return None
    for pattern in _TABLE_STATEMENTS:
        match = pattern.match(text)
        if match is None:
            continue
        parts = [_unquote(part.strip()) for part in re.findall(_NAME, match.group("table"))]
        return (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
    return None


def names_no_changed_table(statement: str) -> bool:
    """True when the tables a statement may change cannot be told from its text, so that every table
    is read after it: a procedural block or anything else :func:`classify` calls ``other``, DDL that
    may change a table other than the one it names (``CASCADE``, a rename) or names none."""
    category = classify(statement)
    if category == OTHER:
        return True
    return (category == SCHEMA and not changes_no_table(statement) and touched_tables(statement) is None
            and dropped_index(statement) is None)


#: what of its table a statement that only adds or drops one constraint can change
CONSTRAINTS = frozenset({"keys", "checks"})
_CONSTRAINT_ONLY = lazy(
    rf"ALTER\s+TABLE\s+(?:ONLY\s+)?{_QUALIFIED}\s+(?:"
    rf"DROP\s+CONSTRAINT\s+(?P<exists>IF\s+EXISTS\s+)?(?P<dropped>{_NAME})\s*(?:RESTRICT\s*)?"
    rf"|ADD\s+(?:CONSTRAINT\s+{_NAME}\s+)?(?:UNIQUE|CHECK|FOREIGN\s+KEY)\b(?P<rest>.*)"
    r")\s*;?\s*$", re.I | re.S)
_PARENTHESES = lazy(r"\([^()]*\)")
#: what of its table a statement that only makes or drops one index can change (with the keys:
#: SQLite's expression indexes, MySQL's unique indexes are read with them)
INDEXES = frozenset({"indexes"})
_CREATE_INDEX = lazy(
    rf"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?P<index>{_NAME})\s+ON\s", re.I | re.S)
_DROP_INDEX = lazy(
    rf"DROP\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(?P<index>{_NAME}(?:\s*\.\s*{_NAME})?)\s*"
    r"(?:RESTRICT\s*)?;?\s*$", re.I | re.S)
_DROP_INDEX_ON = lazy(rf"DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?{_NAME}\s+ON\s+{_QUALIFIED}\s*;?\s*$", re.I | re.S)


def dropped_index(statement: str) -> tuple[str | None, str] | None:
    """``(schema, index)`` of a ``DROP INDEX [CONCURRENTLY] [IF EXISTS] name`` that drops one
    index and names no table (its table: the one holding that index); None for anything else."""
    if len(statements_in(statement)) != 1:
        return None
    match = _DROP_INDEX.match(statement[_skip_leading(statement):])
    if match is None:
        return None
    parts = [_unquote(part.strip()) for part in re.findall(_NAME, match.group("index"))]
    return (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])


def created_index(statement: str) -> str | None:
    """The name (as written) of the one index a ``CREATE [UNIQUE] INDEX name ON ...`` makes; None
    for anything else."""
    if len(statements_in(statement)) != 1:
        return None
    match = _CREATE_INDEX.match(statement[_skip_leading(statement):])
    return None if match is None else match.group("index")


@functools.lru_cache(maxsize=256)  # a statement is asked about several times as it is recorded
def changed_parts(statement: str) -> frozenset[str] | None:
    """What of its one table (:func:`touched_tables`) a DDL statement can change, when that is less
    than the whole table: :data:`CONSTRAINTS` for an ``ALTER TABLE t DROP CONSTRAINT c`` or an
    ``ALTER TABLE t ADD [CONSTRAINT c] UNIQUE | CHECK | FOREIGN KEY ...`` with no other action.
    None (the whole table) for anything else: ``IF EXISTS`` on the table (it may not be there),
    ``CASCADE`` (other tables' keys go too), a primary key (its columns become NOT NULL), a
    constraint made from an index (``USING INDEX``: the index goes), several actions.
    :data:`INDEXES` for a ``CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON t ...``
    and a ``DROP INDEX [CONCURRENTLY] [IF EXISTS] name [ON t]`` (:func:`dropped_index`)."""
    if dropped_index(statement) is not None:
        return INDEXES
    if touched_tables(statement) is None:
        return None
    text = statement[_skip_leading(statement):]
    if len(statements_in(statement)) == 1 and (_CREATE_INDEX.match(text) or _DROP_INDEX_ON.match(text)):
        return INDEXES
    match = _CONSTRAINT_ONLY.match(text)
    if match is None:
        return None
    rest = _SKIP.sub(" ", match.group("rest") or "")
    while True:  # the parenthesised parts (column lists, a CHECK's expression) say nothing of the table
        shorter = _PARENTHESES.sub(" ", rest)
        if shorter == rest:
            break
        rest = shorter
    if re.search(r"[,()]|\bUSING\b|\bINDEX\b|\bPRIMARY\b|\bEXCLUDE\b|\bCASCADE\b", rest, re.I):
        return None
    return CONSTRAINTS


#: MySQL/MariaDB's table options the fold holds: a table's character set and collation (``CONVERT
#: TO`` sets its text columns' too), each option written once or several times, comma-separated or not
_CHARSET_OPTION = (r"(?:CONVERT\s+TO\s+(?:CHARACTER\s+SET|CHARSET)\s*(?:=\s*)?\w+(?:\s+COLLATE\s*(?:=\s*)?\w+)?"
                   r"|(?:DEFAULT\s+)?(?:CHARACTER\s+SET|CHARSET|COLLATE)\s*(?:=\s*)?\w+)")
_CHARSET_ONLY = lazy(rf"ALTER\s+TABLE\s+{_QUALIFIED}\s+{_CHARSET_OPTION}(?:\s*,?\s*{_CHARSET_OPTION})*\s*;?\s*$",
                     re.I | re.S)


def changes_only_held(statement: str) -> bool:
    """True for one DDL statement that can change nothing but what the fold holds of its one table:
    its indexes or constraints (:func:`changed_parts`), or its character set and collation (and
    with ``CONVERT TO`` its columns'). When the table read back shows none of that changed, the
    statement changed nothing (``CREATE INDEX IF NOT EXISTS`` of an index that is there, a
    character set the table already has)."""
    if len(statements_in(statement)) != 1:
        return False
    if changed_parts(statement) is not None:
        return True
    return (mentions(statement, "charset", "character", "collate")
            and _CHARSET_ONLY.match(statement[_skip_leading(statement):]) is not None)


_CREATED = lazy(
    r"(?P<verb>CREATE(?P<replace>\s+OR\s+REPLACE)?|DROP)\s+(?:CONSTRAINT\s+)?(?:(?:TEMP|TEMPORARY)\s+)?"
    rf"(?P<kind>TRIGGER|FUNCTION|PROCEDURE|MATERIALIZED\s+VIEW|VIEW|TYPE|DOMAIN|COLLATION|SEQUENCE|VIRTUAL\s+TABLE|SCHEMA"
    rf"|STATISTICS)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?!ON\s)(?P<name>{_NAME}(?:\s*\.\s*{_NAME})?)", re.I | re.S)
_TRIGGER_TABLE = lazy(rf"\bON\s+{_QUALIFIED}", re.I | re.S)
#: string literals and comments (identifiers stay: a trigger's table may be quoted)
_LITERALS = lazy(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/|\$(\w*)\$.*?\$\1\$", re.S)


class SchemaObject(Value):
    """A trigger, function, procedure, view, type (PostgreSQL's ``CREATE TYPE``/``DOMAIN``), sequence or
    extended statistics object (PostgreSQL's ``CREATE STATISTICS``) that a statement creates or drops
    (none of them in the fold)."""

    #: "TRIGGER", "FUNCTION", "PROCEDURE", "VIEW", "MATERIALIZED VIEW", "TYPE", "DOMAIN", "COLLATION", "SEQUENCE"
    #: or "STATISTICS"
    kind: str
    #: the name as written (quoted as written)
    name: str
    #: the table of a trigger, as written
    table: str | None
    #: a routine's argument list as written, without defaults ("(a integer, b text)")
    arguments: str | None

    __slots__ = ("kind", "name", "table", "arguments")

    def __init__(self, kind: str, name: str, table: str | None = None, arguments: str | None = None) -> None:
        _set = object.__setattr__
        _set(self, "kind", kind)
        _set(self, "name", name)
        _set(self, "table", table)
        _set(self, "arguments", arguments)

    @property
    def key(self) -> tuple[str, str]:
        """What names it, whatever the quoting and case of unquoted names (a trigger by its name
        alone: a DROP TRIGGER names no table on SQLite and MySQL)."""
        return self.kind, ".".join(_unquote(p.strip()) if p.strip()[:1] in "\"`[" else p.strip().lower()
                                   for p in re.findall(_NAME, self.name))


def schema_object(statement: str) -> tuple[str, SchemaObject] | None:
    """("create", object) for ``CREATE [OR REPLACE] TRIGGER/FUNCTION/PROCEDURE/VIEW/TYPE/DOMAIN/COLLATION/SEQUENCE/STATISTICS``, ("replace",
    object) with ``OR REPLACE``, ("drop", object) for its DROP; None for anything else."""
    text = statement[_skip_leading(statement):]
    match = _CREATED.match(text)
    if match is None:
        return None
    kind = " ".join(match.group("kind").upper().split())
    verb = "drop" if match.group("verb").upper() == "DROP" else "replace" if match.group("replace") else "create"
    table = arguments = None
    rest = text[match.end():]
    if kind == "TRIGGER":
        found = _TRIGGER_TABLE.search(_LITERALS.sub(lambda m: " " * len(m.group()), rest))
        if found is None:
            if verb != "drop":
                return None
        else:
            table = rest[found.start("table"):found.end("table")]
    elif kind in ("FUNCTION", "PROCEDURE"):
        arguments = _arguments(rest)
        if arguments is None and verb != "drop":
            return None
    return verb, SchemaObject(kind, match.group("name"), table, arguments)


def _arguments(rest: str) -> str | None:
    """The parenthesized argument list at the start of ``rest``, defaults left out."""
    stripped = rest.lstrip()
    if not stripped.startswith("("):
        return None
    depth, parts, current = 0, [], ""
    for char in stripped:
        if char == "(":
            depth += 1
            if depth == 1:
                continue
        elif char == ")":
            depth -= 1
            if depth == 0:
                parts.append(current)
                break
        if depth == 1 and char == ",":
            parts.append(current)
            current = ""
            continue
        current += char
    else:
        return None
    kept = [re.split(r"\s+DEFAULT\s+|\s*=", part.strip(), maxsplit=1, flags=re.I)[0].strip() for part in parts]
    return "(" + ", ".join(k for k in kept if k) + ")"


_RENAME_TABLE = lazy(
    rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?{_QUALIFIED}\s+RENAME\s+TO\s+(?P<new>{_NAME})\s*;?\s*$", re.I | re.S)


def renamed_table(statement: str) -> tuple[str | None, str, str] | None:
    """``(schema, old, new)`` of a plain ``ALTER TABLE old RENAME TO new``; None for anything else."""
    match = _RENAME_TABLE.match(statement[_skip_leading(statement):]) if mentions(statement, "rename") else None
    if match is None:
        return None
    parts = [_unquote(part.strip()) for part in re.findall(_NAME, match.group("table"))]
    schema, old = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
    return schema, old, _unquote(match.group("new").strip())


# ---------------------------------------------------------------------------------------------
# Rendering parameters as literals
# ---------------------------------------------------------------------------------------------

# Quoted strings, quoted identifiers and comments are copied as they are; placeholders are not in them.
_SKIP = lazy(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|`(?:[^`]|``)*`|--[^\n]*|/\*.*?\*/|\$(\w*)\$.*?\$\1\$", re.S)
_POSTCOMPILE = lazy(r"__\[POSTCOMPILE_(\w+)(?:~~[^\]]*)?\]")


def _placeholder(paramstyle: str) -> re.Pattern[str]:
    return re.compile({
        "qmark": r"\?",
        "format": r"%s",
        "numeric": r":(\d+)",
        "numeric_dollar": r"\$(\d+)",
        "named": r"(?<![:\w]):(\w+)",
        "pyformat": r"%\((\w+)\)s",
    }[paramstyle])


def _database(dialect: sa.Dialect) -> dialects.Database:
    """The database object of ``dialect``; a database schema-ledger does not know writes
    literals as the SQL standard does."""
    try:
        return dialects.database(dialect.name)
    except dialects.UnsupportedDialectError:
        return _STANDARD


_STANDARD = dialects.Database()


def _generic_literal(value: Any, dialect: sa.Dialect) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return _database(dialect).boolean_literals[value]
    if isinstance(value, (int, decimal.Decimal)):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise UnrenderableStatement(f"cannot write {value!r} as a SQL literal")
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return "'" + value.isoformat(sep=" ") + "'" if isinstance(value, dt.datetime) else f"'{value.isoformat()}'"
    if isinstance(value, uuid.UUID):
        return f"'{value}'"
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value).hex()
        return _database(dialect).bytes_literal(data)
    if isinstance(value, str):
        text = value.replace("'", "''")
        if _database(dialect).backslash_escapes:
            text = text.replace("\\", "\\\\")
        return f"'{text}'"
    raise UnrenderableStatement(f"cannot write a {type(value).__name__} value as a SQL literal")


def _is_json(type_: Any, dialect: sa.Dialect) -> bool:
    try:
        return isinstance(type_, sa.JSON) or isinstance(type_.dialect_impl(dialect), sa.JSON)
    except Exception:  # a user type whose dialect_impl fails: not taken for JSON
        return False


def _converted(value: Any, type_: Any, dialect: sa.Dialect) -> tuple[Any, Any]:
    """``(value, type)`` as a ``TypeDecorator`` converts them for the database (a ``PickleType``
    pickles the value into bytes of its ``LargeBinary``): what is then written as a literal."""
    while isinstance(type_, sa.TypeDecorator):
        try:
            if isinstance(type_, sa.PickleType):  # pickles in its bind processor, not in process_bind_param
                value = None if value is None else type_.pickler.dumps(value, type_.protocol)
            elif type(type_).process_bind_param is not sa.TypeDecorator.process_bind_param:
                value = type_.process_bind_param(value, dialect)
            type_ = type_.load_dialect_impl(dialect)
        except Exception as exc:  # noqa: BLE001 - a user type's conversion: the statement is named, not recorded broken
            raise UnrenderableStatement(f"cannot write a {type(value).__name__} value of {type_!r} as a SQL "
                                        f"literal: {' '.join(str(exc).split())[:200]}") from None
    return value, type_


def _literal(value: Any, type_: Any, compiled: Any, dialect: sa.Dialect, *, expanding: bool = False) -> str:
    """The SQL literal of ``value`` bound as ``type_``; ``expanding``: the values of an ``IN (...)`` list."""
    if value is not None and type_ is not None and _is_json(type_, dialect):
        # a JSON value is one literal, the document the driver is sent, never a list of values
        serializer = getattr(dialect, "_json_serializer", None) or json.dumps
        return _generic_literal(serializer(value), dialect)
    if isinstance(value, (list, tuple)) and isinstance(type_, sa.JSON.JSONPathType) and compiled is not None:
        # a JSON path is one literal, as its type writes it ('{a, b}', '$."a"."b"'), never a list of values
        try:
            return str(compiled.render_literal_value(value, type_))
        except (sa.exc.CompileError, NotImplementedError, TypeError, ValueError, AttributeError) as exc:
            raise UnrenderableStatement(f"cannot write the JSON path {value!r} as a SQL literal: {exc}") from None
    if isinstance(value, (list, tuple)) and not isinstance(type_, sa.ARRAY):
        if expanding:
            return ", ".join(_literal(v, type_, compiled, dialect) for v in value)
        # one value its type makes into what the database stores (a PickleType's bytes), not a list of values
        converted, impl = _converted(value, type_, dialect)
        if isinstance(converted, (list, tuple)) and isinstance(impl, sa.types.NullType):
            # untyped: what the driver sends (PostgreSQL's an array, MySQL's drivers a parenthesized list)
            items = [_literal(item, impl, compiled, dialect) for item in converted]
            sent = _database(dialect).bound_list(items, isinstance(converted, tuple), dialect.driver)
            if sent is not None:
                return sent
        if isinstance(converted, (list, tuple)) and not isinstance(impl, sa.ARRAY):
            raise UnrenderableStatement(f"cannot write a {type(value).__name__} value of {type_!r} as a SQL literal")
        return _literal(converted, impl, compiled, dialect)
    if isinstance(value, float) and not math.isfinite(value):
        # a dialect's literal for it ("nan") is a column name, not the value
        raise UnrenderableStatement(f"cannot write {value!r} as a SQL literal")
    if compiled is not None and type_ is not None:
        try:
            return str(compiled.render_literal_value(value, type_))
        except (sa.exc.CompileError, NotImplementedError, TypeError, ValueError, AttributeError):
            if isinstance(type_, sa.TypeDecorator):  # no literal form of its own (PickleType): of what it converts to
                return _literal(*_converted(value, type_, dialect), compiled, dialect)
    return _generic_literal(value, dialect)


def _substitute(template: str, paramstyle: str, lookup: Any, unescape_percent: bool) -> str:
    """``template`` with every placeholder replaced by ``lookup(name_or_position)``."""
    pattern = _placeholder(paramstyle)
    positional = paramstyle in ("qmark", "format")
    counter = iter(range(1 << 30))
    out: list[str] = []

    both = re.compile(f"{_POSTCOMPILE.pattern}|{pattern.pattern}")

    def plain(chunk: str) -> str:
        def repl(match: re.Match[str]) -> str:
            if match.group(1) is not None:  # an expanding parameter: a position of its own, in order
                if positional:
                    next(counter)
                return str(lookup(("post", match.group(1))))
            key: Any = next(counter) if positional else match.group(2)
            if paramstyle in ("numeric", "numeric_dollar"):
                key = int(key) - 1
            return str(lookup(key))

        chunk = both.sub(repl, chunk)
        return chunk.replace("%%", "%") if unescape_percent else chunk

    position = 0
    for match in _SKIP.finditer(template):
        out.append(plain(template[position:match.start()]))
        text = match.group(0)
        # the driver takes every %% for % (SQLAlchemy doubled each % of the text), in a dollar-quoted body too
        out.append(text.replace("%%", "%") if unescape_percent else text)
        position = match.end()
    out.append(plain(template[position:]))
    return "".join(out)


def _expanded(name: str, values: Mapping[str, Any], binds: Any, compiled: Any, dialect: sa.Dialect) -> str:
    """The literals of an expanding ``IN`` parameter that SQLAlchemy already split into ``name_1``, ``name_2``, ..."""
    items = []
    number = 1
    while f"{name}_{number}" in values:
        items.append(values[f"{name}_{number}"])
        number += 1
    bind = binds.get(name)
    if not items and bind is not None and getattr(bind, "expanding", False) and compiled is not None:
        # an empty list: the expression SQLAlchemy writes for it (``NULL) AND (1 != 1`` inside ``IN (...)``)
        types = getattr(bind.type, "types", None) or [bind.type]
        return str(compiled.visit_empty_set_op_expr(types, bind.expand_op))
    if not items:
        raise UnrenderableStatement(f"no value for parameter {name}")
    type_ = getattr(bind, "type", None)
    return ", ".join(_literal(item, type_, compiled, dialect) for item in items)


def render_statements(context: Any, statement: str, parameters: Any, dialect: sa.Dialect, *,
                      drawn: Mapping[str, str] = {}) -> list[str]:  # noqa: B006 - read only
    """The SQL texts that ``statement`` ran, one per parameter set, with literal values (the SQL
    in ``drawn`` for the parameters named there); :class:`UnrenderableStatement` for a value that
    has no literal form."""
    paramstyle = dialect.paramstyle
    percent = paramstyle in ("format", "pyformat")
    compiled = getattr(context, "compiled", None)
    if compiled is not None and not hasattr(compiled, "binds"):
        return [statement]  # DDL: nothing is bound
    if compiled is not None and getattr(compiled, "string", None):
        template = compiled.string
        sets: Sequence[Mapping[str, Any]] = context.compiled_parameters or [{}]
        positions = list(getattr(compiled, "positiontup", None) or [])
        escaped = {v: k for k, v in (getattr(compiled, "escaped_bind_names", None) or {}).items()}
        binds = compiled.binds
        texts = []
        for values in sets:
            def lookup(key: Any, values: Mapping[str, Any] = values) -> str:
                if isinstance(key, tuple):  # an expanding IN (...) parameter
                    name = key[1]
                    if name not in values:
                        return _expanded(name, values, binds, compiled, dialect)
                elif isinstance(key, int):
                    if key >= len(positions):
                        raise UnrenderableStatement("more placeholders than parameters")
                    name = positions[key]
                else:
                    name = escaped.get(key, key)
                if name in drawn:
                    return drawn[name]
                if name not in values:
                    raise UnrenderableStatement(f"no value for parameter {name}")
                bind = binds.get(name)
                return _literal(values[name], getattr(bind, "type", None), compiled, dialect,
                                expanding=isinstance(key, tuple))

            texts.append(_substitute(template, paramstyle, lookup, percent))
        return texts
    # A driver-level statement (exec_driver_sql): parameters are already what the driver takes.
    if not parameters or parameters in ((), {}, [()], [{}]):
        return [statement]
    many = parameters if isinstance(parameters, list) else [parameters]
    texts = []
    for params in many:
        def driver_lookup(key: Any, params: Any = params) -> str:
            try:
                return _generic_literal(params[key], dialect)
            except (KeyError, IndexError, TypeError):
                raise UnrenderableStatement(f"no value for parameter {key}") from None

        texts.append(_substitute(statement, paramstyle, driver_lookup, percent))
    return texts
