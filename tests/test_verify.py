"""verify: the chain, payloads, the fold, revision files, the expected head, exported ledgers; status's head."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import Result

from ledger.inspect.audit import check_events, verify, verify_file
from ledger.project.config import Config
from ledger.storage.db import create_engine
from ledger.format.events import GENESIS_HASH, Actor, Event
from ledger.project.revisions import load_revisions
from ledger.run.apply import apply
from ledger.storage.session import store_for
from ops import DropTableOp
from tests.builders import project, run
from tests.examples import examples

ACTOR = Actor("tester", None, "host", "0", None)


@pytest.fixture
def shop(tmp_path: Path) -> Config:
    """The example project applied to a SQLite file; the config file sits in the project folder."""
    config = project(tmp_path, f"sqlite:///{tmp_path / 'shop.db'}", url_in_file=True)
    apply(config)
    return config


def cli(config: Config, *args: str) -> Result:
    return run("--config", str(config.source), *args)


def chain(config: Config):  # noqa: ANN201 - a RevisionChain
    return load_revisions(config.migrations_dir, naming_convention=config.naming_convention)


def head_hash(config: Config) -> str:
    report = verify(config)
    assert report.head is not None
    return report.head.hash


def chained(*specs: dict[str, object]) -> list[Event]:
    """Events made with Event.create, each linked to the one before: a chain that is whole."""
    events: list[Event] = []
    for seq, spec in enumerate(specs, start=1):
        prev = events[-1].hash if events else GENESIS_HASH
        events.append(Event.create(seq=seq, prev_hash=prev, actor=ACTOR, message=None,
                                   **{"kind": "apply", "op": None, "revision": None, **spec}))  # type: ignore[arg-type]
    return events


# ---------------------------------------------------------------------------------------------
# An untouched ledger
# ---------------------------------------------------------------------------------------------


def test_untouched_ledger_verifies_with_everything_checked(shop: Config) -> None:
    report = verify(shop, chain=chain(shop), live=True, expect_head=head_hash(shop))
    assert report.ok, report.problems
    assert report.events == 28 and report.checksums_checked and report.live_checked

    result = cli(shop, "verify", "--live", "--expect-head", head_hash(shop))
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"verify: ok: 28 events \(head seq 28, hash [0-9a-f]{64}\); checked chain, payloads, "
                        r"checksums, expected head, live schema\n", result.output)


def test_status_prints_the_head_hash(shop: Config) -> None:
    result = cli(shop, "status")
    assert f"seq 28, hash {head_hash(shop)}" in result.output
    data = json.loads(cli(shop, "status", "--json").output)
    assert data["head"]["hash"] == head_hash(shop)


# ---------------------------------------------------------------------------------------------
# Revision files
# ---------------------------------------------------------------------------------------------


def test_edited_migration_file_is_named(shop: Config) -> None:
    path = shop.migrations_dir / "0002_products.py"
    path.write_text(path.read_text().replace("sa.String(200)", "sa.String(201)", 1))
    report = verify(shop, chain=chain(shop))
    assert [p.kind for p in report.problems] == ["checksum"]
    assert "0002_products.py: revision 0002 changed since it was applied" in report.problems[0].message
    assert report.problems[0].object and report.problems[0].object.endswith("0002_products.py")

    result = cli(shop, "verify")
    assert result.exit_code == 1
    assert "0002_products.py: revision 0002 changed since it was applied" in result.output.splitlines()[0]


def test_reformatting_a_file_is_not_a_change(shop: Config) -> None:
    path = shop.migrations_dir / "0002_products.py"
    path.write_text(path.read_text().replace("def upgrade(op):", "# a comment\n\n\ndef upgrade(op):"))
    assert verify(shop, chain=chain(shop)).ok


def test_deleted_migration_file_is_named(shop: Config) -> None:
    (shop.migrations_dir / "0008_drop_wishlists.py").unlink()
    report = verify(shop, chain=chain(shop))
    assert len(report.problems) == 1
    assert report.problems[0].object == "0008"
    assert "revision 0008 is applied" in report.problems[0].message
    assert "no migration file defines it" in report.problems[0].message


def test_missing_migrations_folder_names_every_applied_revision(shop: Config) -> None:
    shutil.rmtree(shop.migrations_dir)
    result = cli(shop, "verify")
    assert result.exit_code == 1
    assert [line.split()[1] for line in result.output.splitlines()[:-1]] == [f"000{n}" for n in range(1, 9)]


def test_rolled_back_revision_needs_no_file(shop: Config) -> None:
    from ledger.run.rollback import rollback

    rollback(shop, to="0007")
    (shop.migrations_dir / "0008_drop_wishlists.py").unlink()
    assert verify(shop, chain=chain(shop), live=True).ok


# ---------------------------------------------------------------------------------------------
# The expected head
# ---------------------------------------------------------------------------------------------


def test_expect_head_sees_events_recorded_after_it_and_a_head_not_in_the_ledger(shop: Config) -> None:
    engine = create_engine(shop.url)
    with engine.begin() as conn:
        earlier = store_for(shop).head(conn)
        assert earlier is not None
        store_for(shop).append(conn, kind="apply", op=None, revision="extra", message=None, actor=ACTOR)
    engine.dispose()
    [problem] = verify(shop, expect_head=earlier.hash).problems
    assert problem.kind == "head" and problem.seq == 29
    assert "which is the hash of seq 28: 1 event was recorded after it" in problem.message

    [problem] = verify(shop, expect_head="ab" * 32).problems
    assert "nowhere in the ledger" in problem.message

    result = cli(shop, "verify", "--expect-head", "not-a-hash")
    assert result.exit_code == 2
    assert "is not a head hash" in result.output


def test_expect_head_on_an_empty_ledger(tmp_path: Path) -> None:
    [problem] = check_events([], expect_head="ab" * 32)[0]
    assert "the ledger is empty" in problem.message


# ---------------------------------------------------------------------------------------------
# Payloads, folds, intents (events made by hand: a chain whose hashes are right)
# ---------------------------------------------------------------------------------------------


def test_undecodable_payload_is_reported_once_with_its_seq() -> None:
    events = chained({"payload": '{"type": "no_such_op", "v": 1, "op": {}}', "op": None}, {})
    problems = check_events(events)[0]
    assert len(problems) == 1, problems
    assert problems[0].seq == 1 and "payload at ledger seq 1" in problems[0].message


def test_an_op_that_does_not_fold_is_reported() -> None:
    events = chained({"op": DropTableOp("ghost")})
    problems, _view, count, _head, stopped = check_events(events)
    assert count == 1 and stopped == 1
    assert [(p.kind, p.seq) for p in problems] == [("fold", 1)]
    assert "table ghost does not exist" in problems[0].message


def test_intent_without_its_event_is_in_doubt() -> None:
    events = chained({"kind": "intent", "op": None, "revision": "r1"})
    [problem] = check_events(events)[0]
    assert problem.kind == "in-doubt" and problem.seq == 1 and problem.object == "r1"


# ---------------------------------------------------------------------------------------------
# Exported ledgers
# ---------------------------------------------------------------------------------------------


def test_exported_ledger_verifies_offline_and_edits_are_found(shop: Config, tmp_path: Path) -> None:
    result = cli(shop, "log", "--format", "jsonl")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 28 and all(json.loads(line)["seq"] == n for n, line in enumerate(lines, start=1))
    exported = tmp_path / "ledger.jsonl"
    exported.write_text(result.output)
    assert verify_file(exported, expect_head=head_hash(shop)).ok
    result = run("verify", "--ledger", str(exported), "--expect-head", head_hash(shop))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("verify: ok: 28 events")

    rows = [json.loads(line) for line in lines]
    rows[4]["actor_os_user"] = "mallory"
    exported.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = run("verify", "--ledger", str(exported), "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [(p["seq"], p["kind"]) for p in report["problems"]] == [(5, "chain")]


def test_jsonl_export_takes_no_filters_and_ledger_excludes_live(shop: Config, tmp_path: Path) -> None:
    result = cli(shop, "log", "--format", "jsonl", "--table", "orders")
    assert result.exit_code == 2 and "takes no --json or filters" in result.output
    exported = tmp_path / "l.jsonl"
    exported.write_text("")
    result = cli(shop, "verify", "--ledger", str(exported), "--live")
    assert result.exit_code == 2


def test_malformed_exported_ledger_is_one_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    result = run("verify", "--ledger", str(bad))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("schema-ledger: error: ") and "bad.jsonl:1" in result.stderr


def test_a_new_event_is_written_as_the_ledger_format_says() -> None:
    """Event.create's id, time and hash, written without a UUID object, strftime or a draft event, are what
    docs/ledger-format.md says: a version-4 UUID, UTC microseconds with a Z, sha256 of prev_hash and the
    canonical JSON of the hashed columns."""
    import datetime as dt
    import hashlib
    import uuid

    from ledger.format.codec import canonical, encode
    from ops import AlterColumnOp

    op = AlterColumnOp("t", "c", modify_comment='a "quoted" \\ comment\n\t\x01 é ☃ \U0001f600')
    for _ in range(200):
        before = dt.datetime.now(dt.timezone.utc)
        event = Event.create(seq=7, prev_hash="ab" * 32, kind="apply", op=op, revision="r1", message="m", actor=ACTOR)
        after = dt.datetime.now(dt.timezone.utc)
        assert str(uuid.UUID(event.event_id)) == event.event_id
        assert uuid.UUID(event.event_id).version == 4 and uuid.UUID(event.event_id).variant == uuid.RFC_4122
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", event.recorded_at)
        assert before <= dt.datetime.strptime(event.recorded_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=dt.timezone.utc) <= after
        assert event.payload == encode(op).decode("utf-8")
        body = canonical(event.columns())
        assert event.hash == hashlib.sha256(("ab" * 32).encode() + body).hexdigest()
    ids = {Event.create(seq=1, prev_hash=GENESIS_HASH, kind="apply", op=op, revision=None, message=None,
                        actor=ACTOR).event_id for _ in range(100)}
    assert len(ids) == 100


@settings(max_examples=examples(100), deadline=None)
@given(st.integers(min_value=0, max_value=(2**33) * 10**9), st.integers(min_value=0, max_value=3 * 10**9))
def test_an_event_s_time_is_format_time_of_its_moment(ns: int, later: int) -> None:
    """The recorded time, its date and time of day written once per second, is ``format_time`` of the
    clock's moment rounded down to its microsecond (as ``datetime.now`` reads it), for a moment and
    one up to three seconds after it (the second's text kept, or written anew)."""
    import datetime as dt

    from ledger.format.events import _stamp, format_time

    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    for moment in (ns, ns + later, ns):
        assert _stamp(moment) == format_time(epoch + dt.timedelta(microseconds=moment // 1000))
