"""PostgreSQL, the database object: names, facts, reflection fixes, the ledger's triggers and lock.

Its DDL generator is in :mod:`ledger.dialects.postgresql`, loaded when DDL is first needed; the
catalog queries it runs are in :mod:`ledger.dialects.postgresql_catalog`;
SQLAlchemy's PostgreSQL package is imported when a PostgreSQL dialect is first asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .database import Database, ReflectedKeys, register_database
from .postgresql_catalog import (
    CONSTRAINTS,
    DIGEST_PARTS,
    INHERITED_PARTS,
    ONE_COLUMN_TABLES,
    PARTITIONS,
    SEQUENCE_DEPENDENTS,
    catalog_keys,
)
from .ledger_table import commit_if_open, lock_timeout, refusal_literal, released, rollback_if_open, trigger_name
from .typetext import float_by_precision, rules, spaced
from ledger.support.lazyre import lazy

if TYPE_CHECKING:
    from ops.specs import ForeignKeySpec, IdentitySpec, IndexSpec, UniqueSpec

    from .sequences import SequenceNow, SequenceSpec

__all__ = ["PostgreSQL"]


#: Keywords PostgreSQL reserves (its "reserved" and "reserved, can be function or type" ones) that
#: SQLAlchemy's list lacks: a constraint named ``collation`` must be quoted.
_PG_RESERVED_TOO = frozenset({"collation", "concurrently", "lateral", "system_user", "tablesample"})


_TYPE_SPELLING = rules(
    (r"(\[\])+$", "[]"),
    (r"^FLOAT(?:\((\d+)\))?(?=$|\[)", lambda m: float_by_precision(m, "REAL", "DOUBLE PRECISION")),
    (r"^DOUBLE(?= |$|\[)(?! PRECISION)", "DOUBLE PRECISION"),
    (r"^DECIMAL\b", "NUMERIC"),
    (r"^NUMERIC\((\d+)\)", r"NUMERIC(\1,0)"),
    (r"^NCHAR\b", "CHAR"),
    (r"^NVARCHAR\b", "VARCHAR"),
    (r"^CHARACTER VARYING\b", "VARCHAR"),
    (r"^(CHAR|BIT)(?=$|\[)", r"\1(1)"),
    (r"^INT(?=$|\[)", "INTEGER"),
    (r" COLLATE \S+$", ""),
)


#: What PostgreSQL refuses inside a transaction block ("... cannot run inside a transaction block"), and
#: an enum value added, which no later statement of its transaction may use ("unsafe use of new value"):
#: migrations add it in Alembic's autocommit_block(), and it is run so here.
_OUTSIDE_TRANSACTION = r"""^\s*(?:
        (?:CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX)\s+CONCURRENTLY\b
      | ALTER\s+TYPE\s[^;]*\bADD\s+VALUE\b
      | REINDEX\s+(?:\([^)]*\)\s*)?(?:(?:INDEX|TABLE)\s+CONCURRENTLY|SCHEMA|DATABASE|SYSTEM)\b
      | VACUUM\b
      | (?:CREATE|DROP)\s+(?:DATABASE|TABLESPACE)\b
      | ALTER\s+SYSTEM\b
      | ALTER\s+TABLE\s[^;]*\bDETACH\s+PARTITION\s[^;]*\bCONCURRENTLY\b
    )"""


#: what tables may need that is not a table: an extension (an operator class, a type), a schema, a
#: collation, a sequence no column owns (a column's ``DEFAULT nextval('s')``). Not the DROP of a
#: sequence: the sequence it drops may be one a SERIAL column made, which does not exist before the
#: tables (ckan's 37ada738328e drops its tables' id sequences once the ids are UUIDs)
#: (also a routine a SQL text made before its tables, recorded under the settings it ran under: around.py)
_PREPARES = lazy(r"^\s*(?:(?:CREATE|DROP)\s+(?:EXTENSION|SCHEMA|COLLATION)|CREATE\s+SEQUENCE"
                 r"|(?:SELECT\s+pg_catalog\.set_config\('\w+',\s*'(?:[^']|'')*',\s*false\);\s*)+"
                 r"CREATE(?:\s+OR\s+REPLACE)?\s+(?:FUNCTION|PROCEDURE))\b", re.IGNORECASE)

_INT_RANGES = {"SMALLINT": 2**15 - 1, "INTEGER": 2**31 - 1, "BIGINT": 2**63 - 1}


def _literal(value: Any) -> str:
    """``value`` (None, an int, a str) as a literal for a server with standard_conforming_strings on."""
    if type(value) is str and "\x00" not in value:  # most values: tested first
        return "'" + value.replace("'", "''") + "'"
    if value is None:
        return "NULL"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no literal for {type(value).__name__}")


def _without_context(error: Exception) -> Exception:
    """``error`` without the ``LINE n: ...`` lines under its message: they quote the whole message
    the statement went in, so their line number and caret do not fit the statement named."""
    lines = str(error).splitlines()
    kept = [line for at, line in enumerate(lines)
            if not line.startswith("LINE ") and not (at and lines[at - 1].startswith("LINE ") and line.strip() == "^")]
    if kept == lines:
        return error
    try:
        return type(error)("\n".join(kept))
    except Exception:  # noqa: BLE001 - an error type made otherwise: its text as it is
        return error


@register_database
class PostgreSQL(Database):
    """PostgreSQL: transactional DDL, named ENUM types, 63-byte names (longer ones are cut silently)."""

    name = "postgresql"
    title = "PostgreSQL"
    backends = ("postgresql",)
    default_driver = "psycopg"
    extra = "postgresql"
    sync_drivers = ("psycopg", "psycopg2", "pg8000")
    sa_dialect_at = "sqlalchemy.dialects.postgresql.base:PGDialect"
    generator_at = "ledger.dialects.postgresql:PostgreSQLGenerator"
    name_limit = (63, "bytes")
    cuts_long_names = True
    reads_constraints = True
    shares_named_enums = True
    writes_in_with = drops_what_uses_a_column = renames_tables_alone = True  # the latter two: as the fold, not read back
    #: index names (a primary key's and a unique constraint's are index names too) per schema,
    #: constraint names per table
    names_per = (("schema", ("index", "primary", "unique")), ("table", ("check", "foreignkey", "primary", "unique")))
    current_user_sql = "SELECT current_user"

    def unnamed_check_name(self, table: str, column: str) -> str | None:
        """``<table>_<column>_check``, the longer of the two cut first to fit 63 bytes (PostgreSQL's
        ``ChooseConstraintName``; a number follows only where that name is taken)."""
        first, second = table.encode(), column.encode()
        room = self.name_limit[0] - len("_check") - 1  # type: ignore[index]
        while len(first) + len(second) > room:
            if len(first) > len(second):
                first = first[:-1]
            else:
                second = second[:-1]
        return (f"{first.decode('utf-8', 'ignore')}_{second.decode('utf-8', 'ignore')}_check")

    def drop_object_sql(self, kind: str, name: str, *, table: str | None = None, arguments: str | None = None) -> str:
        """A trigger is dropped from its table; a function or procedure by its argument types."""
        if kind == "TRIGGER" and table is not None:
            return f"DROP TRIGGER IF EXISTS {name} ON {table}"
        if kind in ("FUNCTION", "PROCEDURE") and arguments is not None:
            return f"DROP {kind} IF EXISTS {name}{arguments}"
        return super().drop_object_sql(kind, name, table=table, arguments=arguments)

    def names_setting(self, conn: sa.Connection, value: str | None = None) -> tuple[str, str] | None:
        """The session's ``search_path`` and the one a new session gets (``RESET``'s); with ``value``, the
        session's set to it (``set_config``, not local: within the transaction, as ``SET`` is)."""
        if value is not None:
            conn.execute(sa.text("SELECT set_config('search_path', :value, false)"), {"value": value})
            return None
        row = conn.execute(sa.text("SELECT setting, reset_val FROM pg_settings WHERE name = 'search_path'")).one()
        return str(row[0]), str(row[1])

    def create_schema_sql(self, quoted: str) -> str:
        """What makes a schema tables live in (``baseline`` records it before them)."""
        return f"CREATE SCHEMA IF NOT EXISTS {quoted}"

    def user_schemas(self, conn: sa.Connection) -> list[str]:
        """Every schema but the current one, ``information_schema`` and PostgreSQL's own (``pg_*``)."""
        return list(conn.exec_driver_sql(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname <> current_schema() "
            "AND nspname <> 'information_schema' AND left(nspname, 3) <> 'pg_' ORDER BY nspname").scalars())

    def digest_scope(self, conn: sa.Connection, statement: str) -> list[int] | None:
        """The tables (oids) that ``ALTER INDEX name RENAME TO`` (the index's) or ``ALTER TYPE name``
        (:data:`TYPE_TABLES`) can change, read before it runs; None for any other statement."""
        from .postgresql_digest import digest_scope  # read when the hook first meets such SQL text

        return digest_scope(conn, statement)

    def scoped_digests(self, conn: sa.Connection, statement: str) -> tuple[dict[str, str], list[int] | None]:
        from .postgresql_digest import scoped_digests

        return scoped_digests(conn, statement)

    def table_digests(self, conn: sa.Connection, schema: str | None = None,
                      tables: Sequence[int] | None = None) -> dict[str, str] | None:
        """An md5 per table (views too) of its catalog rows as PostgreSQL prints them: each column
        (type, NOT NULL, identity and its sequence, generated, collation, default, comment, an enum
        type's labels), each constraint's definition (the table a foreign key refers to by name),
        each index's, the comments of the table, its constraints and its indexes.

        Run without JIT compilation: the planner's estimate for its correlated reads of the catalog
        passes ``jit_above_cost`` (more so on a catalog a run has filled and emptied), and compiling
        it took 0.5 to 3 s where running it takes milliseconds; the hook runs it twice around each
        SQL text statement. ``jit`` is set back in every path (``postgresql_digest``). ``tables``: only
        the tables of these oids (:meth:`digest_scope`)."""
        from .postgresql_digest import table_digests

        return table_digests(conn, schema, tables)

    def digest_parts(self, before: str, after: str) -> frozenset[str] | None:
        """The parts whose md5 differs: its columns, its constraints (keys and CHECKs), its indexes;
        None when its kind, persistence or comment differ."""
        old, new = before.split("|"), after.split("|")
        if len(old) != len(DIGEST_PARTS) or len(new) != len(DIGEST_PARTS):
            return None
        parts: set[str] = set()
        for covered, a, b in zip(DIGEST_PARTS, old, new):
            if a != b:
                if covered is None:
                    return None
                parts |= covered
        return frozenset(parts)

    def table_read(self, conn: sa.Connection, table: str, schema: str | None = None) -> Any:
        from .postgresql_read import table_read  # read when the hook first reads a table back

        return table_read(conn, table, schema)

    def one_column_tables(self, conn: sa.Connection, column: str, schema: str | None = None) -> list[str]:
        """The tables of ``schema`` (None: the default one) whose one column is ``column``, in one query:
        of the tables SQLAlchemy's inspector lists (ordinary and partitioned), their live columns."""
        return list(conn.execute(sa.text(ONE_COLUMN_TABLES), {"column": column, "schema": schema}).scalars())

    def constraints(self, conn: sa.Connection, table: str,
                    schema: str | None = None) -> list[tuple[str, str, tuple[str, ...], str | None, tuple[str, ...]]] | None:
        rows = conn.execute(sa.text(CONSTRAINTS), {"table": table, "schema": schema})
        return [(kind, name, tuple(columns), referent, tuple(referent_columns))
                for kind, name, columns, referent, referent_columns in rows]

    def type_definition(self, conn: sa.Connection, name: str) -> str | None:
        """A named ENUM type as ``CREATE TYPE name AS ENUM (labels)``, its labels in their order; the
        name as written is looked up as PostgreSQL resolves it (the search path)."""
        labels = self.enum_labels(conn, name)
        if not labels:
            return None
        return f"CREATE TYPE {name} AS ENUM (" + ", ".join("'" + v.replace("'", "''") + "'" for v in labels) + ")"

    def enum_labels(self, conn: sa.Connection, name: str) -> list[str]:
        return list(conn.execute(sa.text(
            "SELECT e.enumlabel FROM pg_catalog.pg_enum e WHERE e.enumtypid = to_regtype(:name) "
            "ORDER BY e.enumsortorder"), {"name": name}).scalars().all())

    def ledger_triggers(self, table: sa.Table, sa_dialect: sa.Dialect) -> list[str]:
        prep = sa_dialect.identifier_preparer
        quoted, message = prep.format_table(table), refusal_literal()
        function = trigger_name(table, prep, "refuse_change")
        no_change, no_truncate = prep.quote(f"{table.name}_no_change"), prep.quote(f"{table.name}_no_truncate")
        return [
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$sl$ BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege'; END $sl$",
            f"CREATE TRIGGER {no_change} BEFORE UPDATE OR DELETE ON {quoted} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {no_truncate} BEFORE TRUNCATE ON {quoted} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
            # Fire in every session_replication_role (replica would skip an ordinary trigger).
            f"ALTER TABLE {quoted} ENABLE ALWAYS TRIGGER {no_change}",
            f"ALTER TABLE {quoted} ENABLE ALWAYS TRIGGER {no_truncate}",
        ]

    def ledger_grants(self, table: sa.Table, snapshots: sa.Table, sa_dialect: sa.Dialect, *, applier: str,
                      owner: str | None) -> list[str]:
        prep = sa_dialect.identifier_preparer
        quoted, cache, app = prep.format_table(table), prep.format_table(snapshots), self.grant_account(applier, prep)
        statements = []
        if owner is not None:
            function = trigger_name(table, prep, "refuse_change")
            statements += [f"ALTER TABLE {quoted} OWNER TO {prep.quote(owner)}",
                           f"ALTER FUNCTION {function}() OWNER TO {prep.quote(owner)}",
                           f"ALTER TABLE {cache} OWNER TO {prep.quote(owner)}"]
        statements += [f"REVOKE ALL ON {quoted} FROM PUBLIC", f"REVOKE ALL ON {quoted} FROM {app}",
                       f"GRANT SELECT, INSERT ON {quoted} TO {app}",
                       f"GRANT SELECT, INSERT, DELETE ON {cache} TO {app}"]
        if table.schema:
            statements.append(f"GRANT USAGE ON SCHEMA {prep.quote_schema(table.schema)} TO {app}")
        return statements

    @contextlib.contextmanager
    def applier_lock(self, conn: sa.Connection, key: str, timeout: float, what: str) -> Iterator[None]:
        """A session advisory lock, released when the connection ends."""
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        deadline = time.monotonic() + timeout
        while not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": number}).scalar():
            if conn.in_transaction():
                conn.commit()
            if time.monotonic() >= deadline:
                raise lock_timeout(what, timeout)
            time.sleep(0.05)
        commit_if_open(conn)
        with released(conn, sa.text("SELECT pg_advisory_unlock(:k)"), {"k": number}):
            yield

    def run_together(self, conn: sa.Connection, statements: Sequence[str]) -> None:
        """psycopg (3) sends SQL text without parameters as one simple query, which may hold
        several statements: one round trip for all of them."""
        if conn.dialect.driver != "psycopg":
            super().run_together(conn, statements)
            return
        conn.exec_driver_sql(";\n".join(statements), execution_options={"no_parameters": True})

    def commit_in_statement(self, conn: sa.Connection) -> Callable[[Any], str] | None:
        """psycopg (3) sends SQL text without parameters as one simple query, which may hold several
        statements, ``COMMIT`` among them; the driver then finds the session idle and its own
        commit sends nothing. Values are written as standard SQL literals, exact while the server
        has ``standard_conforming_strings`` on (a backslash is then an ordinary character) and the
        client encoding is UTF-8."""
        if conn.dialect.driver != "psycopg":
            return None
        return self.literal_writer(conn)

    def literal_writer(self, conn: sa.Connection) -> Callable[[Any], str] | None:
        """Standard SQL literals, exact while the server has ``standard_conforming_strings`` on (a
        backslash is then an ordinary character) and the client encoding is UTF-8, as psycopg (3)
        and psycopg2 report them; with another driver, None."""
        raw: Any = conn.connection.dbapi_connection
        try:
            if conn.dialect.driver == "psycopg":
                conforming, encoding = raw.info.parameter_status("standard_conforming_strings"), raw.info.encoding
            elif conn.dialect.driver == "psycopg2":
                conforming, encoding = raw.get_parameter_status("standard_conforming_strings"), raw.encoding
            else:
                return None
        except AttributeError:
            return None
        if conforming not in ("on", b"on") or str(encoding).lower().replace("-", "").replace("_", "") != "utf8":
            return None
        return _literal

    def one_message(self, conn: sa.Connection) -> Callable[[Sequence[str]], tuple[int, sa.exc.DBAPIError] | None] | None:
        """psycopg (3): the statements go as one simple query through the driver's own connection
        and its wait (so Ctrl-C cancels the query on the server, as for any statement), and each
        statement's result comes back on its own: the server stops at the first that fails, and
        its position says which. Only where :meth:`commit_in_statement` holds (the COMMIT's
        INSERT is written with literals)."""
        if self.commit_in_statement(conn) is None:
            return None
        try:
            import psycopg
            from psycopg import errors, generators, pq
        except ImportError:
            return None
        raw: Any = conn.connection.dbapi_connection
        if not all(hasattr(raw, name) for name in ("pgconn", "wait", "lock")):
            return None
        failed = pq.ExecStatus.FATAL_ERROR

        def send(statements: Sequence[str]) -> tuple[int, sa.exc.DBAPIError] | None:
            begin = raw.pgconn.transaction_status == pq.TransactionStatus.IDLE
            text = ";\n".join(["BEGIN", *statements] if begin else statements)
            # SQLAlchemy's listeners see the message as one statement, as they see any other.
            conn.dispatch.before_cursor_execute(conn, None, text, (), None, False)
            try:
                with raw.lock:
                    raw.pgconn.send_query(text.encode("utf-8"))
                    results = raw.wait(generators.execute(raw.pgconn))
            except psycopg.Error as exc:
                # Lost on the way: SQLAlchemy's connection is invalid from now on, as when a
                # statement it runs finds the connection gone.
                conn.invalidate(exc)
                raise sa.exc.DBAPIError.instance(text, None, exc, psycopg.Error, connection_invalidated=True,
                                                 dialect=conn.dialect) from None  # type: ignore[misc]
            for index, result in enumerate(results):
                if result.status == failed:
                    position = max(index - begin, 0)
                    error = _without_context(errors.error_from_result(result, encoding="utf-8"))
                    return position, sa.exc.DBAPIError.instance(  # type: ignore[return-value]
                        statements[min(position, len(statements) - 1)], None, error, psycopg.Error, dialect=conn.dialect)
            conn.dispatch.after_cursor_execute(conn, None, text, (), None, False)
            return None

        return send

    @contextlib.contextmanager
    def quick_commits(self, conn: sa.Connection) -> Iterator[None]:
        """``synchronous_commit = off`` for the block: a COMMIT returns once its WAL is written, and
        the WAL writer flushes it within moments. A crash of the server can then lose the last
        transactions committed, each wholly (WAL is replayed in order, a transaction's commit
        record last), never a part of one. At the end one transaction with a transaction id
        commits as configured (``synchronous_commit`` back to the session's default), which
        flushes the WAL up to it: every commit of the block is then as durable as one made with
        the server's setting, and its wait is paid once instead of once per transaction."""
        commit_if_open(conn)
        with conn.begin():
            conn.exec_driver_sql("SET synchronous_commit = off")
        try:
            yield
        except BaseException:
            if not (conn.invalidated or conn.closed):
                with contextlib.suppress(sa.exc.SQLAlchemyError):
                    rollback_if_open(conn)  # the failed transaction's, never committed
                    self._durable(conn)
            raise
        self._durable(conn)

    @staticmethod
    def _durable(conn: sa.Connection) -> None:
        commit_if_open(conn)
        with conn.begin():
            conn.exec_driver_sql("SET synchronous_commit TO DEFAULT")
            # A transaction id makes the COMMIT write (and, as configured, flush) a commit record.
            conn.exec_driver_sql("SELECT txid_current()")

    merges_duplicate_uniques = True
    primary_key_serves_as_unique = True
    stores_computed_columns = True
    keeps_foreign_key_match = True
    keeps_unique_deferral = True
    keeps_column_order = False
    index_option_prefixes = ("postgresql",)
    index_operator_classes = True

    reflects_every_table = finds_named_tables = True  # (the second: ``read_tables`` needs no list of the tables)
    boolean_literals = ("false", "true")

    def bound_list(self, items: list[str], row: bool, driver: str) -> str | None:
        # psycopg's: a list is an array (text[] for strings; '{}' when empty); psycopg2 writes a tuple as
        # the parenthesized list of its values (`IN %s`), psycopg 3 sends it as a record
        if row:
            return f"({', '.join(items)})" if driver == "psycopg2" else f"ROW({', '.join(items)})"
        return f"ARRAY[{', '.join(items)}]" if items else "'{}'"

    def bytes_literal(self, hex_digits: str) -> str:
        return f"'\\x{hex_digits}'::bytea"

    def reflect_keys(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                     names: Sequence[str], *, subset: bool, kw: Mapping[str, Any]) -> ReflectedKeys:
        """Primary keys, unique constraints and foreign keys in one catalog query."""
        pks, uniques, fks, deferrable = catalog_keys(conn, schema, names if subset else None)
        return ReflectedKeys(pks, uniques, fks, deferrable)

    def read_tables(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                    names: Sequence[str], parts: Collection[str] = ()) -> tuple[Any, ...] | None:
        """``parts`` of the tables ``names`` in one catalog query (:mod:`.postgresql_read`)."""
        from .postgresql_read import read_tables

        return read_tables(conn, schema, names, parts)

    def read_index(self, conn: sa.Connection, schema: str | None, table: str, written: str) -> dict[str, Any] | None:
        """The one index of ``table`` (exact name) that a statement named ``written`` (as it wrote the
        name), as the inspector's ``get_multi_indexes`` gives it, in one catalog query
        (:mod:`.postgresql_read`), by the name PostgreSQL keeps for ``written``: a quoted name as it
        is, a bare one folded to lower case. None where it holds no such index, for a bare name not
        all ASCII, and for one it would cut (:meth:`stored_name`): not known from one read."""
        from .postgresql_read import read_index
        from .sqltokens import unquote_identifier

        if written[:1] == '"':
            name = unquote_identifier(written)
        elif written.isascii():
            name = written.lower()
        else:
            return None
        return read_index(conn, schema, table, name) if self.stored_name(name) == name else None

    def table_options(self, conn: sa.Connection, schema: str | None, names: Sequence[str],
                      made_by: Sequence[str] = ()) -> dict[str, tuple[tuple[str, Any], ...]]:
        """A partitioned table's partition key (``postgresql_partition_by``) and a partition's
        parent and bound (``postgresql_partition_of``, ``postgresql_partition_bound``), as the
        catalog prints them: what makes the table again as the database holds it. Not read where
        the statements that made the tables are known (``made_by``) and none of them says
        ``PARTITION`` (``PARTITION BY``, ``PARTITION OF``, ``ATTACH PARTITION``): they hold none."""
        if not names or (conn.dialect.server_version_info or (10,)) < (10,) or (
                made_by and not any("partition" in statement.lower() for statement in made_by)):
            return {}
        found = {}
        for name, key, parent, bound in conn.execute(sa.text(PARTITIONS), {"schema": schema, "names": list(names)}):
            options = [("postgresql_partition_by", key)] if key else []
            if parent is not None:
                options += [("postgresql_partition_bound", bound), ("postgresql_partition_of", parent)]
            found[str(name)] = tuple(sorted(options))
        return found

    def inherited_parts(self, conn: sa.Connection, schema: str | None, names: Sequence[str]) -> set[tuple[str, str]]:
        """What a partition holds because its partitioned table holds it, which comes and goes with
        that table's: the indexes PostgreSQL made (or attached) for the table's indexes, the keys and
        CHECKs it carried down: (table, name)."""
        if not names or (conn.dialect.server_version_info or (11,)) < (11,):
            return set()
        return {(str(t), str(i)) for t, i in conn.execute(sa.text(INHERITED_PARTS), {"schema": schema,
                                                                                     "names": list(names)})}

    def changed_by(self, op: Any) -> tuple[frozenset[str] | None, bool]:  # what a drill reads after ``op``
        from .postgresql_read import changed_by
        return changed_by(op)

    def reflected_index(self, index: Mapping[str, Any], spec: IndexSpec,
                        foreign_keys: Sequence[ForeignKeySpec]) -> IndexSpec | UniqueSpec | None:
        return None if index.get("duplicates_constraint") else spec  # the index behind a unique constraint

    def runs_outside_transaction(self, statement: str) -> bool:
        return re.match(_OUTSIDE_TRANSACTION, statement, re.IGNORECASE | re.VERBOSE) is not None

    def prepares_schema(self, statement: str) -> bool:
        return _PREPARES.match(statement) is not None

    def stored_identity(self, identity: IdentitySpec, type_text: str) -> IdentitySpec | None:
        """An identity with PostgreSQL's defaults filled in, as the server reports it."""
        from ops.specs import IdentitySpec

        top = _INT_RANGES.get(type_text, 2**63 - 1)
        increment = identity.increment or 1
        if increment > 0:
            minvalue = identity.minvalue if identity.minvalue is not None else 1
            maxvalue = identity.maxvalue if identity.maxvalue is not None else top
            start = identity.start if identity.start is not None else minvalue
        else:
            minvalue = identity.minvalue if identity.minvalue is not None else -top - 1
            maxvalue = identity.maxvalue if identity.maxvalue is not None else -1
            start = identity.start if identity.start is not None else maxvalue
        return IdentitySpec(always=bool(identity.always), start=start, increment=increment, minvalue=minvalue,
                            maxvalue=maxvalue, cycle=bool(identity.cycle), cache=identity.cache or 1)

    def stored_index_expression(self, text: str) -> str:
        # NULLs sort as the largest value: DESC NULLS FIRST and ASC NULLS LAST are the defaults.
        text = re.sub(r"^(.*) desc nulls first$", r"\1 desc", text)
        return re.sub(r"^(.*?)(?<! desc) nulls last$", r"\1", text)

    def canonical_type(self, type_: sa.types.TypeEngine[Any]) -> str | None:
        if isinstance(type_, sa.Enum) and type_.native_enum:
            # The DDL names the type only; PostgreSQL keeps its values, which are compared too.
            name = f"{type_.schema}.{type_.name}" if type_.schema else str(type_.name)
            values = ",".join("'" + v.replace("'", "''") + "'" for v in type_.enums)
            return f"ENUM {name}({values})"
        return super().canonical_type(type_)

    def spell_type(self, compiled: str) -> str:
        return _TYPE_SPELLING(spaced(compiled))

    def sequence_default(self, text: str) -> bool:
        return re.match(r"\s*nextval\s*\(", text, re.IGNORECASE) is not None

    def owned_sequence_columns(self, conn: sa.Connection, schema: str | None,
                               names: Sequence[str]) -> set[tuple[str, str]]:
        # SERIAL and BIGSERIAL: the sequence depends on its column automatically ('a'); an
        # identity's depends internally ('i') and is no default.
        rows = conn.execute(sa.text(
            "SELECT t.relname, a.attname FROM pg_catalog.pg_depend d"
            " JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
            " JOIN pg_catalog.pg_class t ON t.oid = d.refobjid"
            " JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
            " JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
            " WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass"
            " AND d.deptype = 'a' AND n.nspname = COALESCE(:schema, current_schema())"
            " AND t.relname = ANY(:names)"
        ), {"schema": schema, "names": list(names)})
        return {(str(table), str(column)) for table, column in rows}

    def reflect_sequences(self, conn: sa.Connection, schema: str | None) -> list[SequenceSpec]:
        from .sequences import SequenceSpec  # reflection only: apply and rollback do not load it

        # A SERIAL's sequence depends on its column automatically ('a'), an identity's internally ('i').
        rows = conn.execute(sa.text(
            "SELECT c.relname, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
            " pg_catalog.format_type(s.seqtypid, NULL) FROM pg_catalog.pg_sequence s"
            " JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = COALESCE(:schema, current_schema()) AND NOT EXISTS ("
            "  SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass"
            "  AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i'))"
            " ORDER BY c.relname"
        ), {"schema": schema})
        return [SequenceSpec(str(name), schema, int(start), int(increment), int(low), int(high), int(cache),
                             bool(cycle), None if data_type == "bigint" else str(data_type))
                for name, start, increment, low, high, cache, cycle, data_type in rows]

    sql_text_holds_statements = True
    sequence_types = True
    failure_aborts_transaction = True

    def sequence_now(self, conn: sa.Connection, schema: str | None, name: str, *,
                     dropping: bool = False) -> SequenceNow | None:
        from .sequences import SequenceNow, SequenceSpec  # reflection only: apply and rollback do not load it

        # an unquoted name is stored in lower case: the name as written first, then that
        rows = conn.execute(sa.text(
            "SELECT c.relname, s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,"
            " pg_catalog.format_type(s.seqtypid, NULL), (SELECT pg_catalog.quote_ident(tn.nspname) || '.' ||"
            "  pg_catalog.quote_ident(t.relname) || '.' || pg_catalog.quote_ident(a.attname)"
            "  FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class t ON t.oid = d.refobjid"
            "  JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace"
            "  JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid"
            "  WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid"
            "  AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1)"
            " FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = COALESCE(:schema, current_schema()) AND c.relname::text IN (:name, lower(:name))"
            " ORDER BY c.relname::text = :name DESC LIMIT 1"), {"schema": schema, "name": name}).all()
        if not rows:
            return None
        stored, start, increment, low, high, cache, cycle, data_type, owner = rows[0]
        quote = conn.dialect.identifier_preparer.quote
        table = ".".join(quote(part) for part in (schema, str(stored)) if part is not None)
        last, called = conn.execute(sa.text(f"SELECT last_value, is_called FROM {table}")).one()
        spec = SequenceSpec(str(stored), schema, int(start), int(increment), int(low), int(high), int(cache),
                            bool(cycle), None if data_type == "bigint" else str(data_type))
        # drawn: where it stands is set by setval() of the value it gave last (``sequences._position``)
        return SequenceNow(spec, int(last) + int(increment) if called else int(last), bool(called), owner,
                           int(last) if called else None)

    def column_sequences(self, conn: sa.Connection, schema: str | None, table: str) -> list[tuple[str, int, bool]]:
        names = conn.execute(sa.text(
            "SELECT pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.relname)"
            " FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
            " JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace"
            " JOIN pg_catalog.pg_class t ON t.oid = d.refobjid JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace"
            " WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass"
            " AND d.deptype IN ('a', 'i') AND t.relname = :table AND tn.nspname = COALESCE(:schema, current_schema())"
            " ORDER BY 1"), {"schema": schema, "table": table}).scalars().all()
        positions = []
        for name in names:
            last, called = conn.execute(sa.text(f"SELECT last_value, is_called FROM {name}")).one()
            positions.append((str(name), int(last), bool(called)))
        return positions

    def set_column_sequences(self, conn: sa.Connection, positions: list[tuple[str, int, bool]]) -> None:
        for name, last, called in positions:
            conn.execute(sa.text("SELECT pg_catalog.setval(:name, :last, :called)"),
                         {"name": name, "last": last, "called": called})

    def sequence_dependents(self, conn: sa.Connection, schema: str | None,
                            name: str) -> tuple[list[tuple[str, str, str]], list[str]]:
        columns: list[tuple[str, str, str]] = []
        others: list[str] = []
        for where, table, column, described in conn.execute(sa.text(SEQUENCE_DEPENDENTS),
                                                            {"schema": schema, "name": name}):
            if column is not None:
                columns.append((str(where), str(table), str(column)))
            else:
                others.append(str(described))
        return columns, others

    def serial_sequence_name(self, table: str, column: str) -> str | None:
        return f"{table}_{column}_seq"

    def scratch_statements(self, name: str) -> tuple[str, str] | None:
        create, drop = super().scratch_statements(name)  # type: ignore[misc]
        return create, drop + " WITH (FORCE)"  # connections left behind do not keep it

    def compile_dialect(self, version: tuple[int, ...] | None, flavour: str | None, options: tuple[Any, ...]
                        ) -> sa.engine.Dialect:
        dialect = super().compile_dialect(version, flavour, options)
        if version is not None:
            # What SQLAlchemy works out when it connects: before PostgreSQL 18 a generated column is
            # STORED only, and "GENERATED ALWAYS AS (...)" must say so (tacker's vnf_lcm_filters).
            dialect.supports_virtual_generated_columns = version >= (18,)
        preparer = dialect.identifier_preparer
        preparer.reserved_words = set(preparer.reserved_words) | _PG_RESERVED_TOO
        return dialect
