"""SQLite: a few tables read in one query, in the shapes of SQLAlchemy's inspector.

What a batch rebuild's read-back and a drill's incremental reflection need of the tables they
name: their columns (``PRAGMA table_xinfo``), indexes (``index_list`` and ``index_info``),
foreign keys (``foreign_key_list``) and the SQL SQLite keeps for them (``sqlite_master``), in
one statement instead of the inspector's dozen per table. Each answer is what the inspector
gives for the same table: the columns through the dialect's own reading of a ``table_xinfo``
row, the CHECK constraints through its own parser of the table SQL; anything this reading is
not sure to give alike (a table in another attached database by that name, a partial index
whose predicate does not parse, a SQLAlchemy without those readers) is left to the inspector.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from ops import classes as oc

__all__ = ["TablesRead", "read_tables"]


@oc.frozen
class TablesRead:
    """The inspector's ``get_multi_columns``, ``get_multi_indexes``, ``get_multi_check_constraints``
    and ``get_multi_pk_constraint`` of the tables read, keyed by (schema, table), with the SQL
    SQLite keeps: table -> CREATE TABLE, (table, index) -> CREATE INDEX, and the rows of
    ``pragma_foreign_key_list`` (table, id, referent, column, referent column, on update, on delete)."""

    columns: dict[Any, list[dict[str, Any]]]
    indexes: dict[Any, list[dict[str, Any]]]
    checks: dict[Any, list[dict[str, Any]]]
    primary_keys: dict[Any, dict[str, Any]]
    table_sql: dict[str, str]
    index_sql: dict[tuple[str, str], str]
    foreign_key_rows: list[tuple[Any, ...]]


class _TableSql(dict):  # type: ignore[type-arg]
    """An info cache that answers the dialect's read of the table SQL with the SQL already read
    (its CHECK parser then reads nothing): every other answer is computed, as without a cache."""

    def __init__(self, sql: str) -> None:
        super().__init__()
        self.sql = sql

    def get(self, key: Any, default: Any = None) -> Any:
        return self.sql if isinstance(key, tuple) and key and key[0] == "_get_table_sql" else None


_PK_NAME = re.compile(r'CONSTRAINT\s+(?:"(.+?)"|(\w+))\s+PRIMARY\s+KEY', re.I)  # the dialect's
_PARTIAL = re.compile(r"\)\s+where\s+(.+)", re.IGNORECASE)  # the dialect's
_GENERATED_BODY = re.compile(r"create table .*?\((.*)\)(?:\s*,?\s*(?:WITHOUT\s+ROWID|STRICT))*$",
                             re.DOTALL | re.IGNORECASE)  # the dialect's


def read_tables(conn: sa.Connection, schema: str | None, names: Sequence[str]) -> TablesRead | None:
    """The tables ``names`` (exact names) of ``schema``, read in one query; None where the
    inspector is to read them (see the module's docstring)."""
    dialect: Any = conn.dialect
    if (not names or (dialect.server_version_info or (0,)) < (3, 31)
            or not hasattr(dialect, "_get_column_info") or not hasattr(dialect, "get_check_constraints")):
        return None
    prefix = "" if schema is None else f"{dialect.identifier_preparer.quote(schema)}."
    marks = ", ".join("?" * len(names))
    where = f"m.type = 'table' AND m.name IN ({marks})"
    query = (
        f"SELECT 'm', m.tbl_name, m.type, m.name, m.sql, NULL, NULL, NULL FROM {prefix}sqlite_master m"
        f" WHERE m.type IN ('table', 'index') AND m.tbl_name IN ({marks})"
        f" UNION ALL SELECT 'c', m.name, x.name, x.type, x.\"notnull\", x.dflt_value, x.pk, x.hidden"
        f" FROM {prefix}sqlite_master m JOIN pragma_table_xinfo(m.name, ?) x WHERE {where}"
        f" UNION ALL SELECT 'i', m.name, l.name, l.\"unique\", l.partial, i.name, NULL, NULL"
        f" FROM {prefix}sqlite_master m JOIN pragma_index_list(m.name, ?) l JOIN pragma_index_info(l.name, ?) i"
        f" WHERE {where}"
        f" UNION ALL SELECT 'f', m.name, p.id, p.\"table\", p.\"from\", p.\"to\", p.on_update, p.on_delete"
        f" FROM {prefix}sqlite_master m JOIN pragma_foreign_key_list(m.name, ?) p WHERE {where}"
    )
    database = schema or "main"
    parameters: tuple[Any, ...] = (*names, database, *names, database, database, *names, database, *names)
    if schema is None:  # a temporary table by one of the names: the inspector's order of reading decides
        query += (" UNION ALL SELECT 't', name, NULL, NULL, NULL, NULL, NULL, NULL FROM sqlite_temp_master"
                  f" WHERE type IN ('table', 'view') AND name IN ({marks})")
        parameters += tuple(names)
    rows = conn.exec_driver_sql(query, parameters)
    table_sql: dict[str, str] = {}
    index_sql: dict[tuple[str, str], str] = {}
    xinfo: dict[str, list[tuple[Any, ...]]] = {name: [] for name in names}
    index_rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in names}
    fk_rows: list[tuple[Any, ...]] = []
    for kind, table, *rest in rows:
        if kind == "m":
            what, name, sql = rest[0], rest[1], rest[2]
            if sql is None:
                continue
            if what == "table":
                table_sql[name] = sql
            else:
                index_sql[(table, name)] = sql
        elif kind == "c":
            xinfo[table].append(tuple(rest))
        elif kind == "i":
            index_rows[table].append(tuple(rest[:4]))
        elif kind == "f":
            fk_rows.append((table, *rest))
        else:
            return None  # a temporary table by one of the names
    if any(name not in table_sql for name in names):
        return None  # not a table of this database by that exact name: as the inspector finds it
    columns, indexes, checks, pks = {}, {}, {}, {}
    for name in names:
        key = (schema, name)
        columns[key] = _columns(dialect, table_sql[name], xinfo[name])
        found = _indexes(index_rows[name], index_sql, name)
        if found is None:
            return None
        indexes[key] = found
        checks[key] = dialect.get_check_constraints(conn, name, schema=schema, info_cache=_TableSql(table_sql[name]))
        pks[key] = _primary_key(table_sql[name], columns[key])
    return TablesRead(columns, indexes, checks, pks, table_sql, index_sql, fk_rows)


