"""The runner's contract, on SQLite, PostgreSQL and MariaDB.

Every op of the example project applies; after each revision the reflected live schema
equals the fold of the ledger and the hash chain verifies; re-running apply changes nothing;
a failing revision leaves schema and ledger as before (PostgreSQL, SQLite) or an in-doubt
intent that status reports (MariaDB); four concurrent appliers apply each revision once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.storage.db import dialect_of
from ledger.format.events import fold_events, verify_chain
from ledger.project.revisions import RevisionError, load_revisions
from ledger.run.apply import ApplyError, InDoubtError, apply
from ledger.storage.session import store_for
from ledger.inspect.status import log_events, status
from ops import SchemaState
from tests.builders import assert_live_equals_fold, engine_for, events, live_schema, project, rows, write_revision
from tests.examples import examples


# ---------------------------------------------------------------------------------------------
# The contract
# ---------------------------------------------------------------------------------------------


def test_every_revision_applies_and_live_equals_fold(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention)
    mysql = dialect_of(db_url) == "mysql"
    for position, revision in enumerate(chain, start=1):
        result = apply(config, chain=chain, to=revision.id, why=f"step {position}", by="tester")
        assert [a.revision.id for a in result.applied] == [revision.id]
        fold = fold_events(assert_live_equals_fold(config))
        recorded = [e for e in events(config) if e.revision == revision.id]
        applies = [e for e in recorded if e.kind == "apply"]
        # Each op is recorded completed (so that it can be reversed), in the order upgrade() issued it.
        assert [e.op_type for e in applies] == [op.op_tag for op in revision.ops]
        assert all(e.op is not None and (e.op.reversible or e.op_type == "execute") for e in applies)
        assert {e.revision_checksum for e in recorded} == {revision.checksum}
        assert {e.message for e in recorded} == {f"step {position}"}
        assert {e.actor.by for e in recorded} == {"tester"}
        assert Counter(e.kind for e in recorded) == (
            Counter(apply=len(revision.ops), intent=len(revision.ops)) if mysql else Counter(apply=len(revision.ops))
        )
    assert set(fold.tables) == {(None, "customers"), (None, "products"), (None, "orders"), (None, "order_items")}
    # 0007's execute inserted the gift card; its reverse_sql is kept with the event.
    assert rows(config, "SELECT sku FROM products") == [("GIFT-25",)]
    report = status(config, chain=chain)
    assert report.current == "0008" and report.pending == () and report.problems == []


def test_reapply_changes_nothing(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    first = apply(config)
    assert len(first.applied) == 8
    before = events(config)
    second = apply(config)
    assert second.applied == ()
    assert second.head == first.head
    assert events(config) == before


def test_ledger_refuses_update_and_delete(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    apply(config, to="0001")
    with engine_for(db_url) as engine:
        for statement in ("UPDATE schema_ledger SET message = 'x'", "DELETE FROM schema_ledger"):
            with pytest.raises(sa.exc.DBAPIError, match="schema-ledger"):
                with engine.begin() as conn:
                    conn.exec_driver_sql(statement)
    assert verify_chain(events(config)) == []


FAILING = """
    op.add_column("customers", sa.Column("vip", sa.Boolean, nullable=True))
    op.create_index("ix_customers_vip", "customers", ["vip"])
    op.execute("INSERT INTO no_such_table VALUES (1)")
