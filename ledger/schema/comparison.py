"""Schemas compared per dialect: what a database keeps of a SchemaState, and how two states differ
(docs/design.md, contract point 8: live equals fold).

:func:`normalize` reduces a state to what a dialect keeps of it, in one spelling; :func:`compare`
normalizes an expected state (the fold) and a live one (:func:`ledger.schema.reflect.reflect`) and names
every difference. ``compare(a, b, d) == []`` exactly when ``normalize(a, d) == normalize(b, d)``,
except for the CHECK constraints that Boolean and Enum types create, which only ``compare`` can
discount (it needs the declared types), and for table options, which ``compare`` compares only
where both sides hold them.

What each database keeps, and so what is and is not compared there:

Every dialect
    Types are compared by the DDL type they compile to, after the server's own rewrites
    (below); driver-only arguments (``asdecimal``, ``as_uuid``, ``none_as_null``, ...) do not
    reach DDL and are not compared. Column collations and character sets are not compared.
    Table options (MySQL/MariaDB's character set and collation) are compared where both sides
    hold them (not part of :func:`normalize`). Server defaults, CHECK conditions, index
    expressions and partial-index conditions are
    compared as canonical SQL (:mod:`ledger.schema.sqltext`): casts, redundant parentheses, case and
    quoting of names, spelling of numbers and ``now()``/``CURRENT_TIMESTAMP`` do not count.
    A primary-key column is NOT NULL. ``autoincrement`` is not compared (no database reports
    the flag as declared) except where the database reports which column auto-increments
    (MySQL/MariaDB's AUTO_INCREMENT, see below). ``NO ACTION`` is no action; an empty comment is no comment.
    Column order is compared.

PostgreSQL
    ``FLOAT(1..24)`` is ``REAL`` and ``FLOAT``/``FLOAT(25..53)`` ``DOUBLE PRECISION``;
    ``DECIMAL`` is ``NUMERIC`` and ``NUMERIC(p)`` ``NUMERIC(p, 0)``; ``NCHAR`` is ``CHAR``; array
    dimensions are not kept. A native ENUM is compared by name and values. A SERIAL's
    ``nextval(...)`` default is not compared. Identity columns are compared with the
    server's defaults filled in (start 1, increment 1, cache 1, the type's range). A computed
    column is STORED (PostgreSQL before 18). Names are cut to 63 bytes. Index sort order,
    ``postgresql_where``, ``_using`` (``btree`` is the default), ``_include``, ``_ops``,
    ``_with`` are compared; ``_concurrently`` is how an index was built, not what it is.
    Deferrable foreign keys and unique constraints, and MATCH FULL, are compared. In one
    CREATE TABLE, unique constraints on the primary key's columns or on another unique
    constraint's columns are not created: such duplicates are not compared.

MySQL / MariaDB (dialect ``"mysql"``)
    Integer display widths are not kept, BOOL is ``TINYINT(1)``, ``NUMERIC`` is
    ``DECIMAL(10, 0)``, ``REAL`` and ``FLOAT(25..53)`` are ``DOUBLE``, ``TEXT(n)`` and
    ``BLOB(n)`` are the smallest TEXT/BLOB type that holds n characters (4 bytes each, as in
    utf8mb4) or bytes, ``JSON`` is ``LONGTEXT`` (MariaDB adds a ``json_valid`` CHECK that is
    not reported), ``CHAR(32)`` and ``UUID`` are one type (the generic Uuid is one or the
    other by server), ``DateTime(timezone=True)`` is ``DATETIME``. The primary key is always
    named ``PRIMARY`` (not compared). A unique constraint is a unique index (both become
    unique indexes); the index the server adds for a foreign key is not a user index. Index
    sort order, deferrable and MATCH are not kept; ``RESTRICT`` is the default action.
    Identity columns are not kept (AUTO_INCREMENT is autoincrement). Which column is
    AUTO_INCREMENT is compared: the one SQLAlchemy's rules pick from the ``autoincrement``
    flags (``alter_column(..., autoincrement=False)`` changes the flag). The table's
    character set and collation are compared where both sides hold them; ``utf8`` is
    ``utf8mb3``. A computed column is
    VIRTUAL unless persisted. Expression indexes exist on MySQL 8 only. In conditions, TRUE
    and FALSE are 1 and 0, and ``flag`` is ``flag <> 0`` (the server writes it so). Foreign
    keys are read from information_schema (SQLAlchemy's reading of SHOW CREATE TABLE loses
    those whose column names hold a parenthesis).

SQLite
    Types are compared by SQLite's own reading of the declared type name (its affinity
    rules, as SQLAlchemy applies them when reflecting): ``DOUBLE PRECISION`` is ``REAL``.
    Comments are not kept. Unique constraints cannot be deferrable; MATCH is not kept.
    Identity columns are not kept. Names of primary keys and unique constraints are kept
    when the table was created with ``CONSTRAINT name``; unique constraints on the same
    columns are one index (the first declared counts). Unique constraints, expression
    indexes, partial-index conditions and index sort order are read from the SQL SQLite
    keeps (SQLAlchemy skips expression indexes and misreads quoted names with parentheses).
    AUTOINCREMENT on the primary key (``sqlite_autoincrement=True``, read from the table's SQL)
    is compared; such a key is written in its column, without a name.
"""


