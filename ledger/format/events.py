"""The event: one recorded operation, its actor, and its place in the hash chain.

The hash of an event is ``sha256(prev_hash + body)`` where ``prev_hash`` is the previous
event's hash as 64 lowercase hex characters (64 zeros for the first event) encoded as ASCII,
and ``body`` is the canonical JSON (sorted keys, compact, UTF-8) of the event's columns other
than ``prev_hash`` and ``hash``. docs/ledger-format.md gives the layout byte for byte.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import operator
import os
import socket
import time
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, Protocol


from ops.classes import frozen
from ops.base import LedgerError

from ledger import __version__
# The codec (and with it every op module and SQLAlchemy's dialects) is imported where an op is
# encoded or decoded: reading a ledger's narrow columns (`status`) does not need it.
if TYPE_CHECKING:
    from ops import MigrateOperation, SchemaState

__all__ = [
    "COLUMN_ATTRIBUTES",
    "ALEMBIC_DOWNGRADE",
    "ALEMBIC_KIND",
    "FOLLOWS_STATEMENT_ABOVE",
    "RESYNC",
    "RESYNCED",
    "Actor",
    "Event",
    "GENESIS_HASH",
    "KINDS",
    "REPORT_KINDS",
    "STATE_KINDS",
    "body_bytes",
    "chain_hash",
    "column_problems",
    "fold_events",
    "fold_ops",
    "follows_statement_above",
    "format_time",
    "in_effect",
    "link_problems",
    "verify_chain",
]

GENESIS_HASH = "0" * 64
#: apply: an op of a revision ran; revert: the reverse of event ``reverses`` ran; baseline: an op
#: describing a schema that existed before the ledger; intent: an op is about to run (MySQL);
#: abandon: an intent whose op did not happen; drill: a rollback drill's result; checkpoint: the
#: signed head of the events before it (ledger/storage/seal.py); alembic: what Alembic knew of a
#: revision the hook upgraded (its down revisions, ``depends_on``, version table: format/alembic_record.py).
KINDS = ("apply", "revert", "baseline", "intent", "abandon", "drill", "checkpoint", "alembic")
#: The kinds whose payload is a record (JSON), not an op.
REPORT_KINDS = frozenset({"drill", "checkpoint", "alembic"})
#: The kinds whose op changes the schema state.
STATE_KINDS = frozenset({"apply", "revert", "baseline"})

#: the kind of the events the Alembic hook writes beside the ops (ledger.format.alembic_record),
#: and the type tag of the record of an Alembic downgrade: here, so that ``status`` tells them
#: apart without loading the record codec
ALEMBIC_KIND = "alembic"
ALEMBIC_DOWNGRADE = "schema-ledger/alembic-downgrade"

BODY_FIELDS = (
    "seq", "event_id", "kind", "revision", "op_type", "table_name", "payload", "payload_version", "reverses",
    "actor_os_user", "actor_db_user", "actor_host", "actor_by", "tool_version", "recorded_at", "message",
    "revision_checksum",
)
#: The hashed columns in the order of the body's (sorted) keys: what ``body_bytes`` takes.
SORTED_BODY_FIELDS = tuple(sorted(BODY_FIELDS))
_BODY_TEMPLATE = "{" + ",".join(f'"{name}":%s' for name in SORTED_BODY_FIELDS) + "}"


def body_bytes(values: Sequence[Any]) -> bytes:
    """The canonical body of an event whose hashed columns are ``values``, in SORTED_BODY_FIELDS order.

    The same bytes as ``canonical`` of the columns by name, written without building a dict and
    sorting its keys (the chain check does this for every row); a value other than str, int or
    None (which no ledger column holds) goes the general way.
    """
    try:
        return (_BODY_TEMPLATE % tuple([
            encode_basestring(v) if type(v) is str else "null" if v is None else repr(v) if type(v) is int
            else _general(v) for v in values
        ])).encode("utf-8")
    except (TypeError, UnicodeEncodeError):
        from ledger.format.codec import canonical

        return canonical(dict(zip(SORTED_BODY_FIELDS, values, strict=True)))


def _general(value: Any) -> str:
    # bool, float, a subclass of str or int: canonical() knows how json writes each.
    raise TypeError(type(value).__name__)


#: The ledger's column limits for what a user gives: actor_by is VARCHAR(255); message is TEXT,
#: held to a size a ledger row is meant for.
MAX_BY = 255
MAX_MESSAGE = 65_536


class InputTooLong(LedgerError, ValueError):
    """A value given on the command line does not fit the ledger's column."""


