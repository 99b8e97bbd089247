"""What differs per database: one :class:`Database` object each, the SQL that performs each
operation, and running it.

``ddl()`` returns the statements beside ``execute()``, which runs them, so that a dry run
(``apply --sql``) prints exactly what a real run executes. Statements are built from the
schema state the op applies to, never from reflection. A connection, when given, is read
(never written) for what the state cannot know: the server's flavour and version, the
triggers of a SQLite table being rebuilt and SQLite's ``foreign_keys``/``legacy_alter_table``
pragmas, whether a PostgreSQL ENUM type already exists, and InnoDB's implicit foreign key
indexes; in a run (the generator's ``runs_now``: not ``--sql``), whether a SQLite table being
rebuilt or changed holds a row (one that holds none is dropped and made again, without copy
or RENAME, also for ADD and DROP COLUMN).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

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

if TYPE_CHECKING:
    from ops import SchemaState

    from .base import (DDLContext, DDLGenerator, check_implemented, ddl, ddl_batch, generator, handles, reads_nothing,
                       table_of)
    from .mysql import MySQLGenerator
    from .mysql_db import MySQL
    from .postgresql import PostgreSQLGenerator, enum_types, enums_in
    from .postgresql_db import PostgreSQL
    from .sqlite import SQLiteGenerator, SQLiteRebuildError
    from .sqlite_db import SQLite

__all__ = [
    "DATABASES",
    "DDLContext",
    "DDLGenerator",
    "Database",
    "MySQL",
    "MySQLGenerator",
    "PostgreSQL",
    "PostgreSQLGenerator",
    "SQLite",
    "SQLiteGenerator",
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
    "compile_dialect",
    "database",
    "database_file",
    "ddl",
    "ddl_batch",
    "dialect_name",
    "empty_state",
    "enum_types",
    "enums_in",
    "execute",
    "statement_runner",
    "generated",
    "generator",
    "handles",
    "names",
    "reads_nothing",
    "register_database",
    "table_of",
    "transactional_ddl",
]


#: What DDL needs, loaded when first asked for (with the op modules and the generators): reading
#: a ledger, connecting and the database objects need none of it; and each database's class (its
#: object is ``DATABASES[name]``, which loads its module on first use). Name -> module of this package.
_DDL = {
    "SQLite": "sqlite_db", "PostgreSQL": "postgresql_db", "MySQL": "mysql_db",
    "DDLContext": "base", "DDLGenerator": "base", "check_implemented": "base", "ddl": "base", "ddl_batch": "base",
    "generator": "base", "handles": "base", "reads_nothing": "base", "table_of": "base", "SQLiteGenerator": "sqlite", "SQLiteRebuildError": "sqlite",
    "PostgreSQLGenerator": "postgresql", "enum_types": "postgresql", "enums_in": "postgresql", "MySQLGenerator": "mysql",
}


def __getattr__(name: str) -> Any:
    where = _DDL.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where}"), name)
    globals()[name] = value
    return value


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
    """An empty schema whose verbs keep names apart and take foreign keys as the database of ``obj``
    (anything :func:`dialect_name` takes) does: where a fold of its ledger starts."""
    from ops.state import SchemaState

    found = database(dialect_name(obj))
    return SchemaState(names_per=found.names_per, referents=found.referents)


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


def statement_runner(conn: sa.Connection, dialect: str) -> Callable[[str], None]:
    """What runs a run's statements one at a time on ``conn``, as :func:`execute` runs them: the
    database's own runner where it has one (SQLite's, on the driver's cursor where SQLAlchemy would
    add nothing to the statement: see ``SQLite.driver_statements``), else :func:`execute`'s."""
    driver_statements = getattr(database(dialect), "driver_statements", None)
    runner = driver_statements(conn) if driver_statements is not None else None
    return runner if runner is not None else lambda statement: execute(conn, (statement,))

