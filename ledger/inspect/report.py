"""The audit report: one self-contained HTML file an auditor opens in a browser.

:func:`build_report` reads a ledger (from its database, or an exported JSON-lines file),
checks it with :mod:`ledger.inspect.audit` and folds it once, and returns the report's data:

- ``integrity``: whether the chain verifies, the head seq and hash, the migration files'
  checksums (when the files are at hand), drift against the live schema (``live``), intents
  in doubt, and every problem found, each naming its row;
- ``ev``: every event (when, who, why, revision, kind, what it did, data-loss and
  irreversible marks), with the run it belongs to;
- ``revs``: each revision's runs and its change (the ops of its latest apply, as DDL for the
  report's dialect; an event without an op is none);
- the schema at every seq as table versions (``tv``) and the seqs at which a table took a
  version (``tc``): the page rebuilds the state at any point by replaying ``tc``;
- ``drills``: the recorded drills; ``diff``: the ops from ``--from`` to ``--to`` (:mod:`ledger.schema.diff`).

Strings are interned in one table (``s``) and everything else refers to them by index, so
10,000 events over 500 tables stay a few megabytes. :func:`render_html` embeds the data as
JSON in a ``<script type="application/json">`` block (``<``, ``>``, ``&`` escaped, so no
ledger text can close the block) next to the page's script and style, which carry their own
hashes in a Content-Security-Policy: the page can load nothing and run no other script.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ops import (
    AlterColumnOp,
    CreateTableOp,
    DropColumnOp,
    DropTableOp,
    ExecuteSQLOp,
    IrreversibleError,
    LedgerError,
    MigrateOperation,
    RenameTableOp,
    SchemaState,
)
from ops.specs import ColumnSpec, TableSpec, TypeSpec
from ops.sql import renames_type

from ledger import __version__
from ledger import dialects
from ledger.storage.archive import read_jsonl
from ledger.format.codec import DRILL_RECORD, decode_record
from ledger.project.config import Config
from ledger.schema.diff import diff
from ledger.format.events import STATE_KINDS, Event, in_effect
from ledger.project.points import resolve_point
from ledger.schema.render import sa_dialect
from ledger.project.revisions import RevisionChain, display_path
from ledger.inspect.status import describe_event

__all__ = ["REPORT_FORMAT", "build_report", "render_html", "write_report"]

REPORT_FORMAT = "schema-ledger/report"
REPORT_VERSION = 1

#: event flags (a bit set in each event row)
DATA_LOSS, IRREVERSIBLE, DATA_CHANGE, UNREADABLE = 1, 2, 4, 8


class _Strings:
    """The interned string table: each distinct string once, referred to by its index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.items: list[str] = []

    def __call__(self, text: str | None) -> int | None:
        if text is None:
            return None
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.items)
            self.items.append(text)
        return found


def _flags(op: MigrateOperation | None) -> int:
    """Data-loss, irreversible and data-change marks of an op that ran forward."""
    if op is None:
        return 0
    flags = 0
    if isinstance(op, (DropTableOp, DropColumnOp)):
        flags |= DATA_LOSS
    elif isinstance(op, AlterColumnOp) and op.modify_type is not None and op.modify_type != op.existing_type:
        flags |= DATA_LOSS  # values the new type cannot hold are cut or refused
    if isinstance(op, ExecuteSQLOp):
        flags |= DATA_CHANGE
    try:
        op.reverse()
    except IrreversibleError:
        flags |= IRREVERSIBLE
    except LedgerError:
        pass
    return flags


def _touched(op: MigrateOperation) -> list[tuple[str | None, str]] | None:
    """The table keys ``op`` changes, or None when it may change any (a rename or a drop retargets keys)."""
    if isinstance(op, (RenameTableOp, DropTableOp)):
        return None
    if isinstance(op, CreateTableOp):
        return [op.table.key]
    name = getattr(op, "table_name", None)
    if not isinstance(name, str):
        # SQL text changes no table the fold holds, but a type's rename (the columns of that type)
        return ([] if not renames_type(op.sqltext) else None) if isinstance(op, ExecuteSQLOp) else None
    return [(getattr(op, "schema", None), name)]


