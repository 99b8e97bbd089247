"""What tests build and read: revision files, projects, ledgers in memory, the CLI, a database's contents.

A test module takes its projects and checks from here, never from another test module, so that
one change to how a project looks is made once. Sections:

- revision files: :func:`rev` (the text of one), :func:`write`, :func:`write_revision`;
- projects: :func:`project` (a folder with schema-ledger.toml and migrations, returning its
  :class:`Config`), :data:`SHOP` (the example project's migrations);
- reading a database: :func:`events`, :func:`live_schema`, :func:`assert_live_equals_fold`,
  :func:`rows`, :func:`tables`, :func:`drop_ledger_triggers`, :func:`replace_ledger_rows`;
- the command line in this process: :func:`run`, :func:`cli`, :func:`invoke`, :func:`one_error_line`;
- a ledger built in memory, the way the runner appends: :class:`MemoryLedger`;
- ops run straight through ``ddl()`` on a connection: :func:`migrate`, :func:`run_ops`,
  :func:`assert_live_is` and the inspector shortcuts.

The databases themselves are fixtures of tests/conftest.py (``db_url``, ``database_factory``);
the crash and process tools are in tests/reliability.py; Alembic projects in
tests/alembic_histories.py; hypothesis strategies in tests/strategies.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner, Result

from ledger.cli import main
from ledger.dialects import ddl, dialect_name, execute
from ledger.format.events import GENESIS_HASH, Actor, Event, fold_events, verify_chain
from ledger.project.config import Config
from ledger.project.points import plan_rollback, resolve_point
from ledger.schema.reflect import compare, reflect
from ledger.storage.db import create_engine, dialect_of
from ledger.storage.session import store_for
from ops import MigrateOperation, Operations, SchemaState, record

ROOT = Path(__file__).resolve().parent.parent
#: The example project's migrations (examples/shop): eight revisions using every kind of op.
SHOP = ROOT / "examples" / "shop" / "migrations"


# ---------------------------------------------------------------------------------------------
# Revision files
# ---------------------------------------------------------------------------------------------


def rev(rid: str, parent: str | None, body: str = "op.execute('SELECT 1')", doc: str = "A revision.") -> str:
    """The text of a revision file whose upgrade() is the one line ``body``."""
    return f'"""{doc}"""\nimport sqlalchemy as sa\n\nrevision = {rid!r}\ndown_revision = {parent!r}\n\n\ndef upgrade(op):\n    {body}\n'


def write(folder: Path, name: str, text: str) -> Path:
    """``folder/name`` holding ``text`` (dedented); the folder is made when missing."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip())
    return path


def write_revision(folder: Path, rid: str, parent: str | None, body: str, *, name: str | None = None,
                   doc: str | None = None) -> Path:
    """A revision file ``folder/name`` (``{rid}.py`` by default) whose upgrade() runs ``body`` (dedented);
    its docstring, the revision's message, is ``doc`` (``{rid}.`` by default)."""
    path = folder / (name or f"{rid}.py")
    header = f'"""{doc or rid + "."}"""\nimport sqlalchemy as sa\n\nrevision = {rid!r}\ndown_revision = {parent!r}\n\n\n'
    code = textwrap.indent(textwrap.dedent(body).strip() or "pass", "    ")
    path.write_text(header + "def upgrade(op):\n" + code + "\n", encoding="utf-8")
    return path


#: A revision file with a docstring of several lines and a table of several columns.
CUSTOMERS = '''
    """Customers.

    Who buys things.
    """
    import sqlalchemy as sa

    revision = "c1"
    down_revision = None


    def upgrade(op):
        op.create_table(
            "customer",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("email", sa.String(200), nullable=False, unique=True),
        )
        with op.batch_alter_table("customer") as batch_op:
            batch_op.add_column(sa.Column("name", sa.String(80)))
            batch_op.create_index("ix_customer_name", ["name"])
        op.execute("UPDATE customer SET name = email", reverse_sql="UPDATE customer SET name = NULL")
'''


