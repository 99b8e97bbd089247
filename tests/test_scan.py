"""Lean reads: the body written from a row's values is byte for byte the canonical body of the event; the
chain check and the fold over plain rows say and give exactly what the checks and folds over events do."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given, note, settings, strategies as st

from benchmarks.generate import build_big_ledger
from ledger.format.codec import canonical
from ledger.project.config import Config
from ledger.storage.db import create_engine
from ledger.format.events import (
    BODY_FIELDS, GENESIS_HASH, SORTED_BODY_FIELDS, Actor, Event, body_bytes, chain_hash, fold_events, verify_chain,
)
from ledger.run.apply import apply
from ledger.storage.session import store_for
from ledger.storage.scan import CHAIN_COLUMNS, chain_problems, checked, events, fold_ledger, fold_rows, read_rows
from ledger.storage.store import LedgerStore
from ops import LedgerError, LedgerFormatError, SchemaState
from tests.examples import examples

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop" / "migrations"

# Every character (lone surrogates, which no database hands back, included), quotes, backslashes, controls.
texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    ['"', "\\", "\n\t\r\x00\x1f\x7f", "\u2028\u2029", '{"type":"x","v":1}', "é 漢 🦆"])
ints = st.integers(min_value=-(2**70), max_value=2**70)
values = st.none() | texts | ints


@given(st.lists(values, min_size=len(BODY_FIELDS), max_size=len(BODY_FIELDS)) | st.lists(
    values | st.booleans() | st.floats(allow_nan=False, allow_infinity=False), min_size=len(BODY_FIELDS), max_size=len(BODY_FIELDS)))
@settings(max_examples=examples(300))
def test_body_bytes_is_the_canonical_body(row: list[object]) -> None:
    by_name = dict(zip(SORTED_BODY_FIELDS, row, strict=True))
    try:
        expected = canonical(by_name)
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            body_bytes(row)
        return
    assert body_bytes(row) == expected


@given(seq=st.integers(min_value=1, max_value=2**62), reverses=st.none() | st.integers(min_value=1, max_value=2**62),
       strings=st.lists(st.none() | st.text(max_size=30), min_size=9, max_size=9), version=st.none() | ints,
       kind=st.sampled_from(["apply", "revert", "baseline", "intent", "abandon", "drill"]),
       prev=st.text("0123456789abcdef", min_size=64, max_size=64))
def test_event_hash_is_the_hash_of_its_canonical_columns(
    seq: int, reverses: int | None, strings: list[str | None], version: int | None, kind: str, prev: str,
) -> None:
    event_id, revision, op_type, table, payload, db_user, by, message, checksum = strings
    event = Event(seq, event_id or "e", kind, revision, op_type, table, payload, version, reverses,
                  Actor("me", db_user, "host", "1.0", by), "2026-01-01T00:00:00.000000Z", message, checksum, prev, "")
    assert event.body() == canonical(event.columns())
    assert event.expected_hash() == chain_hash(prev, canonical(event.columns()))


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Config, sa.Engine]]:
    folder = tmp_path_factory.mktemp("scan")
    shutil.copytree(SHOP, folder / "migrations")
    config = Config(project_dir=folder, url=f"sqlite:///{folder / 'shop.db'}", migrations=Path("migrations"))
    apply(config)
    engine = create_engine(config.url)
    yield config, engine
    engine.dispose()


def test_lean_reads_give_what_the_store_gives(shop: tuple[Config, sa.Engine]) -> None:
    config, engine = shop
    store = store_for(config)
    with engine.connect() as conn:
        whole = list(store.events(conn))
        assert list(events(conn, store)) == whole
        assert list(events(conn, store, after_seq=3, upto_seq=9)) == whole[3:9]
        assert fold_ledger(conn, store) == fold_events(whole)
        assert fold_rows(checked(conn, store)) == fold_events(whole)
        assert list(chain_problems(read_rows(conn, store, CHAIN_COLUMNS))) == []
    assert whole and whole[3:9]


def test_no_ledger_table_no_events(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with engine.connect() as conn:
        assert list(events(conn, LedgerStore())) == []


EDITS = ("payload", "actor", "time", "hash", "prev_hash", "delete", "swap", "kind")


def _edited(rows: list[Event], at: int, what: str) -> list[Event]:
    rows = list(rows)
    event = rows[at]
    if what == "payload":
        rows[at] = attrs.evolve(event, payload=(event.payload or "{}") + " ")
    elif what == "actor":
        rows[at] = attrs.evolve(event, actor=attrs.evolve(event.actor, os_user=event.actor.os_user + "x"))
    elif what == "time":
        rows[at] = attrs.evolve(event, recorded_at=event.recorded_at.replace("2026", "2025"))
    elif what == "hash":
        rows[at] = attrs.evolve(event, hash=("1" if event.hash[0] == "0" else "0") + event.hash[1:])
    elif what == "prev_hash":
        rows[at] = attrs.evolve(event, prev_hash=GENESIS_HASH if event.prev_hash != GENESIS_HASH else "1" * 64)
    elif what == "kind":
        rows[at] = attrs.evolve(event, kind="drill")
    elif what == "delete":
        del rows[at]
    elif what == "swap" and at + 1 < len(rows):
        rows[at], rows[at + 1] = attrs.evolve(rows[at + 1], seq=event.seq), attrs.evolve(event, seq=rows[at + 1].seq)
    return rows


def _outcome(fold: Callable[[], SchemaState]) -> tuple[str, object]:
    try:
        return "state", fold()
    except LedgerError as exc:
        return "error", str(exc)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> list[Event]:
    path = tmp_path_factory.mktemp("big") / "ledger.db"
    build_big_ledger(f"sqlite:///{path}", 120, tables=6)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        found = list(LedgerStore().events(conn))
    engine.dispose()
    return found


@given(at=st.integers(min_value=0, max_value=119), what=st.sampled_from(EDITS), data=st.data())
@settings(max_examples=examples(40), deadline=None)
def test_the_lean_chain_check_finds_what_verify_chain_finds(
    big: list[Event], tmp_path_factory: pytest.TempPathFactory, at: int, what: str, data: st.DataObject,
) -> None:
    rows = _edited(big, at, what)
    note(f"{what} at row {at}")
    path = tmp_path_factory.mktemp("edited") / "ledger.db"
    engine = create_engine(f"sqlite:///{path}")
    store = LedgerStore()
    with engine.begin() as conn:
        store.table.create(conn)
        conn.execute(store.table.insert(), [e.to_row() for e in rows])
    after = data.draw(st.integers(min_value=0, max_value=len(rows) - 1), label="after")
    with engine.connect() as conn:
        expected = verify_chain(sorted(rows, key=lambda e: e.seq), payloads=False)
        assert list(chain_problems(read_rows(conn, store, CHAIN_COLUMNS))) == expected
        assert (what == "swap" and at == 119) or expected
        start = [e for e in rows if e.seq <= after]
        start_hash = start[-1].hash if start else GENESIS_HASH
        tail = [e for e in rows if e.seq > after]
        broken = verify_chain(sorted(tail, key=lambda e: e.seq), start_seq=after + 1, start_hash=start_hash,
                              payloads=False)
        if broken:
            with pytest.raises(LedgerFormatError, match="hash chain does not verify"):
                list(checked(conn, store, after_seq=after, start_hash=start_hash))
        else:
            # An edit before ``after`` (a kind or payload changed) may leave a history that does not fold:
            # then both folds fail alike.
            before = _outcome(lambda: fold_events(sorted(start, key=lambda e: e.seq)))
            if before[0] == "state":
                assert _outcome(lambda: fold_rows(checked(conn, store, after_seq=after, start_hash=start_hash),
                                                  before[1])) == _outcome(
                    lambda: fold_events(sorted(tail, key=lambda e: e.seq), before[1]))
    engine.dispose()
