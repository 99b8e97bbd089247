"""Audit: prove that a ledger is whole and matches its files and its database; who changed what.

:func:`verify` reads a ledger (from its database, or an exported JSON-lines file with
:func:`verify_file`) once, in seq order, and reports every problem it finds, one line each
naming the seq, revision, file or object it concerns:

- the chain: seq runs 1, 2, 3 ... without gaps, every ``prev_hash`` links to the event before,
  every ``hash`` recomputes from the row's content, every payload decodes, the events fold;
- intents without their event (in doubt, MariaDB/MySQL);
- revision files: every revision in effect whose events recorded a checksum still has its
  file, and the file's checksum is the recorded one (an edited or deleted file is named);
- ``expect_head``: the head hash is the one written down earlier, which catches a cut tail
  (deleting the newest rows leaves a chain that is whole in itself);
- ``live``: the reflected live schema equals the fold, and where it does not, the ops that
  lead from the fold to the live schema (:func:`ledger.inspect.drift.drift`) show what
  changed by hand; and the sequences no column owns are those the ``execute`` events made
  (:class:`ledger.dialects.sequences.SequenceFold`), each option they stated as the database
  stores it.

Who changed what is :mod:`ledger.inspect.blame`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
import sqlalchemy as sa

from ops import ExecuteSQLOp, LedgerError, SchemaState

from ledger import dialects
from ledger.dialects.sequences import SequenceFold
from ledger.format.events import STATE_KINDS, Event, is_resynced, needs_resync, resync_line, verify_chain
from ledger.inspect.drift import Drift, drift, reflect_live
from ledger.project.config import Config
from ledger.project.revisions import RevisionChain, display_path
from ledger.storage.archive import read_jsonl, write_jsonl
from ledger.storage.db import DatabaseError, dialect_of
from ledger.storage.scan import events as read_events
from ledger.storage.session import connect, store_for
from ledger.storage.snapshots import SnapshotCheck
from ledger.storage.store import LedgerStore
from ledger.storage.view import LedgerView
from ledger.support.gcpause import collection_paused

__all__ = [
    "InvalidInput",
    "Problem",
    "VerifyReport",
    "check_events",
    "export_jsonl",
    "parse_target",
    "read_transaction",
    "verify",
    "verify_file",
]

_HASH = re.compile(r"[0-9a-f]{64}")


# =============================================================================================
# Problems and the report
# =============================================================================================


@attrs.frozen
class Problem:
    """One thing wrong, on one line; ``seq`` and ``object`` say where (either may be None)."""

    kind: str  # ledger | chain | fold | in-doubt | checksum | head | live | snapshot
    message: str
    seq: int | None = None
    object: str | None = None

    def __str__(self) -> str:
        return self.message

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "seq": self.seq, "object": self.object}


@attrs.frozen
class VerifyReport:
    """What ``verify`` checked and found."""

    source: str
    events: int
    head: Event | None
    problems: tuple[Problem, ...]
    #: whether revision checksums were compared with the files
    checksums_checked: bool = False
    #: whether the live schema was compared with the fold
    live_checked: bool = False
    #: with ``live``: the ops that lead from the fold to the live schema
    drift: Drift | None = None
    #: what was found that does not fail verify (events after the last valid signature)
    notes: tuple[str, ...] = ()
    #: whether checkpoint signatures / an anchor were checked
    signatures_checked: bool = False
    anchor_checked: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        head = self.head
        return {
            "ok": self.ok, "source": self.source, "events": self.events,
            "head": {"seq": head.seq, "hash": head.hash, "recorded_at": head.recorded_at} if head else None,
            "checksums_checked": self.checksums_checked, "live_checked": self.live_checked,
            "drift": self.drift.to_json() if self.drift is not None else None,
            "signatures_checked": self.signatures_checked, "anchor_checked": self.anchor_checked,
            "notes": list(self.notes),
            "problems": [p.to_json() for p in self.problems],
        }


class InvalidInput(LedgerError, ValueError):
    """A head hash or a blame target given on the command line that is not one."""


def parse_target(text: str) -> str:
    """An expected head hash as written down: 64 hex digits, any case."""
    value = text.strip().lower()
    if not _HASH.fullmatch(value):
        raise InvalidInput(f"{text!r} is not a head hash (64 hex digits, as `status` prints it)")
    return value


# =============================================================================================
# The chain, the fold, the files
# =============================================================================================


@attrs.define
class _Reader:
    """Reads events once: checks the chain as it goes and folds what it can."""

    view: LedgerView = attrs.field(factory=LedgerView)
    count: int = 0
    head: Event | None = None
    problems: list[Problem] = attrs.field(factory=list)
    #: the seq at which the fold stopped (a payload that does not decode or does not fit)
    fold_stopped: int | None = None
    expect_head: str | None = None
    expected_at: int | None = None
    #: called with each event and the fold after it (snapshots are checked against the fold so)
    observe: Callable[[Event, SchemaState], None] | None = None
    #: the latest event that recorded what ran but not what it changed, unless a later one re-synced
    resync: Event | None = None
    #: the sequences the ``execute`` events made, folded from their SQL (``verify --live`` compares them)
    sequences: SequenceFold | None = None

    def take(self, events: Iterable[Event]) -> Iterator[Event]:
        for event in events:
            self.count += 1
            self.head = event
            if self.expect_head is not None and event.hash == self.expect_head:
                self.expected_at = event.seq
            self._fold(event)
            if needs_resync(event.message):
                self.resync = self.resync or event
            elif self.resync is not None and is_resynced(event.message):
                self.resync = None
            yield event

    def _fold(self, event: Event) -> None:
        if self.fold_stopped is not None:
            return
        try:
            self.view.feed([event])
        except LedgerError as exc:
            self.fold_stopped = event.seq
            if _decodes(event):  # an undecodable payload is reported by the chain check already
                self.problems.append(Problem("fold", f"seq {event.seq}: {_strip_seq(str(exc))}", seq=event.seq))
            return
        if self.sequences is not None and event.kind in STATE_KINDS and isinstance(event.op, ExecuteSQLOp):
            self.sequences.take(event.op.sqltext, event.seq)
        if self.observe is not None:
            self.observe(event, self.view.state)


def _decodes(event: Event) -> bool:
    try:
        event.op  # noqa: B018 - decoding is the check
    except LedgerError:
        return False
    return True


def _strip_seq(message: str) -> str:
    return re.sub(r"^ledger seq \d+ ", "", message)


def _seq_of(message: str) -> int | None:
    match = re.search(r"\bseq (\d+)", message)
    return int(match.group(1)) if match else None


# The events read, their ops and the fold are acyclic: a collection during the read walked the
# whole heap of the process again and again (in a program that holds many objects, such as a test
# run or a benchmark beside Alembic, it doubled the time of ``verify --live``).
@collection_paused
def check_events(
    events: Iterable[Event], *, chain: RevisionChain | None = None, expect_head: str | None = None,
    observe: Callable[[Event, SchemaState], None] | None = None, sequences: SequenceFold | None = None,
) -> tuple[list[Problem], LedgerView, int, Event | None, int | None]:
    """Check ``events`` (in seq order) and fold them; ``observe(event, state)`` sees the fold after each,
    ``sequences`` takes the SQL of each ``execute`` event that changed the schema.

    Returns the problems, the folded view, how many events were read, the head, and the seq
    at which the fold stopped (None when every event folded).
    """
    reader = _Reader(expect_head=expect_head, observe=observe, sequences=sequences)
    chain_problems = [Problem("chain", line, seq=_seq_of(line)) for line in verify_chain(reader.take(events))]
    problems = sorted(chain_problems + reader.problems, key=lambda p: (p.seq or 0, p.kind != "chain"))
    view = reader.view
    for intent in view.in_doubt:
        problems.append(Problem(
            "in-doubt", f"seq {intent.seq}: intent without its event (revision {intent.revision}, {intent.op_type}) "
            "is in doubt: the live schema may differ from the ledger", seq=intent.seq, object=intent.revision))
    if reader.resync is not None:
        event = reader.resync
        problems.append(Problem(
            "re-sync", f"seq {event.seq}: {resync_line(event)}", seq=event.seq, object=event.revision))
    if chain is not None:
        problems += _checksum_problems(chain, view)
    if expect_head is not None:
        problems += _head_problems(expect_head, reader.head, reader.expected_at)
    return problems, view, reader.count, reader.head, reader.fold_stopped


def _checksum_problems(chain: RevisionChain, view: LedgerView) -> list[Problem]:
    """Revisions in effect whose file is gone or no longer gives the recorded checksum."""
    problems = []
    for revision_id, event in sorted(view.last_apply.items(), key=lambda item: item[1].seq):
        # A revision recorded without a checksum (the Alembic hook) has no file to compare.
        if not view.in_effect(revision_id) or not event.revision_checksum:
            continue
        revision = chain.get(revision_id)
        if revision is None:
            problems.append(Problem(
                "checksum", f"revision {revision_id} is applied (seq {event.seq}) but no migration file defines it: "
                "its file was deleted or its id changed", seq=event.seq, object=revision_id))
        elif revision.checksum != event.revision_checksum:
            path = display_path(revision.path)
            problems.append(Problem(
                "checksum", f"{path}: revision {revision_id} changed since it was applied (seq {event.seq} recorded "
                f"checksum {event.revision_checksum[:12]}, the file gives {revision.checksum[:12]})",
                seq=event.seq, object=path))
    return problems


def _head_problems(expected: str, head: Event | None, found_at: int | None) -> list[Problem]:
    if head is None:
        return [Problem("head", f"the ledger is empty, not at the expected head {expected}", object=expected)]
    if head.hash == expected:
        return []
    if found_at is not None:
        return [Problem(
            "head", f"seq {head.seq}: head hash {head.hash[:12]} is not the expected {expected[:12]}, which is the hash "
            f"of seq {found_at}: {head.seq - found_at} event{'s were' if head.seq - found_at != 1 else ' was'} recorded after it", seq=head.seq, object=expected)]
    return [Problem(
        "head", f"seq {head.seq}: the expected head {expected[:12]} is nowhere in the ledger (head hash "
        f"{head.hash[:12]}): its tail was cut or the chain rewritten", seq=head.seq, object=expected)]


# =============================================================================================
# verify
# =============================================================================================


@contextlib.contextmanager
def read_transaction(config: Config) -> Iterator[sa.Connection]:
    """A connection with one read transaction open: every check sees the same ledger."""
    try:
        with connect(config.url, reads_only=True) as conn, conn.begin():
            yield conn
    except sa.exc.DBAPIError as exc:
        raise DatabaseError(" ".join(str(getattr(exc, "orig", None) or exc).split())[:500]) from None


def verify(
    config: Config, *, chain: RevisionChain | None = None, live: bool = False, expect_head: str | None = None,
    anchor: Path | None = None,
) -> VerifyReport:
    """Verify the ledger in ``config``'s database (see the module docstring for what is checked).

    ``anchor``: the anchor file to check the ledger against (default: the configured one).
    """
    from ledger.storage.seal import check_for

    store = LedgerStore(config.ledger_table, config.ledger_schema)
    sealed = check_for(config, store.fullname, anchor=anchor)
    with read_transaction(config) as conn:
        if not store.exists(conn):
            # A database that was never migrated here (or the wrong database) proves nothing.
            url = sa.make_url(config.url).render_as_string(hide_password=True)
            problem = Problem("ledger", f"{url} has no ledger table {store.fullname}: nothing was applied or baselined "
                              "in this database (is it the right one?)", object=store.fullname)
            return VerifyReport(url, 0, None, (problem,), checksums_checked=False)
        snapshots = SnapshotCheck(conn, store)
        sequences = SequenceFold(conn.dialect.default_schema_name) if live else None
        problems, view, count, head, stopped = check_events(
            sealed.watch(read_events(conn, store)), chain=chain, expect_head=expect_head,
            observe=snapshots.observe if snapshots.keys else None, sequences=sequences)
        problems += [Problem("snapshot", message, seq=seq) for seq, message in snapshots.finish(stopped)]
        sealed.finish(count)
        problems += [Problem("seal", message, seq=seq) for seq, message in sealed.problems]
        found: Drift | None = None
        notes: list[str] = []
        if live and count == 0:
            tables = sorted(t.name for t in reflect_live(conn, config).tables.values())
            if tables:
                problems.append(Problem(
                    "live", f"the ledger is empty but the database has {len(tables)} table(s) it does not describe "
                    f"({', '.join(tables[:5])}{', ...' if len(tables) > 5 else ''}): the ledger was emptied or "
                    "never recorded them (baseline adopts such a database)"))
        if live:
            if stopped is not None:
                problems.append(Problem("live", f"live schema not compared: the ledger does not fold past seq {stopped}",
                                        seq=stopped))
            else:
                found = drift(view.state, reflect_live(conn, config, view.state), dialect_of(conn))
                if found is not None:
                    problems += [Problem("live", f"live schema differs from the ledger: {line}", object=_object_of(line))
                                 for line in found.lines()]
                assert sequences is not None
                if sequences.unread:
                    notes.append(f"sequences not compared: seq {', '.join(map(str, sorted(set(sequences.unread))))} "
                                 "ran SQL that may make, change or drop a sequence in a way the ledger does not read")
                else:
                    problems += [Problem("live", f"live schema differs from the ledger: {line}", object=name)
                                 for name, line in _sequence_differences(conn, sequences)]
    url = sa.make_url(config.url).render_as_string(hide_password=True)
    return VerifyReport(url, count, head, tuple(problems), checksums_checked=chain is not None,
                        live_checked=live and stopped is None, drift=found, notes=(*sealed.notes, *notes),
                        signatures_checked=bool(sealed.trusted), anchor_checked=sealed.anchor is not None)


def _sequence_differences(conn: sa.Connection, fold: SequenceFold) -> list[tuple[str, str]]:
    """How the sequences the database holds (those no column owns; of the default schema and of
    each schema the fold names) differ from those the ledger's events made."""
    database = dialects.database(dialect_of(conn))
    live = list(database.reflect_sequences(conn, None))
    for schema in sorted(fold.schemas):
        live += database.reflect_sequences(conn, schema)
    return fold.differences(live)


