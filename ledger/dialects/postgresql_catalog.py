"""PostgreSQL's catalog queries that read many facts in one round trip: a table's keys and CHECKs,
the keys of a schema's tables (:func:`catalog_keys`), each table's digest, the tables that look
like Alembic's version table, and what depends on a sequence.

They are the SQL :class:`~.postgresql_db.PostgreSQL` runs for its reads (as
:mod:`.postgresql_read` holds the hook's read of one table), kept apart from the database
object's facts, DDL rules and lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

__all__ = ["CONSTRAINTS", "DIGEST_PARTS", "INHERITED_PARTS", "ONE_COLUMN_TABLES", "PARTITIONS", "SEQUENCE_DEPENDENTS",
           "TABLE_DIGESTS", "INDEX_TABLE", "TYPE_TABLES", "catalog_keys"]


#: a table's primary key, foreign keys, unique constraints and CHECKs (not an exclusion constraint
#: or a constraint trigger, which the fold does not hold): kind, name, columns and a foreign key's
#: referent table and columns, by name
CONSTRAINTS = (
    "SELECT con.contype::text, con.conname::text,"
    " ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(num, pos)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.pos),"
    " r.relname::text,"
    " ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(num, pos)"
    "  JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.pos)"
    " FROM pg_catalog.pg_constraint con"
    " JOIN pg_catalog.pg_class c ON c.oid = con.conrelid"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_catalog.pg_class r ON r.oid = con.confrelid"
    " WHERE c.relname = :table AND n.nspname = COALESCE(CAST(:schema AS TEXT), current_schema())"
    " AND con.contype IN ('p', 'f', 'u', 'c') ORDER BY con.conname"
)
#: of the tables named (of a schema), each partitioned table's partition key as PostgreSQL prints
#: it (``LIST (is_latest)``) and each partition's parent (its name, qualified where its schema is
#: another) and bound (``FOR VALUES IN (true)``)
PARTITIONS = (
    "SELECT c.relname::text, CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,"
    " CASE WHEN pn.nspname = n.nspname THEN p.relname::text ELSE pn.nspname || '.' || p.relname END,"
    " pg_catalog.pg_get_expr(c.relpartbound, c.oid)"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " LEFT JOIN pg_catalog.pg_inherits h ON c.relispartition AND h.inhrelid = c.oid"
    " LEFT JOIN pg_catalog.pg_class p ON p.oid = h.inhparent"
    " LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace"
    " WHERE n.nspname = COALESCE(CAST(:schema AS TEXT), current_schema()) AND c.relname = ANY(:names)"
    " AND (c.relkind = 'p' OR c.relispartition)"
)
#: of the tables named (of a schema), what a partition holds because its partitioned table holds it:
#: the indexes PostgreSQL made (or attached) for an index of that table, and the keys and CHECKs it
#: carried to the partition (a key's ``conparentid``, a CHECK not the partition's own): (table, name)
INHERITED_PARTS = (
    "SELECT c.relname::text, i.relname::text FROM pg_catalog.pg_inherits h"
    " JOIN pg_catalog.pg_class i ON i.oid = h.inhrelid AND i.relkind IN ('i', 'I')"
    " JOIN pg_catalog.pg_index x ON x.indexrelid = i.oid"
    " JOIN pg_catalog.pg_class c ON c.oid = x.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = COALESCE(CAST(:schema AS TEXT), current_schema()) AND c.relname = ANY(:names)"
    " UNION ALL SELECT c.relname::text, k.conname::text FROM pg_catalog.pg_constraint k"
    " JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = COALESCE(CAST(:schema AS TEXT), current_schema()) AND c.relname = ANY(:names)"
    " AND c.relispartition AND (k.conparentid <> 0 OR (k.contype = 'c' AND NOT k.conislocal))"
)
#: the tables of a schema whose one column has a given name (Alembic's version tables, by their shape)
ONE_COLUMN_TABLES = (
    "SELECT c.relname::text FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
    " WHERE c.relkind IN ('r', 'p') AND n.nspname = COALESCE(CAST(:schema AS TEXT), current_schema())"
    " GROUP BY c.relname HAVING COUNT(*) = 1 AND MIN(a.attname::text) = :column"
)
#: a comment on a catalog row: a scalar read of pg_description by its key (``obj_description`` and
#: ``col_description`` are SQL functions, run as one call per table, column, constraint and index)
_COMMENT = ("(SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = {oid}"
            " AND ds.classoid = 'pg_catalog.{catalog}'::regclass AND ds.objsubid = {sub})")
#: each table's digest: four md5s, '|' between (:data:`DIGEST_PARTS`): of its kind, persistence,
#: comment and place as a partition; of its columns; of its constraints; of its indexes (each index's
#: definition printed once, in the order of the indexes' names, which it holds)
TABLE_DIGESTS = (
    "SELECT c.relname::text, concat_ws('|', md5(concat_ws('|', c.relkind, c.relpersistence, "
    + _COMMENT.format(oid="c.oid", catalog="pg_class", sub="0") + ","
    " c.relispartition, pg_get_expr(c.relpartbound, c.oid))),"
    " md5(coalesce((SELECT string_agg(concat_ws(':', a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
    "   a.attidentity, a.attgenerated, a.attcollation, pg_get_expr(d.adbin, d.adrelid), "
    + _COMMENT.format(oid="c.oid", catalog="pg_class", sub="a.attnum") + ","
    "   (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e"
    "    WHERE e.enumtypid = a.atttypid),"
    "   CASE WHEN a.attidentity <> '' THEN (SELECT concat_ws(',', s.seqstart, s.seqincrement, s.seqmax, s.seqmin,"
    "     s.seqcache, s.seqcycle) FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid"
    "    WHERE dep.refobjid = c.oid AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_catalog.pg_class'::regclass"
    "    AND dep.deptype = 'i') END), ';' ORDER BY a.attnum)"
    "  FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
    "  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')),"
    " md5(coalesce((SELECT string_agg(concat_ws(':', k.conname, pg_get_constraintdef(k.oid), "
    + _COMMENT.format(oid="k.oid", catalog="pg_constraint", sub="0") + "),"
    "   ';' ORDER BY k.conname) FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid), '')),"
    " md5(coalesce((SELECT string_agg(concat_ws(':', pg_get_indexdef(i.indexrelid), "
    + _COMMENT.format(oid="i.indexrelid", catalog="pg_class", sub="0") + "),"
    "   ';' ORDER BY ic.relname) FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
    "   WHERE i.indrelid = c.oid), '')))"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = COALESCE(CAST(:schema AS TEXT), current_schema()) AND c.relkind IN ('r', 'p', 'f', 'v', 'm')"
)
#: the kind of the relation an ``ALTER INDEX`` names (by the search path, as the statement finds it) and,
#: for an index, its table's oid: two columns of a SELECT list, NULL when there is none
INDEX_TABLE = ("(SELECT c.relkind::text FROM pg_catalog.pg_class c WHERE c.oid = to_regclass(:name)),"
               " (SELECT i.indrelid FROM pg_catalog.pg_index i WHERE i.indexrelid = to_regclass(:name))")
#: the relations whose digest an ``ALTER TYPE`` can change: those with a column of the type (by its oid,
#: which a rename keeps) or of a type made over it (an array, a domain, a range, a composite type, each
#: a dependency of the type in the catalog), or an expression (a default, a CHECK, an index's, a view's)
#: that depends on one of them
TYPE_TABLES = (
    "WITH RECURSIVE edge(child, parent) AS ("
    " SELECT d.objid, d.refobjid FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass"
    " AND d.refclassid = 'pg_catalog.pg_type'::regclass"
    " UNION ALL SELECT c.reltype, a.atttypid FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c"
    " ON c.oid = a.attrelid AND c.relkind = 'c' WHERE a.attnum > 0 AND NOT a.attisdropped),"
    " t(oid) AS (SELECT to_regtype(:name)::oid UNION SELECT e.child FROM edge e JOIN t ON e.parent = t.oid)"
    " SELECT a.attrelid FROM pg_catalog.pg_attribute a JOIN t ON a.atttypid = t.oid WHERE a.attnum > 0"
    " UNION SELECT CASE d.classid WHEN 'pg_catalog.pg_class'::regclass THEN COALESCE((SELECT i.indrelid FROM"
    "  pg_catalog.pg_index i WHERE i.indexrelid = d.objid), d.objid)"
    "  WHEN 'pg_catalog.pg_attrdef'::regclass THEN (SELECT ad.adrelid FROM pg_catalog.pg_attrdef ad WHERE ad.oid = d.objid)"
    "  WHEN 'pg_catalog.pg_constraint'::regclass THEN (SELECT k.conrelid FROM pg_catalog.pg_constraint k WHERE k.oid = d.objid)"
    "  WHEN 'pg_catalog.pg_rewrite'::regclass THEN (SELECT r.ev_class FROM pg_catalog.pg_rewrite r WHERE r.oid = d.objid)"
    "  ELSE 0 END FROM pg_catalog.pg_depend d JOIN t ON d.refobjid = t.oid AND d.refclassid = 'pg_catalog.pg_type'::regclass"
    " WHERE d.classid <> 'pg_catalog.pg_type'::regclass")
#: what reflection reads of a table that each md5 of its digest covers (None: the table as a whole)
DIGEST_PARTS: tuple[frozenset[str] | None, ...] = (
    None, frozenset({"columns"}), frozenset({"keys", "checks"}), frozenset({"indexes"}))


def catalog_keys(conn: sa.Connection, schema: str | None, names: Sequence[str] | None = None) -> tuple[
    dict[Any, dict[str, Any]], dict[Any, list[dict[str, Any]]], dict[Any, list[dict[str, Any]]],
    dict[tuple[str, str], bool],
]:
    """PostgreSQL's primary keys, unique constraints and foreign keys from its catalog in one
    query, in the inspector's shapes; and (table, unique constraint) -> initially deferred, for
    deferrable ones, which the inspector does not report. The inspector takes three queries
    for these and reads a foreign key's columns by splitting its definition at commas, and so
    splits names that hold one: here they come from the catalog's column numbers. The one-byte
    ``"char"`` codes are read as text: asyncpg returns that type as bytes."""
    rows = conn.execute(
        sa.text(
            "SELECT cl.relname, con.conname, con.contype::text, con.condeferrable, con.condeferred,"
            " ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(n, i)"
            "       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),"
            " ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(n, i)"
            "       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),"
            " ref.relname, ref_ns.nspname, con.contype = 'f' AND pg_catalog.pg_table_is_visible(con.confrelid),"
            " con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text"
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
    from .postgresql_read import keys_from_rows  # with the hook's other catalog reads

    return keys_from_rows(schema, rows)


#: what depends on one sequence (normal and automatic dependencies, what ``DROP ... CASCADE`` takes):
#: a column default as its column, a view as the view, anything else as PostgreSQL describes it
SEQUENCE_DEPENDENTS = (
    "SELECT n.nspname, t.relname, a.attname, COALESCE((SELECT 'view ' || r.ev_class::regclass::text FROM"
    "  pg_catalog.pg_rewrite r WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND r.oid = d.objid"
    "  AND r.rulename = '_RETURN'), pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid))"
    " FROM pg_catalog.pg_depend d"
    " LEFT JOIN pg_catalog.pg_attrdef ad ON d.classid = 'pg_catalog.pg_attrdef'::regclass AND ad.oid = d.objid"
    " LEFT JOIN pg_catalog.pg_class t ON t.oid = ad.adrelid LEFT JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
    " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum"
    " WHERE d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('n', 'a') AND d.refobjid = ("
    "  SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace"
    "  WHERE c.relkind = 'S' AND cn.nspname = COALESCE(:schema, current_schema()) AND c.relname::text = :name)"
    " ORDER BY 1, 2, 3, 4")