class _Schema:
    """Table versions and the seqs at which tables took them, interned compactly."""

    def __init__(self, strings: _Strings, dialect: str) -> None:
        self.s = strings
        self.dialect = sa_dialect(dialect)
        self.keys: dict[tuple[str | None, str], int] = {}
        self.key_rows: list[list[int | None]] = []
        self.columns: dict[ColumnSpec, int] = {}
        self.column_rows: list[list[Any]] = []
        self.types: dict[TypeSpec, int | None] = {}
        self.versions: dict[int, int] = {}
        self.version_rows: list[list[Any]] = []
        self.by_content: dict[str, int] = {}
        self.changes: list[list[int]] = []
        self._alive: list[TableSpec] = []

    def key(self, key: tuple[str | None, str]) -> int:
        found = self.keys.get(key)
        if found is None:
            found = self.keys[key] = len(self.key_rows)
            self.key_rows.append([self.s(key[0]), self.s(key[1])])
        return found

    def type_text(self, spec: TypeSpec) -> int | None:
        if spec not in self.types:
            try:
                text = str(spec.to_sa().compile(dialect=self.dialect))
            except Exception:  # noqa: BLE001 - a type this dialect cannot compile is shown as recorded
                text = spec.render()
            self.types[spec] = self.s(text)
        return self.types[spec]

    def column(self, column: ColumnSpec) -> int:
        found = self.columns.get(column)
        if found is None:
            extra = []
            if column.identity is not None:
                extra.append("identity" + (" always" if column.identity.always else ""))
            if column.computed is not None:
                extra.append(f"generated as ({column.computed.sqltext})")
            if column.autoincrement is True:
                extra.append("autoincrement")
            found = self.columns[column] = len(self.column_rows)
            self.column_rows.append([
                self.s(column.name), self.type_text(column.type), 1 if column.nullable else 0,
                self.s(column.server_default.render()) if column.server_default is not None else None,
                self.s(column.comment), self.s(", ".join(extra)) if extra else None,
            ])
        return found

    def version(self, table: TableSpec) -> int:
        found = self.versions.get(id(table))
        if found is not None:
            return found
        s = self.s
        row = [
            self.key(table.key), [self.column(c) for c in table.columns],
            [s(table.primary_key.name), [s(c) for c in table.primary_key.columns]] if table.primary_key else None,
            [[s(f.name), [s(c) for c in f.columns], s(f.referent_schema), s(f.referent_table),
              [s(c) for c in f.referent_columns], s(f.ondelete), s(f.onupdate)] for f in table.foreign_keys],
            [[s(u.name), [s(c) for c in u.columns]] for u in table.uniques],
            [[s(c.name), s(c.sqltext)] for c in table.checks],
            [[s(i.name), [s(e.value) for e in i.elements], 1 if i.unique else 0] for i in table.indexes],
            s(table.comment),
        ]
        content = json.dumps(row, separators=(",", ":"))
        found = self.by_content.get(content)
        if found is None:
            found = self.by_content[content] = len(self.version_rows)
            self.version_rows.append(row)
        self.versions[id(table)] = found
        self._alive.append(table)  # keeps id() unique while the report is built
        return found

    def start(self, state: SchemaState) -> None:
        for key, table in state.tables.items():
            self.changes.append([0, self.key(key), self.version(table)])

    def step(self, seq: int, before: SchemaState, after: SchemaState, op: MigrateOperation) -> None:
        if before.tables is after.tables:
            return
        keys = _touched(op)
        changed = [k for k in keys if before.tables.get(k) is not after.tables.get(k)] if keys is not None else []
        if not changed:
            # A rename or a drop may retarget other tables' keys; an op whose table was not
            # where expected changed something else: look at every table.
            changed = [k for k in set(before.tables) | set(after.tables)
                       if before.tables.get(k) is not after.tables.get(k)]
        for key in sorted(changed, key=lambda k: (k[0] or "", k[1])):
            new = after.tables.get(key)
            self.changes.append([seq, self.key(key), self.version(new) if new is not None else -1])


