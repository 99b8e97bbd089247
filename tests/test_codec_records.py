"""Records (what the ledger stores that is not an op) go through the codec: a type tag, a version,
strict parsing; drill reports stored before the envelope are still read."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.format import codec
from ledger.project.config import Config
from ledger.run.drill import covered_revisions
from ledger.format.events import Actor, Event
from ledger.storage.session import connect, store_for
from ledger.inspect.status import describe_event
from ops import LedgerFormatError

REPORT = {"passed": True, "dialect": "sqlite", "scratch": "temporary scratch database", "head": "0001",
          "allow_irreversible": False, "source": "files", "failures": [], "ledger_head": None,
          "revisions": [{"revision": "0001", "checksum": "c" * 64, "up": True, "down": True}]}
#: A drill report as stored before records had an envelope.
LEGACY = json.dumps({"format": "schema-ledger/drill", "version": 1, **REPORT}, sort_keys=True)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=5))
def test_records_round_trip_through_the_codec(record: dict) -> None:
    data = codec.encode_record(codec.DRILL_RECORD, record)
    assert json.loads(data) == {"type": codec.DRILL_RECORD, "v": 1, "record": record}
    assert codec.decode_record(data, codec.DRILL_RECORD) == record
    assert codec.encode_record(codec.DRILL_RECORD, codec.decode_record(data, codec.DRILL_RECORD)) == data


def test_a_drill_report_stored_before_the_envelope_is_read() -> None:
    assert codec.decode_record(LEGACY, codec.DRILL_RECORD) == REPORT


@pytest.mark.parametrize("payload", [
    "null", "[]", '{"format": "other"}', '{"type": "schema-ledger/drill", "v": 2, "record": {}}',
    '{"type": "other", "v": 1, "record": {}}', '{"type": "schema-ledger/drill", "v": 1, "record": 1}',
    '{"type": "schema-ledger/drill", "v": 1, "record": {"a": NaN}}', "{",
    '{"type": "schema-ledger/drill", "type": "schema-ledger/drill", "v": 1, "record": {}}',
])
def test_malformed_records_are_refused_naming_the_seq(payload: str) -> None:
    with pytest.raises(LedgerFormatError, match="seq 7"):
        codec.decode_record(payload, codec.DRILL_RECORD, seq=7)


def test_old_and_new_drill_rows_are_read_by_status_and_the_drill_gate(
    database_factory: Callable[[str], str], tmp_path
) -> None:
    config = Config(project_dir=tmp_path, url=database_factory("sqlite"))
    store = store_for(config)
    new = codec.encode_record(codec.DRILL_RECORD, dict(REPORT, revisions=[dict(REPORT["revisions"][0], revision="0002")]))
    events = []
    with connect(config.url) as conn, conn.begin():
        store.create(conn)
        head = None
        for payload in (LEGACY, new.decode()):
            head = Event.following(head, kind="drill", op=None, payload=payload, revision="0001",
                                   actor=Actor.current(by="test"), message="drill", revision_checksum=None)
            conn.execute(store.table.insert().values(**head.to_row()))
            events.append(head)
    assert covered_revisions(config) == {("0001", "c" * 64), ("0002", "c" * 64)}
    assert [describe_event(e) for e in events] == ["drill passed: 1 revision up to 0001"] * 2