from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

from ops import LedgerError, SchemaState
from ops.specs import (
    CheckSpec,
    ColumnSpec,
    ComputedSpec,
    DefaultSpec,
    ForeignKeySpec,
    IndexElement,
    IndexSpec,
    PARTITION_OPTIONS,
    PrimaryKeySpec,
    TableSpec,
    TypeSpec,
    UniqueSpec,
)

from ledger import dialects
from ledger.dialects.base import UnsupportedDialectError
from ledger.support.gcpause import collection_paused
from ledger.support.memo import remembered
from ledger.schema.differences import table_differences
from ledger.schema.implied import implied_checks, matched_implied
from ledger.schema.sqltext import canonical_default, canonical_sql, canonical_type
from ledger.support.lazyre import lazy
from ops import classes as oc

__all__ = ["DDL_TYPE", "UnsupportedDialectError", "compare", "normalize", "type_ddl", "without_type_checks"]

#: The TypeSpec name of a normalized type; its one argument is the canonical DDL type.
DDL_TYPE = "ddl"


def _dialect(name: str) -> str:
    """The database's name for ``name`` (a flavour or backend name too)."""
    try:
        return dialects.database(name).name
    except UnsupportedDialectError:
        raise UnsupportedDialectError(
            f"cannot compare schemas for dialect {name!r}: use {', '.join(dialects.names())}"
        ) from None


def _db(d: str) -> dialects.Database:
    return dialects.DATABASES[d]


def upper_or_none(value: Any) -> str | None:
    return value.upper() if isinstance(value, str) else value


# =============================================================================================
# normalize
# =============================================================================================


@collection_paused
def normalize(state: SchemaState, dialect: str, *, held_names: bool = True) -> SchemaState:
    """What the dialect keeps of `state`: the form in which a fold and a reflection can be compared.
    dialect: a database's name (``dialects.choices()``; MariaDB is "mysql"). ``held_names``: a
    constraint the database keeps unnamed has no name (else the fold's name for it, so that each
    item keeps its place among the others)."""
    d = _dialect(dialect)
    tables = [_normalized_table(table, d, held_names) for table in state.tables.values()]
    return SchemaState({t.key: t for t in tables})


#: (id of a table, dialect) -> (that table, its normalized form): the states compared one after the
#: other (a fold revision by revision, the hook's reflect-and-diff after each SQL statement) share
#: the TableSpec objects of the tables that did not change, which are normalized once
_NORMALIZED: dict[tuple[int, str, bool], tuple[TableSpec, TableSpec]] = {}


def _normalized_table(table: TableSpec, d: str, held_names: bool = True) -> TableSpec:
    key = (id(table), d, held_names)
    hit = _NORMALIZED.get(key)
    if hit is not None and hit[0] is table:
        return hit[1]
    found = _normalize_table(table if held_names else _all_named(table), d)
    if len(_NORMALIZED) >= 16384:
        _NORMALIZED.clear()
    _NORMALIZED[key] = (table, found)
    return found


