"""Convert an Alembic script folder into schema-ledger migration files.

The revisions run as ``alembic upgrade heads`` runs them: with Alembic's ``Config`` (the folder's
``alembic.ini``: ``script_location``, ``version_locations``, ``recursive_version_locations`` and
every main option a migration may read through ``context.config``), Alembic's own transaction
handling (one transaction per revision, so ``op.get_context().autocommit_block()`` works) and the
project's naming convention, against a scratch database of the chosen dialect with the Alembic hook
attached (so dialect conditionals, inspections and data migrations behave as they would for real).
The project's ``env.py`` is not used: it usually imports the application. The ops the hook records
become one migration file per Alembic revision, with the same id and message, rendered as ``op.*``
calls. A history with branches and merges is linearized in that order, and each file says so. Data
migrations become ``op.execute`` calls holding the SQL that ran on the scratch database; a revision
whose later data statement carries a value an earlier one read back (an id the scratch database
generated: ``alembic/readback.py``) keeps its schema ops, its data statements become comments, and
the result's ``not_replayed`` names it.

A history that starts from a schema made by ``metadata.create_all()`` rather than from an empty
database is imported from a database at that starting point (``from_url``, only read): its schema is
reflected and created on the scratch database first (the tables as ``baseline`` events, as a drill
replays a baseline, then the rows they hold: ``alembic_rows.py``), its Alembic version table is stamped there, and the revisions after it run as
``alembic upgrade heads`` would run them from there. The folder then holds that schema as
``baseline.json``: it starts from it (``schema-ledger baseline`` adopts a database at that point,
and ``apply`` refuses one that was not adopted).

The files are written only when the whole history imported: a revision whose ``upgrade()`` fails, or
an op that cannot be rendered, is reported with the file and line, and nothing is written (the files
are made in a temporary folder and moved into place at the end).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import attrs
import sqlalchemy as sa

from ops import ExecuteSQLOp, LedgerError, MigrateOperation, SchemaState

from ledger import dialects
from ledger.dialects.sequences import SequenceSpec
from ledger.format.events import follows_statement_above
from ledger.inspect.drift import alembic_version_tables, reflect_live
from ledger.project.config import Config
from ledger.run.baseline import (
    BASELINE_FILE,
    BaselineError,
    baseline_ops,
    build_baseline,
    prepare,
    reflect_sequences,
    snapshot_text,
)
from ledger.storage.db import dialect_of, sync_url
from ledger.storage.session import DatabaseError, connect, db_message, missing_sqlite_file, safe_url, tx, wrap_db_errors
from ledger.schema.pysource import python_source
from ledger.schema.render import RenderError
from ledger.project.folders import alembic_script_folder
from ledger.project.revisions import slug
from ledger.storage.store import LedgerStore

from ledger.integrations.alembic import SCHEMA_SQL, Recorder  # first: without Alembic it says what to install
from ledger.integrations.alembic.base import ALEMBIC_CONFIG, is_data_change
from ledger.integrations.alembic.readback import carries_read_back
from ledger.integrations.alembic_config import ConfigNotFound, alembic_config
from ledger.integrations.alembic_rows import TableRows, read_rows, write_rows

from alembic.config import Config as AlembicConfig  # noqa: E402
from alembic.runtime.environment import EnvironmentContext  # noqa: E402
from alembic.runtime.migration import MigrationContext  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from alembic.script.revision import ResolutionError  # noqa: E402
from alembic.util import CommandError  # noqa: E402

_T = TypeVar("_T")

__all__ = ["ImportError_", "ImportProblem", "ImportResult", "ImportedRevision", "StartingPoint", "import_alembic",
           "starting_point"]

SCRATCH_URL_ENV = "SCHEMA_LEDGER_SCRATCH_URL"
_SCRATCH_LEDGER = "schema_ledger_import"


class ImportError_(LedgerError, ValueError):  # noqa: N801 - ImportError is a builtin
    """The Alembic folder, the naming convention or the scratch database cannot be used."""


@attrs.frozen
class ImportProblem:
    """Something the import could not carry over, where it is in the Alembic files."""

    revision: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@attrs.frozen
class ImportedRevision:
    id: str
    message: str
    path: Path
    ops: int
    linearized: str | None = None


@attrs.frozen
class StartingPoint:
    """The schema a history starts from, as the database at ``url`` holds it (made by ``create_all()``)."""

    #: the database it was read from, password hidden
    url: str
    #: its tables, every constraint and index named (as ``baseline`` records them)
    state: SchemaState
    #: what its Alembic version table holds (empty: no version table, or an empty one)
    alembic: tuple[str, ...]
    #: the sequences it holds that no column owns (``CREATE SEQUENCE``), made first on the scratch database
    sequences: tuple[SequenceSpec, ...] = ()
    #: the version table ``alembic`` was read from (the project's)
    version_table: str = "alembic_version"
    #: the rows its tables hold (what the package wrote when it made the database), copied to the scratch database
    rows: tuple[TableRows, ...] = ()
    #: it holds more rows than ``alembic_rows.ROW_LIMIT``: none copied (the schema alone)
    rows_left: bool = False


@attrs.frozen
class ImportResult:
    into: Path
    dialect: str
    #: the files written (none when there are problems: nothing is written then)
    revisions: tuple[ImportedRevision, ...]
    problems: tuple[ImportProblem, ...]
    #: the schema the history starts from (None: an empty database)
    start: StartingPoint | None = None
    #: the starting schema's file in ``into`` (None: none was written)
    baseline: Path | None = None
    #: revisions whose data statements were left out, each named: a later one carries a value an
    #: earlier one read back (their schema changes are imported)
    not_replayed: tuple[ImportProblem, ...] = ()


def _upgrade_order(script: ScriptDirectory, start: tuple[str, ...] = ()) -> list[Any]:
    """The revisions in the order ``alembic upgrade heads`` runs them on an empty database, or from
    the revisions ``start`` (a version table's rows)."""
    if start:
        return [step.revision for step in script._upgrade_revs("heads", start)]
    return list(reversed(list(script.revision_map.iterate_revisions("heads", (), implicit_base=True))))


def _where_failed(exc: BaseException, paths: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(revision, ``file:line``) of the deepest traceback frame in a revision file, else (None, None)."""
    found: tuple[str | None, str | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        revision = paths.get(os.path.realpath(frame.filename))
        if revision is not None:
            found = (revision, f"{frame.filename}:{frame.lineno}")
    return found


def _scratch_url(dialect: str, url: str | None, folder: Path) -> sa.URL:
    given = url or dialects.database(dialect).scratch_file_url(folder / "scratch.db") or os.environ.get(SCRATCH_URL_ENV)
    if not given:
        raise ImportError_(f"importing for {dialect} needs an empty scratch database: pass its URL "
                           f"(--scratch-url) or set {SCRATCH_URL_ENV}")
    try:
        return sa.make_url(given)
    except sa.exc.ArgumentError:
        raise ImportError_(f"--scratch-url: not a database URL: {given}") from None


def naming_convention_from(reference: str) -> dict[str, str]:
    """The naming convention ``module:attr`` names: a dict, or a MetaData's ``naming_convention``.

    The current folder is on the import path, as Alembic's ``prepend_sys_path = .`` puts it.
    """
    module_name, _, attr = reference.partition(":")
    if not module_name or not attr:
        raise ImportError_(f"--naming-convention {reference!r}: expected module:attribute")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        value: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            value = getattr(value, part)
    except Exception as exc:  # noqa: BLE001 - whatever importing the user's module raises
        raise ImportError_(f"--naming-convention {reference}: cannot load it: {type(exc).__name__}: {exc}") from None
    value = getattr(value, "naming_convention", value)
    if not isinstance(value, Mapping):
        raise ImportError_(f"--naming-convention {reference}: not a dict or a MetaData")
    return {str(k): v for k, v in value.items()}


def import_alembic(path: Path | str, dialect: str = "sqlite", into: Path | str | None = None, *,
                   url: str | None = None, naming_convention: Mapping[str, Any] | None = None,
                   from_url: str | None = None, autocommit: bool = False, migration_args: Mapping[str, Any] | None = None,
                   version_table: str | None = None, name: str = "alembic",
                   x_arguments: Sequence[str] = ()) -> ImportResult:
    """Write one schema-ledger migration file per Alembic revision of ``path`` into ``into``.

    ``path`` is an Alembic script folder (with ``versions/``), its ``alembic.ini`` or the ``pyproject.toml``
    with its ``[tool.alembic]`` table, or the folder of either; ``name`` the ini section to read and
    ``x_arguments`` the ``-x`` values, as ``alembic -n NAME -x KEY=VALUE`` takes them.
    ``dialect`` is the database the revisions run on: ``sqlite`` uses a temporary file;
    ``postgresql`` and ``mysql`` need ``url``, an empty database that the import may write to.
    ``naming_convention`` is the project's (its ``target_metadata``'s), for the names Alembic
    gives constraints and indexes created without one. ``from_url``: a database of ``dialect``
    at the point the history starts from (tables made by ``create_all()``, its version table
    stamped), only read: the revisions run on its schema, from the revisions its version table
    holds, and ``into`` gets that schema as ``baseline.json``. ``autocommit``: the revisions run
    on an ``AUTOCOMMIT`` connection, as a project's env.py may configure it (each statement
    commits on its own, so ``CREATE INDEX CONCURRENTLY`` runs outside ``autocommit_block()``).
    ``migration_args``: the keyword arguments the project's env.py passes to ``run_migrations()``, which
    Alembic hands to every revision's ``upgrade()`` (the multidb template's ``engine_name``;
    ``ALEMBIC_CONFIG``: the import's Alembic ``Config``, as ``run_migrations(config=config)`` passes it).
    ``version_table``: the one the project's env.py gives Alembic (``version_table=...``): the
    revisions run with it, and ``from_url``'s is read (absent: the history has not run there, as in
    a database another history made and stamped in a version table of its own); None: Alembic's
    ``alembic_version``, and ``from_url``'s is that one or else its only version table.
    Nothing is written when anything could not be imported: the result's ``problems`` say what,
    and its ``revisions`` are empty.
    """
    try:
        dialect = dialects.database(dialect).name
    except dialects.UnsupportedDialectError:
        raise ImportError_(f"unsupported dialect {dialect!r} ({', '.join(dialects.choices())})") from None
    try:
        config = alembic_config(Path(path), name=name, x_arguments=x_arguments)
    except ConfigNotFound as exc:
        raise ImportError_(str(exc)) from None
    script = ScriptDirectory.from_config(config)
    target = Path(into) if into is not None else Path("migrations")
    if alembic_script_folder(target):  # the files would land beside Alembic's env.py
        raise ImportError_(f"{target} is an Alembic script folder (it holds env.py): import into a folder of "
                           "schema-ledger's own (--into DIR, or `migrations = \"DIR\"` in schema-ledger.toml)")
    start = starting_point(from_url, dialect, naming_convention, version_table) if from_url is not None else None
    args = {key: config if value is ALEMBIC_CONFIG else value for key, value in (migration_args or {}).items()}
    with tempfile.TemporaryDirectory(prefix="sl-import-") as scratch:
        scratch_url = _scratch_url(dialect, url, Path(scratch))
        if dialect_of(scratch_url) != dialect:
            raise ImportError_(f"the scratch database {scratch_url.render_as_string()} is not {dialect}")
        config.set_main_option("sqlalchemy.url", scratch_url.render_as_string(hide_password=False).replace("%", "%%"))
        options = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
        recorded, problems = _on_scratch(scratch_url, options,
                                         lambda conn: _run(config, script, conn, naming_convention, start,
                                                          args, version_table))
    return _write(recorded, problems, target, dialect, start)


def _on_scratch(url: sa.URL, options: Mapping[str, Any], work: Callable[[sa.Connection], _T]) -> _T:
    """``work`` on a connection to the scratch database through the URL's own driver.

    An async driver (``postgresql+asyncpg``) runs it through SQLAlchemy's asyncio engine, as an
    async project's env.py runs its history (``connection.run_sync``): the revisions' SQL goes
    through the driver the project uses (asyncpg sends ``format('%I', ...)`` as it is, where
    psycopg takes ``%I`` for a placeholder). Without SQLAlchemy's asyncio support (greenlet), the
    URL runs on the database's synchronous driver (:func:`ledger.storage.db.sync_url`). A
    database that cannot be reached is an ImportError_ in one line.
    """
    if getattr(url.get_dialect(), "is_async", False):
        try:
            from sqlalchemy.ext.asyncio import create_async_engine

            async_engine = create_async_engine(url, poolclass=sa.pool.NullPool, **options)
        except ImportError:
            pass
        else:
            async def run() -> _T:
                try:
                    try:
                        conn = await async_engine.connect()
                    except sa.exc.DBAPIError as exc:
                        raise _unreachable(url, exc) from None
                    try:  # connect() gave it started: closed here, not entered again
                        return await conn.run_sync(work)
                    finally:
                        await conn.close()
                finally:
                    await async_engine.dispose()

            return asyncio.run(run())
    engine = sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool, **options)
    try:
        try:
            conn = engine.connect()
        except sa.exc.DBAPIError as exc:
            raise _unreachable(url, exc) from None
        with conn:
            return work(conn)
    finally:
        engine.dispose()


def _unreachable(url: sa.URL, exc: sa.exc.DBAPIError) -> ImportError_:
    return ImportError_(f"--scratch-url: cannot connect to {url.render_as_string()}: {db_message(exc)}")


def starting_point(url: str, dialect: str, naming_convention: Mapping[str, Any] | None = None,
                   version_table: str | None = None) -> StartingPoint:
    """The schema and Alembic revisions of the database at ``url`` (only read), as a history's start.

    Its tables are reflected as ``baseline`` reflects them (without a ledger table or Alembic's
    version table) and every constraint and index gets a name (``naming_convention`` over the
    default one), so the scratch database and a database later adopted with ``baseline`` hold
    the same names (on MariaDB/MySQL the index InnoDB made for a foreign key is held, as ``baseline``
    holds it, under the name the database gave it). Its revisions are the rows of ``version_table`` (the project's): none when the
    database has no such table; None: ``alembic_version``, else the database's only version table.
    """
    shown = safe_url(url)
    if missing_sqlite_file(url):
        raise ImportError_(f"--from-url {shown} does not exist: give the database the history starts from")
    convention = dict(Config(Path.cwd()).naming_convention)
    convention.update({str(k): v for k, v in (naming_convention or {}).items() if isinstance(v, str)})
    try:
        with connect(url, reads_only=True) as conn, wrap_db_errors(), tx(conn):
            found = dialect_of(conn)
            if found != dialect:
                raise ImportError_(f"--from-url {shown} is a {found} database, not {dialect}")
            live = reflect_live(conn, Config(Path.cwd(), url=url), every_schema=True, foreign_key_indexes=True)
            sequences = reflect_sequences(conn)
            table_rows = read_rows(conn, live)
            versions = alembic_version_tables(conn)
            if version_table is not None:
                table = version_table if version_table in versions else None
            else:
                table = "alembic_version" if "alembic_version" in versions else versions[0] if len(versions) == 1 else None
            rows: tuple[str, ...] = ()
            if table is not None:
                version = sa.table(table, sa.column("version_num"))
                rows = tuple(sorted(str(r) for r in conn.execute(sa.select(version.c.version_num)).scalars()))
    except DatabaseError as exc:
        raise ImportError_(f"--from-url: {exc}") from None
    try:
        state = prepare(live, dialect, convention, sequences)
    except BaselineError as exc:
        raise ImportError_(f"--from-url {shown}: {exc}") from None
    return StartingPoint(shown, state, rows, sequences, table or version_table or "alembic_version", table_rows or (),
                         table_rows is None)


def _made_by_statement_above(message: str | None) -> bool:
    return bool(message) and message.startswith(SCHEMA_SQL) and follows_statement_above(message)


@attrs.frozen
class _Skipped:
    """A statement left out of the imported file, with why; rendered as a comment."""

    op: Any
    why: str = "procedural SQL not imported: its schema change is the ops below (data work it may do is not)"

    def comment(self) -> str:
        sql = " ".join(str(getattr(self.op, "sqltext", "")).split())
        return f"    # {self.why}: {sql[:300]}\n"


#: why the SQL an operation ran, marked for re-sync, is left out: the re-sync after it recorded its change as ops
RESYNCED_SQL = "SQL not imported: its schema change is the re-synced ops below"


@attrs.frozen
class _NotReplayed:
    """A data statement of a revision that read back a value it passes on (readback.py): a comment."""

    op: Any

    def comment(self) -> str:
        sql = " ".join(str(getattr(self.op, "sqltext", "")).split())
        if dialects.unrendered(sql) is not None:
            sql = sql.partition(" */ ")[2]
        return f"    # data statement not imported (the revision reads back values it passes on): {sql[:300]}\n"


@attrs.frozen
class _Recorded:
    revision: Any
    ops: tuple[tuple[MigrateOperation, str | None], ...]
    #: its data statements are left out: a later one carries a value read back (None: replayable)
    not_replayed: ImportProblem | None = None


def _give_start(conn: sa.Connection, script: ScriptDirectory, start: StartingPoint, version_table: str | None) -> None:
    """The scratch database at the starting point: its sequences and tables as ``baseline`` events of the
    scratch ledger (what the hook's fold starts from), and Alembic's version table stamped as the
    starting database's is."""
    message = f"the schema the history starts from ({start.url})"
    ops = baseline_ops(start.state, start.sequences, dialect_of(conn), conn)
    build_baseline(conn, LedgerStore(_SCRATCH_LEDGER), [(op, {"revision": None, "message": message}) for op in ops])
    try:
        write_rows(conn, start.rows)
    except sa.exc.DBAPIError as exc:
        raise ImportError_(f"--from-url {start.url}: its rows cannot be copied to the scratch database: "
                           f"{db_message(exc)}") from None
    if not start.alembic:
        return
    with tx(conn):
        try:
            opts = {"version_table": version_table or "alembic_version"}
            MigrationContext.configure(connection=conn, opts=opts).stamp(script, start.alembic)
        except (CommandError, ResolutionError) as exc:
            raise ImportError_(f"--from-url {start.url}: its Alembic version table {start.version_table} holds "
                               f"{', '.join(start.alembic)}, not a revision of this history "
                               f"({' '.join(str(exc).split())[:200]}); a table another history stamped? give "
                               "the project's own: --version-table NAME, as its env.py configures Alembic") from None


def _run(config: AlembicConfig, script: ScriptDirectory, conn: sa.Connection,
         naming_convention: Mapping[str, Any] | None,
         start: StartingPoint | None = None,
         migration_args: Mapping[str, Any] | None = None,
         version_table: str | None = None) -> tuple[list[_Recorded], list[ImportProblem]]:
    """Run ``alembic upgrade heads`` on the scratch database with the hook; the ops of each revision."""
    problems: list[ImportProblem] = []
    order: list[Any] = []
    paths: dict[str, str] = {}
    metadata = sa.MetaData(naming_convention=dict(naming_convention)) if naming_convention else None
    recorder: Recorder | None = None

    def upgrade(rev: Any, context: Any) -> Any:
        return script._upgrade_revs("heads", rev)

    found = sorted(sa.inspect(conn).get_table_names())
    if found:
        raise ImportError_(f"the scratch database {conn.engine.url.render_as_string()} is not empty "
                           f"({', '.join(found[:5])}{', ...' if len(found) > 5 else ''}): the history runs on an "
                           "empty one (an import leaves it as the history made it): drop those tables or give "
                           "another --scratch-url")
    conn.rollback()  # the inspection began a transaction; Alembic runs its own
    if start is not None:
        _give_start(conn, script, start, version_table)
    with EnvironmentContext(config, script, fn=upgrade, as_sql=False, destination_rev="heads") as env:
        env.configure(connection=conn, target_metadata=metadata, transaction_per_migration=True,
                      version_table=version_table or "alembic_version")
        recorder = Recorder(env.get_context(), LedgerStore(_SCRATCH_LEDGER))
        recorder.install()
        try:
            # The revision files load now, as under Alembic: with the context configured
            # (some read the dialect at import time).
            order[:] = _upgrade_order(script, start.alembic if start is not None else ())
            paths.update({os.path.realpath(r.path): r.revision for r in order if r.path})
            with env.begin_transaction():
                env.run_migrations(**(migration_args or {}))
        except Exception as exc:  # noqa: BLE001 - any failure is reported; nothing is written
            revision, where = _where_failed(exc, paths)
            revision = revision or recorder.revision or recorder.failed or "?"
            message = " ".join(f"{type(exc).__name__}: {exc}".split())[:400]
            if where is None and isinstance(exc, TypeError) and "upgrade()" in message:  # an argument env.py gives
                message += (" (give what the project's env.py passes to run_migrations(): --migration-arg KEY=VALUE; "
                            "its Alembic Config: --config-arg NAME)")
            where = where or next((p for p, r in paths.items() if r == revision), None)
            problems.append(ImportProblem(revision, where or str(script.dir),
                                          f"upgrade() failed on the scratch database ({message})"))
        finally:
            recorder.uninstall()
    by_revision: dict[str, list[tuple[MigrateOperation, str | None]]] = {}
    # revisions whose data statements carry a value read back from the scratch database: the
    # data part is left out (named), the schema part imported
    read_back = {event.revision: recorder.origins.get(event.seq) for event in reversed(recorder.events)
                 if isinstance(event.op, ExecuteSQLOp) and carries_read_back(dialects.unrendered(event.op.sqltext))}
    for event in recorder.events:
        ops = by_revision.setdefault(event.revision or "", [])
        if event.op is None:
            continue
        if event.revision in read_back and is_data_change(event):
            ops.append((_NotReplayed(event.op), recorder.origins.get(event.seq)))
            continue
        if event.seq in recorder.resynced:
            ops.append((_Skipped(event.op, RESYNCED_SQL), recorder.origins.get(event.seq)))
            continue
        if _made_by_statement_above(event.message) and ops and isinstance(ops[-1][0], ExecuteSQLOp):
            # Procedural SQL (a DO block) that changed the schema: its schema change is imported as
            # the ops that follow; running the block too would make that change twice.
            ops[-1] = (_Skipped(ops[-1][0]), ops[-1][1])
        ops.append((event.op, recorder.origins.get(event.seq)))
    recorded = [_Recorded(r, tuple(by_revision.get(r.revision, ())),
                          _not_replayed(r, read_back[r.revision]) if r.revision in read_back else None)
                for r in order]
    return recorded, problems


def _not_replayed(revision: Any, origin: str | None) -> ImportProblem:
    return ImportProblem(revision.revision, origin or str(revision.path),
                         f"revision {revision.revision}: its data statements are not imported: a later one carries a "
                         "value an earlier one read back from the scratch database (such as a generated id), which names "
                         "another row, or none, on any other database; its schema changes are imported")


_FILE = '''"""{message}{notes}"""

{imports}

revision = {revision!r}
down_revision = {down_revision!r}


def upgrade(op):
{body}'''


def _docstring(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _down_revisions(revision: Any) -> tuple[str, ...]:
    down = revision.down_revision
    if down is None:
        return ()
    return (down,) if isinstance(down, str) else tuple(down)


def _start_note(start: StartingPoint) -> str:
    at = f" at Alembic revision {', '.join(start.alembic)}" if start.alembic else ""
    return (f"Starts from the schema in {BASELINE_FILE} ({len(start.state.tables)} tables, as {start.url} held "
            f"them{at}), not from an empty database: adopt a database at that point with `schema-ledger "
            f"baseline`, then `schema-ledger apply`.")


def _write(recorded: Sequence[_Recorded], problems: list[ImportProblem], target: Path,
           dialect: str, start: StartingPoint | None = None) -> ImportResult:
    """Render every revision; write the files (into a temporary folder, moved into place) only without problems."""
    texts: list[tuple[str, str]] = []
    written: list[ImportedRevision] = []
    previous: str | None = None
    starts = start is not None and bool(start.state.tables)
    for item in recorded:
        revision = item.revision
        path = Path(revision.path)
        statements: list[str] = []
        imports: set[str] = {"import sqlalchemy as sa"}
        rendered = 0
        for op, origin in item.ops:
            if isinstance(op, (_Skipped, _NotReplayed)):
                statements.append(op.comment())
                continue
            if isinstance(op, ExecuteSQLOp) and (why := dialects.unrendered(op.sqltext)) is not None:
                problems.append(ImportProblem(revision.revision, origin or str(path),
                                              f"{op.describe()}: {why}"))
                continue
            try:
                source = python_source([op])
            except (RenderError, LedgerError, TypeError, ValueError) as exc:
                where = origin or str(path)
                problems.append(ImportProblem(revision.revision, where, f"{op.describe()} cannot be rendered: {exc}"))
                continue
            imports.update(source.imports)
            statements.append(source.body)
            rendered += 1
        notes: list[str] = []
        downs = _down_revisions(revision)
        linearized = None
        from_start = previous is None and start is not None and bool(downs) and set(downs) <= set(start.alembic)
        if not from_start and (len(downs) > 1 or (downs and downs[0] != previous) or (not downs and previous is not None)):
            linearized = (f"Alembic revision {revision.revision} follows "
                          f"{', '.join(downs) or 'base'}; linearized in Alembic's upgrade order after "
                          f"{previous or 'base'}.")
            notes.append(linearized)
        if len(downs) > 1:
            notes.insert(0, f"Merge of {', '.join(downs)}.")
        if previous is None and starts:
            assert start is not None
            notes.insert(0, _start_note(start))
        if item.not_replayed is not None:
            notes.append("Its data statements are not imported (commented below): a later one carries a value an "
                         "earlier one read back from the scratch database. Write that data migration by hand.")
        notes.append(f"Imported from {path.name} (ran on {dialect}).")
        message = (revision.doc or "").strip() or revision.revision
        text = _FILE.format(
            message=_docstring(message),
            notes="\n\n" + _docstring("\n".join(notes)) + "\n",
            imports="\n".join(sorted(imports)),
            revision=revision.revision,
            down_revision=previous,
            # a body of comments alone (every statement left out) is no body: ``pass`` follows them
            body="".join(statements) + ("" if rendered else "    pass\n"),
        )
        name = f"{revision.revision}_{slug(message)}.py"
        texts.append((name, text))
        written.append(ImportedRevision(revision.revision, message, target / name, rendered, linearized))
        previous = revision.revision
    not_replayed = tuple(item.not_replayed for item in recorded if item.not_replayed is not None)
    if problems:
        return ImportResult(target, dialect, (), tuple(problems), start, not_replayed=not_replayed)
    if starts:
        assert start is not None
        texts.append((BASELINE_FILE, snapshot_text(start.state, start.sequences)))
    _place(texts, target)
    return ImportResult(target, dialect, tuple(written), (), start, target / BASELINE_FILE if starts else None,
                        not_replayed)


def _place(texts: Sequence[tuple[str, str]], target: Path) -> None:
    """Write the files into a temporary folder beside ``target``, then move them into place.

    A new ``target`` is the temporary folder renamed; into an existing one the files are moved
    one by one after all of them were written.
    """
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-import-", dir=parent))
    try:
        for name, text in texts:
            (staging / name).write_text(text, encoding="utf-8")
        if not target.exists():
            staging.rename(target)
            return
        for name, _ in texts:
            os.replace(staging / name, target / name)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