def check_text(value: str, option: str, limit: int) -> None:
    """Refuse ``value`` (given as ``option``) when the ledger cannot store it as given."""
    if len(value) > limit:
        raise InputTooLong(f"{option} is {len(value)} characters long; the ledger keeps at most {limit}")
    if "\x00" in value:
        raise InputTooLong(f"{option} holds a NUL character, which the ledger's databases do not store")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputTooLong(f"{option} holds a lone surrogate, which is not text") from None


def format_time(moment: dt.datetime) -> str:
    """UTC ISO 8601 with microseconds and a Z: the form stored and hashed."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now() -> str:
    """``format_time`` of the current moment: the same text (:func:`_stamp`)."""
    return _stamp(time.time_ns())


#: (a whole second since the epoch, its text up to the seconds): the one ``_stamp`` wrote last
_SECOND: list[tuple[int, str]] = [(-1, "")]


def _stamp(ns: int) -> str:
    """``format_time`` of the moment ``ns`` nanoseconds after the epoch (rounded down to its
    microsecond, as ``datetime.now`` rounds the clock), the date and time of day written once per
    second: ``isoformat`` with a ``timespec`` cost three times what the rest of this does, per event."""
    second, micro = divmod(ns // 1000, 1_000_000)
    held = _SECOND[0]  # one tuple, swapped whole: another thread reads either second's text, never a mix
    if held[0] != second:
        day = time.gmtime(second)
        held = _SECOND[0] = (second, f"{day.tm_year:04d}-{day.tm_mon:02d}-{day.tm_mday:02d}T"
                                     f"{day.tm_hour:02d}:{day.tm_min:02d}:{day.tm_sec:02d}")
    return f"{held[1]}.{micro:06d}Z"


def _event_id() -> str:
    """``str(uuid.uuid4())``: 122 random bits with the version and variant bits set, written without a UUID object."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


@frozen
class Actor:
    """Who recorded an event: OS user, database user, host, tool version, and an optional --by."""

    os_user: str
    db_user: str | None
    host: str
    tool_version: str
    by: str | None = None

    @classmethod
    def current(cls, *, db_user: str | None = None, by: str | None = None) -> Actor:
        where = "--by" if by else "SCHEMA_LEDGER_BY"
        by = by or os.environ.get("SCHEMA_LEDGER_BY") or None
        if by is not None:
            check_text(by, where, MAX_BY)
        return cls(_os_user(), db_user, socket.gethostname(), __version__, by)


#: the ledger table's hashed columns (``Event.columns``), in order, each with the attribute of an
#: event that holds it; ``prev_hash`` and ``hash`` are attributes of their own names
COLUMN_ATTRIBUTES: dict[str, str] = {
    "seq": "seq", "event_id": "event_id", "kind": "kind", "revision": "revision", "op_type": "op_type",
    "table_name": "table_name", "payload": "payload", "payload_version": "payload_version", "reverses": "reverses",
    "actor_os_user": "actor.os_user", "actor_db_user": "actor.db_user", "actor_host": "actor.host",
    "actor_by": "actor.by", "tool_version": "actor.tool_version", "recorded_at": "recorded_at",
    "message": "message", "revision_checksum": "revision_checksum",
}
_read_columns = operator.attrgetter(*COLUMN_ATTRIBUTES.values())


