"""Read where a database stands: ``status`` and ``history`` (against the project's revisions) and
``log`` (the ledger's events through its indexed columns). ``status`` reads the state events of all
revisions in one query of narrow columns, never their payloads."""

from __future__ import annotations

import json
import datetime as dt
from typing import Any

import attrs
import sqlalchemy as sa

from ops import LedgerError

from ledger import dialects
from ledger.project.config import Config
from ledger.storage.db import dialect_of
from ledger.format.events import (ALEMBIC_DOWNGRADE, ALEMBIC_KIND, RESYNC, RESYNCED, STATE_KINDS, Actor, Event,
                                  format_time, resync_line)
from ledger.project.revisions import RevisionChain, display_path, load_revisions
from ledger.storage.session import connect, safe_url, store_for, tx, wrap_db_errors
from ledger.storage.store import LedgerStore

__all__ = ["RevisionStatus", "Status", "describe_event", "event_json", "history", "in_doubt_note", "log_events",
           "no_ledger", "status"]


@attrs.frozen
class RevisionStatus:
    id: str
    message: str
    path: str
    applied: bool
    #: the latest apply event of the revision, when it is applied
    applied_event: Event | None
    checksum: str
    checksum_matches: bool | None

    def to_json(self) -> dict[str, Any]:
        event = self.applied_event
        return {
            "revision": self.id, "message": self.message, "path": self.path, "applied": self.applied,
            "applied_seq": event.seq if event else None, "applied_at": event.recorded_at if event else None,
            "applied_by": _who(event.actor) if event else None, "checksum": self.checksum,
            "recorded_checksum": event.revision_checksum if event else None,
            "checksum_matches": self.checksum_matches,
        }


def _who(actor: Actor) -> str:
    who = f"{actor.os_user}@{actor.host}"
    return f"{actor.by} ({who})" if actor.by else who


@attrs.frozen
class Status:
    url: str
    dialect: str
    ledger_table: str
    ledger_exists: bool
    head: Event | None
    current: str | None
    revisions: tuple[RevisionStatus, ...]
    in_doubt: tuple[Event, ...]
    #: revisions the ledger has applied that no migration file defines
    unknown: tuple[str, ...] = ()
    #: (revision, ops in effect, ops in the file) for revisions only partly in effect
    partial: tuple[tuple[str, int, int], ...] = ()
    #: the event from which the ledger may not follow the live schema (see ``events.RESYNC``)
    resync: Event | None = None

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.revisions if not r.applied)

    @property
    def mismatched(self) -> tuple[RevisionStatus, ...]:
        return tuple(r for r in self.revisions if r.checksum_matches is False)

    @property
    def problems(self) -> list[str]:
        """What makes ``status`` exit 1: in-doubt intents, changed files, revisions without a file."""
        problems = [
            f"ledger seq {e.seq}: intent without its event (revision {e.revision}, {e.op_type}) is in doubt: "
            "run `schema-ledger recover`"
            for e in self.in_doubt
        ]
        problems += [
            f"{r.path}: revision {r.id} changed since it was applied (checksum {r.checksum[:12]}, "
            f"recorded {(r.applied_event.revision_checksum or '')[:12] if r.applied_event else '?'})"
            for r in self.mismatched
        ]
        problems += [f"revision {rid} is in effect but no migration file defines it: apply and drill refuse "
                     "until you check out the branch that has its file, or roll it back (`schema-ledger rollback` "
                     "needs no file)" for rid in self.unknown]
        problems += [f"revision {rid} is partly applied ({done} of {total} ops in effect): `schema-ledger apply` goes on "
                     "with the rest on MariaDB/MySQL; elsewhere roll it back" for rid, done, total in self.partial]
        if self.resync is not None:
            problems.append(f"ledger seq {self.resync.seq}: {resync_line(self.resync)}")
        return problems

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url, "dialect": self.dialect, "ledger_table": self.ledger_table,
            "ledger_exists": self.ledger_exists, "current": self.current,
            "head": {"seq": self.head.seq, "hash": self.head.hash, "recorded_at": self.head.recorded_at}
            if self.head else None,
            "pending": list(self.pending),
            "in_doubt": [event_json(e) for e in self.in_doubt],
            "checksum_mismatches": [r.id for r in self.mismatched],
            "unknown_revisions": list(self.unknown),
            "partly_applied": [{"revision": rid, "in_effect": done, "ops": total} for rid, done, total in self.partial],
            "needs_resync": event_json(self.resync) if self.resync is not None else None,
            "revisions": [r.to_json() for r in self.revisions],
            "problems": self.problems,
        }


