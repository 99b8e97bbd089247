"""Snapshots: the folded schema every K events, kept beside the ledger, so that the schema at a point
folds at most K events instead of the whole history.

A snapshot is a cache, never history: it lives in a side table (``<ledger table>_snapshots``)
that may be emptied at any time, and it is keyed by the ledger position it stands for and
that event's hash. Its state is the canonical JSON of one ``create_table`` payload per table
(the codec's bytes, so reading it back checks it as strictly as any payload), compressed,
with the sha256 of the uncompressed bytes beside it.

Who checks what:

- :func:`state_at` (``schema --at``) uses a snapshot only when the ledger row at its seq
  still has its hash and its bytes still give its sha256; then it checks the hash chain of
  the events it folds on top (from the snapshot's hash on), and reads their payloads as
  hashed bytes (``codec.decode(hashed=True)``). The events before the snapshot are not
  read: that is the point (a revision, time or ``-N`` point is first resolved to a seq from
  their seq, kind, revision, reverses and time columns).
- :class:`SnapshotCheck` (``verify``) compares every snapshot with the fold at its seq: a
  snapshot that is not exactly the fold (edited, or written by a faulty run) is a problem
  naming its seq. ``verify`` reads the whole chain anyway, so it trusts nothing.

:func:`build` writes the missing snapshots of a ledger at multiples of :data:`EVERY`;
:func:`after_record` is the hook for a runner to write one when its ledger reaches such a
multiple (in the same transaction as the event).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator

import sqlalchemy as sa

from ops.classes import Value
from ops import CreateTableOp, LedgerFormatError, SchemaState

from ledger import dialects
from ledger.format.codec import canonical, from_payload, to_payload
from ledger.format.events import GENESIS_HASH, Event
from ledger.storage.scan import checked, fold_rows, read_rows
from ledger.storage.store import LedgerStore
from ledger.support.gcpause import collection_paused

__all__ = [
    "EVERY",
    "FORMAT",
    "Snapshot",
    "SnapshotCheck",
    "SnapshotStore",
    "build",
    "decode_state",
    "encode_state",
    "state_at",
    "usable",
]

#: A snapshot every this many events.
EVERY = 5_000
#: The layout of a snapshot's state bytes.
FORMAT = 1


def encode_state(state: SchemaState) -> bytes:
    """The canonical bytes of ``state``: its tables in key order, each as a create_table payload."""
    keys = sorted(state.tables, key=lambda key: (key[0] or "", key[1]))
    return canonical({"format": FORMAT, "tables": [to_payload(CreateTableOp(state.tables[k])) for k in keys]})


def decode_state(data: bytes, rules: SchemaState | None = None) -> SchemaState:
    """The state ``encode_state`` wrote, under the rules (names, referents) of ``rules``' database when
    given (the state is made once: its name index is worked out over every table); anything else is a
    LedgerFormatError."""
    import json

    try:
        parsed = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise LedgerFormatError(f"snapshot is not valid JSON: {exc}") from None
    if not isinstance(parsed, dict) or parsed.get("format") != FORMAT or not isinstance(parsed.get("tables"), list):
        raise LedgerFormatError("snapshot is not in a known format")
    tables = []
    for item in parsed["tables"]:
        try:
            op = from_payload(item)
        except Exception as exc:  # noqa: BLE001 - every way a payload can be wrong becomes one error
            raise LedgerFormatError(f"snapshot holds a malformed table: {exc}") from None
        if not isinstance(op, CreateTableOp):
            raise LedgerFormatError("a snapshot holds create_table payloads only")
        tables.append(op.table)
    if rules is None:
        return SchemaState({t.key: t for t in tables})
    return SchemaState({t.key: t for t in tables}, names_per=rules.names_per, referents=rules.referents)


class Snapshot(Value):
    """The state after ledger position ``seq``, whose event's hash is ``hash``."""

    seq: int
    hash: str
    state_hash: str
    data: bytes

    __slots__ = ("seq", "hash", "state_hash", "data")

    def __init__(self, seq: int, hash: str, state_hash: str, data: bytes) -> None:  # noqa: A002 - the field's name
        _set = object.__setattr__
        _set(self, "seq", seq)
        _set(self, "hash", hash)
        _set(self, "state_hash", state_hash)
        _set(self, "data", data)

    def __repr__(self) -> str:  # the state's bytes left out
        return f"Snapshot(seq={self.seq!r}, hash={self.hash!r}, state_hash={self.state_hash!r})"

    @property
    def raw(self) -> bytes:
        return zlib.decompress(self.data)

    def intact(self) -> bool:
        """Whether the stored bytes still give the stored sha256."""
        try:
            return hashlib.sha256(self.raw).hexdigest() == self.state_hash
        except zlib.error:
            return False

    def state(self, rules: SchemaState | None = None) -> SchemaState:
        """The snapshot's state (under the rules of ``rules``' database, see ``decode_state``)."""
        return decode_state(self.raw, rules)