#: the Alembic hook's note before an event's why ("[data change] op.execute -- why")
_NOTE = re.compile(r"\[[a-z][A-Za-z -]*\] ")


def _whys(message: str | None) -> set[str | None]:
    """What ``message`` may say as the why of its run: itself, and, for a message the Alembic hook
    put a note before, what follows the note (none, when the note stands alone)."""
    whys: set[str | None] = {message}
    if message is not None and _NOTE.match(message):
        parts = message.split(" -- ")
        whys.update(" -- ".join(parts[i:]) for i in range(1, len(parts)))
        if len(parts) == 1:
            whys.add(None)
    return whys


def _runs(events: Sequence[Event]) -> list[int]:
    """The run of each event: consecutive events of one revision, one direction, one actor and one
    message (the hook's notes before a message aside: one Alembic upgrade of a revision is one run,
    its ``alembic`` event with it)."""
    runs: list[int] = []
    run, last, direction, why = -1, None, None, set()
    for event in events:
        a = event.actor
        key = (event.revision, a.os_user, a.db_user, a.host, a.by)
        kind = event.kind if event.kind in ("apply", "revert", "baseline", "drill") else direction
        whys = _whys(event.message)
        if key != last or not whys & why or (kind is not None and direction is not None and kind != direction):
            run += 1
            direction, why = None, whys
        else:
            why = whys & why
        if kind is not None:
            direction = kind
        last = key
        runs.append(run)
    return runs


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _micros(recorded_at: str) -> int | None:
    """Microseconds since the epoch of a stored time (``format_time``), or None for any other text."""
    try:
        moment = dt.datetime.strptime(recorded_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)
    except (TypeError, ValueError):
        return None
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _drill(event: Event) -> dict[str, Any] | None:
    try:
        data = decode_record(event.payload, DRILL_RECORD, seq=event.seq)
    except LedgerError:
        return None
    rows = []
    for row in data.get("revisions") or []:
        if isinstance(row, dict):
            rows.append([str(row.get("revision")), row.get("up"), row.get("down"), row.get("again"),
                         [str(x) for x in row.get("irreversible") or []], [str(x) for x in row.get("data_loss") or []]])
    head = data.get("ledger_head") if isinstance(data.get("ledger_head"), dict) else None
    return {
        "seq": event.seq, "at": event.recorded_at, "os": event.actor.os_user, "db": event.actor.db_user,
        "host": event.actor.host, "by": event.actor.by, "msg": event.message, "passed": data.get("passed") is True,
        "dialect": str(data.get("dialect") or ""), "source": str(data.get("source") or "files"),
        "scratch": str(data.get("scratch") or ""), "head": data.get("head"),
        "ledger_head": [head.get("seq"), head.get("hash")] if head else None,
        "rows": rows, "failures": [str(x) for x in data.get("failures") or []],
    }


def _read_events(config: Config | None, ledger_file: Path | None) -> list[Event]:
    if ledger_file is not None:
        return list(read_jsonl(ledger_file))
    from ledger.inspect.audit import read_transaction
    from ledger.storage.session import store_for
    from ledger.storage.scan import events as read_events

    assert config is not None
    store = store_for(config)
    with read_transaction(config) as conn:
        if not store.exists(conn):
            raise LedgerError(f"{_safe(config.url)} has no ledger table {config.ledger_table}: there is nothing "
                              "to report")
        return list(read_events(conn, store))


def _safe(url: str) -> str:
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return url