"""


#: fits on any schema: a table of its own, then a statement that fails
FAILING_ANYWHERE = """
    op.create_table("vip", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO no_such_table VALUES (1)")
"""


def test_failing_revision_leaves_schema_and_ledger_as_before(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    apply(config, to="0003")
    before_events = events(config)
    before_state = live_schema(config)
    # The failing revision takes the place of 0004..0008 on top of 0003.
    for path in config.migrations_dir.glob("000[4-8]_*.py"):
        path.unlink()
    write_revision(config.migrations_dir, "9999", "0003", FAILING, name="9999_failing.py")
    with pytest.raises(ApplyError) as info:
        apply(config)
    message = str(info.value)
    assert "9999" in message and "execute INSERT INTO no_such_table" in message
    assert "no_such_table" in message.split("execute", 1)[1]
    if dialect_of(db_url) == "mysql":
        # DDL committed op by op: the two ops that ran are recorded, the failed one is in doubt.
        after = events(config)
        new = after[len(before_events):]
        assert [e.kind for e in new] == ["intent", "apply", "intent", "apply", "intent"]
        assert "in doubt" in message
        report = status(config)
        assert [e.seq for e in report.in_doubt] == [new[-1].seq]
        assert any("in doubt" in p for p in report.problems)
        with pytest.raises(InDoubtError, match=f"seq {new[-1].seq}"):
            apply(config)
        assert events(config) == after
    else:
        assert "nothing of the revision was applied or recorded" in message
        assert events(config) == before_events
        assert live_schema(config) == before_state
        assert status(config).problems == []


def test_one_transaction_failure_leaves_schema_and_ledger_as_before_the_run(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    apply(config, to="0002")
    before_events = events(config)
    before_state = live_schema(config)
    # 0003..0008 run and are recorded in the same transaction before 9999 fails.
    write_revision(config.migrations_dir, "9999", "0008", FAILING, name="9999_failing.py")
    if dialect_of(db_url) == "mysql":
        with pytest.raises(ApplyError, match="--one-transaction needs transactional DDL"):
            apply(config, one_transaction=True)
        assert events(config) == before_events
        return
    with pytest.raises(ApplyError) as info:
        apply(config, one_transaction=True)
    assert "9999" in str(info.value) and "nothing of this run was applied or recorded" in str(info.value)
    assert events(config) == before_events
    assert live_schema(config) == before_state
    assert status(config).problems == []
    result = apply(config, to="0008", one_transaction=True)
    assert [a.revision.id for a in result.applied] == [f"{n:04d}" for n in range(3, 9)]
    # The same events as revision by revision: one ledger, whichever way it was applied.
    chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention)
    recorded = events(config)
    assert [(e.revision, e.op_type) for e in recorded] == [
        (r.id, op.op_tag) for r in chain if r.id != "9999" for op in r.ops]
    assert_live_equals_fold(config)


@settings(max_examples=examples(8))
@given(good=st.integers(min_value=0, max_value=8))
def test_one_transaction_is_all_or_nothing_wherever_the_failure_is(
    tmp_path_factory: pytest.TempPathFactory, database_factory: Callable[[str], str], good: int
) -> None:
    """A failing revision after any number of good ones: nothing of the run stays (SQLite)."""
    config = project(tmp_path_factory.mktemp("onetx"), database_factory("sqlite"))
    for path in config.migrations_dir.glob("*.py"):
        if int(path.name[:4]) > good:
            path.unlink()
    write_revision(config.migrations_dir, "9999", f"{good:04d}" if good else None, FAILING_ANYWHERE, name="9999_failing.py")
    with pytest.raises(ApplyError, match="nothing of this run was applied or recorded"):
        apply(config, one_transaction=True)
    assert events(config) == []
    assert live_schema(config) == SchemaState()


def test_apply_and_rollback_write_a_snapshot_every_k_events(tmp_path: Path, db_url: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from ledger.storage import snapshots
    from ledger.run.rollback import rollback

    monkeypatch.setattr(snapshots, "EVERY", 4)
    config = project(tmp_path, db_url)
    apply(config, to="0005")
    rollback(config, to="0002")
    apply(config)
    recorded = events(config)
    with engine_for(config.url) as engine, engine.connect() as conn:
        keys = snapshots.SnapshotStore(store_for(config)).keys(conn)
        states = {seq: snapshots.SnapshotStore(store_for(config)).get(conn, seq) for seq in keys}
    assert sorted(keys) == [e.seq for e in recorded if e.seq % 4 == 0]
    for seq, snapshot in states.items():
        assert snapshot is not None and snapshot.intact()
        assert snapshot.hash == recorded[seq - 1].hash
        assert snapshot.state() == fold_events(recorded[:seq])


def test_an_op_that_does_not_fit_stops_the_run_before_anything_runs(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url, revisions={})
    write_revision(config.migrations_dir, "a", None, 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))', name="a.py")
    write_revision(config.migrations_dir, "b", "a", 'op.drop_column("t", "nope")', name="b.py")
    with pytest.raises(RevisionError, match=r"b\.py: revision b, drop column t\.nope: .*does not exist"):
        apply(config)
    with engine_for(db_url) as engine, engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == []
    assert events(config) == []


def test_empty_revision_is_recorded_once(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url, revisions={})
    write_revision(config.migrations_dir, "a", None, "pass", name="a.py")
    result = apply(config)
    assert [(e.kind, e.revision, e.payload) for e in events(config)] == [("apply", "a", None)]
    assert result.applied[0].events[0].op is None
    assert apply(config).applied == ()
    assert status(config).current == "a"


def test_status_reports_changed_files_and_pending(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    apply(config, to="0002")
    report = status(config)
    assert report.current == "0002"
    assert report.pending == ("0003", "0004", "0005", "0006", "0007", "0008")
    assert report.head is not None and report.head.seq == len(events(config))
    assert report.problems == []
    path = config.migrations_dir / "0002_products.py"
    path.write_text(path.read_text().replace("String(200)", "String(300)"))
    report = status(config)
    assert [r.id for r in report.mismatched] == ["0002"]
    assert any("0002" in p and "changed" in p for p in report.problems)
    # A formatting change alone is not a change.
    path.write_text(path.read_text().replace("String(300)", "String(200)") + "\n# a comment\n")
    assert status(config).problems == []


def test_log_filters(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    apply(config)
    everything = log_events(config)
    assert [e.seq for e in everything] == list(range(1, len(everything) + 1))
    orders = log_events(config, table="orders")
    assert orders and all(e.table_name == "orders" for e in orders)
    assert {e.revision for e in log_events(config, revision="0006")} == {"0006"}
    first = everything[0]
    import datetime as dt

    moment = dt.datetime.strptime(first.recorded_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    assert log_events(config, until=moment)[0].seq == 1
    assert log_events(config, since=moment + dt.timedelta(days=1)) == []


# ---------------------------------------------------------------------------------------------
# --sql
# ---------------------------------------------------------------------------------------------


def test_sql_changes_nothing_and_continues_from_the_ledger(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    fresh = apply(config, sql_only=True)
    assert any("CREATE TABLE schema_ledger" in s or "CREATE TABLE `schema_ledger`" in s for s in fresh.sql)
    with engine_for(db_url) as engine, engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == []
    apply(config, to="0006")
    head = events(config)[-1]
    rest = apply(config, sql_only=True)
    text = "\n".join(rest.sql)
    assert "CREATE TABLE schema_ledger" not in text
    assert "0006" not in [a.revision.id for a in rest.applied]
    assert [a.revision.id for a in rest.applied] == ["0007", "0008"]
    assert f"'{head.hash}'" in text  # the first new event chains onto the current head
    assert "INSERT INTO" in text and "DELETE FROM products WHERE sku" in text
    assert events(config)[-1] == head


def test_sql_output_runs_and_gives_a_valid_ledger_on_sqlite(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    url = database_factory("sqlite")
    config = project(tmp_path, url)
    script = ";\n".join(apply(config, sql_only=True).sql) + ";"
    with engine_for(url) as engine:
        raw = engine.raw_connection()
        try:
            raw.driver_connection.executescript(script)  # type: ignore[union-attr]
        finally:
            raw.close()
    assert_live_equals_fold(config)
    assert apply(config).applied == ()


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@settings(max_examples=examples(10))
@given(cuts=st.lists(st.integers(min_value=1, max_value=8), max_size=4))
def test_applying_in_any_steps_gives_the_same_ledger(
    tmp_path_factory: pytest.TempPathFactory, database_factory: Callable[[str], str], cuts: list[int]
) -> None:
    """Where the runs stop does not change what is recorded, only when: same ops, same fold."""
    folder = tmp_path_factory.mktemp("steps")
    config = project(folder, database_factory("sqlite"))
    for cut in sorted(cuts):
        apply(config, to=f"{cut:04d}")
    apply(config)
    recorded = events(config)
    chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention)
    assert [(e.revision, e.op_type) for e in recorded] == [(r.id, op.op_tag) for r in chain for op in r.ops]
    assert verify_chain(recorded) == []
    assert fold_events(recorded) == SchemaState.fold(
        op for op in (e.op for e in recorded) if op is not None
    )


# ---------------------------------------------------------------------------------------------
# Concurrency
# ---------------------------------------------------------------------------------------------


def test_four_concurrent_appliers_apply_each_revision_once(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    env = dict(os.environ, SCHEMA_LEDGER_URL=db_url)
    runners = [
        subprocess.Popen([sys.executable, "-m", "ledger", "apply", "-q", "--by", f"runner-{i}"], cwd=tmp_path,
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(4)
    ]
    outcomes = [(r.wait(timeout=300), r.stdout.read(), r.stderr.read()) for r in runners]  # type: ignore[union-attr]
    assert [code for code, _, _ in outcomes] == [0, 0, 0, 0], outcomes
    recorded = events(config)
    chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention)
    applies = Counter(e.revision for e in recorded if e.kind == "apply")
    assert applies == Counter({r.id: len(r.ops) for r in chain})
    assert verify_chain(recorded) == []
    assert_live_equals_fold(config)
    # However the runners interleaved, together they applied each revision once.
    counts = [re.match(r"applied (\d+) revision", out) for _, out, _ in outcomes]
    assert sum(int(m.group(1)) for m in counts if m) == len(chain)
    assert all(m or out.startswith("nothing to apply") for m, (_, out, _) in zip(counts, outcomes, strict=True))


# ---------------------------------------------------------------------------------------------
# Batch blocks and data
# ---------------------------------------------------------------------------------------------


def test_batch_block_keeps_rows_and_is_one_rebuild_on_sqlite(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url)
    apply(config, to="0005")
    with engine_for(db_url) as engine, engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO customers (id, email, name) VALUES (1, 'a@example.com', 'A')")
        conn.exec_driver_sql("INSERT INTO orders (id, customer_id, status, placed_at) "
                             "VALUES (10, 1, 'paid', '2026-01-02 03:04:05')")
    result = apply(config, to="0006")
    statements = result.applied[0].statements
    if dialect_of(db_url) == "sqlite":
        # add column + check constraint + alter column: one table rebuild for the whole block
        assert sum(1 for s in statements if s.startswith("CREATE TABLE")) == 1
    assert rows(config, "SELECT id, customer_id, status, note FROM orders") == [(10, 1, "paid", None)]
    assert_live_equals_fold(config)


def test_a_trigger_made_earlier_in_a_batch_block_is_kept_by_its_rebuild_on_sqlite(
        tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    """The batch's SQL runs before the rebuild it shares a block with: the rebuild reads the table's
    triggers after it ran, so the trigger that SQL made is made again on the rebuilt table, as the
    ledger, which holds that trigger, says."""
    config = project(tmp_path, database_factory("sqlite"), revisions={
        "r1": 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer), '
              'sa.Column("log", sa.Integer))',
        "r2": """
            with op.batch_alter_table("t") as batch_op:
                batch_op.execute("CREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN UPDATE t SET log = 1 WHERE id = NEW.id; END",
                                 reverse_sql="DROP TRIGGER t_touch")
                batch_op.alter_column("a", existing_type=sa.Integer, nullable=False)
        """})
    apply(config)
    assert rows(config, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 't'") == [("t_touch",)]
    with engine_for(config.url) as engine, engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO t (id, a) VALUES (1, 2)")
        conn.exec_driver_sql("UPDATE t SET a = 3")
    assert rows(config, "SELECT log FROM t") == [(1,)]
    assert_live_equals_fold(config)


def test_live_equals_fold_check_sees_drift(tmp_path: Path, db_url: str) -> None:
    """The contract check above can fail: a change made behind the ledger's back is seen."""
    config = project(tmp_path, db_url)
    apply(config, to="0001")
    with engine_for(db_url) as engine, engine.begin() as conn:
        conn.exec_driver_sql("CREATE INDEX ix_drift ON customers (email, name)")
    with pytest.raises(AssertionError, match="ix_drift"):
        assert_live_equals_fold(config)


def test_changed_file_warns_and_partly_applied_revision_stops(tmp_path: Path,
                                                              database_factory: Callable[[str], str]) -> None:
    from ledger.format.events import Actor
    from ledger.project.revisions import load_revision

    config = project(tmp_path, database_factory("sqlite"))
    apply(config, to="0001")
    path = config.migrations_dir / "0001_customers.py"
    path.write_text(path.read_text() + '    op.create_index("ix_customers_email_name", "customers", ["email", "name"])\n')
    # One more op in an applied file: a changed file, not a partly applied revision.
    result = apply(config, to="0002")
    assert [a.revision.id for a in result.applied] == ["0002"]
    assert len(result.warnings) == 1 and "0001" in result.warnings[0] and "changed" in result.warnings[0]

    # A revision of which only some ops are in effect (as an abandoned intent leaves it) stops apply.
    other = project(tmp_path / "other", database_factory("sqlite"))
    first = load_revision(other.migrations_dir / "0001_customers.py")
    with engine_for(other.url) as engine, engine.begin() as conn:
        store = store_for(other)
        store.create(conn)
        op = first.ops[0]
        from ledger import dialects

        dialects.execute(conn, dialects.ddl(op, SchemaState(), "sqlite", conn=conn))
        store.append(conn, kind="apply", op=op, revision="0001", message=None, actor=Actor.current(),
                     revision_checksum=first.checksum)
    with pytest.raises(ApplyError, match="revision 0001 is partly applied .1 of 2"):
        apply(other)


def test_revision_inserted_below_applied_ones_is_refused(tmp_path: Path,
                                                         database_factory: Callable[[str], str]) -> None:
    config = project(tmp_path, database_factory("sqlite"))
    apply(config, to="0005")
    before = events(config)
    write_revision(config.migrations_dir, "0003b", "0003", 'op.execute("SELECT 1", reverse_sql="SELECT 1")', name="0003b_late.py")
    path = config.migrations_dir / "0004_wishlists.py"
    path.write_text(path.read_text().replace('down_revision = "0003"', 'down_revision = "0003b"'))
    with pytest.raises(RevisionError, match="revision 0003b is not applied but its descendant 0005 is"):
        apply(config)
    assert events(config) == before


def _commit_log() -> tuple[list[str], Callable[[], None]]:
    """What every engine runs (statements, and ``COMMIT`` for each commit), until the returned stop()."""
    log: list[str] = []

    def statement(_conn: sa.Connection, _cursor: object, sql: str, *_args: object) -> None:
        log.append(sql)

    def commit(_conn: sa.Connection) -> None:
        log.append("COMMIT")

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", statement)
    sa.event.listen(sa.engine.Engine, "commit", commit)

    def stop() -> None:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", statement)
        sa.event.remove(sa.engine.Engine, "commit", commit)

    return log, stop


@pytest.mark.parametrize("fails", [False, True])
def test_postgresql_revisions_commit_quickly_and_the_run_ends_durable(
    tmp_path: Path, database_factory: Callable[[str], str], fails: bool,
) -> None:
    """Each revision commits with ``synchronous_commit = off`` (no wait for the disk per revision);
    after the last one, also when a revision failed, one commit made as configured flushes the
    WAL, and with it every commit before it."""
    config = project(tmp_path, database_factory("postgresql"))
    if fails:
        for path in config.migrations_dir.glob("000[4-8]_*.py"):
            path.unlink()
        write_revision(config.migrations_dir, "9999", "0003", FAILING, name="9999_failing.py")
    log, stop = _commit_log()
    try:
        if fails:
            with pytest.raises(ApplyError):
                apply(config)
        else:
            apply(config)
    finally:
        stop()
    quick = log.index("SET synchronous_commit = off")
    # A revision's DDL, its events' INSERT and its COMMIT may go as one message.
    ledger_inserts = [i for i, sql in enumerate(log) if "INSERT INTO schema_ledger " in sql]
    assert ledger_inserts and all(i > quick for i in ledger_inserts)
    back = log.index("SET synchronous_commit TO DEFAULT")
    assert back > ledger_inserts[-1]
    assert log[back:back + 3] == ["SET synchronous_commit TO DEFAULT", "SELECT txid_current()", "COMMIT"]


def test_postgresql_events_sent_with_their_commit_keep_every_character(
    tmp_path: Path, database_factory: Callable[[str], str],
) -> None:
    """On PostgreSQL a revision's events go to the server in the same round trip as its COMMIT,
    written as SQL literals: quotes, backslashes, percent signs and other scripts come back as
    they were recorded, and the hash chain verifies."""
    from ledger.inspect.audit import verify

    url = database_factory("postgresql")
    config = project(tmp_path, url)
    for path in config.migrations_dir.glob("000[2-8]_*.py"):
        path.unlink()
    tricky = "it's a \\\\ test, 100% 'quoted' \\n ; COMMIT; -- ünïcødé 表"
    write_revision(config.migrations_dir, "0002", "0001", f"""
        op.add_column("customers", sa.Column("note", sa.String(200), server_default={tricky!r}))
    """, name="0002_note.py")
    log, stop = _commit_log()
    try:
        apply(config, why=tricky, by="o'brien \\\\ %s")
    finally:
        stop()
    # Sent with the COMMIT, in one message.
    assert any(sql.startswith("INSERT INTO schema_ledger ") and sql.endswith("; COMMIT") for sql in log)
    recorded = events(config)
    assert {e.message for e in recorded} == {tricky}
    assert {e.actor.by for e in recorded} == {"o'brien \\\\ %s"}
    def strings(value: object) -> list[object]:
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [value]

    assert recorded[-1].payload is not None and tricky in strings(json.loads(recorded[-1].payload))
    report = verify(config)
    assert report.ok, report


def test_postgresql_a_revision_sent_as_one_message_names_what_failed(
    tmp_path: Path, database_factory: Callable[[str], str],
) -> None:
    """On PostgreSQL a revision's DDL, its events' INSERT and its COMMIT may go as one message:
    a failing DDL statement is still named with its revision and op, a failing INSERT is told
    apart from it, and either way nothing of the revision is applied or recorded."""
    url = database_factory("postgresql")
    config = project(tmp_path, url, revisions={
        "r1": 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
        "r2": 'op.execute("INSERT INTO no_such_table VALUES (1)")',
    })
    with pytest.raises(ApplyError) as info:
        apply(config)
    message = str(info.value)
    assert "revision r2" in message and "execute INSERT INTO no_such_table" in message, message
    assert 'relation "no_such_table" does not exist;' in message and "LINE" not in message, message
    assert "nothing of the revision was applied" in message
    assert [e.revision for e in events(config)] == ["r1"]

    # The ledger refuses r3's event (a trigger of the test's): the INSERT failed, not the DDL.
    write_revision(config.migrations_dir, "r2", "r1", 'op.add_column("t", sa.Column("y", sa.Integer))')
    write_revision(config.migrations_dir, "r3", "r2", 'op.add_column("t", sa.Column("z", sa.Integer))')
    rows(url, "CREATE FUNCTION refuse_r3() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
              "IF NEW.revision = 'r3' THEN RAISE EXCEPTION 'r3 refused'; END IF; RETURN NEW; END $$")
    rows(url, "CREATE TRIGGER refuse_r3 BEFORE INSERT ON schema_ledger FOR EACH ROW EXECUTE FUNCTION refuse_r3()")
    with pytest.raises(ApplyError) as info:
        apply(config)
    message = str(info.value)
    assert "revision r3" in message and "r3 refused" in message and "add_column" not in message, message
    assert "rolled back: nothing of the revision was applied or recorded" in message, message
    assert [e.revision for e in events(config)] == ["r1", "r2"]
    assert [c for (c,) in rows(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 't' "
                                    "ORDER BY ordinal_position")] == ["id", "y"]


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_sqlite_a_run_sees_what_another_connection_applied_between_its_revisions(tmp_path: Path, db_url: str) -> None:
    """On SQLite each revision's transaction takes the write lock anew: what another run committed
    in between is read before the next revision (the ledger is not read again only while no other
    connection has committed, ``PRAGMA data_version``)."""
    config = project(tmp_path, db_url, revisions={
        f"r{n}": f'op.create_table("t{n}", sa.Column("id", sa.Integer, primary_key=True))' for n in range(1, 5)})
    others: list[list[str]] = []

    def progress(revision: object, _position: int, _total: int, done: bool) -> None:
        if done and not others:
            others.append([a.revision.id for a in apply(config).applied])

    result = apply(config, progress=progress)
    assert others == [["r2", "r3", "r4"]]
    assert [a.revision.id for a in result.applied] == ["r1"]
    assert [e.revision for e in events(config) if e.kind == "apply"] == ["r1", "r2", "r3", "r4"]
    assert verify_chain(events(config)) == []


def test_postgresql_one_transaction_sends_the_run_as_one_message_and_names_what_failed(
    tmp_path: Path, database_factory: Callable[[str], str],
) -> None:
    """With ``one_transaction`` on PostgreSQL the revisions' DDL goes with the events' INSERT and the
    COMMIT as one message: a statement with a line comment runs on its own (the comment would take
    the ";" after it), a failing statement is named with its revision and op, and nothing of the run
    is applied or recorded."""
    url = database_factory("postgresql")
    config = project(tmp_path, url, revisions={
        "r1": 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
        "r2": 'op.execute("ALTER TABLE t ADD COLUMN x INTEGER -- the x")',
        "r3": 'op.add_column("t", sa.Column("y", sa.Integer))',
        "r4": 'op.execute("INSERT INTO no_such_table VALUES (1)")',
        "r5": 'op.add_column("t", sa.Column("z", sa.Integer))',
    })
    with pytest.raises(ApplyError) as info:
        apply(config, one_transaction=True)
    message = str(info.value)
    assert "revision r4" in message and "execute INSERT INTO no_such_table" in message, message
    assert "nothing of this run was applied or recorded" in message, message
    assert events(config) == [] and rows(url, "SELECT to_regclass('t')") == [(None,)]

    write_revision(config.migrations_dir, "r4", "r3", 'op.add_column("t", sa.Column("w", sa.Integer))')
    log, stop = _commit_log()
    try:
        apply(config, one_transaction=True)
    finally:
        stop()
    sent = [sql for sql in log if "INSERT INTO schema_ledger " in sql]
    assert len(sent) == 1 and sent[0].endswith("; COMMIT"), sent
    ddl = sent[0].split("INSERT INTO schema_ledger ")[0]
    assert "ADD COLUMN y INTEGER;" in ddl and "ADD COLUMN z INTEGER;" in ddl and "the x" not in ddl, ddl
    assert [e.revision for e in events(config)] == ["r1", "r2", "r3", "r4", "r5"]
    assert [c for (c,) in rows(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 't' "
                                    "ORDER BY ordinal_position")] == ["id", "x", "y", "w", "z"]
