"""No silent data loss: a baseline is a floor for rollback, data loss is announced before anything
runs and needs consent, and a type change that a value does not fit stops the run.

Every test runs on SQLite, PostgreSQL and MariaDB through the command line, and checks that a
refused or failed run leaves schema and ledger exactly as they were.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.inspect.drift import reflect_live
from ledger.project.config import Config
from ledger.storage.db import create_engine
from ledger.storage.session import store_for
from tests.builders import cli, project, rows


def run_sql(url: str, *statements: str) -> None:
    engine = create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def snapshot(config: Config) -> tuple:
    """The live schema and the whole ledger (every column of every event)."""
    engine = create_engine(config.url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            store = store_for(config)
            ledger = [tuple(r) for r in conn.execute(sa.select(store.table).order_by(store.table.c.seq))] \
                if store.exists(conn) else []
            return reflect_live(conn, config), ledger
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------------------
# 1. A baseline is a floor
# ---------------------------------------------------------------------------------------------


def _baselined(tmp_path: Path, url: str) -> Config:
    run_sql(url, "CREATE TABLE customer (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(40))",
            "CREATE TABLE product (id INTEGER NOT NULL PRIMARY KEY, title VARCHAR(40))",
            "INSERT INTO customer (id, name) VALUES (1, 'Ada'), (2, 'Grace')",
            "INSERT INTO product (id, title) VALUES (1, 'lamp')")
    config = project(tmp_path, url, revisions={
        "0001": 'op.add_column("customer", sa.Column("email", sa.String(80)))',
        "0002": 'op.create_table("note", sa.Column("id", sa.Integer, primary_key=True))',
    })
    assert cli(config, "baseline", "-m", "adopt").exit_code == 0
    return config


def test_rollback_counts_revisions_and_stops_at_the_baseline(tmp_path: Path, db_url: str) -> None:
    config = _baselined(tmp_path, db_url)
    assert cli(config, "apply", "--to", "0001").exit_code == 0

    done = cli(config, "rollback", "--to", "-1")
    assert done.exit_code == 0, done.output
    assert "rolled back 1 revision " in done.stdout
    assert rows(db_url, "SELECT id, name FROM customer ORDER BY id") == [(1, "Ada"), (2, "Grace")]
    assert rows(db_url, "SELECT id FROM product") == [(1,)]

    # Nothing but the baseline is in effect: -1 names no revision.
    more = cli(config, "rollback", "--to", "-1")
    assert more.exit_code == 2 and "0 revision(s) are applied" in more.stderr

    # base on a baselined ledger is the baseline.
    assert cli(config, "apply").exit_code == 0
    to_base = cli(config, "rollback", "--to", "base")
    assert to_base.exit_code == 0, to_base.output
    assert "rolled back 2 revisions" in to_base.stdout
    assert rows(db_url, "SELECT COUNT(*) FROM customer") == [(2,)]
    assert cli(config, "verify", "--live").exit_code == 0


def test_going_below_the_baseline_needs_its_own_option(tmp_path: Path, db_url: str) -> None:
    config = _baselined(tmp_path, db_url)
    assert cli(config, "apply", "--to", "0001").exit_code == 0
    before = snapshot(config)
    refused = cli(config, "rollback", "--to", "@1")  # inside the baseline: product is its second table
    assert refused.exit_code == 1, refused.output
    assert refused.stderr == ("schema-ledger: error: @1 is below the baseline (ledger seq 2 is its last event): "
                              "going there drops the adopted table product with its rows; `--to base` stops at "
                              "the baseline, and --through-baseline goes below it\n")
    assert snapshot(config) == before

    # With the option, the data loss still needs consent: the adopted tables hold rows.
    unconsented = cli(config, "rollback", "--to", "base", "--through-baseline")
    assert unconsented.exit_code == 1, unconsented.output
    assert "schema-ledger: data loss: table customer is dropped with its rows: 2 rows (baseline, seq 1)" \
        in unconsented.stderr
    assert snapshot(config) == before

    through = cli(config, "rollback", "--to", "base", "--through-baseline", "--allow-data-loss")
    assert through.exit_code == 0, through.output
    engine = create_engine(db_url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table("customer")
    engine.dispose()


# ---------------------------------------------------------------------------------------------
# 3. A type change that a value does not fit stops the run
# ---------------------------------------------------------------------------------------------

NARROWINGS = {
    "string": ('sa.String(40)', "'abcdefghijklmnopqrstuvwxyz0123456'", 'sa.String(10)', "'short'"),
    "numeric": ('sa.Numeric(8, 3)', "12345.678", 'sa.Numeric(6, 2)', "1234.5"),
    "timestamp": ('sa.DateTime', "'2020-01-01 10:11:12'", 'sa.Date', "'2020-01-02 00:00:00'"),
    "integer": ('sa.BigInteger', "3000000000", 'sa.Integer', "7"),
}


@pytest.mark.parametrize("kind", sorted(NARROWINGS))
def test_a_value_that_does_not_fit_stops_the_run(tmp_path: Path, db_url: str, kind: str) -> None:
    old, value, new, fitting = NARROWINGS[kind]
    config = project(tmp_path, db_url, revisions={
        "0001": f'op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", {old}))',
        "0002": f'op.alter_column("item", "v", type_={new})',
    })
    assert cli(config, "apply", "--to", "0001").exit_code == 0
    run_sql(db_url, f"INSERT INTO item (id, v) VALUES (1, {value}), (2, {fitting}), (3, NULL)")
    stored = rows(db_url, "SELECT id, v FROM item ORDER BY id")
    before = snapshot(config)

    failed = cli(config, "apply", "--allow-data-loss")
    assert failed.exit_code == 1, failed.output
    assert "revision 0002" in failed.stderr and "1 value of item.v does not fit" in failed.stderr
    assert snapshot(config) == before
    assert rows(db_url, "SELECT id, v FROM item ORDER BY id") == stored

    # Without the value that does not fit, the change goes through.
    run_sql(db_url, "DELETE FROM item WHERE id = 1")
    done = cli(config, "apply", "--allow-data-loss")
    assert done.exit_code == 0, done.output
    assert cli(config, "verify", "--live").exit_code == 0


def test_the_rollback_of_a_widening_is_checked_too(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url, revisions={
        "0001": 'op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String(10)))',
        "0002": 'op.alter_column("item", "v", type_=sa.String(40))',
    })
    assert cli(config, "apply").exit_code == 0
    run_sql(db_url, "INSERT INTO item (id, v) VALUES (1, 'abcdefghijklmnopqrstuvwxyz0123456')")
    before = snapshot(config)
    failed = cli(config, "rollback", "--to", "0001", "--allow-data-loss")
    assert failed.exit_code == 1, failed.output
    # refused by the plan check, before anything runs (not when the run comes to that step)
    assert "cannot roll back to 0001: revision 0002" in failed.stderr, failed.stderr
    assert "column item.v to VARCHAR(10), which 1 row of item holds a value" in failed.stderr, failed.stderr
    assert snapshot(config) == before


@pytest.mark.parametrize("dialect", ["mariadb"])
def test_mariadb_sessions_are_strict(db_url: str) -> None:
    # A server (or URL) whose sessions start without strict mode: the project's sessions add it.
    lax = sa.make_url(db_url).update_query_dict({"init_command": "SET SESSION sql_mode = ''"})
    engine = create_engine(lax.render_as_string(hide_password=False), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            assert "STRICT_TRANS_TABLES" in conn.exec_driver_sql("SELECT @@SESSION.sql_mode").scalar_one()
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------------------
# 2. Data loss is announced before anything runs, and needs consent
# ---------------------------------------------------------------------------------------------

SHOP = {
    "0001": '''
        op.create_table("customer", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)),
                        sa.Column("nick", sa.String(20)))
        op.create_table("empty", sa.Column("id", sa.Integer, primary_key=True))
    ''',
    "0002": '''
        op.drop_column("customer", "nick")
        op.drop_table("empty")
        op.alter_column("customer", "name", type_=sa.String(30))
        op.create_table("scratch", sa.Column("id", sa.Integer, primary_key=True))
        op.drop_table("scratch")
    ''',
}


def _shop(tmp_path: Path, url: str) -> Config:
    config = project(tmp_path, url, revisions=SHOP)
    assert cli(config, "apply", "--to", "0001").exit_code == 0
    run_sql(url, "INSERT INTO customer (id, name, nick) VALUES (1, 'Ada', 'ada'), (2, 'Grace', NULL), (3, NULL, 'x')")
    return config


LOSSES_0002 = [
    "schema-ledger: data loss: column customer.nick is dropped with its data: 2 non-null values (revision 0002)",
    "schema-ledger: data loss: column customer.name narrows from VARCHAR(40) to VARCHAR(30): 2 non-null values "
    "(revision 0002)",
]


def test_apply_names_the_data_it_loses_and_refuses_without_consent(tmp_path: Path, db_url: str) -> None:
    config = _shop(tmp_path, db_url)
    before = snapshot(config)
    refused = cli(config, "apply")
    assert refused.exit_code == 1, refused.output
    lines = refused.stderr.splitlines()
    # Only what holds data is named (the empty table and the table made in the run are not), before
    # anything ran (no progress line), with the error last.
    assert lines[:-1] == LOSSES_0002, lines
    assert lines[-1] == ("schema-ledger: error: apply would lose the data of the 2 tables/columns above; nothing was "
                         "run (give --allow-data-loss to go on; no terminal to ask)")
    assert snapshot(config) == before

    sql = cli(config, "apply", "--sql")
    assert sql.exit_code == 0, sql.output
    assert sql.stdout.splitlines()[:2] == [line.replace("schema-ledger: data loss:", "-- data loss:")
                                           for line in LOSSES_0002]
    assert snapshot(config) == before

    done = cli(config, "apply", "--allow-data-loss")
    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines()[:2] == LOSSES_0002
    assert rows(db_url, "SELECT id, name FROM customer ORDER BY id") == [(1, "Ada"), (2, "Grace"), (3, None)]


def test_rollback_names_the_data_it_loses_and_refuses_without_consent(tmp_path: Path, db_url: str) -> None:
    config = _shop(tmp_path, db_url)
    before = snapshot(config)
    refused = cli(config, "rollback", "--to", "base")
    assert refused.exit_code == 1, refused.output
    lines = refused.stderr.splitlines()
    assert lines[0].startswith("schema-ledger: data loss: table customer is dropped with its rows: 3 rows "
                               "(revision 0001, seq ")
    assert len(lines) == 2 and lines[1].startswith("schema-ledger: error: rollback would lose the data of the 1 ")
    assert snapshot(config) == before

    sql = cli(config, "rollback", "--to", "base", "--sql")
    assert sql.exit_code == 0 and sql.stdout.startswith("-- data loss: table customer is dropped with its rows: 3 rows")
    assert snapshot(config) == before

    done = cli(config, "rollback", "--to", "base", "--allow-data-loss")
    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines()[0] == lines[0]
    # A rollback that loses nothing asks nothing.
    assert cli(config, "apply", "--to", "0001").exit_code == 0
    assert cli(config, "rollback", "--to", "base").exit_code == 0


def test_every_count_of_a_long_plan_belongs_to_its_table_and_column(tmp_path: Path, db_url: str) -> None:
    # More counts than one SELECT takes (dataloss.CHUNK), over more tables than MySQL joins (61):
    # table tN holds N % 5 rows and N % 3 non-null notes; the rollback drops each note, then each table.
    tables = 130
    config = project(tmp_path, db_url, revisions={
        "0001": f"""
            for n in range({tables}):
                op.create_table(f"t{{n}}", sa.Column("id", sa.Integer, primary_key=True))
        """,
        "0002": f"""
            for n in range({tables}):
                op.add_column(f"t{{n}}", sa.Column("note", sa.String(8)))
        """,
    })
    assert cli(config, "apply").exit_code == 0
    run_sql(db_url, *(f"INSERT INTO t{n} (id, note) VALUES ({i + 1}, {'NULL' if i >= n % 3 else repr(str(i))})"
                      for n in range(tables) for i in range(n % 5)))
    sql = cli(config, "rollback", "--to", "base", "--sql")
    assert sql.exit_code == 0, sql.output
    said = sorted(line.split(" (revision ")[0] for line in sql.stdout.splitlines() if line.startswith("-- data loss:"))
    expected = sorted([f"-- data loss: table t{n} is dropped with its rows: {n % 5} row{'s' if n % 5 != 1 else ''}"
                       for n in range(tables) if n % 5]
                      + [f"-- data loss: column t{n}.note is dropped with its data: {k} non-null value"
                         f"{'s' if k != 1 else ''}" for n in range(tables) if (k := min(n % 3, n % 5))])
    assert said == expected


@pytest.mark.parametrize("dialect", ["sqlite"])
@pytest.mark.parametrize("answer, code", [("n", 1), ("y", 0)])
def test_on_a_terminal_the_user_is_asked(tmp_path: Path, db_url: str, answer: str, code: int) -> None:
    import os
    import pty
    import subprocess
    import sys

    config = _shop(tmp_path, db_url)
    before = snapshot(config)
    controller, terminal = pty.openpty()
    env = dict(os.environ, SCHEMA_LEDGER_URL=db_url, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    process = subprocess.Popen([sys.executable, "-m", "ledger", "apply", "-q"], cwd=tmp_path, env=env,
                               stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(terminal)
    os.write(controller, f"{answer}\n".encode())
    out, err = process.communicate(timeout=120)
    os.close(controller)
    assert process.returncode == code, (out, err)
    assert err.startswith(LOSSES_0002[0] + "\n" + LOSSES_0002[1] + "\napply loses the data of the 2 tables/columns "
                          "above. Go on? [y/N]: ")
    if code:
        assert "schema-ledger: error: apply not confirmed: nothing was run" in err
        assert snapshot(config) == before
    else:
        assert out.startswith("applied 1 revision")


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_a_sqlite_batch_checks_its_narrowing_against_the_table_it_starts_from(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url, revisions={
        "0001": 'op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String(40)),'
                ' sa.Column("w", sa.String(40)))',
        "0002": '''
            with op.batch_alter_table("item") as batch_op:
                batch_op.alter_column("v", type_=sa.String(10))
                batch_op.alter_column("w", new_column_name="w2")
                batch_op.alter_column("w2", type_=sa.String(10))
        ''',
    })
    assert cli(config, "apply", "--to", "0001").exit_code == 0
    run_sql(db_url, "INSERT INTO item (id, v, w) VALUES (1, 'short', 'abcdefghijklmnopqrstuvwxyz')")
    done = cli(config, "apply", "--allow-data-loss")
    # w2 is not in the table the batch starts from, so only v is checked (SQLite keeps w2's value as it is).
    assert done.exit_code == 0, done.output
    run_sql(db_url, "INSERT INTO item (id, v) VALUES (2, 'fits')")
    assert cli(config, "verify", "--live").exit_code == 0


#: a table partitioned by LIST, a partition partitioned again by RANGE with one leaf, and a DEFAULT partition
_PARTITIONED = '''
    op.create_table("prefs", sa.Column("id", sa.Integer, nullable=False), sa.Column("is_latest", sa.Boolean,
                    nullable=False), postgresql_partition_by="LIST (is_latest)")
    op.create_table("prefs_current", sa.Column("id", sa.Integer, nullable=False), sa.Column("is_latest", sa.Boolean,
                    nullable=False), postgresql_partition_of="prefs", postgresql_partition_bound="FOR VALUES IN (true)",
                    postgresql_partition_by="RANGE (id)")
    op.create_table("prefs_current_low", sa.Column("id", sa.Integer, nullable=False), sa.Column("is_latest",
                    sa.Boolean, nullable=False), postgresql_partition_of="prefs_current",
                    postgresql_partition_bound="FOR VALUES FROM (0) TO (100)")
    op.create_table("prefs_rest", sa.Column("id", sa.Integer, nullable=False), sa.Column("is_latest", sa.Boolean,
                    nullable=False), postgresql_partition_of="prefs", postgresql_partition_bound="DEFAULT")
'''


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_the_rows_of_a_partitioned_table_are_counted_once(tmp_path: Path, db_url: str) -> None:
    # PostgreSQL counts the rows of the partitions on the partitioned table: its drop, which takes
    # them, counts them once; a plan that drops the partitions first counts each on its own and the
    # partitioned table, empty by then, not again
    config = project(tmp_path, db_url, revisions={"0001": _PARTITIONED, "0002": 'op.drop_table("prefs")'})
    assert cli(config, "apply", "--to", "0001").exit_code == 0
    run_sql(db_url, "INSERT INTO prefs (id, is_latest) VALUES (1, true), (2, true), (3, false), (4, false), (5, false)")
    before = snapshot(config)
    refused = cli(config, "apply")
    assert refused.exit_code == 1, refused.output
    assert refused.stderr.splitlines() == [
        "schema-ledger: data loss: table prefs is dropped with its rows: 5 rows (revision 0002)",
        "schema-ledger: error: apply would lose the data of the 1 table/column above; nothing was run "
        "(give --allow-data-loss to go on; no terminal to ask)"]
    assert snapshot(config) == before

    undone = cli(config, "rollback", "--to", "base", "--sql")
    assert undone.exit_code == 0, undone.output
    said = [line.split(" (revision ")[0] for line in undone.stdout.splitlines() if line.startswith("-- data loss:")]
    assert sorted(said) == ["-- data loss: table prefs_current_low is dropped with its rows: 2 rows",
                            "-- data loss: table prefs_rest is dropped with its rows: 3 rows"]
    refused = cli(config, "rollback", "--to", "base")
    assert refused.exit_code == 1 and "would lose the data of the 2 tables/columns" in refused.stderr
    assert snapshot(config) == before

    done = cli(config, "apply", "--allow-data-loss")
    assert done.exit_code == 0, done.output
    assert rows(db_url, "SELECT COUNT(*) FROM pg_class WHERE relname IN ('prefs', 'prefs_current', 'prefs_current_low', 'prefs_rest')") == [(0,)]
    # the rollback makes them again, empty: nothing to lose, nothing asked
    assert cli(config, "rollback", "--to", "base").exit_code == 0
