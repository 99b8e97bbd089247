"""What Alembic knew of a revision when the hook ran its upgrade: the ``alembic`` event's record.

Alembic's version table holds the heads of its revision graph, and how a row follows an undone
revision depends on that graph: a merge's row becomes the rows of the revisions it merged, a
branch's first revision deletes its row, ``depends_on`` takes part in both. The hook writes one
``alembic`` event per revision it upgrades, after the revision's own events, whose payload is
this record (``{"record": {...}, "type": "schema-ledger/alembic-revision", "v": 1}``):

- ``revision``: the revision's id (also the event's ``revision`` column);
- ``down_revisions``: its ``down_revision``, a list (two or more for a merge, none for a base);
- ``depends_on``: its ``depends_on``, resolved to revision ids as Alembic resolved them;
- ``branch_labels``: the labels the revision itself declares;
- ``version_table`` and ``version_table_schema``: the version table Alembic moved for it.

A rollback reads them (the newest record of each revision, since a revision upgraded again may
have been changed meanwhile) to leave the version rows as Alembic's own downgrade would, without
the revision files. Ledgers written before these records hold none.

When Alembic runs a revision's ``downgrade()`` under the hook, the ops it ran are recorded as
``apply`` events, and after them an ``alembic`` event whose record says which
(``{"record": {...}, "type": "schema-ledger/alembic-downgrade", "v": 1}``): ``revision``, and
``first`` and ``last``, the seqs of the downgrade's own events. :func:`downgraded_events` reads
them (``points.net_in_effect`` takes an upgrade and the downgrade that undid it out of effect).
Ledgers written before this record tell a downgrade's events by their message alone
(``alembic downgrade of REV``): events below the ledger's first downgrade record are still told so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ops import LedgerFormatError
from ops.classes import frozen

from ledger.format.codec import decode_record, encode_record, register_record
from ledger.format.events import ALEMBIC_DOWNGRADE, ALEMBIC_KIND, Event
from ledger.support.lazyre import lazy

__all__ = ["ALEMBIC_DOWNGRADE", "ALEMBIC_KIND", "ALEMBIC_RECORD", "AlembicDowngrade", "AlembicRevision",
           "downgraded_events", "read_alembic", "recorded_revisions"]

#: the type tag of a revision's record (the event kind, ALEMBIC_KIND, and the downgrade record's
#: tag, ALEMBIC_DOWNGRADE, are ledger.format.events')
ALEMBIC_RECORD = "schema-ledger/alembic-revision"

register_record(ALEMBIC_RECORD, version=1)
register_record(ALEMBIC_DOWNGRADE, version=1)


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@frozen
class AlembicRevision:
    """One revision as Alembic knew it (see the module's docstring)."""

    revision: str
    down_revisions: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    branch_labels: tuple[str, ...] = ()
    version_table: str = "alembic_version"
    version_table_schema: str | None = None

    @classmethod
    def of(cls, revision: str, down_revision: Any, depends_on: Any, branch_labels: Any, version_table: str,
           version_table_schema: str | None) -> AlembicRevision:
        """From Alembic's values: a down revision and a ``depends_on`` each None, an id or ids."""
        return cls(revision, _names(down_revision), _names(depends_on), _names(branch_labels),
                   version_table, version_table_schema)

    def payload(self) -> str:
        """The event's payload: the record under its type tag and version, canonical JSON."""
        return encode_record(ALEMBIC_RECORD, {
            "revision": self.revision, "down_revisions": list(self.down_revisions),
            "depends_on": list(self.depends_on), "branch_labels": list(self.branch_labels),
            "version_table": self.version_table, "version_table_schema": self.version_table_schema,
        }).decode("utf-8")

    @classmethod
    def read(cls, event: Event) -> AlembicRevision:
        """The record ``event`` holds; LedgerFormatError naming its seq when it holds none."""
        record = decode_record(event.payload, ALEMBIC_RECORD, seq=event.seq)
        try:
            lists = {key: record[key] for key in ("down_revisions", "depends_on", "branch_labels")}
            revision, table, schema = record["revision"], record["version_table"], record["version_table_schema"]
        except KeyError as exc:
            raise LedgerFormatError(f"record at seq {event.seq}: no {exc.args[0]!r}") from None
        if not all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in lists.values()) \
                or not isinstance(revision, str) or not isinstance(table, str) \
                or not isinstance(schema, (str, type(None))) or revision != event.revision:
            raise LedgerFormatError(f"record at seq {event.seq} is not an Alembic revision of {event.revision!r}")
        return cls(revision, tuple(lists["down_revisions"]), tuple(lists["depends_on"]),
                   tuple(lists["branch_labels"]), table, schema)

    def describe(self) -> str:
        """One line for ``log``, in Alembic's words."""
        parts = [f"down_revision {', '.join(self.down_revisions) or 'None'}"]
        if self.depends_on:
            parts.append(f"depends_on {', '.join(self.depends_on)}")
        if self.branch_labels:
            parts.append(f"branch_labels {', '.join(self.branch_labels)}")
        table = f"{self.version_table_schema}.{self.version_table}" if self.version_table_schema else self.version_table
        return f"Alembic revision {self.revision} ({'; '.join(parts)}; version table {table})"