def _all_named(table: TableSpec) -> TableSpec:
    """``table`` with no constraint marked unnamed."""
    if not any(c.unnamed for c in table.constraints):
        return table

    def named(items: Iterable[Any]) -> tuple[Any, ...]:
        return tuple(oc.evolve(i, unnamed=False) for i in items)

    pk = table.primary_key
    return oc.evolve(table, primary_key=oc.evolve(pk, unnamed=False) if pk is not None else None,
                        foreign_keys=named(table.foreign_keys), uniques=named(table.uniques), checks=named(table.checks))


def _name(name: str, d: str) -> str:
    return _db(d).stored_name(name)


def _opt_name(name: str | None, d: str) -> str | None:
    return None if name is None else _name(name, d)


def _held_name(item: Any, d: str) -> str | None:
    """The name the database holds for constraint ``item``: none for one it keeps unnamed."""
    return None if item.unnamed and _db(d).keeps_unnamed_constraints else _opt_name(item.name, d)


def _names(names: Iterable[str], d: str) -> tuple[str, ...]:
    return tuple(_name(n, d) for n in names)


def _normalize_table(table: TableSpec, d: str) -> TableSpec:
    db = _db(d)
    columns = _normalized_columns(table, d)
    if db.reports_autoincrement:
        # the one column the database auto-increments (MySQL/MariaDB's AUTO_INCREMENT), as
        # SQLAlchemy's rules pick it from the flags: True there, False elsewhere (a table
        # normalized already keeps its flags)
        if all(c.type.name == DDL_TYPE for c in table.columns):
            flags = [c.autoincrement for c in table.columns]
        else:
            auto = auto_incremented_column(table)
            flags = [c.name == auto for c in table.columns]
        columns = tuple(oc.evolve(n, autoincrement=f) for f, n in zip(flags, columns))
    primary_key = None
    if table.primary_key is not None:
        # SQLite writes an AUTOINCREMENT key in its column, where it takes no constraint name
        inline = table.primary_key.autoincrement and db.keeps_autoincrement_keyword
        primary_key = PrimaryKeySpec(_held_name(table.primary_key, d) if db.names_primary_keys and not inline else None,
                                     _names(table.primary_key.columns, d), autoincrement=inline)
    uniques = [_normalize_unique(u, d) for u in table.uniques]
    if db.merges_duplicate_uniques:
        # In one CREATE TABLE, PostgreSQL makes one constraint of a primary key and the unique
        # constraints on the same columns (the first declared keeps its name): the others are not
        # there. Whether they are when added later, they add nothing. (SQLite keeps each in the
        # table's SQL, where reflection reads them: a batch rebuild that loses one is seen.)
        seen = {primary_key.columns} if primary_key is not None and db.primary_key_serves_as_unique else set()
        kept = []
        for unique in uniques:
            if unique.columns not in seen:
                seen.add(unique.columns)
                kept.append(unique)
        uniques = kept
    # An index declared with a foreign key's name and columns is held as the index InnoDB makes
    # for that key, which reflection leaves out: neither side has it (nova's fixed_ips).
    indexes = [_normalized_index(i, table, d) for i in table.indexes
               if not db.foreign_key_index(i, table.foreign_keys)]
    if db.uniques_are_indexes:
        indexes += [IndexSpec(u.name, tuple(IndexElement(c) for c in u.columns), unique=True) for u in uniques]
        uniques = []
    checks = tuple(CheckSpec(_held_name(c, d), canonical_sql(c.sqltext, dialect=d)) for c in table.checks)
    return TableSpec(
        name=_name(table.name, d),
        schema=table.schema,
        columns=columns,
        primary_key=primary_key,
        foreign_keys=tuple(_normalize_foreign_key(fk, table, d) for fk in table.foreign_keys),
        uniques=tuple(uniques),
        checks=checks,
        indexes=tuple(indexes),
        comment=(table.comment or None) if db.keeps_comments else None,
    )


# -- columns -------------------------------------------------------------------------------------


#: (id of a table's columns, dialect) -> (those columns, its key's columns, them normalized): a table
#: read back keeps the fold's very columns where they could not change (an index, a key)
_COLUMNS: dict[tuple[int, str], tuple[tuple[ColumnSpec, ...], tuple[str, ...], tuple[ColumnSpec, ...]]] = {}