def _checksums(chain: RevisionChain, events: Sequence[Event]) -> list[list[Any]]:
    """Per revision (files first, then revisions only the ledger knows): id, file, file checksum,
    recorded checksum, and whether they agree (None: not applied or nothing recorded)."""
    recorded: dict[str, Event] = {}
    effective = {e.revision for e in in_effect(events) if e.revision is not None}
    for event in events:
        if event.kind in ("apply", "baseline") and event.revision is not None:
            recorded[event.revision] = event
    rows: list[list[Any]] = []
    for revision in chain:
        event = recorded.get(revision.id)
        wanted = event.revision_checksum if event is not None and revision.id in effective else None
        rows.append([revision.id, display_path(revision.path), revision.checksum, wanted,
                     None if wanted is None else wanted == revision.checksum])
    for revision_id, event in recorded.items():
        if chain.get(revision_id) is None and revision_id in effective and event.revision_checksum:
            rows.append([revision_id, None, None, event.revision_checksum, False])
    return rows


def build_report(
    config: Config | None = None, *, ledger_file: Path | None = None, chain: RevisionChain | None = None,
    live: bool = False, point_from: str | None = None, point_to: str | None = None, dialect: str = "sqlite",
    title: str | None = None, with_ddl: bool = True,
) -> dict[str, Any]:
    """The report's data (see the module docstring); ``config`` or ``ledger_file`` names the ledger.

    ``with_ddl=False`` leaves out the DDL of each revision's change (the ops are still shown):
    rendering it takes most of the time on a very long ledger.
    """
    from ledger.inspect import audit

    if ledger_file is not None:
        verified = audit.verify_file(ledger_file, chain=chain)
        source = str(ledger_file)
    else:
        assert config is not None
        verified = audit.verify(config, chain=chain, live=live)
        source = verified.source
    events = _read_events(config, ledger_file)
    head_seq = events[-1].seq if events else 0
    lo = resolve_point(point_from, events, applied_only=False) if point_from else 0
    hi = resolve_point(point_to, events, applied_only=False) if point_to else head_seq
    if lo > hi:
        raise LedgerError(f"--from {point_from} (@{lo}) comes after --to {point_to or 'head'} (@{hi})")

    s = _Strings()
    schema = _Schema(s, dialect)
    runs = _runs(events)
    # The change a revision shows is its latest apply (or baseline) run: DDL is written for those events only.
    latest_run: dict[str, int] = {}
    for event, run in zip(events, runs):
        if event.revision is not None and event.kind in ("apply", "baseline"):
            latest_run[event.revision] = run
    change_runs = set(latest_run.values()) if with_ddl else set()

    rows: list[list[Any]] = []
    ddl: dict[int, list[str]] = {}
    # Times as microseconds after the event before: a few digits each instead of 27 characters.
    t0 = next((m for m in (_micros(e.recorded_at) for e in events) if m is not None), 0)
    last_time = t0
    state = SchemaState()
    folded = True
    fold_stopped: int | None = None
    states: dict[int, SchemaState] = {0: state}
    want = {lo, hi}
    for event, run in zip(events, runs):
        op: MigrateOperation | None = None
        flags = 0
        try:
            op = event.op
        except LedgerError:
            flags |= UNREADABLE
        if event.kind in STATE_KINDS or event.kind == "intent":
            flags |= _flags(op)
        if folded and event.kind in STATE_KINDS and op is not None:
            if run in change_runs and event.kind in ("apply", "baseline"):
                try:
                    ddl[event.seq] = dialects.ddl(op, state, dialect)
                except Exception:  # noqa: BLE001 - the op is still shown; its DDL is not
                    ddl[event.seq] = []
            try:
                after = op.apply(state)
            except LedgerError:
                folded, fold_stopped = False, event.seq
            else:
                schema.step(event.seq, state, after, op)
                state = after
        elif event.kind in STATE_KINDS and op is None and flags & UNREADABLE and folded:
            folded, fold_stopped = False, event.seq
        if event.seq in want:
            states[event.seq] = state
        a = event.actor
        micros = _micros(event.recorded_at)
        when: int | str = event.recorded_at if micros is None else micros - last_time
        if micros is not None:
            last_time = micros
        rows.append([
            event.seq, s(event.kind), s(event.revision), s(event.op_type), s(event.table_name), when,
            s(a.os_user), s(a.db_user), s(a.host), s(a.by), s(event.message),
            s(op.describe() if op is not None else describe_event(event)), flags,
            event.reverses, run,
        ])

    effective = {e.revision for e in in_effect(events)}
    revisions: dict[str, dict[str, Any]] = {}
    for event, run in zip(events, runs):
        if event.revision is None:
            continue
        entry = revisions.get(event.revision)
        if entry is None:
            defined = chain.get(event.revision) if chain is not None else None
            entry = revisions[event.revision] = {
                "id": event.revision, "title": defined.title if defined is not None else None, "runs": [],
                "change": [], "in_effect": event.revision in effective,
            }
        if not entry["runs"] or entry["runs"][-1] != run:
            entry["runs"].append(run)
        # an event without an op (an empty or merge revision's "(no op)") is no op of the change
        if run == latest_run.get(event.revision) and event.kind in ("apply", "baseline") and event.payload is not None:
            entry["change"].append([event.seq, ddl.get(event.seq)])

    checksums = _checksums(chain, events) if chain is not None else None
    problems = [p.to_json() for p in verified.problems]
    drift = verified.drift.lines() if verified.drift is not None else None
    head = verified.head
    diff_ops: list[list[Any]] | None = None
    if folded and lo in states and hi in states:
        before = states[lo]
        diff_ops = []
        try:
            for op in diff(before, states[hi]):
                try:
                    statements = dialects.ddl(op, before, dialect)
                except Exception:  # noqa: BLE001 - the op is still shown
                    statements = []
                diff_ops.append([op.describe(), _flags(op), statements])
                before = op.apply(before)
        except LedgerError:
            diff_ops = None
    return {
        "format": REPORT_FORMAT, "version": REPORT_VERSION, "tool": __version__,
        "title": title or f"schema-ledger audit report: {source}",
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source": source, "dialect": dialect, "ddl": with_ddl,
        "range": [lo, hi, point_from or "base", point_to or "head"],
        "integrity": {
            "ok": verified.ok, "events": verified.events, "problems": problems,
            "head": [head.seq, head.hash, head.recorded_at] if head is not None else None,
            "checksums": checksums, "live": verified.live_checked if ledger_file is None else False,
            "live_asked": live, "drift": drift,
            "in_doubt": [p["seq"] for p in problems if p["kind"] == "in-doubt"],
            "fold_stopped": fold_stopped,
        },
        "s": s.items, "t0": t0, "ev": rows,
        # [id, title, runs, change, in effect]; a change entry is [seq, DDL], or the seq alone without DDL
        "revs": [[r["id"], r["title"], r["runs"], [c if c[1] is not None else c[0] for c in r["change"]],
                  1 if r["in_effect"] else 0] for r in revisions.values()],
        "tk": schema.key_rows, "cols": schema.column_rows, "tv": schema.version_rows, "tc": schema.changes,
        "drills": [d for d in (_drill(e) for e in events if e.kind == "drill") if d is not None],
        "diff": diff_ops,
    }


def _asset(name: str) -> str:
    return resources.files("ledger.inspect").joinpath(name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


_UNSAFE = re.compile(r"[<>&\u2028\u2029]")


def _embed(data: Any) -> str:
    """JSON that cannot end its script block or start markup: ``<``, ``>`` and ``&`` as escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_html(data: dict[str, Any]) -> str:
    """The page: template, style, script and the data in one file that loads nothing."""
    style, script = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    page = _asset("report.html")
    parts = {
        "CSP": _escape(csp), "TITLE": _escape(data["title"]), "STYLE": style, "SCRIPT": script,
        "DATA": _embed(data),
    }
    return re.sub(r"@@(CSP|TITLE|STYLE|SCRIPT|DATA)@@", lambda m: parts[m.group(1)], page)


def write_report(path: Path, data: dict[str, Any]) -> int:
    """Write the page to ``path``; return its size in bytes."""
    text = render_html(data).encode("utf-8")
    path.write_bytes(text)
    return len(text)

