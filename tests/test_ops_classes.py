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


def _found() -> dict[type, list[Any]]:
    """The values of the codec's samples and of a state they make, by class."""
    found: dict[type, list[Any]] = {}
    for op in SAMPLES:
        _values(op, found)
    state = SchemaState()
    for op in SAMPLES[:3]:
        state = state.apply(state.complete(op))
    _values(state, found)
    return found


def test_the_shared_repr_is_attrs_own_for_every_op_and_spec() -> None:
    found = _found()
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


# ---------------------------------------------------------------------------------------------
# ops.classes.frozen: the classes it makes, compared with those attrs makes from the same fields
# ---------------------------------------------------------------------------------------------


def _made_here() -> list[type]:
    """Every class of ops and of the event formats that ``ops.classes.frozen`` made itself."""
    import ledger.format.alembic_record
    import ledger.format.events
    import ops
    from ops import column, constraint, index, keyspecs, specs, sql, state, table, types
    from ops.classes import INIT_FILENAME

    found = {}
    for module in (ops, column, constraint, index, keyspecs, specs, sql, state, table, types,
                   ledger.format.alembic_record, ledger.format.events):
        for value in vars(module).values():
            if isinstance(value, type) and getattr(value.__init__, "__code__", None) is not None \
                    and value.__init__.__code__.co_filename == INIT_FILENAME:
                found[value] = None
    return list(found)


def _twin(cls: type) -> type:
    """The class ``attrs.frozen`` makes from ``cls``'s fields, on the same bases."""
    ns: dict[str, Any] = {"__annotations__": {}, "__module__": cls.__module__, "__qualname__": cls.__qualname__}
    for a in attrs.fields(cls):
        ns["__annotations__"][a.name] = a.type
        ns[a.name] = attrs.field(default=a.default, validator=a.validator, repr=a.repr, eq=a.eq, hash=a.hash,
                                 init=a.init, converter=a.converter, kw_only=a.kw_only,
                                 alias=None if a.alias_is_default else a.alias)
    if "__attrs_post_init__" in cls.__dict__:
        ns["__attrs_post_init__"] = cls.__dict__["__attrs_post_init__"]
    return attrs.frozen(type(cls.__name__, cls.__bases__, ns))


def _described(a: Any) -> tuple[Any, ...]:
    return (a.name, a.default, a.validator, a.repr, a.eq, a.eq_key, a.order, a.hash, a.init, a.converter,
            a.kw_only, a.alias, a.alias_is_default, a.type, a.inherited, dict(a.metadata), a.on_setattr)


def _parameters(cls: type) -> list[tuple[Any, ...]]:
    """Each parameter of ``cls.__init__``: a factory's default is attrs' ``NOTHING`` in a class attrs
    makes, ``ops.classes.NOTHING`` in one made without attrs (both "none given")."""
    import inspect

    from ops.classes import no_default

    return [(p.name, p.kind, "NOTHING" if no_default(p.default) else p.default)
            for p in inspect.signature(cls.__init__).parameters.values()]


def test_every_class_frozen_makes_has_the_fields_signature_and_slots_attrs_gives_it() -> None:
    classes = _made_here()
    assert len(classes) >= 30, sorted(c.__name__ for c in classes)
    for cls in classes:
        twin = _twin(cls)
        assert [_described(a) for a in attrs.fields(cls)] == [_described(a) for a in attrs.fields(twin)], cls
        assert attrs.has(cls) and all(attrs.fields(cls).__getattr__(a.name) is a for a in attrs.fields(cls))
        assert _parameters(cls) == _parameters(twin), cls
        assert cls.__slots__ == twin.__slots__ and cls.__match_args__ == twin.__match_args__, cls  # type: ignore[attr-defined]
        assert cls.__mro__[1:] == twin.__mro__[1:]


def _samples() -> list[Any]:
    return [value for values in _found().values() for value in values]


