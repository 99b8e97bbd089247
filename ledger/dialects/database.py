"""One object per database: what schema-ledger knows about it, and the registry that every list
of supported databases is read from (docs/design.md, "Add a database")."""

from __future__ import annotations

import contextlib
import functools
import importlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from ops.base import LedgerError
from ops.classes import frozen
from ops.names import ONE_PER_SCHEMA, NamesPer

from .registry import DATABASES, LOADED, backends, choices, lookup, names, register_database
from .sequence_reads import SequenceReads
from .typetext import spaced
from ops import classes as oc

if TYPE_CHECKING:
    from ops import MigrateOperation
    from ops.specs import ForeignKeySpec, IdentitySpec, IndexSpec, UniqueSpec

    from .base import DDLGenerator
    from .sequences import SequenceSpec

__all__ = [
    "DATABASES", "READS_ONLY", "THROWAWAY", "Database", "ReflectedKeys", "UnsupportedDialectError",
    "UnsupportedOperationError", "backends", "choices", "column_type", "compile_dialect", "database",
    "database_file", "generated", "names", "register_database", "transactional_ddl",
]


#: Execution option of a connection that never writes: on SQLite its transactions start with a
#: plain BEGIN (a shared lock, taken at the first read) instead of BEGIN IMMEDIATE.
READS_ONLY = "schema_ledger_reads_only"

#: SQLite files whose contents need not survive a crash (a drill's own temporary scratch
#: database, deleted afterwards): their connections commit without waiting for the disk
#: (``PRAGMA synchronous = OFF``). Transactions and rollbacks work as on any other file.
#: (Here, not in the SQLite module, so that engines of other databases need not load it.)
THROWAWAY: set[str] = set()


class UnsupportedDialectError(LedgerError, ValueError):
    """A database that schema-ledger does not speak."""


class UnsupportedOperationError(LedgerError, NotImplementedError):
    """An operation that cannot be turned into SQL for this database."""


# ---------------------------------------------------------------------------------------------
# One object per database
# ---------------------------------------------------------------------------------------------


@frozen
class ReflectedKeys:
    """What reflection reads of tables' keys, as SQLAlchemy's inspector gives them, by (schema, table)."""

    primary_keys: Mapping[Any, Mapping[str, Any]]
    uniques: Mapping[Any, Sequence[Mapping[str, Any]]]
    foreign_keys: Mapping[Any, Sequence[Mapping[str, Any]]]
    #: (table, unique constraint) -> initially deferred, for deferrable ones
    deferrable: Mapping[tuple[str, str], bool] = oc.field(factory=dict)
    #: (table, index) -> the CREATE INDEX the database keeps, read where the inspector falls short
    index_sql: Mapping[tuple[str, str], str] = oc.field(factory=dict)


