"""Bounded input, no internal errors: crafted payloads cost what their size says, names are cut in
one step, ledger text cannot forge output lines, bad options and URLs end in one line."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql

from ledger.inspect.audit import verify
from ledger.cli import main, printable
from ledger.format.codec import MAX_NAME_BYTES, decode, encode
from ledger.project.config import Config
from ledger.storage.db import create_engine
from ledger.run.apply import apply
from ledger.storage.session import store_for
from ops import CreateTableOp, LedgerFormatError
from ops.naming import MAX_NAME_LENGTH, fit_name
from tests import strategies as S
from tests.conftest import DIALECTS
from tests.examples import examples

REVISION = '''
import sqlalchemy as sa
revision = "0001"
down_revision = None
def upgrade(op):
    op.create_table("accounts", sa.Column("id", sa.Integer, primary_key=True))
'''


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def project(folder: Path, url: str) -> Config:
    (folder / "migrations").mkdir(parents=True, exist_ok=True)
    (folder / "migrations" / "0001_a.py").write_text(REVISION)
    (folder / "schema-ledger.toml").write_text(f'url = "{url}"\nmigrations = "migrations"\n')
    return Config(project_dir=folder, url=url, migrations=Path("migrations"), source=folder / "schema-ledger.toml")


def _old_fit(name: str) -> str:
    """What fit_name did, one character at a time (the reference)."""
    if len(name.encode()) <= MAX_NAME_LENGTH:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    cut = name
    while len(cut.encode()) > MAX_NAME_LENGTH - 9:
        cut = cut[:-1]
    return f"{cut}_{digest}"


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=120))
def test_fit_cuts_as_before(name: str) -> None:
    assert fit_name(name) == _old_fit(name)


def test_fit_cuts_a_huge_name_to_the_limit() -> None:
    # one cut of a 7 MB name (a character-at-a-time cut took minutes): the same result as the
    # reference gives for the name's head
    huge = "x" * 7_000_000
    fitted = fit_name(huge)
    assert len(fitted.encode()) == MAX_NAME_LENGTH
    assert fitted == "x" * (MAX_NAME_LENGTH - 9) + "_" + hashlib.sha256(huge.encode()).hexdigest()[:8]


def _payload() -> str:
    table = sa.Table("t", sa.MetaData(), sa.Column("a", postgresql.ARRAY(sa.Integer, dimensions=2)))
    return encode(CreateTableOp.from_table(table)).decode()


@pytest.mark.parametrize(("crafted", "reason"), [
    (lambda p: p.replace('"dimensions":2', '"dimensions":10000000000'), "dimensions must be 0 to 6"),
    (lambda p: p.replace('"name":"t"', '"name":"' + "x" * (MAX_NAME_BYTES + 1) + '"'), "name is longer than"),
    (lambda p: p.replace('"checks":[]', '"checks":[' + ",".join(["1"] * 10_001) + "]"), "more than 10000 items"),
    (lambda p: p.replace('"comment":null', '"comment":' + "[" * 70 + "]" * 70, 1), "nests deeper"),
    (lambda p: p.replace('"dimensions":2', '"dimensions":2,"x":' + "9" * 30), "beyond 64 bits"),
])
def test_a_crafted_payload_is_refused_before_it_is_used(crafted: Callable[[str], str], reason: str) -> None:
    payload = crafted(_payload())
    assert payload != _payload()
    with pytest.raises(LedgerFormatError, match=f"payload at ledger seq 7 is out of bounds: .*{reason}"):
        decode(payload, seq=7)


def _nested_add_columns(depth: int) -> str:
    """An add_column whose reverse-of-a-drop ``_then`` holds an add_column holding one ... ``depth`` deep:
    ops nested in ops, the one shape that structures however deep it nests."""
    from ops import AddColumnOp
    from ops.specs import ColumnSpec, TypeSpec

    op = AddColumnOp("t", ColumnSpec("c0", TypeSpec("Integer")))
    for level in range(1, depth):
        op = AddColumnOp("t", ColumnSpec(f"c{level}", TypeSpec("Integer")), _then=(op,))
    return encode(op).decode()


@pytest.mark.parametrize("remember", [True, False])
@pytest.mark.parametrize("hashed", [True, False])
def test_ops_nested_beyond_the_bound_are_refused(remember: bool, hashed: bool) -> None:
    assert decode(_nested_add_columns(3), hashed=hashed, remember=remember).describe()
    deep = _nested_add_columns(30)  # three levels (envelope, op, _then) an op: beyond MAX_NESTING
    with pytest.raises(LedgerFormatError, match="payload at ledger seq 9 is out of bounds: nests deeper than 64"):
        decode(deep, seq=9, hashed=hashed, remember=remember)


@pytest.mark.parametrize("where", ["type", "index"])
def test_dimensions_out_of_bounds_anywhere_a_payload_chooses_its_keys(where: str) -> None:
    from ops import CreateIndexOp
    from ops.specs import IndexElement, IndexSpec

    if where == "type":
        payload = _payload().replace('"dimensions":2', '"dimensions":7')
    else:
        index = IndexSpec("ix", (IndexElement("a"),), dialect_options=(("postgresql_dimensions", 1),))
        payload = encode(CreateIndexOp("t", index)).decode().replace('"postgresql_dimensions":1', '"dimensions":-1')
    assert '"dimensions":' in payload
    with pytest.raises(LedgerFormatError, match="out of bounds: dimensions must be 0 to 6"):
        decode(payload, seq=3, remember=False)


def test_printable_escapes_every_control_character() -> None:
    assert printable("a\nb\r\x1b[31m\u202e\u2028\té") == "a\\x0ab\\x0d\\x1b[31m\\u202e\\u2028\\x09é"


def test_a_newline_in_by_does_not_forge_a_log_line(tmp_path: Path) -> None:
    config = project(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    apply(config, by="alice\n    2  2026-01-01T00:00:00.000000Z  apply    0002  forged")
    result = run("--config", str(config.source), "log")
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == 1 and "alice\\x0a" in result.output


@pytest.mark.parametrize("dialect", DIALECTS)
def test_by_and_message_are_checked_before_anything_runs(
        dialect: str, database_factory: Callable[[str], str], tmp_path: Path) -> None:
    config = project(tmp_path, database_factory(dialect))
    for args, said in ((["--by", "b" * 256], "--by is 256 characters long; the ledger keeps at most 255"),
                       (["-m", "a\x00b"], "-m/--message holds a NUL character, which the ledger's databases do not store")):
        result = run("--config", str(config.source), "apply", *args)
        assert result.exit_code == 2, result.output
        assert result.output == f"schema-ledger: error: {said}\n"
    engine = create_engine(config.url)
    try:
        with engine.connect() as conn:
            assert not sa.inspect(conn).has_table("accounts")
    finally:
        engine.dispose()


def test_inputs_that_were_internal_errors_are_one_line(tmp_path: Path) -> None:
    binary = tmp_path / "schema-ledger.toml"
    binary.write_bytes(b"\x00\xff\xfe\x80 not toml")
    result = run("--config", str(binary), "status")
    assert result.exit_code == 2 and result.output == f"schema-ledger: error: {binary}: not valid TOML: not UTF-8 text\n"
    charset = run("--url", "mysql://root@127.0.0.1/x?charset=nosuch", "verify")
    assert charset.exit_code == 1 and "internal error" not in charset.output, charset.output
    assert charset.output.startswith("schema-ledger: error: the URL's charset='nosuch' is not a character set")


def test_a_non_ascii_prev_hash_is_a_chain_problem(tmp_path: Path) -> None:
    config = project(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    apply(config)
    engine = create_engine(config.url)
    try:
        with engine.begin() as conn:
            table = config.ledger_table
            conn.exec_driver_sql(f"DROP TRIGGER {table}_update")
            conn.execute(store_for(config).table.update().values(prev_hash="é" * 64))
    finally:
        engine.dispose()
    report = verify(config)
    assert [p.message for p in report.problems] == ["seq 1: prev_hash does not match the hash of the event before it",
                                                     "seq 1: hash does not match the event's content (the row was edited)"]
    result = run("--config", str(config.source), "verify")
    assert result.exit_code == 1 and "internal error" not in result.output


def test_long_names_on_sqlite_are_refused_before_the_run(tmp_path: Path) -> None:
    config = project(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    long_name = "t" * (MAX_NAME_BYTES + 1)
    (tmp_path / "migrations" / "0001_a.py").write_text(REVISION.replace('"accounts"', repr(long_name)))
    result = run("--config", str(config.source), "apply")
    assert result.exit_code == 2 and f"longer than {MAX_NAME_BYTES} bytes" in result.output, result.output
    assert verify(config).events == 0


SECOND = '''
import sqlalchemy as sa
revision = "0002"
down_revision = "0001"
def upgrade(op):
    op.add_column("accounts", sa.Column("email", sa.String(80)))
'''


@pytest.mark.parametrize("dialect", DIALECTS)
def test_apply_stops_on_drift_in_the_tables_it_touches(
        dialect: str, database_factory: Callable[[str], str], tmp_path: Path) -> None:
    config = project(tmp_path, database_factory(dialect))
    apply(config)
    engine = create_engine(config.url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE untouched (id INTEGER PRIMARY KEY)")
        (tmp_path / "migrations" / "0002_b.py").write_text(SECOND)
        # drift elsewhere is not looked at: the plan touches accounts only
        apply(config, to="0002")
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE accounts ADD COLUMN by_hand INTEGER")
        (tmp_path / "migrations" / "0003_c.py").write_text(
            SECOND.replace('"0002"', '"0003"').replace('"0001"', '"0002"').replace('"email"', '"phone"'))
        result = run("--config", str(config.source), "apply")
        assert result.exit_code == 1, result.output
        assert "the live schema differs from the ledger in the tables this plan touches (add column accounts.by_hand" \
            in result.output and "nothing was run" in result.output, result.output
        with engine.connect() as conn:
            assert "phone" not in {c["name"] for c in sa.inspect(conn).get_columns("accounts")}
        forced = run("--config", str(config.source), "apply", "--ignore-drift")
        assert forced.exit_code == 0, forced.output
    finally:
        engine.dispose()


QUOTED_NAMES = '''
import sqlalchemy as sa
revision = "0001"
down_revision = None
def upgrade(op):
    op.create_table("parents", sa.Column("id", sa.Integer, primary_key=True))
    op.create_table(
        "children",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer),
        sa.CheckConstraint("parent_id > 0", name=Q + "ck" + Q + Q + "x"),
        sa.ForeignKeyConstraint(["parent_id"], ["parents.id"], name="fk" + Q + "p"),
    )
    op.create_index("ix" + Q + "c", "children", ["parent_id"])
'''


@pytest.mark.parametrize(("dialect", "quote"), [("sqlite", '"'), ("postgresql", '"'), ("mariadb", "`")])
def test_names_with_quotes_verify_live_right_after_apply(
        dialect: str, quote: str, database_factory: Callable[[str], str], tmp_path: Path) -> None:
    config = project(tmp_path, database_factory(dialect))
    (tmp_path / "migrations" / "0001_a.py").write_text(f"Q = {quote!r}\n" + QUOTED_NAMES)
    apply(config)
    report = verify(config, live=True)
    assert report.ok, report.problems


# -- the walk and the structure functions agree on every payload -------------------------------

def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value: dict keys and list indexes from the top."""
    found = [at]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*at, i))
    return found


