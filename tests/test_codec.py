"""The canonical codec: round trips, canonical bytes, upcasting, and malformed payloads (docs/design.md, contract point 5)."""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import subprocess
import sys
import typing
from collections.abc import Callable
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import mysql, postgresql

import ops
from ledger.format import codec
from ledger.format.payload import converter
from ledger.format.codec import LedgerFormatError, decode, encode, from_payload, to_payload
from ops import ColumnSpec, ExecuteSQLOp, MigrateOperation, SchemaState, TypeSpec
from tests import strategies as S
from tests.examples import examples


def _sample_ops() -> list[MigrateOperation]:
    """One or more of every op type, completed, with nested types, options and a dropped constraint."""

    def upgrade(op: ops.Operations) -> None:
        op.create_table(
            "customer",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("email", sa.String(120), nullable=False, unique=True),
            sa.Column("tags", postgresql.ARRAY(sa.String(20), dimensions=2)),
            sa.Column("kind", sa.Enum("a", "b", name="kind")),
            sa.Column("flags", mysql.SET("x", "y")),
            sa.Column("created", sa.DateTime(timezone=True), server_default=sa.func.now()),
            sa.Column("note", sa.Text, comment="Noté 中"),
            sa.CheckConstraint("id > 0", name="ck_customer_id"),
            comment="who buys",
        )
        op.create_table("order", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", ondelete="CASCADE")))
        op.create_index("ix_lower_email", "customer", [sa.text("lower(email)")], postgresql_where=sa.text("id > 10"),
                        postgresql_include=["note"])
        op.add_column("customer", sa.Column("age", mysql.TINYINT(unsigned=True), server_default="0"))
        op.alter_column("customer", "note", new_column_name="notes", type_=sa.String(500), nullable=False)
        op.create_unique_constraint(None, "customer", ["email", "age"])
        op.create_check_constraint("ck_age", "customer", "age < 200")
        op.create_table_comment("order", "orders")
        op.drop_table_comment("order")
        op.alter_table_options("order", mysql_charset="utf8mb4", mysql_collate="utf8mb4_bin")
        op.alter_column("order", "id", existing_type=sa.Integer, autoincrement=False)
        op.rename_table("order", "purchase")
        op.drop_constraint("fk_order_customer_id_customer", "purchase", type_="foreignkey")
        op.drop_index("ix_lower_email", "customer")
        op.drop_constraint("uq_customer_email_age", "customer")
        op.drop_constraint("ck_age", "customer", type_="check")
        op.drop_column("customer", "age")
        op.execute("UPDATE customer SET email = lower(email)", reverse_sql="SELECT 1")
        op.execute("DELETE FROM customer")
        op.drop_table("purchase")
        op.create_table("p", sa.Column("a", sa.Integer, nullable=False), sa.Column("b", sa.Integer, nullable=False))
        op.create_primary_key("pk_p", "p", ["a", "b"])

    recorded = ops.record(upgrade)
    state, completed = SchemaState(), []
    for op in recorded:
        c = state.complete(op)
        completed.append(c)
        state = state.apply(c)
    return recorded + completed + [c.reverse() for c in completed if c.reversible]


SAMPLES = _sample_ops()
PAYLOADS = [to_payload(op) for op in SAMPLES]


def test_samples_cover_every_op_type() -> None:
    builtin = {tag for tag, cls in ops.OP_TYPES.items() if cls.__module__.startswith("ops.")}
    assert {op.op_tag for op in SAMPLES} == builtin


@pytest.mark.parametrize("op", SAMPLES, ids=lambda op: op.describe()[:40])
def test_round_trip_and_stable_bytes(op: MigrateOperation) -> None:
    data = encode(op)
    assert decode(data) == op
    assert encode(decode(data)) == data
    assert decode(data.decode("utf-8")) == op


def test_bytes_are_canonical() -> None:
    op = ExecuteSQLOp("SELECT 'é'", reverse_sql=None)
    assert encode(op) == '{"op":{"reverse_sql":null,"sqltext":"SELECT \'é\'"},"type":"execute","v":2}'.encode()
    data = encode(SAMPLES[0])
    assert "中".encode() in data  # UTF-8, not \u escapes
    parsed = json.loads(data)
    assert json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() == data


def test_hash_is_the_same_in_another_process() -> None:
    """Canonical bytes do not depend on hash seeds, dict order or anything else of one process."""
    here = [hashlib.sha256(encode(op)).hexdigest() for op in SAMPLES]
    script = (
        "import hashlib, sys; sys.path.insert(0, '.');"
        "from tests.test_codec import SAMPLES; from ledger.format.codec import encode;"
        "print('\\n'.join(hashlib.sha256(encode(op)).hexdigest() for op in SAMPLES))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "12345", "PATH": ""}).stdout.split()
    assert out == here


@given(S.histories(max_ops=4))
def test_generated_ops_round_trip(history: tuple[SchemaState, list[MigrateOperation]]) -> None:
    start, steps = history
    state = start
    for op in steps:
        c = state.complete(op)
        for value in (op, c):
            data = encode(value)
            assert decode(data) == value and encode(decode(data)) == data
        state = state.apply(c)


def _exactly(written: Any, expected: Any, where: str = "op") -> None:
    """``written`` equals ``expected`` down to the container types and the order of the keys."""
    assert type(written) is type(expected), (where, written, expected)
    if isinstance(written, dict):
        assert list(written) == list(expected), where
        for key in written:
            _exactly(written[key], expected[key], f"{where}.{key}")
    elif isinstance(written, (list, tuple)):
        assert len(written) == len(expected), where
        for i, (w, e) in enumerate(zip(written, expected)):
            _exactly(w, e, f"{where}[{i}]")
    else:
        assert written == expected, where


def test_samples_are_written_as_the_converter_unstructures_them() -> None:
    """``to_payload`` makes each op's fields without cattrs (ledger.format.unstructure): the same
    values as the payload converter's unstructuring, so the same bytes and hashes."""
    for op in SAMPLES:
        _exactly(to_payload(op)["op"], converter().unstructure(op, type(op)))


@given(S.histories(max_ops=4))
def test_generated_ops_are_written_as_the_converter_unstructures_them(
    history: tuple[SchemaState, list[MigrateOperation]],
) -> None:
    state, steps = history
    for op in steps:
        done = state.complete(op)
        for value in (op, done, *([done.reverse()] if done.reversible else [])):
            _exactly(to_payload(value)["op"], converter().unstructure(value, type(value)))
        state = state.apply(done)


def test_an_op_of_plain_fields_is_read_as_the_converter_reads_it() -> None:
    """An op class whose fields are all plain (str, int, bool, null) gets its structure function
    without the converter (what a hooked run reads back: its SQL text): the same op from the same
    fields, the same refusals."""
    from ledger.format.payload import _PLAIN, _Bad, _is_union, structure_hook

    def _plain_structure(cls: type) -> Any:
        for f in attrs.fields(attrs.resolve_types(cls)):
            if not (f.type in (str, int, bool) or (_is_union(f.type) and set(typing.get_args(f.type)) <= set(_PLAIN))):
                return None
        return structure_hook(cls)

    plain = [op for op in SAMPLES if _plain_structure(type(op)) is not None]
    assert ExecuteSQLOp in {type(op) for op in plain}
    assert not any(isinstance(op, (ops.AddColumnOp, ops.CreateTableOp)) for op in plain)
    for op in plain:
        kind, fields = type(op), to_payload(op)["op"]
        made, theirs = _plain_structure(kind), converter().get_structure_hook(kind)
        assert made(fields, kind) == theirs(fields, kind) == op
        for key in fields:
            for wrong, structure in itertools.product((1.5, [], {"a": 1}), (made, theirs)):
                with pytest.raises(_Bad):
                    structure({**fields, key: wrong}, kind)
        with pytest.raises(_Bad):
            made({**fields, "unknown": 1}, kind)


@given(S.type_specs())
def test_every_type_round_trips(type_: TypeSpec) -> None:
    op = ops.AddColumnOp("t", ColumnSpec("c", type_))
    assert decode(encode(op)) == op


# -- upcasting ------------------------------------------------------------------------------------


def test_execute_v1_is_upcast_to_v2() -> None:
    old = b'{"op":{"sql":"UPDATE t SET x = 1"},"type":"execute","v":1}'
    op = decode(old)
    assert op == ExecuteSQLOp("UPDATE t SET x = 1", reverse_sql=None)
    assert not op.reversible
    assert json.loads(encode(op))["v"] == 2


def test_upcast_refuses_a_v1_payload_without_sql() -> None:
    with pytest.raises(LedgerFormatError, match="seq 7"):
        decode(b'{"op":{"sqltext":"x"},"type":"execute","v":1}', seq=7)


@pytest.mark.parametrize("sort_keys", [False, True])
@pytest.mark.parametrize("version", [0, 3, -1, "2", 2.0, True, None])
def test_unknown_payload_versions(version: Any, sort_keys: bool) -> None:
    # Sorted keys: the envelope in canonical order, read through the structure function of the
    # op's current version once one payload of that op has been read.
    decode(b'{"op":{"reverse_sql":null,"sqltext":"x"},"type":"execute","v":2}', remember=False)
    data = json.dumps({"type": "execute", "v": version, "op": {"sqltext": "x", "reverse_sql": None}}, sort_keys=sort_keys)
    with pytest.raises(LedgerFormatError, match="seq 12"):
        decode(data.encode(), seq=12)


@pytest.mark.parametrize("version", ["true", "1.0", "0", "2", '"1"', "null"])
def test_a_version_equal_to_the_current_but_not_an_integer_is_refused(version: str) -> None:
    """True == 1 and 1.0 == 1 in Python, so a look-up by (type, version) would take them for version 1."""
    decode(b'{"op":{"_reverse":null,"schema":null,"table_name":"a"},"type":"drop_table","v":1}', remember=False)
    text = '{"op":{"_reverse":null,"schema":null,"table_name":"a"},"type":"drop_table","v":' + version + "}"
    with pytest.raises(LedgerFormatError, match="seq 12: unknown payload version"):
        decode(text, seq=12, remember=False)


def test_register_upcaster_chains_versions() -> None:
    """A plugin op at version 3 reads version 1 payloads through two upcasters."""
    import attrs

    @ops.op_type("test_codec_upcast", version=3)
    @attrs.frozen
    class Tagged(MigrateOperation):
        label: str
        weight: int

    @codec.register_upcaster("test_codec_upcast", 1)
    def v1_v2(fields: dict[str, Any]) -> dict[str, Any]:
        return {"label": fields["name"]}

    @codec.register_upcaster("test_codec_upcast", 2)
    def v2_v3(fields: dict[str, Any]) -> dict[str, Any]:
        return {**fields, "weight": 1}

    try:
        assert decode(b'{"op":{"name":"x"},"type":"test_codec_upcast","v":1}') == Tagged("x", 1)
        assert decode(encode(Tagged("y", 2))) == Tagged("y", 2)
    finally:
        del ops.OP_TYPES["test_codec_upcast"]


# -- errors name the ledger position ------------------------------------------------------------


@pytest.mark.parametrize("data", [
    b"", b"\xff\xfe", b"not json", b"[]", b"{}", b'{"type":"nope","v":1,"op":{}}',
    b'{"type":"drop_table","v":1,"op":{"table_name":5}}',
    b'{"type":"drop_table","v":1,"op":{"table_name":"t","schema":null,"_reverse":null,"extra":1}}',
    b'{"type":"add_column","v":1,"op":{"table_name":"t","schema":null,"column":{"name":"c","type":'
    b'{"name":"os.system","args":[],"kwargs":{}},"nullable":true,"server_default":null,"comment":null,'
    b'"autoincrement":"auto","identity":null,"computed":null}}}',
])
def test_errors_name_the_seq(data: bytes) -> None:
    with pytest.raises(LedgerFormatError, match=r"ledger seq 4242\b"):
        decode(data, seq=4242)


def test_an_unknown_type_name_is_named_and_nothing_is_imported() -> None:
    payload = copy.deepcopy(to_payload(ops.AddColumnOp("t", ColumnSpec("c", TypeSpec("Integer")))))
    payload["op"]["column"]["type"]["name"] = "subprocess.Popen"
    with pytest.raises(LedgerFormatError, match="subprocess.Popen"):
        decode(json.dumps(payload).encode())


def test_encode_refuses_an_unregistered_op() -> None:
    import attrs

    @attrs.frozen
    class Stray(MigrateOperation):
        x: int = 0

    with pytest.raises(LedgerFormatError):
        encode(Stray())


def test_bad_input_types() -> None:
    for value in (None, 5, ["x"], {"type": "execute"}):
        with pytest.raises(LedgerFormatError):
            decode(value)  # type: ignore[arg-type]
    with pytest.raises(LedgerFormatError, match="larger"):
        decode(b" " * (codec.MAX_PAYLOAD_BYTES + 1))


# -- 10,000 malformed payloads ------------------------------------------------------------------

_WRONG = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(),
                                                                                  max_size=2),
    st.sampled_from(["os.system", "builtins.eval", "Integer", "postgresql.NOPE", "__import__", "execute", "\ud800"]),
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key in sorted(value):
            found += _paths(value[key], path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, path + (i,))
    return found


# Strategies built once: building them per draw costs more than the decoding under test.
_PAYLOAD_PATHS = [(payload, st.sampled_from(_paths(payload))) for payload in PAYLOADS]
_PICK_PAYLOAD = st.sampled_from(range(len(PAYLOADS)))
_ACTIONS = st.sampled_from(["replace", "delete", "extra", "nest", "wrap"])
_KEYS = st.text(min_size=1, max_size=6)
_DEPTH = st.integers(1, 40)
_NESTING = st.booleans()
_KINDS = st.sampled_from(["json", "json", "json", "truncate", "garbage", "utf8", "deep"])
_BAD_UTF8 = st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"])
_DEEP = st.sampled_from([50, 2000, 200_000])
_GARBAGE = st.binary(min_size=1, max_size=8)


def _mutate(draw: Any, payload: Any, paths: st.SearchStrategy[tuple[Any, ...]]) -> Any:
    payload = copy.deepcopy(payload)
    path = draw(paths)
    if not path:
        return draw(_WRONG)
    parent = payload
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = draw(_ACTIONS)
    if action == "replace":
        parent[last] = draw(_WRONG)
    elif action == "delete":
        del parent[last]
    elif action == "extra" and isinstance(parent, dict):
        parent[draw(_KEYS)] = draw(_WRONG)
    elif action == "extra":
        parent.append(draw(_WRONG))
    elif action == "nest":
        value: Any = parent[last]
        for _ in range(draw(_DEPTH)):
            value = [value] if draw(_NESTING) else {"type": value}
        parent[last] = value
    else:
        parent[last] = {"type": {"name": "ARRAY", "args": [parent[last]], "kwargs": {}}}
    return payload


@st.composite
def malformed(draw: Any) -> bytes:
    """A valid payload, mutated one to three times, then maybe cut, salted or wrapped as bytes."""
    payload, paths = _PAYLOAD_PATHS[draw(_PICK_PAYLOAD)]
    payload = _mutate(draw, payload, paths)
    for _ in range(draw(st.integers(0, 2))):
        payload = _mutate(draw, payload, st.sampled_from(_paths(payload)))
    kind = draw(_KINDS)
    try:
        data = json.dumps(payload, ensure_ascii=draw(_NESTING)).encode("utf-8", "surrogatepass")
    except ValueError:
        data = b"{"
    if kind == "truncate":
        data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
    elif kind == "garbage":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(_GARBAGE) + data[at:]
    elif kind == "utf8":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(_BAD_UTF8) + data[at:]
    elif kind == "deep":
        depth = draw(_DEEP)
        data = b"[" * depth + data + b"]" * depth
    return data


@settings(max_examples=examples(10_000), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(malformed())
def test_malformed_payloads_raise_ledger_format_error_and_nothing_else(data: bytes) -> None:
    try:
        op = decode(data, seq=99)
    except LedgerFormatError as exc:
        assert "seq 99" in str(exc)
        return
    # Some mutations leave a valid payload (a string for a string): it must then be a real op.
    assert isinstance(op, MigrateOperation)
    assert decode(encode(op)) == op


def test_from_payload_and_to_payload_are_inverse() -> None:
    for op, payload in zip(SAMPLES, PAYLOADS):
        assert from_payload(payload) == op
        assert to_payload(from_payload(payload)) == payload


# -- a read whose event hashes were checked --------------------------------------------------------


@settings(max_examples=examples(2_000), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(malformed())
def test_a_hashed_read_refuses_what_a_strict_one_refuses_but_a_repeated_key(data: bytes) -> None:
    """``hashed=True`` skips only the proof that the bytes are canonical: every error is still a
    LedgerFormatError naming the seq, and an op it gives is what the strict read gives, unless a
    key appears twice (the strict read alone refuses that; ``verify`` reads strictly)."""
    try:
        op = decode(data, seq=99, hashed=True)
    except LedgerFormatError as exc:
        assert "seq 99" in str(exc)
        with pytest.raises(LedgerFormatError):
            decode(data, seq=99)
        return
    assert isinstance(op, MigrateOperation)
    try:
        assert decode(data, seq=99) == op
    except LedgerFormatError as exc:
        assert "appears twice" in str(exc)


@pytest.mark.parametrize("op", SAMPLES, ids=lambda op: op.describe()[:40])
def test_a_hashed_read_gives_the_op(op: MigrateOperation) -> None:
    assert decode(encode(op), hashed=True) == op
    assert decode(encode(op).decode("utf-8"), hashed=True) == op


@pytest.mark.parametrize("data", [
    b'{"op":{"schema":null,"table_name":"t","_reverse":NaN},"type":"drop_table","v":1}',
    b'{"op":{"schema":null,"table_name":"t\\ud800","_reverse":null},"type":"drop_table","v":1}',
    b'{"op":{"schema":null,"table_name":Infinity,"_reverse":null},"type":"drop_table","v":1}',
])
def test_a_hashed_read_refuses_constants_and_lone_surrogates(data: bytes) -> None:
    with pytest.raises(LedgerFormatError, match=r"ledger seq 7\b"):
        decode(data, seq=7, hashed=True)


def test_a_repeated_key_read_hashed_is_not_handed_out_to_a_strict_read() -> None:
    data = b'{"op":{"_reverse":null,"schema":null,"table_name":"a","table_name":"b"},"type":"drop_table","v":1}'
    assert decode(data, hashed=True) == ops.DropTableOp("b")
    with pytest.raises(LedgerFormatError, match="appears twice"):
        decode(data)


@pytest.mark.parametrize("first", [True, False])
def test_options_true_and_1_stay_apart(first: bool) -> None:
    """Column types are looked up by their options once read; True == 1 in Python, not in a payload."""
    def payload(value: str) -> bytes:
        column = ('{"autoincrement":"auto","comment":null,"computed":null,"identity":null,"name":"c",'
                  '"nullable":true,"server_default":null,"type":{"args":[],"kwargs":{"timezone":%s},'
                  '"name":"DateTime"}}' % value)
        return ('{"op":{"column":%s,"schema":null,"table_name":"t"},"type":"add_column","v":1}' % column).encode()

    values = ["true", "1"] if first else ["1", "true"]
    for value in values * 2:
        assert encode(decode(payload(value))) == payload(value)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
def test_canonical_is_json_dumps_sorted_compact_utf8(value: Any) -> None:
    try:
        expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False).encode("utf-8")
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            codec.canonical(value)
        return
    assert codec.canonical(value) == expected


@pytest.mark.parametrize("value", [float("nan"), {"a": float("inf")}, {"a": object()}, [1, {2.5}]])
def test_canonical_refuses_what_json_dumps_refuses(value: Any) -> None:
    with pytest.raises((ValueError, TypeError)) as ours:
        codec.canonical(value)
    with pytest.raises(type(ours.value)):
        json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _field_mutations() -> list[tuple[str, Any]]:
    """(path in a payload, value) pairs that each make a valid payload invalid, one field kind each."""
    return [
        ("op.table_name", None),                     # str, required
        ("op.table_name", 7),
        ("op.schema", True),                         # str | None
        ("op.schema", 1.5),
        ("op.existing_nullable", 1),                 # bool | None: 1 is not True
        ("op.existing_comment", 0),                  # str | None | bool
        ("op.existing_type", "String"),              # TypeSpec | None
        ("op.existing_type", {"name": "String", "args": [], "kwargs": {}, "x": 1}),
        ("op.existing_type", {"name": "Nope", "args": [], "kwargs": {}}),
        ("op.existing_server_default", 3),           # DefaultSpec | None | bool
        ("op.existing_server_default", {"kind": "text"}),
        ("op.existing_server_default", {"kind": "text", "value": "1", "extra": 1}),
        ("op.existing_server_default", ["text", "1"]),
        ("op.modify_name", ["x"]),
        ("op.extra", 1),                             # unknown key
        ("op", []),
    ]


@pytest.mark.parametrize(("path", "value"), _field_mutations())
def test_every_field_kind_refuses_a_wrong_value(path: str, value: Any) -> None:
    op = ops.AlterColumnOp("t", "c", existing_type=TypeSpec("String", (), (("length", 40),)))
    data = to_payload(op)
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[key]
    target[last] = value
    with pytest.raises(LedgerFormatError):
        decode(codec.canonical(data), seq=5)


@pytest.mark.parametrize(
    ("field", "value"),
    [("nullable", None), ("nullable", 1), ("autoincrement", None), ("autoincrement", 1.0), ("type", None),
     ("identity", {"always": "yes"}), ("computed", {"persisted": True}), ("name", None)],
)
def test_a_column_refuses_a_wrong_value(field: str, value: Any) -> None:
    data = to_payload(ops.AddColumnOp("t", ColumnSpec("c", TypeSpec("Integer"))))
    data["op"]["column"][field] = value
    with pytest.raises(LedgerFormatError):
        decode(codec.canonical(data))


@pytest.mark.parametrize("columns", [None, "a", ["a", 1], [["a"]], {"a": 1}])
def test_a_tuple_of_names_refuses_what_is_not_a_list_of_str(columns: Any) -> None:
    data = to_payload(ops.CreatePrimaryKeyOp("t", ops.PrimaryKeySpec("pk", ("a",))))
    data["op"]["constraint"]["columns"] = columns
    with pytest.raises(LedgerFormatError):
        decode(codec.canonical(data))


def test_missing_optional_fields_take_their_defaults() -> None:
    op = ops.AddColumnOp("t", ColumnSpec("c", TypeSpec("Integer")))
    data = to_payload(op)
    data["op"]["column"] = {"name": "c", "type": data["op"]["column"]["type"]}
    del data["op"]["schema"]
    assert decode(codec.canonical(data)) == op


# -- the strict parse at C speed ---------------------------------------------------------------


def _render(value: Any, draw: Any) -> str:
    """JSON text of ``value`` where an object is a list of (key, value) pairs (so a key may come
    twice), floats may be NaN or Infinity, and a string may hold a lone surrogate, raw or escaped."""
    if isinstance(value, list) and value and value[0] == "obj":
        return "{" + ",".join(f"{_render(k, draw)}:{_render(v, draw)}" for k, v in value[1:]) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_render(v, draw) for v in value) + "]"
    if isinstance(value, float):
        return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}.get(repr(value), repr(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=draw(st.booleans()))
    return json.dumps(value)


_KEYS = st.sampled_from(["a", "b", "type", "op", "é", "\ud800", "a\\u"])
_TEXT_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats() | st.sampled_from(["x", "é", "\udc00", "\\u0041"]),
    lambda inner: st.lists(inner, max_size=3) | st.builds(lambda pairs: ["obj", *pairs],
                                                         st.lists(st.tuples(_KEYS, inner), max_size=4)),
    max_leaves=12,
)


