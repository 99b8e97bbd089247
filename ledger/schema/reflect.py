"""The live schema as a SchemaState (docs/design.md, contract point 8: live equals fold).

:func:`reflect` reads a database with SQLAlchemy's multi-table inspector (one pass of
``Inspector.get_multi_*`` calls), and reads from the catalog itself what the inspector does not
report or misreads (listed in :mod:`ledger.schema.comparison`, with what each database keeps).
:func:`compare` and :func:`normalize` live in :mod:`ledger.schema.comparison` and are importable
from here too.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import attrs
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

from ledger.schema.comparison import (
    DDL_TYPE,
    UnsupportedDialectError,
    _dialect,
    _upper,
    compare,
    normalize,
    type_ddl,
    without_type_checks,
)
from ledger.schema.comparison import _implied_checks as _implied_checks  # audit imports these two from here
from ledger.schema.comparison import _without_implied as _without_implied
from ledger.support.gcpause import collection_paused
from ledger.support.memo import remembered
from ledger.schema.sqltext import split_index_sql, sqlite_foreign_keys, sqlite_unique_constraints

__all__ = [
    "DDL_TYPE", "UnsupportedDialectError", "compare", "normalize", "reflect", "type_ddl", "without_type_checks",
]


# =============================================================================================
# reflect
# =============================================================================================


@collection_paused
def reflect(
    conn: sa.Connection, *, schema: str | None = None, exclude: Collection[str] = ("schema_ledger",),
    only: Collection[str] | None = None,
) -> SchemaState:
    """The live schema as a SchemaState, using SQLAlchemy's multi-table inspector (Inspector.get_multi_*),
    one pass, no per-table round trips where the dialect allows; on PostgreSQL keys and
    foreign keys come from one catalog query of its own.

    ``only``: just these tables (names compared case-blind), those of them that exist: what a
    drill reads after a revision that touched them."""
    dialect = _dialect(conn.dialect.name)
    inspector = sa.inspect(conn)
    every = inspector.get_table_names(schema=schema)
    names = [n for n in every if n not in set(exclude)]
    if only is not None:
        wanted = {n.casefold() for n in only}
        names = [n for n in names if n.casefold() in wanted]
    if not names:
        return SchemaState()
    kw: dict[str, Any] = {"schema": schema}
    if dialect != "postgresql" or only is not None:
        # PostgreSQL's catalog queries read every table at once: there, naming 1,000 tables
        # costs more (1,000 bound parameters per query, each parsed by the driver) than
        # reading the few left out, which the loop below passes over.
        kw["filter_names"] = names
    with warnings.catch_warnings():
        # SQLite's expression indexes are read from their SQL below.
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        # MySQL's foreign keys are read from information_schema below.
        warnings.filterwarnings("ignore", message=r"Unknown schema content: '\s*CONSTRAINT .* FOREIGN KEY")
        columns = inspector.get_multi_columns(**kw)
        deferrable: dict[tuple[str, str], bool] = {}
        if dialect == "postgresql":
            # Primary keys, unique constraints and foreign keys in one catalog query.
            pks, uniques, fks, deferrable = _pg_keys(conn, schema, names if only is not None else None)
        else:
            pks = inspector.get_multi_pk_constraint(**kw)
            # SQLite's foreign keys are read from PRAGMA foreign_key_list and the table SQL below.
            fks = inspector.get_multi_foreign_keys(**kw) if dialect != "sqlite" else {}
            # MySQL's unique constraints are its unique indexes, read from there.
            # SQLite's are read from the table SQL below (the inspector only where that fails).
            uniques = inspector.get_multi_unique_constraints(**kw) if dialect not in ("mysql", "sqlite") else {}
        indexes = inspector.get_multi_indexes(**kw)
        checks = inspector.get_multi_check_constraints(**kw)
        comments = inspector.get_multi_table_comment(**kw) if conn.dialect.supports_comments else {}
    if dialect == "mysql":
        fks = _mysql_foreign_keys(conn, schema, fks)
    table_sql, index_sql = _sqlite_sql(conn, schema) if dialect == "sqlite" else ({}, {})
    if dialect == "sqlite":
        fks = _sqlite_foreign_keys(conn, schema, table_sql, pks, names if only is not None else None)
    quote = conn.dialect.identifier_preparer.quote

    tables = {}
    for name in names:
        key = (schema, name)
        if key not in columns:
            continue  # dropped while we read
        foreign_keys = tuple(_foreign_key(fk) for fk in fks.get(key, ()))
        if dialect == "sqlite":
            # SQLite keeps a foreign key to a table that does not exist (yet); it checks nothing
            # until that table is there, and a ledger cannot hold it: it is left out.
            foreign_keys = tuple(fk for fk in foreign_keys if fk.referent_schema not in (None, schema)
                                 or fk.referent_table in every)
        parsed = sqlite_unique_constraints(table_sql[name]) if name in table_sql else None
        if dialect == "sqlite" and parsed is None:
            uniques[key] = inspector.get_unique_constraints(name, schema=schema)
        table_uniques = [_unique(u, deferrable.get((name, u["name"]))) for u in uniques.get(key, ())]
        if parsed is not None:
            # SQLAlchemy's reading of SQLite's UNIQUE clauses stops at a ")" inside a quoted name.
            table_uniques = [UniqueSpec(unique_name, columns) for unique_name, columns in parsed]
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
            if dialect == "postgresql" and index.get("duplicates_constraint"):
                continue  # the index behind a unique constraint
            spec = _index(index, quote, index_sql.get((name, index["name"])))
            if dialect == "mysql" and spec.name and "``" in spec.name:
                spec = attrs.evolve(spec, name=_undoubled(spec.name, "`"))
            if dialect == "mysql" and _is_foreign_key_index(spec, foreign_keys):
                continue
            if dialect == "mysql" and spec.unique and not spec.dialect_options \
                    and all(not e.expression for e in spec.elements):
                table_uniques.append(UniqueSpec(spec.name, spec.columns))
                continue
            table_indexes.append(spec)
        pk = pks.get(key) or {}
        tables[key] = TableSpec(
            name=name,
            schema=schema,
            columns=tuple(_column(c) for c in columns[key]),
            primary_key=(PrimaryKeySpec(pk.get("name"), tuple(pk["constrained_columns"]))
                         if pk.get("constrained_columns") else None),
            foreign_keys=foreign_keys,
            uniques=tuple(table_uniques),
            checks=tuple(CheckSpec(_undoubled(c["name"], _CHECK_QUOTE.get(dialect)), str(c["sqltext"]))
                         for c in checks.get(key, ())),
            indexes=tuple(table_indexes),
            comment=(comments.get(key) or {}).get("text") or None,
        )
    return SchemaState(tables)


#: The quote that SQLAlchemy leaves doubled in the CHECK names it parses from a table's SQL
_CHECK_QUOTE = {"sqlite": '"', "mysql": "`"}


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


def _column(info: Mapping[str, Any]) -> ColumnSpec:
    default = info.get("default")
    identity = info.get("identity")
    computed = info.get("computed")
    return ColumnSpec(
        name=info["name"],
        type=_type_spec(info["type"]),
        nullable=bool(info["nullable"]),
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
        ondelete=_upper(options.get("ondelete")),
        onupdate=_upper(options.get("onupdate")),
        deferrable=options.get("deferrable"),
        initially=_upper(options.get("initially")),
        match=_upper(options.get("match")),
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
    parsed = split_index_sql(sql) if sql else None
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
    if re.fullmatch(r"[^\W\d]\w*", text):
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


def _is_foreign_key_index(index: IndexSpec, foreign_keys: Iterable[ForeignKeySpec]) -> bool:
    """MariaDB/MySQL add an index, named after the foreign key, where no index covers its columns."""
    return not index.unique and any(
        fk.name == index.name and fk.columns == tuple(e.value for e in index.elements) for fk in foreign_keys
    )


_PG_ACTIONS = {"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}  # "a": NO ACTION
_PG_MATCH = {"f": "FULL", "p": "PARTIAL"}  # "s": SIMPLE, the default


def _pg_keys(conn: sa.Connection, schema: str | None, names: Sequence[str] | None = None) -> tuple[
    dict[Any, dict[str, Any]], dict[Any, list[dict[str, Any]]], dict[Any, list[dict[str, Any]]],
    dict[tuple[str, str], bool],
]:
    """PostgreSQL's primary keys, unique constraints and foreign keys from its catalog in one
    query, in the inspector's shapes; and (table, unique constraint) -> initially deferred, for
    deferrable ones, which the inspector does not report. The inspector takes three queries
    for these and reads a foreign key's columns by splitting its definition at commas, and so
    splits names that hold one: here they come from the catalog's column numbers."""
    rows = conn.execute(
        sa.text(
            "SELECT cl.relname, con.conname, con.contype, con.condeferrable, con.condeferred,"
            " ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(n, i)"
            "       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),"
            " ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(n, i)"
            "       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),"
            " ref.relname, ref_ns.nspname, con.contype = 'f' AND pg_catalog.pg_table_is_visible(con.confrelid),"
            " con.confupdtype, con.confdeltype, con.confmatchtype"
            " FROM pg_catalog.pg_constraint con"
            " JOIN pg_catalog.pg_class cl ON cl.oid = con.conrelid"
            " JOIN pg_catalog.pg_namespace ns ON ns.oid = cl.relnamespace"
            " LEFT JOIN pg_catalog.pg_class ref ON ref.oid = con.confrelid"
            " LEFT JOIN pg_catalog.pg_namespace ref_ns ON ref_ns.oid = ref.relnamespace"
            " WHERE con.contype IN ('p', 'u', 'f')"
            " AND ns.nspname = COALESCE(CAST(:schema AS TEXT), current_schema())"
            + (" AND cl.relname = ANY(:names)" if names is not None else "")
            + " ORDER BY cl.relname, con.conname"
        ),
        {"schema": schema, **({"names": list(names)} if names is not None else {})},
    )
    pks: dict[Any, dict[str, Any]] = {}
    uniques: dict[Any, list[dict[str, Any]]] = {}
    fks: dict[Any, list[dict[str, Any]]] = {}
    deferrable: dict[tuple[str, str], bool] = {}
    for (table, name, kind, is_deferrable, deferred, local, remote, ref_table, ref_schema, visible,
         on_update, on_delete, match) in rows:
        key = (schema, table)
        if kind == "p":
            pks[key] = {"name": name, "constrained_columns": list(local)}
        elif kind == "u":
            uniques.setdefault(key, []).append({"name": name, "column_names": list(local)})
            if is_deferrable:
                deferrable[(table, name)] = bool(deferred)
        else:
            # As the inspector reports it: the referent's schema when the search path does not
            # find the table by its name alone, or when it is the schema being reflected.
            fks.setdefault(key, []).append({
                "name": name, "constrained_columns": list(local), "referred_table": ref_table,
                "referred_columns": list(remote),
                "referred_schema": ref_schema if not visible or (schema is not None and schema == ref_schema) else None,
                "options": {
                    "onupdate": _PG_ACTIONS.get(on_update), "ondelete": _PG_ACTIONS.get(on_delete),
                    "deferrable": True if is_deferrable else None, "initially": "DEFERRED" if deferred else None,
                    "match": _PG_MATCH.get(match),
                },
            })
    return pks, uniques, fks, deferrable


