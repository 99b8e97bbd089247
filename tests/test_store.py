"""The ledger table on every database: appends, the hash chain, refusal triggers, the lock."""

from __future__ import annotations

import hashlib
import json

import pytest
import sqlalchemy as sa

from ledger.storage.db import create_engine
from ledger.format.events import GENESIS_HASH, Actor, Event, fold_events, in_effect, verify_chain
from ledger.storage.store import LedgerStore, LockTimeout
from ops import SchemaState, record

ACTOR = Actor("alice", "db", "host1", "0.1.0", "ticket-42")


def _history(op):  # noqa: ANN001 - the facade
    import sqlalchemy as sa_

    op.create_table("customer", sa_.Column("id", sa_.Integer, primary_key=True), sa_.Column("email", sa_.String(80)))
    op.add_column("customer", sa_.Column("name", sa_.String(40), comment="shown 'name' % here"))
    op.create_index(None, "customer", ["email"], unique=True)


@pytest.fixture
def ledger_engine(db_url: str):
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


def _fill(engine: sa.Engine, store: LedgerStore) -> list[Event]:
    state = SchemaState()
    events = []
    with engine.connect() as conn:
        with conn.begin():
            store.create(conn)
        with conn.begin():
            for op in record(_history):
                op = state.complete(op)
                events.append(store.append(conn, kind="apply", op=op, revision="r1", message="why: ünïcode",
                                           actor=ACTOR, revision_checksum="c" * 64))
                state = state.apply(op)
    return events


def test_append_read_and_verify(ledger_engine: sa.Engine) -> None:
    store = LedgerStore()
    written = _fill(ledger_engine, store)
    with ledger_engine.connect() as conn:
        read = list(store.events(conn))
        assert read == written
        assert [e.seq for e in read] == [1, 2, 3]
        assert read[0].prev_hash == GENESIS_HASH
        assert all(b.prev_hash == a.hash for a, b in zip(read, read[1:]))
        assert verify_chain(read) == []
        assert store.head(conn) == written[-1]
        assert list(store.events(conn, after_seq=1, upto_seq=2)) == written[1:2]
        assert list(store.events(conn, batch=2)) == written
        assert list(store.events(conn, op_type="add_column")) == written[1:2]
        assert list(store.events(conn, op_type="create_index", batch=1, upto_seq=3)) == written[2:]
        assert list(store.events(conn, op_type="create_table", after_seq=1)) == []
        state = fold_events(read)
        assert set(state.tables) == {(None, "customer")}
        assert in_effect(read) == read


def test_hash_is_recomputable_from_the_documented_layout(ledger_engine: sa.Engine) -> None:
    store = LedgerStore()
    _fill(ledger_engine, store)
    fields = ["seq", "event_id", "kind", "revision", "op_type", "table_name", "payload", "payload_version",
              "reverses", "actor_os_user", "actor_db_user", "actor_host", "actor_by", "tool_version",
              "recorded_at", "message", "revision_checksum"]
    with ledger_engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM schema_ledger ORDER BY seq")).mappings().all()
    prev = "0" * 64
    for row in rows:
        body = json.dumps({f: row[f] for f in fields}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert row["prev_hash"] == prev
        prev = hashlib.sha256(prev.encode() + body.encode()).hexdigest()
        assert row["hash"] == prev


@pytest.mark.parametrize("statement", ["UPDATE schema_ledger SET message = 'x'", "DELETE FROM schema_ledger"])
def test_triggers_refuse_changes(ledger_engine: sa.Engine, statement: str) -> None:
    _fill(ledger_engine, LedgerStore())
    with ledger_engine.connect() as conn:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with conn.begin():
                conn.exec_driver_sql(statement)
        assert LedgerStore().count(conn) == 3


def test_truncate_refused_on_postgresql(database_factory) -> None:  # noqa: ANN001
    engine = create_engine(database_factory("postgresql"))
    _fill(engine, LedgerStore())
    with engine.connect() as conn:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with conn.begin():
                conn.exec_driver_sql("TRUNCATE schema_ledger")
    engine.dispose()


def test_create_says_whether_it_made_the_table(ledger_engine: sa.Engine, dialect: str) -> None:
    """Where DDL is transactional, ``create`` says it made the table (an apply then reads nothing);
    on PostgreSQL through psycopg the statements that make it go as one message."""
    sent: list[str] = []
    sa.event.listen(ledger_engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    with ledger_engine.connect() as conn:
        with conn.begin():
            made = LedgerStore().create(conn)
        with conn.begin():
            again = LedgerStore().create(conn)
    assert (made, again) == (dialect not in ("mysql", "mariadb"), False)
    if dialect == "postgresql":
        creation = [text for text in sent if "CREATE TABLE" in text]
        assert len(creation) == 1 and creation[0].count("CREATE TRIGGER") == 2 and "CREATE INDEX" in creation[0]


def test_verify_detects_edits_deletions_and_reordering(ledger_engine: sa.Engine) -> None:
    events = _fill(ledger_engine, LedgerStore())
    import attrs

    edited = [events[0], attrs.evolve(events[1], message="changed"), events[2]]
    assert any("seq 2" in p and "edited" in p for p in verify_chain(edited))
    assert any("seq 3" in p for p in verify_chain([events[0], events[2]]))
    assert verify_chain([events[1], events[0], events[2]])
    forged = attrs.evolve(events[1], payload=events[0].payload)
    assert verify_chain([events[0], forged, events[2]])


def test_schema_and_custom_table_name(ledger_engine: sa.Engine) -> None:
    store = LedgerStore("audit ledger")
    _fill(ledger_engine, store)
    with ledger_engine.connect() as conn:
        assert verify_chain(store.events(conn)) == []


def test_lock_excludes_a_second_applier(ledger_engine: sa.Engine, dialect: str) -> None:
    store = LedgerStore()
    with ledger_engine.connect() as first, ledger_engine.connect() as second:
        with store.lock(first, timeout=5):
            if dialect == "sqlite":
                first.begin()
                with store.lock(second, timeout=0.2):
                    with pytest.raises(sa.exc.OperationalError, match="locked"):
                        second.begin()
                first.rollback()
            else:
                with pytest.raises(LockTimeout, match="another schema-ledger run"):
                    with store.lock(second, timeout=0.2):
                        pass
        with store.lock(second, timeout=1):
            pass
