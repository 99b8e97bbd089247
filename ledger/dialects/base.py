"""What every dialect shares: the compile dialect, op dispatch, and DDL built from SQLAlchemy constructs.

A :class:`DDLGenerator` turns one operation and the schema state it applies to into executable
SQL strings. Each op class maps to a method name (``@handles``); a dialect subclass overrides the
methods where its database differs. Schema objects are rebuilt from the state (``before`` for
what goes away, ``before.apply(op)`` for what comes in), so the generator never reflects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

import sqlalchemy as sa

from ops import (
    AddColumnOp,
    AddConstraintOp,
    AlterColumnOp,
    AlterTableOptionsOp,
    CreateIndexOp,
    CreateTableCommentOp,
    CreateTableOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    ExecuteSQLOp,
    MigrateOperation,
    Operations,
    RenameTableOp,
    SchemaState,
)
from ops.specs import ColumnSpec, ConstraintSpec, DefaultSpec, IndexSpec, TableSpec, table_spec

from . import ddltext
from .typechecks import type_checks
from .database import (
    DATABASES,
    Database,
    UnsupportedDialectError,
    UnsupportedOperationError,
    backends,
    choices,
    column_type,
    compile_dialect,
    database,
    database_file,
    generated,
    names,
    register_database,
    transactional_ddl,
)
from ops import classes as oc

__all__ = [
    "DATABASES",
    "DDLContext",
    "DDLGenerator",
    "Database",
    "UnsupportedDialectError",
    "UnsupportedOperationError",
    "backends",
    "check_implemented",
    "choices",
    "column_type",
    "compile_dialect",
    "database",
    "database_file",
    "ddl",
    "ddl_batch",
    "generated",
    "generator",
    "handles",
    "mentions",
    "names",
    "reads_nothing",
    "register_database",
    "table_of",
    "transactional_ddl",
]


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
    #: ADD COLUMN is followed by the ADD CONSTRAINT of the CHECK the column's type makes (a
    #: ``Boolean``/``Enum`` with ``create_constraint``), as Alembic's add_column adds it; not where
    #: ALTER adds no constraint (SQLite, which adds such a column by a rebuild; Alembic skips the
    #: CHECK there, and the hook records the column as its type without it)
    adds_type_checks: ClassVar[bool] = True
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
        #: SQLAlchemy tables of the parts of tables that an op's DDL needs, by the values they come
        #: from (a part and the referred columns of its foreign keys): a generator that lives for a
        #: run builds each once
        self._parts: dict[Any, sa.MetaData] = {}
        #: compiled statements by the values that determine them (what, part, referred columns)
        self._compiled: dict[Any, str] = {}
        #: called before the generator reads the live schema (:meth:`reading`): a runner that holds
        #: DDL back, to send it later in one message, runs it first
        self.before_read: Callable[[], None] | None = None
        #: whether each batch of statements made runs on :attr:`conn` before the next is made (a run,
        #: not a dry run): what the generator reads of the live database then (a SQLite table's rows)
        #: is what the statements find
        self.runs_now = False
        #: the op, the state before it and the state after it that :meth:`statements` was last handed
        self._given: tuple[MigrateOperation, SchemaState, SchemaState] | None = None

    # -- entry points --------------------------------------------------------------------------

    def statements(self, op: MigrateOperation, before: SchemaState, after: SchemaState | None = None) -> list[str]:
        """The SQL of ``op`` on a schema that is ``before``; ``after``: ``before.apply(op)`` where the
        caller has it (a plan holds the state after each op), so that it is not made again."""
        if isinstance(op, (CreateTableOp, DropTableOp)):  # a partitioned table's partitions: made after it,
            parts = op._then if isinstance(op, CreateTableOp) else op.dependents(before)  # or dropped first
            if parts:
                return self.batch([oc.evolve(op, _then=()), *parts] if isinstance(op, CreateTableOp)
                                  else [*parts, oc.evolve(op, _dependents=())], before)
        if after is not None:
            self._given = (op, before, after)
        for klass in type(op).__mro__:
            method = self._methods.get(klass)  # type: ignore[arg-type]
            if method is not None:
                return list(getattr(self, method)(op, before))
        raise UnsupportedOperationError(f"no {self.name} DDL for {type(op).__name__}")

    def batch(self, ops: Sequence[MigrateOperation], before: SchemaState) -> list[str]:
        statements: list[str] = []
        state = before
        for op in ops:
            after = state.apply(op)
            statements += self.statements(op, state, after)
            state = after
        return statements

    def applied(self, op: MigrateOperation, before: SchemaState) -> SchemaState:
        """``before.apply(op)``: the state :meth:`statements` was handed for them, when it was."""
        given = self._given
        if given is not None and given[0] is op and given[1] is before:
            return given[2]
        return before.apply(op)

    def reading(self) -> sa.Connection | None:
        """The connection, to read the live schema with (None: none); DDL held back runs first."""
        if self.before_read is not None:
            self.before_read()
        return self.conn

    def forget_reads(self) -> None:
        """SQL this generator did not write runs now (a plugin's): what it keeps of the live schema
        for a transaction (SQLite's triggers) is read again."""

    def live_triggers(self, table: TableSpec) -> list[str] | None:
        """The ``CREATE TRIGGER`` statements of ``table`` the database holds now, as it keeps them;
        None where they are not read (a database whose rebuilds do not read them)."""
        return None

    def holds_as_written(self, conn: sa.Connection, state: SchemaState, spec: TableSpec) -> bool:
        """Whether the database holds ``spec``'s table as this generator writes it, told from the
        text it keeps (SQLite); False where the database keeps no such text."""
        return False

    # -- helpers -------------------------------------------------------------------------------

    def compile(self, element: Any) -> str:
        return str(element.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True})).strip()

    def quote(self, name: str) -> str:
        return self.preparer.quote(name)

    def metadata(self, state: SchemaState) -> sa.MetaData:
        """The SQLAlchemy tables of ``state``, as the database holds them (built once per state per generator)."""
        cached = self._metadata.get(id(state))
        if cached is None or cached[0] is not state:
            metadata = sa.MetaData()
            for key in sorted(state.tables, key=lambda k: (k[0] or "", k[1])):
                self.as_stored(state.tables[key]).to_table(metadata)
            cached = (state, metadata)
            self._metadata[id(state)] = cached
        return cached[1]

    @staticmethod
    def as_stored(spec: TableSpec) -> TableSpec:
        """``spec`` as the database holds it, for its DDL (SQLite: without the names of the
        constraints it keeps unnamed)."""
        return spec

    def table(self, state: SchemaState, name: str, schema: str | None = None) -> sa.Table:
        spec = state.table(name, schema)  # a clear error when it is missing
        cached = self._tables.get((id(state), spec.key))
        if cached is None or cached[0] is not state:
            cached = (state, self.neighbourhood(state, spec))
            self._tables[(id(state), spec.key)] = cached
        return cached[1].tables[spec.fullname]

    @classmethod
    def neighbourhood(cls, state: SchemaState, spec: TableSpec) -> sa.MetaData:
        """A private MetaData with ``spec``'s table (as the database holds it) and the tables its
        foreign keys refer to: all that compiling its DDL needs. Building every table of the state
        for each op made apply quadratic in the number of tables."""
        metadata = sa.MetaData()
        referred = _referred(state, spec)
        for key in sorted({spec.key, *referred}, key=lambda k: (k[0] or "", k[1])):
            if key == spec.key:
                cls.as_stored(spec).to_table(metadata)
            elif referred[key] is not None:
                schema, name, columns = referred[key]  # type: ignore[misc]
                sa.Table(name, metadata, *(c.to_column() for c in columns), schema=schema)
        return metadata

    def part(self, state: SchemaState, spec: TableSpec, *, columns: Sequence[str] = (), key_context: bool = False,
             constraint: ConstraintSpec | None = None, index: IndexSpec | None = None) -> sa.Table:
        """The SQLAlchemy table of the part of ``spec`` that a statement about ``columns``, ``constraint``
        or ``index`` needs: those columns (and what the constraint or index names), in the table's
        order; with ``key_context`` also the primary key with its columns and the foreign keys on
        any of them (what decides a column's SERIAL, AUTO_INCREMENT or inline PRIMARY KEY); else
        only the name. The statements compiled from it are those of the whole table; it is built
        once per distinct part (and referred columns) in the generator's life."""
        wanted = set(columns)
        pk = None
        if key_context and spec.primary_key is not None:
            pk = spec.primary_key
            wanted.update(pk.columns)
        fks: tuple[Any, ...] = ()
        uniques: tuple[Any, ...] = ()
        checks: tuple[Any, ...] = ()
        indexes: tuple[IndexSpec, ...] = ()
        if key_context:
            fks = tuple(fk for fk in spec.foreign_keys if wanted.intersection(fk.columns))
        if constraint is not None:
            wanted.update(constraint.column_names)
            if constraint is spec.primary_key:
                pk = constraint  # type: ignore[assignment]
            elif constraint in spec.foreign_keys:
                fks = tuple(fk for fk in spec.foreign_keys if fk is constraint or fk in fks)
            elif constraint in spec.uniques:
                uniques = (constraint,)
            else:
                checks = (constraint,)
        for fk in fks:
            if key_context:
                wanted.update(fk.columns)
            if (fk.referent_schema if fk.referent_schema is not None else spec.schema, fk.referent_table) == spec.key:
                wanted.update(fk.referent_columns)  # a foreign key to the table itself refers to its own columns
        if index is not None:
            wanted.update(index.columns)
            wanted.update(index.option_columns)
            indexes = (index,)
        part = table_spec(spec.name, tuple(c for c in spec.columns if c.name in wanted), spec.schema, pk, fks,
                          uniques, checks, indexes, spec.comment, spec.dialect_options)
        key = (part, tuple(sorted(_referred(state, part).items(), key=lambda kv: (kv[0][0] or "", kv[0][1]))))
        metadata = self._parts.get(key)
        if metadata is None:
            if len(self._parts) > 512:
                self._parts.clear()
            metadata = self._parts[key] = self.neighbourhood(state, part)
        return metadata.tables[spec.fullname]

    def compiled(self, key: Any, make: Callable[[], str]) -> str:
        """``make()``, remembered by ``key``: the values that determine the statement (what it is,
        the specs it comes from), so that each distinct one is compiled once in the generator's life."""
        found = self._compiled.get(key)
        if found is None:
            if len(self._compiled) > 4096:
                self._compiled.clear()
            found = self._compiled[key] = make()
        return found

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

    def default_text(self, default: DefaultSpec) -> str:
        """A server default as DEFAULT writes it: what :meth:`default_sql` gives for a column with
        ``default`` (SQLAlchemy writes it from the default alone), without building the column."""
        return self.compiled(("default", default), lambda: str(
            self.dialect.ddl_compiler(self.dialect, None).render_default_string(default.to_sa())))

    def index(self, state: SchemaState, table: TableSpec, index: IndexSpec) -> sa.Index:
        sa_table = self.part(state, table, index=index)
        for candidate in sa_table.indexes:
            if candidate.name == index.name:
                if candidate.dialect_kwargs.get("postgresql_concurrently"):
                    # How Alembic built it, not what it is: CONCURRENTLY cannot run inside the
                    # transaction a revision, a rollback or a drill runs in, so the ledger's DDL
                    # creates and drops the index plainly.
                    candidate.dialect_options["postgresql"]["concurrently"] = False
                return candidate
        raise UnsupportedOperationError(f"index {index.name} is not on {table.fullname}")

    def index_sql(self, state: SchemaState, table: TableSpec, index: IndexSpec) -> str:
        """``CREATE INDEX`` of ``index`` on ``table``, compiled once per distinct index in the generator's life."""
        # The statement names the table, the index's columns and expressions, and its options.
        text = ddltext.create_index(self.dialect, table, index)
        if text is not None:
            return text
        return self.compiled(("create index", table.schema, table.name, index),
                             lambda: self.create_index_sql(self.index(state, table, index)))

    def constraint(self, state: SchemaState, table: TableSpec, name: str) -> sa.Constraint:
        spec = table.constraint(name)
        if spec is None:
            raise UnsupportedOperationError(f"constraint {name} is not on {table.fullname}")
        sa_table = self.part(state, table, constraint=spec)
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

    def partition_statements(self, state: SchemaState, spec: TableSpec) -> list[str] | None:
        """The statements that make ``spec`` (a table of ``state``) as a partition of another table,
        which must stand first. None: it is none (here: no database has them)."""
        return None

    def named_types(self, tables: Sequence[sa.Table]) -> list[Any]:
        """The DDL elements that create the named types ``tables`` use, to run before the tables
        when a whole schema is created (``schema --format ddl``, ``materialize``); none here."""
        return []

    # -- tables --------------------------------------------------------------------------------

    @handles(CreateTableOp)
    def create_table(self, op: CreateTableOp, before: SchemaState) -> list[str]:
        after = self.applied(op, before)
        table = self.table(after, op.table.name, op.table.schema)
        statements = [self.compile(sa.schema.CreateTable(table))]
        statements += self.comment_statements(table)
        statements += [self.create_index_sql(i) for i in sorted(table.indexes, key=_index_name)]
        return statements

    @handles(DropTableOp)
    def drop_table(self, op: DropTableOp, before: SchemaState) -> list[str]:
        return [f"DROP TABLE {ddltext.table_sql(self.preparer, before.table(op.table_name, op.schema))}"]

    @handles(RenameTableOp)
    def rename_table(self, op: RenameTableOp, before: SchemaState) -> list[str]:
        table = self.part(before, before.table(op.old_table_name, op.schema))
        return [f"ALTER TABLE {self.format_table(table)} RENAME TO {self.quote(op.new_table_name)}"]

    @handles(CreateTableCommentOp)
    def create_table_comment(self, op: CreateTableCommentOp, before: SchemaState) -> list[str]:
        if not self.dialect.supports_comments:
            return []
        after = self.applied(op, before)
        return [self.compile(sa.schema.SetTableComment(self.part(after, after.table(op.table_name, op.schema))))]

    @handles(DropTableCommentOp)
    def drop_table_comment(self, op: DropTableCommentOp, before: SchemaState) -> list[str]:
        if not self.dialect.supports_comments:
            return []
        return [self.compile(sa.schema.DropTableComment(self.part(before, before.table(op.table_name, op.schema))))]

    @handles(AlterTableOptionsOp)
    def alter_table_options(self, op: AlterTableOptionsOp, before: SchemaState) -> list[str]:
        """A table's options; here none: this database keeps no table options (MySQL/MariaDB's
        character set and collation are its own generator's)."""
        return []

    # -- columns -------------------------------------------------------------------------------

    @handles(AddColumnOp)
    def add_column(self, op: AddColumnOp, before: SchemaState) -> list[str]:
        after = self.applied(op, before)
        table = self.part(after, after.table(op.table_name, op.schema), columns=(op.column.name,), key_context=True)
        column = table.c[op.column.name]
        statements = [f"ALTER TABLE {self.format_table(table)} ADD COLUMN {self.column_spec(column)}"]
        statements += self.comment_statements(table, [column], table_comment=False)
        if self.adds_type_checks:  # the CHECK its type makes, as Alembic's add_column adds it
            statements += [self.compile(sa.schema.AddConstraint(check))
                           for check in type_checks(self, after, op.table_name, op.schema, op.column).values()]
        # The indexes and constraints a drop of the column took with it (the reverse of that drop).
        state = oc.evolve(op, _then=()).apply(before)
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
        table = ddltext.table_sql(self.preparer, before.table(op.table_name, op.schema))
        return statements + [f"ALTER TABLE {table} DROP COLUMN {self.quote(op.column_name)}"]

    @handles(AlterColumnOp)
    def alter_column(self, op: AlterColumnOp, before: SchemaState) -> list[str]:
        raise UnsupportedOperationError(f"no {self.name} DDL for alter_column")

    # -- constraints and indexes ---------------------------------------------------------------

    @handles(AddConstraintOp)
    def add_constraint(self, op: AddConstraintOp, before: SchemaState) -> list[str]:
        after = self.applied(op, before)
        spec = after.table(op.table_name, op.schema)
        text = ddltext.add_constraint(self.dialect, after, spec, op.constraint.name)
        if text is not None:
            return [text]
        return [self.compile(sa.schema.AddConstraint(self.constraint(after, spec, op.constraint.name)))]

    @handles(DropConstraintOp)
    def drop_constraint(self, op: DropConstraintOp, before: SchemaState) -> list[str]:
        spec = before.table(op.table_name, op.schema)
        text = ddltext.drop_constraint(self.dialect, spec, op.constraint_name)
        if text is not None:
            return [text]
        return [self.compile(sa.schema.DropConstraint(self.constraint(before, spec, op.constraint_name)))]

    @handles(CreateIndexOp)
    def create_index(self, op: CreateIndexOp, before: SchemaState) -> list[str]:
        after = self.applied(op, before)
        spec = after.table(op.table_name, op.schema)
        return [self.index_sql(after, spec, op.index)]

    @handles(DropIndexOp)
    def drop_index(self, op: DropIndexOp, before: SchemaState) -> list[str]:
        spec, index = before.find_index(op.index_name, op.schema, op.table_name)
        text = ddltext.drop_index(self.dialect, spec, index)
        if text is not None:
            return [text]
        return [self.compile(sa.schema.DropIndex(self.index(before, spec, index)))]

    # -- SQL -----------------------------------------------------------------------------------

    @handles(ExecuteSQLOp)
    def execute_sql(self, op: ExecuteSQLOp, before: SchemaState) -> list[str]:
        # an empty text (the reverse of a temporary table's creation) runs nothing
        return [op.sqltext] if op.sqltext.strip() else []