@frozen
class Event:
    """One row of the ledger table."""

    seq: int
    event_id: str
    kind: str
    revision: str | None
    op_type: str | None
    table_name: str | None
    payload: str | None
    payload_version: int | None
    reverses: int | None
    actor: Actor
    recorded_at: str
    message: str | None
    revision_checksum: str | None
    prev_hash: str
    hash: str

    @classmethod
    def create(
        cls, *, seq: int, prev_hash: str, kind: str, op: MigrateOperation | None, revision: str | None,
        message: str | None, actor: Actor, revision_checksum: str | None = None, reverses: int | None = None,
        recorded_at: dt.datetime | None = None, payload: str | None = None,
    ) -> Event:
        if kind not in KINDS:
            raise LedgerError(f"unknown event kind {kind!r}")
        if message is not None:
            check_text(message, "-m/--message", MAX_MESSAGE)
        if op is not None:
            if payload is None:
                from ledger.format.codec import encode_text

                payload = encode_text(op)
            op_type, table_name, payload_version = op.op_tag, _table_of(op), op.payload_version
        else:
            op_type = table_name = payload_version = None
        event_id = _event_id()
        stamp = _now() if recorded_at is None else format_time(recorded_at)
        # The hash from the values as they go into the event: one event made, none evolved from a draft.
        hash_ = chain_hash(prev_hash, body_bytes((
            actor.by, actor.db_user, actor.host, actor.os_user, event_id, kind, message, op_type, payload,
            payload_version, stamp, reverses, revision, revision_checksum, seq, table_name, actor.tool_version,
        )))
        return cls(seq, event_id, kind, revision, op_type, table_name, payload, payload_version, reverses, actor, stamp,
                   message, revision_checksum, prev_hash, hash_)

    @classmethod
    def following(cls, head: Event | None, **fields: Any) -> Event:
        """The event that comes after ``head`` (None: the first of an empty ledger); ``fields`` as for ``create``."""
        return cls.create(seq=head.seq + 1 if head else 1, prev_hash=head.hash if head else GENESIS_HASH, **fields)

    @classmethod
    def from_row(cls, row: Any) -> Event:
        m = row._mapping if hasattr(row, "_mapping") else row
        return cls(
            seq=int(m["seq"]), event_id=m["event_id"], kind=m["kind"], revision=m["revision"],
            op_type=m["op_type"], table_name=m["table_name"], payload=m["payload"],
            payload_version=m["payload_version"], reverses=m["reverses"],
            actor=Actor(m["actor_os_user"], m["actor_db_user"], m["actor_host"], m["tool_version"], m["actor_by"]),
            recorded_at=m["recorded_at"], message=m["message"], revision_checksum=m["revision_checksum"],
            prev_hash=m["prev_hash"], hash=m["hash"],
        )

    def to_row(self) -> dict[str, Any]:
        row = self.columns()
        row["prev_hash"] = self.prev_hash
        row["hash"] = self.hash
        return row

    def columns(self) -> dict[str, Any]:
        """The hashed columns, by name."""
        return dict(zip(COLUMN_ATTRIBUTES, _read_columns(self)))

    def body(self) -> bytes:
        a = self.actor
        return body_bytes((
            a.by, a.db_user, a.host, a.os_user, self.event_id, self.kind, self.message, self.op_type, self.payload,
            self.payload_version, self.recorded_at, self.reverses, self.revision, self.revision_checksum, self.seq,
            self.table_name, a.tool_version,
        ))

    def expected_hash(self) -> str:
        return chain_hash(self.prev_hash, self.body())

    @property
    def op(self) -> MigrateOperation | None:
        # A drill or checkpoint event's payload is a report, not an op.
        if self.payload is None or self.kind in REPORT_KINDS:
            return None
        from ledger.format.codec import decode

        return decode(self.payload, seq=self.seq)

    def to_json(self) -> dict[str, Any]:
        return self.to_row()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Event:
        return cls.from_row(data)


def chain_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("utf-8", "surrogatepass") + body).hexdigest()


def _table_of(op: MigrateOperation | None) -> str | None:
    name = getattr(op, "table_name", None)
    return name if isinstance(name, str) else None


def in_effect(events: Iterable[Event]) -> list[Event]:
    """The state-changing events not undone by a later revert, in seq order."""
    live: dict[int, Event] = {}
    for event in events:
        if event.kind not in STATE_KINDS:
            continue
        if event.kind == "revert" and event.reverses is not None:
            live.pop(event.reverses, None)
        else:
            live[event.seq] = event
    return [live[seq] for seq in sorted(live)]


class Foldable(Protocol):
    """What the fold reads of an event: its kind, and its op (read only when the kind changes the schema)."""

    @property
    def kind(self) -> str: ...

    @property
    def op(self) -> MigrateOperation | None: ...


def fold_events(events: Iterable[Foldable], start: SchemaState | None = None) -> SchemaState:
    """The schema after ``events``: every apply, revert and baseline op folded in seq order.

    The one fold of the ledger: whole events and a run's view of the ledger (``LedgerView``) fold
    through it, lean rows (``scan.fold_rows``) through the loop it runs (``fold_ops``). Without
    ``start``, names are kept apart only as the fold needs (``ops.names.ANY_DATABASE``): the events
    already ran on their database. A fold that plans starts from ``dialects.empty_state``."""
    return fold_ops((op for event in events if event.kind in STATE_KINDS and (op := event.op) is not None), start)


def fold_ops(ops: Iterable[MigrateOperation], start: SchemaState | None = None) -> SchemaState:
    """The schema after the ops of the state-changing events (``STATE_KINDS``) ``ops``, in seq order,
    from ``start`` (see ``fold_events``)."""
    from ops.names import ANY_DATABASE
    from ops.state import SchemaState

    state = start if start is not None else SchemaState(names_per=ANY_DATABASE, referents="any")
    for op in ops:
        state = op.apply(state)
    return state


