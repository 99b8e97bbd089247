"""Signed checkpoints and anchored heads: history that cannot be rewritten unnoticed.

The hash chain alone is unkeyed: whoever can write the ledger table can rebuild a consistent
chain. Two things make a rewrite visible:

- a **checkpoint**: at the end of every run that wrote events, the new head (seq, hash, row
  count, time, actor, database) is signed with an Ed25519 key (``--sign-key FILE`` or
  ``$SCHEMA_LEDGER_SIGNING_KEY``) and recorded as a ``checkpoint`` event. ``verify`` checks
  every checkpoint: its signature, that its head is still the event right before it, and (with
  ``trusted_keys`` configured) that its key is trusted; events after the last valid one are
  reported as unsigned.
- an **anchor**: the same head appended as a JSON line to a file kept where the database's
  administrator cannot change it (``--anchor FILE`` or ``anchor = "..."``). Each line carries the
  sha256 of the line before it, so the file is a chain of its own. ``verify --anchor FILE``
  checks that every anchored head of this database is still in the ledger at its seq.

:class:`Seal` is what a writing run does at its end (``LedgerStore.lock`` calls it when the
run changed the head); :class:`SealCheck` is what ``verify`` does.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from ops.base import LedgerError
from ops.classes import define, frozen

from ledger import dialects
from ledger.format.codec import canonical
from ledger.format.events import Actor, Event, format_time

# The cryptography package (a tenth of a rollback's instructions to import) is loaded where a key
# is made, read or checked: a rollback or drill whose ledger holds no checkpoint and that is given
# no key needs none of it to verify the chain.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "ANCHOR_ENV",
    "AnchorError",
    "CHECKPOINT",
    "KEY_ENV",
    "KeyError_",
    "Seal",
    "SealCheck",
    "database_identity",
    "key_id",
    "keygen",
    "load_private_key",
    "load_public_key",
    "read_anchor",
]

CHECKPOINT = "checkpoint"
KEY_ENV = "SCHEMA_LEDGER_SIGNING_KEY"
ANCHOR_ENV = "SCHEMA_LEDGER_ANCHOR"
_GENESIS = "0" * 64
#: an anchor line longer than this is not one this tool wrote
_MAX_ANCHOR_LINE = 4096


class KeyError_(LedgerError, ValueError):  # noqa: N801 - KeyError is a builtin
    """A key file is missing, unreadable or not an Ed25519 key."""


class AnchorError(LedgerError, ValueError):
    """The anchor file cannot be read or written, or is not an anchor file."""


# =============================================================================================
# Keys
# =============================================================================================


def _public_raw(key: Ed25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """A short name of a public key: the first 16 hex digits of the sha256 of its 32 raw bytes."""
    return hashlib.sha256(_public_raw(key)).hexdigest()[:16]


def keygen(path: Path) -> tuple[Path, Path, str]:
    """Write a new Ed25519 key pair: the private key to ``path`` (PEM, mode 0600) and the public key
    to ``path.pub``; refused when either exists. Returns both paths and the key id."""
    public_path = path.with_name(path.name + ".pub")
    for target in (path, public_path):
        if target.exists():
            raise KeyError_(f"{target} already exists: a key is never overwritten")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    if path.parent and not path.parent.is_dir():
        raise KeyError_(f"{path.parent}: no such folder")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(private_pem)
    public_path.write_bytes(public_pem)
    return path, public_path, key_id(key.public_key())


def load_private_key(value: str, *, where: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM text or the path of a PEM file (``where`` names the option)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    text = value.strip()
    if text.startswith("-----BEGIN"):
        data = text.encode("ascii", "replace")
    else:
        try:
            data = Path(value).read_bytes()
        except OSError as exc:
            raise KeyError_(f"{where} {value}: cannot read: {exc.strerror or exc}") from None
        where = f"{where} {value}"
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KeyError_(f"{where}: not an unencrypted PEM private key (make one with `schema-ledger keygen`)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyError_(f"{where}: not an Ed25519 key (make one with `schema-ledger keygen`)")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyError_(f"trusted key {path}: cannot read: {exc.strerror or exc}") from None
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        raise KeyError_(f"trusted key {path}: not a PEM public key (`schema-ledger keygen` writes FILE.pub)") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyError_(f"trusted key {path}: not an Ed25519 public key")
    return key


def database_identity(url: str, fullname: str) -> str:
    """Which ledger a head belongs to: ``backend://host:port/database#ledger table``, the same whoever
    connects and through whichever driver (no user, password, driver or query)."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        return f"{url}#{fullname}"
    backend = parsed.get_backend_name()
    with contextlib.suppress(dialects.UnsupportedDialectError):
        backend = dialects.database(backend).name  # MariaDB's ledgers are MySQL's
    where = f"{parsed.host or ''}{f':{parsed.port}' if parsed.port else ''}"
    return f"{backend}://{where}/{parsed.database or ''}#{fullname}"