def _referred(state: SchemaState, spec: TableSpec) -> dict[tuple[str | None, str], Any]:
    """(schema, name) -> (schema, name, the referred columns) of each table ``spec``'s foreign keys
    refer to (None: not in ``state``). A referred table stands in with the referred columns alone:
    REFERENCES needs no more, and building the whole of each neighbour was most of a SQLite
    rebuild's time."""
    names: dict[tuple[str | None, str], set[str]] = {}
    for fk in spec.foreign_keys:
        key = (fk.referent_schema if fk.referent_schema is not None else spec.schema, fk.referent_table)
        names.setdefault(key, set()).update(fk.referent_columns)
    referred: dict[tuple[str | None, str], Any] = {}
    for key, wanted in names.items():
        target = state.tables.get(key)
        columns: tuple[ColumnSpec, ...] = () if target is None else tuple(
            c for c in target.columns if c.name in wanted)
        referred[key] = None if target is None else (target.schema, target.name, columns)
    return referred


def _index_name(index: sa.Index) -> str:
    return str(index.name or "")


# ---------------------------------------------------------------------------------------------
# The SQL of an op, through the implementation registry
# ---------------------------------------------------------------------------------------------


def generator(dialect: str, conn: sa.Connection | None = None) -> DDLGenerator:
    """The statement generator for ``dialect`` (``"mariadb"`` is MySQL compiled for MariaDB)."""
    return database(dialect).generator(compile_dialect(dialect, conn), conn)