@frozen
class AlembicDowngrade:
    """Alembic ran ``revision``'s ``downgrade()`` under the hook: its events are seqs ``first`` to ``last``."""

    revision: str
    first: int
    last: int

    def payload(self) -> str:
        """The event's payload: the record under its type tag and version, canonical JSON."""
        return encode_record(ALEMBIC_DOWNGRADE, {"revision": self.revision, "first": self.first,
                                                 "last": self.last}).decode("utf-8")

    @classmethod
    def read(cls, event: Event) -> AlembicDowngrade:
        """The record ``event`` holds; LedgerFormatError naming its seq when it holds none."""
        record = decode_record(event.payload, ALEMBIC_DOWNGRADE, seq=event.seq)
        revision, first, last = record.get("revision"), record.get("first"), record.get("last")
        if not isinstance(revision, str) or revision != event.revision or type(first) is not int \
                or type(last) is not int or not 0 < first <= last < event.seq:
            raise LedgerFormatError(f"record at seq {event.seq} is not an Alembic downgrade of {event.revision!r}")
        return cls(revision, first, last)

    def describe(self) -> str:
        """One line for ``log``."""
        return f"Alembic downgrade of {self.revision} (seq {self.first} to {self.last})"


def read_alembic(event: Event) -> AlembicRevision | AlembicDowngrade:
    """The record an ``alembic`` event holds, of either type; LedgerFormatError when it holds none."""
    try:
        tag = json.loads(event.payload or "null").get("type")
    except (ValueError, AttributeError):
        tag = None
    return AlembicDowngrade.read(event) if tag == ALEMBIC_DOWNGRADE else AlembicRevision.read(event)


def recorded_revisions(events: Iterable[Event]) -> Mapping[str, AlembicRevision]:
    """The newest record of each revision among ``events`` (a record that does not read is passed
    over: the revision is then as if unrecorded; a downgrade's record is no revision's)."""
    found: dict[str, AlembicRevision] = {}
    for event in events:
        if event.kind == ALEMBIC_KIND and event.revision is not None:
            try:
                record = read_alembic(event)
            except LedgerFormatError:
                continue
            if isinstance(record, AlembicRevision):
                found[event.revision] = record
    return found


#: how a ledger written before downgrade records tells a downgrade's event: its message
#: (``alembic downgrade of REV``, after the op's own note and `` -- ``, before the revision's message)
_DOWNGRADE_TEXT = lazy(r"(?:^|\s--\s)alembic downgrade of (\S+?)(?::\s|$)")


def downgrade_told_by_text(event: Any) -> bool:
    """Whether ``event`` (an event, or a row with its kind, revision and message) is an ``apply``
    whose message says an Alembic downgrade of its revision recorded it (how ledgers written before
    downgrade records tell it)."""
    message = event.message
    # the pattern holds the words themselves: a message without them (most) is not searched
    if event.kind != "apply" or not message or "alembic downgrade of " not in message:
        return False
    found = _DOWNGRADE_TEXT.search(message)
    return found is not None and found.group(1) == event.revision


def downgraded_events(events: Sequence[Event]) -> dict[int, str]:
    """The ``apply`` events among ``events`` that an Alembic downgrade recorded: seq -> the revision
    downgraded. Told by the downgrade records; below the first of them (or in a ledger with none),
    by the message, as ledgers written before those records tell them. Rows read without their
    payloads (``schema --at``'s, which goes to the fold when the ledger holds a downgrade record)
    hold no record."""
    found: dict[int, str] = {}
    since: int | None = None  # the first seq a downgrade record covers
    for event in events:
        # only a downgrade's record names its tag (the upgrades' records are not parsed)
        if event.kind == ALEMBIC_KIND and event.revision is not None \
                and ALEMBIC_DOWNGRADE in (getattr(event, "payload", None) or ""):
            try:
                record = read_alembic(event)
            except LedgerFormatError:
                continue
            if isinstance(record, AlembicDowngrade):
                since = record.first if since is None else min(since, record.first)
                found.update((seq, record.revision) for seq in range(record.first, record.last + 1))
    kinds = {event.seq: (event.kind, event.revision) for event in events} if found else {}
    found = {seq: rev for seq, rev in found.items() if kinds.get(seq) == ("apply", rev)}
    for event in events:
        if since is not None and event.seq >= since:
            break
        if downgrade_told_by_text(event):
            found[event.seq] = event.revision  # type: ignore[assignment]
    return found