@settings(max_examples=examples(3_000), deadline=None, database=None)
@given(st.data())
def test_the_fast_parse_reads_exactly_what_the_strict_parse_reads(data: Any) -> None:
    """What ``decode`` parses at C speed (a key given twice, NaN and Infinity checked by the scanner's
    hooks) is what the strict parse gives, and whatever the strict parse refuses is left to it."""
    text = _render(data.draw(_TEXT_VALUES), data.draw)
    if data.draw(st.booleans()):
        text = " " + text
    fast = codec._parse_fast(text)
    try:
        strict = json.loads(text, parse_constant=codec._no_constant, object_pairs_hook=codec._no_duplicates)
        codec.canonical(strict)
    except (ValueError, RecursionError):
        assert fast is codec._FULL_PARSE
        return
    if fast is not codec._FULL_PARSE:
        assert json.dumps(fast, sort_keys=True) == json.dumps(strict, sort_keys=True)


@pytest.mark.parametrize("text", [
    '{"op":{"_reverse":null,"schema":null,"table_name":"a","table_name":"b"},"type":"drop_table","v":1}',
    '{"op":{"_reverse":null,"schema":null,"table_name":"a"},"type":"drop_table","type":"drop_table","v":1}',
    '{"op":{"_reverse":null,"schema":null,"table_name":"a"},"type":"drop_table","v":NaN}',
    '{"op":{"_reverse":null,"schema":null,"table_name":"a\\ud800"},"type":"drop_table","v":1}',
    '{"op":{"_reverse":null,"schema":null,"table_name":"a\ud800"},"type":"drop_table","v":1}',
])
def test_a_read_refuses_a_repeated_key_a_constant_and_a_lone_surrogate(text: str) -> None:
    assert codec._parse_fast(text) is codec._FULL_PARSE
    with pytest.raises(LedgerFormatError, match=r"ledger seq 3\b"):
        decode(text, seq=3)


