"""baseline: databases built from hand-written SQL are adopted so that the fold equals the live schema.

Each database has composite keys, a self-reference, two tables that reference each other,
named and unnamed constraints, server defaults, an enum, JSON columns, comments where the
database keeps them, an Alembic version table, and many tables. After ``baseline``,
``verify --live`` passes; the schema rebuilt from the ledger alone in an empty database
equals the baselined one; revisions then apply on top, and a rollback drill from the
baseline passes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.inspect.audit import verify
from ledger.run.baseline import BaselineError, baseline
from ledger.cli import main
from ledger.storage.db import create_engine, dialect_of
from ledger.run.drill import drill
from ledger.format.events import fold_events
from ledger.inspect.pointintime import materialize
from ledger.run.apply import apply
from ledger.storage.session import store_for
from tests.builders import project

MANY = 30
ALEMBIC = "ae1027a6acf"

COMMON_TAIL = [
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
    f"INSERT INTO alembic_version (version_num) VALUES ('{ALEMBIC}')",
    "CREATE INDEX ix_employee_manager ON employee (manager_id)",
    "CREATE UNIQUE INDEX ux_member_team ON member (team_id, id)",
    "CREATE TABLE t_00 (id INTEGER NOT NULL PRIMARY KEY, label VARCHAR(40))",
    *(f"CREATE TABLE t_{n:02d} (id INTEGER NOT NULL PRIMARY KEY, parent_id INTEGER, label VARCHAR(40), "
      f"FOREIGN KEY (parent_id) REFERENCES t_{n - 1:02d} (id))" for n in range(1, MANY)),
]

SQL = {
    "sqlite": [
        "CREATE TABLE region (code CHAR(2) NOT NULL, country CHAR(2) NOT NULL, "
        "name VARCHAR(80) NOT NULL DEFAULT 'unnamed', PRIMARY KEY (country, code))",
        "CREATE TABLE employee (id INTEGER PRIMARY KEY, manager_id INTEGER REFERENCES employee (id) ON DELETE SET NULL, "
        "email VARCHAR(200) UNIQUE, status VARCHAR(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')), "
        "mood VARCHAR(5) CHECK (mood IN ('happy', 'sad')), region_country CHAR(2), region_code CHAR(2), "
        "profile JSON, hired DATE DEFAULT CURRENT_DATE, score NUMERIC(5, 2) DEFAULT 0, "
        "CONSTRAINT fk_employee_region FOREIGN KEY (region_country, region_code) REFERENCES region (country, code), "
        "CONSTRAINT ck_employee_email CHECK (email LIKE '%@%'))",
        "CREATE TABLE team (id INTEGER PRIMARY KEY, lead_id INTEGER REFERENCES member (id))",
        "CREATE TABLE member (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES team (id))",
    ],
    "postgresql": [
        "CREATE TYPE mood AS ENUM ('happy', 'sad')",
        "CREATE TABLE region (code CHAR(2) NOT NULL, country CHAR(2) NOT NULL, "
        "name VARCHAR(80) NOT NULL DEFAULT 'unnamed', PRIMARY KEY (country, code))",
        "CREATE TABLE employee (id SERIAL PRIMARY KEY, manager_id INTEGER REFERENCES employee (id) ON DELETE SET NULL, "
        "email VARCHAR(200) UNIQUE, status VARCHAR(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')), "
        "mood mood, region_country CHAR(2), region_code CHAR(2), profile JSONB, settings JSON, "
        "hired DATE DEFAULT CURRENT_DATE, created TIMESTAMP DEFAULT now(), score NUMERIC(5, 2) DEFAULT 0, "
        "CONSTRAINT fk_employee_region FOREIGN KEY (region_country, region_code) REFERENCES region (country, code), "
        "CONSTRAINT ck_employee_email CHECK (email LIKE '%@%'))",
        "COMMENT ON TABLE employee IS 'People who work here'",
        "COMMENT ON COLUMN employee.email IS 'Work address'",
        "CREATE TABLE team (id INTEGER PRIMARY KEY, lead_id INTEGER)",
        "CREATE TABLE member (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES team (id))",
        "ALTER TABLE team ADD FOREIGN KEY (lead_id) REFERENCES member (id)",
        "CREATE TABLE audit_log (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), payload JSONB NOT NULL DEFAULT '{}')",
    ],
    "mysql": [
        "CREATE TABLE region (code CHAR(2) NOT NULL, country CHAR(2) NOT NULL, "
        "name VARCHAR(80) NOT NULL DEFAULT 'unnamed', PRIMARY KEY (country, code))",
        "CREATE TABLE employee (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, manager_id INTEGER, "
        "email VARCHAR(200) UNIQUE COMMENT 'Work address', "
        "status VARCHAR(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')), "
        "mood ENUM('happy', 'sad'), region_country CHAR(2), region_code CHAR(2), profile JSON, "
        "hired DATE, score NUMERIC(5, 2) DEFAULT 0, "
        "FOREIGN KEY (manager_id) REFERENCES employee (id) ON DELETE SET NULL, "
        "CONSTRAINT fk_employee_region FOREIGN KEY (region_country, region_code) REFERENCES region (country, code), "
        "CONSTRAINT ck_employee_email CHECK (email LIKE '%@%')) COMMENT = 'People who work here'",
        "CREATE TABLE team (id INTEGER NOT NULL PRIMARY KEY, lead_id INTEGER)",
        "CREATE TABLE member (id INTEGER NOT NULL PRIMARY KEY, team_id INTEGER NOT NULL, "
        "FOREIGN KEY (team_id) REFERENCES team (id))",
        "ALTER TABLE team ADD FOREIGN KEY (lead_id) REFERENCES member (id)",
    ],
}


def build(url: str) -> int:
    """Run the hand-written SQL of ``url``'s database; return how many user tables it made."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            dialect = dialect_of(conn)
            for statement in SQL[dialect] + COMMON_TAIL:
                # psycopg and PyMySQL read % as a parameter marker
                conn.exec_driver_sql(statement if dialect == "sqlite" else statement.replace("%", "%%"))
            return len(sa.inspect(conn).get_table_names()) - 1  # alembic_version is not the user's
    finally:
        engine.dispose()


