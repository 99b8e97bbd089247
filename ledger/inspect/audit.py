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
  lead from the fold to the live schema (:func:`drift`) show what changed by hand.

:func:`blame` lists the events that created and changed a table or a column, renames
followed back and rollbacks included, through the ledger's indexed ``table_name`` column.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
import sqlalchemy as sa

from ops import (
    AddColumnOp,
    AddConstraintOp,
    AlterColumnOp,
    CreateIndexOp,
    CreateTableOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableOp,
    LedgerError,
    MigrateOperation,
    RenameTableOp,
    SchemaState,
)
from ops.specs import CheckSpec, ForeignKeySpec, IndexSpec, PrimaryKeySpec, TableSpec, UniqueSpec, named

from ledger import dialects
from ledger.storage.archive import read_jsonl, write_jsonl
from ledger.project.config import Config
from ledger.storage.db import DatabaseError, dialect_of
from ledger.schema.diff import diff
from ledger.format.events import STATE_KINDS, Event, is_resynced, needs_resync, resync_line, verify_chain
from ledger.schema.reflect import _implied_checks, _without_implied, compare, normalize, reflect
from ledger.project.revisions import RevisionChain, display_path
from ledger.storage.session import connect, store_for
from ledger.storage.view import LedgerView
from ledger.storage.store import LedgerStore
from ledger.storage.scan import events as read_events
from ledger.inspect.status import describe_event
from ledger.storage.snapshots import SnapshotCheck

__all__ = [
    "Blame",
    "BlameEntry",
    "Drift",
    "IGNORED_TABLES",
    "Problem",
    "VerifyReport",
    "adopt_names",
    "alembic_version_tables",
    "blame",
    "blame_events",
    "check_events",
    "drift",
    "export_jsonl",
    "InvalidInput",
    "parse_target",
    "verify",
    "verify_file",
]

#: Tables of the live database that the ledger never describes: Alembic's version table.
IGNORED_TABLES = ("alembic_version",)

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


def check_events(
    events: Iterable[Event], *, chain: RevisionChain | None = None, expect_head: str | None = None,
    observe: Callable[[Event, SchemaState], None] | None = None,
) -> tuple[list[Problem], LedgerView, int, Event | None, int | None]:
    """Check ``events`` (in seq order) and fold them; ``observe(event, state)`` sees the fold after each.

    Returns the problems, the folded view, how many events were read, the head, and the seq
    at which the fold stopped (None when every event folded).
    """
    reader = _Reader(expect_head=expect_head, observe=observe)
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
# Live schema against the fold
# =============================================================================================


@attrs.frozen
class Drift:
    """How the live schema differs from the fold: the ops that lead there, and compare's lines."""

    ops: tuple[MigrateOperation, ...]
    differences: tuple[str, ...]

    def lines(self) -> list[str]:
        """One line per op, or compare's lines when no op list could be made."""
        if self.ops:
            return [describe_drift(op) for op in self.ops]
        return list(self.differences)

    def to_json(self) -> dict[str, Any]:
        return {"ops": [describe_drift(op) for op in self.ops], "differences": list(self.differences)}


def describe_drift(op: MigrateOperation) -> str:
    """``op.describe()`` with normalized types shown as the DDL type they stand for."""
    return re.sub(r"""ddl\((['"])(.*?)\1\)""", r"\2", op.describe())


def drift(fold: SchemaState, live: SchemaState, dialect: str) -> Drift | None:
    """None when ``live`` equals ``fold`` for everything compared; else how they differ.

    Both sides are normalized for the dialect (what compare sees) before they are diffed, so
    the ops speak about what the database keeps: a changed type shows as the DDL type.
    """
    live = adopt_names(live, fold, dialect)
    differences = compare(fold, live, dialect)
    if not differences:
        return None
    try:
        ops = diff(_comparable(fold, dialect), _comparable(_live_without_implied(live, fold, dialect), dialect))
    except LedgerError:
        ops = []  # a state that no op list can reach: compare's lines still say what differs
    return Drift(tuple(ops), tuple(differences))