@attrs.define
class _StateMarks:
    """What ``status`` needs of one revision's apply, revert and baseline events, read in seq order."""

    #: seqs of the events in effect (``in_effect`` over the same events, kept as seqs only)
    live: set[int] = attrs.Factory(set)
    last_seq: int = 0
    last_kind: str = ""
    #: the revision checksum of the latest apply event
    apply_checksum: str | None = None

    def add(self, seq: int, kind: str, reverses: int | None, revision_checksum: str | None) -> None:
        # Reverts name the seq they undo, always one of the same revision's events.
        if kind == "revert" and reverses is not None:
            self.live.discard(reverses)
        else:
            self.live.add(seq)
        self.last_seq, self.last_kind = seq, kind
        if kind == "apply":
            self.apply_checksum = revision_checksum


#: Rows fetched at a time: the state events of a long ledger stream through in batches.
_BATCH = 5000


def _state_marks(store: LedgerStore, conn: sa.Connection,
                 revisions: set[str] | None) -> tuple[dict[str, _StateMarks], bool]:
    """The state events of ``revisions`` (None: of every revision) in one read of five narrow columns (the kind index picks
    the rows; payloads are never read), folded per revision; and whether one of them is an apply event the hook
    recorded for an ``alembic downgrade`` (an ``alembic`` event holds its record, or, in a ledger written before
    those records, its message says so: the database tells, neither is fetched)."""
    t = store.table
    query = (
        sa.select(t.c.seq, t.c.kind, t.c.revision, t.c.reverses, t.c.revision_checksum,
                  sa.case((t.c.kind == ALEMBIC_KIND, t.c.payload.contains(ALEMBIC_DOWNGRADE)),
                          else_=t.c.message.like("%alembic downgrade of %")))
        .where(t.c.kind.in_(sorted(STATE_KINDS | {ALEMBIC_KIND})))
        .order_by(t.c.seq)
        .execution_options(yield_per=_BATCH)
    )
    marks: dict[str, _StateMarks] = {}
    downgraded = False
    for seq, kind, revision, reverses, revision_checksum, downgrade in conn.execute(query):
        if downgrade and kind in ("apply", ALEMBIC_KIND):
            downgraded = True
        if kind == ALEMBIC_KIND:
            continue
        if revision is not None and (revisions is None or revision in revisions):
            mark = marks.get(revision)
            if mark is None:
                mark = marks[revision] = _StateMarks()
            mark.add(int(seq), kind, reverses, revision_checksum)
    return marks, downgraded


def _less_alembic_downgrades(store: LedgerStore, conn: sa.Connection, marks: dict[str, _StateMarks]) -> None:
    """Take out of ``marks`` what an Alembic downgrade took out of effect (``points.net_in_effect``:
    an upgrade and the downgrade that undid it, as Alembic's version table says); a revision left
    with nothing in effect is not applied. Called only when the hook recorded an ``alembic
    downgrade`` (:func:`_state_marks` tells): it reads the whole ledger."""
    from ledger.project.points import net_in_effect

    kept = {event.seq for event in net_in_effect(list(store.events(conn)))}
    for mark in marks.values():
        mark.live &= kept
        if not mark.live and mark.last_kind == "apply":
            mark.last_kind = "revert"  # nothing of it in effect: not applied


def _events_at(store: LedgerStore, conn: sa.Connection, seqs: list[int]) -> dict[int, Event]:
    """The events at ``seqs`` (primary-key reads, a few hundred per statement)."""
    t = store.table
    found: dict[int, Event] = {}
    for start in range(0, len(seqs), 500):
        for row in conn.execute(sa.select(t).where(t.c.seq.in_(seqs[start:start + 500]))):
            event = Event.from_row(row)
            found[event.seq] = event
    return found