def test_baseline_then_verify_live_passes(tmp_path: Path, dialect: str, db_url: str,
                                           database_factory: Callable[[str], str]) -> None:
    tables = build(db_url)
    config = project(tmp_path, db_url, revisions={})
    result = baseline(config, why="adopt", by="dba")
    assert result.tables == tables and result.alembic_revision == ALEMBIC

    events = result.events
    assert {e.kind for e in events} == {"baseline"} and {e.revision for e in events} == {None}
    assert {e.message for e in events} == {f"adopt (Alembic revision {ALEMBIC})"}
    assert {e.actor.by for e in events} == {"dba"}
    kinds = [e.op_type for e in events]
    # Tables first, then indexes, then every foreign key once all tables exist.
    assert kinds == sorted(kinds, key=["create_table", "create_index", "create_foreign_key"].index)
    assert kinds.count("create_table") == tables
    assert kinds.count("create_foreign_key") >= MANY - 1 + 4

    report = verify(config, live=True)
    assert report.ok, [str(p) for p in report.problems]
    fold = fold_events(events)
    assert (None, "alembic_version") not in fold.tables
    employee = fold.tables[(None, "employee")]
    assert any(fk.referent_table == "employee" for fk in employee.foreign_keys)  # the self-reference
    assert all(c.name for c in employee.constraints + employee.indexes)  # unnamed ones got names
    assert fold.tables[(None, "region")].primary_key.columns == ("country", "code")  # type: ignore[union-attr]

    # The schema rebuilt from the ledger alone, in an empty database, is the baselined one.
    rebuilt = materialize(fold, database_factory(dialect))
    assert rebuilt.differences == (), rebuilt.differences

    # The baselined database takes revisions like any other.
    (config.migrations_dir / "0001_more.py").write_text(
        '"""More."""\nimport sqlalchemy as sa\n\nrevision = "0001"\ndown_revision = None\n\n\n'
        'def upgrade(op):\n    op.add_column("employee", sa.Column("nickname", sa.String(30)))\n'
        '    op.create_index("ix_t_05_label", "t_05", ["label"])\n'
    )
    apply(config)
    assert verify(config, live=True).ok

    # A rollback drill starts from the baseline: up, down to the baseline, up again.
    report = drill(config)
    assert report.passed, report.failures
    assert [(r.up, r.down, r.again) for r in report.rows] == [(True, True, True)]


