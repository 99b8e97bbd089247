"""Cases on real databases: apply and rollback (SQLite, PostgreSQL, MariaDB), status, verify --live.

Baselines: the DDL statements schema-ledger ran, replayed raw in one transaction through SQLAlchemy
(``exec_driver_sql`` on one connection: the raw baseline of the targets) and, as an informational row,
through the bare driver; Alembic (``upgrade head``, ``downgrade base``, ``current``, ``compare_metadata``)
on the equivalent Alembic project. Every timed run starts from a fresh database (made before
the run, not timed): an empty one for apply, a copy of the applied one for rollback.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks import replay
from benchmarks.generate import alembic_config, write_alembic_project, write_ledger_project, write_wide_project
from benchmarks.harness import Baseline, Prepared, Timed, case
from ledger.inspect.audit import verify
from ledger.project.config import Config
from ledger.run.rollback import rollback
from ledger.run.apply import apply
from ledger.inspect.status import status

#: Where the PostgreSQL databases of the benchmarks are made (``SCHEMA_LEDGER_BENCH_POSTGRES`` overrides).
POSTGRES = os.environ.get("SCHEMA_LEDGER_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
#: Where the MariaDB databases of the benchmarks are made (``SCHEMA_LEDGER_BENCH_MARIADB`` overrides).
MARIADB = os.environ.get("SCHEMA_LEDGER_BENCH_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/mysql")
#: The names of the scratch databases start with this (``SCHEMA_LEDGER_BENCH_PREFIX`` overrides it, so that
#: two checkouts can run cases on one server at once).
PREFIX = os.environ.get("SCHEMA_LEDGER_BENCH_PREFIX", "sl_bench_")


# ---------------------------------------------------------------------------------------------
# Scratch databases
# ---------------------------------------------------------------------------------------------


class Scratch:
    """Named scratch databases of one dialect: made empty, or as a copy of another."""

    def __init__(self, dialect: str, workdir: str) -> None:
        self.dialect = dialect
        self.workdir = workdir

    def url(self, name: str) -> str:
        if self.dialect == "sqlite":
            return f"sqlite:///{os.path.join(self.workdir, name + '.db')}"
        server = MARIADB if self.dialect == "mysql" else POSTGRES
        return sa.make_url(server).set(database=f"{PREFIX}{name}").render_as_string(hide_password=False)

    def _admin(self, statements: list[str]) -> None:
        server = MARIADB if self.dialect == "mysql" else POSTGRES
        engine = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                for statement in statements:
                    conn.exec_driver_sql(statement)
        finally:
            engine.dispose()

    def fresh(self, name: str, *, copy_of: str | None = None) -> str:
        url = self.url(name)
        if self.dialect == "sqlite":
            path = sa.make_url(url).database
            assert path is not None
            if os.path.exists(path):
                os.remove(path)
            if copy_of is not None:
                shutil.copyfile(sa.make_url(self.url(copy_of)).database or "", path)
            return url
        if self.dialect == "mysql":
            self._admin([f"DROP DATABASE IF EXISTS {PREFIX}{name}", f"CREATE DATABASE {PREFIX}{name}"])
            if copy_of is not None:
                self._copy_mariadb(f"{PREFIX}{copy_of}", f"{PREFIX}{name}")
            return url
        template = f" TEMPLATE {PREFIX}{copy_of}" if copy_of else " TEMPLATE template0"
        self._admin([f"DROP DATABASE IF EXISTS {PREFIX}{name} WITH (FORCE)",
                     f"CREATE DATABASE {PREFIX}{name}{template}"])
        return url

    @staticmethod
    def _copy_mariadb(source: str, target: str) -> None:
        """MariaDB has no template databases: the source is dumped and loaded with the client tools."""
        server = sa.make_url(MARIADB)
        login = [f"--host={server.host or '127.0.0.1'}", f"--port={server.port or 3306}",
                 f"--user={server.username or 'root'}"] + ([f"--password={server.password}"] if server.password else [])
        dump = subprocess.run(["mariadb-dump", *login, "--skip-triggers", source], capture_output=True, check=True)
        subprocess.run(["mariadb", *login, target], input=dump.stdout, capture_output=True, check=True)

    @staticmethod
    def replay(url: str, statements: list[str], *, bare: bool = False) -> None:
        """Run ``statements`` in one transaction through SQLAlchemy (``exec_driver_sql`` on one connection: the
        raw baseline), or with ``bare`` through the bare driver (the floor, an informational row)."""
        (replay.bare if bare else replay.through_sqlalchemy)(url, statements)


def _config(project: Path, url: str) -> Config:
    return Config(project_dir=project, url=url, migrations=Path("migrations"))


def _quiet_alembic(folder: Path, url: str) -> Any:
    cfg = alembic_config(folder, url)
    cfg.stdout = io.StringIO()
    return cfg


def _projects(workdir: str, size: int, dialect: str) -> tuple[Path, Path]:
    """(schema-ledger project, Alembic project) of the synthetic history of ``size`` revisions."""
    project = Path(workdir) / f"project-{size}"
    if not (project / "migrations").is_dir():
        write_ledger_project(project / "migrations.part", size)
        (project / "migrations.part").rename(project / "migrations")
    flavour = "sqlite" if dialect == "sqlite" else "plain"
    alembic_dir = Path(workdir) / f"alembic-{flavour}-{size}"
    if not (alembic_dir / "versions").is_dir():
        write_alembic_project(alembic_dir, size, sqlite=dialect == "sqlite")
    return project, alembic_dir


def _statements_file(workdir: str, what: str, dialect: str, size: int) -> Path:
    return Path(workdir) / f"{what}-statements-{dialect}-{size}.json"


# ---------------------------------------------------------------------------------------------
# apply and rollback
# ---------------------------------------------------------------------------------------------


def _build_migrations(dialect: str) -> Callable[[int, str], None]:
    def build(size: int, workdir: str) -> None:
        project, alembic_dir = _projects(workdir, size, dialect)
        applied = _statements_file(workdir, "apply", dialect, size)
        reverted = _statements_file(workdir, "rollback", dialect, size)
        if applied.exists() and reverted.exists():
            return
        db = Scratch(dialect, workdir)
        # The databases at head that every rollback run starts from (copied), and what each ran.
        result = apply(_config(project, db.fresh(f"applied_ours_{size}")))
        applied.write_text(json.dumps([s for r in result.applied for s in r.statements]))
        url = db.fresh(f"rollback_probe_{size}", copy_of=f"applied_ours_{size}")
        undone = rollback(_config(project, url), to="base")
        reverted.write_text(json.dumps([s for r in undone.reverted for s in r.statements]))
        from alembic import command

        command.upgrade(_quiet_alembic(alembic_dir, db.fresh(f"applied_alembic_{size}")), "head")

    return build


RAW = "the same DDL replayed raw in one transaction (SQLAlchemy exec_driver_sql)"
BARE = "the same DDL through the bare driver, one transaction (informational: the floor)"

RAW_IN_PROCESS = (f"{RAW}, in process (informational: the target is judged with both as fresh processes, "
                  "in the case named -fresh)")


def _raw(timed: Timed, target: float, one_transaction: bool) -> Baseline:
    """The raw replay's row: judged in the default mode; with ``--one-transaction`` printed for
    information, the target being judged with both tools as fresh processes (``fresh_cases``)."""
    if one_transaction:
        return Baseline(RAW_IN_PROCESS, timed, target, informational=True)
    return Baseline(RAW, timed, target)


#: how a case's description names its mode
_MODE = {False: "", True: " --one-transaction"}


def _apply(dialect: str, size: int, workdir: str, raw_target: float, alembic_target: float, *,
           one_transaction: bool = False) -> Prepared:
    from alembic import command

    project, alembic_dir = _projects(workdir, size, dialect)
    statements = json.loads(_statements_file(workdir, "apply", dialect, size).read_text())
    db = Scratch(dialect, workdir)
    urls = {who: db.url(f"apply_{who}_{size}") for who in ("ours", "raw", "alembic")}

    def fresh(who: str) -> Callable[[], None]:
        return lambda: db.fresh(f"apply_{who}_{size}") and None

    return Prepared(
        Timed(lambda: apply(_config(project, urls["ours"]), one_transaction=one_transaction), setup=fresh("ours")),
        (
            _raw(Timed(lambda: db.replay(urls["raw"], statements), setup=fresh("raw")), raw_target, one_transaction),
            Baseline(BARE, Timed(lambda: db.replay(urls["raw"], statements, bare=True), setup=fresh("raw")), raw_target,
                     informational=True),
            Baseline("alembic upgrade head (hand-written project)",
                     Timed(lambda: command.upgrade(_quiet_alembic(alembic_dir, urls["alembic"]), "head"),
                           setup=fresh("alembic")), alembic_target),
        ),
        f"apply{_MODE[one_transaction]} {size} revisions ({len(statements)} statements) to an empty {dialect} database",
    )


def _rollback(dialect: str, size: int, workdir: str, raw_target: float, alembic_target: float, *,
              one_transaction: bool = False) -> Prepared:
    from alembic import command

    project, alembic_dir = _projects(workdir, size, dialect)
    statements = json.loads(_statements_file(workdir, "rollback", dialect, size).read_text())
    db = Scratch(dialect, workdir)
    urls = {who: db.url(f"rollback_{who}_{size}") for who in ("ours", "raw", "alembic")}

    def copy(who: str, of: str) -> Callable[[], None]:
        return lambda: db.fresh(f"rollback_{who}_{size}", copy_of=f"applied_{of}_{size}") and None

    return Prepared(
        Timed(lambda: rollback(_config(project, urls["ours"]), to="base", one_transaction=one_transaction),
              setup=copy("ours", "ours")),
        (
            _raw(Timed(lambda: db.replay(urls["raw"], statements), setup=copy("raw", "ours")), raw_target,
                 one_transaction),
            Baseline(BARE, Timed(lambda: db.replay(urls["raw"], statements, bare=True), setup=copy("raw", "ours")), raw_target,
                     informational=True),
            Baseline("alembic downgrade base (hand-written downgrades)",
                     Timed(lambda: command.downgrade(_quiet_alembic(alembic_dir, urls["alembic"]), "base"),
                           setup=copy("alembic", "alembic")), alembic_target),
        ),
        f"rollback --to base{_MODE[one_transaction]} of {size} revisions ({len(statements)} statements), {dialect}",
    )


@case("apply-sqlite", size=500, quick_size=14, build=_build_migrations("sqlite"), repeat=5)
def apply_sqlite(size: int, workdir: str) -> Prepared:
    return _apply("sqlite", size, workdir, 1.5, 0.25)


@case("rollback-sqlite", size=500, quick_size=14, build=_build_migrations("sqlite"), repeat=5)
def rollback_sqlite(size: int, workdir: str) -> Prepared:
    return _rollback("sqlite", size, workdir, 1.5, 0.25)


@case("apply-postgresql", size=500, quick_size=14, build=_build_migrations("postgresql"), needs="postgresql",
      repeat=5)
def apply_postgresql(size: int, workdir: str) -> Prepared:
    return _apply("postgresql", size, workdir, 1.3, 0.8)


@case("rollback-postgresql", size=500, quick_size=14, build=_build_migrations("postgresql"), needs="postgresql",
      repeat=5)
def rollback_postgresql(size: int, workdir: str) -> Prepared:
    return _rollback("postgresql", size, workdir, 1.3, 0.8)


# MariaDB: the default mode only (every DDL statement commits by itself there, so schema-ledger
# refuses --one-transaction); Alembic's env.py opens one transaction that the DDL commits as it
# goes, and the raw replay runs the statements one after the other on one connection. The
# targets are set in docs/performance.md ("MariaDB").


@case("apply-mariadb", size=200, quick_size=14, build=_build_migrations("mysql"), needs="mariadb", repeat=3)
def apply_mariadb(size: int, workdir: str) -> Prepared:
    return _apply("mysql", size, workdir, 2.5, 1.5)


@case("rollback-mariadb", size=200, quick_size=14, build=_build_migrations("mysql"), needs="mariadb", repeat=3)
def rollback_mariadb(size: int, workdir: str) -> Prepared:
    return _rollback("mysql", size, workdir, 2.5, 1.5)


# The same cases with --one-transaction (all revisions in one transaction, as Alembic's default
# is): the same inputs, the same baselines.


@case("apply-sqlite-1tx", size=500, quick_size=14, build=_build_migrations("sqlite"), repeat=5)
def apply_sqlite_one(size: int, workdir: str) -> Prepared:
    return _apply("sqlite", size, workdir, 1.5, 0.25, one_transaction=True)


@case("rollback-sqlite-1tx", size=500, quick_size=14, build=_build_migrations("sqlite"), repeat=5)
def rollback_sqlite_one(size: int, workdir: str) -> Prepared:
    return _rollback("sqlite", size, workdir, 1.5, 0.25, one_transaction=True)


@case("apply-postgresql-1tx", size=500, quick_size=14, build=_build_migrations("postgresql"),
      needs="postgresql", repeat=5)
def apply_postgresql_one(size: int, workdir: str) -> Prepared:
    return _apply("postgresql", size, workdir, 1.3, 0.8, one_transaction=True)


@case("rollback-postgresql-1tx", size=500, quick_size=14, build=_build_migrations("postgresql"),
      needs="postgresql", repeat=5)
def rollback_postgresql_one(size: int, workdir: str) -> Prepared:
    return _rollback("postgresql", size, workdir, 1.3, 0.8, one_transaction=True)


# ---------------------------------------------------------------------------------------------
# drill
# ---------------------------------------------------------------------------------------------


def _build_drill(dialect: str) -> Callable[[int, str], None]:
    def build(size: int, workdir: str) -> None:
        _projects(workdir, size, dialect)

    return build


def _drill(dialect: str, size: int, workdir: str) -> Prepared:
    from ledger.run.drill import drill

    project, _alembic = _projects(workdir, size, dialect)
    db = Scratch(dialect, workdir)
    target = db.url(f"drill_target_{size}")  # the drill makes its own scratch database next to it
    apply_url = db.url(f"drill_apply_{size}")

    def ours() -> None:
        report = drill(_config(project, target))
        assert report.passed, report.failures[:3]

    return Prepared(
        Timed(ours, setup=lambda: db.fresh(f"drill_target_{size}") and None),
        (Baseline("one apply of the same revisions (default mode, empty database)",
                  Timed(lambda: apply(_config(project, apply_url)), setup=lambda: db.fresh(f"drill_apply_{size}") and None),
                  4.0),),
        f"drill of {size} revisions on {dialect} (up, down, again; a check after each revision)",
    )


@case("drill-sqlite", size=300, quick_size=14, build=_build_drill("sqlite"), repeat=3)
def drill_sqlite(size: int, workdir: str) -> Prepared:
    return _drill("sqlite", size, workdir)


@case("drill-postgresql", size=300, quick_size=14, build=_build_drill("postgresql"), needs="postgresql", repeat=3)
def drill_postgresql(size: int, workdir: str) -> Prepared:
    return _drill("postgresql", size, workdir)


# ---------------------------------------------------------------------------------------------
# status
# ---------------------------------------------------------------------------------------------


def _build_status(size: int, workdir: str) -> None:
    project, alembic_dir = _projects(workdir, size, "sqlite")
    db = Scratch("sqlite", workdir)
    marker = Path(workdir) / f"status-{size}.ready"
    if marker.exists():
        return
    url = db.fresh(f"status_{size}")
    apply(_config(project, url))
    from alembic import command

    command.stamp(_quiet_alembic(alembic_dir, url), "head")
    marker.touch()


@case("status", size=2000, quick_size=14, build=_build_status, repeat=5)
def status_case(size: int, workdir: str) -> Prepared:
    from alembic import command

    project, alembic_dir = _projects(workdir, size, "sqlite")
    url = Scratch("sqlite", workdir).url(f"status_{size}")
    config = _config(project, url)

    def ours() -> None:
        result = status(config)
        assert not result.pending and not result.problems, (result.pending[:3], result.problems[:3])

    return Prepared(
        Timed(ours),
        (Baseline("alembic current (the equivalent project)",
                  Timed(lambda: command.current(_quiet_alembic(alembic_dir, url))), 0.5),),
        f"status with {size} revision files (SQLite, all applied; the revision cache warm, as Alembic's __pycache__ is)",
    )


# ---------------------------------------------------------------------------------------------
# verify --live
# ---------------------------------------------------------------------------------------------


def _build_wide(size: int, workdir: str) -> None:
    project = Path(workdir) / f"wide-{size}"
    marker = Path(workdir) / f"wide-{PREFIX}{size}.ready"  # its database is named with the prefix
    if marker.exists():
        return
    if project.exists():
        shutil.rmtree(project)
    write_wide_project(project / "migrations", size)
    apply(_config(project, Scratch("postgresql", workdir).fresh(f"wide_{size}")))
    marker.touch()


@case("verify-live", size=1000, quick_size=20, build=_build_wide, needs="postgresql", repeat=3)
def verify_live(size: int, workdir: str) -> Prepared:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ledger.inspect.pointintime import ledger_events, schema_at

    project = Path(workdir) / f"wide-{size}"
    url = Scratch("postgresql", workdir).url(f"wide_{size}")
    config = _config(project, url)
    metadata = schema_at(ledger_events(config)).to_metadata()

    def ours() -> None:
        report = verify(config, live=True)
        assert report.ok, report.problems[:3]

    def alembic() -> list[Any]:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                return list(compare_metadata(MigrationContext.configure(conn), metadata))
        finally:
            engine.dispose()

    return Prepared(
        Timed(ours),
        (Baseline("alembic compare_metadata (same database, the fold's metadata)", Timed(alembic), 0.3),),
        f"verify --live on {size} PostgreSQL tables (chain, fold, reflection, comparison)",
    )
