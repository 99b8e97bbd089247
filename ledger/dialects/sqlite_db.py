"""SQLite, the database object: names, facts, reflection fixes, the ledger's triggers and lock.

Its DDL generator (table rebuilds) is in :mod:`ledger.dialects.sqlite`, loaded when DDL is first
needed: reading a ledger imports no op module.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .database import READS_ONLY, THROWAWAY, Database, ReflectedKeys, register_database
from .ledger_table import refusal_literal, trigger_name
from .typetext import spaced

__all__ = ["READS_ONLY", "THROWAWAY", "SQLite"]


def _sqlite_sql(conn: sa.Connection, schema: str | None, names: Sequence[str] | None = None,
                ) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """table -> CREATE TABLE, (table, index) -> CREATE INDEX: the SQL SQLite keeps, read where
    SQLAlchemy's reading falls short (expression indexes, sort order, names with parentheses).
    ``names``: of these tables only (a batch rebuild's table is read back, not the whole schema)."""
    master = "sqlite_master" if schema is None else f"{conn.dialect.identifier_preparer.quote(schema)}.sqlite_master"
    query = f"SELECT type, tbl_name, name, sql FROM {master} WHERE type IN ('table', 'index') AND sql IS NOT NULL"
    if names is not None:  # the driver's own placeholders (qmark): no statement to compile per call
        rows = conn.exec_driver_sql(f"{query} AND tbl_name IN ({', '.join('?' * len(names))})", tuple(names))
    else:
        rows = conn.exec_driver_sql(query)
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
    names: Sequence[str] | None = None, rows: Iterable[Sequence[Any]] | None = None,
) -> dict[Any, list[dict[str, Any]]]:
    """SQLite's foreign keys, in one query: PRAGMA foreign_key_list gives columns, referent and
    actions; names and deferral come from the table SQL, matched by what they join, in the order
    written (SQLAlchemy's pattern for the SQL misses quoted names with quotes or parentheses,
    reserved words, non-ASCII names, and keys that join the same columns twice)."""
    from . import sqlite_sql  # its statement parser, read when a table is reflected

    if rows is None:  # (``rows``: those of the query below, read with the tables: ``sqlite_read``)
        prefix = "" if schema is None else f"{conn.dialect.identifier_preparer.quote(schema)}."
        # the driver's own placeholders (qmark): no statement to compile per call
        query = (
            "SELECT m.name, p.id, p.\"table\", p.\"from\", p.\"to\", p.on_update, p.on_delete"
            f" FROM {prefix}sqlite_master m JOIN pragma_foreign_key_list(m.name, ?) p"
            " WHERE m.type = 'table'" + (f" AND m.name IN ({', '.join('?' * len(names))})" if names is not None else "")
            + " ORDER BY m.name, p.id, p.seq"
        )
        rows = conn.exec_driver_sql(query, (schema or "main", *(names or ())))
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
        written = sqlite_sql.sqlite_foreign_keys(table_sql[table]) if table in table_sql else None
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


#: SQLite's keywords (https://sqlite.org/lang_keywords.html) that SQLAlchemy's list lacks: each is
#: refused as a bare name somewhere (``CONSTRAINT nothing CHECK (...)``, an index named ``window``),
#: so the DDL written here quotes them as it quotes the rest.
_SQLITE_RESERVED_TOO = frozenset({
    "abort", "action", "always", "current", "do", "exclude", "filter", "first", "following", "generated",
    "groups", "last", "materialized", "no", "nothing", "nulls", "others", "over", "partition", "preceding",
    "range", "recursive", "regexp", "release", "returning", "rows", "savepoint", "ties", "unbounded",
    "window", "with", "without",
})