def _columns(dialect: Any, sql: str, rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """``SQLiteDialect.get_columns`` from the table's ``table_xinfo`` rows."""
    columns = []
    body = None
    for name, type_, notnull, default, primary_key, hidden in rows:
        if hidden == 1:
            continue
        generated = bool(hidden)
        if body is None and generated:
            match = _GENERATED_BODY.match(sql.strip())
            assert match, f"create table not found in {sql}"
            body = match.group(1).strip()
        columns.append(dialect._get_column_info(name, type_.upper(), not notnull, default, primary_key,
                                                generated, hidden == 3, body))
    return columns


def _indexes(rows: list[tuple[Any, ...]], index_sql: dict[tuple[str, str], str],
             table: str) -> list[dict[str, Any]] | None:
    """``SQLiteDialect.get_indexes`` from the joined ``index_list`` and ``index_info`` rows."""
    found: dict[str, dict[str, Any]] = {}
    skipped: set[str] = set()
    for name, unique, partial, column in rows:
        if name.startswith("sqlite_autoindex") or name in skipped:
            continue
        if column is None:  # an expression: the inspector skips the index (it is read from its SQL)
            skipped.add(name)
            found.pop(name, None)
            continue
        index = found.get(name)
        if index is None:
            index = found[name] = {"name": name, "column_names": [], "unique": unique, "dialect_options": {}}
            if partial:
                match = _PARTIAL.search(index_sql.get((table, name)) or "")
                if match is None:
                    return None  # the inspector warns: left to it
                index["dialect_options"]["sqlite_where"] = sa.text(match.group(1))
        index["column_names"].append(column)
    return sorted(found.values(), key=lambda d: d["name"] or "~")


def _primary_key(sql: str, columns: list[dict[str, Any]]) -> dict[str, Any]:
    """``SQLiteDialect.get_pk_constraint`` from the table's SQL and columns."""
    match = _PK_NAME.search(sql)
    in_key = sorted((c for c in columns if c.get("primary_key", 0) > 0), key=lambda c: c.get("primary_key"))
    if not in_key:
        return {"constrained_columns": [], "name": None}
    return {"constrained_columns": [c["name"] for c in in_key], "name": (match.group(1) or match.group(2)) if match else None}