def verify_chain(
    events: Iterable[Event], *, start_seq: int = 1, start_hash: str = GENESIS_HASH, payloads: bool = True
) -> list[str]:
    """Problems with the chain, one line each naming the seq: gaps, broken links, wrong hashes, and
    (with ``payloads``) payloads that do not decode."""
    problems: list[str] = []
    expected_seq, prev = start_seq, start_hash
    for event in events:
        problems += link_problems(event.seq, expected_seq, event.prev_hash == prev, event.expected_hash() == event.hash)
        if payloads:
            problems += column_problems(event)
        expected_seq, prev = event.seq + 1, event.hash
    return problems


def column_problems(event: Event) -> list[str]:
    """The indexed columns (kind, op_type, table_name, revision) that do not match the event's payload.

    ``blame`` and ``log --table`` select rows by these columns: a row whose columns say one thing
    and whose payload another would show one history and fold another.
    """
    seq = event.seq
    if event.kind not in KINDS:
        return [f"seq {seq}: kind {event.kind!r} is not an event kind"]
    if event.kind in REPORT_KINDS or event.payload is None:
        if event.payload is None and (event.op_type is not None or event.table_name is not None):
            return [f"seq {seq}: op_type/table_name set on an event without a payload"]
        if event.kind == "checkpoint" and (event.op_type, event.table_name, event.revision) != (None, None, None):
            return [f"seq {seq}: a checkpoint carries no op_type, table_name or revision"]
        if event.kind == "alembic":
            from ledger.format.alembic_record import read_alembic

            try:
                read_alembic(event)
            except LedgerError as exc:
                return [str(exc)]
        return []
    try:
        op = event.op
    except LedgerError as exc:
        return [str(exc)]
    if op is None:
        return []
    problems = []
    if event.op_type != op.op_tag:
        problems.append(f"seq {seq}: op_type {event.op_type} does not match the payload")
    if event.table_name != _table_of(op):
        problems.append(f"seq {seq}: table_name {event.table_name!r} does not match the payload ({_table_of(op)!r})")
    if event.payload_version != op.payload_version:
        problems.append(f"seq {seq}: payload_version {event.payload_version} does not match the payload")
    if event.kind == "revert" and (event.reverses is None or event.reverses >= seq):
        problems.append(f"seq {seq}: a revert must name an earlier event it reverses")
    return problems


def link_problems(seq: int, expected_seq: int, linked: bool, hashed: bool) -> list[str]:
    """The chain problems of the event at ``seq`` where ``expected_seq`` was due: out of place, not
    ``linked`` to the hash before it, or not ``hashed`` to its own hash."""
    problems = []
    if seq != expected_seq:
        problems.append(f"seq {seq}: expected seq {expected_seq} (rows missing or reordered)")
    if not linked:
        problems.append(f"seq {seq}: prev_hash does not match the hash of the event before it")
    if not hashed:
        problems.append(f"seq {seq}: hash does not match the event's content (the row was edited)")
    return problems


#: Message prefix of an event that records what ran but not what it changed: from there the fold
#: may not follow the live schema (the Alembic hook records such an event when an operation can be
#: recorded neither as converted nor from the reflected table). ``status`` and ``verify`` report it.
RESYNC = "[needs re-sync]"
#: Message prefix of the event that says the fold follows the live schema again.
RESYNCED = "[re-synced]"


#: In the message of an op recorded as the schema change a procedural statement made (a ``DO``
#: block, MySQL's ``PREPARE``/``EXECUTE``): the statement's own event, just before these ops, is
#: not run again where they are (its change is them).
FOLLOWS_STATEMENT_ABOVE = "the schema change of the statement above"


def follows_statement_above(message: str | None) -> bool:
    return bool(message) and FOLLOWS_STATEMENT_ABOVE in message  # type: ignore[operator]


def needs_resync(message: str | None) -> bool:
    return bool(message) and message.startswith(RESYNC)  # type: ignore[union-attr]


def is_resynced(message: str | None) -> bool:
    return bool(message) and message.startswith(RESYNCED)  # type: ignore[union-attr]


def resync_line(event: Event) -> str:
    """One line saying that the ledger may not follow the live schema from ``event`` on."""
    what = (event.message or "")[len(RESYNC):].split(" -- ")[0].strip()
    where = f"revision {event.revision}" if event.revision else "an event"
    return (f"{where} recorded what ran but not what it changed ({what[:200]}): the ledger may not follow the live "
            f"schema from there; `schema-ledger verify --live` shows the difference")