def _normalized_columns(table: TableSpec, d: str) -> tuple[ColumnSpec, ...]:
    columns, key = table.columns, table.primary_key.columns if table.primary_key else ()
    hit = _COLUMNS.get((id(columns), d))
    if hit is not None and hit[0] is columns and hit[1] == key:
        return hit[2]
    in_key = set(key)
    found = tuple(normalize_column(c, c.name in in_key, d) for c in columns)
    if len(_COLUMNS) >= 4096:
        _COLUMNS.clear()
    if not any(c.type.args[0].startswith("?") for c in found):  # as normalize_column: not registered yet
        _COLUMNS[(id(columns), d)] = (columns, key, found)
    return found


@remembered(4096)
def auto_incremented_column(table: TableSpec) -> str | None:
    """The column of ``table`` a database that auto-increments one column (MySQL's AUTO_INCREMENT,
    PostgreSQL's SERIAL) makes so: SQLAlchemy's ``autoincrement`` rules; None: none."""
    if table.primary_key is None:
        return None
    try:
        column = table.to_table(with_indexes=False)._autoincrement_column
    except (LedgerError, sa.exc.ArgumentError):
        return None
    return None if column is None else str(column.name)


# Tables repeat their columns (``id``, ``name``, ``created_at``) and both sides of a comparison
# hold each one; a column of a type not registered yet is worked out again.
@remembered(8192, keep=lambda column: not column.type.args[0].startswith("?"))
def normalize_column(column: ColumnSpec, in_primary_key: bool, d: str) -> ColumnSpec:
    type_text = type_ddl(column.type, d)
    db = _db(d)
    return ColumnSpec(
        name=_name(column.name, d),
        type=TypeSpec(DDL_TYPE, (type_text,)),
        nullable=column.nullable and not in_primary_key,
        server_default=_normalize_default(column, d),
        comment=(column.comment or None) if db.keeps_comments else None,
        autoincrement="auto",
        identity=None if column.identity is None else db.stored_identity(column.identity, type_text),
        computed=None if column.computed is None else ComputedSpec(
            canonical_sql(column.computed.sqltext),
            column.computed.persisted if column.computed.persisted is not None else db.stores_computed_columns,
        ),
    )


def _normalize_default(column: ColumnSpec, d: str) -> DefaultSpec | None:
    spec = column.server_default
    if spec is None:
        return None
    if spec.kind == "literal":
        text = "'" + spec.value.replace("'", "''") + "'"
    elif spec.kind == "func":
        try:
            text = str(getattr(sa.func, spec.value)().compile(dialect=_db(d).type_compiler))
        except Exception:  # noqa: BLE001 - a name the dialect cannot compile stays as written
            text = f"{spec.value}()"
    else:
        text = spec.value
    if _db(d).sequence_default(text):
        return None  # a SERIAL's sequence, or one the column was tied to: not a declared default
    canonical = canonical_default(text, booleans_as_numbers=_db(d).booleans_are_numbers)
    return None if canonical is None else DefaultSpec("text", canonical)


# -- types ---------------------------------------------------------------------------------------


def type_ddl(spec: TypeSpec, dialect: str) -> str:
    """The canonical DDL type of ``spec`` on ``dialect``, after the server's own rewrites."""
    d = _dialect(dialect)
    if spec.name == DDL_TYPE and spec.args:
        return str(spec.args[0])
    return _compiled_type(spec, d) or f"?{spec.render()}"


# Compiling a type is most of what normalizing a column costs, and a schema has few types. A
# registered name never changes its class, so only a type not registered yet is tried again.
@remembered(4096, keep=lambda text: text is not None)
def _compiled_type(spec: TypeSpec, d: str) -> str | None:
    try:
        type_ = spec.to_sa()
    except LedgerError:
        return None
    return canonical_type(type_, d)


# -- constraints and indexes -------------------------------------------------------------------


def _action(value: str | None, d: str) -> str | None:
    value = upper_or_none(value)
    if value == "NO ACTION" or (value == "RESTRICT" and _db(d).restrict_is_no_action):
        return None
    return value


def _deferral(deferrable: bool | None, initially: str | None, *, kept: bool) -> tuple[bool | None, str | None]:
    if not kept:
        return None, None
    initially = upper_or_none(initially)
    if initially == "DEFERRED":
        return True, "DEFERRED"  # INITIALLY DEFERRED makes a constraint deferrable
    return (True if deferrable else None), None


