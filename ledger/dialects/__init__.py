"""What differs per database: one :class:`Database` object each, the SQL that performs each
operation, and running it.

``ddl()`` returns the statements beside ``execute()``, which runs them, so that a dry run
(``apply --sql``) prints exactly what a real run executes. Statements are built from the
schema state the op applies to, never from reflection. A connection, when given, is read
(never written) for what the state cannot know: the server's flavour and version, the
triggers of a SQLite table being rebuilt and SQLite's ``foreign_keys``/``legacy_alter_table``
pragmas, whether a PostgreSQL ENUM type already exists, and InnoDB's implicit foreign key
indexes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from ops import MigrateOperation, Operations, SchemaState

from .base import (
    DATABASES,
    Database,
    DDLGenerator,
    UnsupportedDialectError,
    UnsupportedOperationError,
    backends,
    choices,
    column_type,
    compile_dialect,
    database,
    database_file,
    generated,
    handles,
    names,
    register_database,
    transactional_ddl,
)
# Imported in this order, registered in this order: the order every list of databases shows.
from .sqlite import SQLite, SQLiteGenerator, SQLiteRebuildError  # isort: skip
from .postgresql import PostgreSQL, PostgreSQLGenerator, enum_types  # isort: skip
from .mysql import MySQL, MySQLGenerator  # isort: skip

__all__ = [
    "DATABASES",
    "DDLContext",
    "DDLGenerator",
    "Database",
    "MySQL",
    "PostgreSQL",
    "SQLite",
    "SQLiteRebuildError",
    "UnsupportedDialectError",
    "UnsupportedOperationError",
    "backends",
    "check_implemented",
    "outside_transaction",
    "unrendered",
    "unrendered_sql",
    "choices",
    "column_type",
    "database",
    "database_file",
    "ddl",
    "ddl_batch",
    "dialect_name",
    "empty_state",
    "enum_types",
    "execute",
    "generator",
    "handles",
    "names",
    "register_database",
    "transactional_ddl",
]


def dialect_name(obj: Any) -> str:
    """The name of the database (``"sqlite"``, ``"postgresql"``, ``"mysql"``: MariaDB is ``"mysql"``)
    of an Engine, Connection, Dialect, URL or URL string."""
    if isinstance(obj, (sa.Engine, sa.Connection)):
        name = obj.dialect.name
    elif isinstance(obj, sa.engine.Dialect):
        name = obj.name
    elif isinstance(obj, (str, sa.URL)):
        try:
            name = sa.make_url(obj).get_backend_name()
        except sa.exc.ArgumentError:
            name = str(obj)
    else:
        raise UnsupportedDialectError(f"cannot tell the database dialect of {obj!r}")
    return database(name).name


def empty_state(obj: Any) -> SchemaState:
    """An empty schema whose verbs keep names apart as the database of ``obj`` (anything
    :func:`dialect_name` takes) does: where a fold of its ledger starts."""
    return SchemaState(names_per=database(dialect_name(obj)).names_per)


def generator(dialect: str, conn: sa.Connection | None = None) -> DDLGenerator:
    """The statement generator for ``dialect`` (``"mariadb"`` is MySQL compiled for MariaDB)."""
    return database(dialect).generator(compile_dialect(dialect, conn), conn)


@attrs.define
class DDLContext:
    """What an implementation sees as ``operations.migration_context`` while its SQL is collected."""

    #: the database's name ("mysql" for MariaDB too)
    dialect: str
    #: the schema before the op
    state: SchemaState
    #: read-only; None when the statements are only printed (``--sql``) or rendered
    connection: sa.Connection | None
    generator: DDLGenerator

    def quote(self, name: str) -> str:
        """``name`` quoted for this database when it needs to be."""
        return self.generator.quote(name)


def check_implemented(op: MigrateOperation, dialect: str) -> None:
    """Raise UnsupportedOperationError when no implementation for ``op`` serves ``dialect``."""
    name = database(dialect).name
    if Operations.find_implementation(type(op), name) is None:
        raise UnsupportedOperationError(
            f"no {name} SQL for {type(op).__name__}: register it with "
            f"@ops.Operations.implementation_for({type(op).__name__}) in a module named in `plugins`"
        )


def _statements(gen: DDLGenerator, op: MigrateOperation, before: SchemaState) -> list[str]:
    """The SQL of ``op`` from the implementation registry (``ops.Operations.implementation_for``)."""
    impl = Operations.find_implementation(type(op), gen.name)
    if impl is generated:
        return gen.statements(op, before)
    if impl is None:
        check_implemented(op, gen.name)
    collected: list[str] = []
    context = DDLContext(gen.name, before, gen.conn, gen)

    def invoke(nested: MigrateOperation) -> None:
        collected.extend(_statements(gen, nested, context.state))
        context.state = context.state.apply(nested)

    impl(Operations(invoke, context=context), op)
    return collected


def ddl(op: MigrateOperation, before: SchemaState, dialect: str, *, conn: sa.Connection | None = None,
        gen: DDLGenerator | None = None) -> list[str]:
    """The SQL statements that perform the (completed) ``op`` on a database whose schema is ``before``.

    Found through the implementation registry: the database's DDL generator for the built-in
    ops, a plugin's implementation for its own. Executable strings compiled for the dialect:
    identifiers quoted by SQLAlchemy's IdentifierPreparer, literals inlined. On SQLite, what
    ALTER cannot do becomes a table rebuild built from ``before``. Without ``conn``, MySQL means
    MySQL (pass ``"mariadb"`` or a connection for MariaDB's syntax) and a SQLite rebuild
    recreates no triggers. ``gen``: a generator of ``dialect`` on ``conn`` to reuse (one per run
    builds each SQLAlchemy object it needs once, see :meth:`DDLGenerator.part`).
    """
    return _statements(gen if gen is not None else generator(dialect, conn), op, before)


def ddl_batch(ops: Sequence[MigrateOperation], before: SchemaState, dialect: str, *,
              conn: sa.Connection | None = None, gen: DDLGenerator | None = None) -> list[str]:
    """Statements for ``ops`` in order; on SQLite, consecutive ops on one table that need a rebuild
    share one rebuild (what a ``batch_alter_table`` block gets)."""
    gen = gen if gen is not None else generator(dialect, conn)
    if all(Operations.find_implementation(type(op), gen.name) is generated for op in ops):
        return gen.batch(ops, before)
    statements: list[str] = []
    for op in ops:
        statements += _statements(gen, op, before)
        before = before.apply(op)
    return statements


_AS_WRITTEN = {"no_parameters": True}

#: How a statement that ran is recorded when it cannot be written as SQL that runs again (a bound
#: value with no literal form): its text with the placeholders, after this comment. Nothing runs it.
UNRENDERED = "/* schema-ledger: cannot be rendered"


def unrendered_sql(statement: str, why: str) -> str:
    """``statement`` marked as one that cannot be rendered (``why``): kept to be read, never run."""
    return f"{UNRENDERED} ({' '.join(why.replace('*/', '* /').split())}) */ {statement}"


def unrendered(statement: str) -> str | None:
    """Why ``statement`` cannot be run again (it was recorded by :func:`unrendered_sql`), or None."""
    if not statement.startswith(UNRENDERED):
        return None
    head, _, _ = statement.partition(" */")
    return "it cannot be rendered as SQL that runs again " + head[len(UNRENDERED):].strip() + "; it is not run"


def outside_transaction(dialect: str, statement: str) -> bool:
    """Whether ``statement`` runs only outside a transaction on ``dialect`` (PostgreSQL's
    ``CREATE INDEX CONCURRENTLY``, ``VACUUM`` ...), as Alembic runs it in ``autocommit_block()``."""
    return database(dialect).runs_outside_transaction(statement)


def execute(conn: sa.Connection, statements: Sequence[str]) -> None:
    """Run ``statements`` as written.

    ``no_parameters`` makes SQLAlchemy call ``cursor.execute(sql)`` with no parameter argument, so
    psycopg and PyMySQL do no %-interpolation and a ``%`` in a CHECK or a default survives.
    """
    for statement in statements:
        conn.exec_driver_sql(statement, execution_options=_AS_WRITTEN)


