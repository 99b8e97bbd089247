"""Snapshots: the state at a point from a snapshot equals the fold; a snapshot that is not the fold is
not trusted by the read and is named by the check."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings, strategies as st

from benchmarks.generate import build_big_ledger
from ledger import dialects
from ledger.storage.db import create_engine
from ledger.format.events import fold_events
from ledger.storage.snapshots import SnapshotCheck, SnapshotStore, build, decode_state, encode_state, state_at
from ledger.storage.store import LedgerStore
from ops import LedgerFormatError, SchemaState
from tests.examples import examples
from tests.strategies import schema_states

EVENTS = 600


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> sa.Engine:
    path = tmp_path_factory.mktemp("snap") / "ledger.db"
    build_big_ledger(f"sqlite:///{path}", EVENTS, tables=20)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        assert build(conn, LedgerStore(), every=100) == [100, 200, 300, 400, 500, 600]
    return engine


@given(schema_states())
@settings(max_examples=examples(20), deadline=None)
def test_encode_decode_state(state: SchemaState) -> None:
    assert decode_state(encode_state(state)) == state


@given(seq=st.integers(min_value=0, max_value=EVENTS))
@settings(max_examples=examples(25), deadline=None)
def test_state_at_equals_the_fold(ledger: sa.Engine, seq: int) -> None:
    store = LedgerStore()
    with ledger.connect() as conn:
        state, start = state_at(conn, store, seq)
        assert start == seq // 100 * 100
        assert state == fold_events(store.events(conn, upto_seq=seq))


def test_state_at_keeps_the_rules_of_the_database(ledger: sa.Engine) -> None:
    """A state read from a snapshot keeps names apart and takes foreign keys as the ledger's database
    does (outside equality, so the fold's comparison above does not see them), its name index so made."""
    store = LedgerStore()
    with ledger.connect() as conn:
        state, start = state_at(conn, store, 350)
        empty = dialects.empty_state(conn)
    assert start == 300
    assert (state.names_per, state.referents) == (empty.names_per, empty.referents)
    assert state.referents != SchemaState().referents  # SQLite's rule, not the default's
    assert state.names == SchemaState(state.tables, names_per=empty.names_per, referents=empty.referents).names


def test_a_snapshot_that_is_not_the_fold(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    build_big_ledger(f"sqlite:///{path}", 300, tables=10)
    engine = create_engine(f"sqlite:///{path}")
    store = LedgerStore()
    snapshots = SnapshotStore(store)
    with engine.begin() as conn:
        build(conn, store, every=100)
        at_200 = fold_events(store.events(conn, upto_seq=200))
        head_100 = conn.execute(sa.select(store.table.c.hash).where(store.table.c.seq == 100)).scalar_one()
        # seq 100's snapshot replaced by the state at 200: whole and keyed right, but not the fold
        snapshots.write(conn, 100, head_100, at_200)
        # seq 300's bytes damaged
        conn.execute(snapshots.table.update().where(snapshots.table.c.seq == 300).values(state=b"junk"))
        conn.execute(snapshots.table.insert().values(seq=250, hash="0" * 64, state_hash="0" * 64, format=1,
                                                     state=b"x"))
    with engine.connect() as conn:
        check = SnapshotCheck(conn, store)
        state = SchemaState()
        for event in store.events(conn):
            state = fold_events((event,), state)
            check.observe(event, state)
        problems = check.finish(None)
        # the read skips the damaged snapshot at 300 and starts from 200
        got, start = state_at(conn, store, 300)
        assert start == 200 and got == fold_events(store.events(conn))
    assert [seq for seq, _ in problems] == [100, 250, 300]
    assert "not the fold" in problems[0][1]
    assert "keyed to hash" in problems[1][1]
    assert "sha256" in problems[2][1]


def test_a_broken_link_after_the_snapshot_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    build_big_ledger(f"sqlite:///{path}", 150, tables=5)
    engine = create_engine(f"sqlite:///{path}")
    store = LedgerStore()
    with engine.begin() as conn:
        build(conn, store, every=100)
        conn.exec_driver_sql("DROP TRIGGER schema_ledger_update")
        conn.execute(store.table.update().where(store.table.c.seq == 120).values(message="edited"))
    with engine.connect() as conn, pytest.raises(LedgerFormatError, match="seq 120"):
        state_at(conn, store, 150)


def test_verify_names_a_snapshot_that_is_not_the_fold(tmp_path: Path) -> None:
    from ledger.inspect.audit import verify
    from ledger.project.config import Config

    path = tmp_path / "ledger.db"
    build_big_ledger(f"sqlite:///{path}", 200, tables=10)
    config = Config(project_dir=tmp_path, url=f"sqlite:///{path}")
    engine = create_engine(config.url)
    store = LedgerStore()
    with engine.begin() as conn:
        build(conn, store, every=100)
    assert verify(config).ok
    with engine.begin() as conn:
        head_100 = conn.execute(sa.select(store.table.c.hash).where(store.table.c.seq == 100)).scalar_one()
        SnapshotStore(store).write(conn, 100, head_100, SchemaState())
    report = verify(config)
    assert [(p.kind, p.seq) for p in report.problems] == [("snapshot", 100)]


def test_schema_at_seq_from_a_snapshot(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ledger.cli import main
    from ledger.schema.render import render_json

    path = tmp_path / "ledger.db"
    build_big_ledger(f"sqlite:///{path}", 300, tables=10)
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    engine = create_engine(f"sqlite:///{path}")
    store = LedgerStore()
    with engine.begin() as conn:
        build(conn, store, every=100)
        expected = render_json(fold_events(store.events(conn, upto_seq=250)))
        # the snapshot at 200 stands in for the fold: a wrong one shows that it was used
        head_200 = conn.execute(sa.select(store.table.c.hash).where(store.table.c.seq == 200)).scalar_one()
        wrong = fold_events(store.events(conn, upto_seq=100))
    args = ["--url", f"sqlite:///{path}", "--config", str(tmp_path / "schema-ledger.toml"), "schema", "--format",
            "json", "--at"]
    # @SEQ, a revision (b0000031 is seqs 248 to 255), a time (one event per millisecond), -N and the head
    points = {"@250": 250, "b0000031": 255, "2026-01-01T00:00:00.250Z": 250, "-1": 295, "head": 300}
    with engine.connect() as conn:
        folds = {point: render_json(fold_events(store.events(conn, upto_seq=seq))) for point, seq in points.items()}
    for point in points:
        result = CliRunner().invoke(main, [*args, point])
        assert result.exit_code == 0, result.output
        assert result.stdout == folds[point], point
    assert folds["@250"] == expected
    with engine.begin() as conn:
        SnapshotStore(store).write(conn, 200, head_200, wrong)
    # every kind of point is served from the snapshot below it (a wrong one at 200 shows that it was used)
    for point in [p for p, seq in points.items() if seq < 300]:
        assert CliRunner().invoke(main, [*args, point]).stdout != folds[point], point
    # a point the ledger does not know goes the whole way, which says what is wrong
    result = CliRunner().invoke(main, [*args, "no-such-revision"])
    assert result.exit_code != 0 and "not a revision" in result.output
