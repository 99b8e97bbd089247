"""status reads every revision's state events in one query: on any ledger it reports exactly what
reading each revision's events on their own and folding them with ``in_effect`` reports."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from hypothesis import given, note
from hypothesis import strategies as st

from ledger.project.config import Config
from ledger.storage.db import create_engine
from ledger.format.events import STATE_KINDS, Actor, Event, in_effect
from ledger.project.revisions import RevisionChain, load_revisions
from ledger.storage.session import store_for
from ledger.inspect.status import status
from ops import ExecuteSQLOp
from tests.builders import write_revision

#: ops per revision of the project: r0 has none (it records one event), the others one to three
OPS = (0, 1, 2, 3, 2)
ACTOR = Actor("tester", None, "host", "0")


def write_project(folder: Path) -> None:
    folder.mkdir()
    parent = None
    for number, count in enumerate(OPS):
        rid = f"r{number}"
        body = "".join(f"op.execute('SELECT {number}{k}', reverse_sql='SELECT -{number}{k}')\n" for k in range(count))
        write_revision(folder, rid, parent, body, doc=f"Revision {number}.")
        parent = rid


#: An action on the ledger: (kind, revision number, how many, whether the checksum is the file's)
actions = st.lists(st.tuples(
    st.sampled_from(["apply", "revert", "baseline", "intent", "abandon", "unknown"]),
    st.integers(0, len(OPS) - 1), st.integers(1, 3), st.booleans()), max_size=12)


def record(config: Config, chain: RevisionChain, plan: list[tuple[str, int, int, bool]]) -> None:
    """Append events as runners (and broken runs) would leave them, without running any DDL."""
    store = store_for(config)
    engine = create_engine(config.url)
    try:
        with engine.begin() as conn:
            store.create(conn)
            for kind, number, count, right in plan:
                revision = chain.revisions[number]
                digest = revision.checksum if right else "0" * 64
                events = [Event.from_row(row) for row in conn.execute(sa.select(store.table).order_by(store.table.c.seq))]
                if kind == "unknown":
                    store.append(conn, kind="apply", op=ExecuteSQLOp("SELECT 0"), revision="gone", message=None,
                                 actor=ACTOR, revision_checksum="0" * 64)
                elif kind == "revert":
                    live = [e for e in in_effect(e for e in events if e.revision == revision.id)]
                    for event in reversed(live[-count:]):
                        store.append(conn, kind="revert", op=None, revision=revision.id, message=None, actor=ACTOR,
                                     reverses=event.seq, revision_checksum=digest)
                else:
                    ops = list(revision.ops[:count]) or [None]
                    for op in ops:
                        store.append(conn, kind=kind, op=op, revision=revision.id, message=None, actor=ACTOR,
                                     revision_checksum=digest if kind != "abandon" else None)
    finally:
        engine.dispose()


def reference(config: Config, chain: RevisionChain) -> dict[str, Any]:
    """What status reports, computed the plain way: each revision's own events, folded."""
    store = store_for(config)
    engine = create_engine(config.url)
    try:
        with engine.connect() as conn:
            events = list(store.events(conn))
    finally:
        engine.dispose()
    rows, partial, current = [], [], None
    # The latest intent, when no later event settles it, is in doubt; a revision with an op in doubt,
    # like one partly applied, is not current.
    intents = [e for e in events if e.kind == "intent"]
    doubt = {last.revision for last in intents[-1:] if not any(
        e.seq > last.seq and (e.kind in STATE_KINDS or e.kind == "abandon")
        and (e.reverses == last.seq or (e.revision == last.revision and e.payload == last.payload))
        for e in events)}
    for revision in chain:
        recorded = [e for e in events if e.revision == revision.id and e.kind in STATE_KINDS]
        event = recorded[-1] if recorded else None
        effective = len(in_effect(recorded))
        last = next((e for e in reversed(recorded) if e.kind == "apply"), None)
        unchanged = last is None or not last.revision_checksum or last.revision_checksum == revision.checksum
        expected = max(1, len(revision.ops))
        partly = 0 < effective < expected and unchanged
        if partly:
            partial.append((revision.id, effective, expected))
        applied = event is not None and event.kind in ("apply", "baseline")
        if applied and not partly and revision.id not in doubt:
            current = revision.id
        recorded_checksum = event.revision_checksum if applied and event is not None else None
        rows.append((revision.id, applied, event if applied else None,
                     None if not recorded_checksum else recorded_checksum == revision.checksum))
    # Revisions in effect that no file defines: the ledger's current revision is then the one whose
    # events in effect are the newest, file or no file.
    newest: dict[str, int] = {}
    for rid in {e.revision for e in events if e.revision is not None}:
        live = in_effect([e for e in events if e.revision == rid and e.kind in STATE_KINDS])
        if live:
            newest[rid] = max(e.seq for e in live)
    if any(chain.get(rid) is None for rid in newest):
        current = max(newest, key=newest.__getitem__)
    return {"current": current, "revisions": rows, "partial": partial}


@given(plan=actions)
def test_status_reports_what_each_revisions_own_events_say(plan: list[tuple[str, int, int, bool]]) -> None:
    note(repr(plan))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "migrations"
        write_project(folder)
        config = Config(project_dir=Path(tmp), url=f"sqlite:///{tmp}/db.sqlite", migrations=Path("migrations"))
        chain = load_revisions(folder)
        record(config, chain, plan)
        expected = reference(config, chain)
        # Loaded again: from the cache, so the op counts are known without decoding the ops.
        report = status(config, chain=load_revisions(folder))
        assert report.current == expected["current"]
        assert [(r.id, r.applied, r.applied_event, r.checksum_matches) for r in report.revisions] \
            == expected["revisions"]
        assert list(report.partial) == expected["partial"]


def test_status_of_a_ledger_in_every_state_at_once(tmp_path: Path) -> None:
    """A fixed case of the above that shows each report at least once."""
    folder = tmp_path / "migrations"
    write_project(folder)
    config = Config(project_dir=tmp_path, url=f"sqlite:///{tmp_path}/db.sqlite", migrations=Path("migrations"))
    chain = load_revisions(folder)
    record(config, chain, [("baseline", 0, 1, True), ("apply", 1, 1, False), ("apply", 2, 2, True),
                           ("revert", 2, 1, False), ("apply", 3, 3, True), ("intent", 4, 1, True),
                           ("unknown", 0, 1, True)])
    report = status(config, chain=chain)
    # "gone", applied last and defined by no file, is where the ledger stands.
    assert report.current == "gone"
    assert [r.id for r in report.mismatched] == ["r1"]
    assert report.partial == (("r2", 1, 2),)
    assert report.unknown == ("gone",)
    assert [r.applied for r in report.revisions] == [True, True, False, True, False]
    assert reference(config, chain)["revisions"] == [
        (r.id, r.applied, r.applied_event, r.checksum_matches) for r in report.revisions]