def _in_doubt(store: LedgerStore, conn: sa.Connection) -> tuple[Event, ...]:
    """The latest intent, when no later event settles it.

    Runners refuse to go on while an intent is in doubt, so only the latest one can be open:
    finding it takes the (kind, seq) index and the few events after it.
    """
    table = store.table
    row = conn.execute(
        sa.select(table).where(table.c.kind == "intent").order_by(table.c.seq.desc()).limit(1)
    ).first()
    if row is None:
        return ()
    from ledger.storage.view import LedgerView  # the fold's machinery, only when an intent was ever written

    view = LedgerView()
    view.open_intents[int(row.seq)] = Event.from_row(row)
    for event in store.events(conn, after_seq=int(row.seq)):
        if event.kind in STATE_KINDS or event.kind == "abandon":
            view._settle(event)
    return view.in_doubt


def status(config: Config, *, chain: RevisionChain | None = None) -> Status:
    """Where the database stands against the project's revisions."""
    if chain is None:
        chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention)
    store = store_for(config)
    with connect(config.url, reads_only=True) as conn, wrap_db_errors(), tx(conn):
        dialect = dialect_of(conn)
        exists = store.exists(conn)
        head = store.head(conn) if exists else None
        # Every revision's marks: those no file defines are found too.
        marks, downgraded = _state_marks(store, conn, None) if exists else ({}, False)
        if downgraded:
            _less_alembic_downgrades(store, conn, marks)
        applied_at = _events_at(store, conn, sorted(m.last_seq for m in marks.values()
                                                    if m.last_kind in ("apply", "baseline")))
        revisions = []
        partial = []
        current = None
        in_doubt = _in_doubt(store, conn) if exists else ()

        def _in_doubt_for(revision: str) -> bool:
            return any(e.revision == revision for e in in_doubt)

        for revision in chain:
            mark = marks.get(revision.id, _StateMarks())
            # A revision records one event per op, and one for no op.
            expected = max(1, revision.op_count)
            effective = len(mark.live)
            unchanged = not mark.apply_checksum or mark.apply_checksum == revision.checksum
            partly = 0 < effective < expected and unchanged
            if partly:
                partial.append((revision.id, effective, expected))
            event = applied_at.get(mark.last_seq)
            if event is not None and not partly and not _in_doubt_for(revision.id):
                # A revision partly applied (a run stopped inside it) is not where the database is.
                current = revision.id
            recorded = event.revision_checksum if event is not None else None
            revisions.append(RevisionStatus(
                id=revision.id, message=revision.title, path=display_path(revision.path), applied=event is not None,
                applied_event=event, checksum=revision.checksum,
                checksum_matches=None if not recorded else recorded == revision.checksum,
            ))
        resync = _open_resync(store, conn) if exists else None
        # Revisions in effect that no file defines, oldest first; the ledger's current revision is
        # the one whose events in effect are the newest, file or no file.
        in_effect = {rid: max(m.live) for rid, m in marks.items() if m.live}
        unknown = sorted((rid for rid in in_effect if chain.get(rid) is None), key=in_effect.__getitem__)
        if head is not None and head.revision is not None and chain.get(head.revision) is None \
                and head.kind == "intent" and head.revision not in unknown:
            unknown.append(head.revision)
        if unknown and in_effect:
            current = max(in_effect, key=in_effect.__getitem__)
    return Status(
        url=safe_url(config.url), dialect=dialect, ledger_table=store.fullname, ledger_exists=exists, head=head,
        current=current, revisions=tuple(revisions), in_doubt=in_doubt, unknown=tuple(unknown),
        partial=tuple(partial), resync=resync,
    )


def _open_resync(store: LedgerStore, conn: sa.Connection) -> Event | None:
    """The first event since the last re-sync that recorded what ran but not what it changed."""
    table = store.table
    done = conn.execute(sa.select(sa.func.max(table.c.seq)).where(table.c.message.like(RESYNCED + "%"))).scalar()
    query = sa.select(table).where(table.c.message.like(RESYNC + "%")).order_by(table.c.seq).limit(1)
    if done is not None:
        query = query.where(table.c.seq > done)
    row = conn.execute(query).first()
    return Event.from_row(row) if row is not None else None