# =============================================================================================
# Writing: the end of a run
# =============================================================================================


def _signed_bytes(statement: dict[str, Any]) -> bytes:
    return b"schema-ledger checkpoint v1\n" + canonical(statement)


@frozen
class Seal:
    """What a writing run does at its end: sign the new head (``key``), anchor it (``anchor``)."""

    database: str
    key: Ed25519PrivateKey | None = attrs.field(default=None, eq=False)
    anchor: Path | None = None

    def start(self, conn: sa.Connection, store: Any) -> tuple[int, str] | None:
        """The head when the run takes the lock (the run seals only when it moved the head)."""
        head = store.head(conn)
        if conn.in_transaction():
            conn.commit()
        return (head.seq, head.hash) if head is not None else None

    def finish(self, conn: sa.Connection, store: Any, start: tuple[int, str] | None) -> Event | None:
        """Sign and anchor the head when it moved since ``start``; returns the checkpoint event, if any."""
        if conn.in_transaction():
            conn.commit()
        with conn.begin():
            head = store.head(conn)
            if head is None or (head.seq, head.hash) == start:
                return None
            checkpoint = None
            if self.key is not None and head.kind != CHECKPOINT:
                rows = store.count(conn)
                checkpoint = self.checkpoint(head, rows, Actor.current(db_user=conn.engine.url.username))
                store.insert(conn, [checkpoint])
                head = checkpoint
        if self.anchor is not None:
            append_anchor(self.anchor, {"database": self.database, "seq": head.seq, "hash": head.hash,
                                        "rows": head.seq, "recorded_at": head.recorded_at})
        return checkpoint

    def checkpoint(self, head: Event, rows: int, actor: Actor) -> Event:
        """The checkpoint event that signs ``head`` (``rows``: the ledger's row count with it)."""
        assert self.key is not None
        statement = {
            "database": self.database, "seq": head.seq, "hash": head.hash, "rows": rows,
            "signed_at": format_time(dt.datetime.now(dt.timezone.utc)),
            "actor": {"os_user": actor.os_user, "db_user": actor.db_user, "host": actor.host, "by": actor.by},
        }
        public = self.key.public_key()
        payload = dict(statement, key=base64.b64encode(_public_raw(public)).decode("ascii"),
                       key_id=key_id(public),
                       signature=base64.b64encode(self.key.sign(_signed_bytes(statement))).decode("ascii"))
        return Event.following(head, kind=CHECKPOINT, op=None, payload=canonical(payload).decode("utf-8"),
                               revision=None, message=f"checkpoint of seq {head.seq}", actor=actor)


# =============================================================================================
# The anchor file
# =============================================================================================