def _mysql_foreign_keys(
    conn: sa.Connection, schema: str | None, reported: Mapping[Any, list[dict[str, Any]]]
) -> dict[Any, list[dict[str, Any]]]:
    """MySQL's foreign keys from information_schema, in one query: SQLAlchemy reads them from
    SHOW CREATE TABLE and loses those whose column names hold a parenthesis."""
    rows = conn.execute(
        sa.text(
            "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA,"
            " k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE,"
            " k.TABLE_SCHEMA"
            " FROM information_schema.KEY_COLUMN_USAGE k"
            " JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA"
            " AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME"
            " WHERE k.TABLE_SCHEMA = COALESCE(:schema, DATABASE()) AND k.REFERENCED_TABLE_NAME IS NOT NULL"
            " ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION"
        ),
        {"schema": schema},
    )
    found: dict[Any, dict[str, dict[str, Any]]] = {}
    for table, name, column, ref_schema, ref_table, ref_column, on_update, on_delete, own_schema in rows:
        fk = found.setdefault((schema, table), {}).setdefault(name, {
            "name": name, "constrained_columns": [], "referred_table": ref_table, "referred_columns": [],
            "referred_schema": None if ref_schema == own_schema else ref_schema,
            "options": {"onupdate": on_update, "ondelete": on_delete},
        })
        fk["constrained_columns"].append(column)
        fk["referred_columns"].append(ref_column)
    return {key: list(found.get(key, {}).values()) for key in reported}