def _live_without_implied(live: SchemaState, fold: SchemaState, dialect: str) -> SchemaState:
    """``live`` without the CHECKs that the fold's Boolean and Enum types create (compare discounts them)."""
    d = dialects.database(dialect).name
    tables = dict(live.tables)
    for key, table in live.tables.items():
        want = fold.tables.get(key)
        if want is not None:
            tables[key] = _without_implied(table, want, _implied_checks(want, d))
    return SchemaState(tables)


def _comparable(state: SchemaState, dialect: str) -> SchemaState:
    """``state`` normalized, every constraint and index named (a fold needs names; the same
    unnamed item gets the same name on both sides)."""
    normal = normalize(state, dialect)
    tables = {}
    for key, table in normal.tables.items():
        tables[key] = attrs.evolve(
            table,
            primary_key=named(table.primary_key, table.name) if table.primary_key else None,
            foreign_keys=tuple(named(i, table.name) for i in table.foreign_keys),
            uniques=tuple(named(i, table.name) for i in table.uniques),
            checks=tuple(named(i, table.name) for i in table.checks),
            indexes=tuple(named(i, table.name) for i in table.indexes),
        )
    return SchemaState(tables)


def _bare(table: TableSpec, item: Any, dialect: str) -> TableSpec:
    """What ``dialect`` keeps of ``item`` on ``table``, without its name: how unnamed items are matched."""
    alone = TableSpec(
        name=table.name, columns=table.columns, schema=table.schema,
        primary_key=attrs.evolve(item, name=None) if isinstance(item, PrimaryKeySpec) else None,
        foreign_keys=(attrs.evolve(item, name=None),) if isinstance(item, ForeignKeySpec) else (),
        uniques=(attrs.evolve(item, name=None),) if isinstance(item, UniqueSpec) else (),
        checks=(attrs.evolve(item, name=None),) if isinstance(item, CheckSpec) else (),
        indexes=(attrs.evolve(item, name=None),) if isinstance(item, IndexSpec) else (),
    )
    normal = normalize(SchemaState({alone.key: alone}), dialect)
    return attrs.evolve(next(iter(normal.tables.values())), columns=())


def adopt_names(live: SchemaState, fold: SchemaState, dialect: str) -> SchemaState:
    """``live`` with each unnamed constraint named as the fold's constraint it is.

    SQLite keeps no name for a constraint created without one (hand-written SQL, or a
    database adopted with ``baseline``); the fold always has one. Such a constraint is the
    fold's constraint of the same kind and definition whose name is not otherwise in use.
    """
    tables = dict(live.tables)
    for key, table in live.tables.items():
        want = fold.tables.get(key)
        if want is None:
            continue
        pk = table.primary_key
        if pk is not None and pk.name is None and want.primary_key is not None \
                and _bare(table, pk, dialect) == _bare(want, want.primary_key, dialect):
            pk = attrs.evolve(pk, name=want.primary_key.name)

        def adopt(items: Sequence[Any], wanted: Sequence[Any]) -> tuple[Any, ...]:
            taken = {i.name for i in items if i.name is not None}
            free = [w for w in wanted if w.name not in taken]
            out = []
            for item in items:
                if item.name is None:
                    shape = _bare(table, item, dialect)
                    match = next((w for w in free if _bare(want, w, dialect) == shape), None)  # noqa: B023
                    if match is not None:
                        free.remove(match)
                        item = attrs.evolve(item, name=match.name)
                out.append(item)
            return tuple(out)

        tables[key] = attrs.evolve(
            table, primary_key=pk, foreign_keys=adopt(table.foreign_keys, want.foreign_keys),
            uniques=adopt(table.uniques, want.uniques), checks=adopt(table.checks, want.checks),
        )
    return SchemaState(tables)


