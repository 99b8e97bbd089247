"""Alembic projects for tests: synthetic histories written as Alembic scripts, real ones from wheels.

A project is a folder with a minimal ``env.py`` that calls :func:`ledger.alembic.attach` and a
``versions/`` folder. :func:`run_alembic` drives it with ``alembic.command`` and a ``Config``;
:func:`live_matches_fold` checks contract point 8 of docs/design.md (live equals fold) on the database afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from hypothesis import strategies as st

from ledger.cli import main
from ledger.inspect.drift import without_foreign_key_indexes
from ledger.storage.db import dialect_of
from ledger.format.events import Event, fold_events, verify_chain
from ledger.schema.reflect import compare, reflect
from ledger.project.config import Config as LedgerConfig
from ledger.storage.store import LedgerStore
from ops import SchemaState

ENV_PY = '''\
"""A minimal env.py: the project's own engine, no target metadata, and the schema-ledger hook."""
import sqlalchemy as sa
from alembic import context

import ledger.alembic

config = context.config
engine = sa.create_engine(config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=sa.MetaData(naming_convention={naming!r}) if {naming!r} else None,
        render_as_batch={batch!r},
        version_table={version_table!r},
    )
    if {hook!r}:
        ledger.alembic.attach(context, table_name={ledger_table!r}, by="tests")
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
'''

LEDGER_TABLE = "schema_ledger"


#: a naming convention as real projects set on ``target_metadata`` (it names the CHECK of a Boolean)
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(column_0_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}


def write_env(folder: Path, *, hook: bool = True, batch: bool = False, version_table: str = "alembic_version",
              ledger_table: str = LEDGER_TABLE, naming: dict[str, str] | None = None) -> None:
    """env.py (``naming``: the naming convention of its ``target_metadata``) and an empty versions/."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "versions").mkdir(exist_ok=True)
    (folder / "env.py").write_text(
        ENV_PY.format(hook=hook, batch=batch, version_table=version_table, ledger_table=ledger_table, naming=naming),
        encoding="utf-8",
    )


def config_for(folder: Path, url: str) -> Config:
    """Alembic's Config of the project at ``folder`` on ``url``; revision files in year folders
    (``write_history(years=True)``) are found as its alembic.ini finds them."""
    config = Config()
    if any(path.is_dir() and path.name.isdigit() for path in (folder / "versions").glob("*")):
        config.set_main_option("version_locations", str(folder / "versions"))
        config.set_main_option("recursive_version_locations", "true")
    config.set_main_option("script_location", str(folder))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_order(folder: Path) -> list[str]:
    """Revision ids in the order ``alembic upgrade heads`` runs them."""
    script = ScriptDirectory(str(folder))
    revisions = list(script.walk_revisions("base", "heads"))
    return [r.revision for r in reversed(revisions)]


def run_alembic(folder: Path, url: str, verb: str, target: str) -> None:
    config = config_for(folder, url)
    getattr(command, verb)(config, target)


def made_by_create_all(models: str, url: str, folder: Path | None = None, stamp: str | None = None) -> None:
    """The database as a package makes it: ``create_all()`` of the ``metadata`` the module source
    ``models`` defines, then (with ``folder`` and ``stamp``) Alembic's version table stamped."""
    namespace: dict[str, object] = {}
    exec(models, namespace)
    metadata = namespace["metadata"]
    assert isinstance(metadata, sa.MetaData)
    engine = sa.create_engine(url)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()
    if folder is not None and stamp is not None:
        run_alembic(folder, url, "stamp", stamp)


# ---------------------------------------------------------------------------------------------
# Checking a database
# ---------------------------------------------------------------------------------------------


def ledger_fold(conn: sa.Connection, table: str = LEDGER_TABLE) -> SchemaState:
    return fold_events(LedgerStore(table).events(conn))


def name_like_fold(live: SchemaState, fold: SchemaState) -> SchemaState:
    """``live`` with the constraints the database keeps no name for (SQLite) named as in ``fold``
    (and ``unnamed`` as there).

    A constraint created without a name has none on SQLite; the fold needs one. They are
    matched by what they are (columns, referent, text), the only thing SQLite keeps.
    """
    tables = {}
    for key, table in live.tables.items():
        want = fold.tables.get(key)
        if want is None:
            tables[key] = table
            continue

        def adopt(items: Sequence[Any], wanted: Sequence[Any]) -> tuple[Any, ...]:
            free = [w for w in wanted if w.name not in {i.name for i in items if i.name}]
            out = []
            for item in items:
                if item.name is None:
                    match = next((w for w in free if attrs.evolve(w, name=None, unnamed=False) == item), None)
                    if match is None:
                        match = next((w for w in free if type(w) is type(item)
                                      and getattr(w, "columns", None) == getattr(item, "columns", ())), None)
                    if match is not None:
                        free.remove(match)
                        item = attrs.evolve(item, name=match.name, unnamed=match.unnamed)
                    elif any(attrs.evolve(o, name=None) == item for o in out):
                        continue  # a repeated unnamed UNIQUE in the table's SQL: one constraint in fact
                out.append(item)
            return tuple(out)

        pk = table.primary_key
        if pk is not None and pk.name is None and want.primary_key is not None:
            pk = attrs.evolve(pk, name=want.primary_key.name, unnamed=want.primary_key.unnamed)
        tables[key] = attrs.evolve(
            table, primary_key=pk,
            foreign_keys=adopt(table.foreign_keys, want.foreign_keys),
            uniques=adopt(table.uniques, want.uniques),
            checks=adopt(table.checks, want.checks),
        )
    return SchemaState(tables)


def differences(conn: sa.Connection, *, exclude: Sequence[str] = (LEDGER_TABLE, "alembic_version"),
                ledger_table: str = LEDGER_TABLE) -> list[str]:
    """Where the live schema and the fold of the ledger differ ([] when they agree)."""
    fold = ledger_fold(conn, ledger_table)
    live = reflect(conn, exclude=tuple(exclude))
    if dialect_of(conn) == "mysql":
        live = without_foreign_key_indexes(live, fold)  # InnoDB's index for an unnamed key, as verify --live takes it
    live = name_like_fold(live, fold)
    return compare(fold, live, conn.dialect.name)


def chain_problems(conn: sa.Connection, table: str = LEDGER_TABLE) -> list[str]:
    return verify_chain(LedgerStore(table).events(conn))


def user_tables(conn: sa.Connection, exclude: Sequence[str] = (LEDGER_TABLE, "alembic_version")) -> list[str]:
    return sorted(n for n in sa.inspect(conn).get_table_names() if n not in exclude)


# ---------------------------------------------------------------------------------------------
# Real histories from wheels
# ---------------------------------------------------------------------------------------------

WHEELS = {
    "aim": "aim==3.29.1",
    "fab": "apache-airflow-providers-fab==3.10.2",
}

#: name -> (wheel, folder inside the wheel, version table its project uses)
HISTORIES = {
    "aim-storage": ("aim", "aim/storage/migrations", "alembic_version"),
    "aim-web": ("aim", "aim/web/migrations", "alembic_version"),
    "fab": ("fab", "airflow/providers/fab/migrations", "alembic_version_fab"),
}


class DownloadFailed(RuntimeError):
    pass


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    # One folder per session, shared by every module that imports this fixture.
    folder = tmp_path_factory.getbasetemp() / "alembic-wheels"
    found = {}
    for key, requirement in WHEELS.items():
        try:
            found[key] = download_wheel(requirement, folder)
        except (DownloadFailed, OSError) as exc:
            if IN_CI:
                pytest.fail(f"{exc} (CI=true: a failed download fails the run)")
            pytest.skip(str(exc))
    return found


Project = Callable[..., tuple[Path, str]]


@pytest.fixture
def project(wheels: dict[str, Path], tmp_path: Path) -> Project:
    """``make(history, hook=True) -> (folder, version table)``: the history beside our env.py."""
    count = iter(range(100))

    def make(history: str, *, hook: bool = True) -> tuple[Path, str]:
        wheel_key, folder, version_table = HISTORIES[history]
        target = tmp_path / f"{history}-{next(count)}"
        extract_history(wheels[wheel_key], folder, target, hook=hook, version_table=version_table)
        return target, version_table

    return make




def download_wheel(requirement: str, into: Path) -> Path:
    """``pip download --no-deps`` one wheel into ``into`` (kept for the session); its path."""
    into.mkdir(parents=True, exist_ok=True)
    name = requirement.split("==")[0].replace("-", "_").lower()
    found = [p for p in into.glob("*.whl") if p.name.lower().startswith(name + "-")]
    if found:
        return found[0]
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(into), requirement],
        capture_output=True, text=True, timeout=600, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    found = [p for p in into.glob("*.whl") if p.name.lower().startswith(name + "-")]
    if result.returncode != 0 or not found:
        raise DownloadFailed(f"pip download {requirement} failed: {result.stderr.strip()[-500:]}")
    return found[0]


def extract_history(wheel: Path, folder: str, into: Path, *, hook: bool = True, version_table: str) -> Path:
    """The wheel's ``versions/`` under ``into`` with our own env.py (the project's imports its app)."""
    target = into
    write_env(target, hook=hook, batch=False, version_table=version_table)
    prefix = folder.rstrip("/") + "/versions/"
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.startswith(prefix) and member.endswith(".py") and not member.endswith("__init__.py"):
                (target / "versions" / member[len(prefix):]).write_bytes(archive.read(member))
    return target


# ---------------------------------------------------------------------------------------------
# Synthetic histories
# ---------------------------------------------------------------------------------------------

TYPES = ("sa.Integer()", "sa.String(length=40)", "sa.Text()", "sa.Boolean()", "sa.DateTime()",
         "sa.Numeric(precision=10, scale=2)", "sa.BigInteger()", "sa.Date()",
         # a TypeDecorator of SQLAlchemy's own: INTERVAL on PostgreSQL, DATETIME elsewhere
         "sa.Interval()")
#: types SQLAlchemy makes a CHECK for (named by a naming convention's ``ck`` when there is one)
CHECKED_TYPES = ("sa.Boolean(create_constraint=True)",
                 "sa.Enum('a', 'b', name='mood', native_enum=False, create_constraint=True)")  # 'mood': see create_table
#: server defaults real histories write, by column type: literals, ``sa.text``, ``sa.false()``, functions
_DEFAULTS = {
    "sa.Integer()": ("'0'", "sa.text('0')", "sa.text('-1')"),
    "sa.BigInteger()": ("'7'",),
    "sa.Boolean()": ("sa.false()", "sa.true()", "sa.text('false')", "'0'"),
    "sa.String(length=40)": ("'x'", "''", "sa.text(\"'it''s'\")"),
    "sa.Numeric(precision=10, scale=2)": ("'0'", "sa.text('1.50')"),
    "sa.DateTime()": ("sa.func.now()", "sa.text('CURRENT_TIMESTAMP')"),
}
_NAMES = ("alpha", "beta", "gamma", "delta", "eps", "zeta")


@attrs.define
class _Table:
    columns: dict[str, str]
    pk: str
    uniques: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    indexes: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    fks: dict[str, tuple[str, str]] = attrs.field(factory=dict)  # name -> (column, referent table)
    #: columns and referents of constraints created without a name (the database names them)
    pinned: set[str] = attrs.field(factory=set)
    unnamed_refs: list[str] = attrs.field(factory=list)
    not_null: set[str] = attrs.field(factory=set)
    #: columns with a server default, which every row inserted takes: no unique goes on them
    defaulted: set[str] = attrs.field(factory=set)
    #: columns a CHECK constraint names, or of a native enum type (never dropped, renamed or retyped)
    checked: set[str] = attrs.field(factory=set)
    rows: int = 0


@attrs.define
class _Model:
    """What the generated history has built so far: enough to draw only valid next steps."""

    tables: dict[str, _Table] = attrs.field(factory=dict)
    counter: int = 0
    #: also write some steps as DDL in SQL text (``op.execute("ALTER TABLE ...")``)
    sql_text: bool = False
    #: PostgreSQL's named enum types made so far: name -> their values
    enums: dict[str, list[str]] = attrs.field(factory=dict)

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def used(self, table: str, column: str) -> bool:
        t = self.tables[table]
        in_fk = any(c == column for c, _ in t.fks.values())
        return (column == t.pk or in_fk or column in t.pinned or column in t.checked or any(column in cols for cols in t.uniques.values())
                or any(column in cols for cols in t.indexes.values()))

    def droppable(self, dialect: str, table: str, column: str) -> bool:
        """A column ``drop_column`` may take: one no constraint uses, or one an index, a unique or (but
        on MariaDB, which refuses) a foreign key of its own uses, which the database drops with it."""
        t = self.tables[table]
        if column == t.pk or column in t.pinned or column in t.checked or len(t.columns) < 2:
            return False  # a table keeps a column (its primary key's may be dropped already)
        return dialect not in ("mysql", "mariadb") or all(c != column for c, _ in t.fks.values())

    def without_users_of(self, table: str, column: str, dialect: str = "") -> None:
        """Take out of the model what the database drops with ``column``: its uniques, foreign keys
        and indexes (MariaDB/MySQL shrink an index of several columns to the others instead)."""
        t = self.tables[table]
        for named in (t.uniques, t.indexes):
            for name in [n for n, cols in named.items() if column in cols]:
                kept = tuple(c for c in named[name] if c != column)
                if kept and named is t.indexes and dialect in ("mysql", "mariadb"):
                    named[name] = kept
                else:
                    del named[name]
        for name in [n for n, (c, _) in t.fks.items() if c == column]:
            del t.fks[name]
        for kept in (t.not_null, t.defaulted):
            kept.discard(column)
        del t.columns[column]
        if column == t.pk:
            t.pk = ""

    def referenced(self, table: str) -> bool:
        return any(ref == table for t in self.tables.values() for ref in [r for _, r in t.fks.values()] + t.unnamed_refs)


def _block(dialect: str, table: str, lines: list[str]) -> list[str]:
    """Constraint and column changes go through batch mode on SQLite, plain ``op.*`` elsewhere."""
    if dialect != "sqlite":
        return [line.replace("batch_op.", "op.").replace("op.(", "op.") for line in lines]
    return [f"with op.batch_alter_table({table!r}) as batch_op:"] + [f"    {line}" for line in lines]


@st.composite
def revision_bodies(draw: st.DrawFn, dialect: str, model: _Model) -> list[str]:
    """The lines of one ``upgrade()``: 1 to 4 steps valid on ``model`` (which they update)."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        choices = ["create_table"]
        tables = sorted(model.tables)
        if tables:
            choices += ["add_column", "add_column", "create_index", "insert", "alter_nullable", "alter_type",
                        "unique", "fk", "rename_column"]
        droppable_cols = [(t, c) for t in tables for c in model.tables[t].columns if model.droppable(dialect, t, c)]
        if droppable_cols:
            choices.append("drop_column")
        if any(_pk_droppable(model, t) for t in tables):
            choices.append("drop_pk_column")
        if any(len([c for c in model.tables[t].columns if c != model.tables[t].pk]) >= 2 for t in tables):
            choices.append("multi_index")
        if dialect == "postgresql":
            choices.append("pg_enum_table")
            if model.enums:
                choices.append("pg_enum_add_value")
        if tables:
            choices += ["server_default", "check", "update", "batch"] + (["pg_index"] if dialect == "postgresql" else [])
        if any(model.tables[t].indexes for t in tables):
            choices.append("drop_index")
        if any(model.tables[t].uniques or model.tables[t].fks for t in tables):
            choices.append("drop_constraint")
        if any(not model.referenced(t) for t in tables):
            choices += ["drop_table", "rename_table"]
        if model.sql_text:
            choices += ["sql_create_table"] + (["sql_add_column", "sql_create_index"] if tables else [])
            if any(model.tables[t].indexes for t in tables):
                choices.append("sql_drop_index")
            if dialect != "mariadb":  # MariaDB's DROP INDEX names its table
                choices.append("sql_drop_missing_index")
            if tables and dialect != "sqlite":  # SQLite changes no constraint with ALTER TABLE
                choices += ["sql_unique", "sql_fk", "sql_check"]
                if any(model.tables[t].uniques or model.tables[t].fks for t in tables):
                    choices.append("sql_drop_constraint")
                if dialect == "postgresql":
                    choices.append("sql_drop_missing_constraint")
        kind = draw(st.sampled_from(sorted(choices)))
        lines.extend(_sql_step(draw, kind, dialect, model) if kind.startswith("sql_") else
                     _step(draw, kind, dialect, model))
    return lines


def _pk_droppable(model: _Model, table: str) -> bool:
    """The table's primary key column may be dropped: no foreign key refers to the table, and a
    column stays."""
    t = model.tables[table]
    return t.pk == "id" and not model.referenced(table) and len(t.columns) >= 2 and "id" not in t.pinned


def _backs_a_foreign_key(dialect: str, table: _Table, index: str) -> bool:
    """InnoDB refuses to drop the index a foreign key uses (the generator does not track which one)."""
    fk_columns = {c for c, _ in table.fks.values()} | table.pinned
    return dialect in ("mysql", "mariadb") and bool(set(table.indexes[index]) & fk_columns)


def _draw_dropped_index(draw: st.DrawFn, dialect: str, model: _Model, tables: list[str]) -> tuple[str, str] | None:
    """(table, index) of an index to drop, taken out of ``model``; None where the database would refuse."""
    table = draw(st.sampled_from(sorted(t for t in tables if model.tables[t].indexes)))
    name = draw(st.sampled_from(sorted(model.tables[table].indexes)))
    if _backs_a_foreign_key(dialect, model.tables[table], name):
        return None
    del model.tables[table].indexes[name]
    return table, name


def _free_column(draw: st.DrawFn, model: _Model, tables: list[str]) -> tuple[str, str, str] | None:
    """(table, column, name) of a new unique constraint, recorded in ``model``, on a column no key or
    constraint uses; None when the table drawn has no such column or holds rows."""
    table = draw(st.sampled_from(tables))
    t = model.tables[table]
    candidates = sorted(c for c in t.columns if c != t.pk and not model.used(table, c) and c not in t.defaulted)
    if not candidates or t.rows:
        return None
    column = draw(st.sampled_from(candidates))
    name = model.fresh("uq_")
    t.uniques[name] = (column,)
    return table, column, name


def _sql_step(draw: st.DrawFn, kind: str, dialect: str, model: _Model) -> list[str]:
    """A step written as DDL in SQL text, which the hook folds by reflecting what it changed."""
    tables = sorted(model.tables)
    if kind == "sql_create_table":
        name = model.fresh("t")
        model.tables[name] = _Table(columns={"id": "sa.Integer()", "alpha": "sa.String(length=40)"}, pk="id")
        return [f'op.execute("CREATE TABLE {name} (id INTEGER NOT NULL, alpha VARCHAR(40), PRIMARY KEY (id))")']
    if kind == "sql_add_column":
        table = draw(st.sampled_from(tables))
        column = model.fresh("c")
        model.tables[table].columns[column] = "sa.Integer()"
        return [f'op.execute("ALTER TABLE {table} ADD COLUMN {column} INTEGER")']
    if kind == "sql_create_index":  # read back as the table's indexes alone
        table = draw(st.sampled_from(tables))
        t = model.tables[table]
        unique = draw(st.booleans())
        candidates = sorted(c for c, type_ in t.columns.items() if type_ == "sa.Integer()"
                            and (not unique or (c != t.pk and not model.used(table, c) and not t.rows
                                                and c not in t.defaulted)))
        if not candidates:
            return []
        column = draw(st.sampled_from(candidates))
        name = model.fresh("ix_")
        t.indexes[name] = (column,)
        if_not_exists = " IF NOT EXISTS" if draw(st.booleans()) else ""
        return [f'op.execute("CREATE{" UNIQUE" if unique else ""} INDEX{if_not_exists} {name} ON {table} ({column})")']
    if kind == "sql_drop_missing_index":  # no table of the fold holds it: every table is read
        return [f'op.execute("DROP INDEX IF EXISTS {model.fresh("gone_")}")']
    if kind == "sql_unique":
        free = _free_column(draw, model, tables)
        if free is None:
            return []
        table, column, name = free
        return [f'op.execute("ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({column})")']
    if kind == "sql_fk":
        referents = sorted(t for t in tables if model.tables[t].pk == "id")
        if not referents:
            return []
        table, referent = draw(st.sampled_from(tables)), draw(st.sampled_from(referents))
        column, name = model.fresh("f"), model.fresh("fk_")
        model.tables[table].columns[column] = "sa.Integer()"
        model.tables[table].fks[name] = (column, referent)
        return [f"op.add_column({table!r}, sa.Column({column!r}, sa.Integer(), nullable=True))",
                f'op.execute("ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({column}) REFERENCES {referent} (id)")']
    if kind == "sql_check":  # on a new column, which no step then drops, renames or retypes
        table, column = draw(st.sampled_from(tables)), model.fresh("k")
        model.tables[table].columns[column] = "sa.Integer()"
        model.tables[table].pinned.add(column)
        return [f"op.add_column({table!r}, sa.Column({column!r}, sa.Integer(), nullable=True))",
                f'op.execute("ALTER TABLE {table} ADD CONSTRAINT {model.fresh("ck_")} CHECK ({column} <> -987654)")']
    if kind == "sql_drop_constraint":
        table = draw(st.sampled_from(sorted(t for t in tables if model.tables[t].uniques or model.tables[t].fks)))
        t = model.tables[table]
        type_, name = draw(st.sampled_from(sorted([("unique", n) for n in t.uniques] + [("foreignkey", n) for n in t.fks])))
        (t.uniques if type_ == "unique" else t.fks).pop(name)
        if dialect in ("mysql", "mariadb"):
            return [f'op.execute("ALTER TABLE {table} DROP {"INDEX" if type_ == "unique" else "FOREIGN KEY"} {name}")']
        return [f'op.execute("ALTER TABLE {table} DROP CONSTRAINT {name}")']
    if kind == "sql_drop_missing_constraint":
        return [f'op.execute("ALTER TABLE {draw(st.sampled_from(tables))} DROP CONSTRAINT IF EXISTS {model.fresh("gone_")}")']
    if kind == "sql_drop_index":
        dropped = _draw_dropped_index(draw, dialect, model, tables)
        if dropped is None:
            return []
        table, name = dropped
        on = f" ON {table}" if dialect in ("mysql", "mariadb") else ""
        if not on and draw(st.booleans()):
            name = name.upper()  # unquoted: the same name, which the hook finds in the fold case-blind
        return [f'op.execute("DROP INDEX{" IF EXISTS" if draw(st.booleans()) else ""} {name}{on}")']
    raise AssertionError(kind)


def _step(draw: st.DrawFn, kind: str, dialect: str, model: _Model) -> list[str]:
    tables = sorted(model.tables)
    if kind == "create_table":
        name = model.fresh("t")
        columns = {"id": "sa.Integer()"}
        for column in draw(st.lists(st.sampled_from(_NAMES), unique=True, max_size=3)):
            # an Enum's CHECK is named after the Enum, one name per column
            columns[column] = draw(st.sampled_from(TYPES + CHECKED_TYPES)).replace("'mood'", f"'{column}_kind'")
        table = _Table(columns=columns, pk="id", checked={c for c, t in columns.items() if "create_constraint" in t})
        parts = ["sa.Column('id', sa.Integer(), nullable=False)"]
        parts += [f"sa.Column({c!r}, {t}, nullable=True)" for c, t in columns.items() if c != "id"]
        pk_named = draw(st.booleans())
        parts.append(f"sa.PrimaryKeyConstraint('id', name={('pk_' + name)!r})" if pk_named
                     else "sa.PrimaryKeyConstraint('id')")
        text_columns = [c for c, t in columns.items() if c != "id"]
        if text_columns and draw(st.booleans()):
            column = draw(st.sampled_from(text_columns))
            unnamed = draw(st.booleans())
            uq = f"uq_{name}_{column}"
            if unnamed:
                parts.append(f"sa.UniqueConstraint({column!r})")
                table.pinned.add(column)
            else:
                parts.append(f"sa.UniqueConstraint({column!r}, name={uq!r})")
                table.uniques[uq] = (column,)
        referents = [t for t in tables if model.tables[t].pk == "id"]
        if referents and draw(st.booleans()):
            referent = draw(st.sampled_from(referents))
            table.columns["ref_id"] = "sa.Integer()"
            parts.append("sa.Column('ref_id', sa.Integer(), nullable=True)")
            fk = f"fk_{name}_ref_id"
            unnamed = draw(st.booleans())
            parts.append(f"sa.ForeignKeyConstraint(['ref_id'], [{referent + '.id'!r}]"
                         + ("" if unnamed else f", name={fk!r}") + ")")
            if unnamed:
                table.pinned.add("ref_id")
                table.unnamed_refs.append(referent)
            else:
                table.fks[fk] = ("ref_id", referent)
        model.tables[name] = table
        body = ",\n        ".join(parts)
        return [f"op.create_table({name!r},\n        {body},\n    )"]
    if kind == "add_column":
        table = draw(st.sampled_from(tables))
        column = model.fresh("c")
        type_ = draw(st.sampled_from(TYPES))
        model.tables[table].columns[column] = type_
        # SQLite adds no column whose default is not a constant (CURRENT_TIMESTAMP)
        default = draw(st.sampled_from(["", *_DEFAULTS.get(type_, ())] if dialect != "sqlite" or type_ != "sa.DateTime()"
                                       else [""]))
        if default:
            default = f", server_default={default}"
            model.tables[table].defaulted.add(column)
        return [f"op.add_column({table!r}, sa.Column({column!r}, {type_}, nullable=True{default}))"]
    if kind == "drop_column":
        # also a column an index, a unique or a foreign key uses: the database drops them with it
        table, column = draw(st.sampled_from(sorted(
            (t, c) for t in tables for c in model.tables[t].columns if model.droppable(dialect, t, c))))
        # Alembic's batch rebuild remakes every index it reflected, so its indexes go first in the block
        indexes = sorted(n for n, cols in model.tables[table].indexes.items() if column in cols)
        model.without_users_of(table, column, dialect)
        return _block(dialect, table, [f"batch_op.drop_index({n!r})" for n in indexes]
                      + [f"batch_op.drop_column({column!r})"]) if dialect == "sqlite" \
            else [f"op.drop_column({table!r}, {column!r})"]
    if kind == "drop_pk_column":
        # the primary key's column: PostgreSQL drops the key (and the SERIAL's sequence) with it,
        # MariaDB drops the key, SQLite's batch rebuild makes the table without it
        table = draw(st.sampled_from(sorted(t for t in tables if _pk_droppable(model, t))))
        indexes = sorted(n for n, cols in model.tables[table].indexes.items() if "id" in cols)
        model.without_users_of(table, "id", dialect)
        return _block(dialect, table, [f"batch_op.drop_index({n!r})" for n in indexes]
                      + ["batch_op.drop_column('id')"]) if dialect == "sqlite" \
            else [f"op.drop_column({table!r}, 'id')"]
    if kind == "multi_index":  # an index of two columns (a later drop_column of one: MariaDB shrinks it)
        table = draw(st.sampled_from(sorted(t for t in tables if len(
            [c for c in model.tables[t].columns if c != model.tables[t].pk]) >= 2)))
        t = model.tables[table]
        # MariaDB/MySQL index a TEXT column by a prefix of its own: two of them exceed the key length
        candidates = sorted(c for c in t.columns if c != t.pk
                            and (dialect not in ("mysql", "mariadb") or t.columns[c] != "sa.Text()"))
        if len(candidates) < 2:
            return []
        columns = tuple(draw(st.lists(st.sampled_from(candidates), min_size=2, max_size=2, unique=True)))
        name = model.fresh("ix_")
        t.indexes[name] = columns
        return [f"op.create_index({name!r}, {table!r}, {list(columns)!r})"]
    if kind == "pg_enum_table":  # a table with a column of a named ENUM type of its own
        name, type_name = model.fresh("t"), model.fresh("e")
        model.enums[type_name] = ["a", "b"]
        model.tables[name] = _Table(columns={"id": "sa.Integer()", "state": f"sa.Enum('a', 'b', name={type_name!r})"},
                                    pk="id", checked={"state"})
        return [f"op.create_table({name!r}, sa.Column('id', sa.Integer(), primary_key=True),"
                f" sa.Column('state', sa.Enum('a', 'b', name={type_name!r}), nullable=True))"]
    if kind == "pg_enum_add_value":  # ALTER TYPE ... ADD VALUE, in the migration's transaction or out of it
        type_name = draw(st.sampled_from(sorted(model.enums)))
        value = model.fresh("v")
        model.enums[type_name].append(value)
        statement = f"op.execute(\"ALTER TYPE {type_name} ADD VALUE '{value}'\")"
        if draw(st.booleans()):
            return ["with op.get_context().autocommit_block():", f"    {statement}"]
        return [statement]
    if kind == "rename_column":
        table = draw(st.sampled_from(tables))
        candidates = sorted(c for c in model.tables[table].columns if not model.used(table, c))
        if not candidates:
            return []
        column = draw(st.sampled_from(candidates))
        new = model.fresh("r")
        t = model.tables[table]
        type_ = t.columns[column]
        t.columns = {(new if c == column else c): v for c, v in t.columns.items()}
        for kept in (t.not_null, t.defaulted):
            if column in kept:
                kept.discard(column)
                kept.add(new)
        if dialect == "sqlite":
            return _block(dialect, table, [f"batch_op.alter_column({column!r}, new_column_name={new!r})"])
        # MySQL/MariaDB rename with CHANGE COLUMN, which restates the column: Alembic needs its type.
        return [f"op.alter_column({table!r}, {column!r}, new_column_name={new!r}, existing_type={type_}, "
                f"existing_nullable={column not in t.not_null and new not in t.not_null!r})"]
    if kind == "create_index":
        table = draw(st.sampled_from(tables))
        column = draw(st.sampled_from(sorted(model.tables[table].columns)))
        name = model.fresh("ix_")
        unique = draw(st.booleans()) and model.tables[table].rows == 0 and column not in model.tables[table].defaulted
        model.tables[table].indexes[name] = (column,)
        return [f"op.create_index({name!r}, {table!r}, [{column!r}], unique={unique!r})"]
    if kind == "drop_index":
        dropped = _draw_dropped_index(draw, dialect, model, tables)
        if dropped is None:
            return []
        table, name = dropped
        return [f"op.drop_index({name!r}, table_name={table!r})"]
    if kind == "insert":
        table = draw(st.sampled_from(tables))
        t = model.tables[table]
        if t.not_null or "id" not in t.columns:
            return []
        t.rows += 1
        values = {"id": t.rows}
        if draw(st.booleans()):
            return [f"op.bulk_insert(sa.table({table!r}, sa.column('id')), [{values!r}])"]
        return [f"op.execute(\"INSERT INTO {table} (id) VALUES ({t.rows})\")"]
    if kind == "alter_nullable":
        table = draw(st.sampled_from(tables))
        candidates = sorted(c for c in model.tables[table].columns if c != model.tables[table].pk)
        if not candidates:
            return []
        column = draw(st.sampled_from(candidates))
        t = model.tables[table]
        type_ = t.columns[column]
        nullable = column in t.not_null or t.rows > 0
        (t.not_null.discard if nullable else t.not_null.add)(column)
        line = f"batch_op.alter_column({column!r}, existing_type={type_}, nullable={nullable!r})"
        return _block(dialect, table, [line]) if dialect == "sqlite" else [
            f"op.alter_column({table!r}, {column!r}, existing_type={type_}, nullable={nullable!r})"]
    if kind == "alter_type":
        table = draw(st.sampled_from(tables))
        candidates = sorted(c for c, t in model.tables[table].columns.items()
                            if t == "sa.String(length=40)" and not model.used(table, c))
        if not candidates:
            return []
        column = draw(st.sampled_from(candidates))
        model.tables[table].columns[column] = "sa.String(length=80)"
        if dialect == "sqlite":
            return _block(dialect, table, [
                f"batch_op.alter_column({column!r}, existing_type=sa.String(length=40), type_=sa.String(length=80))"])
        return [f"op.alter_column({table!r}, {column!r}, existing_type=sa.String(length=40), "
                f"type_=sa.String(length=80))"]
    if kind == "unique":
        free = _free_column(draw, model, tables)
        if free is None:
            return []
        table, column, name = free
        if dialect == "sqlite":
            return _block(dialect, table, [f"batch_op.create_unique_constraint({name!r}, [{column!r}])"])
        return [f"op.create_unique_constraint({name!r}, {table!r}, [{column!r}])"]
    if kind == "fk":
        table = draw(st.sampled_from(tables))
        referents = sorted(t for t in tables if model.tables[t].pk == "id")
        if not referents:
            return []
        referent = draw(st.sampled_from(referents))
        column = model.fresh("f")
        name = model.fresh("fk_")
        t = model.tables[table]
        t.columns[column] = "sa.Integer()"
        t.fks[name] = (column, referent)
        add = f"op.add_column({table!r}, sa.Column({column!r}, sa.Integer(), nullable=True))"
        if dialect == "sqlite":
            return [add] + _block(dialect, table, [
                f"batch_op.create_foreign_key({name!r}, {referent!r}, [{column!r}], ['id'])"])
        unnamed = draw(st.booleans())
        if unnamed:
            del t.fks[name]
            t.pinned.add(column)
            t.unnamed_refs.append(referent)
        return [add, f"op.create_foreign_key({None if unnamed else name!r}, {table!r}, {referent!r}, "
                     f"[{column!r}], ['id'])"]
    if kind == "drop_constraint":
        table = draw(st.sampled_from(sorted(t for t in tables if model.tables[t].uniques or model.tables[t].fks)))
        t = model.tables[table]
        # Unnamed constraints in this generator exist only where the database names them (not on SQLite);
        # their names are known to the test only by reflection, so drop only the ones named here.
        options = sorted([("unique", n) for n in t.uniques] + [("foreignkey", n) for n in t.fks])
        type_, name = draw(st.sampled_from(options))
        (t.uniques if type_ == "unique" else t.fks).pop(name)
        line = f"batch_op.drop_constraint({name!r}, type_={type_!r})"
        return _block(dialect, table, [line]) if dialect == "sqlite" else [
            f"op.drop_constraint({name!r}, {table!r}, type_={type_!r})"]
    if kind == "server_default":  # set, change or drop a column's server default
        table = draw(st.sampled_from(tables))
        t = model.tables[table]
        # not on a foreign key's column (a row inserted would refer to nothing) nor a CHECK's
        candidates = sorted(c for c, type_ in t.columns.items() if c != t.pk and type_ in _DEFAULTS
                            and c not in t.checked and c not in t.pinned and all(c != f for f, _ in t.fks.values()))
        if not candidates:
            return []
        column = draw(st.sampled_from(candidates))
        type_ = t.columns[column]
        default = draw(st.sampled_from(["None", *_DEFAULTS[type_]]))
        (t.defaulted.discard if default == "None" else t.defaulted.add)(column)
        line = f"batch_op.alter_column({column!r}, existing_type={type_}, server_default={default})"
        return _block(dialect, table, [line]) if dialect == "sqlite" else [
            f"op.alter_column({table!r}, {column!r}, existing_type={type_}, server_default={default})"]
    if kind == "batch":  # several changes in one batch_alter_table block, on every database
        table = draw(st.sampled_from(tables))
        t = model.tables[table]
        column, index = model.fresh("c"), model.fresh("ix_")
        t.columns[column] = "sa.Integer()"
        lines = [f"batch_op.add_column(sa.Column({column!r}, sa.Integer(), nullable=True))",
                 f"batch_op.create_index({index!r}, [{column!r}], unique=False)"]
        t.indexes[index] = (column,)
        renamable = sorted(c for c in t.columns if c != column and not model.used(table, c))
        if renamable and draw(st.booleans()):
            old, new = draw(st.sampled_from(renamable)), model.fresh("r")
            type_ = t.columns[old]
            # MariaDB's CHANGE COLUMN restates the column (Alembic needs its type); SQLite's rebuild
            # reads it (Alembic's batch fails on an existing_type of sa.Interval())
            existing = f", existing_type={type_}, existing_nullable={old not in t.not_null!r}" if dialect != "sqlite" else ""
            lines.append(f"batch_op.alter_column({old!r}, new_column_name={new!r}{existing})")
            t.columns = {(new if c == old else c): v for c, v in t.columns.items()}
            for kept in (t.not_null, t.defaulted):
                if old in kept:
                    kept.discard(old)
                    kept.add(new)
        return [f"with op.batch_alter_table({table!r}) as batch_op:"] + [f"    {line}" for line in lines]
    if kind == "pg_index":  # partial, expression and concurrent indexes, as PostgreSQL projects write them
        table = draw(st.sampled_from(tables))
        t = model.tables[table]
        candidates = sorted(c for c in t.columns if c not in t.checked)
        if not candidates:
            return []
        column = draw(st.sampled_from(candidates))
        name = model.fresh("ix_")
        t.indexes[name] = (column,)
        form = draw(st.sampled_from(["partial", "expression", "desc", "concurrently"]))
        if form == "partial":
            return [f"op.create_index({name!r}, {table!r}, [{column!r}], postgresql_where=sa.text('{column} IS NOT NULL'))"]
        if form == "expression":
            return [f"op.create_index({name!r}, {table!r}, [sa.text('({column} IS NULL)')])"]
        if form == "desc":
            return [f"op.create_index({name!r}, {table!r}, [sa.text('{column} DESC')])"]
        return ["with op.get_context().autocommit_block():",
                f"    op.create_index({name!r}, {table!r}, [{column!r}], postgresql_concurrently=True)"]
    if kind == "update":  # data work with bound parameters, an expanding IN list among them
        table = draw(st.sampled_from(tables))
        t = model.tables[table]
        candidates = sorted(c for c, type_ in t.columns.items() if type_ == "sa.Integer()" and c != t.pk
                            and not model.used(table, c))
        if not candidates or "id" not in t.columns:
            return []
        column = draw(st.sampled_from(candidates))
        ids = sorted(draw(st.sets(st.integers(1, 4), min_size=1, max_size=3)))
        if draw(st.booleans()):
            return [f"op.execute(sa.text('UPDATE {table} SET {column} = :v WHERE id IN :ids')"
                    f".bindparams(sa.bindparam('ids', value={ids!r}, expanding=True), v=5))"]
        return [f"op.execute(sa.text('UPDATE {table} SET {column} = :v WHERE id = :one').bindparams(v=-3, one={ids[0]}))"]
    if kind == "check":  # a named CHECK on a new column, which no step then drops, renames or retypes
        table = draw(st.sampled_from(tables))
        column, name = model.fresh("k"), model.fresh("ck_")
        t = model.tables[table]
        t.columns[column] = "sa.Integer()"
        t.checked.add(column)
        condition = draw(st.sampled_from([f"{column} > -5", f"{column} IN (1, 2, 3)", f"{column} IS NULL OR {column} >= 0"]))
        add = f"op.add_column({table!r}, sa.Column({column!r}, sa.Integer(), nullable=True))"
        if dialect == "sqlite":
            return [add] + _block(dialect, table, [f"batch_op.create_check_constraint({name!r}, {condition!r})"])
        return [add, f"op.create_check_constraint({name!r}, {table!r}, {condition!r})"]
    if kind == "drop_table":
        table = draw(st.sampled_from(sorted(t for t in tables if not model.referenced(t))))
        del model.tables[table]
        return [f"op.drop_table({table!r})"]
    if kind == "rename_table":
        table = draw(st.sampled_from(sorted(t for t in tables if not model.referenced(t))))
        new = model.fresh("t")
        model.tables[new] = model.tables.pop(table)
        return [f"op.rename_table({table!r}, {new!r})"]
    raise AssertionError(kind)


@st.composite
def histories(draw: st.DrawFn, dialect: str, *, sql_text: bool = False) -> list[list[str]]:
    """2 to 5 revisions of ``upgrade()`` bodies, each valid after the ones before (``sql_text``:
    some steps are DDL written as SQL text)."""
    model = _Model(sql_text=sql_text)
    count = draw(st.integers(2, 5))
    return [draw(revision_bodies(dialect, model)) or ["pass"] for _ in range(count)]


REVISION = '''"""{message}

Revision ID: {revision}
Revises: {down}
"""
import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = {depends!r}