#: Broken histories: name -> (files, the file to blame, its line or None, what the error says).
BAD_CASES = {
    "syntax error": ({"a.py": rev("a", None), "b.py": rev("b", "a", body="op.execute('x'")}, "b.py", 9, "SyntaxError"),
    "import error": (
        {"a.py": "import no_such_module_xyz\n" + rev("a", None)}, "a.py", 1, "ModuleNotFoundError"),
    "upgrade raises": ({"a.py": rev("a", None, body="op.drop_column('t')")}, "a.py", 9, "upgrade() raised TypeError"),
    "upgrade divides by zero": (
        {"a.py": rev("a", None, body="x = 1\n    y = x / 0")}, "a.py", 10, "ZeroDivisionError"),
    "missing parent": ({"a.py": rev("a", None), "b.py": rev("b", "zz")}, "b.py", None, "down_revision zz of b does not exist"),
    "two heads": ({"a.py": rev("a", None), "b.py": rev("b", "a"), "c.py": rev("c", "a")}, "c.py", None, "two heads"),
    "two roots": ({"a.py": rev("a", None), "b.py": rev("b", None)}, "b.py", None, "two first revisions"),
    "duplicate id": ({"a.py": rev("a", None), "b.py": rev("a", None)}, "b.py", None, "duplicate revision id a"),
    "cycle": ({"a.py": rev("a", None), "b.py": rev("b", "c"), "c.py": rev("c", "b")}, "b.py", None, "cycle: b -> c -> b"),
    "self parent": ({"a.py": rev("a", "a")}, "a.py", None, "names itself"),
    "no revision": ({"a.py": "down_revision = None\ndef upgrade(op):\n    pass\n"}, "a.py", None, "`revision` must be"),
    "no down_revision": ({"a.py": "revision = 'a'\ndef upgrade(op):\n    pass\n"}, "a.py", None, "`down_revision` is missing"),
    "no upgrade": ({"a.py": "revision = 'a'\ndown_revision = None\n"}, "a.py", None, "no `def upgrade(op):`"),
    "a downgrade": (
        {"a.py": rev("a", None) + "\n\ndef downgrade(op):\n    pass\n"}, "a.py", None, "defines downgrade()"),
    "invalid op": (
        {"a.py": rev("a", None, body="op.add_column('t', sa.Column('id', sa.Integer, primary_key=True))")},
        "a.py", 9, "upgrade(): add_column t.id: add the column, then create_primary_key"),
}


# ---------------------------------------------------------------------------------------------
# Projects
# ---------------------------------------------------------------------------------------------

Revisions = Mapping[str, str] | Mapping[str, tuple[str | None, str]]


