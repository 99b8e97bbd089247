"""The live schema as a SchemaState (docs/design.md, contract point 8: live equals fold).

:func:`reflect` reads a database with SQLAlchemy's multi-table inspector (one pass of
``Inspector.get_multi_*`` calls), and reads from the catalog itself what the inspector does not
report or misreads (listed in :mod:`ledger.schema.comparison`, with what each database keeps).
:func:`compare` and :func:`normalize` live in :mod:`ledger.schema.comparison` and are importable
from here too.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from ops import SchemaState
from ops.base import UnknownTypeError
from ops.specs import (
    CheckSpec,
    ColumnSpec,
    ComputedSpec,
    DefaultSpec,
    ForeignKeySpec,
    IdentitySpec,
    IndexElement,
    IndexSpec,
    PrimaryKeySpec,
    TableSpec,
    TypeSpec,
    UniqueSpec,
)

from ledger import dialects
from ledger.schema.comparison import (
    auto_incremented_column,
    DDL_TYPE,
    UnsupportedDialectError,
    upper_or_none,
    compare,
    normalize,
    type_ddl,
    without_type_checks,
)
from ledger.support.gcpause import collection_paused
from ledger.support.memo import remembered
from ledger.support.quietwarn import silenced
from ops import classes as oc

__all__ = [
    "DDL_TYPE", "PARTS", "UnsupportedDialectError", "as_auto_incremented", "compare", "normalize", "reflect",
    "reflect_schemas", "type_ddl", "without_type_checks",
]


# =============================================================================================
# reflect
# =============================================================================================

#: the parts of a table :func:`reflect` reads
PARTS = frozenset({"columns", "keys", "indexes", "checks", "comments"})


@collection_paused
def reflect(
    conn: sa.Connection, *, schema: str | None = None, exclude: Collection[str] = ("schema_ledger",),
    only: Collection[str] | None = None, held: Mapping[str, TableSpec] | None = None,
    parts: Collection[str] = PARTS, tables: Sequence[str] | None = None, fast: bool = True,
    index: str | None = None, exact: bool = False,
) -> SchemaState:
    """The live schema as a SchemaState, using SQLAlchemy's multi-table inspector (Inspector.get_multi_*),
    one pass, no per-table round trips where the dialect allows; on PostgreSQL keys and
    foreign keys come from one catalog query of its own.

    ``only``: just these tables (names compared case-blind), those of them that exist: what a
    drill reads after a revision that touched them. ``exact``: ``only`` holds the tables' exact
    names (a table of another case is not asked for): where the database finds tables by name in
    its one read (``finds_named_tables``, PostgreSQL's) and ``fast``, they are read by
    them, with no list of every table read first.

    ``held`` and ``parts``: read only ``parts`` (of :data:`PARTS`) of the tables ``held`` names
    (by their exact names), and take the rest of each table from its spec there: what a
    statement that can change only those parts left. A table not there by that name is left out
    (where the database's reads refuse a missing table, SQLite's, every table is).
    ``keys`` is read with ``indexes`` where unique constraints are indexes, or foreign keys have
    them (MySQL).

    ``tables``: the names of the schema's tables as the caller read them just before (in the same
    transaction): not read again.

    ``fast``: tables named by ``only`` or ``held`` are read at once where the database allows it
    (``Database.read_tables``: SQLite's one query), alike; False reads them with the inspector.

    ``index``: with one table ``held`` and ``parts`` its indexes alone, the name (as written) of the
    one index a statement can have made (``CREATE INDEX``): only that index is read
    (PostgreSQL's ``read_index``), the table's other indexes and the rest taken from its spec there,
    where the database reads one index and holds it by that name, the spec nothing of that name;
    else the indexes are read as ``parts`` say."""
    database = dialects.database(conn.dialect.name)
    if index is not None and held is not None and len(held) == 1 and set(parts) == {"indexes"}:
        one = _one_index(conn, database, schema, next(iter(held.values())), index)
        if one is not None:
            return one
    inspector = sa.inspect(conn)
    if held is not None:
        every, names = list(held), list(held)
        parts = set(parts)
        if "keys" in parts and (database.uniques_are_indexes or database.indexes_foreign_keys):
            parts.add("indexes")
        if "indexes" in parts:
            parts.add("keys")  # SQLite's expression indexes are read with the keys
        if not parts & {"columns", "indexes", "checks"}:
            parts.add("checks")  # what says whether each table is there
        if "keys" in parts and database.keeps_dangling_foreign_keys:
            every = tables if tables is not None else inspector.get_table_names(schema=schema)  # which keys dangle
    elif only is not None and exact and tables is None and fast and getattr(database, "finds_named_tables", False):
        every, names = [], [n for n in dict.fromkeys(only) if n not in set(exclude)]
    else:
        every = tables if tables is not None else inspector.get_table_names(schema=schema)
        # SQLite's virtual tables and their modules' shadow tables (``hidden_tables``) are not the application's
        hidden = getattr(database, "hidden_tables", None)
        excluded = set(exclude) | (hidden(conn, schema) if hidden is not None else set())
        names = [n for n in every if n not in excluded]
        if only is not None:
            wanted = {n.casefold() for n in only}
            names = [n for n in names if n.casefold() in wanted]
    if not names:
        return SchemaState()
    kw: dict[str, Any] = {"schema": schema}
    if not database.reflects_every_table or only is not None or held is not None:
        kw["filter_names"] = names
    # A few tables named (a batch rebuild's read-back, a drill's revision): read at once where the
    # database allows it, as the inspector reads them (``fast=False``: by the inspector)
    # (with, where the database reads them there too, the columns' sequences and the tables' options)
    asked = {*parts, *(("owned",) if "columns" in parts else ()), *(("options",) if held is None else ())}
    read = (database.read_tables(conn, inspector, schema, names, asked)
            if fast and (only is not None or held is not None) else None)
    if read is not None:
        columns, indexes, checks, keys, comments = (part if wanted in parts else None for part, wanted in zip(
            read, ("columns", "indexes", "checks", "keys", "comments")))
        options = read[7] if len(read) > 7 and read[7] is not None else (
            database.table_options(conn, schema, names) if held is None else {})
        comments, missing = comments or {}, []
    else:
        columns, indexes, checks, keys, comments, options, missing = _inspected(
            conn, inspector, database, schema, names, parts, kw, subset=only is not None or held is not None,
            catch=held is not None)
    if missing:
        return SchemaState()
    quote = conn.dialect.identifier_preparer.quote
    owned: set[tuple[str, str]] = set()
    if columns is not None:
        # A SERIAL column's ``nextval('..._seq')`` is the sequence it owns, which replay makes again
        # (SERIAL, autoincrement): not a default to record, nor one a replay could run before it.
        drawing = {name for (_, name), cols in columns.items()
                   if any(c.get("default") is not None and database.sequence_default(str(c["default"])) for c in cols)}
        sequences = read[6] if read is not None and len(read) > 6 else None  # read with the tables
        owned = (set() if not drawing else database.owned_sequence_columns(conn, schema, sorted(drawing))
                 if sequences is None else {(table, column) for table, column in sequences if table in drawing})

    # what a partition holds because its partitioned table holds it (indexes, keys, CHECKs): that
    # table holds them, they come and go with it (read with the tables where the read gives them)
    inherited = read[5] if read is not None and len(read) > 5 else None
    implied = (inherited if inherited is not None else database.inherited_parts(conn, schema, names)) if any(
        part is not None for part in (indexes, keys, checks)) else set()
    tables = {}
    for name in names:
        key = (schema, name)
        base = held[name] if held is not None else None
        if any(read is not None and key not in read for read in (columns, indexes, checks)):
            continue  # dropped while we read (``held``: not there by that name)
        if keys is None:
            assert base is not None
            foreign_keys, table_uniques, primary_key = base.foreign_keys, list(base.uniques), base.primary_key
            index_sql: Mapping[tuple[str, str], str] = {}
        else:
            index_sql = keys.index_sql
            foreign_keys = tuple(_foreign_key(fk) for fk in keys.foreign_keys.get(key, ()))
            if database.keeps_dangling_foreign_keys:
                foreign_keys = tuple(fk for fk in foreign_keys if fk.referent_schema not in (None, schema)
                                     or fk.referent_table in every)
            table_uniques = [_unique(u, keys.deferrable.get((name, u["name"]))) for u in keys.uniques.get(key, ())
                             if (name, u["name"]) not in implied]
            if implied:
                foreign_keys = tuple(fk for fk in foreign_keys if (name, fk.name) not in implied)
            pk = keys.primary_keys.get(key) or {}
            if (name, pk.get("name")) in implied:
                pk = {}
            primary_key = (PrimaryKeySpec(pk.get("name"), tuple(pk["constrained_columns"]),
                                          autoincrement=bool(pk.get("autoincrement")))
                           if pk.get("constrained_columns") else None)
        if indexes is None:
            assert base is not None
            table_indexes = list(base.indexes)
        else:
            table_indexes = []
            reported = indexes.get(key, [])
            seen = {i["name"] for i in reported}
            # SQLAlchemy skips SQLite's expression indexes: they are read from their SQL alone.
            reported = reported + [
                {"name": index_name, "unique": bool(re.match(r"\s*CREATE\s+UNIQUE\b", sql, re.IGNORECASE))}
                for (table_name, index_name), sql in sorted(index_sql.items())
                if table_name == name and index_name not in seen
            ]
            for index in reported:
                if (name, index["name"]) in implied:
                    continue
                found = database.reflected_index(index, _index(index, quote, index_sql.get((name, index["name"]))),
                                                 foreign_keys)
                if isinstance(found, UniqueSpec):
                    table_uniques.append(found)
                elif found is not None:
                    table_indexes.append(found)
        if columns is None:
            assert base is not None
            table_columns = base.columns
        else:
            # A primary key's columns are NOT NULL: PostgreSQL and MySQL make them so; SQLite reports
            # the nullability declared for a column of a key that is not its rowid (a batch rebuild adding
            # a primary key over a nullable column), which the ledger models, as it compares, as NOT NULL.
            in_key = set(primary_key.columns) if primary_key is not None else set()
            table_columns = tuple(_column(c, serial=(name, c["name"]) in owned, in_key=c["name"] in in_key)
                                  for c in columns[key])
        table = TableSpec(
            name=name,
            schema=schema,
            columns=table_columns,
            primary_key=primary_key,
            foreign_keys=foreign_keys,
            uniques=tuple(table_uniques),
            checks=(base.checks if checks is None and base is not None else  # type: ignore[union-attr]
                    tuple(CheckSpec(_undoubled(c["name"], database.doubled_check_name_quote), str(c["sqltext"]))
                          for c in checks.get(key, ()) if (name, c["name"]) not in implied)),  # type: ignore[union-attr]
            indexes=tuple(table_indexes),
            comment=(base.comment if base is not None and "comments" not in parts
                     else (comments.get(key) or {}).get("text") or None),
            dialect_options=base.dialect_options if base is not None else options.get(name, ()),
        )
        if columns is not None and keys is not None and database.reports_autoincrement:
            # (with the primary key read too: what "auto" means depends on it)
            table = as_auto_incremented(table, {c["name"] for c in columns[key] if c.get("autoincrement") is True})
        tables[key] = table
    return SchemaState(tables)



def _one_index(conn: sa.Connection, database: Any, schema: str | None, base: TableSpec,
               written: str) -> SchemaState | None:
    """``base`` with the index ``written`` that the database holds on it added (``reflect``'s
    ``index``); None where that is not what it holds (see there)."""
    read = getattr(database, "read_index", None)  # (PostgreSQL's)
    found = read(conn, schema, base.name, written) if read is not None else None
    if found is None:
        return None
    spec = database.reflected_index(found, _index(found, conn.dialect.identifier_preparer.quote, None),
                                    base.foreign_keys)
    if not isinstance(spec, IndexSpec) or any(
            item.name is not None and item.name.casefold() == spec.name.casefold()
            for item in (*base.indexes, *base.constraints)):
        return None
    return SchemaState({(schema, base.name): oc.evolve(base, indexes=(*base.indexes, spec))})


def reflect_schemas(conn: sa.Connection, held: SchemaState | None, *,
                    exclude: Collection[str] = ("schema_ledger",), others: Collection[str] = (),
                    exclude_in: Callable[[str], Collection[str]] | None = None) -> SchemaState:
    """The live schema a whole-database comparison with ``held`` (a fold) reads: :func:`reflect` of
    the default schema, and of each other schema ``held`` has tables in (``op.create_table(...,
    schema="dbos")``) or ``others`` names, that the database holds, so that their tables are
    compared, not reported missing. ``exclude``: table names left out in every schema;
    ``exclude_in``: those left out in one other schema (its own Alembic version table)."""
    state = reflect(conn, exclude=exclude)
    named = {schema for schema, _ in held.tables if schema is not None} if held is not None else set()
    wanted = sorted(named | set(others))
    if not wanted:
        return state
    inspector = sa.inspect(conn)
    tables = dict(state.tables)
    for schema in wanted:
        if inspector.has_schema(schema):
            left_out = (*exclude, *(exclude_in(schema) if exclude_in is not None else ()))
            tables.update(reflect(conn, schema=schema, exclude=left_out).tables)
    return SchemaState(tables)


def _inspected(conn: sa.Connection, inspector: sa.Inspector, database: Any, schema: str | None,
               names: Sequence[str], parts: Collection[str], kw: dict[str, Any], *, subset: bool,
               catch: bool) -> tuple[Any, ...]:
    """:func:`reflect`'s reads through SQLAlchemy's inspector (and the database's own for keys)."""
    columns = indexes = checks = keys = None
    comments: Any = {}
    options: Any = {}
    # SQLite's expression indexes are read from their SQL (``ReflectedKeys.index_sql``); MySQL's
    # foreign keys from information_schema. (Not a catch_warnings block: changing the filters makes
    # Python show again every warning it showed, in the program that runs the hook.)
    with silenced("Skipped unsupported reflection of expression-based index",
                  r"Unknown schema content: '\s*CONSTRAINT .* FOREIGN KEY"), _missing_as_none(catch) as missing:
        columns = inspector.get_multi_columns(**kw) if "columns" in parts else None
        keys = (database.reflect_keys(conn, inspector, schema, names, subset=subset,
                                      kw=kw) if "keys" in parts else None)
        indexes = inspector.get_multi_indexes(**kw) if "indexes" in parts else None
        checks = inspector.get_multi_check_constraints(**kw) if "checks" in parts else None
        comments = (inspector.get_multi_table_comment(**kw) if conn.dialect.supports_comments and "comments" in parts
                    else {})
        options = database.table_options(conn, schema, names) if not catch else {}
    return columns, indexes, checks, keys, comments, options, missing


def as_auto_incremented(table: TableSpec, live: set[str]) -> TableSpec:
    """``table`` whose columns ``live`` the database auto-increments (MySQL/MariaDB's
    AUTO_INCREMENT), the others not: a column where ``autoincrement="auto"`` says otherwise (a key
    column drawing on a sequence, made without it; AUTO_INCREMENT on a composite key's second
    column) is marked as the database holds it, so a replay makes what the database has."""
    if not live and (table.primary_key is None or len(table.primary_key.columns) != 1):
        return table  # "auto" makes none either
    column = auto_incremented_column(table)
    would = {column} if column is not None else set()
    if would == live:
        return table
    return oc.evolve(table, columns=tuple(
        oc.evolve(c, autoincrement=c.name in live) if (c.name in live) != (c.name in would) else c
        for c in table.columns))


@contextlib.contextmanager
def _missing_as_none(catch: bool) -> Iterator[list[bool]]:
    """When ``catch``: a read that refuses a table that is not there (SQLite's) ends the block,
    and the yielded list then holds True."""
    missing: list[bool] = []
    try:
        yield missing
    except sa.exc.NoSuchTableError:
        if not catch:
            raise
        missing.append(True)


def _undoubled(name: str | None, quote: str | None) -> str | None:
    """``name`` with the doubled ``quote`` of its quoted SQL form made single again."""
    if name is None or quote is None:
        return name
    return name.replace(quote * 2, quote)


def _type_spec(type_: sa.types.TypeEngine[Any]) -> TypeSpec:
    try:
        return _from_sa(type_)
    except UnknownTypeError:
        # A type SQLAlchemy did not recognise (NullType) or that is not allow-listed: it is
        # kept by name, and compares unequal to any declared type.
        return TypeSpec(type(type_).__name__)


def _type_key(type_: sa.types.TypeEngine[Any]) -> tuple[Any, ...] | None:
    """The type's class and attributes when they say all there is to it; None when an
    attribute is not a plain value (an item type, a list of values, an expression)."""
    attributes = vars(type_)
    if not all(type(v) in _PLAIN or isinstance(v, type) for v in attributes.values()):
        return None
    return (type(type_), *sorted(attributes.items()))


_PLAIN = (str, int, float, bool, type(None))

#: A schema repeats few types over many columns, and ``TypeSpec.from_sa`` inspects the type's
#: signature each time: reflected types of one class with the same plain attributes are one.
_from_sa = remembered(4096, key=_type_key)(TypeSpec.from_sa)


def _column(info: Mapping[str, Any], *, serial: bool = False, in_key: bool = False) -> ColumnSpec:
    default = None if serial else info.get("default")
    identity = info.get("identity")
    computed = info.get("computed")
    return ColumnSpec(
        name=info["name"],
        type=_type_spec(info["type"]),
        nullable=bool(info["nullable"]) and not in_key,
        server_default=None if default is None else DefaultSpec("text", str(default)),
        comment=info.get("comment") or None,
        identity=None if not identity else IdentitySpec(
            always=bool(identity.get("always")), on_null=identity.get("on_null"),
            start=identity.get("start"), increment=identity.get("increment"),
            minvalue=identity.get("minvalue"), maxvalue=identity.get("maxvalue"),
            cycle=identity.get("cycle"), cache=identity.get("cache"),
        ),
        computed=None if not computed else ComputedSpec(str(computed["sqltext"]), computed.get("persisted")),
    )


def _foreign_key(fk: Mapping[str, Any]) -> ForeignKeySpec:
    options = fk.get("options") or {}
    return ForeignKeySpec(
        name=fk.get("name"),
        columns=tuple(fk["constrained_columns"]),
        referent_table=fk["referred_table"],
        referent_columns=tuple(fk["referred_columns"]),
        referent_schema=fk.get("referred_schema"),
        ondelete=upper_or_none(options.get("ondelete")),
        onupdate=upper_or_none(options.get("onupdate")),
        deferrable=options.get("deferrable"),
        initially=upper_or_none(options.get("initially")),
        match=upper_or_none(options.get("match")),
    )


def _unique(unique: Mapping[str, Any], deferred: bool | None) -> UniqueSpec:
    return UniqueSpec(
        unique.get("name"), tuple(unique["column_names"]),
        deferrable=True if deferred is not None else None,
        initially="DEFERRED" if deferred else None,
    )


def _index(index: Mapping[str, Any], quote: Callable[[str], str], sql: str | None) -> IndexSpec:
    options = {
        key: _plain_option(value)
        for key, value in (index.get("dialect_options") or {}).items()
        if value not in (None, [], {}, ())
    }
    parsed = None
    if sql:
        from ledger.dialects.sqlite_sql import split_index_sql  # SQLite's statement parser

        parsed = split_index_sql(sql)
    if parsed is not None:  # SQLite: the index as written, with expressions and sort order
        texts, where = parsed
        elements = tuple(_element_from_sql(t) for t in texts)
        if where:
            options["sqlite_where"] = where
    else:
        columns = index.get("column_names") or []
        expressions = index.get("expressions") or columns
        sorting = index.get("column_sorting") or {}
        items = []
        for column, expression in zip(columns, expressions):
            text = column if column is not None else expression
            flags = sorting.get(text, ())
            if column is not None and not flags:
                items.append(IndexElement(column))
            else:
                base = quote(column) if column is not None else expression
                words = " ".join(f.replace("_", " ").upper() for f in flags)
                items.append(IndexElement(f"{base} {words}".strip(), expression=True))
        elements = tuple(items)
    return IndexSpec(index.get("name"), elements, bool(index.get("unique")), tuple(sorted(options.items())))


def _element_from_sql(text: str) -> IndexElement:
    for quote in ('"', "`"):
        if len(text) > 1 and text[0] == quote and text[-1] == quote and quote not in text[1:-1].replace(quote * 2, ""):
            return IndexElement(text[1:-1].replace(quote * 2, quote))
    if re.fullmatch(r"[^\W\d][\w$]*", text):  # a bare name (SQLite, as SQLAlchemy writes one: ``d$``)
        return IndexElement(text)
    return IndexElement(text, expression=True)


def _plain_option(value: Any) -> Any:
    if isinstance(value, sa.sql.ClauseElement):
        return str(getattr(value, "text", None) or value.compile(compile_kwargs={"literal_binds": True}))
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _plain_option(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_plain_option(v) for v in value)
    return value