def _object_paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where the objects of a JSON value are: dict keys and list indexes from the top."""
    found = [at] if isinstance(value, dict) else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for k, v in items:
        found += _object_paths(v, (*at, k))
    return found


_Pairs = list[tuple[str, Any]]


def _written(value: Any, path: tuple[Any, ...] | None, pairs: Callable[[_Pairs], _Pairs]) -> str:
    """Compact JSON text of ``value``, the object at ``path`` written with ``pairs(its pairs)``."""
    if isinstance(value, dict):
        items = list(value.items())
        if path == ():
            items = pairs(items)
        return "{" + ",".join(
            json.dumps(k, ensure_ascii=False) + ":" + _written(v, path[1:] if path and path[0] == k else None, pairs)
            for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_written(v, path[1:] if path and path[0] == i else None, pairs)
                              for i, v in enumerate(value)) + "]"
    return json.dumps(value, ensure_ascii=False)


@settings(max_examples=examples(400), deadline=None, database=None)
@given(st.data())
def test_objects_read_as_pairs_structure_as_the_strict_parse_does(data: Any) -> None:
    """``decode`` parses objects as their (key, value) pairs and the structure functions make them
    dicts (or unpack them whole when their keys are those ``encode`` writes, in its order): any
    object's keys in another order read as the strict parse reads them, and a key given twice in
    any object, with the same value or another, is refused as the strict parse refuses it."""
    op = data.draw(st.sampled_from(SAMPLES))
    payload = json.loads(encode(op))
    path = data.draw(st.sampled_from(_object_paths(payload)))
    twice = data.draw(st.booleans())

    def pairs(items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        items = data.draw(st.permutations(items))
        if twice and items:
            key, value = data.draw(st.sampled_from(items))
            again = data.draw(st.sampled_from([value, None, 0, "x", [], {}]))
            items.insert(data.draw(st.integers(0, len(items))), (key, again))
        return items

    text = _written(payload, path, pairs)
    if twice and "appears twice" in _strict_refusal(text):
        with pytest.raises(LedgerFormatError, match=r"ledger seq 3\b.*appears twice"):
            decode(text, seq=3, remember=False)
    else:
        assert decode(text, seq=3, remember=False) == op


def _strict_refusal(text: str) -> str:
    try:
        json.loads(text, parse_constant=codec._no_constant, object_pairs_hook=codec._no_duplicates)
    except ValueError as exc:
        return str(exc)
    return ""


_WRITTEN_OUT = """
import types
from pathlib import Path
import importlib, pkgutil, ops
for found in pkgutil.walk_packages(ops.__path__, "ops."):
    importlib.import_module(found.name)