def project(folder: Path, url: str, *, revisions: Revisions | None = None, migrations: Path | None = None,
            parent: str | None = None, url_in_file: bool = False, file_name: str = "{rid}.py",
            doc: str = "{rid}.") -> Config:
    """A project in ``folder``: a schema-ledger.toml and a ``migrations`` folder; its config, not applied.

    The migrations folder is a copy of ``migrations`` (the shop example's when neither it nor
    ``revisions`` is given), then ``revisions`` written into it: id -> upgrade body, each on the
    one before and the first on ``parent``; or id -> (parent, body); their file names and
    docstrings are ``file_name`` and ``doc`` with ``{rid}`` filled in. The schema-ledger.toml
    names no URL unless ``url_in_file``: each test passes its own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "migrations"
    if migrations is None and revisions is None:
        migrations = SHOP
    if migrations is not None:
        shutil.copytree(migrations, target)
    else:
        target.mkdir(exist_ok=True)
    for rid, spec in (revisions or {}).items():
        before, body = spec if isinstance(spec, tuple) else (parent, spec)
        write_revision(target, rid, before, body, name=file_name.format(rid=rid), doc=doc.format(rid=rid))
        parent = rid
    toml = folder / "schema-ledger.toml"
    toml.write_text('migrations = "migrations"\n' + (f'url = "{url}"\n' if url_in_file else ""), encoding="utf-8")
    return Config(project_dir=folder, url=url, migrations=Path("migrations"), source=toml)


# ---------------------------------------------------------------------------------------------
# Reading a database
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def engine_for(url: str | Config, **kwargs: Any) -> Iterator[sa.Engine]:
    """An engine to ``url`` (the project's database for a config), disposed of on leaving."""
    engine = create_engine(url.url if isinstance(url, Config) else url, **kwargs)
    try:
        yield engine
    finally:
        engine.dispose()


def events(config: Config) -> list[Event]:
    """The project's ledger, in seq order."""
    with engine_for(config, poolclass=sa.pool.NullPool) as engine, engine.connect() as conn:
        return list(store_for(config).events(conn))


def live_schema(config: Config) -> SchemaState:
    """The live schema, without the ledger table."""
    with engine_for(config, poolclass=sa.pool.NullPool) as engine, engine.connect() as conn:
        return reflect(conn, exclude=(config.ledger_table,))


def assert_live_equals_fold(config: Config) -> list[Event]:
    """The chain verifies and the live schema equals the fold of the ledger; the ledger's events."""
    recorded = events(config)
    assert verify_chain(recorded) == []
    assert compare(fold_events(recorded), live_schema(config), dialect_of(config.url)) == []
    return recorded


def rows(url: str | Config, sql: str) -> list[tuple[Any, ...]]:
    """Run ``sql`` in a transaction of its own; the rows it returns (none for a statement)."""
    with engine_for(url, poolclass=sa.pool.NullPool) as engine, engine.begin() as conn:
        result = conn.exec_driver_sql(sql)
        return [tuple(r) for r in result] if result.returns_rows else []


def tables(url: str) -> list[str]:
    """Every table of the database, the ledger's included, sorted."""
    with engine_for(url) as engine, engine.connect() as conn:
        return sorted(sa.inspect(conn).get_table_names())


def drop_ledger_triggers(conn: sa.Connection, dialect: str, table: str) -> None:
    """What a database owner can always do: the ledger's refusal triggers are no lock."""
    statements = {
        "sqlite": [f"DROP TRIGGER {table}_update", f"DROP TRIGGER {table}_delete", f"DROP TRIGGER {table}_no_replace"],
        "postgresql": [f"DROP TRIGGER {table}_no_change ON {table}", f"DROP TRIGGER {table}_no_truncate ON {table}"],
        "mysql": [f"DROP TRIGGER {table}_no_update", f"DROP TRIGGER {table}_no_delete"],
    }[dialect]
    for statement in statements:
        conn.exec_driver_sql(statement)


def replace_ledger_rows(engine: sa.Engine, config: Config, events: list[Event]) -> None:
    """Replace every row of the ledger table by ``events`` (its triggers dropped first)."""
    table = store_for(config).table
    with engine.begin() as conn:
        conn.execute(table.delete())
        if events:
            conn.execute(table.insert(), [e.to_row() for e in events])


# ---------------------------------------------------------------------------------------------
# The command line, in this process
# ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run(*args: str, cwd: Path | None = None) -> Result:
    """``schema-ledger ARGS`` (in ``cwd`` when given); an exception escapes as itself."""
    if cwd is None:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    with _working_directory(cwd):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


def cli(config: Config, *args: str, stdin: str | None = None) -> Result:
    """``schema-ledger --url URL --config FILE ARGS`` for a project of :func:`project`; no traceback
    escapes: the result carries the exit code."""
    return CliRunner().invoke(main, ["--url", config.url, "--config", str(config.source), *args], input=stdin,
                              catch_exceptions=True)


def invoke(config: Config, *args: str, url: str | None = None) -> tuple[int, str, str]:
    """:func:`cli` (against ``url`` when given) as its exit code, stdout and stderr."""
    result = CliRunner().invoke(main, ["--url", url or config.url, "--config", str(config.source), *args])
    return result.exit_code, result.stdout, result.stderr


def one_error_line(result: Result) -> str:
    """The one error line on stderr (besides progress lines)."""
    lines = [ln for ln in result.stderr.strip().splitlines() if not re.match(r"\[\d+/\d+\] ", ln)]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("schema-ledger: error: "), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


# ---------------------------------------------------------------------------------------------
# A ledger in memory
# ---------------------------------------------------------------------------------------------

ACTOR = Actor("u", None, "h", "0", None)
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


class MemoryLedger:
    """A ledger in memory, appended to the way the runner does."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.state = SchemaState()
        self.clock = T0

    def _append(self, kind: str, op: MigrateOperation, revision: str, reverses: int | None = None) -> Event:
        self.clock += dt.timedelta(minutes=1)
        head = self.events[-1] if self.events else None
        event = Event.create(seq=len(self.events) + 1, prev_hash=head.hash if head else GENESIS_HASH, kind=kind,
                             op=op, revision=revision, message=None, actor=ACTOR, reverses=reverses,
                             recorded_at=self.clock)
        self.events.append(event)
        return event

    def apply(self, revision: str, upgrade: Callable[[Operations], Any]) -> None:
        for op in record(upgrade):
            op = self.state.complete(op)
            self._append("apply", op, revision)
            self.state = self.state.apply(op)

    def rollback(self, point: str) -> None:
        for step in plan_rollback(self.events, resolve_point(point, self.events)):
            op = self.state.complete(step.op)
            self._append("revert", op, step.event.revision, reverses=step.event.seq)
            self.state = self.state.apply(op)


def table_with_column(n: int) -> Callable[[Operations], None]:
    """An upgrade that creates table ``t{n}`` and adds a column ``x`` to it."""
    def upgrade(op: Operations) -> None:
        op.create_table(f"t{n}", sa.Column("id", sa.Integer, primary_key=True))
        op.add_column(f"t{n}", sa.Column("x", sa.String(10)))
    return upgrade


# ---------------------------------------------------------------------------------------------
# Ops straight through ddl() on a connection
# ---------------------------------------------------------------------------------------------

Upgrade = Callable[[Operations], Any]


def run_ops(conn: sa.Connection, ops: list[MigrateOperation], state: SchemaState) -> tuple[SchemaState, list[str]]:
    """Complete each op, run ``ddl()``'s statements, fold; return the state and every statement."""
    dialect = dialect_name(conn)
    statements: list[str] = []
    for op in ops:
        op = op.complete(state)
        sql = ddl(op, state, dialect, conn=conn)
        execute(conn, sql)
        statements += sql
        state = state.apply(op)
    return state, statements


def migrate(engine: sa.Engine, upgrade: Upgrade, state: SchemaState | None = None) -> tuple[SchemaState, list[str]]:
    """Run ``upgrade``'s ops through ``ddl()``; then the reflected live schema must equal the fold."""
    with engine.begin() as conn:
        state, statements = run_ops(conn, record(upgrade), state or SchemaState())
    assert_live_is(engine, state)
    return state, statements


def assert_live_is(engine: sa.Engine, state: SchemaState) -> None:
    with engine.connect() as conn:
        differences = compare(state, reflect(conn), dialect_name(conn))
    assert differences == [], "\n".join(differences)


def inspect(engine: sa.Engine) -> sa.Inspector:
    return sa.inspect(engine)


def columns(engine: sa.Engine, table: str) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in inspect(engine).get_columns(table)}


def default_text(column: dict[str, Any]) -> str | None:
    """A reflected default without PostgreSQL's casts and MariaDB's/SQLite's quoting differences."""
    value = column.get("default")
    if value is None or value == "NULL":
        return None
    value = str(value).split("::")[0].strip("()")
    return value.strip("'")


def index_names(engine: sa.Engine, table: str) -> set[str]:
    if engine.dialect.name == "sqlite":  # the inspector skips SQLite's expression indexes
        with engine.connect() as conn:
            return set(conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL"
            ), {"t": table}).scalars())
    return {i["name"] for i in inspect(engine).get_indexes(table) if not i.get("duplicates_constraint")}


def unique_names(engine: sa.Engine, table: str) -> set[str]:
    return {u["name"] for u in inspect(engine).get_unique_constraints(table)}


def check_names(engine: sa.Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_check_constraints(table)}


def fk_names(engine: sa.Engine, table: str) -> set[str]:
    return {f["name"] for f in inspect(engine).get_foreign_keys(table)}