def _sqlite_sql(conn: sa.Connection, schema: str | None) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """table -> CREATE TABLE, (table, index) -> CREATE INDEX: the SQL SQLite keeps, read where
    SQLAlchemy's reading falls short (expression indexes, sort order, names with parentheses)."""
    master = "sqlite_master" if schema is None else f"{conn.dialect.identifier_preparer.quote(schema)}.sqlite_master"
    rows = conn.exec_driver_sql(
        f"SELECT type, tbl_name, name, sql FROM {master} WHERE type IN ('table', 'index') AND sql IS NOT NULL"
    )
    tables: dict[str, str] = {}
    indexes: dict[tuple[str, str], str] = {}
    for kind, table, name, sql in rows:
        if kind == "table":
            tables[name] = sql
        else:
            indexes[(table, name)] = sql
    return tables, indexes


def _sqlite_foreign_keys(
    conn: sa.Connection, schema: str | None, table_sql: Mapping[str, str], pks: Mapping[Any, Any],
    names: Sequence[str] | None = None,
) -> dict[Any, list[dict[str, Any]]]:
    """SQLite's foreign keys, in one query: PRAGMA foreign_key_list gives columns, referent and
    actions; names and deferral come from the table SQL, matched by what they join, in the order
    written (SQLAlchemy's pattern for the SQL misses quoted names with quotes or parentheses,
    reserved words, non-ASCII names, and keys that join the same columns twice)."""
    prefix = "" if schema is None else f"{conn.dialect.identifier_preparer.quote(schema)}."
    query = sa.text(
        "SELECT m.name, p.id, p.\"table\", p.\"from\", p.\"to\", p.on_update, p.on_delete"
        f" FROM {prefix}sqlite_master m JOIN pragma_foreign_key_list(m.name, :schema) p"
        " WHERE m.type = 'table'" + (" AND m.name IN :names" if names is not None else "")
        + " ORDER BY m.name, p.id, p.seq"
    )
    params: dict[str, Any] = {"schema": schema or "main"}
    if names is not None:
        query = query.bindparams(sa.bindparam("names", expanding=True))
        params["names"] = list(names)
    rows = conn.execute(query, params)
    pragma: dict[str, dict[int, dict[str, Any]]] = {}
    for table, key_id, referent, local, remote, on_update, on_delete in rows:
        fk = pragma.setdefault(table, {}).setdefault(key_id, {
            "name": None, "constrained_columns": [], "referred_table": referent, "referred_columns": [],
            "referred_schema": schema, "options": {"onupdate": on_update, "ondelete": on_delete},
        })
        fk["constrained_columns"].append(local)
        if remote is not None:  # None: the clause names no columns, the referent's primary key
            fk["referred_columns"].append(remote)
    keys_by_folded = {name.casefold(): pk for (_, name), pk in pks.items()}
    found: dict[Any, list[dict[str, Any]]] = {}
    for table, by_id in pragma.items():
        written = sqlite_foreign_keys(table_sql[table]) if table in table_sql else None
        unclaimed = list(written or ())
        # SQLite numbers a table's foreign keys from the last written: the highest id is the first.
        keys = [by_id[k] for k in sorted(by_id, reverse=True)]
        for fk in keys:
            if not fk["referred_columns"]:
                pk = keys_by_folded.get(fk["referred_table"].casefold()) or {}
                fk["referred_columns"] = list(pk.get("constrained_columns") or ())
            for clause in unclaimed:
                if (clause.columns == tuple(fk["constrained_columns"])
                        and clause.referent_table.casefold() == fk["referred_table"].casefold()
                        and clause.referent_columns in ((), tuple(fk["referred_columns"]))):
                    unclaimed.remove(clause)
                    fk["name"] = clause.name
                    fk["options"].update(deferrable=clause.deferrable, initially=clause.initially)
                    break
        found[(schema, table)] = keys
    return found