def _normalize_foreign_key(fk: ForeignKeySpec, table: TableSpec, d: str) -> ForeignKeySpec:
    db = _db(d)
    deferrable, initially = _deferral(fk.deferrable, fk.initially, kept=db.keeps_foreign_key_deferral)
    match = upper_or_none(fk.match) if db.keeps_foreign_key_match else None
    return ForeignKeySpec(
        name=_held_name(fk, d),
        columns=_names(fk.columns, d),
        referent_table=_name(fk.referent_table, d),
        referent_columns=_names(fk.referent_columns, d),
        referent_schema=None if fk.referent_schema == table.schema else fk.referent_schema,
        ondelete=_action(fk.ondelete, d),
        onupdate=_action(fk.onupdate, d),
        deferrable=deferrable,
        initially=initially,
        match=None if match == "SIMPLE" else match,
    )


def _normalize_unique(unique: UniqueSpec, d: str) -> UniqueSpec:
    deferrable, initially = _deferral(unique.deferrable, unique.initially, kept=_db(d).keeps_unique_deferral)
    return UniqueSpec(_held_name(unique, d), _names(unique.columns, d), deferrable, initially)


#: a sort order at the end of an operator-class option's value
_ORDER_IN_OPS = lazy(r"^(.*?)\s*\b((?:asc|desc)(?:\s+nulls\s+(?:first|last))?|nulls\s+(?:first|last))\s*$",
                           re.IGNORECASE)


def _ordering_from_ops(index: IndexSpec, d: str) -> IndexSpec:
    """``postgresql_ops={"id": "DESC"}``: SQLAlchemy writes an operator class after the column's name,
    so a sort order given there is the column's sort order, which the database keeps (and reports) as
    the element ``id DESC``; what is left of the value is the operator class."""
    prefixes = _db(d).index_option_prefixes
    orders: dict[str, str] = {}
    options = []
    for key, value in index.dialect_options:
        if key.split("_", 1)[0] in prefixes and key.endswith("_ops") and isinstance(value, tuple):
            kept = []
            for pair in value:
                found = (_ORDER_IN_OPS.match(str(pair[1]))
                         if isinstance(pair, tuple) and len(pair) == 2 else None)
                if found is None:
                    kept.append(pair)
                    continue
                orders[str(pair[0])] = found.group(2)
                if found.group(1):
                    kept.append((pair[0], found.group(1)))
            value = tuple(kept)
        options.append((key, value))
    if not orders:
        return index
    elements = tuple(
        IndexElement(f'"{e.value.replace(chr(34), chr(34) * 2)}" {orders[e.value]}', expression=True)
        if not e.expression and e.value in orders else e for e in index.elements)
    return oc.evolve(index, elements=elements, dialect_options=tuple(options))


#: (id of a table's columns, dialect) -> (those columns, the columns by folded name, {(index, table
#: name): the index normalized}): what normalizing an index reads of its table is its name and its
#: columns, and the tables read back after each SQL statement keep the fold's columns (the same
#: tuple) and most of its indexes (equal values), which are normalized once per table's columns
_INDEXES: dict[tuple[int, str], tuple[tuple[ColumnSpec, ...], dict[str, str], dict[Any, IndexSpec]]] = {}


def _normalized_index(index: IndexSpec, table: TableSpec, d: str) -> IndexSpec:
    columns = table.columns
    hit = _INDEXES.get((id(columns), d))
    if hit is None or hit[0] is not columns:
        if len(_INDEXES) >= 4096:
            _INDEXES.clear()
        hit = _INDEXES[(id(columns), d)] = (columns, {c.name.casefold(): c.name for c in columns}, {})
    key = (index, table.name)
    try:
        return hit[2][key]
    except KeyError:
        found = hit[2][key] = _normalize_index(index, table, d, hit[1])
        return found
    except TypeError:  # an option's value that cannot be hashed
        return _normalize_index(index, table, d, hit[1])