def alembic_version_tables(conn: sa.Connection, schema: str | None = None) -> list[str]:
    """The tables that are Alembic version tables, whatever their name (``version_table=...``).

    Alembic makes one column, ``version_num``, and names its primary key ``<table>_pkc``; a
    table of that one column is taken for one.
    """
    inspector = sa.inspect(conn)
    found = []
    for name in inspector.get_table_names(schema=schema):
        if name == "alembic_version" or "version" in name.lower():
            columns = [c["name"] for c in inspector.get_columns(name, schema=schema)]
            if columns == ["version_num"]:
                found.append(name)
    return found


def reflect_live(conn: sa.Connection, config: Config) -> SchemaState:
    """The live schema of ``config``'s database, without the ledger table and Alembic's version tables."""
    versions = {*IGNORED_TABLES, *alembic_version_tables(conn)}
    live = reflect(conn, exclude=(config.ledger_table, f"{config.ledger_table}_snapshots", *sorted(versions)))
    return _without_foreign_key_indexes(live) if dialects.database(dialect_of(conn)).indexes_foreign_keys else live


def _without_foreign_key_indexes(state: SchemaState) -> SchemaState:
    """MariaDB/MySQL without the index they make for a foreign key created without a name.

    Such an index is named after the key's first column (``parent_id``, ``parent_id_2``), not
    after the constraint as for a named key (which reflect already leaves out). It belongs to
    the foreign key: it comes and goes with it.
    """
    tables = dict(state.tables)
    for key, table in state.tables.items():
        def backs_key(index: IndexSpec) -> bool:
            return not index.unique and not index.dialect_options and any(
                index.columns == fk.columns and len(index.elements) == len(fk.columns)  # noqa: B023
                and re.fullmatch(rf"{re.escape(fk.columns[0])}(_\d+)?", index.name or "") is not None
                for fk in table.foreign_keys  # noqa: B023
            )

        kept = tuple(i for i in table.indexes if not backs_key(i))
        if kept != table.indexes:
            tables[key] = attrs.evolve(table, indexes=kept)
    return SchemaState(tables)


# =============================================================================================
# verify
# =============================================================================================


@contextlib.contextmanager
def _read(config: Config) -> Iterator[sa.Connection]:
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
    with _read(config) as conn:
        if not store.exists(conn):
            # A database that was never migrated here (or the wrong database) proves nothing.
            url = sa.make_url(config.url).render_as_string(hide_password=True)
            problem = Problem("ledger", f"{url} has no ledger table {store.fullname}: nothing was applied or baselined "
                              "in this database (is it the right one?)", object=store.fullname)
            return VerifyReport(url, 0, None, (problem,), checksums_checked=False)
        snapshots = SnapshotCheck(conn, store)
        problems, view, count, head, stopped = check_events(
            sealed.watch(read_events(conn, store)), chain=chain, expect_head=expect_head,
            observe=snapshots.observe if snapshots.keys else None)
        problems += [Problem("snapshot", message, seq=seq) for seq, message in snapshots.finish(stopped)]
        sealed.finish(count)
        problems += [Problem("seal", message, seq=seq) for seq, message in sealed.problems]
        found: Drift | None = None
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
                found = drift(view.state, reflect_live(conn, config), dialect_of(conn))
                if found is not None:
                    problems += [Problem("live", f"live schema differs from the ledger: {line}", object=_object_of(line))
                                 for line in found.lines()]
    url = sa.make_url(config.url).render_as_string(hide_password=True)
    return VerifyReport(url, count, head, tuple(problems), checksums_checked=chain is not None,
                        live_checked=live and stopped is None, drift=found, notes=tuple(sealed.notes),
                        signatures_checked=bool(sealed.trusted), anchor_checked=sealed.anchor is not None)


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
    with _read(config) as conn:
        return write_jsonl(read_events(conn, store), out)


# =============================================================================================
# blame
# =============================================================================================


@attrs.frozen
class BlameEntry:
    """One event that created or changed the object."""

    event: Event
    #: the table's name when the event was recorded (differs from the current one before a rename)
    table_name: str
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        e = self.event
        return {
            "seq": e.seq, "kind": e.kind, "revision": e.revision, "recorded_at": e.recorded_at,
            "actor": {"os_user": e.actor.os_user, "db_user": e.actor.db_user, "host": e.actor.host,
                      "by": e.actor.by, "tool_version": e.actor.tool_version},
            "message": e.message, "op_type": e.op_type, "table_name": self.table_name,
            "describe": describe_event(e), "reverses": e.reverses, "note": self.note,
        }