def _object_of(line: str) -> str | None:
    match = re.search(r"\bon ([\w.\"`]+)|\b(?:table|column) ([\w.\"`]+)", line)
    return (match.group(1) or match.group(2)) if match else None


def verify_file(path: str | Path, *, chain: RevisionChain | None = None, expect_head: str | None = None,
                trusted_keys: Sequence[Path] = (), anchor: Path | None = None) -> VerifyReport:
    """Verify an exported ledger (``log --format jsonl``) with no database; ``trusted_keys`` and
    ``anchor`` as for :func:`verify` (every head of the anchor file is compared: the export names no
    database)."""
    from ledger.storage.seal import SealCheck

    sealed = SealCheck.for_paths(trusted_keys, anchor, None)
    problems, _view, count, head, _stopped = check_events(sealed.watch(read_jsonl(path)), chain=chain,
                                                          expect_head=expect_head)
    sealed.finish(count)
    problems += [Problem("seal", message, seq=seq) for seq, message in sealed.problems]
    return VerifyReport(str(path), count, head, tuple(problems), checksums_checked=chain is not None,
                        notes=tuple(sealed.notes), signatures_checked=bool(sealed.trusted),
                        anchor_checked=sealed.anchor is not None)


def export_jsonl(config: Config, out: IO[str]) -> int:
    """Write every event of the ledger, in seq order, as JSON lines; return how many."""
    store = store_for(config)
    with read_transaction(config) as conn:
        return write_jsonl(read_events(conn, store), out)