from ops import OP_TYPES
from ledger.format import payload, structures, structuring
for cls in OP_TYPES.values():
    payload.structure_hook(cls)
texts = structuring.structurecode_texts(structuring.MADE)
folder = Path(structures.__file__).parent
assert {p.stem for p in folder.glob("*.py")} - {"__init__"} == set(texts)
for module, text in texts.items():
    assert (folder / f"{module}.py").read_text() == text, module


def codes(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from codes(const)


for name, source in structuring.MADE.items():
    if not name.startswith("<structure ops."):
        continue
    compiled = next(c for c in compile(source, name, "exec").co_consts if isinstance(c, types.CodeType))
    written = structuring.written(name, source)
    assert written is not None, name
    for w, c in zip(codes(written), codes(compiled), strict=True):
        assert w == c, name
        assert (w.co_name, w.co_qualname, w.co_filename, w.co_firstlineno, w.co_linetable) == \\
            (c.co_name, c.co_qualname, c.co_filename, c.co_firstlineno, c.co_linetable), name
print(sum(1 for name in structuring.MADE if name.startswith("<structure ops.")))
"""


def test_the_vocabularys_structure_functions_are_written_out_as_they_compile() -> None:
    # a fresh process: every op class's structure function (and its specs') made, none compiled
    ran = subprocess.run([sys.executable, "-c", _WRITTEN_OUT], capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert int(ran.stdout) >= 25


def test_a_structure_function_the_file_does_not_hold_as_written_is_compiled() -> None:
    from ledger.format import structuring

    source = "def structure(o, _=None, *, k=k):\n    return (o, k)\n"
    made = structuring.function(source, "<structure tests.Nowhere>", {"k": 7})
    assert made("x") == ("x", 7)
    assert structuring.written("<structure tests.Nowhere>", source) is None
    # a class of the vocabulary whose source changed is not given the written code of the old one
    assert structuring.written("<structure ops.column.AddColumnOp>", source) is None
    assert structuring.written("<structure ops.nowhere.Op>", source) is None