@attrs.frozen
class Blame:
    """The history of a table or column, oldest first."""

    table: str
    column: str | None
    entries: tuple[BlameEntry, ...]

    @property
    def target(self) -> str:
        return f"{self.table}.{self.column}" if self.column else self.table

    def to_json(self) -> dict[str, Any]:
        return {"table": self.table, "column": self.column, "entries": [e.to_json() for e in self.entries]}


def _split_target(target: str) -> tuple[str, str | None]:
    table, _, column = target.partition(".")
    if not table or (target.count(".") and not column):
        raise InvalidInput(f"{target!r} is not TABLE or TABLE.COLUMN")
    return table, column or None


def blame(config: Config, target: str) -> Blame:
    """The events that created and changed ``target`` (``TABLE`` or ``TABLE.COLUMN``) in ``config``'s ledger."""
    table, column = _split_target(target)
    store = store_for(config)
    with _read(config) as conn:
        if not store.exists(conn):
            return Blame(table, column, ())
        t = store.table

        def of_table(name: str) -> list[Event]:
            query = sa.select(t).where(t.c.table_name == name).order_by(t.c.seq)
            return [Event.from_row(row) for row in conn.execute(query)]

        renames = [Event.from_row(row) for row in conn.execute(
            sa.select(t).where(t.c.op_type == "rename_table").order_by(t.c.seq))]
        return blame_events(table, column, of_table, renames)


def blame_events(
    table: str, column: str | None, of_table: Any, renames: Sequence[Event],
) -> Blame:
    """Blame from ``of_table(name) -> events of that table name`` and the rename events.

    The history is walked back from now: events of ``table`` after the newest rename to it,
    then the events of its former name up to that rename, and so on.
    """
    segments: list[tuple[str, int, float]] = []  # (name, after seq, up to seq)
    name, upto = table, float("inf")
    for event in sorted(renames, key=lambda e: e.seq, reverse=True):
        if event.kind not in STATE_KINDS or event.seq >= upto:
            continue
        op = _op(event)
        if isinstance(op, RenameTableOp) and op.new_table_name == name and op.old_table_name != name:
            segments.append((name, event.seq, upto))
            name, upto = op.old_table_name, event.seq
    segments.append((name, 0, upto))
    entries: list[BlameEntry] = []
    for segment_name, after, until in reversed(segments):
        for event in of_table(segment_name):
            if event.kind in STATE_KINDS and after < event.seq <= until:
                entries.append(BlameEntry(event, segment_name, _note(event, segment_name, table)))
    entries.sort(key=lambda e: e.event.seq)
    if column is not None:
        entries = _column_history(entries, column)
    return Blame(table, column, tuple(entries))


def _op(event: Event) -> MigrateOperation | None:
    try:
        return event.op
    except LedgerError:
        return None


def _note(event: Event, name: str, current: str) -> str | None:
    notes = []
    if event.kind == "revert" and event.reverses is not None:
        notes.append(f"rollback of seq {event.reverses}")
    if name != current:
        notes.append(f"as {name}")
    return "; ".join(notes) or None


def _column_history(entries: list[BlameEntry], column: str) -> list[BlameEntry]:
    """The entries whose op touches ``column``, with column renames followed back (newest first)."""
    kept: list[BlameEntry] = []
    name = column
    for entry in reversed(entries):
        op = _op(entry.event)
        if op is None:
            continue
        if isinstance(op, AlterColumnOp) and op.modify_name == name and op.column_name != name:
            kept.append(attrs.evolve(entry, note=_join(entry.note, f"renamed from {op.column_name}")))
            name = op.column_name
            continue
        touched = _columns_touched(op)
        if touched is None or name in touched or _builds_on(op, name):
            note = entry.note if name == column else _join(entry.note, f"as column {name}")
            kept.append(attrs.evolve(entry, note=note))
    return list(reversed(kept))