class Database(SequenceReads):
    """Everything schema-ledger knows about one database (Alembic's ``DefaultImpl``, one per database).

    A subclass in ``ledger/dialects/<name>.py``, registered with :func:`register_database`, is what
    adding a database means (docs/design.md, "Add a database"): every list of supported databases,
    every ``--dialect`` choice and every per-database decision is read from these objects."""

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
    #: the synchronous DBAPI drivers a URL naming an async one (``postgresql+asyncpg``) is run
    #: with instead, the first one installed (schema-ledger's commands are synchronous)
    sync_drivers: ClassVar[tuple[str, ...]] = ()
    #: the extra of schema-ledger's package that installs the default driver (``[postgresql]``)
    extra: ClassVar[str | None] = None
    #: whether DDL runs inside a transaction that a failure rolls back; without it (MariaDB,
    #: MySQL) every op is bracketed by a committed intent and its event, and
    #: ``--one-transaction`` is refused
    transactional_ddl: ClassVar[bool] = True
    #: whether the write lock comes with each transaction (SQLite's BEGIN IMMEDIATE), so the
    #: ledger is read again in every transaction instead of once under the applier lock
    locks_per_transaction: ClassVar[bool] = False
    #: whether a statement may hold an INSERT in its ``WITH`` (PostgreSQL's data-modifying CTE):
    #: the events of a revision and a read the hook makes are then one statement, one round trip
    writes_in_with: ClassVar[bool] = False
    #: whether the ops of a ``batch_alter_table`` block share one table rebuild (SQLite)
    rebuilds_batches: ClassVar[bool] = False
    #: where the SQLAlchemy dialect class that statements are compiled with is ("module:Class"):
    #: imported when first asked for (:attr:`sa_dialect`), so that a run on one database loads
    #: no other database's SQLAlchemy package
    sa_dialect_at: ClassVar[str] = ""
    #: where the generator of the SQL of the built-in operations is ("module:Class"): imported
    #: when DDL is first needed (:attr:`generator`), so that reading a ledger loads no op module
    generator_at: ClassVar[str] = ""
    #: (most, "bytes" or "characters") an identifier may hold; None: no limit
    name_limit: ClassVar[tuple[int, str] | None] = None
    #: whether a name over ``name_limit`` is cut without an error (PostgreSQL)
    cuts_long_names: ClassVar[bool] = False
    reads_constraints: ClassVar[bool] = False  #: :meth:`constraints` reads them (else it gives None)
    #: which constraint and index names must differ, per schema or per table (``ops.names``): the
    #: fold of a ledger of this database keeps names apart as the database does (``empty_state``)
    names_per: ClassVar[NamesPer] = ONE_PER_SCHEMA
    #: what a foreign key may refer to (``ops.state.REFERENTS``): the fold of a ledger of this
    #: database takes the foreign keys the database takes (``empty_state``)
    referents: ClassVar[str] = "key"
    #: whether a primary key keeps the name it is given (MySQL/MariaDB call every one PRIMARY)
    names_primary_keys: ClassVar[bool] = True
    #: whether a constraint created without a name stays without one (SQLite): the fold's name for
    #: it (``unnamed`` in its spec) is not the database's, and its DDL writes it without a name
    keeps_unnamed_constraints: ClassVar[bool] = False
    #: whether a CHECK made without a name gets the lowest number the table has free
    #: (MariaDB's ``CONSTRAINT_1``, ``CONSTRAINT_2``...), which it keeps when an earlier one goes:
    #: the name depends on the table's past, so the fold holds the CHECK a column's type makes
    #: (``Boolean``/``Enum`` with ``create_constraint``) as a CHECK of its own under that name
    numbers_unnamed_checks: ClassVar[bool] = False
    #: whether reflection says of each column whether the database auto-increments it (MySQL's
    #: AUTO_INCREMENT), which is then recorded where ``autoincrement="auto"`` would say otherwise
    reports_autoincrement: ClassVar[bool] = False
    #: whether a table keeps AUTOINCREMENT on its primary key (``autoincrement`` in its spec:
    #: SQLite's keyword, ``sqlite_autoincrement=True``), which its reflection then reports
    keeps_autoincrement_keyword: ClassVar[bool] = False
    #: InnoDB's foreign key indexes: an index is made for every foreign key no index serves,
    #: kept when the key is dropped, dropped with the last column it holds or once another
    #: index serves the key; reflection shows them, the fold does not model them
    indexes_foreign_keys: ClassVar[bool] = False
    #: ALTER of a column restates the whole column (MySQL's MODIFY/CHANGE): what it leaves out is reset
    restates_altered_columns: ClassVar[bool] = False
    #: renaming a table renames its generated foreign key names (``t_ibfk_1`` -> ``u_ibfk_1``)
    renames_foreign_keys_with_tables: ClassVar[bool] = False
    #: an index on a TEXT column gets a key prefix length the database chooses (MariaDB)
    prefixes_text_indexes: ClassVar[bool] = False
    #: a named ENUM is a type of the schema that columns share: a column declared with the name
    #: of one that exists gets that type, with its values, whatever values it declares (PostgreSQL)
    shares_named_enums: ClassVar[bool] = False
    #: SQL that names the connected database user (None: the database has no users)
    current_user_sql: ClassVar[str | None] = None
    #: a NOT NULL column with no default added to a table that holds rows is given the type's
    #: implicit default in those rows (MySQL/MariaDB's 0, ''); False: the database refuses it
    fills_added_not_null: ClassVar[bool] = False
    #: foreign keys checked row by row as a statement runs (InnoDB): a row referring to itself is not deleted
    checks_foreign_keys_per_row: ClassVar[bool] = False

    @functools.cached_property
    def sa_dialect(self) -> type[sa.engine.Dialect]:
        """The SQLAlchemy dialect class statements are compiled with."""
        return _load(self.sa_dialect_at)  # type: ignore[no-any-return]

    @functools.cached_property
    def generator(self) -> type[DDLGenerator]:
        """The generator of the SQL of the built-in operations, its DDL put in the implementation
        registry of ``ops.Operations`` for every op class it handles (where nothing else, a
        plugin's own, is registered for that class on this database)."""
        from ops import Operations

        generator: type[DDLGenerator] = _load(self.generator_at)
        for op_class in generator._methods:
            Operations.implementation_for(op_class, self.name, replace=False)(generated)
        own = DATABASES.get(generator.name)
        if own is not None and own is not self:
            own.generator  # noqa: B018 - a borrowed generator looks its ops up under its own database's name
        return generator

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

    def owned_sequence_columns(self, conn: sa.Connection, schema: str | None,
                               names: Sequence[str]) -> set[tuple[str, str]]:
        """``(table, column)`` of the columns of tables ``names`` whose sequence default draws on a
        sequence the column owns (PostgreSQL's SERIAL): a replay makes that sequence again."""
        return set()

    def reflect_sequences(self, conn: sa.Connection, schema: str | None) -> list[SequenceSpec]:
        """The sequences of ``schema`` that no column owns (not a SERIAL's, not an identity's), as
        the database stores them; none for a database without sequences."""
        return []

    def serial_sequence_name(self, table: str, column: str) -> str | None:
        """The sequence the database makes for an autoincrement integer key column (PostgreSQL's
        SERIAL), None when it makes none."""
        return None

    def database_file(self, url: sa.URL) -> Path | None:
        """The file that holds the database at ``url``, for a database kept in a file (SQLite),
        else None. Relative as written in the URL."""
        return None

    def scratch_file_url(self, path: Path) -> str | None:
        """The URL of a scratch database kept in the file ``path``, for a database kept in a file
        (SQLite); None: a scratch database is one on a server."""
        return None

    def scratch_statements(self, name: str) -> tuple[str, str] | None:
        """``CREATE DATABASE`` and ``DROP DATABASE`` statements for a scratch database ``name`` on
        the target's server (drills); None: the scratch is a temporary file instead."""
        quote = self.sa_dialect(paramstyle="named").identifier_preparer.quote_identifier
        return f"CREATE DATABASE {quote(name)}", f"DROP DATABASE IF EXISTS {quote(name)}"

    #: how a SQL literal writes False and True
    boolean_literals: ClassVar[tuple[str, str]] = ("0", "1")
    #: a backslash in a string literal escapes the next character (MySQL's default mode), so it
    #: is doubled to stand for itself
    backslash_escapes: ClassVar[bool] = False

    def bound_list(self, items: list[str], row: bool, driver: str) -> str | None:
        """What the driver ``driver`` sends for a list (``row``: a tuple) bound with no type, whose
        values' literals are ``items``; None: it refuses such a value (SQLite's)."""
        return None

    def bytes_literal(self, hex_digits: str) -> str:
        """A literal of the bytes whose hexadecimal digits are ``hex_digits``."""
        return f"X'{hex_digits}'"

    def length_sql(self, column: str) -> str:
        """SQL for the length in characters of the value of ``column`` (SQL text)."""
        return f"char_length({column})"

    def has_time_sql(self, column: str) -> str:
        """SQL that is true when the timestamp in ``column`` holds a time of day other than midnight."""
        return f"{column} <> CAST({column} AS DATE)"

    def runs_outside_transaction(self, statement: str) -> bool:
        """Whether ``statement`` runs only outside a transaction here (PostgreSQL's ``CREATE INDEX
        CONCURRENTLY``, ``VACUUM`` ...), as Alembic runs it in ``autocommit_block()``."""
        return False

    def prepares_schema(self, statement: str) -> bool:
        """Whether ``statement`` (SQL a migration ran, which the fold does not model) makes or removes
        something tables need without being one (PostgreSQL's ``CREATE EXTENSION`` of an index's
        operator class, ``CREATE SCHEMA``, a column's ``CREATE COLLATION`` or ``CREATE SEQUENCE``):
        ``materialize`` runs those before the tables."""
        return False

    def url_problem(self, url: sa.URL) -> str | None:
        """What is wrong with ``url`` (its driver named) that its driver would report obscurely,
        in one line; None when nothing is."""
        return None

    def setup_engine(self, engine: sa.Engine) -> None:
        """Make an engine behave as the runner needs (SQLite: transactional DDL, the write lock)."""

    # -- what it stores, compared with what was declared ------------------------------------------

    #: TRUE and FALSE are stored as 1 and 0 (MySQL's BOOL is a TINYINT): SQL text compares so
    booleans_are_numbers: ClassVar[bool] = False

    @functools.cached_property
    def type_compiler(self) -> sa.engine.Dialect:
        """The dialect that column types and functions are compiled with, to be compared with
        what the server reports back."""
        return self.sa_dialect()

    def canonical_type(self, type_: sa.types.TypeEngine[Any]) -> str | None:
        """The DDL type ``type_`` compiles to here, spelled as the server reports it back (see
        :meth:`spell_type`); None if this database cannot render it."""
        try:
            text = str(type_.compile(dialect=self.type_compiler))
        except Exception:  # noqa: BLE001 - a type the dialect cannot render cannot be live there
            return None
        return self.spell_type(text)

    def spell_type(self, compiled: str) -> str:
        """A compiled type as the server reports it back (``FLOAT`` is ``DOUBLE PRECISION`` on
        PostgreSQL, ``BOOL`` is ``TINYINT(1)`` on MySQL): upper case, spaced one way."""
        return spaced(compiled)

    #: a CREATE TABLE makes one constraint (or index) of unique constraints on the same columns
    merges_duplicate_uniques: ClassVar[bool] = False
    #: ... and of a unique constraint on the primary key's columns and the primary key
    primary_key_serves_as_unique: ClassVar[bool] = False
    #: a unique constraint is a unique index (MySQL/MariaDB)
    uniques_are_indexes: ClassVar[bool] = False
    #: table and column comments are kept
    keeps_comments: ClassVar[bool] = True
    #: a computed column is STORED unless it says otherwise (PostgreSQL before 18)
    stores_computed_columns: ClassVar[bool] = False
    #: a foreign key's RESTRICT is its default action, reported as such (MySQL/MariaDB)
    restrict_is_no_action: ClassVar[bool] = False
    #: a foreign key's DEFERRABLE / INITIALLY is kept
    keeps_foreign_key_deferral: ClassVar[bool] = True
    #: a foreign key's MATCH is kept
    keeps_foreign_key_match: ClassVar[bool] = False
    #: a unique constraint's DEFERRABLE / INITIALLY is kept
    keeps_unique_deferral: ClassVar[bool] = False
    #: a column goes back to its place when a rollback brings it back (not where ADD COLUMN
    #: only appends, PostgreSQL), so column order is compared
    keeps_column_order: ClassVar[bool] = True
    #: the prefixes of the SQLAlchemy index options this database reads (``postgresql_where``);
    #: the first is how they are compared (``mariadb_length`` is ``mysql_length``)
    index_option_prefixes: ClassVar[tuple[str, ...]] = ()
    #: an index element's operator class (``prefix inet_ops``) is kept as the column's, reported as the
    #: ``<prefix>_ops`` index option (PostgreSQL)
    index_operator_classes: ClassVar[bool] = False

    def unnamed_check_name(self, table: str, column: str) -> str | None:
        """The name the database gives a CHECK on ``column`` of ``table`` made without a name (the
        one a ``Boolean``/``Enum`` type without a name makes); None: none known (SQLite keeps none)."""
        return None

    def stored_name(self, name: str) -> str:
        """``name`` as the database keeps it: cut to :attr:`name_limit` where it cuts long names
        (PostgreSQL, on a character boundary), else as given."""
        if not self.cuts_long_names or self.name_limit is None:
            return name
        most, unit = self.name_limit
        if unit == "bytes":
            raw = name.encode()
            return raw[:most].decode("utf-8", "ignore") if len(raw) > most else name
        return name[:most]

    def stored_identity(self, identity: IdentitySpec, type_text: str) -> IdentitySpec | None:
        """An identity column's options as the server reports them back (None: not kept)."""
        return None

    def stored_index_expression(self, text: str) -> str:
        """A canonical index element (``lower(name) desc``) as the server reports it back: a
        sort order or NULLS placement it does not keep, or that is its default, goes."""
        return text

    # -- reflection -------------------------------------------------------------------------

    #: reads every table's keys in one catalog query, where naming each table costs more than
    #: reading those left out (PostgreSQL: 1,000 bound parameters per query)
    reflects_every_table: ClassVar[bool] = False
    #: keeps a foreign key to a table that does not exist (yet) and checks nothing until it does
    #: (SQLite): a ledger cannot hold it, so reflection leaves it out
    keeps_dangling_foreign_keys: ClassVar[bool] = False
    #: the quote SQLAlchemy leaves doubled in the CHECK names it parses from a table's SQL
    doubled_check_name_quote: ClassVar[str | None] = None

    def checks_foreign_keys(self, conn: sa.Connection) -> bool:
        """Whether adding a foreign key on ``conn`` checks the rows it holds (SQLite: only with
        ``PRAGMA foreign_keys`` on, and even then not at ``ALTER`` time)."""
        return True

    def reflect_keys(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                     names: Sequence[str], *, subset: bool, kw: Mapping[str, Any]) -> ReflectedKeys:
        """Primary keys, unique constraints and foreign keys of the tables ``names`` (``subset``:
        only these were asked for), and what else this database's reflection needs read at
        once; ``kw``: the inspector's arguments. Here: what the inspector reports."""
        return ReflectedKeys(inspector.get_multi_pk_constraint(**kw), inspector.get_multi_unique_constraints(**kw),
                             inspector.get_multi_foreign_keys(**kw))

    def read_tables(self, conn: sa.Connection, inspector: sa.Inspector, schema: str | None,
                    names: Sequence[str], parts: Collection[str] = ()) -> tuple[Any, ...] | None:
        """``parts`` of the tables ``names`` (exact names, that exist) as the inspector's ``get_multi_columns``,
        ``get_multi_indexes``, ``get_multi_check_constraints`` and ``get_multi_table_comment`` give them, with
        :meth:`reflect_keys` (then :meth:`inherited_parts`, owned_sequence_columns, table_options, or None), at once. Here: None."""
        return None

    def table_options(self, conn: sa.Connection, schema: str | None, names: Sequence[str],
                      made_by: Sequence[str] = ()) -> dict[str, tuple[tuple[str, Any], ...]]:
        """Each of the tables ``names`` -> its options as the database holds them, for :attr:`TableSpec.dialect_options
        <ops.specs.TableSpec.dialect_options>` (``made_by``: the statements that made them, when known). Here: none."""
        return {}

    def inherited_parts(self, conn: sa.Connection, schema: str | None, names: Sequence[str]) -> set[tuple[str, str]]:
        """(table, name) of the indexes and constraints of ``names`` that come with another table's
        (PostgreSQL's partitions), none of their own. Here: none."""
        return set()

    def declared_comment(self, table: sa.Table, dialect: sa.Dialect) -> str | None:
        """The comment this database's CREATE TABLE of ``table`` (compiled for ``dialect``) gives
        it. Here: its ``comment``."""
        return table.comment

    def stored_table_options(self, options: tuple[tuple[str, Any], ...]) -> tuple[tuple[str, Any], ...]:
        """A table's options (:meth:`table_options`, or as a migration declared them) in the one
        spelling this database reports them, for comparing. Here: as they are."""
        return options

    def names_setting(self, conn: sa.Connection, value: str | None = None) -> tuple[str, str] | None:
        """(the session's, a new session's) value of what decides unqualified names; with ``value``, set it."""
        return None

    def drop_object_sql(self, kind: str, name: str, *, table: str | None = None, arguments: str | None = None) -> str:
        """The statement that drops a trigger, function, procedure or view ``name`` (as written) that SQL text created:
        its reverse. ``table``: a trigger's table; ``arguments``: a routine's argument list. Here: by name alone."""
        return f"DROP {'TABLE' if kind == 'VIRTUAL TABLE' else kind} IF EXISTS {name}"  # (a module's tables too)

    def table_read(self, conn: sa.Connection, table: str, schema: str | None = None) -> Any:
        """What the Alembic hook reads back of ``table`` after an op (its keys and CHECKs with their text, its
        columns' defaults as stored) in one query, as ``postgresql_read.TableRead``. None: no such read."""
        return None

    def constraints(self, conn: sa.Connection, table: str,
                    schema: str | None = None) -> list[tuple[str, str, tuple[str, ...], str | None, tuple[str, ...]]] | None:
        """(kind ``p``/``f``/``u``/``c``, name, columns, a foreign key's referent table and columns) of each key and
        CHECK ``table`` holds now, by name, in one query. None: no such read (the caller reads them apart)."""
        return None

    def scoped_digests(self, conn: sa.Connection, statement: str) -> tuple[Any, Sequence[int] | None]:
        """Before ``statement``: :meth:`table_digests` of the tables it can change, with those tables' ids (None: every table)."""
        return self.table_digests(conn), None

    def table_digests(self, conn: sa.Connection, schema: str | None = None, tables: Sequence[int] | None = None) -> Any:
        """Each table of ``schema`` (None: the default one) -> a text that changes whenever anything reflection
        reads of it changes (columns, keys, checks, indexes, comments, a foreign key's referent's name), in one
        query: taken before and after a statement that may change tables it does not name, the tables whose
        text differs are those it changed (:meth:`digest_parts`: which parts). None: no such read (tables: those only)."""

    def digest_parts(self, before: str, after: str) -> frozenset[str] | None:
        """The parts (``reflect.PARTS``) that differ between two digests of a table; None: not told."""

    def type_definition(self, conn: sa.Connection, name: str) -> str | None:
        """The ``CREATE TYPE`` that makes again the named type ``name`` (as written) as the database
        holds it now; None when it holds none. Here: None (no named types)."""
        return None

    def zero_takes_next_id(self, conn: sa.Connection, schema: str | None, table: str) -> str | None:
        """The column of ``table`` where an inserted 0 is stored as the next id instead (MySQL/MariaDB's
        AUTO_INCREMENT column when the session's sql_mode lacks NO_AUTO_VALUE_ON_ZERO). Here: None."""
        return None

    def enum_labels(self, conn: sa.Connection, name: str) -> list[str]:
        """The labels of the named ENUM type ``name`` (as written) as the database holds them now, in
        their order; none when it holds no such type. Here: none (no named types)."""
        return []

    def unique_constraints(self, conn: sa.Connection, inspector: sa.Inspector, table: str,
                           schema: str | None) -> list[tuple[str | None, tuple[str, ...]]]:
        """(name, columns) of each unique constraint of one table, each as many times as the
        database holds it. Here: what the inspector reports."""
        return [(uq.get("name"), tuple(uq["column_names"])) for uq in inspector.get_unique_constraints(table, schema=schema)]

    def foreign_key_index(self, index: IndexSpec, foreign_keys: Sequence[ForeignKeySpec]) -> bool:
        """Whether ``index`` is, as far as the database shows, the index it makes for one of
        ``foreign_keys`` (InnoDB's, named after the key, on its columns): an index declared with
        that name and those columns is held the same way and is not told apart from it."""
        return False

    def reflected_index(self, index: Mapping[str, Any], spec: IndexSpec,
                        foreign_keys: Sequence[ForeignKeySpec]) -> IndexSpec | UniqueSpec | None:
        """What an index the inspector reports (``index``, read as ``spec``) is: an index, a unique
        constraint (MySQL's unique indexes), or nothing the schema declares (None: the index
        behind a constraint, InnoDB's foreign key index)."""
        return spec

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

    def run_together(self, conn: sa.Connection, statements: Sequence[str]) -> None:
        """Run ``statements`` (DDL, no parameters) in the current transaction: here one round trip each."""
        for statement in statements:
            conn.exec_driver_sql(statement)

    def privilege_split_problem(self, schema: str | None) -> str | None:
        """Why the ledger (in ``schema``) cannot be owned by a role the applier is not, here
        (``schema-ledger grants``); None when it can."""
        return None

    def grant_account(self, role: str, prep: sa.sql.compiler.IdentifierPreparer) -> str:
        """``role`` as GRANT names it."""
        return prep.quote(role)

    def ledger_grants(self, table: sa.Table, snapshots: sa.Table, sa_dialect: sa.Dialect, *, applier: str,
                      owner: str | None) -> list[str]:
        """The statements, after the ledger ``table``, its triggers and the ``snapshots`` table are
        created, that hand them to ``owner`` (None: whoever runs them) and let ``applier`` only
        read the ledger and INSERT into it (and keep the snapshot cache)."""
        prep = sa_dialect.identifier_preparer
        app = self.grant_account(applier, prep)
        return [f"GRANT SELECT, INSERT ON {prep.format_table(table)} TO {app}",
                f"GRANT SELECT, INSERT, DELETE ON {prep.format_table(snapshots)} TO {app}"]

    def literal_writer(self, conn: sa.Connection) -> Callable[[Any], str] | None:
        """Writes a value (None, int, str) into SQL text exactly (TypeError if it cannot); None: bind it."""
        return None

    #: where SQL text may end in its own ``COMMIT`` (one round trip) with literal values: the writer; None here
    commit_in_statement = literal_writer

    def others_mark(self, conn: sa.Connection, schema: str | None) -> Any:
        """Where each transaction takes the write lock (:attr:`locks_per_transaction`): a mark, read
        inside the transaction, of what other connections have committed to the database (the
        attached one named ``schema``): two equal marks read on one connection mean that no other
        connection committed in between, so a reader that read the ledger at the first need not
        read it again. None: no such mark (the ledger is read in each transaction). Here: None."""
        return None

    def one_message(self, conn: sa.Connection) -> Callable[[Sequence[str]], tuple[int, sa.exc.DBAPIError] | None] | None:
        """Where a transaction's statements, its ``COMMIT`` among them, can be sent as one message whose
        answer says which statement failed: a function that sends them (``BEGIN`` first when no
        transaction is open) and gives None when every one ran, else the position of the one that
        failed (the server ran none after it) with the database's error; a connection lost on the
        way raises (it may have committed). None: the statements are sent one by one. Here: None."""
        return None

    @contextlib.contextmanager
    def quick_commits(self, conn: sa.Connection) -> Iterator[None]:
        """Commit the block's transactions without waiting for each to reach the disk, where the
        database keeps each one whole all the same, and make them all durable at the block's end
        (one wait instead of one per transaction). Here: commits wait as configured."""
        yield

    def lock_wait(self, conn: sa.Connection, timeout: float) -> None:
        """Where each transaction takes the write lock: make ``conn``'s wait for it ``timeout`` s. Here: nothing."""

    @contextlib.contextmanager
    def applier_lock(self, conn: sa.Connection, key: str, timeout: float, what: str) -> Iterator[None]:
        """Hold the lock that serialises appliers, named ``key``, for the block; wait up to ``timeout``
        s, then raise ``ledger_table.LockTimeout`` naming ``what``. The lock must end with the
        session, so that a killed runner leaves nothing behind."""
        raise UnsupportedDialectError(f"schema-ledger has no applier lock for {self.title or self.name}")
        yield


def _load(where: str) -> Any:
    """The object at ``"module:name"``."""
    module, _, name = where.partition(":")
    return getattr(importlib.import_module(module), name)


def database(name: str) -> Database:
    """The database object for a schema-ledger name, a flavour ("mariadb") or a SQLAlchemy backend name."""
    found = LOADED.get(name) or lookup(name)
    if found is None:
        raise UnsupportedDialectError(f"unsupported database dialect {name!r} (supported: {', '.join(choices())})")
    return found


def database_file(url: str | sa.URL) -> Path | None:
    """The file holding the database at ``url`` when it keeps one (SQLite's; not ``:memory:`` or a ``file:`` URI), else None."""
    parsed = sa.make_url(url)
    try:
        return database(parsed.get_backend_name()).database_file(parsed)
    except UnsupportedDialectError:
        return None


def column_type(default: sa.types.TypeEngine[Any], variant: str) -> sa.types.TypeEngine[Any]:
    """``default`` with, for every database whose attribute ``variant`` (``"long_text_type"``, ...)
    is set, that type in its place."""
    for name in DATABASES:
        other = DATABASES.column_type(name, variant)
        if other is not None:
            default = default.with_variant(other, *DATABASES.describe(name)[1])
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