def _normalize_index(index: IndexSpec, table: TableSpec, d: str, by_folded: Mapping[str, str]) -> IndexSpec:
    """``index`` of ``table`` as the database keeps it (``by_folded``: the table's column names by their casefold)."""
    index = _ordering_from_ops(index, d)
    elements = tuple(_normalize_element(e, by_folded, d, table.name) for e in index.elements)
    options: dict[str, Any] = {}
    db = _db(d)
    for key, value in index.dialect_options:
        prefix = key.split("_", 1)[0]
        if prefix not in db.index_option_prefixes:
            continue
        key = f"{db.index_option_prefixes[0]}_{key.split('_', 1)[1]}"
        value = _index_option(key, value, elements, d)
        if key.endswith("_length") and isinstance(value, tuple):
            # a prefix as long as its column is the whole column: the database keeps none (MySQL, MariaDB)
            sizes = {c.name: c.type.bounded_length for c in table.columns}
            value = tuple((c, n) for c, n in value if (sizes.get(c) or n + 1) > n)
        if key.endswith("_where") and isinstance(value, str):
            value = _unqualified(value, table.name, d)
        if value not in (None, False, (), ""):
            options[key] = value
    if db.index_operator_classes:
        elements, options = _operator_classes_of_elements(elements, options, by_folded, d)
    return IndexSpec(_opt_name(index.name, d), elements, bool(index.unique), tuple(sorted(options.items())))


#: an element that is a column with an operator class after it and maybe a sort order
#: (``prefix inet_ops``, ``name text_pattern_ops desc``), as canonical SQL writes it
_COLUMN_WITH_OPCLASS = lazy(r'^([^\W\d]\w*|"(?:[^"]|"")+")\s+((?:[^\W\d]\w*\.)?[^\W\d]\w*)'
                            r"((?:\s+(?:asc|desc))?(?:\s+nulls\s+(?:first|last))?)$")


def _operator_classes_of_elements(elements: tuple[IndexElement, ...], options: dict[str, Any],
                                  columns: Mapping[str, str], d: str) -> tuple[tuple[IndexElement, ...], dict[str, Any]]:
    """An element written as a column with its operator class (``sa.text("prefix inet_ops")``) is what
    the database keeps and reports: the column, its operator class an ``<prefix>_ops`` option."""
    key = f"{_db(d).index_option_prefixes[0]}_ops"
    ops = dict(options.get(key, ()))
    kept = []
    for element in elements:
        found = _COLUMN_WITH_OPCLASS.match(element.value) if element.expression else None
        column = found and columns.get(found.group(1).strip('"').replace('""', '"').casefold())
        if not found or not column or found.group(2) in ("asc", "desc", "nulls", "collate"):
            kept.append(element)
            continue
        ops[column] = found.group(2)
        order = found.group(3).strip()
        kept.append(IndexElement(f"{found.group(1)} {order}", expression=True) if order
                    else IndexElement(_name(column, d)))
    if ops:
        options[key] = tuple(sorted(ops.items()))
    return tuple(kept), options


def _normalize_element(element: IndexElement, columns: Mapping[str, str], d: str, table: str) -> IndexElement:
    if not element.expression:
        return IndexElement(_name(element.value, d))
    text = _unqualified(canonical_sql(element.value), table, d)
    # The default sort order is no sort order.
    text = _db(d).stored_index_expression(re.sub(r" asc$", "", text))
    word = re.fullmatch(r'[^\W\d]\w*|"(?:[^"]|"")*"', text)
    if word and text.strip('"').replace('""', '"') in columns:
        return IndexElement(_name(columns[text.strip('"').replace('""', '"')], d))
    return IndexElement(text, expression=True)


def _unqualified(predicate: str, table: str, d: str) -> str:
    """An index's expression or partial predicate without its own table's name before the columns:
    it can name no other table, and PostgreSQL stores ``"user".state = 'active'`` as ``state = 'active'``."""
    name = canonical_sql('"' + table.replace('"', '""') + '"', dialect=d)
    return re.sub(rf'(?<![\w".]){re.escape(name)}\.(?=[\w"])', "", predicate)


def _index_option(key: str, value: Any, elements: tuple[IndexElement, ...], d: str) -> Any:
    option = key.split("_", 1)[1]
    if option == "where":
        return canonical_sql(str(value), dialect=d)
    if option == "using":
        text = str(value).lower()
        return None if text == "btree" else text
    if option in ("concurrently", "nulls_not_distinct") and not value:
        return None
    if option == "concurrently":
        return None  # how the index was built, not what it is
    if option == "length":  # mysql_length: one length for every column, or per column
        columns = [e.value for e in elements if not e.expression]
        pairs = dict(value) if isinstance(value, tuple) else {c: value for c in columns}
        return tuple(sorted((str(c), int(n)) for c, n in pairs.items() if n is not None))
    if option in ("ops", "with"):
        pairs = dict(value) if isinstance(value, tuple) else {}
        return tuple(sorted((str(k), str(v).lower()) for k, v in pairs.items()))
    if option == "include":
        return tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if isinstance(value, str):
        return value.upper() if option in ("prefix",) else value
    return value


