"""Points in the history (a revision, ``@SEQ``, a timestamp, ``base``, ``-N``) and rollback plans."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

import attrs

from ops import MigrateOperation, SchemaState, TableSpec
from ops.base import IrreversibleError, LedgerError
from ops.classes import frozen

from ledger.format.alembic_record import downgraded_events
from ledger.format.events import STATE_KINDS, Event, fold_events, format_time, in_effect

__all__ = [
    "InvalidPoint",
    "Revert",
    "applied_revisions",
    "net_in_effect",
    "parse_time",
    "plan_rollback",
    "resolve_point",
    "state_at",
]


class InvalidPoint(LedgerError, ValueError):
    """A point that names nothing in this ledger."""


_SEQ = re.compile(r"^@(\d+)$")
_BACK = re.compile(r"^-(\d+)$")


def parse_time(text: str) -> dt.datetime | None:
    """An ISO 8601 time (naive means UTC), or None when ``text`` is not one."""
    candidate = text.strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", candidate):
        return None
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(candidate)
    except ValueError:
        raise InvalidPoint(f"{text!r} is not a valid ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment


def net_in_effect(events: Sequence[Event]) -> list[Event]:
    """:func:`in_effect` less what an Alembic downgrade undid: the hook records ``alembic downgrade``
    of a revision as the ops its ``downgrade()`` ran, after the events of its upgrade. Where the
    downgrade left the schema as it was before that upgrade (the fold says so), the upgrade's
    events and the downgrade's are no longer in effect, as Alembic's version table says: a
    rollback undoes neither, and counts the revision once, for the upgrade that ran again since
    (``upgrade``, ``downgrade``, ``upgrade`` is one revision in effect, not three). A downgrade
    that left something else (or of a revision the ledger did not record) stays in effect. Columns
    are compared by name, not by place (:func:`_same_tables`)."""
    live = in_effect(events)
    downgrades = downgraded_events(events)
    if not any(e.seq in downgrades for e in live):
        return live
    before: dict[int, SchemaState] = {}
    after: dict[int, SchemaState] = {}
    state = fold_events(())
    for event in events:
        if event.kind in STATE_KINDS:
            before[event.seq] = state
            state = fold_events((event,), state)
            after[event.seq] = state
    kept: list[Event] = []
    i = 0
    while i < len(live):
        revision = downgrades.get(live[i].seq)
        j = i + 1
        while j < len(live) and revision is not None and downgrades.get(live[j].seq) == revision:
            j += 1
        if revision is None:
            kept.append(live[i])
            i += 1
            continue
        run = live[i:j]
        start = len(kept)  # the latest run of the revision's own events still kept, up to the downgrade
        while start > 0 and kept[start - 1].revision == revision and kept[start - 1].seq not in downgrades:
            start -= 1
        if start < len(kept) and _same_tables(before[kept[start].seq], after[run[-1].seq]):
            del kept[start:]
        else:
            kept += run
        i = j
    return kept


def _same_tables(a: SchemaState, b: SchemaState) -> bool:
    """``a`` and ``b`` hold the same tables, each table's columns compared by name, not by place: Alembic
    adds a column only at the end of its table (``add_column``; a batch rebuild on SQLite places it as
    it goes), so the ``downgrade()`` that adds back a column its upgrade dropped leaves it elsewhere."""
    if a.tables == b.tables:
        return True
    if set(a.tables) != set(b.tables):
        return False
    return all(_by_name(table) == _by_name(b.tables[key]) for key, table in a.tables.pairs())


def _by_name(table: TableSpec) -> TableSpec:
    return attrs.evolve(table, columns=tuple(sorted(table.columns, key=lambda column: column.name)))


def applied_revisions(events: Sequence[Event]) -> list[str]:
    """Revisions whose ops are in effect (:func:`net_in_effect`), in the order they were (last) applied."""
    order: dict[str, int] = {}
    for event in net_in_effect(events):
        if event.revision is not None and event.kind in ("apply", "baseline"):
            order[event.revision] = event.seq
    return [rev for rev, _ in sorted(order.items(), key=lambda item: item[1])]


def resolve_point(point: str, events: Sequence[Event], *, applied_only: bool = True) -> int:
    """The ledger position (seq) that ``point`` names; 0 is ``base`` (before every event).

    A revision names the last of its events in effect. With ``applied_only=False`` (what
    ``schema --at`` uses) a revision that has since been rolled back names the end of its
    latest apply instead of being refused.
    """
    text = point.strip()
    head = events[-1].seq if events else 0
    if text == "base":
        return 0
    if text in ("head", "@head"):
        return head
    match = _SEQ.match(text)
    if match:
        seq = int(match.group(1))
        if not 1 <= seq <= head:
            raise InvalidPoint(f"@{seq} is not a ledger position (the ledger holds @1 to @{head})"
                               if head else f"@{seq}: the ledger is empty")
        return seq
    match = _BACK.match(text)
    if match:
        steps = int(match.group(1))
        applied = applied_revisions(events)
        if steps < 1 or steps > len(applied):
            raise InvalidPoint(f"{text}: {len(applied)} revision(s) are applied")
        if steps == len(applied):
            return 0
        return _revision_end(applied[-steps - 1], events)
    moment = parse_time(text)
    if moment is not None:
        stamp = format_time(moment)
        seq = 0
        for event in events:
            if event.recorded_at <= stamp:
                seq = event.seq
            else:
                break
        if seq == 0:
            first = events[0].recorded_at if events else "no event"
            raise InvalidPoint(f"{text} is before the first event ({first})")
        return seq
    if any(e.revision == text for e in events):
        return _revision_end(text, events, applied_only=applied_only)
    raise InvalidPoint(f"{text!r} is not a revision, @SEQ, ISO time, base or -N known to this ledger")


def _revision_end(revision: str, events: Sequence[Event], *, applied_only: bool = True) -> int:
    """The seq of the last event in effect of ``revision`` (or of its latest apply run)."""
    live = [e.seq for e in in_effect(events) if e.revision == revision]
    if live:
        return max(live)
    if not applied_only:
        applies = [e.seq for e in events if e.revision == revision and e.kind in ("apply", "baseline")]
        if applies:
            return max(applies)
    raise InvalidPoint(f"revision {revision} is not applied")


def state_at(events: Iterable[Event], seq: int) -> SchemaState:
    """The schema as of ledger position ``seq`` (every event up to it, reverts included)."""
    return fold_events(e for e in events if e.seq <= seq)


@frozen
class Revert:
    """One step of a rollback: the event undone and the (uncompleted) reverse op that undoes it.

    ``op`` is None for an event without an op (an empty revision's ``apply``): its revert is
    recorded without a payload, so that the revision is no longer in effect. ``skipped`` marks
    an irreversible op whose reverse is unknown, undone in the ledger only (drills on a scratch
    database do that to go on below it).
    """

    event: Event
    op: MigrateOperation | None
    skipped: bool = False


def plan_rollback(events: Sequence[Event], to_seq: int, *, skip_irreversible: bool = False) -> list[Revert]:
    """Reverts, newest first, of every event after ``to_seq`` still in effect.

    Checked whole before anything runs: an irreversible op raises IrreversibleError naming
    its revision and seq (unless ``skip_irreversible``, which plans it as a skipped revert).
    """
    undo = [e for e in net_in_effect(events) if e.seq > to_seq]
    plan: list[Revert] = []
    blocked: list[str] = []
    for event in reversed(undo):
        op = event.op
        if op is None:
            plan.append(Revert(event, None))
            continue
        try:
            plan.append(Revert(event, op.reverse()))
        except IrreversibleError as exc:
            if skip_irreversible:
                plan.append(Revert(event, None, skipped=True))
            else:
                blocked.append(f"revision {event.revision} seq {event.seq}: {exc}")
    if blocked:
        raise IrreversibleError("cannot roll back past irreversible operations: " + "; ".join(blocked))
    return plan