class DDLContext:
    """What an implementation sees as ``operations.migration_context`` while its SQL is collected."""

    #: the database's name ("mysql" for MariaDB too)
    dialect: str
    #: the schema before the op
    state: SchemaState
    #: read-only; None when the statements are only printed (``--sql``) or rendered
    connection: sa.Connection | None
    generator: DDLGenerator

    __slots__ = ("dialect", "state", "connection", "generator")

    def __init__(self, dialect: str, state: SchemaState, connection: sa.Connection | None,
                 generator: DDLGenerator) -> None:
        self.dialect = dialect
        self.state = state
        self.connection = connection
        self.generator = generator

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.dialect, self.state, self.connection, self.generator) == (
            other.dialect, other.state, other.connection, other.generator)  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return (f"DDLContext(dialect={self.dialect!r}, state={self.state!r}, connection={self.connection!r}, "
                f"generator={self.generator!r})")

    def quote(self, name: str) -> str:
        """``name`` quoted for this database when it needs to be."""
        return self.generator.quote(name)


def check_implemented(op: MigrateOperation, dialect: str) -> None:
    """Raise UnsupportedOperationError when no implementation for ``op`` serves ``dialect``."""
    db = database(dialect)
    db.generator  # noqa: B018 - loading it registers its DDL for the built-in ops
    name = db.name
    if Operations.find_implementation(type(op), name) is None:
        raise UnsupportedOperationError(
            f"no {name} SQL for {type(op).__name__}: register it with "
            f"@ops.Operations.implementation_for({type(op).__name__}) in a module named in `plugins`"
        )


