"""Cases on big ledgers (SQLite files written in bulk): fold, schema at a point, the hash chain."""

from __future__ import annotations

import hashlib
import json
import os

import sqlalchemy as sa

from benchmarks.generate import build_big_ledger
from benchmarks.harness import Baseline, Prepared, Timed, case
from ledger.storage.db import create_engine
from ledger.format.events import BODY_FIELDS
from ledger.storage.scan import CHAIN_COLUMNS, chain_problems, fold_ledger, read_rows
from ledger.storage.snapshots import EVERY, build as build_snapshots, state_at
from ledger.storage.store import LedgerStore
from ops import SchemaState

#: Tables of the schema the big ledgers describe (memory follows this, not the number of events).
TABLES = 1000


def _ledger_path(workdir: str, size: int) -> str:
    return os.path.join(workdir, f"ledger-v1-{size}.db")


def _build_ledger(size: int, workdir: str) -> None:
    path = _ledger_path(workdir, size)
    if os.path.exists(path):
        return
    tmp = path + ".part"
    if os.path.exists(tmp):
        os.remove(tmp)
    build_big_ledger(f"sqlite:///{tmp}", size, tables=min(TABLES, max(1, size // 20)))
    os.replace(tmp, path)


def _build_with_snapshots(size: int, workdir: str) -> None:
    _build_ledger(size, workdir)
    marker = _ledger_path(workdir, size) + f".snapshots-{_every(size)}"
    if os.path.exists(marker):
        return
    engine = create_engine(f"sqlite:///{_ledger_path(workdir, size)}")
    with engine.begin() as conn:
        build_snapshots(conn, LedgerStore(), every=_every(size))
    engine.dispose()
    open(marker, "w").close()


def _every(size: int) -> int:
    """Snapshots every EVERY events; a small ledger gets some too (a smoke run uses them)."""
    return min(EVERY, max(10, size // 10))


def _read_and_decode(engine: sa.Engine, store: LedgerStore, upto: int | None = None) -> int:
    query = sa.select(store.table.c.payload).order_by(store.table.c.seq)
    if upto is not None:
        query = query.where(store.table.c.seq <= upto)
    count = 0
    with engine.connect() as conn:
        for row in conn.execute(query):
            json.loads(row.payload)
            count += 1
    return count


def _fold(size: int, workdir: str, what: str) -> Prepared:
    engine = create_engine(f"sqlite:///{_ledger_path(workdir, size)}")
    store = LedgerStore()

    def ours() -> SchemaState:
        with engine.connect() as conn:
            return fold_ledger(conn, store)

    return Prepared(
        Timed(ours),
        (Baseline("read the payloads and json.loads them, nothing else", Timed(lambda: _read_and_decode(engine, store)),
                  3.0),),
        f"{what}: fold {size} events (SQLite, {TABLES} tables) into the state at head",
    )


@case("fold", size=100_000, quick_size=2_000, build=_build_ledger, repeat=5)
def fold(size: int, workdir: str) -> Prepared:
    return _fold(size, workdir, "fold")


@case("fold-big", size=200_000, quick_size=3_000, full_size=1_000_000, build=_build_ledger, rss_target_mb=300,
      repeat=3)
def fold_big(size: int, workdir: str) -> Prepared:
    return _fold(size, workdir, "memory")


@case("schema-at", size=200_000, quick_size=3_000, full_size=1_000_000, build=_build_with_snapshots, repeat=5)
def schema_at(size: int, workdir: str) -> Prepared:
    engine = create_engine(f"sqlite:///{_ledger_path(workdir, size)}")
    store = LedgerStore()
    # Between two snapshots, at the far end from the one below: the most events left to fold.
    point = size // 2 + _every(size) - 1 - (size // 2) % _every(size)

    def ours() -> SchemaState:
        with engine.connect() as conn:
            state, _start = state_at(conn, store, point)
        return state

    def baseline() -> SchemaState:
        with engine.connect() as conn:
            return fold_ledger(conn, store, upto_seq=point)

    with engine.connect() as conn:
        got, start = state_at(conn, store, point)
    assert start > 0, "no snapshot was used"
    assert got == baseline(), "the state from the snapshot is not the fold"
    return Prepared(Timed(ours), (Baseline("the same fold from seq 1, no cache", Timed(baseline), 0.1),),
                    f"schema at @{point} of {size} events (snapshots every {_every(size)})")


@case("verify-chain", size=200_000, quick_size=5_000, full_size=1_000_000, build=_build_ledger, repeat=5)
def verify(size: int, workdir: str) -> Prepared:
    engine = create_engine(f"sqlite:///{_ledger_path(workdir, size)}")
    store = LedgerStore()
    columns = [store.table.c[name] for name in BODY_FIELDS] + [store.table.c.prev_hash]

    def ours() -> list[str]:
        with engine.connect() as conn:
            problems = list(chain_problems(read_rows(conn, store, CHAIN_COLUMNS)))
        assert not problems, problems[:3]
        return problems

    def baseline() -> str:
        digest = ""
        with engine.connect() as conn:
            for row in conn.execute(sa.select(*columns).order_by(store.table.c.seq)):
                digest = hashlib.sha256("".join(str(v) for v in row).encode()).hexdigest()
        return digest

    return Prepared(
        Timed(ours),
        (Baseline("read the same rows and sha256 their columns' bytes in a tight loop", Timed(baseline), 2.0),),
        f"verify the hash chain of {size} events (SQLite)",
    )