def _join(note: str | None, more: str) -> str:
    return f"{note}; {more}" if note else more


def _builds_on(op: MigrateOperation, column: str) -> bool:
    """Whether ``op`` adds or drops a CHECK, or an expression or partial index, whose SQL names ``column``."""
    from ops.types import sql_references

    if isinstance(op, (AddConstraintOp, DropConstraintOp)):
        added = op if isinstance(op, AddConstraintOp) else op._reverse  # noqa: SLF001 - see _columns_touched
        spec = added.constraint if added is not None else None
        return isinstance(spec, CheckSpec) and sql_references(spec.sqltext, column)
    if isinstance(op, (CreateIndexOp, DropIndexOp)):
        index = op.index if isinstance(op, CreateIndexOp) else op._reverse  # noqa: SLF001 - see _columns_touched
        return index is not None and index.uses(column)
    return False


def _columns_touched(op: MigrateOperation) -> frozenset[str] | None:
    """The columns ``op`` creates, changes, drops or builds on; None for the whole table."""
    if isinstance(op, (DropTableOp, RenameTableOp)):
        return None
    if isinstance(op, CreateTableOp):
        return frozenset(op.table.column_names)
    if isinstance(op, AddColumnOp):
        return frozenset({op.column.name})
    if isinstance(op, DropColumnOp):
        return frozenset({op.column_name})
    if isinstance(op, AlterColumnOp):
        return frozenset({op.column_name} | ({op.modify_name} if op.modify_name else set()))
    if isinstance(op, CreateIndexOp):
        return frozenset(op.index.columns) | frozenset(op.index.option_columns)
    if isinstance(op, DropIndexOp):
        index = op._reverse  # noqa: SLF001 - the completed drop keeps the index it drops
        return frozenset(index.columns) if index is not None else frozenset()
    if isinstance(op, AddConstraintOp):
        return frozenset(op.constraint.column_names)
    if isinstance(op, DropConstraintOp):
        added = op._reverse  # noqa: SLF001 - the completed drop keeps the constraint it drops
        return frozenset(added.constraint.column_names) if added is not None else frozenset()
    return frozenset()


# =============================================================================================
# Drift in the tables a plan touches (apply's check before it runs)
# =============================================================================================


class DriftError(LedgerError):
    """The live schema differs from the ledger in a table the plan touches."""


def touched_tables(ops: Iterable[MigrateOperation]) -> set[str]:
    """The tables (of the default schema) that ``ops`` create, change, rename or drop."""
    names: set[str] = set()
    for op in ops:
        if getattr(op, "schema", None) is not None:
            continue
        for attribute in ("table_name", "old_table_name", "new_table_name"):
            name = getattr(op, attribute, None)
            if isinstance(name, str):
                names.add(name)
    return names


def check_touched_drift(conn: sa.Connection, ledger_table: str, fold: SchemaState, tables: set[str]) -> None:
    """Raise DriftError when the live ``tables`` differ from ``fold``'s; only those tables are reflected."""
    if not tables:
        return
    dialect = dialect_of(conn)
    present = set(sa.inspect(conn).get_table_names())
    leave_out = (present - tables) | {ledger_table, f"{ledger_table}_snapshots", *IGNORED_TABLES}
    live = reflect(conn, exclude=tuple(sorted(leave_out)))
    if dialect == "mysql":
        live = _without_foreign_key_indexes(live)
    expected = SchemaState({key: table for key, table in fold.tables.items()
                            if key[0] is None and key[1] in tables})
    found = drift(expected, live, dialect)
    if found is None:
        return
    lines = found.lines()
    raise DriftError(
        f"the live schema differs from the ledger in the tables this plan touches ({'; '.join(lines[:5])}"
        f"{'; ...' if len(lines) > 5 else ''}): nothing was run; `verify --live` shows it all, "
        "--ignore-drift applies anyway")