def reads_nothing(op: MigrateOperation, gen: DDLGenerator) -> bool:
    """Whether the SQL of ``op`` comes from ``gen`` itself, which reads the live schema only through
    :meth:`DDLGenerator.reading`; a plugin's implementation may read the connection at any time."""
    return Operations.find_implementation(type(op), gen.name) is generated


def _statements(gen: DDLGenerator, op: MigrateOperation, before: SchemaState,
                after: SchemaState | None = None) -> list[str]:
    """The SQL of ``op`` from the implementation registry (``ops.Operations.implementation_for``)."""
    impl = Operations.find_implementation(type(op), gen.name)
    if impl is generated:
        return gen.statements(op, before, after)
    if impl is None:
        check_implemented(op, gen.name)
    gen.forget_reads()
    collected: list[str] = []
    context = DDLContext(gen.name, before, gen.conn, gen)

    def invoke(nested: MigrateOperation) -> None:
        collected.extend(_statements(gen, nested, context.state))
        context.state = context.state.apply(nested)

    impl(Operations(invoke, context=context), op)
    return collected


def ddl(op: MigrateOperation, before: SchemaState, dialect: str, *, conn: sa.Connection | None = None,
        gen: DDLGenerator | None = None, after: SchemaState | None = None) -> list[str]:
    """The SQL statements that perform the (completed) ``op`` on a database whose schema is ``before``.

    Found through the implementation registry: the database's DDL generator for the built-in
    ops, a plugin's implementation for its own. Executable strings compiled for the dialect:
    identifiers quoted by SQLAlchemy's IdentifierPreparer, literals inlined. On SQLite, what
    ALTER cannot do becomes a table rebuild built from ``before``. Without ``conn``, MySQL means
    MySQL (pass ``"mariadb"`` or a connection for MariaDB's syntax) and a SQLite rebuild
    recreates no triggers. ``gen``: a generator of ``dialect`` on ``conn`` to reuse (one per run
    builds each SQLAlchemy object it needs once, see :meth:`DDLGenerator.part`). ``after``:
    ``before.apply(op)`` where the caller holds it (a run's plan), which the generator then does not make again.
    """
    return _statements(gen if gen is not None else generator(dialect, conn), op, before, after)


def ddl_batch(ops: Sequence[MigrateOperation], before: SchemaState, dialect: str, *,
              conn: sa.Connection | None = None, gen: DDLGenerator | None = None) -> list[str]:
    """Statements for ``ops`` in order; on SQLite, consecutive ops on one table that need a rebuild
    share one rebuild (what a ``batch_alter_table`` block gets)."""
    gen = gen if gen is not None else generator(dialect, conn)
    if all(Operations.find_implementation(type(op), gen.name) is generated for op in ops):
        return gen.batch(ops, before)
    statements: list[str] = []
    for op in ops:
        after = before.apply(op)
        statements += _statements(gen, op, before, after)
        before = after
    return statements