class SnapshotStore:
    """The side table of one ledger: ``<ledger table>_snapshots`` in the ledger's schema."""

    def __init__(self, store: LedgerStore) -> None:
        self.store = store
        self.table = sa.Table(
            f"{store.table_name}_snapshots", sa.MetaData(),
            sa.Column("seq", dialects.column_type(sa.BigInteger(), "row_key_type"), primary_key=True,
                      autoincrement=False),
            sa.Column("hash", sa.String(64), nullable=False),
            sa.Column("state_hash", sa.String(64), nullable=False),
            sa.Column("format", sa.Integer(), nullable=False),
            sa.Column("state", dialects.column_type(sa.LargeBinary(), "long_binary_type"), nullable=False),
            schema=store.schema,
        )

    def exists(self, conn: sa.Connection) -> bool:
        return sa.inspect(conn).has_table(self.table.name, schema=self.table.schema)

    def create(self, conn: sa.Connection) -> None:
        if not self.exists(conn):
            self.table.create(conn)

    def write(self, conn: sa.Connection, seq: int, hash: str, state: SchemaState) -> Snapshot:
        """Store the snapshot of ``state`` at ``seq`` (replacing one there: it is a cache)."""
        raw = encode_state(state)
        snapshot = Snapshot(seq, hash, hashlib.sha256(raw).hexdigest(), zlib.compress(raw, 6))
        self.create(conn)
        conn.execute(self.table.delete().where(self.table.c.seq == seq))
        conn.execute(self.table.insert().values(seq=seq, hash=hash, state_hash=snapshot.state_hash, format=FORMAT,
                                                state=snapshot.data))
        return snapshot

    def latest(self, conn: sa.Connection, upto_seq: int) -> Iterator[Snapshot]:
        """Snapshots at or below ``upto_seq``, newest first."""
        if not self.exists(conn):
            return
        t = self.table
        query = sa.select(t).where(t.c.seq <= upto_seq, t.c.format == FORMAT).order_by(t.c.seq.desc())
        for row in conn.execute(query):
            yield Snapshot(int(row.seq), row.hash, row.state_hash, bytes(row.state))

    def keys(self, conn: sa.Connection) -> dict[int, tuple[str, str, int]]:
        """seq -> (hash, state_hash, format) of every snapshot (no state bytes)."""
        if not self.exists(conn):
            return {}
        t = self.table
        rows = conn.execute(sa.select(t.c.seq, t.c.hash, t.c.state_hash, t.c.format).order_by(t.c.seq))
        return {int(r.seq): (r.hash, r.state_hash, int(r.format)) for r in rows}

    def get(self, conn: sa.Connection, seq: int) -> Snapshot | None:
        row = conn.execute(sa.select(self.table).where(self.table.c.seq == seq)).first()
        return Snapshot(int(row.seq), row.hash, row.state_hash, bytes(row.state)) if row is not None else None


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def after_record(conn: sa.Connection, store: LedgerStore, event: Event, state: SchemaState, *,
                 every: int = EVERY) -> None:
    """Called by the runners after each recorded event: at a multiple of ``every``, snapshot ``state``."""
    if every > 0 and event.seq % every == 0:
        SnapshotStore(store).write(conn, event.seq, event.hash, state)


