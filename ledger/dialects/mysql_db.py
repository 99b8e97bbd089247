"""MySQL and MariaDB, the database object: names, facts, reflection fixes, the ledger's triggers
and lock.

Its DDL generator is in :mod:`ledger.dialects.mysql`, loaded when DDL is first needed;
SQLAlchemy's MySQL package is imported when a MySQL dialect is first asked for.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ledger.support import faults

from .database import Database, ReflectedKeys, register_database
from .ledger_table import LongBlob, LongText, commit_if_open, lock_timeout, refusal_literal, released, trigger_name
from .typetext import float_by_precision, rules, size_tier, spaced

if TYPE_CHECKING:
    from ops.specs import ForeignKeySpec, IndexSpec, UniqueSpec

    from .sequences import SequenceNow, SequenceSpec

__all__ = ["MySQL"]


_TYPE_SPELLING = rules(
    (r" (?:CHARACTER SET|CHARSET|COLLATE) \w+", ""),
    (r"^NATIONAL ", ""),
    (r"^NCHAR\b", "CHAR"),
    (r"^NVARCHAR\b", "VARCHAR"),
    (r"(?<=\S) BINARY$", ""),
    (r"^(BOOL|BOOLEAN)$", "TINYINT(1)"),
    (r"^(TINYINT|SMALLINT|MEDIUMINT|INTEGER|INT|BIGINT)(?:\((\d+)\))?(?=$| )",
     lambda m: ("INTEGER" if m.group(1) == "INT" else m.group(1))
     + ("(1)" if m.group(1) == "TINYINT" and m.group(2) == "1" else "")),
    (r"^(.*\bZEROFILL)$", lambda m: m.group(1) if "UNSIGNED" in m.group(1)
     else m.group(1).replace(" ZEROFILL", " UNSIGNED ZEROFILL")),
    (r"^(?:NUMERIC|DEC|FIXED)\b", "DECIMAL"),
    (r"^DECIMAL(?=$| )", "DECIMAL(10,0)"),
    (r"^DECIMAL\((\d+)\)", r"DECIMAL(\1,0)"),
    (r"^FLOAT(?:\((\d+)\))?(?=$| )", lambda m: float_by_precision(m, "FLOAT", "DOUBLE")),
    (r"^(?:REAL|DOUBLE PRECISION)\b", "DOUBLE"),
    (r"^TEXT\((\d+)\)", lambda m: size_tier("TEXT", int(m.group(1)) * 4)),
    (r"^BLOB\((\d+)\)", lambda m: size_tier("BLOB", int(m.group(1)))),
    (r"^JSON$", "LONGTEXT"),
    (r"^CHAR\(32\)$", "UUID"),
    (r"^YEAR\(4\)$", "YEAR"),
    (r"^(CHAR|BINARY|BIT)$", r"\1(1)"),
    (r"^(DATETIME|TIMESTAMP|TIME)\(0\)", r"\1"),
)


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


def _is_foreign_key_index(index: IndexSpec, foreign_keys: Iterable[ForeignKeySpec]) -> bool:
    """MariaDB/MySQL add an index, named after the foreign key, where no index covers its columns."""
    return not index.unique and any(
        fk.name == index.name and fk.columns == tuple(e.value for e in index.elements) for fk in foreign_keys
    )


def _string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


@register_database
class MySQL(Database):
    """MySQL and MariaDB ("mariadb" is MySQL's compiler told it talks to MariaDB): DDL commits
    one statement at a time, so every op is bracketed by an intent and its event."""

    name = "mysql"
    title = "MySQL/MariaDB"
    backends = ("mysql", "mariadb")
    flavours = ("mariadb",)
    default_driver = "pymysql"
    extra = "mysql"
    sync_drivers = ("pymysql", "mysqldb", "mariadbconnector", "mysqlconnector")
    transactional_ddl = False
    sa_dialect_at = "sqlalchemy.dialects.mysql.base:MySQLDialect"
    generator_at = "ledger.dialects.mysql:MySQLGenerator"
    name_limit = (64, "characters")
    names_primary_keys = False
    indexes_foreign_keys = True
    #: key names (indexes, uniques, the primary key) per table (unnamed ones after their first
    #: column: ``name``, ``name_2``), foreign key names per database (InnoDB), constraint names
    #: per table
    names_per = (("table", ("index", "primary", "unique")), ("schema", ("foreignkey",)),
                 ("table", ("check", "foreignkey", "primary", "unique")))
    # InnoDB takes a foreign key to the first columns of any index (mlrun's tags refer to the first
    # column of a unique key on three)
    referents = "index"
    restates_altered_columns = True
    numbers_unnamed_checks = True
    reports_autoincrement = True
    renames_foreign_keys_with_tables = True
    prefixes_text_indexes = True
    current_user_sql = "SELECT CURRENT_USER()"
    fills_added_not_null = True
    checks_foreign_keys_per_row = True

    booleans_are_numbers = True
    backslash_escapes = True
    uniques_are_indexes = True
    restrict_is_no_action = True
    keeps_foreign_key_deferral = False
    index_option_prefixes = ("mysql", "mariadb")
    long_text_type = LongText()
    long_binary_type = LongBlob()

    def bound_list(self, items: list[str], row: bool, driver: str) -> str | None:
        # PyMySQL and mysqlclient write a list or a tuple as the parenthesized list of its values (`IN %s`)
        return f"({', '.join(items)})"

    def ledger_triggers(self, table: sa.Table, sa_dialect: sa.Dialect) -> list[str]:
        prep = sa_dialect.identifier_preparer
        quoted, message = prep.format_table(table), refusal_literal()
        return [
            f"CREATE TRIGGER {trigger_name(table, prep, 'no_' + what)} BEFORE {what.upper()} ON {quoted} "
            f"FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{message}'"
            for what in ("update", "delete")
        ]

    def add_ledger_triggers(self, conn: sa.Connection, table: sa.Table, *, created: bool) -> None:
        """Each DDL statement commits on its own: a run stopped while the ledger was being created
        leaves it without some triggers, so each is checked and made."""
        schema = table.schema if table.schema is not None else conn.exec_driver_sql("SELECT DATABASE()").scalar()
        present = {row[0] for row in conn.execute(
            sa.text("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                    "WHERE EVENT_OBJECT_SCHEMA = :s AND EVENT_OBJECT_TABLE = :t"),
            {"s": schema, "t": table.name})}
        for what, statement in zip(("update", "delete"), self.ledger_triggers(table, conn.dialect), strict=True):
            if f"{table.name}_no_{what}" not in present:
                conn.exec_driver_sql(statement)
                faults.boundary("ddl ledger trigger")

    def privilege_split_problem(self, schema: str | None) -> str | None:
        """Privileges are granted per database, additively: an applier with ``ALL`` on the
        application's database would have ``DELETE``, ``DROP`` and ``TRIGGER`` on a ledger there."""
        if schema is not None:
            return None
        return ("on MariaDB/MySQL the ledger needs a database of its own for the split: set "
                "ledger_schema (e.g. \"audit\") in the config, so that the applier's rights on the "
                "application's database do not reach the ledger")

    def grant_account(self, role: str, prep: sa.sql.compiler.IdentifierPreparer) -> str:
        """``'user'@'host'`` (``'%'`` when the role names no host)."""
        if "@" in role:
            user, _, host = role.partition("@")
            return f"{_string(user.strip(chr(39)))}@{_string(host.strip(chr(39)))}"
        return f"{_string(role)}@'%'"

    @contextlib.contextmanager
    def applier_lock(self, conn: sa.Connection, key: str, timeout: float, what: str) -> Iterator[None]:
        """GET_LOCK, released when the connection ends."""
        # GET_LOCK names are server-wide: the database's name keeps two databases' appliers apart.
        database = conn.execute(sa.text("SELECT DATABASE()")).scalar()
        name = f"sl_{hashlib.sha256(f'{database}:{key}'.encode()).hexdigest()[:40]}"
        got = conn.execute(sa.text("SELECT GET_LOCK(:n, :t)"), {"n": name, "t": max(0, int(timeout))}).scalar()
        commit_if_open(conn)
        if got != 1:
            raise lock_timeout(what, timeout)
        with released(conn, sa.text("SELECT RELEASE_LOCK(:n)"), {"n": name}):
            yield

    @functools.cached_property
    def type_compiler(self) -> sa.engine.Dialect:
        # The MariaDB flavour: it compiles the generic Uuid to UUID (MariaDB 10.7+); MySQL's
        # CHAR(32) is folded into the same type by the spelling rules.
        from sqlalchemy.dialects.mysql.mariadb import MariaDBDialect

        return MariaDBDialect()

    def spell_type(self, compiled: str) -> str:
        return _TYPE_SPELLING(spaced(compiled))

    def stored_index_expression(self, text: str) -> str:
        return re.sub(r" (asc|desc)$", "", text)  # sort order is not reported

    doubled_check_name_quote = "`"

    def reflect_sequences(self, conn: sa.Connection, schema: str | None) -> list[SequenceSpec]:
        from .sequences import SequenceSpec  # reflection only: apply and rollback do not load it

        # MariaDB 10.3+ keeps a sequence as a one-row table of its options (MySQL has none).
        names = conn.execute(sa.text(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'SEQUENCE'"
            " AND TABLE_SCHEMA = COALESCE(:schema, DATABASE()) ORDER BY TABLE_NAME"), {"schema": schema}).scalars().all()
        quote = conn.dialect.identifier_preparer.quote
        found = []
        for name in names:
            where = f"{quote(schema)}.{quote(name)}" if schema else quote(name)
            row = conn.execute(sa.text(
                "SELECT start_value, increment, minimum_value, maximum_value, cache_size, cycle_option"
                f" FROM {where}")).one()
            found.append(SequenceSpec(str(name), schema, int(row[0]), int(row[1]), int(row[2]), int(row[3]),
                                      int(row[4]), bool(row[5])))
        return found

    no_cycle = "NOCYCLE"

    def sequence_now(self, conn: sa.Connection, schema: str | None, name: str, *,
                     dropping: bool = False) -> SequenceNow | None:
        from .sequences import SequenceNow, SequenceSpec  # reflection only: apply and rollback do not load it

        stored = conn.execute(sa.text(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'SEQUENCE'"
            " AND TABLE_SCHEMA = COALESCE(:schema, DATABASE()) AND TABLE_NAME = :name"),
            {"schema": schema, "name": name}).scalar()
        if stored is None:
            return None
        quote = conn.dialect.identifier_preparer.quote
        where = f"{quote(schema)}.{quote(stored)}" if schema else quote(stored)
        # the value a draw gives next once the values cached in the server are gone (as after a
        # restart): never one it gave already
        row = conn.execute(sa.text(
            "SELECT start_value, increment, minimum_value, maximum_value, cache_size, cycle_option,"
            f" next_not_cached_value FROM {where}")).one()
        spec = SequenceSpec(str(stored), schema, int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]),
                            bool(row[5]))
        drawn, next_value = int(row[6]) != spec.start, int(row[6])
        if dropping:
            # about to be dropped: the value it gives next, exactly, is the one it gives now (a
            # sequence that gave its last one and does not cycle refuses: where it stands, as above)
            try:
                next_value = int(conn.execute(sa.text(f"SELECT NEXTVAL({where})")).scalar_one())
            except sa.exc.DBAPIError:
                pass
            drawn = drawn or next_value != spec.start
        return SequenceNow(spec, next_value, drawn)

    def reflect_keys(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                     names: Sequence[str], *, subset: bool, kw: Mapping[str, Any]) -> ReflectedKeys:
        """Unique constraints are unique indexes, read with the indexes (:meth:`reflected_index`);
        foreign keys come from information_schema."""
        return ReflectedKeys(inspector.get_multi_pk_constraint(**kw), {},
                             _mysql_foreign_keys(conn, schema, inspector.get_multi_foreign_keys(**kw)))

    def declared_comment(self, table: sa.Table, dialect: sa.Dialect) -> str | None:
        """Its ``comment``, or else its ``<dialect>_comment`` keyword argument (``mysql_comment=``):
        SQLAlchemy writes each of the dialect's own table arguments as a table option, that one
        as ``COMMENT=``."""
        if table.comment is not None:
            return table.comment
        comment = table.kwargs.get(f"{dialect.name}_comment")
        return None if comment is None else str(comment)

    def table_options(self, conn: sa.Connection, schema: str | None, names: Sequence[str],
                      made_by: Sequence[str] = ()) -> dict[str, tuple[tuple[str, Any], ...]]:
        """Each table's character set and collation, as information_schema holds them: what a
        table replayed into another database (whose default may differ) is made with."""
        if not names:
            return {}
        query = sa.text(
            "SELECT t.TABLE_NAME, c.CHARACTER_SET_NAME, t.TABLE_COLLATION FROM information_schema.TABLES t"
            " JOIN information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION"
            " WHERE t.TABLE_SCHEMA = COALESCE(:schema, DATABASE()) AND t.TABLE_NAME IN :names"
        ).bindparams(sa.bindparam("names", expanding=True))
        return {str(name): (("mysql_charset", str(charset)), ("mysql_collate", str(collation)))
                for name, charset, collation in conn.execute(query, {"schema": schema, "names": list(names)})}

    def foreign_key_index(self, index: IndexSpec, foreign_keys: Sequence[ForeignKeySpec]) -> bool:
        return _is_foreign_key_index(index, foreign_keys)

    def stored_table_options(self, options: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
        """Character sets and collations in lower case, ``utf8`` as ``utf8mb3`` (what MariaDB and
        MySQL 8 report for the alias)."""
        def stored(key: str, value: Any) -> Any:
            if key not in ("mysql_charset", "mysql_collate") or not isinstance(value, str):
                return value
            value = value.lower()
            return "utf8mb3" + value[4:] if value == "utf8" or value.startswith("utf8_") else value

        return tuple((key, stored(key, value)) for key, value in options)

    def reflected_index(self, index: Mapping[str, Any], spec: IndexSpec,
                        foreign_keys: Sequence[ForeignKeySpec]) -> IndexSpec | UniqueSpec | None:
        import attrs

        from ops.specs import UniqueSpec

        if spec.name and "``" in spec.name:
            spec = attrs.evolve(spec, name=spec.name.replace("``", "`"))
        if self.foreign_key_index(spec, foreign_keys):
            return None
        if spec.unique and not spec.dialect_options and all(not e.expression for e in spec.elements):
            return UniqueSpec(spec.name, spec.columns)
        return spec

    def name_problem(self, name: str, what: str) -> str | None:
        if name.endswith(" "):
            return f"ends with a space, which {self.title} refuses"
        wide = next((c for c in name if ord(c) > 0xFFFF), None)
        if wide is not None:
            return f"holds {wide!r} (U+{ord(wide):X}): {self.title} names take only characters up to U+FFFF"
        return None

    def setup_engine(self, engine: sa.Engine) -> None:
        """Every session in strict mode: a value that does not fit a column (an ALTER that shortens a
        VARCHAR under a longer value) is refused instead of cut to fit with a warning."""

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT @@SESSION.sql_mode")
            modes = [m for m in str(cursor.fetchone()[0] or "").split(",") if m]
            if "STRICT_TRANS_TABLES" not in modes and "STRICT_ALL_TABLES" not in modes:
                cursor.execute("SET SESSION sql_mode = %s", (",".join([*modes, "STRICT_TRANS_TABLES"]),))
            cursor.close()

    def zero_takes_next_id(self, conn: sa.Connection, schema: str | None, table: str) -> str | None:
        """An explicit 0 (or NULL) inserted into the AUTO_INCREMENT column is stored as the next id
        unless the session's sql_mode holds NO_AUTO_VALUE_ON_ZERO: that column then, else None."""
        modes = str(conn.exec_driver_sql("SELECT @@SESSION.sql_mode").scalar() or "").upper().split(",")
        if "NO_AUTO_VALUE_ON_ZERO" in modes:
            return None
        return conn.execute(sa.text(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(:schema, DATABASE())"
            " AND TABLE_NAME = :name AND EXTRA LIKE '%auto_increment%'"), {"schema": schema, "name": table}).scalar()

    def url_problem(self, url: sa.URL) -> str | None:
        """PyMySQL fails with an AttributeError on a charset it does not know: say so in one line."""
        charset = url.query.get("charset")
        if charset is None or not url.drivername.endswith("+pymysql"):
            return None
        try:
            from pymysql.charset import charset_by_name
        except ImportError:
            return None
        for name in charset if isinstance(charset, tuple) else (charset,):
            if charset_by_name(name) is None:
                return (f"the URL's charset={name!r} is not a character set MySQL/MariaDB knows "
                        "(e.g. charset=utf8mb4)")
        return None

    def flavour_of(self, live: sa.engine.Dialect) -> str | None:
        return "mariadb" if getattr(live, "is_mariadb", False) else None

    def live_options(self, live: sa.engine.Dialect | None, flavour: str | None) -> tuple[Any, ...]:
        if live is None:
            return (False, True)
        return (bool(getattr(live, "_server_ansiquotes", False)), bool(getattr(live, "_backslash_escapes", True)))

    def compile_dialect(self, version: tuple[int, ...] | None, flavour: str | None, options: tuple[Any, ...]
                        ) -> sa.engine.Dialect:
        ansiquotes, backslash_escapes = options
        mariadb = flavour == "mariadb"
        dialect = self.sa_dialect(paramstyle="named", is_mariadb=mariadb)
        if version is not None:
            dialect.server_version_info = version
        dialect._backslash_escapes = backslash_escapes  # type: ignore[attr-defined]
        if ansiquotes:
            dialect._server_ansiquotes = True  # type: ignore[attr-defined]
            dialect.identifier_preparer = dialect.preparer(dialect, server_ansiquotes=True)  # type: ignore[call-arg]
            if mariadb:
                dialect.identifier_preparer._set_mariadb()  # type: ignore[attr-defined]
        return dialect