# =============================================================================================
# compare
# =============================================================================================


@collection_paused
def compare(expected: SchemaState, live: SchemaState, dialect: str) -> list[str]:
    """Human-readable differences after normalizing both (one line each, naming table/column/constraint);
    [] when they are equal for everything the tool models: tables, columns, types (compared per dialect),
    nullability, server defaults, primary keys, foreign keys, unique and check constraints, indexes,
    comments where the dialect keeps them."""
    d = _dialect(dialect)
    expected_n = normalize(expected, d)
    live_n = normalize(live, d)
    lines: list[str] = []
    keys = sorted(set(expected_n.tables) | set(live_n.tables), key=lambda k: (k[0] or "", k[1]))
    raw_tables = {(t.schema, _name(t.name, d)): t for t in expected.tables.values()}
    raw_live = {(t.schema, _name(t.name, d)): t for t in live.tables.values()}
    for key in keys:
        want, have = expected_n.tables.get(key), live_n.tables.get(key)
        where = _where(key)
        if have is None:
            lines.append(f"table {where}: expected, missing from the live database")
        elif want is None:
            lines.append(f"table {where}: in the live database, not expected")
        else:
            raw = raw_tables.get(key)
            implied = implied_checks(raw, d) if raw is not None else []
            have, missing = matched_implied(have, want, implied, d)
            if missing and raw_live.get(key) is not None:  # a fold on both sides: its types' own hold them
                held = {(text, column) for _, text, column in implied_checks(raw_live[key], d)}
                missing = [m for m in missing if (m[1], m[2]) not in held]
            # PostgreSQL adds a column only at the end: a column brought back by a rollback cannot
            # return to its place there, so column order is not a difference on PostgreSQL.
            lines.extend(table_differences(want, have, order=_db(d).keeps_column_order))
            lines.extend(f"table {where}: check {text} that column {column}'s type makes "
                         f"({name or 'no name of its own'}) expected, missing from the live database"
                         for name, text, column in missing)
            lines.extend(_option_differences(raw, raw_live.get(key), d))
    return lines


def stored_options(table: TableSpec, dialect: str) -> tuple[tuple[str, Any], ...]:
    """``table``'s options (:attr:`TableSpec.dialect_options`) as the database reports them."""
    return _db(_dialect(dialect)).stored_table_options(table.dialect_options)


def _option_differences(want: TableSpec | None, have: TableSpec | None, d: str) -> list[str]:
    """The table options (MySQL/MariaDB's character set and collation) that both sides hold and
    that differ: a table recorded before they were, or made where the database keeps none, has none.
    How a table is partitioned, or whose partition it is (:data:`~ops.specs.PARTITION_OPTIONS`), is
    compared whatever the other side holds: a plain table is not a partition."""
    if want is None or have is None:
        return []
    a, b = dict(stored_options(want, d)), dict(stored_options(have, d))
    keys = {*(a.keys() & b.keys() if a and b else ()), *(PARTITION_OPTIONS & (a.keys() | b.keys()))}
    return [f"table {want.fullname}: {key} expected {a.get(key)}, live {b.get(key)}"
            for key in sorted(keys) if a.get(key) != b.get(key)]


def _where(key: tuple[str | None, str]) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


def without_type_checks(live: SchemaState, expected: SchemaState, dialect: str) -> SchemaState:
    """``live`` without the CHECK constraints that ``expected``'s Boolean and Enum types create
    (``create_constraint=True``), unless ``expected`` has a check of that name: what
    :func:`compare` discounts, for a caller that goes on from the states themselves."""
    d = _dialect(dialect)
    tables = dict(live.tables)
    for key, table in live.tables.items():
        want = expected.tables.get(key)
        if want is not None:
            tables[key] = matched_implied(table, want, implied_checks(want, d), d)[0]
    return SchemaState(tables)
