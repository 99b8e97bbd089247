"""Drift: a change made by hand on the live database is reported by ``verify --live`` as the right op.

Each case applies a small project, then changes the database behind the ledger's back (as a
DBA with a console would), then checks that verify names exactly the op that leads from the
fold of the ledger to what the database now is. SQLite has no ALTER for most of this, so
there the table is rebuilt by hand, the way its documentation describes.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.inspect.audit import verify
from ledger.project.config import Config
from ledger.storage.db import create_engine, dialect_of
from ledger.run.apply import apply
from ops import AddColumnOp, AlterColumnOp, CreateIndexOp, DropConstraintOp, DropIndexOp
from tests.builders import cli, project

ITEMS = {"0001": """
    op.create_table(
        "item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("qty", sa.Integer),
        sa.UniqueConstraint("name", name="uq_item_name"),
        sa.CheckConstraint("qty >= 0", name="ck_item_qty"),
    )
    op.create_index("ix_item_qty", "item", ["qty"])
"""}


def applied_project(tmp_path: Path, url: str) -> Config:
    config = project(tmp_path, url, revisions=ITEMS)
    apply(config)
    return config


def sqlite_rebuild(url: str, table: str, edit: Callable[[str], str]) -> None:
    """SQLite's way to change a table: create the new one, copy the rows, drop, rename, re-index."""
    conn = sqlite3.connect(sa.make_url(url).database)  # type: ignore[arg-type]
    try:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
        indexes = [r[0] for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,))]
        new = edit(sql)
        assert new != sql, sql
        new = re.sub(rf'^CREATE TABLE "?{table}"?', "CREATE TABLE _rebuilt", new)
        conn.executescript(
            f"BEGIN; {new}; INSERT INTO _rebuilt SELECT * FROM {table}; DROP TABLE {table}; "
            f"ALTER TABLE _rebuilt RENAME TO {table}; {'; '.join(indexes)}; COMMIT;"
        )
    finally:
        conn.close()