def _put(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copied = dict(value) if isinstance(value, dict) else list(value)
    copied[path[0]] = _put(value[path[0]], path[1:], new)
    return copied


#: What a crafted payload may put in a place: names too long (in characters, in bytes), integers
#: at and beyond 64 bits, and harmless values of other kinds.
_CRAFTED = [
    "x" * (MAX_NAME_BYTES + 1), "\U0001f600" * (MAX_NAME_BYTES // 4 + 1), "y" * 300, -(2**63), -(2**63) - 1,
    2**64 - 1, 2**64, 10**30, 7, True, None, ["a", "b"], ["z" * (MAX_NAME_BYTES + 1)], [2**64], {"type": {
        "name": "String", "args": [], "kwargs": {"length": 2**70}}}, {"type": {
        "name": "Enum", "args": ["a"], "kwargs": {"name": "e" * (MAX_NAME_BYTES + 1)}}},
]


def _walk_then_structure(text: str) -> Any:
    """What decoding said before structure functions checked the bounds: the walk, then structuring."""
    from ledger.format import codec
    from ledger.format.payload import from_payload

    parsed = json.loads(text)
    try:
        codec._bounded(parsed)
    except Exception as exc:  # noqa: BLE001
        return ("out of bounds", str(exc))
    try:
        return from_payload(parsed)
    except Exception:  # noqa: BLE001
        return "malformed"


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(S.histories(max_ops=3), st.data())
def test_decoding_finds_every_bound_the_walk_finds(history: Any, data: st.DataObject) -> None:
    """A payload with any one value replaced by a crafted one decodes exactly when the walk and
    structuring both accept it (to the same op), and is refused as out of bounds, with the
    walk's reason, exactly when the walk refuses it."""
    from ledger.format.codec import canonical

    _state, steps = history
    payload = json.loads(encode(data.draw(st.sampled_from(steps))))
    path = data.draw(st.sampled_from(_paths(payload)[1:]))
    crafted = canonical(_put(payload, path, data.draw(st.sampled_from(_CRAFTED)))).decode()
    expected = _walk_then_structure(crafted)
    try:
        got: Any = decode(crafted, seq=3, remember=False)
    except LedgerFormatError as exc:
        if isinstance(expected, tuple):
            assert f"out of bounds: {expected[1]}" in str(exc)
        else:
            assert expected == "malformed", (str(exc), expected)
        return
    assert not isinstance(expected, (tuple, str)), (crafted, expected)
    assert got == expected


@pytest.mark.parametrize("args", [None, {}, 0, "", False])
def test_a_column_type_whose_args_are_no_list_is_malformed(args: Any) -> None:
    """A column type's ``args`` is a list: any other value, empty or false ones too, is refused by
    the fast path as by the strict one (a type read lately is not looked up for it)."""
    from ledger.format.codec import canonical
    from ops import AlterColumnOp
    from ops.specs import TypeSpec

    op = AlterColumnOp("t", "c", existing_type=TypeSpec.of("BigInteger"), modify_comment="changed")
    assert decode(encode(op), seq=3, remember=False) == op  # the type is now one read lately
    payload = json.loads(encode(op))
    payload["op"]["existing_type"]["args"] = args
    with pytest.raises(LedgerFormatError, match="malformed"):
        decode(canonical(payload).decode(), seq=3, remember=False)