def build(conn: sa.Connection, store: LedgerStore, *, every: int = EVERY) -> list[int]:
    """Fold the ledger once and write the snapshots it lacks at multiples of ``every``; return their seqs."""
    if not store.exists(conn):
        return []
    snapshots = SnapshotStore(store)
    have = snapshots.keys(conn)
    written: list[int] = []
    state = dialects.empty_state(conn)
    for seq, kind, payload, hash_ in read_rows(conn, store, ("seq", "kind", "payload", "hash")):
        state = fold_rows(((seq, kind, payload),), state)
        if seq % every == 0 and have.get(seq, ("",))[0] != hash_:
            snapshots.write(conn, seq, hash_, state)
            written.append(seq)
    return written


# ---------------------------------------------------------------------------------------------
# Reading: the schema at a point
# ---------------------------------------------------------------------------------------------


def _usable(conn: sa.Connection, store: LedgerStore, snapshot: Snapshot) -> bool:
    row = conn.execute(sa.select(store.table.c.hash).where(store.table.c.seq == snapshot.seq)).first()
    return row is not None and row.hash == snapshot.hash and snapshot.intact()


def usable(conn: sa.Connection, store: LedgerStore, seq: int) -> Snapshot | None:
    """The newest snapshot at or below ``seq`` that is keyed to the ledger's event and intact."""
    for snapshot in SnapshotStore(store).latest(conn, seq):
        if _usable(conn, store, snapshot):
            return snapshot
    return None


# The snapshot's JSON (some 10 objects per table) and the state made from it are acyclic: with the
# collector on, its walks of them took two fifths of decoding a 1,000-table snapshot.
@collection_paused
def state_at(conn: sa.Connection, store: LedgerStore, seq: int) -> tuple[SchemaState, int]:
    """The schema after ledger position ``seq``, and the seq of the snapshot it started from (0: none).

    Starts from the newest usable snapshot at or below ``seq`` and folds the events after it,
    checking their hash chain from the snapshot's hash on; a broken link raises LedgerFormatError.
    """
    start = usable(conn, store, seq)
    empty = dialects.empty_state(conn)
    state = start.state(empty) if start is not None else empty
    after = start.seq if start is not None else 0
    rows = checked(conn, store, after_seq=after, start_hash=start.hash if start is not None else GENESIS_HASH,
                   upto_seq=seq)
    return fold_rows(rows, state, hashed=True), after


# ---------------------------------------------------------------------------------------------
# Checking: every snapshot against the fold (verify)
# ---------------------------------------------------------------------------------------------


class SnapshotCheck:
    """Fed the fold as ``verify`` makes it (``observe``), says which snapshots are not the fold."""

    def __init__(self, conn: sa.Connection, store: LedgerStore) -> None:
        self.conn = conn
        self.snapshots = SnapshotStore(store)
        self.keys = self.snapshots.keys(conn)
        self.seen: set[int] = set()
        self.problems: list[tuple[int, str]] = []

    def observe(self, event: Event, state: SchemaState) -> None:
        key = self.keys.get(event.seq)
        if key is None:
            return
        self.seen.add(event.seq)
        hash_, state_hash, format_ = key
        where = f"snapshot at seq {event.seq}"
        if format_ != FORMAT:
            return  # written by another version: not used, not judged
        if hash_ != event.hash:
            self.problems.append((event.seq, f"{where} is keyed to hash {hash_[:12]}, but the event's hash is "
                                             f"{event.hash[:12]}"))
            return
        if hashlib.sha256(encode_state(state)).hexdigest() != state_hash:
            self.problems.append((event.seq, f"{where} is not the fold of the events up to it"))
            return
        snapshot = self.snapshots.get(self.conn, event.seq)
        if snapshot is None or not snapshot.intact():
            self.problems.append((event.seq, f"{where}: its stored bytes do not give its sha256"))

    def finish(self, fold_stopped: int | None) -> list[tuple[int, str]]:
        """The problems, with snapshots past the last event folded (a cut ledger, or a stray row)."""
        for seq in sorted(set(self.keys) - self.seen):
            if fold_stopped is None or seq < fold_stopped:
                self.problems.append((seq, f"snapshot at seq {seq} has no event at its seq in the ledger"))
        return sorted(self.problems)
