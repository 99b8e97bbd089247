"""Lean reads of the ledger table: the columns a fold or a hash-chain check needs, as plain rows.

Reading a row into an ``Event`` (19 columns by name, an ``Actor``, a frozen attrs value) was a
quarter of the time of a fold, which needs only each event's seq, kind and payload. The chain
check needs the hashed columns, which are selected in the order of the body's sorted keys, so
that a row's body is written from its values as they come (``events.body_bytes``).

Rows are read in batches by seq (``seq > last ORDER BY seq LIMIT n``), as ``LedgerStore.events``
reads them: memory follows the batch and the schema, not the length of the history.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import Any

import sqlalchemy as sa

from ops import LedgerFormatError, SchemaState

from ledger import dialects
from ledger.format.codec import decode
from ledger.format.events import (
    GENESIS_HASH, SORTED_BODY_FIELDS, KINDS, STATE_KINDS, Actor, Event, body_bytes, fold_ops, link_problems,
)
from ledger.storage.store import LedgerStore
from ledger.support.gcpause import collection_paused

__all__ = [
    "CHAIN_COLUMNS",
    "chain_problems",
    "checked",
    "events",
    "fold_ledger",
    "fold_rows",
    "read_rows",
]

#: What the chain check reads: the hashed columns (sorted by name), then prev_hash and hash.
CHAIN_COLUMNS = (*SORTED_BODY_FIELDS, "prev_hash", "hash")
_SEQ = SORTED_BODY_FIELDS.index("seq")
_KIND = SORTED_BODY_FIELDS.index("kind")
_PAYLOAD = SORTED_BODY_FIELDS.index("payload")
_BODY = len(SORTED_BODY_FIELDS)


def read_rows(
    conn: sa.Connection, store: LedgerStore, columns: Sequence[str], *, after_seq: int = 0,
    upto_seq: int | None = None, where: Sequence[sa.ColumnElement[bool]] = (), batch: int = 5000,
) -> Iterator[sa.Row[Any]]:
    """The ``columns`` (which include ``seq``) of the rows with ``after_seq < seq <= upto_seq``, in seq order."""
    # The batches' rows chained in C: a generator passing each row on cost a resume per row.
    return chain.from_iterable(_batches(conn, store, columns, after_seq, upto_seq, where, batch))


def _batches(
    conn: sa.Connection, store: LedgerStore, columns: Sequence[str], after_seq: int, upto_seq: int | None,
    where: Sequence[sa.ColumnElement[bool]], batch: int,
) -> Iterator[Sequence[sa.Row[Any]]]:
    table = store.table
    selected = [table.c[name] for name in columns]
    at = list(columns).index("seq")
    last = after_seq
    while True:
        query = sa.select(*selected).where(table.c.seq > last, *where).order_by(table.c.seq).limit(batch)
        if upto_seq is not None:
            query = query.where(table.c.seq <= upto_seq)
        rows = conn.execute(query).all()
        yield rows
        if len(rows) < batch:
            return
        last = rows[-1][at]


#: The columns ``events`` reads, in the order of the Event's fields (the actor's in the middle).
_EVENT_COLUMNS = (
    "seq", "event_id", "kind", "revision", "op_type", "table_name", "payload", "payload_version", "reverses",
    "actor_os_user", "actor_db_user", "actor_host", "tool_version", "actor_by", "recorded_at", "message",
    "revision_checksum", "prev_hash", "hash",
)


def events(
    conn: sa.Connection, store: LedgerStore, *, after_seq: int = 0, upto_seq: int | None = None,
) -> Iterator[Event]:
    """The events with ``after_seq < seq <= upto_seq`` in seq order, each built from its row by position
    (what ``LedgerStore.events`` gives, built in a fraction of the time of a lookup by column name);
    none when there is no ledger table."""
    if not store.exists(conn):
        return
    for (seq, event_id, kind, revision, op_type, table_name, payload, payload_version, reverses, os_user, db_user,
         host, tool_version, by, recorded_at, message, checksum, prev_hash, hash_) in read_rows(
            conn, store, _EVENT_COLUMNS, after_seq=after_seq, upto_seq=upto_seq):
        yield Event(int(seq), event_id, kind, revision, op_type, table_name, payload, payload_version, reverses,
                    Actor(os_user, db_user, host, tool_version, by), recorded_at, message, checksum, prev_hash,
                    hash_)


@collection_paused  # a payload decoded and folded makes acyclic values only; the collector took a tenth of a fold
def fold_rows(
    rows: Iterable[Sequence[Any]], state: SchemaState | None = None, *, hashed: bool = False,
) -> SchemaState:
    """The schema after ``rows`` of (seq, kind, payload): what ``fold_events`` does with whole events.

    ``hashed``: each row's hash was checked as it was read (``checked``), see ``codec.decode``.
    Each payload is read once here: it is not kept among the payloads decoded lately (their
    cache serves a verify or a rollback, which decode the same payloads again).
    """
    # Without a state, the fold starts as a read (not a plan) does: names kept apart as the fold needs.
    state = fold_ops((), state)
    # What fold_ops does, written out: a generator handing each op on cost a resume per event.
    for seq, kind, payload in rows:
        if kind in STATE_KINDS and payload is not None:
            state = decode(payload, seq=seq, hashed=hashed, remember=False).apply(state)
    return state


#: The kinds a fold skips. Its query names these (``kind NOT IN``), not the kinds it reads: a
#: condition the ``(kind, seq)`` index can serve made SQLite read every remaining row of those
#: kinds through that index and sort them for each batch (quadratic in the ledger's length);
#: this one it checks on the rows of the primary key's range. A row of a kind outside KINDS is
#: read and then skipped by the fold, as before.
_OTHER_KINDS = sorted(set(KINDS) - STATE_KINDS)


def fold_ledger(
    conn: sa.Connection, store: LedgerStore, *, state: SchemaState | None = None, after_seq: int = 0,
    upto_seq: int | None = None,
) -> SchemaState:
    """The fold of the ledger's events after ``after_seq`` (onto ``state``) up to ``upto_seq``.

    Only the events that change the schema are read, and of them only seq, kind and payload.
    The hash chain is not checked here (``checked`` does that, ``verify`` checks everything).
    """
    rows = read_rows(conn, store, ("seq", "kind", "payload"), after_seq=after_seq, upto_seq=upto_seq,
                     where=(store.table.c.kind.not_in(_OTHER_KINDS),))
    return fold_rows(rows, state if state is not None else dialects.empty_state(conn))


def _walk(
    rows: Iterable[Sequence[Any]], expected: int, prev: str,
) -> Iterator[tuple[Sequence[Any], list[str]]]:
    """Each row of CHAIN_COLUMNS with what is wrong with it (nothing, mostly), starting at seq
    ``expected`` after hash ``prev``."""
    sha256 = hashlib.sha256
    for row in rows:
        seq, stored_prev, stored = row[_SEQ], row[_BODY], row[_BODY + 1]
        hashed = sha256(stored_prev.encode("utf-8", "surrogatepass") + body_bytes(row[:_BODY])).hexdigest() == stored
        if seq == expected and stored_prev == prev and hashed:
            yield row, []
        else:
            yield row, link_problems(seq, expected, stored_prev == prev, hashed)
        expected, prev = seq + 1, stored


def chain_problems(
    rows: Iterable[Sequence[Any]], *, start_seq: int = 1, start_hash: str = GENESIS_HASH,
) -> Iterator[str]:
    """What is wrong with the chain of ``rows`` (CHAIN_COLUMNS each), one line per problem naming the seq.

    The same lines as ``events.verify_chain`` without payload checks: gaps, broken links, wrong hashes.
    """
    for _row, problems in _walk(rows, start_seq, start_hash):
        if problems:
            yield from problems


def checked(
    conn: sa.Connection, store: LedgerStore, *, after_seq: int = 0, start_hash: str = GENESIS_HASH,
    upto_seq: int | None = None,
) -> Iterator[tuple[int, str, str | None]]:
    """(seq, kind, payload) of the events after ``after_seq``, each checked as it passes: in sequence,
    linked to the one before (the first to ``start_hash``), and hashing to its own hash.

    A problem raises LedgerFormatError: a schema rebuilt from a broken chain could not be trusted.
    """
    rows = read_rows(conn, store, CHAIN_COLUMNS, after_seq=after_seq, upto_seq=upto_seq)
    for row, problems in _walk(rows, after_seq + 1, start_hash):
        if problems:
            raise LedgerFormatError(f"the hash chain does not verify: {problems[0]}; a schema rebuilt from it "
                                    "could not be trusted")
        yield row[_SEQ], row[_KIND], row[_PAYLOAD]
