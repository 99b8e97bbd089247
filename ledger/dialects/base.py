"""What every dialect shares: the compile dialect, op dispatch, and DDL built from SQLAlchemy constructs.

A :class:`DDLGenerator` turns one operation and the schema state it applies to into executable
SQL strings. Each op class maps to a method name (``@handles``); a dialect subclass overrides the
methods where its database differs. Schema objects are rebuilt from the state (``before`` for
what goes away, ``before.apply(op)`` for what comes in), so the generator never reflects.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import attrs
import sqlalchemy as sa

from ops import (
    AddColumnOp,
    AddConstraintOp,
    AlterColumnOp,
    CreateIndexOp,
    CreateTableCommentOp,
    CreateTableOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    ExecuteSQLOp,
    LedgerError,
    MigrateOperation,
    RenameTableOp,
    SchemaState,
)
from ops.names import ONE_PER_SCHEMA, NamesPer
from ops.specs import IndexSpec, TableSpec

__all__ = [
    "DATABASES",
    "DDLGenerator",
    "Database",
    "UnsupportedDialectError",
    "UnsupportedOperationError",
    "choices",
    "column_type",
    "compile_dialect",
    "database",
    "database_file",
    "generated",
    "handles",
    "mentions",
    "names",
    "register_database",
    "table_of",
    "transactional_ddl",
]

class UnsupportedDialectError(LedgerError, ValueError):
    """A database that schema-ledger does not speak."""


class UnsupportedOperationError(LedgerError, NotImplementedError):
    """An operation that cannot be turned into SQL for this database."""


# ---------------------------------------------------------------------------------------------
# One object per database
# ---------------------------------------------------------------------------------------------


class Database:
    """Everything schema-ledger knows about one database (Alembic's ``DefaultImpl``, one per database).

    A subclass in ``ledger/dialects/<name>.py``, registered with :func:`register_database`, is
    what adding a database means (docs/design.md, "Add a database"): every list of supported
    databases, every ``--dialect`` choice and every per-database decision is read from these
    objects.
    """

    #: the name used in configuration, ``--dialect`` and the implementation registry
    name: ClassVar[str] = ""
    #: how messages name it
    title: ClassVar[str] = ""
    #: SQLAlchemy backend names (``make_url(url).get_backend_name()``) this object serves
    backends: ClassVar[tuple[str, ...]] = ()
    #: other names ``--dialect`` accepts for a flavour of this database (MariaDB's "mariadb")
    flavours: ClassVar[tuple[str, ...]] = ()
    #: the DBAPI driver used when a URL names none ("postgresql://" -> "postgresql+psycopg")
    default_driver: ClassVar[str | None] = None
    #: whether DDL runs inside a transaction that a failure rolls back; without it (MariaDB,
    #: MySQL) every op is bracketed by a committed intent and its event, and
    #: ``--one-transaction`` is refused
    transactional_ddl: ClassVar[bool] = True
    #: whether the write lock comes with each transaction (SQLite's BEGIN IMMEDIATE), so the
    #: ledger is read again in every transaction instead of once under the applier lock
    locks_per_transaction: ClassVar[bool] = False
    #: whether the ops of a ``batch_alter_table`` block share one table rebuild (SQLite)
    rebuilds_batches: ClassVar[bool] = False
    #: the SQLAlchemy dialect class statements are compiled with
    sa_dialect: ClassVar[type[sa.engine.Dialect]]
    #: the generator of the SQL of the built-in operations
    generator: ClassVar[type[DDLGenerator]]
    #: (most, "bytes" or "characters") an identifier may hold; None: no limit
    name_limit: ClassVar[tuple[int, str] | None] = None
    #: whether a name over ``name_limit`` is cut without an error (PostgreSQL)
    cuts_long_names: ClassVar[bool] = False
    #: which constraint and index names must differ, per schema or per table (``ops.names``): the
    #: fold of a ledger of this database keeps names apart as the database does (``empty_state``)
    names_per: ClassVar[NamesPer] = ONE_PER_SCHEMA
    #: whether a primary key keeps the name it is given (MySQL/MariaDB call every one PRIMARY)
    names_primary_keys: ClassVar[bool] = True
    #: InnoDB's foreign key indexes: an index is made for every foreign key no index serves,
    #: kept when the key is dropped, dropped with the last column it holds or once another
    #: index serves the key; reflection shows them, the fold does not model them
    indexes_foreign_keys: ClassVar[bool] = False
    #: ALTER of a column restates the whole column (MySQL's MODIFY/CHANGE), so what the
    #: statement leaves out is reset
    restates_altered_columns: ClassVar[bool] = False
    #: renaming a table renames its generated foreign key names (``t_ibfk_1`` -> ``u_ibfk_1``)
    renames_foreign_keys_with_tables: ClassVar[bool] = False
    #: an index on a TEXT column gets a key prefix length the database chooses (MariaDB)
    prefixes_text_indexes: ClassVar[bool] = False
    #: SQL that names the connected database user (None: the database has no users)
    current_user_sql: ClassVar[str | None] = None

    def compile_dialect(self, version: tuple[int, ...] | None, flavour: str | None, options: tuple[Any, ...]
                        ) -> sa.engine.Dialect:
        """A compile dialect for a server of ``version`` (None: unknown) and ``flavour``; ``options``
        come from :meth:`live_options`. Built once per argument tuple (see :func:`compile_dialect`)."""
        # The "named" paramstyle matters: under psycopg's and PyMySQL's "pyformat"/"format",
        # SQLAlchemy doubles every "%" in literals and text, which is right only for a statement
        # that is then %-interpolated. Our statements run as written (see ``execute``), so a
        # CHECK (x LIKE 'a%') must come out with one "%".
        dialect = self.sa_dialect(paramstyle="named")
        if version is not None:
            dialect.server_version_info = version
        return dialect

    def offline_version(self) -> tuple[int, ...] | None:
        """The server version assumed when there is no connection."""
        return None

    def live_options(self, live: sa.engine.Dialect | None, flavour: str | None) -> tuple[Any, ...]:
        """What of a connected dialect (or, offline, of ``flavour``) changes how statements compile."""
        return ()

    def flavour_of(self, live: sa.engine.Dialect) -> str | None:
        """The flavour a live connection talks to ("mariadb"), None for the database itself."""
        return None

    def name_problem(self, name: str, what: str) -> str | None:
        """Why this database refuses ``name`` for a ``what`` ("table", "column", "index", ...)
        however it is quoted (the end of a sentence starting with the name), or None."""
        return None

    def sequence_default(self, text: str) -> bool:
        """Whether a reflected server default ``text`` is the database's own sequence for the
        column (PostgreSQL's ``nextval(...)`` of a SERIAL), not a default anyone declared."""
        return False

    def database_file(self, url: sa.URL) -> Path | None:
        """The file that holds the database at ``url``, for a database kept in a file (SQLite),
        else None. Relative as written in the URL."""
        return None

    def scratch_statements(self, name: str) -> tuple[str, str] | None:
        """``CREATE DATABASE`` and ``DROP DATABASE`` statements for a scratch database ``name`` on
        the target's server (drills); None: the scratch is a temporary file instead."""
        quote = self.sa_dialect(paramstyle="named").identifier_preparer.quote_identifier
        return f"CREATE DATABASE {quote(name)}", f"DROP DATABASE IF EXISTS {quote(name)}"

    def setup_engine(self, engine: sa.Engine) -> None:
        """Make an engine behave as the runner needs (SQLite: transactional DDL, the write lock)."""

    # -- the ledger table ------------------------------------------------------------------------

    #: the type of the ledger's long text columns (payload, message) where ``sa.Text`` is too short
    long_text_type: ClassVar[sa.types.TypeEngine[Any] | None] = None
    #: the type of a snapshot's state where ``sa.LargeBinary`` is too short
    long_binary_type: ClassVar[sa.types.TypeEngine[Any] | None] = None
    #: the type of the ledger's ``seq`` key where ``sa.BigInteger`` is not the row key (SQLite)
    row_key_type: ClassVar[sa.types.TypeEngine[Any] | None] = None

    def ledger_triggers(self, table: sa.Table, sa_dialect: sa.Dialect) -> list[str]:
        """The statements that make the ledger ``table`` refuse UPDATE and DELETE (and whatever
        else would change or remove its rows on this database), raising ``ledger_table.REFUSAL``."""
        raise UnsupportedDialectError(f"schema-ledger has no ledger triggers for {self.title or self.name}")

    def add_ledger_triggers(self, conn: sa.Connection, table: sa.Table, *, created: bool) -> None:
        """Give the ledger ``table`` its refusal triggers: all of them when the table was just
        ``created`` (in the same transaction); on a table that existed, those an earlier version
        or an interrupted creation left out (none, unless the database says otherwise)."""
        if created:
            for statement in self.ledger_triggers(table, conn.dialect):
                conn.exec_driver_sql(statement)

    @contextlib.contextmanager
    def applier_lock(self, conn: sa.Connection, key: str, timeout: float, what: str) -> Iterator[None]:
        """Hold the lock that serialises appliers, named ``key``, for the block; wait up to
        ``timeout`` seconds, then raise ``ledger_table.LockTimeout`` naming ``what``. The lock
        must end with the session, so that a killed runner leaves nothing behind."""
        raise UnsupportedDialectError(f"schema-ledger has no applier lock for {self.title or self.name}")
        yield


#: name -> the database object; filled by :func:`register_database`
DATABASES: dict[str, Database] = {}


def register_database(cls: type[Database]) -> type[Database]:
    """Class decorator: make ``cls`` a supported database, with its generator's DDL in the
    implementation registry of ``ops.Operations`` for every op class the generator handles."""
    from ops import Operations

    database = cls()
    DATABASES[cls.name] = database
    for op_class in cls.generator._methods:
        Operations.implementation_for(op_class, cls.name)(generated)
    return cls


def names() -> tuple[str, ...]:
    """The supported databases, by the name schema-ledger uses for each."""
    return tuple(DATABASES)


def choices() -> tuple[str, ...]:
    """What ``--dialect`` accepts: every database's name and flavours."""
    return tuple(n for database in DATABASES.values() for n in (database.name, *database.flavours))


def database(name: str) -> Database:
    """The database object for a schema-ledger name, a flavour ("mariadb") or a SQLAlchemy backend name."""
    found = DATABASES.get(name)
    if found is not None:
        return found
    for candidate in DATABASES.values():
        if name in candidate.flavours or name in candidate.backends:
            return candidate
    raise UnsupportedDialectError(f"unsupported database dialect {name!r} (supported: {', '.join(choices())})")


def database_file(url: str | sa.URL) -> Path | None:
    """The file holding the database at ``url`` when its database keeps one (a SQLite file; not
    ``:memory:`` or a ``file:`` URI), else None."""
    parsed = sa.make_url(url)
    try:
        return database(parsed.get_backend_name()).database_file(parsed)
    except UnsupportedDialectError:
        return None


def column_type(default: sa.types.TypeEngine[Any], variant: str) -> sa.types.TypeEngine[Any]:
    """``default`` with, for every database whose attribute ``variant`` (``"long_text_type"``, ...)
    is set, that type in its place."""
    for db in DATABASES.values():
        other = getattr(db, variant)
        if other is not None:
            default = default.with_variant(other, *db.backends)
    return default


def transactional_ddl(dialect: str) -> bool:
    """Whether ``dialect``'s DDL runs inside a transaction (see :attr:`Database.transactional_ddl`)."""
    return database(dialect).transactional_ddl


def generated(operations: Any, op: MigrateOperation) -> None:
    """The implementation of every built-in op: the database's DDL generator writes its SQL.

    Registered per database by :func:`register_database`; :func:`ledger.dialects.ddl` calls the
    generator directly when it finds this function, so the facade is only a way in for callers
    that run ops through one (``MigrationContext``).
    """
    context = operations.migration_context
    for statement in context.generator.statements(op, context.state):
        operations.execute(statement)


# ---------------------------------------------------------------------------------------------
# The dialect used for compiling
# ---------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def _compile_dialect(name: str, version: tuple[int, ...] | None, flavour: str | None,
                     options: tuple[Any, ...]) -> sa.engine.Dialect:
    return DATABASES[name].compile_dialect(version, flavour, options)


def compile_dialect(dialect: str, conn: sa.Connection | None = None) -> sa.engine.Dialect:
    """The SQLAlchemy dialect statements are compiled with: the connection's flavour and version
    (MariaDB or MySQL, ANSI_QUOTES, backslash escapes) when there is one, else a default one."""
    db = database(dialect)
    flavour = dialect if dialect in db.flavours else None
    live = conn.dialect if conn is not None else None
    if live is None:
        return _compile_dialect(db.name, db.offline_version(), flavour, db.live_options(None, flavour))
    version = tuple(live.server_version_info) if live.server_version_info else None
    flavour = db.flavour_of(live) or flavour
    return _compile_dialect(db.name, version, flavour, db.live_options(live, flavour))


# ---------------------------------------------------------------------------------------------
# Dispatch
# ---------------------------------------------------------------------------------------------

_F = TypeVar("_F", bound=Callable[..., list[str]])


def handles(*op_classes: type[MigrateOperation]) -> Callable[[_F], _F]:
    """Method decorator: this generator method makes the statements for ``op_classes``."""

    def mark(fn: _F) -> _F:
        fn.__handles__ = op_classes  # type: ignore[attr-defined]
        return fn

    return mark


def mentions(sql: str, name: str) -> bool:
    """Whether SQL text may refer to column ``name`` (conservatively: as a word, any quoting)."""
    return re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", sql, re.IGNORECASE) is not None


def table_of(op: MigrateOperation, state: SchemaState) -> tuple[str | None, str] | None:
    """The (schema, name) of the one table ``op`` changes, or None for ops on no single table."""
    if isinstance(op, (CreateTableOp, DropTableOp, RenameTableOp, ExecuteSQLOp)):
        return None
    if isinstance(op, DropIndexOp) and op.table_name is None:
        table, _ = state.find_index(op.index_name, op.schema)
        return (op.schema, table.name)
    name = getattr(op, "table_name", None)
    return None if name is None else (getattr(op, "schema", None), name)


class DDLGenerator:
    """Statements for operations on one database dialect, built with SQLAlchemy's DDL compiler."""

    name: ClassVar[str] = ""
    _methods: ClassVar[dict[type[MigrateOperation], str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        methods: dict[type[MigrateOperation], str] = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                for op_class in getattr(value, "__handles__", ()):
                    methods[op_class] = attr
        cls._methods = methods

    def __init__(self, dialect: sa.engine.Dialect, conn: sa.Connection | None = None) -> None:
        self.dialect = dialect
        self.conn = conn
        self.preparer = dialect.identifier_preparer
        self._metadata: dict[int, tuple[SchemaState, sa.MetaData]] = {}
        self._tables: dict[tuple[int, tuple[str | None, str]], tuple[SchemaState, sa.MetaData]] = {}

    # -- entry points --------------------------------------------------------------------------

    def statements(self, op: MigrateOperation, before: SchemaState) -> list[str]:
        for klass in type(op).__mro__:
            method = self._methods.get(klass)  # type: ignore[arg-type]
            if method is not None:
                return list(getattr(self, method)(op, before))
        raise UnsupportedOperationError(f"no {self.name} DDL for {type(op).__name__}")

    def batch(self, ops: Sequence[MigrateOperation], before: SchemaState) -> list[str]:
        statements: list[str] = []
        state = before
        for op in ops:
            statements += self.statements(op, state)
            state = state.apply(op)
        return statements

    # -- helpers -------------------------------------------------------------------------------

    def compile(self, element: Any) -> str:
        return str(element.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True})).strip()

    def quote(self, name: str) -> str:
        return self.preparer.quote(name)

    def metadata(self, state: SchemaState) -> sa.MetaData:
        """The SQLAlchemy tables of ``state`` (built once per state per generator)."""
        cached = self._metadata.get(id(state))
        if cached is None or cached[0] is not state:
            cached = (state, state.to_metadata())
            self._metadata[id(state)] = cached
        return cached[1]

    def table(self, state: SchemaState, name: str, schema: str | None = None) -> sa.Table:
        spec = state.table(name, schema)  # a clear error when it is missing
        cached = self._tables.get((id(state), spec.key))
        if cached is None or cached[0] is not state:
            cached = (state, self.neighbourhood(state, spec))
            self._tables[(id(state), spec.key)] = cached
        return cached[1].tables[spec.fullname]

    @staticmethod
    def neighbourhood(state: SchemaState, spec: TableSpec) -> sa.MetaData:
        """A private MetaData with ``spec``'s table and the tables its foreign keys refer to: all that
        compiling its DDL needs. Building every table of the state for each op made apply
        quadratic in the number of tables."""
        metadata = sa.MetaData()
        # A referred table stands in with the referred columns alone: REFERENCES needs no more,
        # and building the whole of each neighbour was most of a SQLite rebuild's time.
        referred: dict[tuple[str | None, str], set[str]] = {}
        for fk in spec.foreign_keys:
            key = (fk.referent_schema if fk.referent_schema is not None else spec.schema, fk.referent_table)
            referred.setdefault(key, set()).update(fk.referent_columns)
        for key in sorted({spec.key, *referred}, key=lambda k: (k[0] or "", k[1])):
            if key == spec.key:
                spec.to_table(metadata)
                continue
            target = state.tables.get(key)
            if target is not None:
                sa.Table(target.name, metadata, *(c.to_column() for c in target.columns if c.name in referred[key]),
                         schema=target.schema)
        return metadata

    def format_table(self, table: sa.Table) -> str:
        return self.preparer.format_table(table)

    def column_spec(self, column: sa.Column[Any]) -> str:
        """A column's definition as CREATE TABLE writes it (name, type, NULL, default, ...)."""
        return self.compile(sa.schema.CreateColumn(column))

    def type_sql(self, type_: Any) -> str:
        return str(self.dialect.type_compiler_instance.process(type_))

    def default_sql(self, column: sa.Column[Any]) -> str | None:
        ddl_compiler = self.dialect.ddl_compiler(self.dialect, None)
        return ddl_compiler.get_column_default_string(column)  # type: ignore[no-any-return]

    def index(self, state: SchemaState, table: TableSpec, index: IndexSpec) -> sa.Index:
        sa_table = self.table(state, table.name, table.schema)
        for candidate in sa_table.indexes:
            if candidate.name == index.name:
                if candidate.dialect_kwargs.get("postgresql_concurrently"):
                    # How Alembic built it, not what it is: CONCURRENTLY cannot run inside the
                    # transaction a revision, a rollback or a drill runs in, so the ledger's DDL
                    # creates and drops the index plainly.
                    candidate.dialect_options["postgresql"]["concurrently"] = False
                return candidate
        raise UnsupportedOperationError(f"index {index.name} is not on {table.fullname}")

    def constraint(self, state: SchemaState, table: TableSpec, name: str) -> sa.Constraint:
        sa_table = self.table(state, table.name, table.schema)
        for candidate in sa_table.constraints:
            if candidate.name == name:
                return candidate
        raise UnsupportedOperationError(f"constraint {name} is not on {table.fullname}")

    def comment_statements(self, table: sa.Table, columns: Sequence[sa.Column[Any]] | None = None,
                           *, table_comment: bool = True) -> list[str]:
        """COMMENT statements for databases that keep comments apart from CREATE/ALTER TABLE."""
        if not self.dialect.supports_comments or self.dialect.inline_comments:
            return []
        statements = []
        if table_comment and table.comment is not None:
            statements.append(self.compile(sa.schema.SetTableComment(table)))
        for column in table.columns if columns is None else columns:
            if column.comment is not None:
                statements.append(self.compile(sa.schema.SetColumnComment(column)))
        return statements

    def create_index_sql(self, index: sa.Index) -> str:
        return self.compile(sa.schema.CreateIndex(index))

    # -- tables --------------------------------------------------------------------------------

    @handles(CreateTableOp)
    def create_table(self, op: CreateTableOp, before: SchemaState) -> list[str]:
        after = before.apply(op)
        table = self.table(after, op.table.name, op.table.schema)
        statements = [self.compile(sa.schema.CreateTable(table))]
        statements += self.comment_statements(table)
        statements += [self.create_index_sql(i) for i in sorted(table.indexes, key=_index_name)]
        return statements

    @handles(DropTableOp)
    def drop_table(self, op: DropTableOp, before: SchemaState) -> list[str]:
        return [self.compile(sa.schema.DropTable(self.table(before, op.table_name, op.schema)))]

    @handles(RenameTableOp)
    def rename_table(self, op: RenameTableOp, before: SchemaState) -> list[str]:
        table = self.table(before, op.old_table_name, op.schema)
        return [f"ALTER TABLE {self.format_table(table)} RENAME TO {self.quote(op.new_table_name)}"]

    @handles(CreateTableCommentOp)
    def create_table_comment(self, op: CreateTableCommentOp, before: SchemaState) -> list[str]:
        if not self.dialect.supports_comments:
            return []
        after = before.apply(op)
        return [self.compile(sa.schema.SetTableComment(self.table(after, op.table_name, op.schema)))]

    @handles(DropTableCommentOp)
    def drop_table_comment(self, op: DropTableCommentOp, before: SchemaState) -> list[str]:
        if not self.dialect.supports_comments:
            return []
        return [self.compile(sa.schema.DropTableComment(self.table(before, op.table_name, op.schema)))]

    # -- columns -------------------------------------------------------------------------------

    @handles(AddColumnOp)
    def add_column(self, op: AddColumnOp, before: SchemaState) -> list[str]:
        after = before.apply(op)
        table = self.table(after, op.table_name, op.schema)
        column = table.c[op.column.name]
        statements = [f"ALTER TABLE {self.format_table(table)} ADD COLUMN {self.column_spec(column)}"]
        statements += self.comment_statements(table, [column], table_comment=False)
        # The indexes and constraints a drop of the column took with it (the reverse of that drop).
        state = attrs.evolve(op, _then=()).apply(before)
        for follow in op._then:
            statements += self.statements(follow, state)
            state = follow.apply(state)
        return statements

    @handles(DropColumnOp)
    def drop_column(self, op: DropColumnOp, before: SchemaState) -> list[str]:
        # What uses the column is dropped first, as the fold does: every database then ends alike.
        statements: list[str] = []
        for dependent in op.dependents(before):
            statements += self.statements(dependent, before)
            before = dependent.apply(before)
        table = self.table(before, op.table_name, op.schema)
        return statements + [f"ALTER TABLE {self.format_table(table)} DROP COLUMN {self.quote(op.column_name)}"]

    @handles(AlterColumnOp)
    def alter_column(self, op: AlterColumnOp, before: SchemaState) -> list[str]:
        raise UnsupportedOperationError(f"no {self.name} DDL for alter_column")

    # -- constraints and indexes ---------------------------------------------------------------

    @handles(AddConstraintOp)
    def add_constraint(self, op: AddConstraintOp, before: SchemaState) -> list[str]:
        after = before.apply(op)
        spec = after.table(op.table_name, op.schema)
        return [self.compile(sa.schema.AddConstraint(self.constraint(after, spec, op.constraint.name)))]

    @handles(DropConstraintOp)
    def drop_constraint(self, op: DropConstraintOp, before: SchemaState) -> list[str]:
        spec = before.table(op.table_name, op.schema)
        return [self.compile(sa.schema.DropConstraint(self.constraint(before, spec, op.constraint_name)))]

    @handles(CreateIndexOp)
    def create_index(self, op: CreateIndexOp, before: SchemaState) -> list[str]:
        after = before.apply(op)
        spec = after.table(op.table_name, op.schema)
        return [self.create_index_sql(self.index(after, spec, op.index))]

    @handles(DropIndexOp)
    def drop_index(self, op: DropIndexOp, before: SchemaState) -> list[str]:
        spec, index = before.find_index(op.index_name, op.schema, op.table_name)
        return [self.compile(sa.schema.DropIndex(self.index(before, spec, index)))]

    # -- SQL -----------------------------------------------------------------------------------

    @handles(ExecuteSQLOp)
    def execute_sql(self, op: ExecuteSQLOp, before: SchemaState) -> list[str]:
        return [op.sqltext]


def _index_name(index: sa.Index) -> str:
    return str(index.name or "")
