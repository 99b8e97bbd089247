"""MySQL and MariaDB: full column definitions in MODIFY/CHANGE, and InnoDB's foreign key indexes."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects.mysql import LONGBLOB, LONGTEXT
from sqlalchemy.dialects.mysql.base import MySQLDialect
from sqlalchemy.dialects.mysql.mariadb import MariaDBDialect
from sqlalchemy.sql.elements import Grouping, TextClause

from ops import AddColumnOp, AlterColumnOp, DropColumnOp, CreatePrimaryKeyOp, DropConstraintOp, DropIndexOp, RenameTableOp, SchemaState
from ops.specs import ForeignKeySpec, IndexSpec, PrimaryKeySpec, TableSpec, UniqueSpec

from ledger.support import faults

from .base import Database, DDLGenerator, UnsupportedOperationError, handles, mentions, register_database
from .database import ReflectedKeys
from .typetext import float_by_precision, rules, size_tier, spaced
from .ledger_table import commit_if_open, lock_timeout, refusal_literal, released, trigger_name

__all__ = ["MySQL", "MySQLGenerator"]


class MySQLGenerator(DDLGenerator):
    """MySQL/MariaDB DDL (SQLAlchemy's compiler picks DROP CHECK or DROP CONSTRAINT per vendor)."""

    name = "mysql"

    def compile(self, element: Any) -> str:
        if isinstance(element, sa.schema.DropConstraint):
            # Importing Alembic replaces MySQL's compilation of DropConstraint, process-wide,
            # with a function that asserts it gets no compile keywords (so literal_binds fails
            # it). A DROP has no values to inline: compiled without keywords, both give the same.
            return str(element.compile(dialect=self.dialect)).strip()
        return super().compile(element)

    @handles(RenameTableOp)
    def rename_table(self, op: RenameTableOp, before: SchemaState) -> list[str]:
        table = self.table(before, op.old_table_name, op.schema)
        # An unqualified new name would move the table into the connection's current database.
        target = sa.Table(op.new_table_name, sa.MetaData(), schema=op.schema)
        return [f"ALTER TABLE {self.format_table(table)} RENAME TO {self.format_table(target)}"]

    def create_index_sql(self, index: sa.Index) -> str:
        expressions = [e for e in index.expressions if isinstance(e, TextClause)]
        if not expressions:
            return super().create_index_sql(index)
        if self.dialect.is_mariadb:  # type: ignore[attr-defined]
            raise UnsupportedOperationError(
                f"index {index.name}: MariaDB has no expression indexes (index a generated column instead)"
            )
        # MySQL 8 takes an expression key part only inside its own parentheses: ((lower(x))).
        copy = sa.Index(
            index.name,
            *[Grouping(e) if isinstance(e, TextClause) else e for e in index.expressions],
            unique=index.unique, **index.dialect_kwargs,
        )
        copy.table = index.table  # compiled against the table without becoming one of its indexes
        return super().create_index_sql(copy)

    @handles(AddColumnOp)
    def add_column(self, op: AddColumnOp, before: SchemaState) -> list[str]:
        statements = super().add_column(op, before)
        if op.insert_before is None:
            return statements
        names = before.apply(op).table(op.table_name, op.schema).column_names
        at = names.index(op.column.name)
        return [statements[0] + (" FIRST" if at == 0 else f" AFTER {self.quote(names[at - 1])}")] + statements[1:]

    @handles(DropColumnOp)
    def drop_column(self, op: DropColumnOp, before: SchemaState) -> list[str]:
        *first, statement = super().drop_column(op, before)
        if not self.dialect.is_mariadb:  # type: ignore[attr-defined]
            return [*first, statement]
        # MariaDB's DROP COLUMN also drops every CHECK that names no column at all (its columns
        # are "all dropped"): such checks are put back in the same statement.
        for dependent in op.dependents(before):
            before = dependent.apply(before)
        op = attrs.evolve(op, _dependents=())
        table = before.table(op.table_name, op.schema)
        after = before.apply(op)
        clauses = []
        for check in table.checks:
            if not any(mentions(check.sqltext, name) for name in table.column_names):
                add = self.compile(sa.schema.AddConstraint(self.constraint(after, table, check.name or "")))
                clauses.append(f"DROP CONSTRAINT IF EXISTS {self.quote(check.name or '')}, ADD {add.split(' ADD ', 1)[1]}")
        return [*first, ", ".join([statement, *clauses])]

    @handles(AlterColumnOp)
    def alter_column(self, op: AlterColumnOp, before: SchemaState) -> list[str]:
        # MODIFY and CHANGE replace the whole definition, so it is written in full from the new
        # state: type, NULL, default, comment and AUTO_INCREMENT together.
        after = before.apply(op)
        old = before.column(op.table_name, op.column_name, op.schema)
        new_name = op.modify_name or op.column_name
        if after.column(op.table_name, new_name, op.schema) == old:
            return []
        table = self.table(after, op.table_name, op.schema)
        spec = self.column_spec(table.c[new_name])
        if new_name != old.name:
            return [f"ALTER TABLE {self.format_table(table)} CHANGE COLUMN {self.quote(old.name)} {spec}"]
        return [f"ALTER TABLE {self.format_table(table)} MODIFY COLUMN {spec}"]

    @handles(CreatePrimaryKeyOp)
    def create_primary_key(self, op: CreatePrimaryKeyOp, before: SchemaState) -> list[str]:
        after = before.apply(op)
        table = self.table(after, op.table_name, op.schema)
        add = self.compile(sa.schema.AddConstraint(table.primary_key))
        auto = table.autoincrement_column
        if auto is None:
            return [add]
        # The key makes this column the table's AUTO_INCREMENT column, as CREATE TABLE would
        # have; both change in one statement because AUTO_INCREMENT needs the key.
        clause = add.split(" ADD ", 1)[1]
        return [f"ALTER TABLE {self.format_table(table)} MODIFY COLUMN {self.column_spec(auto)}, ADD {clause}"]

    @handles(DropConstraintOp)
    def drop_constraint(self, op: DropConstraintOp, before: SchemaState) -> list[str]:
        spec = before.table(op.table_name, op.schema)
        constraint = spec.constraint(op.constraint_name)
        table = self.table(before, op.table_name, op.schema)
        statements = super().drop_constraint(op, before)
        if isinstance(constraint, (PrimaryKeySpec, UniqueSpec)):
            statements = self._keep_foreign_key_indexes(spec, before.apply(op)) + statements
        if isinstance(constraint, PrimaryKeySpec) and table.autoincrement_column is not None:
            # MySQL refuses an AUTO_INCREMENT column that is no key: it goes in the same statement.
            after = before.apply(op)
            column = self.table(after, op.table_name, op.schema).c[table.autoincrement_column.name]
            return statements[:-1] + [f"ALTER TABLE {self.format_table(table)} MODIFY COLUMN "
                                      f"{self.column_spec(column)}, DROP PRIMARY KEY"]
        if isinstance(constraint, ForeignKeySpec) and self._has_implicit_index(spec, constraint):
            # InnoDB gave the foreign key an index of its own name; it outlives the key.
            statements.append(f"DROP INDEX {self.quote(constraint.name or '')} ON {self.format_table(table)}")
        return statements

    @handles(DropIndexOp)
    def drop_index(self, op: DropIndexOp, before: SchemaState) -> list[str]:
        spec, _index = before.find_index(op.index_name, op.schema, op.table_name)
        return self._keep_foreign_key_indexes(spec, before.apply(op)) + super().drop_index(op, before)

    def _keep_foreign_key_indexes(self, old: TableSpec, after: SchemaState) -> list[str]:
        """``CREATE INDEX`` for each foreign key whose only index is the key or index being dropped.

        InnoDB refuses to drop the last index a foreign key can use. Had the key not been there
        when the foreign key was made, InnoDB would have made an index named after the foreign
        key: that is the index made here, so the schema is the one InnoDB would have.
        """
        new = after.table(old.name, old.schema)
        statements = []
        for fk in new.foreign_keys:
            if fk.name is None or _covered(new, fk) or not _covered(old, fk) or self._has_implicit_index(old, fk):
                continue
            table = self.table(after, new.name, new.schema)
            columns = ", ".join(self.quote(c) for c in fk.columns)
            statements.append(f"CREATE INDEX {self.quote(fk.name)} ON {self.format_table(table)} ({columns})")
        return statements

    def _has_implicit_index(self, table: TableSpec, fk: ForeignKeySpec) -> bool:
        """Whether InnoDB created an index for ``fk`` (one that the schema state does not hold)."""
        if fk.name is None or table.index(fk.name) is not None:
            return False
        if self.conn is not None:
            query = sa.text(
                "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                + ("DATABASE()" if table.schema is None else ":schema")
                + " AND TABLE_NAME = :table AND INDEX_NAME = :name"
            )
            params: dict[str, Any] = {"table": table.name, "name": fk.name}
            if table.schema is not None:
                params["schema"] = table.schema
            return bool(self.conn.execute(query, params).scalar())
        # Without a connection: InnoDB keeps an index whose leading columns are the key's, making
        # one named after the key when no other index serves.
        return not _covered(table, fk)


def _covered(table: TableSpec, fk: ForeignKeySpec) -> bool:
    """Whether a key or index of ``table`` starts with ``fk``'s columns (InnoDB can use it for ``fk``)."""
    width = len(fk.columns)
    leads = [k.columns[:width] for k in ([table.primary_key] if table.primary_key else [])]
    leads += [u.columns[:width] for u in table.uniques]
    leads += [i.columns[:width] for i in table.indexes if len(i.columns) == len(i.elements)]
    return tuple(fk.columns) in leads


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
    sa_dialect = MySQLDialect
    generator = MySQLGenerator
    name_limit = (64, "characters")
    names_primary_keys = False
    indexes_foreign_keys = True
    #: key names (indexes, uniques, the primary key) per table (unnamed ones after their first
    #: column: ``name``, ``name_2``), foreign key names per database (InnoDB), constraint names
    #: per table
    names_per = (("table", ("index", "primary", "unique")), ("schema", ("foreignkey",)),
                 ("table", ("check", "foreignkey", "primary", "unique")))
    restates_altered_columns = True
    renames_foreign_keys_with_tables = True
    prefixes_text_indexes = True
    current_user_sql = "SELECT CURRENT_USER()"

    booleans_are_numbers = True
    backslash_escapes = True
    uniques_are_indexes = True
    restrict_is_no_action = True
    keeps_foreign_key_deferral = False
    index_option_prefixes = ("mysql", "mariadb")
    long_text_type = LONGTEXT()
    long_binary_type = LONGBLOB()

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
        return MariaDBDialect()

    def spell_type(self, compiled: str) -> str:
        return _TYPE_SPELLING(spaced(compiled))

    def stored_index_expression(self, text: str) -> str:
        return re.sub(r" (asc|desc)$", "", text)  # sort order is not reported

    doubled_check_name_quote = "`"

    def reflect_keys(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                     names: Sequence[str], *, subset: bool, kw: Mapping[str, Any]) -> ReflectedKeys:
        """Unique constraints are unique indexes, read with the indexes (:meth:`reflected_index`);
        foreign keys come from information_schema."""
        return ReflectedKeys(inspector.get_multi_pk_constraint(**kw), {},
                             _mysql_foreign_keys(conn, schema, inspector.get_multi_foreign_keys(**kw)))

    def reflected_index(self, index: Mapping[str, Any], spec: IndexSpec,
                        foreign_keys: Sequence[ForeignKeySpec]) -> IndexSpec | UniqueSpec | None:
        if spec.name and "``" in spec.name:
            spec = attrs.evolve(spec, name=spec.name.replace("``", "`"))
        if _is_foreign_key_index(spec, foreign_keys):
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
        dialect = MySQLDialect(paramstyle="named", is_mariadb=mariadb)
        if version is not None:
            dialect.server_version_info = version
        dialect._backslash_escapes = backslash_escapes  # type: ignore[attr-defined]
        if ansiquotes:
            dialect._server_ansiquotes = True  # type: ignore[attr-defined]
            dialect.identifier_preparer = dialect.preparer(dialect, server_ansiquotes=True)  # type: ignore[call-arg]
            if mariadb:
                dialect.identifier_preparer._set_mariadb()  # type: ignore[attr-defined]
        return dialect