def upgrade():
{body}


def downgrade():
    pass
'''


#: alembic.ini of a project whose revisions are in year folders below versions/
YEARS_INI = """[alembic]
script_location = %(here)s
version_locations = %(here)s/versions
recursive_version_locations = true
"""


def write_history(folder: Path, bodies: Sequence[Sequence[str]], *, branch: bool = False,
                  years: bool = False) -> list[str]:
    """Write one revision file per body, chained; their ids in order.

    With ``years``, as projects that keep a folder per year: each file in ``versions/2023`` or
    ``versions/2024``, found through alembic.ini's ``recursive_version_locations = true``.

    With ``branch``, as real graphs are: an empty revision labelled ``side`` branches off the first,
    the third (when there is one) ``depends_on`` it, and an empty merge of both heads ends the
    history; ids of all, in an order ``alembic upgrade <id>`` one by one can take."""
    ids = []
    down = None

    def write(revision: str, number: int | str, down: object, lines: Sequence[str], labels: object = None,
              depends: object = None) -> None:
        body = textwrap.indent("\n".join(lines) or "pass", "    ")
        place = folder / "versions" / (f"{2023 + len(ids) % 2}" if years else "")
        place.mkdir(parents=True, exist_ok=True)
        (place / f"{revision}_step.py").write_text(
            REVISION.format(message=f"step {number}", revision=revision, down=down, body=body, labels=labels,
                            depends=depends), encoding="utf-8")
        ids.append(revision)

    for number, lines in enumerate(bodies, start=1):
        revision = f"{number:04d}aa"
        write(revision, number, down, lines, depends="0001bb" if branch and number == 3 else None)
        if branch and number == 1:
            write("0001bb", "side", revision, ["pass"], labels=("side",))
        down = revision
    if branch:
        write("0099mm", "merge", (down, "0001bb"), ["pass"])
    if years:
        (folder / "alembic.ini").write_text(YEARS_INI, encoding="utf-8")
    return ids


# ---------------------------------------------------------------------------------------------
# Rolling back from the ledger alone
# ---------------------------------------------------------------------------------------------


def rollback_to_base(url: str, *, ledger_table: str = LEDGER_TABLE) -> list[Event]:
    """``schema-ledger rollback --to base`` on the database at ``url``; the revert events it appended."""
    import tempfile
    from pathlib import Path

    from ledger.project.config import Config
    from ledger.storage.db import create_engine
    from ledger.run.rollback import rollback
    from ops import IrreversibleError

    store = LedgerStore(ledger_table)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            before = store.head(conn)
        with tempfile.TemporaryDirectory() as project:
            config = Config(project_dir=Path(project), url=url, ledger_table=ledger_table)
            try:
                rollback(config, to="base", why="rollback to base")
            except IrreversibleError as exc:
                # Data migrations and SQL the vocabulary lacks stop a plain rollback, naming them;
                # --skip-irreversible then undoes everything else.
                assert "revision" in str(exc) and "seq" in str(exc), exc
                rollback(config, to="base", why="rollback to base", skip_irreversible=True)
        with engine.connect() as conn:
            return [e for e in store.events(conn, after_seq=before.seq if before else 0) if e.kind == "revert"]
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------------------
# What the hook recorded
# ---------------------------------------------------------------------------------------------


def hook_events(url: str, *, records: bool = False) -> list[Event]:
    """The events of the hook's ledger at ``url``, in seq order; the ``alembic`` event that records
    each upgraded revision's place in Alembic's graph only with ``records``."""
    with connected(url) as conn:
        return [e for e in LedgerStore(LEDGER_TABLE).events(conn) if records or e.kind != "alembic"]


def check_live_equals_fold(url: str) -> None:
    """The live schema at ``url`` equals the fold of its ledger, and the chain is whole."""
    with connected(url) as conn:
        assert differences(conn) == []
        assert chain_problems(conn) == []


@contextlib.contextmanager
def connected(url: str) -> Iterator[sa.Connection]:
    """A connection to ``url`` on an engine of its own, disposed of afterwards."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def table_names(url: str) -> list[str]:
    """The user tables at ``url`` (neither the ledger nor Alembic's version table)."""
    with connected(url) as conn:
        return user_tables(conn)


def ledger_only_config(tmp_path: Path, url: str) -> LedgerConfig:
    """A schema-ledger config with no migrations folder: the project is the database's ledger."""
    return LedgerConfig(project_dir=tmp_path, url=url, migrations=Path("no-migrations-here"),
                        ledger_table=LEDGER_TABLE)


def upgrade_with_hook(tmp_path: Path, url: str, bodies: Sequence[Sequence[str]], *, batch: bool = False) -> list[str]:
    """Write ``bodies`` as an Alembic history under ``tmp_path / "alembic"`` and upgrade it to head."""
    folder = tmp_path / "alembic"
    write_env(folder, batch=batch)
    ids = write_history(folder, bodies)
    run_alembic(folder, url, "upgrade", "head")
    return ids


def sqlite_upgraded(tmp_path: Path, bodies: Sequence[Sequence[str]], *, name: str = "hooked",
                   hook: bool = True) -> tuple[str, list[str]]:
    """An Alembic project in ``tmp_path / name`` (with the hook unless ``hook=False``) whose history
    is ``bodies``, upgraded to head on the SQLite database ``tmp_path / "<name>.db"``: its URL and
    the revision ids."""
    url = f"sqlite:///{tmp_path}/{name}.db"
    write_env(tmp_path / name, hook=hook)
    ids = write_history(tmp_path / name, bodies)
    run_alembic(tmp_path / name, url, "upgrade", "head")
    return url, ids


def up_and_down(tmp_path: Path, url: str, bodies: Sequence[Sequence[str]], *, batch: bool = False) -> list[Event]:
    """Upgrade with the hook, check the fold equals live, roll back to base from the ledger alone."""
    upgrade_with_hook(tmp_path, url, bodies, batch=batch)
    check_live_equals_fold(url)
    events = hook_events(url)
    assert all(e.op is None or e.op.reversible for e in events), [e.message for e in events]
    rollback_to_base(url)
    assert table_names(url) == []
    check_live_equals_fold(url)
    return events


def ledger_cli(url: str, folder: Path, *args: str) -> tuple[int, str]:
    """``schema-ledger --url URL ARGS`` in-process for a hooked database, from ``folder`` (which gets
    a schema-ledger.toml naming no migrations folder): the exit code and the output."""
    config = folder / "schema-ledger.toml"
    if not config.exists():
        config.write_text('migrations = "no-migrations-folder"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--url", url, "--config", str(config), *args])
    return result.exit_code, result.output


def live_schema(url: str) -> SchemaState:
    """The reflected schema at ``url`` (neither the ledger nor Alembic's version table)."""
    with connected(url) as conn:
        state = reflect(conn, exclude={LEDGER_TABLE, "alembic_version"})
        return without_foreign_key_indexes(state) if conn.dialect.name in ("mysql", "mariadb") else state


def check_everything(tmp_path: Path, url: str, make_database: Callable[[str], str], dialect: str) -> None:
    """After a hooked upgrade: the fold equals live, verify --live is clean, the ledger materialized
    into a new ``dialect`` database from ``make_database`` (the ``database_factory`` fixture) equals
    live, the drill passes, and rollback to base leaves no table."""
    scratch = make_database(dialect)
    check_live_equals_fold(url)
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    live, made = live_schema(url), live_schema(scratch)
    assert compare(name_like_fold(live, made), name_like_fold(made, live), "mysql" if dialect == "mariadb" else dialect) == []
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--json", "-q")
    assert code == 0 and json.loads(out)["passed"], out
    rollback_to_base(url)
    assert table_names(url) == []
    check_live_equals_fold(url)