@register_database
class SQLite(Database):
    """SQLite: transactional DDL, table rebuilds, the write lock taken when a transaction begins."""

    name = "sqlite"
    title = "SQLite"
    backends = ("sqlite",)
    sync_drivers = ("pysqlite",)
    sa_dialect_at = "sqlalchemy.dialects.sqlite.base:SQLiteDialect"
    generator_at = "ledger.dialects.sqlite:SQLiteGenerator"
    locks_per_transaction = True
    rebuilds_batches = True
    #: index names per database; constraint names are not checked at all (the fold keeps them
    #: apart per table: it finds them by name), and CHECKs of one name, which Alembic's batch
    #: rebuilds make, are held as one group (``ops.names``)
    names_per = (("schema", ("index",)), ("table", ("check", "foreignkey", "primary", "unique")),
                 ("repeat", ("check",)))
    # SQLite checks a foreign key's parent key only when rows change ("foreign key mismatch")
    referents = "any"
    keeps_unnamed_constraints = True
    keeps_autoincrement_keyword = True

    def compile_dialect(self, version: tuple[int, ...] | None, flavour: str | None, options: tuple[Any, ...]
                        ) -> sa.engine.Dialect:
        dialect = super().compile_dialect(version, flavour, options)
        preparer = dialect.identifier_preparer
        preparer.reserved_words = set(preparer.reserved_words) | _SQLITE_RESERVED_TOO
        return dialect

    def offline_version(self) -> tuple[int, ...] | None:
        import sqlite3  # loaded where SQLite is used, not by every command

        return tuple(sqlite3.sqlite_version_info)

    def database_file(self, url: sa.URL) -> Path | None:
        database = url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            return None
        return Path(database)

    def length_sql(self, column: str) -> str:
        return f"length({column})"

    def has_time_sql(self, column: str) -> str:
        return f"time({column}) <> '00:00:00'"

    def scratch_file_url(self, path: Path) -> str | None:
        return f"sqlite:///{path}"

    def scratch_statements(self, name: str) -> tuple[str, str] | None:
        return None

    def name_problem(self, name: str, what: str) -> str | None:
        if what in ("table", "index") and name.lower().startswith("sqlite_"):
            return "starts with sqlite_, which SQLite reserves"
        return None

    row_key_type = sa.Integer()
    keeps_comments = False
    index_option_prefixes = ("sqlite",)

    keeps_dangling_foreign_keys = True
    doubled_check_name_quote = '"'

    def checks_foreign_keys(self, conn: sa.Connection) -> bool:
        # a table rebuilt with a new foreign key copies its rows as they are; only a connection
        # with PRAGMA foreign_keys on refuses the rows that break it (at the copy's INSERT)
        return bool(conn.exec_driver_sql("PRAGMA foreign_keys").scalar())

    def reflect_keys(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                     names: Sequence[str], *, subset: bool, kw: Mapping[str, Any]) -> ReflectedKeys:
        """Foreign keys from PRAGMA foreign_key_list and the table SQL; unique constraints and
        expression indexes from the SQL SQLite keeps (the inspector only where that fails:
        SQLAlchemy's reading of the UNIQUE clauses stops at a ")" inside a quoted name, and
        it skips expression indexes)."""
        pks = inspector.get_multi_pk_constraint(**kw)
        table_sql, index_sql = _sqlite_sql(conn, schema, names if subset else None)
        return self._keys(conn, inspector, schema, names, pks, table_sql, index_sql, subset=subset)

    def _keys(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None, names: Sequence[str],
              pks: Mapping[Any, Any], table_sql: Mapping[str, str], index_sql: Mapping[tuple[str, str], str],
              *, subset: bool, rows: Iterable[Sequence[Any]] | None = None) -> ReflectedKeys:
        """:meth:`reflect_keys` from the primary keys and the SQL read (``rows``: the foreign
        keys' ``pragma_foreign_key_list`` rows, read with them)."""
        from . import sqlite_sql  # its statement parser, read when a table is reflected

        # The key's name and AUTOINCREMENT, which the inspector reads only in part or not at all, from
        # the table's SQL (a copy: the inspector's answers are its cache's)
        pks = {key: {**pk, "name": sqlite_sql.sqlite_primary_key_name(table_sql[key[1]]) or pk.get("name"),
                     "autoincrement": sqlite_sql.sqlite_autoincrement(table_sql[key[1]])}
               if key[1] in table_sql and pk.get("constrained_columns") else pk for key, pk in pks.items()}
        fks = _sqlite_foreign_keys(conn, schema, table_sql, pks, names if subset else None, rows)
        uniques: dict[Any, list[dict[str, Any]]] = {}
        for name in names:
            parsed = sqlite_sql.sqlite_unique_constraints(table_sql[name]) if name in table_sql else None
            uniques[(schema, name)] = (
                [{"name": unique, "column_names": list(columns)} for unique, columns in parsed]
                if parsed is not None else inspector.get_unique_constraints(name, schema=schema))
        return ReflectedKeys(pks, uniques, fks, index_sql=index_sql)

    def read_tables(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                    names: Sequence[str], parts: Collection[str] = ()) -> tuple[Any, ...] | None:
        """The tables ``names`` in one query (:mod:`.sqlite_read`)."""
        from .sqlite_read import read_tables

        read = read_tables(conn, schema, names)
        if read is None:
            return None
        keys = self._keys(conn, inspector, schema, names, read.primary_keys, read.table_sql, read.index_sql,
                          subset=True, rows=read.foreign_key_rows)
        return read.columns, read.indexes, read.checks, keys, {}  # no comments

    def unique_constraints(self, conn: sa.Connection, inspector: sa.Inspector, table: str,
                           schema: str | None) -> list[tuple[str | None, tuple[str, ...]]]:
        """From the table's SQL: SQLAlchemy reports a UNIQUE clause written twice once."""
        from . import sqlite_sql  # its statement parser, read when a table is reflected

        table_sql, _ = _sqlite_sql(conn, schema, (table,))
        parsed = sqlite_sql.sqlite_unique_constraints(table_sql[table]) if table in table_sql else None
        return parsed if parsed is not None else super().unique_constraints(conn, inspector, table, schema)

    def hidden_tables(self, conn: sa.Connection, schema: str | None) -> set[str]:
        """The virtual tables and the shadow tables of their modules (``PRAGMA table_list``, SQLite
        3.37 and later; before it the virtual tables alone, from ``sqlite_master``)."""
        where = f"{conn.dialect.identifier_preparer.quote(schema)}." if schema else ""
        try:
            rows = conn.exec_driver_sql(f"PRAGMA {where}table_list").all()
            return {row[1] for row in rows if row[2] in ("virtual", "shadow")}
        except sa.exc.DBAPIError:
            rows = conn.exec_driver_sql(f"SELECT name FROM {where}sqlite_master WHERE type = 'table' "
                                        "AND sql LIKE 'CREATE VIRTUAL TABLE%'").all()
            return {row[0] for row in rows}

    def spell_type(self, compiled: str) -> str:
        # SQLite keeps the declared name; reflection reads it by SQLite's affinity rules.
        resolved = self.type_compiler._resolve_type_affinity(compiled)  # type: ignore[attr-defined]
        if not isinstance(resolved, sa.types.NullType):
            compiled = str(resolved.compile(dialect=self.type_compiler))
        return spaced(compiled)

    def ledger_triggers(self, table: sa.Table, sa_dialect: sa.Dialect) -> list[str]:
        # INSERT OR REPLACE deletes the row it replaces without firing the DELETE trigger.
        prep = sa_dialect.identifier_preparer
        quoted, message = prep.format_table(table), refusal_literal()
        return [
            f"CREATE TRIGGER {trigger_name(table, prep, what)} BEFORE {what.upper()} ON {quoted} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            for what in ("update", "delete")
        ] + [
            f"CREATE TRIGGER {trigger_name(table, prep, 'no_replace')} BEFORE INSERT ON {quoted} "
            f"WHEN EXISTS (SELECT 1 FROM {quoted} WHERE seq = NEW.seq OR event_id = NEW.event_id) "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        ]

    def add_ledger_triggers(self, conn: sa.Connection, table: sa.Table, *, created: bool) -> None:
        """A ledger made by an earlier version gets the trigger that refuses INSERT OR REPLACE."""
        if created:
            super().add_ledger_triggers(conn, table, created=created)
            return
        prep = conn.dialect.identifier_preparer
        master = f"{prep.quote_schema(table.schema)}.sqlite_master" if table.schema else "sqlite_master"
        name = f"{table.name}_no_replace"
        if conn.execute(sa.text(f"SELECT 1 FROM {master} WHERE type = 'trigger' AND name = :n"), {"n": name}).first():
            return
        conn.exec_driver_sql(self.ledger_triggers(table, conn.dialect)[-1])

    def privilege_split_problem(self, schema: str | None) -> str | None:
        return ("SQLite has no roles: whoever can write the file can change the ledger; "
                "sign checkpoints and keep an anchor instead (docs/audit.md)")

    def lock_wait(self, conn: sa.Connection, timeout: float) -> None:
        """Each transaction's BEGIN IMMEDIATE (a read's too, on a connection that may write) waits up
        to ``timeout`` for the write lock: the connection's busy timeout."""
        # Through the DBAPI connection (SQLAlchemy's adapter for aiosqlite, whose own connection is
        # async): a statement through SQLAlchemy would open a transaction (and take the lock).
        conn.connection.dbapi_connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")  # type: ignore[union-attr]

    @contextlib.contextmanager
    def applier_lock(self, conn: sa.Connection, key: str, timeout: float, what: str) -> Iterator[None]:
        """SQLite has no session lock: its write lock is taken by each transaction's BEGIN
        IMMEDIATE, waiting up to ``timeout``."""
        self.lock_wait(conn, timeout)
        yield

    def others_mark(self, conn: sa.Connection, schema: str | None) -> Any:
        """``PRAGMA data_version``: it changes when another connection commits to the database file,
        never for this connection's own commits. Read through the DBAPI connection (SQLAlchemy's
        execution costs more than the read)."""
        prefix = f"{conn.dialect.identifier_preparer.quote(schema)}." if schema else ""
        try:
            row = conn.connection.dbapi_connection.execute(f"PRAGMA {prefix}data_version").fetchone()  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - no mark: the ledger is read as before
            return None
        return row[0] if row else None

    def driver_statements(self, conn: sa.Connection) -> Callable[[str], None] | None:
        """What runs a run's statements (``ledger.dialects.statement_runner``) on the driver's cursor,
        as SQLAlchemy's ``exec_driver_sql`` would run them (no parameters, the driver's error raised
        as SQLAlchemy's), where SQLAlchemy would add nothing to them: no listener of statement
        execution, the engine's logging of statements off. Outside a transaction (SQLAlchemy would
        begin one) a statement goes through SQLAlchemy. None (through SQLAlchemy) otherwise."""
        events = conn.dispatch
        if conn._echo or events.before_execute or events.after_execute or events.before_cursor_execute \
                or events.after_cursor_execute or conn.dialect.dispatch.handle_error:
            return None
        dbapi, dialect = conn.dialect.loaded_dbapi, conn.dialect
        cursor: Any = None

        def run(statement: str) -> None:
            nonlocal cursor
            if not conn.in_transaction():
                conn.exec_driver_sql(statement, execution_options={"no_parameters": True})
                return
            if cursor is None:
                cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(statement)
            except dbapi.Error as exc:
                raise sa.exc.DBAPIError.instance(statement, None, exc, dbapi.Error, dialect=dialect) from None

        return run

    def setup_engine(self, engine: sa.Engine) -> None:
        """SQLite's Python driver does not open a transaction before DDL, so DDL would commit on
        its own and a failed revision could not be rolled back: SQLAlchemy drives the transaction
        instead, and each one starts with ``BEGIN IMMEDIATE`` so that the writer lock is taken at
        the start (the ledger head is then read under it)."""
        throwaway = engine.url.database in THROWAWAY

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # the driver must not manage transactions
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA busy_timeout = 60000")
            if throwaway:
                cursor.execute("PRAGMA synchronous = OFF")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # A connection that only reads (status, verify, log) must not queue behind a writer.
            reads_only = conn.get_execution_options().get(READS_ONLY, False)
            statement = "BEGIN" if reads_only else "BEGIN IMMEDIATE"
            # On the driver's cursor, its error raised as SQLAlchemy's: a run begins a transaction
            # per revision, and SQLAlchemy's execution costs several times the statement.
            dbapi = conn.dialect.loaded_dbapi
            cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                cursor.execute(statement)
            except dbapi.Error as exc:
                raise sa.exc.DBAPIError.instance(statement, None, exc, dbapi.Error, dialect=conn.dialect) from None
            finally:
                cursor.close()
