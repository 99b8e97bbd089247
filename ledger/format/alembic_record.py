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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ops import LedgerFormatError
from ops.classes import frozen

from ledger.format.codec import decode_record, encode_record, register_record
from ledger.format.events import Event

__all__ = ["ALEMBIC_KIND", "ALEMBIC_RECORD", "AlembicRevision", "recorded_revisions"]

#: the event kind of the record, and its type tag
ALEMBIC_KIND = "alembic"
ALEMBIC_RECORD = "schema-ledger/alembic-revision"

register_record(ALEMBIC_RECORD, version=1)


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


def recorded_revisions(events: Iterable[Event]) -> Mapping[str, AlembicRevision]:
    """The newest record of each revision among ``events`` (a record that does not read is passed
    over: the revision is then as if unrecorded)."""
    found: dict[str, AlembicRevision] = {}
    for event in events:
        if event.kind == ALEMBIC_KIND and event.revision is not None:
            try:
                found[event.revision] = AlembicRevision.read(event)
            except LedgerFormatError:
                continue
    return found
