"""ops.classes: attrs' decorators with one shared ``__repr__`` that gives the text attrs' own gives."""

from __future__ import annotations

from typing import Any

import attrs

from ops import SchemaState
from ops.classes import attrs_repr, define, frozen
from tests.test_codec import SAMPLES


def _twin_repr(value: Any) -> str:
    """``repr(value)`` by a class attrs makes itself with the same fields (its __repr__ generated)."""
    cls = type(value)
    fields = attrs.fields(cls)
    twin = attrs.make_class(cls.__name__, {a.name: attrs.field(repr=a.repr, init=a.init) for a in fields},
                            slots=True, frozen=True)
    twin.__qualname__ = cls.__qualname__
    copy = object.__new__(twin)
    for a in fields:
        object.__setattr__(copy, a.name, getattr(value, a.name))
    return repr(copy)


def _values(value: Any, into: dict[type, list[Any]]) -> None:
    """Every value of a class with the shared __repr__ inside ``value``, by class."""
    if isinstance(value, (tuple, list)):
        for item in value:
            _values(item, into)
    elif attrs.has(type(value)):
        if type(value).__repr__ is attrs_repr:
            into.setdefault(type(value), []).append(value)
        for a in attrs.fields(type(value)):
            _values(getattr(value, a.name), into)


def test_the_shared_repr_is_attrs_own_for_every_op_and_spec() -> None:
    found: dict[type, list[Any]] = {}
    for op in SAMPLES:
        _values(op, found)
    state = SchemaState()
    for op in SAMPLES[:3]:
        state = state.apply(state.complete(op))
    _values(state, found)
    assert len(found) >= 20, sorted(c.__name__ for c in found)
    for values in found.values():
        for value in values:
            assert repr(value) == _twin_repr(value)


def test_a_value_met_again_inside_itself_is_written_as_attrs_writes_it() -> None:
    @define
    class Box:
        items: list[Any]
        label: str = attrs.field(default="x", repr=lambda v: v.upper())

    @attrs.define
    class AttrsBox:
        items: list[Any]
        label: str = attrs.field(default="x", repr=lambda v: v.upper())

    box, twin = Box([1]), AttrsBox([1])
    box.items.append(box)
    twin.items.append(twin)
    assert repr(box) == repr(twin).replace("AttrsBox", "Box")
    assert Box.__repr__ is attrs_repr


def test_a_class_of_its_own_repr_keeps_it_and_repr_false_leaves_it_out() -> None:
    @frozen
    class Own:
        a: int

        def __repr__(self) -> str:
            return "own"

    @frozen(repr=False)
    class Plain:
        a: int

    assert repr(Own(1)) == "own"
    assert Plain.__repr__ is object.__repr__


def _hand_written_samples() -> list[tuple[Any, Any, dict[str, bool]]]:
    """(value, an equal value made apart, fields attrs would leave out of its repr) of each class
    written by hand on ``ops.classes.Value`` instead of made by attrs."""
    from ledger.format.codec import _RecordType
    from ledger.integrations.alembic.capture import Captured
    from ledger.integrations.alembic_sql import SchemaObject
    from ledger.schema.sqltext import Group, Tok
    from ledger.storage.snapshots import Snapshot

    return [
        (Captured(("DROP TABLE t",), "schema", "op.execute", None, 2, {"t": "ab"}),
         Captured(("DROP TABLE t",), "schema", "op.execute", entry=2, digests={"t": "ab"}), {}),
        (SchemaObject("TRIGGER", '"Trg"', "t"), SchemaObject("TRIGGER", '"Trg"', table="t"), {}),
        (_RecordType(1, None, {}), _RecordType(1, None, {}), {}),
        (Tok("word", "a"), Tok("word", "a"), {}),
        (Group("(", (Tok("num", "1"),)), Group("(", (Tok("num", "1"),)), {}),
        (Snapshot(5, "h", "s", b"\x00"), Snapshot(5, "h", "s", b"\x00"), {"data": False}),
    ]


def test_a_hand_written_value_class_behaves_as_attrs_frozen_makes_it() -> None:
    """Equality (same class, equal fields), hash, repr, refused assignment and copies: as a class
    attrs.frozen makes with the same fields."""
    import copy
    import pickle

    import pytest

    for value, equal, hidden in _hand_written_samples():
        cls = type(value)
        twin = attrs.make_class(cls.__name__, {name: attrs.field(repr=hidden.get(name, True))
                                               for name in cls.__slots__}, frozen=True, slots=True)
        twin.__qualname__ = cls.__qualname__
        fields = [getattr(value, name) for name in cls.__slots__]
        assert repr(value) == repr(twin(*fields))
        assert value == equal and not value != equal and value is not equal
        assert value != twin(*fields) and (value == twin(*fields)) is False
        if all(isinstance(f, (str, int, bytes, tuple, type(None))) for f in fields):
            assert hash(value) == hash(equal)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(value, cls.__slots__[0], fields[0])
        assert copy.copy(value) == value == pickle.loads(pickle.dumps(value))
        for i, name in enumerate(cls.__slots__):
            changed = list(fields)
            changed[i] = ("other",) if isinstance(fields[i], tuple) else "other"
            assert cls(*changed) != value