def test_baseline_refuses_a_ledger_with_events(tmp_path: Path, db_url: str) -> None:
    build(db_url)
    config = project(tmp_path, db_url, revisions={})
    first = baseline(config)
    with pytest.raises(BaselineError, match=r"already has \d+ events?\b"):
        baseline(config)
    result = CliRunner().invoke(main, ["--config", str(config.source), "--url", db_url, "baseline"])
    assert result.exit_code == 1
    assert result.stderr.startswith("schema-ledger: error: the ledger schema_ledger already has")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert store_for(config).count(conn) == len(first.events)  # nothing was added
    engine.dispose()


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_baseline_refuses_an_empty_database(tmp_path: Path, db_url: str) -> None:
    with pytest.raises(BaselineError, match="no tables to adopt"):
        baseline(project(tmp_path, db_url, revisions={}))


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_cli_baseline_writes_the_snapshot_once(tmp_path: Path, db_url: str) -> None:
    build(db_url)
    config = project(tmp_path, db_url, revisions={})
    result = CliRunner().invoke(main, ["--config", str(config.source), "--url", db_url, "baseline", "-m", "adopt"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"baseline: {MANY + 4} tables recorded as ")
    assert lines[0].endswith(f"; Alembic revision {ALEMBIC}")
    snapshot = config.migrations_dir / "baseline.json"
    assert lines[1] == f"wrote {snapshot}"
    data = json.loads(snapshot.read_text())
    assert len(data["tables"]) == MANY + 4
    assert verify(config, live=True).ok


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_unnamed_sqlite_constraints_are_matched_by_what_they_are(tmp_path: Path, db_url: str) -> None:
    build(db_url)
    config = project(tmp_path, db_url, revisions={})
    baseline(config)
    # Drop the unnamed email UNIQUE by rebuilding the table without it: verify sees the loss.
    engine = create_engine(db_url)
    with engine.begin() as conn:
        sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'employee'").scalar_one()
        changed = sql.replace("email VARCHAR(200) UNIQUE", "email VARCHAR(200)").replace(
            "CREATE TABLE employee", "CREATE TABLE employee_new")
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        conn.exec_driver_sql(changed)
        conn.exec_driver_sql("INSERT INTO employee_new SELECT * FROM employee")
        conn.exec_driver_sql("DROP TABLE employee")
        conn.exec_driver_sql("ALTER TABLE employee_new RENAME TO employee")
        conn.exec_driver_sql("CREATE INDEX ix_employee_manager ON employee (manager_id)")
    engine.dispose()
    report = verify(config, live=True)
    assert [p.message for p in report.problems] == [
        "live schema differs from the ledger: drop unique constraint uq_employee_email on employee"
    ]


def test_baseline_adopts_keys_named_alike_in_two_tables(tmp_path: Path, db_url: str) -> None:
    # MariaDB names an unnamed unique key after its column, per table (`hashed` in both); the
    # baseline folds under the database's own name rule, so it adopts what the database holds.
    metadata = sa.MetaData()
    for name in ("api_tokens", "oauth_access_tokens"):
        sa.Table(name, metadata, sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("hashed", sa.Unicode(255), unique=True))
    engine = create_engine(db_url)
    metadata.create_all(engine)
    engine.dispose()
    config = project(tmp_path, db_url, revisions={})
    result = baseline(config)
    assert result.tables == 2
    assert verify(config, live=True).problems == ()


@pytest.mark.mariadb
def test_an_index_mariadb_made_for_a_foreign_key_stays_held_after_a_migration_covers_the_key(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """MariaDB names the index it makes for a key made without a name after its column (``p_id``),
    and drops that index silently when an index or key made later covers the key, where it keeps one
    made on purpose. The baseline holds ``p_id`` as an index of the table: the migration that covers the
    key leaves it there too, so verify --live is clean and the rollback, which needs an index for
    the key, finds it."""
    url = database_factory("mariadb")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE child (id INTEGER PRIMARY KEY, p_id INTEGER, q_id INTEGER, n INTEGER,"
                             " FOREIGN KEY (p_id) REFERENCES parent (id), FOREIGN KEY (q_id) REFERENCES parent (id))")
    config = project(tmp_path, url, revisions={"r1": 'op.create_index("ix_child_p_n", "child", ["p_id", "n"])\n'
                                                     'op.create_unique_constraint("uq_child_q_n", "child", ["q_id", "n"])'})
    baseline(config)
    apply(config)
    with engine.connect() as conn:
        names = sorted(i["name"] for i in sa.inspect(conn).get_indexes("child"))
    engine.dispose()
    assert names == ["ix_child_p_n", "p_id", "q_id", "uq_child_q_n"], names
    runner = CliRunner()
    for args in (["verify", "--live"], ["rollback", "--to", "base", "-q"], ["verify", "--live"]):
        result = runner.invoke(main, ["--url", url, "--config", str(config.source), *args])
        assert result.exit_code == 0, (args, result.output)