def test_values_of_the_classes_frozen_makes_behave_as_attrs_makes_them() -> None:
    """Equality and hash over the same fields, the same repr, refused assignment, evolve, asdict,
    copies and pickles: each sample value against its twin made by attrs from the same fields."""
    import copy
    import pickle

    import pytest

    samples = [v for v in _samples() if type(v) in set(_made_here())]
    assert len({type(v) for v in samples}) >= 20
    twins: dict[type, type] = {}
    for value in samples:
        cls = type(value)
        twin = twins.setdefault(cls, _twin(cls))
        given = {a.alias: getattr(value, a.name) for a in attrs.fields(cls) if a.init}
        again, made = cls(**given), twin(**given)
        assert again == value and not again != value and hash(again) == hash(value)
        assert attrs.asdict(value, recurse=False) == attrs.asdict(made, recurse=False)
        assert repr(value) == repr(made)
        assert again != made and (again == made) is False
        assert attrs.evolve(value) == value and copy.copy(value) == value == pickle.loads(pickle.dumps(value))
        assert copy.deepcopy(value) == value
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(value, attrs.fields(cls)[0].name, None)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            delattr(value, attrs.fields(cls)[0].name)
        for a in attrs.fields(cls):
            if not a.init or a.converter is not None or a.validator is not None or not isinstance(getattr(value, a.name), (str, type(None))):
                continue
            other = "other" if getattr(value, a.name) != "other" else "another"
            changed, changed_twin = attrs.evolve(value, **{a.alias: other}), attrs.evolve(made, **{a.alias: other})
            assert (changed == value) == (changed_twin == made) == (not a.eq), (cls, a.name)


def _length_of_b(self: Any) -> int:
    return len(self.b)


def _body(decorate: Any) -> type:
    """A class of every kind of field ``frozen`` makes itself, decorated by ``decorate``."""
    seen = []

    @decorate
    class Every:
        a: int
        b: tuple[int, ...] = attrs.field(converter=tuple)
        c: str = "c"
        d: list[int] = attrs.field(factory=list, eq=False, hash=False)
        e: int = attrs.field(default=attrs.Factory(_length_of_b, takes_self=True))
        _f: int = attrs.field(default=1, validator=attrs.validators.instance_of(int))
        _g: int = attrs.field(default=2, alias="_g", repr=False)
        h: str = attrs.field(default="h", kw_only=True, converter=str.upper)
        i: int = attrs.field(kw_only=True)
        j: int = attrs.field(init=False, default=9)
        k: tuple[int, ...] = attrs.field(init=False, factory=tuple)

        def __attrs_post_init__(self) -> None:
            seen.append(self)

        def total(self) -> int:
            return self.a + self.e

    Every.seen = seen  # type: ignore[attr-defined]
    return Every


def test_a_class_of_every_kind_of_field_behaves_as_attrs_makes_it() -> None:
    import inspect

    import pytest

    ours, theirs = _body(frozen), _body(attrs.frozen)
    assert ours.__init__.__code__.co_filename != theirs.__init__.__code__.co_filename
    assert [_described(a) for a in attrs.fields(ours)] == [_described(a) for a in attrs.fields(theirs)]
    assert _parameters(ours) == _parameters(theirs)
    assert str(inspect.signature(ours)) == str(inspect.signature(theirs))
    for args, kwargs in [((1, [2, 3]), {"i": 4}), ((1, (), "x", [5], 7, 8, 9), {"h": "y", "i": 0})]:
        mine, twin = ours(*args, **kwargs), theirs(*args, **kwargs)
        assert repr(mine) == repr(twin).replace(theirs.__qualname__, ours.__qualname__)
        assert attrs.asdict(mine) == attrs.asdict(twin)
        assert mine.total() == twin.total() and ours.seen[-1] is mine and theirs.seen[-1] is twin
        assert mine == ours(*args, **kwargs) and hash(mine) == hash(ours(*args, **kwargs))
        assert attrs.evolve(mine, d=[0]) == mine  # d is outside equality and hash
        assert attrs.evolve(mine, a=5) != mine
    for bad in [((1, ()), {}), ((1, ()), {"i": 1, "f": "x"}), ((), {"i": 1})]:
        with pytest.raises(Exception) as raised:
            ours(*bad[0], **bad[1])
        with pytest.raises(raised.type):
            theirs(*bad[0], **bad[1])