def ledger_events_or_none(config: Config) -> list[Event] | None:
    """Every event of ``config``'s ledger; None when the database has no ledger table (or no file)."""
    path = dialects.database_file(config.url)
    if path is not None and not path.exists():
        return None
    store = store_for(config)
    with connect(config.url, reads_only=True) as conn, wrap_db_errors(), tx(conn):
        if not store.exists(conn):
            return None
        return list(store.events(conn))


def history(config: Config, *, chain: RevisionChain | None = None) -> tuple[RevisionStatus, ...]:
    """The revisions in chain order, each with whether (and when, by whom) it is applied."""
    return status(config, chain=chain).revisions


# ---------------------------------------------------------------------------------------------
# Log
# ---------------------------------------------------------------------------------------------


def event_json(event: Event) -> dict[str, Any]:
    data = event.to_json()
    data["describe"] = describe_event(event)
    return data


def describe_event(event: Event) -> str:
    if event.kind == "drill":
        return _describe_drill(event)
    if event.kind == "checkpoint":
        return _describe_checkpoint(event)
    if event.kind == ALEMBIC_KIND:
        from ledger.format.alembic_record import read_alembic

        try:
            return read_alembic(event).describe()
        except LedgerError as exc:
            return f"(unreadable record: {exc})"
    if event.payload is None:
        return "(no op)" if event.kind in STATE_KINDS else ""
    try:
        op = event.op
    except LedgerError as exc:
        return f"(unreadable payload: {exc})"
    return op.describe() if op is not None else ""


def _describe_checkpoint(event: Event) -> str:
    try:
        data = json.loads(event.payload or "null")
        return f"signed head seq {int(data['seq'])} (key {str(data['key_id'])[:16]})"
    except (ValueError, TypeError, KeyError):
        return "(unreadable checkpoint)"


def _describe_drill(event: Event) -> str:
    try:
        from ledger.format.codec import DRILL_RECORD, decode_record

        data = decode_record(event.payload, DRILL_RECORD, seq=event.seq)
        rows = data["revisions"]
        return f"drill {'passed' if data['passed'] else 'failed'}: {len(rows)} revision{'s' if len(rows) != 1 else ''} up to {data['head']}"
    except (LedgerError, TypeError, KeyError):
        return "drill (unreadable result)"


def no_ledger(config: Config) -> str | None:
    """What to say when the database at the config's URL has no ledger table (the wrong database,
    or one never migrated here); None when it has one. A missing SQLite file is not made."""
    store = store_for(config)
    with connect(config.url, reads_only=True) as conn, wrap_db_errors(), tx(conn):
        if store.exists(conn):
            return None
    return (f"{safe_url(config.url)} has no ledger table {store.fullname}: nothing was applied or baselined "
            "in this database (is it the right one?)")


def log_events(
    config: Config,
    *,
    revision: str | None = None,
    table: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[Event]:
    """The ledger's events, oldest first, filtered through the indexed columns."""
    store = store_for(config)
    with connect(config.url, reads_only=True) as conn, wrap_db_errors(), tx(conn):
        if not store.exists(conn):
            return []
        t = store.table
        query = sa.select(t).order_by(t.c.seq)
        if revision is not None:
            query = query.where(t.c.revision == revision)
        if table is not None:
            query = query.where(t.c.table_name == table)
        if since is not None:
            query = query.where(t.c.recorded_at >= format_time(since))
        if until is not None:
            query = query.where(t.c.recorded_at <= format_time(until))
        return [Event.from_row(row) for row in conn.execute(query)]




def in_doubt_note(config: Config) -> str:
    """One phrase naming the intent in doubt in ``config``'s ledger (read afresh), or "" when none is."""
    store = store_for(config)
    with connect(config.url, reads_only=True) as conn, wrap_db_errors(), tx(conn):
        if not store.exists(conn):
            return ""
        doubt = _in_doubt(store, conn)
    if not doubt:
        return ""
    intent = doubt[0]
    return (f"ledger seq {intent.seq} (revision {intent.revision}: {intent.op_type}) is in doubt: "
            "run `schema-ledger recover`")
