"""Names as the database holds them: the fold keeps constraint and index names apart as the
ledger's database does (``ops/names.py``, ``Database.names_per``).

MariaDB names keys per table: two tables may each hold a unique key ``name`` (an unnamed
``UNIQUE (name)`` is named after its first column, a second one ``name_2``). Through the Alembic
hook and through native migrations such a schema is recorded, verified against the live
database, materialized into a fresh one, rolled back to base and drilled.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli import main
from ledger.inspect.drift import reflect_live
from ledger.project.config import Config
from ledger.schema.reflect import compare
from tests.alembic_histories import LEDGER_TABLE, run_alembic, user_tables, write_env, write_history

#: Two tables, each with unnamed unique keys on a column called ``name`` (aim's storage history
#: declares ``unique=True`` and ``UniqueConstraint('name')`` on one column: two keys).
HOOKED = [
    ["op.create_table('tag', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('name', sa.String(40), unique=True), sa.UniqueConstraint('name'))",
     "op.create_table('run', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('name', sa.String(40)), sa.UniqueConstraint('name'))"],
    ["op.create_table('note', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('name', sa.String(40)), sa.Column('tag_id', sa.Integer(), sa.ForeignKey('tag.id')))",
     "op.create_unique_constraint(None, 'note', ['name'])"],
]

NATIVE = {
    "0001_tags.py": '''
import sqlalchemy as sa
revision = "0001"
down_revision = None
def upgrade(op):
    op.create_table("tag", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)),
                    sa.UniqueConstraint("name"), sa.UniqueConstraint("name", name="name"))
    op.create_table("run", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)),
                    sa.UniqueConstraint("name"), sa.UniqueConstraint("name", name="name"))
''',
    "0002_note.py": '''
import sqlalchemy as sa
revision = "0002"
down_revision = "0001"
def upgrade(op):
    op.create_table("note", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)))
    op.create_unique_constraint("name", "note", ["name"])
    op.create_index("name_2", "note", ["name"])
''',
}

SQLITE_INDEXES = '''
import sqlalchemy as sa
revision = "0001"
down_revision = None
def upgrade(op):
    op.create_table("tag", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)))
    op.create_index("name", "tag", ["name"])
    op.create_table("run", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)))
    op.create_index("name", "run", ["name"])
'''


def _cli(url: str, config: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--url", url, "--config", str(config), *args])
    return result.exit_code, result.stdout + result.stderr


def _live(url: str) -> object:
    """The live schema as verify sees it (without InnoDB's own indexes for foreign keys)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return reflect_live(conn, Config(project_dir=Path("."), url=url, ledger_table=LEDGER_TABLE))
    finally:
        engine.dispose()


def _uniques(url: str, table: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(str(u["name"]) for u in sa.inspect(conn).get_unique_constraints(table))
    finally:
        engine.dispose()


def _round_trip(url: str, config: Path, fresh: str, drill: tuple[str, ...]) -> None:
    """verify --live clean; materialized into ``fresh`` equal; drilled; rolled back to base."""
    code, out = _cli(url, config, "verify", "--live")
    assert code == 0, out
    code, out = _cli(url, config, "materialize", "--into", fresh)
    assert code == 0, out
    assert compare(_live(url), _live(fresh), "mysql") == []  # type: ignore[arg-type]
    code, out = _cli(url, config, "drill", *drill, "-q")
    assert code == 0, out
    code, out = _cli(url, config, "rollback", "--to", "base", "-q")
    assert code == 0, out
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert user_tables(conn) == []
    finally:
        engine.dispose()


def test_on_mariadb_the_hook_records_unique_keys_named_per_table(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, HOOKED)
    run_alembic(folder, url, "upgrade", "head")
    assert _uniques(url, "tag") == ["name", "name_2"] and _uniques(url, "run") == _uniques(url, "note") == ["name"]
    config = tmp_path / "schema-ledger.toml"
    config.write_text('migrations = "no-migrations-folder"\n', encoding="utf-8")
    _round_trip(url, config, database_factory("mariadb"), ("--from-ledger",))
    run_alembic(folder, url, "upgrade", "head")  # Alembic's version table went back to base too
    assert _uniques(url, "tag") == ["name", "name_2"]


def test_on_mariadb_native_migrations_may_name_keys_alike_in_two_tables(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    (tmp_path / "migrations").mkdir()
    for name, text in NATIVE.items():
        (tmp_path / "migrations" / name).write_text(text, encoding="utf-8")
    config = tmp_path / "schema-ledger.toml"
    config.write_text('migrations = "migrations"\n', encoding="utf-8")
    code, out = _cli(url, config, "apply")
    assert code == 0, out
    assert _uniques(url, "tag") == ["name", "uq_tag_name"] and _uniques(url, "run") == ["name", "uq_run_name"]
    assert _uniques(url, "note") == ["name"]
    _round_trip(url, config, database_factory("mariadb"), ())


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_where_the_database_refuses_alike_names_the_plan_refuses_them(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """PostgreSQL keeps index names (a unique key's too) apart per schema, SQLite keeps index
    names apart per database: the same history stops before anything runs."""
    url = database_factory(dialect)
    (tmp_path / "migrations").mkdir()
    text = NATIVE["0001_tags.py"] if dialect == "postgresql" else SQLITE_INDEXES
    (tmp_path / "migrations" / "0001_tags.py").write_text(text, encoding="utf-8")
    config = tmp_path / "schema-ledger.toml"
    config.write_text('migrations = "migrations"\n', encoding="utf-8")
    code, out = _cli(url, config, "apply")
    assert code != 0 and "name name on run is already used" in out, out
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert user_tables(conn) == []
    finally:
        engine.dispose()
