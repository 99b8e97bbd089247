"""Tampering: a database owner drops the ledger's triggers and edits rows; verify finds every edit.

For many random rows of a real ledger (the example project applied on each database), one
edit is made: a payload, an actor, a timestamp or a hash changed, a row deleted, the tail
cut, or the chain rewritten from a row on with every hash recomputed (what someone who read
docs/ledger-format.md could do). ``verify`` must report each case, naming the edited row
where the chain shows it (no false passes); the last two leave a chain that is whole in
itself, which only the head hash written down beforehand (``--expect-head``) exposes. An
untouched ledger gives no problem at all (no false alarms).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given, note
from hypothesis import strategies as st

from ledger.inspect.audit import verify
from ledger.project.config import Config
from ledger.storage.db import create_engine, dialect_of
from ledger.format.events import Event, chain_hash
from ledger.run.apply import apply
from ledger.storage.session import store_for
from tests.builders import drop_ledger_triggers, replace_ledger_rows, project
from tests.conftest import DIALECTS


@attrs.frozen
class Ledger:
    config: Config
    pristine: tuple[Event, ...] = attrs.field(repr=False)
    engine: sa.Engine = attrs.field(repr=False)

    @property
    def head(self) -> Event:
        return self.pristine[-1]

    def write(self, events: list[Event]) -> None:
        """Replace every row of the ledger table by ``events`` (the triggers are gone)."""
        replace_ledger_rows(self.engine, self.config, events)


@pytest.fixture(scope="module", params=DIALECTS)
def ledger(request: pytest.FixtureRequest, database_factory: Callable[[str], str],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    folder = tmp_path_factory.mktemp("tamper")
    config = project(folder, database_factory(request.param))
    apply(config)
    engine = create_engine(config.url)
    with engine.begin() as conn:
        pristine = tuple(store_for(config).events(conn))
        drop_ledger_triggers(conn, dialect_of(conn), config.ledger_table)
    yield Ledger(config, pristine, engine)
    engine.dispose()


def _other_time(text: str) -> str:
    # One microsecond later: the smallest edit the stored form allows.
    micro = int(text[-7:-1]) + 1
    return text[:-7] + f"{micro % 1_000_000:06d}" + "Z"


def _edit(event: Event, what: str, donor: Event) -> Event:
    if what == "payload":
        payload = donor.payload if donor.payload not in (None, event.payload) else (event.payload or "{}") + " "
        return attrs.evolve(event, payload=payload)
    if what == "actor":
        return attrs.evolve(event, actor=attrs.evolve(event.actor, os_user=event.actor.os_user + "x"))
    if what == "by":
        return attrs.evolve(event, actor=attrs.evolve(event.actor, by="mallory"))
    if what == "timestamp":
        return attrs.evolve(event, recorded_at=_other_time(event.recorded_at))
    if what == "message":
        return attrs.evolve(event, message=(event.message or "") + ".")
    if what == "hash":
        return attrs.evolve(event, hash=("0" if event.hash[0] != "0" else "1") + event.hash[1:])
    raise AssertionError(what)


def _rewritten(events: list[Event], start: int) -> list[Event]:
    """``events`` with every hash from position ``start`` on recomputed: a chain whole in itself."""
    out = events[:start]
    for event in events[start:]:
        prev = out[-1].hash if out else "0" * 64
        draft = attrs.evolve(event, prev_hash=prev)
        out.append(attrs.evolve(draft, hash=chain_hash(prev, draft.body())))
    return out


ROW_EDITS = ("payload", "actor", "by", "timestamp", "message", "hash")


@given(data=st.data())
def test_every_edit_is_found(ledger: Ledger, data: st.DataObject) -> None:
    events = list(ledger.pristine)
    what = data.draw(st.sampled_from(ROW_EDITS + ("delete", "cut tail", "rewrite")), label="edit")
    at = data.draw(st.integers(0, len(events) - 1), label="position")
    seq = events[at].seq
    note(f"{what} at seq {seq} of {len(events)}")
    if what in ROW_EDITS:
        donor = events[data.draw(st.integers(0, len(events) - 1), label="donor")]
        edited = _edit(events[at], what, donor)
        events[at] = edited
        expected_seqs = {seq, seq + 1} if what == "hash" else {seq}
    elif what == "delete":
        del events[at]
        expected_seqs = {seq + 1}
    elif what == "cut tail":
        events = events[:at]
        expected_seqs = set()
    else:  # rewrite: an edited row and every hash after it recomputed
        events[at] = _edit(events[at], "actor", events[at])
        events = _rewritten(events, at)
        expected_seqs = set()
    ledger.write(events)
    try:
        report = verify(ledger.config, expect_head=ledger.head.hash)
        note(f"problems: {[str(p) for p in report.problems]}")
        assert not report.ok
        if expected_seqs and not (what == "delete" and at == len(ledger.pristine) - 1):
            # The chain shows the edit at the row itself (or at the row after a deleted one).
            found = {p.seq for p in report.problems if p.kind == "chain"}
            assert found & expected_seqs, (what, seq, report.problems)
            # ... without the expected head too: the chain alone gives it away.
            assert not verify(ledger.config).ok
        else:
            # A cut on MariaDB may also leave an intent whose event was cut away: in doubt.
            kinds = [p.kind for p in report.problems]
            assert "head" in kinds and set(kinds) <= {"head", "in-doubt"}, report.problems
    finally:
        ledger.write(list(ledger.pristine))


def test_untouched_ledger_gives_no_problem(ledger: Ledger) -> None:
    report = verify(ledger.config, expect_head=ledger.head.hash, live=True)
    assert report.ok, report.problems
    assert report.events == len(ledger.pristine)


def test_swapped_rows_are_found(ledger: Ledger) -> None:
    events = list(ledger.pristine)
    a, b = events[3], events[4]
    events[3], events[4] = attrs.evolve(b, seq=a.seq), attrs.evolve(a, seq=b.seq)
    ledger.write(events)
    try:
        report = verify(ledger.config)
        assert {p.seq for p in report.problems} >= {a.seq, b.seq}
    finally:
        ledger.write(list(ledger.pristine))


def test_emptied_ledger_is_caught_by_the_expected_head(ledger: Ledger) -> None:
    ledger.write([])
    try:
        assert verify(ledger.config).ok  # nothing to contradict ...
        [problem] = verify(ledger.config, expect_head=ledger.head.hash).problems
        assert "the ledger is empty" in problem.message  # ... but the head written down
    finally:
        ledger.write(list(ledger.pristine))