def by_hand(config: Config, statements: dict[str, str], sqlite_edit: Callable[[str], str] | None = None) -> None:
    dialect = dialect_of(config.url)
    if dialect == "sqlite" and sqlite_edit is not None:
        sqlite_rebuild(config.url, "item", sqlite_edit)
        return
    engine = create_engine(config.url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(statements.get(dialect) or statements["*"])
    finally:
        engine.dispose()


def drift_lines(config: Config) -> list[str]:
    report = verify(config, live=True)
    assert not report.ok and report.drift is not None
    assert [p.kind for p in report.problems] == ["live"] * len(report.problems)
    return [p.message.removeprefix("live schema differs from the ledger: ") for p in report.problems]


def test_no_drift_right_after_apply(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)
    assert verify(config, live=True).ok


def test_added_index(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)
    by_hand(config, {"*": "CREATE INDEX ix_manual ON item (name, qty)"})
    assert drift_lines(config) == ["create index ix_manual on item(name, qty)"]
    [op] = verify(config, live=True).drift.ops  # type: ignore[union-attr]
    assert isinstance(op, CreateIndexOp) and op.index.columns == ("name", "qty") and not op.index.unique


def test_dropped_index(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)
    by_hand(config, {"mysql": "DROP INDEX ix_item_qty ON item", "*": "DROP INDEX ix_item_qty"})
    assert drift_lines(config) == ["drop index ix_item_qty on item"]


def test_changed_type(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)
    by_hand(config, {"postgresql": "ALTER TABLE item ALTER COLUMN qty TYPE DOUBLE PRECISION",
                     "mysql": "ALTER TABLE item MODIFY qty DOUBLE"},
            sqlite_edit=lambda sql: sql.replace("qty INTEGER", "qty REAL"))
    [op] = verify(config, live=True).drift.ops  # type: ignore[union-attr]
    assert isinstance(op, AlterColumnOp) and op.column_name == "qty" and op.modify_type is not None
    assert op.modify_nullable is None and op.modify_server_default is False
    expected = {"postgresql": "DOUBLE PRECISION", "mysql": "DOUBLE", "sqlite": "REAL"}[dialect_of(config.url)]
    assert drift_lines(config) == [f"alter column item.qty: type {expected}"]


def test_dropped_unique_constraint(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)
    by_hand(config, {"postgresql": "ALTER TABLE item DROP CONSTRAINT uq_item_name",
                     "mysql": "ALTER TABLE item DROP INDEX uq_item_name"},
            sqlite_edit=lambda sql: re.sub(r",\s*CONSTRAINT uq_item_name UNIQUE \(name\)", "", sql))
    [op] = verify(config, live=True).drift.ops  # type: ignore[union-attr]
    # MariaDB keeps a unique constraint as a unique index: what it lost is that index.
    if dialect_of(config.url) == "mysql":
        assert isinstance(op, DropIndexOp) and op.index_name == "uq_item_name"
    else:
        assert isinstance(op, DropConstraintOp) and op.constraint_name == "uq_item_name"
        assert drift_lines(config) == ["drop unique constraint uq_item_name on item"]


def test_dropped_check_constraint(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)
    by_hand(config, {"*": "ALTER TABLE item DROP CONSTRAINT ck_item_qty"},
            sqlite_edit=lambda sql: re.sub(r",\s*CONSTRAINT ck_item_qty CHECK \(qty >= 0\)", "", sql))
    assert drift_lines(config) == ["drop check constraint ck_item_qty on item"]


def test_added_column_and_the_cli_line(tmp_path: Path, db_url: str) -> None:
    config = applied_project(tmp_path, db_url)
    by_hand(config, {"*": "ALTER TABLE item ADD COLUMN note VARCHAR(20)"})
    [op] = verify(config, live=True).drift.ops  # type: ignore[union-attr]
    assert isinstance(op, AddColumnOp) and op.column.name == "note"
    result = cli(config, "verify", "--live")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("live schema differs from the ledger: add column item.note VARCHAR")
    assert "checked chain, payloads, checksums, live schema" in result.output


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_live_is_not_compared_when_the_ledger_does_not_fold(tmp_path: Path, db_url: str) -> None:
    from ledger.format.events import Actor
    from ledger.storage.session import store_for
    from ops import DropTableOp

    config = applied_project(tmp_path, db_url)
    engine = create_engine(config.url)
    with engine.begin() as conn:
        store_for(config).append(conn, kind="apply", op=DropTableOp("ghost"), revision=None, message=None,
                                 actor=Actor("x", None, "h", "0"))
    engine.dispose()
    report = verify(config, live=True)
    assert [p.kind for p in report.problems] == ["fold", "live"]
    assert not report.live_checked


def test_alembic_version_tables_are_the_tables_of_one_version_num_column(db_url: str) -> None:
    """Alembic's version tables are found by their shape, on PostgreSQL in one catalog query: the
    same tables the inspector's columns give (a dropped column does not count, a view is no table),
    and a table the fold holds is the application's."""
    from ledger.inspect.drift import alembic_version_tables
    from ops import SchemaState

    dialect = dialect_of(db_url)
    engine = create_engine(db_url)
    statements = [
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
        "CREATE TABLE hashmap_alembic (version_num VARCHAR(32))",
        "CREATE TABLE two_columns (version_num VARCHAR(32), other INTEGER)",
        "CREATE TABLE other_column (revision VARCHAR(32))",
        "CREATE VIEW version_view AS SELECT version_num FROM alembic_version",
    ]
    if dialect != "sqlite":
        statements += ["CREATE TABLE was_two (version_num VARCHAR(32), gone INTEGER)",
                       "ALTER TABLE was_two DROP COLUMN gone"]
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            shaped = sorted(name for name in inspector.get_table_names()
                            if [c["name"] for c in inspector.get_columns(name)] == ["version_num"])
            assert shaped == sorted(["alembic_version", "hashmap_alembic", *(["was_two"] if dialect != "sqlite" else [])])
            assert alembic_version_tables(conn) == shaped
            metadata = sa.MetaData()
            sa.Table("hashmap_alembic", metadata, sa.Column("version_num", sa.String(32)))
            held = SchemaState.from_metadata(metadata)
            assert alembic_version_tables(conn, held=held) == [name for name in shaped if name != "hashmap_alembic"]
    finally:
        engine.dispose()
