"""What differs per database: the SQL that performs each operation, and running it.

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

import sqlalchemy as sa

from ops import MigrateOperation, SchemaState

from .base import (
    DIALECTS,
    DDLGenerator,
    UnsupportedDialectError,
    UnsupportedOperationError,
    compile_dialect,
    handles,
)
from .mysql import MySQLGenerator
from .postgresql import PostgreSQLGenerator, enum_types
from .sqlite import SQLiteGenerator, SQLiteRebuildError

__all__ = [
    "DDLGenerator",
    "SQLiteRebuildError",
    "UnsupportedDialectError",
    "UnsupportedOperationError",
    "ddl",
    "ddl_batch",
    "dialect_name",
    "enum_types",
    "execute",
    "generator",
    "handles",
]

_GENERATORS: dict[str, type[DDLGenerator]] = {
    "sqlite": SQLiteGenerator,
    "postgresql": PostgreSQLGenerator,
    "mysql": MySQLGenerator,
}


def dialect_name(obj: Any) -> str:
    """``"sqlite"``, ``"postgresql"`` or ``"mysql"`` (MariaDB is ``"mysql"``) for an Engine,
    Connection, Dialect, URL or URL string."""
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
    name = "mysql" if name == "mariadb" else name
    if name not in DIALECTS:
        raise UnsupportedDialectError(f"unsupported database dialect {name!r} (supported: {', '.join(DIALECTS)})")
    return name


def generator(dialect: str, conn: sa.Connection | None = None) -> DDLGenerator:
    """The statement generator for ``dialect`` (``"mariadb"`` is MySQL compiled for MariaDB)."""
    family = "mysql" if dialect == "mariadb" else dialect
    try:
        kind = _GENERATORS[family]
    except KeyError:
        raise UnsupportedDialectError(f"unsupported database dialect {dialect!r}") from None
    return kind(compile_dialect(dialect, conn), conn)


def ddl(op: MigrateOperation, before: SchemaState, dialect: str, *, conn: sa.Connection | None = None) -> list[str]:
    """The SQL statements that perform the (completed) ``op`` on a database whose schema is ``before``.

    Executable strings compiled for the dialect: identifiers quoted by SQLAlchemy's
    IdentifierPreparer, literals inlined. On SQLite, what ALTER cannot do becomes a table
    rebuild built from ``before``. Without ``conn``, MySQL means MySQL (pass ``"mariadb"`` or a
    connection for MariaDB's syntax) and a SQLite rebuild recreates no triggers.
    """
    return generator(dialect, conn).statements(op, before)


def ddl_batch(ops: Sequence[MigrateOperation], before: SchemaState, dialect: str, *,
              conn: sa.Connection | None = None) -> list[str]:
    """Statements for ``ops`` in order; on SQLite, consecutive ops on one table that need a rebuild
    share one rebuild (what a ``batch_alter_table`` block gets)."""
    return generator(dialect, conn).batch(ops, before)


_AS_WRITTEN = {"no_parameters": True}


def execute(conn: sa.Connection, statements: Sequence[str]) -> None:
    """Run ``statements`` as written.

    ``no_parameters`` makes SQLAlchemy call ``cursor.execute(sql)`` with no parameter argument, so
    psycopg and PyMySQL do no %-interpolation and a ``%`` in a CHECK or a default survives.
    """
    for statement in statements:
        conn.exec_driver_sql(statement, execution_options=_AS_WRITTEN)


from .. import context as _context  # noqa: E402,F401  (registers the op executors)