def test_a_mandatory_field_after_a_default_is_refused_as_attrs_refuses_it() -> None:
    import pytest

    class Late:
        __annotations__ = {"a": "int", "b": "int"}
        a = 1

    with pytest.raises(ValueError, match="No mandatory attributes"):
        frozen(Late)
    with pytest.raises(ValueError, match="No mandatory attributes"):
        attrs.frozen(Late)


def test_a_mutable_class_define_makes_behaves_as_attrs_makes_it() -> None:
    import copy

    import pytest

    from ledger.storage.journal import Journal
    from ops.classes import INIT_FILENAME

    def body(decorate: Any) -> type:
        @decorate
        class Box:
            a: int
            b: list[int] = attrs.field(factory=list)
            c: str = "c"
            _d: int = attrs.field(default=0, kw_only=True)

        return Box

    ours, theirs = body(define), body(attrs.define)
    assert ours.__init__.__code__.co_filename == INIT_FILENAME == Journal.__init__.__code__.co_filename
    assert [_described(a) for a in attrs.fields(ours)] == [_described(a) for a in attrs.fields(theirs)]
    assert _parameters(ours) == _parameters(theirs) and ours.__slots__ == theirs.__slots__
    mine, twin = ours(1, d=2), theirs(1, d=2)
    mine.a, twin.a = 5, 5
    mine.b.append(1)
    twin.b.append(1)
    assert repr(mine) == repr(twin).replace(theirs.__qualname__, ours.__qualname__)
    assert mine == ours(5, [1], d=2) and mine != ours(5, [1], d=3) and copy.copy(mine) == mine
    assert ours.__hash__ is None and theirs.__hash__ is None
    with pytest.raises(TypeError):
        hash(mine)
    with pytest.raises(AttributeError):
        mine.e = 1  # type: ignore[attr-defined]
    # A field with a converter or validator (run on assignment by attrs) is left to attrs.
    checked = define(type("Checked", (), {"__annotations__": {"a": "int"}, "a": attrs.field(converter=int)}))
    assert checked.__init__.__code__.co_filename != INIT_FILENAME
    value = checked("3")
    value.a = "4"
    assert value.a == 4


_EVERY_SHAPE = """
import importlib, pkgutil, ledger, ops
for found in [*pkgutil.walk_packages(ledger.__path__, "ledger."), *pkgutil.walk_packages(ops.__path__, "ops.")]:
    try:
        importlib.import_module(found.name)
    except ImportError:
        pass  # a module of an extra that is not installed
from ops import classes, initcode
missing = set(classes._INIT_CODE) - set(initcode.SHAPES)
assert not missing, sorted(missing, key=repr)
print(len(classes._INIT_CODE))
"""


def test_every_shape_the_modules_make_is_written_out() -> None:
    # a fresh process: the shapes the ledger's and the vocabulary's classes have, none compiled at start
    import os
    import subprocess
    import sys

    ran = subprocess.run([sys.executable, "-c", _EVERY_SHAPE], capture_output=True, text=True, check=False,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert int(ran.stdout) >= 15


def test_the_written_shapes_are_what_ops_classes_writes_and_compiles() -> None:
    from pathlib import Path

    from ops import classes, initcode

    assert Path(initcode.__file__).read_text() == classes.initcode_text(initcode.SHAPES)
    for key in initcode.SHAPES:
        compiled, written = classes.compiled_init(classes.init_source(*key)), classes._init_code(*key)
        assert written == compiled and written.co_qualname == compiled.co_qualname
        assert (written.co_filename, written.co_firstlineno, written.co_linetable) == \
            (compiled.co_filename, compiled.co_firstlineno, compiled.co_linetable)
