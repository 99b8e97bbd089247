"""Column types: the allow-list, TypeSpec <-> SQLAlchemy round trips, user types and clear errors."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from hypothesis import given
from sqlalchemy.dialects import mysql, postgresql, sqlite

import ops
from ledger.format.codec import LedgerFormatError, decode, encode
from ops import ColumnSpec, TableSpec, TypeSpec, UnknownTypeError
from ops.specs import registered_type, registered_type_names
from tests import strategies as S


def _build(name: str) -> sa.types.TypeEngine:  # type: ignore[type-arg]
    kind = registered_type(name)
    if issubclass(kind, sa.ARRAY):
        return kind(sa.Integer)
    if issubclass(kind, postgresql.DOMAIN):
        return kind("positive", sa.Integer, check="VALUE > 0")
    return kind()


@pytest.mark.parametrize("name", registered_type_names())
def test_every_allowed_type_round_trips(name: str) -> None:
    spec = TypeSpec.from_sa(_build(name))
    built = spec.to_sa()
    assert isinstance(built, registered_type(name))
    assert TypeSpec.from_sa(built) == spec
    op = ops.AddColumnOp("t", ColumnSpec("c", spec))
    assert decode(encode(op)) == op


@given(S.type_specs())
def test_generated_types_are_canonical(spec: TypeSpec) -> None:
    assert TypeSpec.from_sa(spec.to_sa()) == spec


@given(S.type_specs(portable=True))
def test_portable_types_compile_everywhere(spec: TypeSpec) -> None:
    table = TableSpec("t", (ColumnSpec("c", spec),)).to_table()
    for dialect in (sqlite.dialect(), postgresql.dialect(), mysql.dialect()):
        assert "CREATE TABLE" in str(sa.schema.CreateTable(table).compile(dialect=dialect))


@pytest.mark.parametrize("type_", [
    sa.String(50, collation="C"), sa.Numeric(10, 2), sa.DateTime(timezone=True), sa.Enum("a", "b", name="ab"),
    sa.Enum("a", name="e", native_enum=False, length=20, validate_strings=True), sa.JSON(none_as_null=True),
    sa.LargeBinary(100), sa.Boolean(create_constraint=True, name="ck_bool"), sa.Uuid(as_uuid=False),
    postgresql.JSONB(), postgresql.UUID(), postgresql.ARRAY(sa.String(5), dimensions=2), postgresql.INET(),
    postgresql.TIMESTAMP(timezone=True, precision=3), postgresql.BIT(5, varying=True),
    postgresql.ENUM("x", "y", name="xy", create_type=False), postgresql.INTERVAL(fields="DAY"),
    mysql.TINYINT(1, unsigned=True), mysql.MEDIUMTEXT(charset="utf8mb4", collation="utf8mb4_bin"),
    mysql.SET("a", "b", retrieve_as_bitwise=True), mysql.ENUM("a", "b", charset="latin1"),
    mysql.INTEGER(display_width=11, unsigned=True, zerofill=True), mysql.DATETIME(fsp=6),
    sqlite.DATETIME(truncate_microseconds=True),
], ids=repr)
def test_arguments_survive(type_: sa.types.TypeEngine) -> None:  # type: ignore[type-arg]
    built = TypeSpec.from_sa(type_).to_sa()
    assert repr(built) == repr(type_)
    assert TypeSpec.from_sa(built) == TypeSpec.from_sa(type_)


def test_defaults_a_type_fills_in_are_not_arguments() -> None:
    assert TypeSpec.from_sa(postgresql.JSONB()) == TypeSpec("postgresql.JSONB")
    assert TypeSpec.from_sa(sa.PickleType()) == TypeSpec("PickleType")
    assert TypeSpec.from_sa(sa.DateTime(timezone=False)) == TypeSpec("DateTime")
    assert TypeSpec.from_sa(sa.Integer) == TypeSpec("Integer")
    assert TypeSpec.from_sa(sa.Enum("a", name="e")) == TypeSpec.of("Enum", "a", name="e")


def test_an_unknown_type_is_named() -> None:
    class Mystery(sa.types.UserDefinedType):  # type: ignore[type-arg]
        cache_ok = True

        def get_col_spec(self) -> str:
            return "MYSTERY"

    with pytest.raises(UnknownTypeError, match=r"test_ops_types\..*Mystery.*ops.register_type"):
        TypeSpec.from_sa(Mystery())
    with pytest.raises(UnknownTypeError, match="'Mystery'"):
        TypeSpec("Mystery").to_sa()
    for abstract in (sa.types.NullType(), sa.types.MatchType(), sa.types.TupleType()):
        with pytest.raises(UnknownTypeError):
            TypeSpec.from_sa(abstract)


def test_arguments_that_are_not_values_are_refused() -> None:
    with pytest.raises(UnknownTypeError, match="pickler"):
        TypeSpec.from_sa(sa.PickleType(pickler=json))


def test_a_spec_that_cannot_be_built_says_so() -> None:
    with pytest.raises(UnknownTypeError, match=r"String\(nope=1\) cannot be built"):
        TypeSpec.of("String", nope=1).to_sa()


def test_register_type() -> None:
    class Point(sa.types.UserDefinedType):  # type: ignore[type-arg]
        cache_ok = True

        def __init__(self, srid: int = 4326) -> None:
            self.srid = srid

        def get_col_spec(self) -> str:
            return f"POINT({self.srid})"

    assert ops.register_type(Point) is Point
    name = f"{Point.__module__}.{Point.__qualname__}"
    assert TypeSpec.from_sa(Point(3857)) == TypeSpec.of(name, srid=3857)
    op = ops.AddColumnOp("t", ColumnSpec("where", TypeSpec.from_sa(Point(3857))))
    assert decode(encode(op)) == op
    assert op.column.type.to_sa().srid == 3857  # type: ignore[attr-defined]
    ops.register_type(Point)  # again, same class: fine
    with pytest.raises(ValueError, match="already registered"):
        ops.register_type(sa.Integer, name)


def test_a_payload_naming_an_unregistered_type_is_a_format_error() -> None:
    data = encode(ops.AddColumnOp("t", ColumnSpec("c", TypeSpec("Integer")))).replace(b'"Integer"', b'"Unheard"')
    with pytest.raises(LedgerFormatError, match="Unheard"):
        decode(data, seq=3)


@pytest.mark.parametrize("name", registered_type_names())
def test_the_signature_of_a_type_is_what_inspect_reads(name: str) -> None:
    """A type without an ``__init__`` of its own takes object's, read without ``inspect`` (which
    parses a builtin's signature with the tokenizer): the same parameters either way."""
    import inspect

    from ops.types import _MISSING, _SIGNATURES, _signature

    kind = registered_type(name)
    _SIGNATURES.pop(kind, None)
    params = list(inspect.signature(kind.__init__).parameters.values())[1:]
    expected = (tuple((p.name, p.default) for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)),
                any(p.kind == p.VAR_KEYWORD for p in params))
    named, takes_kw, _baseline = _signature(kind)
    assert (tuple((n, inspect.Parameter.empty if d is _MISSING else d) for n, d in named), takes_kw) == expected
