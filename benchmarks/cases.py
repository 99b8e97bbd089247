"""The benchmark cases. Inputs are generated here; nothing is downloaded."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import Timed, case
from ledger.db import create_engine
from ledger.events import GENESIS_HASH, Actor, Event, fold_events, verify_chain
from ledger.store import LedgerStore
from ops import MigrateOperation, SchemaState, record

ACTOR = Actor("bench", "bench", "bench-host", "0", None)


def synthetic_ops(count: int) -> Iterator[MigrateOperation]:
    """A valid history of ``count`` completed ops mixing the usual kinds of change."""
    state = SchemaState()
    n = 0
    produced = 0
    while True:
        table = f"t{n:05d}"
        parent = f"t{n - 1:05d}" if n else None

        def upgrade(op: Any, table: str = table, parent: str | None = parent) -> None:
            op.create_table(table, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(80)))
            op.add_column(table, sa.Column("code", sa.String(20)))
            op.create_index(None, table, ["name"])
            op.create_unique_constraint(None, table, ["code"])
            if parent:
                op.add_column(table, sa.Column("parent_id", sa.Integer))
                op.create_foreign_key(None, table, parent, ["parent_id"], ["id"])
            op.alter_column(table, "name", nullable=False, existing_type=sa.String(80))
            op.alter_column(table, "code", server_default="x", existing_type=sa.String(20))

        for op in record(upgrade):
            op = state.complete(op)
            state = state.apply(op)
            yield op
            produced += 1
            if produced >= count:
                return
        n += 1


def build_ledger(url: str, count: int) -> LedgerStore:
    """A SQLite ledger of ``count`` apply events, written in bulk."""
    engine = create_engine(url)
    store = LedgerStore()
    with engine.begin() as conn:
        store.create(conn)
    prev = GENESIS_HASH
    rows: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for seq, op in enumerate(synthetic_ops(count), start=1):
            event = Event.create(seq=seq, prev_hash=prev, kind="apply", op=op, revision=f"r{seq // 7:06d}",
                                 message=None, actor=ACTOR)
            prev = event.hash
            rows.append(event.to_row())
            if len(rows) >= 5000:
                conn.execute(store.table.insert(), rows)
                rows.clear()
        if rows:
            conn.execute(store.table.insert(), rows)
    engine.dispose()
    return store


def _ledger(workdir: str, count: int) -> tuple[str, LedgerStore]:
    path = os.path.join(workdir, f"ledger-{count}.db")
    url = f"sqlite:///{path}"
    if not os.path.exists(path):
        build_ledger(url, count)
    return url, LedgerStore()


@case("fold", size=100_000, quick_size=2_000, target=3.0,
      baseline="read the payloads and json.loads them, nothing else")
def fold(size: int, workdir: str) -> tuple[Timed, Timed, str]:
    url, store = _ledger(workdir, size)
    engine = create_engine(url)

    def ours() -> SchemaState:
        with engine.connect() as conn:
            return fold_events(store.events(conn))

    def baseline() -> int:
        with engine.connect() as conn:
            return sum(1 for row in conn.execute(sa.select(store.table.c.payload)) if json.loads(row.payload))

    return ours, baseline, f"fold {size} events (SQLite) into the state at head"


@case("verify-chain", size=1_000_000, quick_size=5_000, target=2.0,
      baseline="read the same rows and sha256 their payload bytes in a tight loop")
def verify(size: int, workdir: str) -> tuple[Timed, Timed, str]:
    url, store = _ledger(workdir, size)
    engine = create_engine(url)

    def ours() -> list[str]:
        with engine.connect() as conn:
            problems = verify_chain(store.events(conn), payloads=False)
        assert not problems, problems[:3]
        return problems

    def baseline() -> str:
        digest = ""
        with engine.connect() as conn:
            for row in conn.execute(sa.select(store.table.c.payload, store.table.c.prev_hash)):
                digest = hashlib.sha256(row.prev_hash.encode() + row.payload.encode()).hexdigest()
        return digest

    return ours, baseline, f"verify the hash chain of {size} events (SQLite)"