def _line_hash(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def _locked(handle: Any) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def append_anchor(path: Path, head: dict[str, Any]) -> str:
    """Append ``head`` to the anchor file, linked to its last line; returns the line written."""
    try:
        with path.open("a+", encoding="utf-8") as handle, _locked(handle):
            handle.seek(0)
            last = None
            for raw in handle:
                if raw.strip():
                    last = raw.rstrip("\n")
            entry = dict(head, prev=_line_hash(last) if last is not None else _GENESIS)
            line = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
            handle.seek(0, os.SEEK_END)
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise AnchorError(f"anchor {path}: cannot write: {exc.strerror or exc}") from None
    return line


@frozen
class AnchorLine:
    number: int
    database: str
    seq: int
    hash: str


def read_anchor(path: Path) -> tuple[list[AnchorLine], list[str]]:
    """The heads of an anchor file and what is wrong with the file itself (its own chain)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnchorError(f"anchor {path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AnchorError(f"anchor {path}: not a text file") from None
    heads: list[AnchorLine] = []
    problems: list[str] = []
    prev = _GENESIS
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"anchor {path} line {number}"
        entry = _anchor_entry(line)
        if entry is None:
            problems.append(f"{where}: not an anchor line")
        else:
            if entry["prev"] != prev:
                problems.append(f"{where}: does not link to the line before it (the anchor file was edited: "
                                "lines changed, removed or inserted)")
            heads.append(AnchorLine(number, entry["database"], entry["seq"], entry["hash"]))
        prev = _line_hash(line)
    return heads, problems


def _anchor_entry(line: str) -> dict[str, Any] | None:
    if len(line) > _MAX_ANCHOR_LINE:
        return None
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    if not isinstance(entry, dict):
        return None
    ok = (isinstance(entry.get("database"), str) and type(entry.get("seq")) is int and entry["seq"] > 0
          and _is_hash(entry.get("hash")) and _is_hash(entry.get("prev")))
    return entry if ok else None


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)


# =============================================================================================
# Checking: verify
# =============================================================================================


@define
class SealCheck:
    """Watches the events ``verify`` reads once, in seq order, and says what is wrong with their
    checkpoints and, with an anchor, with the anchored heads.

    ``problems`` are (seq, message) pairs; ``notes`` say what is unsigned (they do not fail verify).
    """

    trusted: dict[str, Path] = attrs.field(factory=dict)
    anchor: Path | None = None
    database: str | None = None
    problems: list[tuple[int | None, str]] = attrs.field(factory=list)
    notes: list[str] = attrs.field(factory=list)
    _previous: Event | None = None
    _last_valid: int = 0
    _head: Event | None = None
    _anchored: dict[int, list[AnchorLine]] = attrs.field(factory=dict)
    _anchor_lines: int = 0

    @classmethod
    def for_paths(cls, trusted_keys: Sequence[Path], anchor: Path | None, database: str | None) -> SealCheck:
        trusted = {}
        for path in trusted_keys:
            trusted[key_id(load_public_key(path))] = path
        check = cls(trusted=trusted, anchor=anchor, database=database)
        if anchor is not None and not anchor.exists():
            check.notes.append(f"anchor {anchor} does not exist yet: no head was anchored")
        elif anchor is not None:
            heads, problems = read_anchor(anchor)
            check.problems += [(None, p) for p in problems]
            mine = [h for h in heads if database is None or h.database == database]
            check._anchor_lines = len(heads)
            if heads and not mine:
                check.problems.append((None, f"anchor {anchor}: holds no head of this ledger ({database}); "
                                             "it anchors another database"))
            for h in mine:
                check._anchored.setdefault(h.seq, []).append(h)
        return check

    @property
    def active(self) -> bool:
        return bool(self.trusted) or self.anchor is not None

    def watch(self, events: Iterable[Event]) -> Iterator[Event]:
        for event in events:
            self._see(event)
            yield event

    def _see(self, event: Event) -> None:
        for line in self._anchored.pop(event.seq, ()):
            if line.hash != event.hash:
                self.problems.append((event.seq, (
                    f"seq {event.seq}: the anchored head (anchor {self.anchor} line {line.number}, hash "
                    f"{line.hash[:12]}) is not in the ledger any more (hash {event.hash[:12]}): history was rewritten")))
        if event.kind == CHECKPOINT:
            problem = self._checkpoint_problem(event)
            if problem is None:
                self._last_valid = event.seq
            else:
                self.problems.append((event.seq, f"seq {event.seq}: {problem}"))
        self._previous = event
        self._head = event

    def _checkpoint_problem(self, event: Event) -> str | None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            payload = json.loads(event.payload or "")
            statement = {k: payload[k] for k in ("database", "seq", "hash", "rows", "signed_at", "actor")}
            raw = base64.b64decode(payload["key"], validate=True)
            signature = base64.b64decode(payload["signature"], validate=True)
            public = Ed25519PublicKey.from_public_bytes(raw)
        except (ValueError, KeyError, TypeError, binascii.Error):
            return "checkpoint payload is not a signed head"
        if event.revision is not None or event.op_type is not None or event.table_name is not None:
            return "checkpoint row carries a revision, op_type or table_name its payload does not have"
        try:
            public.verify(signature, _signed_bytes(statement))
        except InvalidSignature:
            return f"checkpoint signature does not verify (key {key_id(public)})"
        previous = self._previous
        if previous is None or statement["seq"] != previous.seq or statement["hash"] != previous.hash:
            return (f"the signed head (seq {statement['seq']}, hash {str(statement['hash'])[:12]}) is not in the chain "
                    "any more: history before this checkpoint was rewritten")
        if statement["rows"] != previous.seq:
            return f"the signed head counts {statement['rows']} rows, the ledger has {previous.seq} up to it"
        if self.trusted and key_id(public) not in self.trusted:
            return f"checkpoint is signed by an untrusted key {key_id(public)} (not in trusted_keys)"
        return None

    def finish(self, count: int) -> None:
        """After the last event: what the anchor holds beyond the ledger, and what is unsigned."""
        head = self._head
        for seq in sorted(self._anchored):
            for line in self._anchored[seq]:
                self.problems.append((head.seq if head else None, (
                    f"the anchored head seq {seq} (anchor {self.anchor} line {line.number}) is beyond the ledger "
                    f"({'empty' if head is None else f'head seq {head.seq}'}): its tail was cut or it was emptied")))
        self._anchored.clear()
        if self.trusted and head is not None and head.seq > self._last_valid:
            first = self._last_valid + 1
            last = head.seq
            after = f"the last valid signature (seq {self._last_valid})" if self._last_valid else "any valid signature"
            span = f"seq {first}" if first == last else f"seq {first}..{last}"
            self.notes.append(f"{span}: {last - first + 1} event(s) after {after} are unsigned")


def seal_for(config: Any, fullname: str) -> Seal | None:
    """The seal of ``config``'s writing runs: its signing key and anchor (None when neither is set)."""
    anchor = config.anchor_path
    if config.sign_key is None and anchor is None:
        return None
    key = load_private_key(config.sign_key, where="--sign-key") if config.sign_key is not None else None
    return Seal(database_identity(config.url, fullname), key=key, anchor=anchor)


def check_for(config: Any, fullname: str, *, anchor: Path | None = None) -> SealCheck:
    """What ``verify`` checks of ``config``'s ledger: signatures by its trusted keys, its anchor
    (``anchor`` in place of the configured one)."""
    return SealCheck.for_paths(config.trusted_key_paths, anchor or config.anchor_path,
                               database_identity(config.url, fullname))


class GuardError(LedgerError, RuntimeError):
    """A run that would reverse events found the ledger does not verify: nothing was run."""


def guard(conn: sa.Connection, store: Any, config: Any, what: str) -> list[Event]:
    """Before ``what`` (rollback, drill) runs a statement taken from the ledger: the chain, the
    indexed columns and, when configured, the signatures and the anchor must verify, and with
    ``trusted_keys`` no event may be unsigned. Raises :class:`GuardError` naming the first problem;
    else gives the events it verified (a caller reads only what comes after them)."""
    from ledger.format.events import verify_chain
    from ledger.storage.scan import events as read_events

    check = check_for(config, store.fullname)
    verified = list(check.watch(read_events(conn, store)))
    problems = verify_chain(verified)
    check.finish(0)
    problems += [message for _seq, message in check.problems]
    if check.trusted:
        problems += [f"{note}: sign the head once it is checked (`schema-ledger verify`, then "
                     "`schema-ledger sign --sign-key FILE`)" for note in check.notes]
    if problems:
        more = f" (and {len(problems) - 1} more: run `schema-ledger verify`)" if len(problems) > 1 else ""
        raise GuardError(f"{what} refused, nothing was run: the ledger does not verify: {problems[0]}{more}")
    return verified
