"""PostgreSQL: what the Alembic hook reads back of a table, each read in one catalog query.

:func:`table_read` is what the hook reads after an op that made or changed a table: the names
PostgreSQL gave its keys and CHECKs, each CHECK's text and each column's default as stored, in
one query where the inspector takes three or four (and the hook read them apart).
Each answer is in the shape SQLAlchemy's inspector gives (tests/test_table_digests.py compares them).
:func:`changed_by`: what a drill reads of the tables a revision's op names.
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa

from ledger.support.lazyre import lazy
from ops import classes as oc

__all__ = ["TableRead", "changed_by", "check_sqltext", "keys_from_rows", "read_index", "read_tables", "table_read"]


@oc.frozen
class TableRead:
    """One table as :func:`table_read` read it."""

    #: (kind ``p``/``f``/``u``/``c``, name, columns, a foreign key's referent table and columns) of
    #: each key and CHECK, by name (``Database.constraints``)
    constraints: list[tuple[str, str, tuple[str, ...], str | None, tuple[str, ...]]]
    #: (name, text) of each CHECK, by name, as ``Inspector.get_check_constraints`` gives them
    checks: list[tuple[str, str]]
    #: each column -> its default as ``Inspector.get_columns`` gives it; None: not read (a table of
    #: another schema named, whose sequences the inspector names with it; PostgreSQL before 12)
    defaults: dict[str, str | None] | None


_OF_TABLE = (" JOIN pg_catalog.pg_class c ON c.oid = {rel}"
             " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
             " WHERE c.relname = :table AND n.nspname = COALESCE(CAST(:schema AS TEXT), current_schema())")
#: the keys and CHECKs (not an exclusion constraint or a constraint trigger, which the fold does not
#: hold), a CHECK with its definition; then, with ``_DEFAULTS``, each column and its default
_KEYS = (
    "SELECT con.contype::text, con.conname::text,"
    " ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, pos)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.pos),"
    " r.relname::text,"
    " ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, pos)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.pos),"
    " CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_constraintdef(con.oid, true) END, con.conname"
    " FROM pg_catalog.pg_constraint con LEFT JOIN pg_catalog.pg_class r ON r.oid = con.confrelid"
    + _OF_TABLE.format(rel="con.conrelid") + " AND con.contype IN ('p', 'f', 'u', 'c')"
)
#: as the inspector reads a default: a DOMAIN's own where the column has none; none for a generated
#: column, whose expression is not a default
_DEFAULTS = (
    " UNION ALL SELECT 'd', a.attname::text, NULL, NULL, NULL,"
    " CASE WHEN a.attgenerated = '' THEN COALESCE(pg_catalog.pg_get_expr(d.adbin, d.adrelid),"
    "  (SELECT ty.typdefault FROM pg_catalog.pg_type ty WHERE ty.oid = a.atttypid AND ty.typtype = 'd')) END, NULL"
    " FROM pg_catalog.pg_attribute a"
    " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef"
    + _OF_TABLE.format(rel="a.attrelid")
    + " AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped"
)
#: by name as the catalog sorts names (byte order), as the inspector lists CHECKs
_QUERIES = {defaults: sa.text(_KEYS + (_DEFAULTS if defaults else "") + " ORDER BY 7")
            for defaults in (False, True)}

#: SQLAlchemy's parse of ``pg_get_constraintdef`` of a CHECK (``get_multi_check_constraints``)
_CHECK = lazy(r"^CHECK *\((.+)\)( NO INHERIT)?( NOT VALID)?$", re.DOTALL)


#: each query as a driver's cursor takes it, per dialect: (SQL, the parameters' names in order or None)
_CURSOR_SQL: weakref.WeakKeyDictionary[Any, dict[Any, tuple[str, tuple[str, ...] | None]]] = weakref.WeakKeyDictionary()


def rows_of(conn: sa.Connection, query: Any, params: dict[str, Any]) -> list[Any]:
    """The rows of a catalog ``query`` (its columns text, booleans, arrays of text) run on ``conn``:
    through the driver's own cursor (psycopg's, psycopg2's, SQLAlchemy's adaption of asyncpg's) inside
    the transaction SQLAlchemy began, with the SQL compiled once per dialect (no execution context,
    result object or listener: a read the hook makes for itself, about a third of the client's work
    of ``Connection.execute``); else as any statement. On asyncpg the statement prepared once is
    used again after DDL (``Connection.execute`` prepares it again after each, as DDL may change a
    user's types): its columns and values are of PostgreSQL's built-in types."""
    dialect = conn.dialect
    if dialect.driver not in ("psycopg", "psycopg2", "asyncpg") or not conn.in_transaction():
        return list(conn.execute(query, params))
    per_dialect = _CURSOR_SQL.setdefault(dialect, {})
    made = per_dialect.get(query)
    if made is None:
        compiled = query.compile(dialect=dialect)
        made = per_dialect[query] = (compiled.string, tuple(compiled.positiontup) if compiled.positional else None)
    sql, order = made
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, tuple(params[name] for name in order) if order is not None else params)
        return cursor.fetchall()
    finally:
        cursor.close()


def check_sqltext(definition: str) -> str:
    """A CHECK's text as ``Inspector.get_check_constraints`` gives it, from its definition."""
    match = _CHECK.match(definition)
    return sa.util.strip_outer_parens(match.group(1)) if match else ""


def table_read(conn: sa.Connection, table: str, schema: str | None) -> TableRead:
    """``table`` of ``schema`` (None: the default one) as :class:`TableRead`, in one query; nothing
    of a table that is not there."""
    # the inspector names a sequence in nextval() with the schema asked for; no generated columns
    # before PostgreSQL 12
    defaults = schema is None and (conn.dialect.server_version_info or (0,)) >= (12,)
    constraints: list[tuple[str, str, tuple[str, ...], str | None, tuple[str, ...]]] = []
    checks: list[tuple[str, str]] = []
    stored: dict[str, str | None] = {}
    for kind, name, columns, referent, referent_columns, text, _ in rows_of(
            conn, _QUERIES[defaults], {"table": table, "schema": schema}):
        if kind == "d":
            stored[name] = text
            continue
        constraints.append((kind, name, tuple(columns), referent, tuple(referent_columns)))
        if kind == "c":
            checks.append((name, check_sqltext(text)))
    return TableRead(constraints, checks, stored if defaults else None)



# ---------------------------------------------------------------------------------------------
# A few tables read whole (or some parts of them) in one query
# ---------------------------------------------------------------------------------------------

#: a table's columns as SQLAlchemy's ``_columns_query`` reads each (its ``_get_columns_info`` makes
#: the inspector's entries from them)
_COLUMNS = (
    "(SELECT json_agg(json_build_object('name', a.attname, 'format_type', pg_catalog.format_type(a.atttypid, a.atttypmod),"
    " 'default', CASE WHEN a.atthasdef THEN (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid) FROM pg_catalog.pg_attrdef d"
    "  WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum) END,"
    " 'not_null', a.attnotnull, 'comment', (SELECT ds.description FROM pg_catalog.pg_description ds"
    "  WHERE ds.objoid = a.attrelid AND ds.objsubid = a.attnum),"
    " 'generated', {generated},"
    " 'identity_options', CASE WHEN a.attidentity <> '' THEN (SELECT json_build_object('always', a.attidentity = 'a',"
    "  'start', s.seqstart, 'increment', s.seqincrement, 'minvalue', s.seqmin, 'maxvalue', s.seqmax, 'cache', s.seqcache,"
    "  'cycle', s.seqcycle) FROM pg_catalog.pg_sequence s WHERE s.seqrelid ="
    "  CAST(CAST(pg_catalog.pg_get_serial_sequence(CAST(CAST(a.attrelid AS REGCLASS) AS TEXT), a.attname) AS REGCLASS) AS OID)) END,"
    " 'collation', CASE WHEN a.attcollation <> 0 AND (SELECT ty.typcollation FROM pg_catalog.pg_type ty"
    "  WHERE ty.oid = a.atttypid) <> a.attcollation THEN (SELECT json_build_object('name', co.collname, 'schema',"
    "  CASE WHEN pg_catalog.pg_collation_is_visible(co.oid) THEN NULL ELSE cn.nspname END) FROM pg_catalog.pg_collation co"
    "  JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END) ORDER BY a.attnum)"
    " FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)"
)
#: a table's indexes as SQLAlchemy's ``_index_query`` reads them (not the primary key's), by name
_INDEXES = (
    "(SELECT json_agg(json_build_object('name', ic.relname, 'unique', i.indisunique, 'valid', i.indisvalid,"
    " 'has_constraint', EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conrelid = i.indrelid"
    "  AND k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x')),"
    " 'options', CAST(i.indoption AS INT2[]), 'reloptions', ic.reloptions, 'am', am.amname,"
    " 'where', CASE WHEN i.indpred IS NOT NULL THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END,"
    " 'keys', {key_count}, 'nulls_not_distinct', {nulls},"
    " 'elements', (SELECT json_agg(json_build_array(CASE WHEN i.indkey[p] = 0"
    "   THEN pg_catalog.pg_get_indexdef(i.indexrelid, p + 1, true) ELSE CAST(ia.attname AS TEXT) END, i.indkey[p] = 0,"
    "   (SELECT op.opcname FROM pg_catalog.pg_opclass op WHERE op.oid = i.indclass[p] AND NOT op.opcdefault)) ORDER BY p)"
    "  FROM generate_series(0, i.indnatts - 1) AS p LEFT JOIN pg_catalog.pg_attribute ia"
    "  ON ia.attrelid = i.indrelid AND ia.attnum = i.indkey[p])) ORDER BY ic.relname)"
    " FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
    " JOIN pg_catalog.pg_am am ON am.oid = ic.relam WHERE i.indrelid = c.oid AND NOT i.indisprimary)"
)
#: a table's CHECKs as SQLAlchemy's ``_check_constraint_query`` reads them, by name
_CHECKS = (
    "(SELECT json_agg(json_build_array(k.conname, pg_catalog.pg_get_constraintdef(k.oid, true),"
    " (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = k.oid"
    "  AND ds.classoid = CAST('pg_catalog.pg_constraint' AS REGCLASS))) ORDER BY k.conname)"
    " FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'c')"
)
#: a table's keys as ``postgresql_catalog.catalog_keys`` reads them (its rows), of a table of the schema asked for
_KEYS_OF = (
    "(SELECT json_agg(json_build_array(c.relname, con.conname, con.contype, con.condeferrable, con.condeferred,"
    " ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(n, i)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),"
    " ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(n, i)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),"
    " ref.relname, ref_ns.nspname, con.contype = 'f' AND pg_catalog.pg_table_is_visible(con.confrelid),"
    " con.confupdtype, con.confdeltype, con.confmatchtype) ORDER BY con.conname)"
    " FROM pg_catalog.pg_constraint con LEFT JOIN pg_catalog.pg_class ref ON ref.oid = con.confrelid"
    " LEFT JOIN pg_catalog.pg_namespace ref_ns ON ref_ns.oid = ref.relnamespace"
    " WHERE con.conrelid = c.oid AND con.contype IN ('p', 'u', 'f')"
    " AND n.nspname = COALESCE(CAST(:schema AS TEXT), current_schema()))"
)
#: the table's comment, as ``_comment_query`` reads it
_COMMENT = ("(SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = c.oid AND ds.objsubid = 0"
            " AND ds.classoid = CAST('pg_catalog.pg_class' AS REGCLASS))")
#: every ENUM and DOMAIN of the database, as ``_load_enums`` and ``_load_domains`` read them (what
#: a column's type names is looked up in them), in the one row of the tables' query
_NAMED_TYPES = (
    "(SELECT json_agg(json_build_array(t.typtype, t.typname, pg_catalog.pg_type_is_visible(t.oid), tn.nspname,"
    " CASE WHEN t.typtype = 'e' THEN (SELECT json_agg(CAST(e.enumlabel AS TEXT) ORDER BY e.enumsortorder)"
    "  FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid)"
    " ELSE json_build_array(pg_catalog.format_type(t.typbasetype, t.typtypmod), NOT t.typnotnull, t.typdefault,"
    "  (SELECT json_agg(json_build_array(dk.conname, pg_catalog.pg_get_constraintdef(dk.oid, true)))"
    "   FROM pg_catalog.pg_constraint dk WHERE dk.contypid = t.oid),"
    "  co.collname, CASE WHEN co.oid IS NULL OR pg_catalog.pg_collation_is_visible(co.oid) THEN NULL"
    "  ELSE con.nspname END) END) ORDER BY tn.nspname, t.typname)"
    " FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace"
    " LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation"
    " LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace WHERE t.typtype IN ('e', 'd'))"
)
#: what the table holds because its partitioned table holds it, as ``catalog.INHERITED_PARTS`` reads it
#: of the table: the indexes made (or attached) for an index of that table, and on a partition the
#: keys and CHECKs it carried down (by name)
_INHERITED = (
    "(SELECT json_agg(x.name ORDER BY x.name) FROM (SELECT i.relname AS name FROM pg_catalog.pg_inherits h"
    " JOIN pg_catalog.pg_class i ON i.oid = h.inhrelid AND i.relkind IN ('i', 'I')"
    " JOIN pg_catalog.pg_index x ON x.indexrelid = i.oid WHERE x.indrelid = c.oid"
    " UNION ALL SELECT k.conname FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid AND c.relispartition"
    " AND (k.conparentid <> 0 OR (k.contype = 'c' AND NOT k.conislocal))) x)"
)
#: the table's columns that a sequence it owns draws for (SERIAL, BIGSERIAL), as
#: ``Database.owned_sequence_columns`` reads them
_OWNED = (
    "(SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_catalog.pg_depend d"
    " JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid"
    " WHERE d.refclassid = CAST('pg_catalog.pg_class' AS REGCLASS) AND d.refobjid = c.oid"
    " AND d.classid = CAST('pg_catalog.pg_class' AS REGCLASS) AND d.deptype = 'a')"
)
#: a partitioned table's partition key, a partition's parent and bound, as ``catalog.PARTITIONS``
#: reads them (``Database.table_options``); NULL for another table
_OPTIONS = (
    "CASE WHEN c.relkind = 'p' OR c.relispartition THEN json_build_array("
    "CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,"
    " (SELECT CASE WHEN pn.nspname = n.nspname THEN CAST(p.relname AS TEXT) ELSE pn.nspname || '.' || p.relname END"
    "  FROM pg_catalog.pg_inherits h JOIN pg_catalog.pg_class p ON p.oid = h.inhparent"
    "  JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE c.relispartition AND h.inhrelid = c.oid),"
    " pg_catalog.pg_get_expr(c.relpartbound, c.oid)) END"
)
_PART_SQL = {"columns": _COLUMNS, "indexes": _INDEXES, "checks": _CHECKS, "keys": _KEYS_OF, "comments": _COMMENT,
             "owned": _OWNED, "options": _OPTIONS, "inherited": _INHERITED}
#: the tables SQLAlchemy's inspector reads (``ObjectKind.TABLE``, ``ObjectScope.DEFAULT``) by name
_TABLES = (" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
           " WHERE c.relkind IN ('r', 'p', 'f') AND c.relpersistence <> 't' AND c.relname = ANY(:names) AND ")
_IN_SCHEMA = {False: "n.nspname = :schema", True: "pg_catalog.pg_table_is_visible(c.oid) AND n.nspname <> 'pg_catalog'"}
_ORDER = ("columns", "indexes", "checks", "keys", "comments", "owned", "options", "inherited")
#: what :func:`read_tables` returns, in this order
_RETURNED = ("columns", "indexes", "checks", "keys", "comments", "inherited", "owned", "options")
#: the parts a partition can hold because its partitioned table holds them (read with ``inherited``)
_CARRIED = frozenset({"indexes", "checks", "keys"})


@oc.frozen
class _NamedTypes:
    """The ENUMs and DOMAINs as SQLAlchemy's ``_NamedTypeLoader`` holds them: by (name,) where the
    search path finds them, else by (schema, name)."""

    enums: dict[tuple[str, ...], dict[str, Any]]
    domains: dict[tuple[str, ...], dict[str, Any]]


def _named_types(rows: list[list[Any]] | None) -> _NamedTypes:
    enums: dict[tuple[str, ...], dict[str, Any]] = {}
    domains: dict[tuple[str, ...], dict[str, Any]] = {}
    for kind, name, visible, schema, detail in rows or ():
        key = (name,) if visible else (schema, name)
        if kind == "e":
            enums[key] = {"name": name, "schema": schema, "visible": visible, "labels": detail or []}
            continue
        base, nullable, default, constraints, collation, collation_schema = detail
        checks = [{"name": check_name, "check": definition[7:-1]}
                  for check_name, definition in sorted(constraints or (), key=lambda pair: pair[0])
                  if definition.casefold().startswith("check")]
        domains[key] = {"name": name, "schema": schema, "visible": visible,
                        "type": re.search(r"([^\(]+)", base).group(1),  # type: ignore[union-attr]
                        "nullable": nullable, "default": default, "constraints": checks, "collation": collation,
                        "collation_schema": collation_schema}
    return _NamedTypes(enums, domains)


def _index(row: dict[str, Any], version: tuple[int, ...]) -> dict[str, Any]:
    """An index as ``get_multi_indexes`` makes it of its ``_index_query`` row."""
    elements, is_expr, opclasses = zip(*row["elements"]) if row["elements"] else ((), (), ())
    keys = row["keys"]
    index: dict[str, Any] = {"name": row["name"], "unique": row["unique"]}
    if any(is_expr[:keys]):
        index["column_names"] = [None if expr else element for element, expr in zip(elements[:keys], is_expr[:keys])]
        index["expressions"] = list(elements[:keys])
    else:
        index["column_names"] = list(elements[:keys])
    options: dict[str, Any] = {}
    ops = {element: opclass for element, opclass in zip(elements[:keys], opclasses[:keys]) if opclass is not None}
    if ops:
        options["postgresql_ops"] = ops
    sorting = {}
    for position, flags in enumerate(row["options"] or ()):
        order: tuple[str, ...] = ()
        if flags & 0x01:
            order += ("desc",) if flags & 0x02 else ("desc", "nulls_last")
        elif flags & 0x02:
            order += ("nulls_first",)
        if order:
            sorting[elements[position]] = order
    if sorting:
        index["column_sorting"] = sorting
    if row["has_constraint"]:
        index["duplicates_constraint"] = row["name"]
    if row["reloptions"]:
        options["postgresql_with"] = dict(option.split("=", 1) for option in row["reloptions"])
    if row["am"] != "btree":
        options["postgresql_using"] = row["am"]
    if row["where"]:
        options["postgresql_where"] = row["where"]
    if version >= (11,):
        options["postgresql_include"] = list(elements[keys:])
    if row["nulls_not_distinct"]:
        options["postgresql_nulls_not_distinct"] = True
    if not row["valid"]:
        options["postgresql_invalid"] = True
    if options:
        index["dialect_options"] = options
    return index


def _check(name: str, definition: str, comment: str | None) -> dict[str, Any]:
    """A CHECK as ``get_multi_check_constraints`` makes it of its definition."""
    match = _CHECK.match(definition)
    entry: dict[str, Any] = {"name": name, "sqltext": check_sqltext(definition), "comment": comment}
    if match:
        options = {**({"not_valid": True} if " NOT VALID" in match.groups() else {}),
                   **({"no_inherit": True} if " NO INHERIT" in match.groups() else {})}
        if options:
            entry["dialect_options"] = options
    return entry


_READS: dict[tuple[frozenset[str], bool, tuple[int, ...]], Any] = {}


def _query(parts: frozenset[str], visible: bool, version: tuple[int, ...]) -> Any:
    key = (parts, visible, version[:1])
    if key not in _READS:
        sql = {"columns": _COLUMNS.format(generated="CAST(a.attgenerated AS TEXT)" if version >= (12,) else "NULL"),
               "indexes": _INDEXES.format(key_count="i.indnkeyatts" if version >= (11,) else "i.indnatts",
                                          nulls="i.indnullsnotdistinct" if version >= (15,) else "false")}
        selected = ", ".join(f"CAST({sql.get(part, _PART_SQL[part])} AS TEXT)" for part in _ORDER if part in parts)
        # the named types once, in a row of their own
        named = f" UNION ALL SELECT NULL{', NULL' * len(parts)}, CAST({_NAMED_TYPES} AS TEXT)" if "columns" in parts else ""
        _READS[key] = sa.text(f"SELECT c.relname, {selected}{', NULL' if named else ''}{_TABLES}{_IN_SCHEMA[visible]}"
                              + named)
    return _READS[key]


def read_tables(conn: sa.Connection, schema: str | None, names: Sequence[str], parts: Collection[str]) -> tuple[Any, ...] | None:
    """``parts`` (of ``reflect.PARTS``) of the tables ``names`` (exact names) of ``schema`` that exist,
    read in one query, as the inspector's ``get_multi_columns``, ``get_multi_indexes``,
    ``get_multi_check_constraints``, ``Database.reflect_keys`` and ``get_multi_table_comment`` give
    them (None for a part not read); None where this SQLAlchemy or server is not one it reads alike.
    With indexes, keys or CHECKs (from PostgreSQL 11 on), a sixth: ``Database.inherited_parts`` of
    the tables read, in the same query (None: not read). Two more parts, when asked for, are the
    seventh and eighth: ``owned``, ``Database.owned_sequence_columns`` of the tables read, and
    ``options``, their ``Database.table_options``. A name that is no table is left out."""
    dialect: Any = conn.dialect
    version = dialect.server_version_info or (0,)
    if version < (10,) or not hasattr(dialect, "_get_columns_info"):
        return None
    wanted = frozenset(parts) & frozenset(_ORDER[:-1])
    if not wanted:
        return (None,) * len(_RETURNED)
    if wanted & _CARRIED and version >= (11,):
        wanted |= {"inherited"}
    rows = rows_of(conn, _query(wanted, schema is None, version), {"names": list(names), "schema": schema})
    read: dict[str, Any] = {part: {} for part in wanted}
    for part in ("inherited", "owned"):
        if part in wanted:
            read[part] = set()
    named = None
    columns: list[dict[str, Any]] = []
    for row in rows:
        if row[0] is None:
            named = json.loads(row[-1]) if row[-1] is not None else None
            continue
        table, values = row[0], dict(zip((part for part in _ORDER if part in wanted), row[1:]))
        key = (schema, table)
        if "columns" in wanted:
            found = json.loads(values["columns"]) if values["columns"] is not None else None
            columns.extend({**column, "table_name": table} for column in found) if found else columns.append(
                {"name": None, "table_name": table})
        if "indexes" in wanted:
            read["indexes"][key] = [_index(index, version) for index in json.loads(values["indexes"] or "[]")]
        if "checks" in wanted:
            read["checks"][key] = [_check(*check) for check in json.loads(values["checks"] or "[]")]
        if "keys" in wanted:
            read["keys"][table] = json.loads(values["keys"] or "[]")
        if "comments" in wanted:
            read["comments"][key] = {"text": values["comments"]}
        if "inherited" in wanted:
            read["inherited"].update((table, name) for name in json.loads(values["inherited"] or "[]"))
        if "owned" in wanted:
            read["owned"].update((table, column) for column in json.loads(values["owned"] or "[]"))
        if "options" in wanted and values["options"] is not None:
            partition_key, parent, bound = json.loads(values["options"])
            options = [("postgresql_partition_by", partition_key)] if partition_key else []
            if parent is not None:
                options += [("postgresql_partition_bound", bound), ("postgresql_partition_of", parent)]
            read["options"][table] = tuple(sorted(options))
    if "columns" in wanted:
        read["columns"] = dict(dialect._get_columns_info(columns, _named_types(named), schema))
    keys = None
    if "keys" in wanted:
        pks, uniques, fks, deferrable = keys_from_rows(schema, [row for table in read["keys"].values() for row in table])
        from .database import ReflectedKeys

        keys = ReflectedKeys(pks, uniques, fks, deferrable)
    read["keys"] = keys
    return tuple(read.get(part) for part in _RETURNED)


#: the one index of a table by its name (not a primary key's), with whether the table is partitioned
#: or a partition (whose indexes may come with another table's)
_ONE_INDEX = ("SELECT c.relkind = 'p' OR c.relispartition, CAST("
              + _INDEXES.replace("AND NOT i.indisprimary)", "AND NOT i.indisprimary AND ic.relname = :index)")
              + " AS TEXT)" + _TABLES.replace("c.relname = ANY(:names)", "c.relname = :table"))
_INDEX_READS: dict[tuple[bool, tuple[int, ...]], Any] = {}


def read_index(conn: sa.Connection, schema: str | None, table: str, name: str) -> dict[str, Any] | None:
    """The index ``name`` (exact name) of ``table`` (exact name) of ``schema`` as the inspector's
    ``get_multi_indexes`` gives it; None where the table holds no index of that name (or it is
    not there), is partitioned or a partition, or this SQLAlchemy or server is not one
    :func:`read_tables` reads alike."""
    dialect: Any = conn.dialect
    version = dialect.server_version_info or (0,)
    if version < (10,) or not hasattr(dialect, "_get_columns_info"):
        return None
    key = (schema is None, version[:1])
    if key not in _INDEX_READS:
        _INDEX_READS[key] = sa.text(_ONE_INDEX.format(
            key_count="i.indnkeyatts" if version >= (11,) else "i.indnatts",
            nulls="i.indnullsnotdistinct" if version >= (15,) else "false") + _IN_SCHEMA[schema is None])
    rows = rows_of(conn, _INDEX_READS[key], {"table": table, "index": name, "schema": schema})
    if len(rows) != 1 or rows[0][0] or rows[0][1] is None:
        return None
    found = json.loads(rows[0][1])
    return _index(found[0], version) if len(found) == 1 and found[0]["name"] == name else None


#: whether a table holds an index of one name (exact), and whether it is partitioned or a partition
_INDEX_HELD = ("SELECT c.relkind = 'p' OR c.relispartition, EXISTS (SELECT 1 FROM pg_catalog.pg_index i"
               " JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid AND ic.relname = :index)"
               + _TABLES.replace("c.relname = ANY(:names)", "c.relname = :table"))
_HELD_READS: dict[bool, Any] = {}


def holds_index(conn: sa.Connection, schema: str | None, table: str, name: str) -> bool | None:
    """Whether ``table`` (exact name) of ``schema`` holds an index named ``name`` (exact name), in
    one catalog query; None where the table is not there, is partitioned or a partition (whose
    indexes come and go with its partitioned table's), or the server is older than 10."""
    if (conn.dialect.server_version_info or (0,)) < (10,):
        return None
    key = schema is None
    if key not in _HELD_READS:
        _HELD_READS[key] = sa.text(_INDEX_HELD + _IN_SCHEMA[key])
    rows = rows_of(conn, _HELD_READS[key], {"table": table, "index": name, "schema": schema})
    return None if len(rows) != 1 or rows[0][0] else bool(rows[0][1])


_PG_ACTIONS = {"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}  # "a": NO ACTION
_PG_MATCH = {"f": "FULL", "p": "PARTIAL"}  # "s": SIMPLE, the default


def keys_from_rows(schema: str | None, rows: Any) -> tuple[
    dict[Any, dict[str, Any]], dict[Any, list[dict[str, Any]]], dict[Any, list[dict[str, Any]]],
    dict[tuple[str, str], bool],
]:
    """:func:`~.postgresql_catalog.catalog_keys` of its query's rows, by table and name."""
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


# ---------------------------------------------------------------------------------------------
# What a drill reads after a revision
# ---------------------------------------------------------------------------------------------

#: what of its own table each op's DDL can change on PostgreSQL (``PostgreSQL.changed_by``)
_COLUMNS_ONLY = frozenset({"columns"})
_CHANGED_PARTS = {
    "create_index": frozenset({"indexes"}), "drop_index": frozenset({"indexes"}),
    "create_unique_constraint": frozenset({"keys", "indexes"}), "create_foreign_key": frozenset({"keys"}),
    "create_check_constraint": frozenset({"checks"}),
    "create_table_comment": frozenset({"comments"}), "drop_table_comment": frozenset({"comments"}),
}


def changed_by(op: Any) -> tuple[frozenset[str] | None, bool]:
    """``PostgreSQL.changed_by``: what the DDL of ``op`` can change. PostgreSQL changes a table in
    place: an index op its indexes, a constraint op its keys (a unique constraint its index too)
    or CHECKs, a comment op its comment, a column change of nullability, default or comment its
    columns; making a table or adding a column nothing of another table; the rest (a drop, a
    rename, a type change: what a foreign key of another table can depend on) anything of both."""
    tag = op.op_tag
    if tag == "alter_column":
        in_place = (op.modify_type is None and op.modify_name is None and op.modify_autoincrement is None
                    and op.postgresql_using is None)
        return (_COLUMNS_ONLY, False) if in_place else (None, True)
    if tag in _CHANGED_PARTS:
        return _CHANGED_PARTS[tag], False
    return None, tag not in ("create_table", "add_column")
