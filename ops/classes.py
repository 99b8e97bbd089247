"""``frozen``: the op, spec and event classes made as ``attrs.frozen`` makes them, for a fraction of
its cost; ``define``: ``attrs.define`` with the shared ``__repr__``; ``Value``: a hand-written base.

attrs makes a class by writing the source of its ``__init__``, ``__eq__``, ``__hash__`` and
``__repr__``, compiling each, and making the class again with slots: about 2 M instructions a
class, some 70 M of importing the Alembic hook for the 35 classes it makes (docs/performance.md,
"The op classes"). ``frozen`` makes the same class (slots, fields as ``attrs.Attribute`` in
``__attrs_attrs__``, so ``attrs.fields``, ``attrs.evolve``, ``attrs.has``, ``attrs.asdict`` and
cattrs read it as attrs' own; defaults, factories, converters, validators, keyword-only fields,
``__attrs_post_init__``; equality and hash over the fields attrs would compare; assignment
refused; copies and pickles) with methods shared by all classes or closures over a class's
field names, and an ``__init__`` per shape of fields (how many, which have defaults,
converters...) given each class's parameter names: for the shapes of the ledger's and the
vocabulary's classes written out in ``ops/initcode.py`` (loaded with its bytecode), for another
compiled once. A class it does not cover
(fields inherited from an attrs class, its own ``__slots__``, a ``cached_property``, options
passed) is left to attrs. ``tests/test_ops_classes.py`` compares every class it makes with the
class attrs makes from the same body.

The ``__repr__`` is one for all classes: it reads the class's fields when it is called and gives
the text attrs' own gives: ``Name(a=1, b='x')``, each field by its ``repr`` option, ``...`` for a
value met again inside itself.
"""

from __future__ import annotations

import functools
import operator
import threading
import types
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["INIT_FILENAME", "Value", "define", "frozen"]

_C = TypeVar("_C", bound=type)

_REPRING = threading.local()


def attrs_repr(self: Any) -> str:
    """What the ``__repr__`` attrs generates for ``type(self)`` returns."""
    try:
        repring = _REPRING.ids
    except AttributeError:
        repring = _REPRING.ids = set()
    if id(self) in repring:
        return "..."
    repring.add(id(self))
    try:
        parts = []
        for a in self.__class__.__attrs_attrs__:
            if a.repr is False:
                continue
            value = getattr(self, a.name) if a.init else getattr(self, a.name, attrs.NOTHING)
            parts.append(f"{a.name}={value!r}" if a.repr is True else f"{a.name}={a.repr(value)}")
        return f'{self.__class__.__qualname__.rsplit(">.", 1)[-1]}({", ".join(parts)})'
    finally:
        repring.discard(id(self))


def _shared_repr(decorator: Any, maybe_cls: _C | None, kwargs: dict[str, Any]) -> Any:
    if kwargs.pop("repr", True) is not True:
        return decorator(maybe_cls, repr=False, **kwargs)

    def wrap(cls: _C) -> _C:
        made = decorator(cls, repr=False, **kwargs)
        if "__repr__" not in cls.__dict__:  # as attrs: a class's own __repr__ is kept
            made.__repr__ = attrs_repr
        return made  # type: ignore[no-any-return]

    return wrap if maybe_cls is None else wrap(maybe_cls)


def frozen(maybe_cls: _C | None = None, **kwargs: Any) -> Any:
    """``attrs.frozen``: the class made here (see the module's docstring) or, with options or a
    body these do not cover, by attrs with the shared ``__repr__``."""
    if kwargs:
        return _shared_repr(attrs.frozen, maybe_cls, kwargs)

    def wrap(cls: _C) -> _C:
        return _make(cls) if _own(cls) else _shared_repr(attrs.frozen, cls, {})  # type: ignore[no-any-return]

    return wrap if maybe_cls is None else wrap(maybe_cls)


def define(maybe_cls: _C | None = None, **kwargs: Any) -> Any:
    """``attrs.define``: a class of fields without converters or validators (which attrs' mutable
    classes run on assignment) made here as ``frozen`` makes one, but mutable and unhashable as
    attrs makes it; any other by attrs with the shared ``__repr__``."""
    if kwargs:
        return _shared_repr(attrs.define, maybe_cls, kwargs)

    def wrap(cls: _C) -> _C:
        if _own(cls) and not any(isinstance(v, _COUNTING) and (v.converter is not None or v._validator is not None)
                                 for v in cls.__dict__.values()):
            return _make(cls, frozen=False)  # type: ignore[return-value]
        return _shared_repr(attrs.define, cls, {})  # type: ignore[no-any-return]

    return wrap if maybe_cls is None else wrap(maybe_cls)


class Value:
    """The base of a small immutable value class written by hand rather than made by attrs, whose
    making of a class (its methods written and compiled, a slotted class made) costs about 2 M
    instructions at import (docs/performance.md, "The hook, tenth round"). A subclass names its
    fields in ``__slots__``, in order, and sets each in its ``__init__`` with ``object.__setattr__``;
    it then compares, hashes, prints and refuses assignment as ``attrs.frozen`` would make it: equal
    to an instance of the same class with equal fields, hashed by its fields, ``Name(a=1, b='x')``."""

    __slots__ = ()

    def _assign(self, *values: Any) -> None:
        """Set the fields to ``values``, in order (what a subclass's ``__init__`` calls)."""
        for name, value in zip(self.__slots__, values):
            object.__setattr__(self, name, value)

    def _fields(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__slots__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined, no-any-return]

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.__class__, *self._fields()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f'{self.__class__.__qualname__.rsplit(">.", 1)[-1]}({fields})'

    def __setattr__(self, name: str, value: Any) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle: made again by its __init__
        return self.__class__, self._fields()


# ---------------------------------------------------------------------------------------------
# frozen: the class made without attrs' class builder
# ---------------------------------------------------------------------------------------------

#: What ``attrs.field()`` returns, so a class body's ``x: int = attrs.field(...)`` is recognised.
_COUNTING = type(attrs.field())
_NOTHING = attrs.NOTHING
_FACTORY = attrs.Factory
_OBJECT_SETATTR = object.__setattr__
_CLASS_VARS = ("ClassVar", "typing.ClassVar", "t.ClassVar", "typing_extensions.ClassVar")
#: What attrs' own builder is left to (a class these do not cover, see ``_own``).
_NOT_OURS = ("__attrs_pre_init__", "__slots__", "__attrs_init__", "__attrs_attrs__", "__init__", "__eq__", "__ne__",
             "__hash__", "__setattr__", "__delattr__", "__getstate__", "__setstate__")


class _Fields(tuple):  # type: ignore[type-arg]
    """A class's ``__attrs_attrs__``: its fields in order, each also by name (``fields(C).name``),
    as the tuple class attrs writes for each class gives them; one class for all."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        for field in self:
            if field.name == name:
                return field
        raise AttributeError(name)


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise attrs.exceptions.FrozenInstanceError()


def _frozen_delattr(self: Any, name: str) -> None:
    raise attrs.exceptions.FrozenInstanceError()


def _ne(self: Any, other: Any) -> Any:
    equal = self.__eq__(other)
    return equal if equal is NotImplemented else not equal


def _field_of(cls: type, name: str, annotation: Any) -> attrs.Attribute[Any]:
    value = cls.__dict__.get(name, _NOTHING)
    if isinstance(value, _COUNTING):
        field = attrs.Attribute.from_counting_attr(name, value, False, annotation)
        return field if field.alias is not None else field.evolve(alias=name.lstrip("_"), alias_is_default=True)
    return attrs.Attribute(name=name, default=value, validator=None, repr=True, cmp=None, hash=None, init=True,
                           inherited=False, type=annotation, alias=name.lstrip("_"), alias_is_default=True)


def _own(cls: type) -> bool:
    """Whether ``frozen`` makes ``cls`` itself: its fields all annotated in its own body, no field
    inherited from an attrs class, none of the hooks and settings these do not cover."""
    if any(name in cls.__dict__ for name in _NOT_OURS):
        return False
    if any(getattr(base, "__attrs_attrs__", None) is not None for base in cls.__mro__[1:]):
        return False
    annotations = cls.__dict__.get("__annotations__", {})
    for name, value in cls.__dict__.items():
        if isinstance(value, _COUNTING) and name not in annotations:
            return False  # attrs refuses it (an unannotated field among annotated ones)
        if isinstance(value, functools.cached_property):
            return False  # attrs makes it a slot
    return True


def _is_class_var(annotation: Any) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(_CLASS_VARS) or text.startswith("typing.ClassVar")


#: The file name of the ``__init__`` of a class ``frozen`` makes.
INIT_FILENAME = "<ops.classes __init__>"

#: A field's part in its class's ``__init__`` (``_init_code``): whether it is a parameter and
#: keyword-only, its default (0 none, 1 a value, 2 a factory, 3 a factory taking the instance),
#: whether it has a converter and a validator.
_Shape = tuple[tuple[bool, bool, int, bool, bool], ...]

#: ``__init__``'s code per shape: written and compiled once for all classes of that shape (the 33
#: op, spec and event classes have 15), each class's its copy with its parameters' names.
_INIT_CODE: dict[tuple[_Shape, bool], types.CodeType] = {}


def _init_code(shape: _Shape, post_init: bool) -> types.CodeType:
    code = _INIT_CODE.get((shape, post_init))
    if code is not None:
        return code
    from ops import initcode  # the shapes the vocabulary's classes have, written out: not compiled here

    written = initcode.SHAPES.get((shape, post_init))
    if written is not None:
        code = written.__code__.replace(co_filename=INIT_FILENAME, co_name="__init__", co_qualname="__init__",
                                        co_firstlineno=1)
    else:
        code = compiled_init(init_source(shape, post_init))
    _INIT_CODE[(shape, post_init)] = code
    return code


def compiled_init(source: str) -> types.CodeType:
    """The code of the ``__init__`` written as ``source`` (a shape ``ops/initcode.py`` does not hold)."""
    names: dict[str, Any] = {}
    exec(compile(source, INIT_FILENAME, "exec"), names)  # noqa: S102
    return names["__init__"].__code__  # type: ignore[no-any-return]


def initcode_text(keys: Any) -> str:
    """The text of ``ops/initcode.py`` for the shapes ``keys`` ((shape, post_init) pairs: those
    ``_INIT_CODE`` holds once the modules are imported; tests/test_ops_classes.py compares)."""
    keys = sorted(set(keys), key=repr)
    names = sorted({n for key in keys for n in _scope_names(init_source(*key))})
    lines = ['"""The ``__init__`` of each shape of fields of the classes ``ops.classes`` makes for the vocabulary,',
             "written out (``ops.classes.initcode_text``): loaded with this module's bytecode instead of compiled",
             'at each start. Each uses the names its class\'s own scope gives it (set to None here)."""', "",
             "# Written by ops.classes.initcode_text; tests/test_ops_classes.py checks it is what that writes.", "",
             "from __future__ import annotations  # as ops.classes compiles them", "",
             *[f"{' = '.join(names[i:i + 10])} = None" for i in range(0, len(names), 10)], ""]
    for number, key in enumerate(keys):
        lines += ["", init_source(*key, name=f"_init{number}"), ""]
    lines += ["", "#: (shape, post_init) -> its ``__init__``", "SHAPES = {"]
    lines += [f"    {key!r}: _init{number}," for number, key in enumerate(keys)]
    return "\n".join([*lines, "}", ""])


def _scope_names(source: str) -> set[str]:
    import re  # only to write ops/initcode.py

    return set(re.findall(r"\b_(?:NOTHING|[sfcvda]\d+)\b", source))


def init_source(shape: _Shape, post_init: bool, name: str = "__init__") -> str:
    """The source of the ``__init__`` of a class whose fields have ``shape`` (``ops/initcode.py``
    holds it written out for the shapes of the vocabulary's classes)."""
    params, keywords, body, checks = [], [], [], []
    for i, (init, kw_only, default, converter, validator) in enumerate(shape):
        a = f"a{i}"
        if init:
            (keywords if kw_only else params).append(a)  # defaults: the function's own (``_make``)
            if default >= 2:
                body.append(f"    if {a} is _NOTHING:")
                body.append(f"        {a} = _f{i}({'self' if default == 3 else ''})")
        elif default == 0:
            continue
        elif default == 1:
            body.append(f"    {a} = _d{i}")
        else:
            body.append(f"    {a} = _f{i}({'self' if default == 3 else ''})")
        if converter:
            body.append(f"    {a} = _c{i}({a})")
        body.append(f"    _s{i}(self, {a})")
        if validator:
            checks.append(f"    _v{i}(self, _a{i}, {a})")
    if post_init:
        checks.append("    self.__attrs_post_init__()")
    signature = ", ".join(["self", *params, *(["*", *keywords] if keywords else [])])
    return "\n".join([f"def {name}({signature}):", *body, *checks, "    return None"])


def _make(cls: type, frozen: bool = True) -> type:
    """``cls`` made as ``attrs.frozen`` makes it (see ``frozen``), or ``attrs.define`` if not ``frozen``."""
    annotations = cls.__dict__.get("__annotations__", {})
    fields = _Fields(_field_of(cls, name, annotation) for name, annotation in annotations.items()
                     if not _is_class_var(annotation))
    names = tuple(f.name for f in fields)
    body = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
    weakref = not any("__weakref__" in base.__dict__ for base in cls.__mro__[1:])
    body["__slots__"] = names + ("__weakref__",) if weakref else names
    compared = tuple(f.name for f in fields if f.eq)
    hashed = tuple(f.name for f in fields if f.hash is True or (f.hash is None and f.eq))
    getstate, setstate = _pickling(names)
    body.update({
        "__attrs_attrs__": fields, "__match_args__": tuple(f.name for f in fields if f.init and not f.kw_only),
        "__eq__": _eq(compared), "__ne__": _ne,
        "__hash__": _hash(hashed, hash(f"<ops.classes {cls.__module__}.{cls.__qualname__}>")) if frozen else None,
        "__getstate__": getstate, "__setstate__": setstate,
    })
    if frozen:
        body.update({"__setattr__": _frozen_setattr, "__delattr__": _frozen_delattr})
    body.setdefault("__repr__", attrs_repr)
    made = type(cls)(cls.__name__, cls.__bases__, body)
    # A method's ``super()`` and ``__class__`` name the class as made (attrs does the same).
    for value in cls.__dict__.values():
        function = value.fget if isinstance(value, property) else getattr(value, "__func__", value)
        for cell in getattr(function, "__closure__", None) or ():
            try:
                if cell.cell_contents is cls:
                    cell.cell_contents = made
            except ValueError:  # an empty cell
                pass

    shape, positional, keywords = [], [], []
    positional_defaults, keyword_defaults = [], {}
    scope: dict[str, Any] = {"_NOTHING": _NOTHING}
    seen_default = False
    for i, f in enumerate(fields):
        factory = isinstance(f.default, _FACTORY)
        default = 0 if f.default is _NOTHING else (3 if f.default.takes_self else 2) if factory else 1
        # A parameter's plain default is the function's, not its code's: no part of the shape.
        shape.append((f.init, f.kw_only, 0 if default == 1 and f.init else default, f.converter is not None,
                      f.validator is not None))
        scope[f"_s{i}"] = made.__dict__[f.name].__set__
        if f.converter is not None:
            scope[f"_c{i}"] = f.converter
        if f.validator is not None:
            scope[f"_v{i}"], scope[f"_a{i}"] = f.validator, f
        if factory:
            scope[f"_f{i}"] = f.default.factory
        elif default == 1 and not f.init:
            scope[f"_d{i}"] = f.default
        if not f.init:
            continue
        (keywords if f.kw_only else positional).append(f.alias)
        given = _NOTHING if factory else f.default
        if f.kw_only:
            if default:
                keyword_defaults[f.alias] = given
        elif default:
            seen_default = True
            positional_defaults.append(given)
        elif seen_default:
            raise ValueError(f"No mandatory attributes allowed after an attribute with a default value or factory.  "
                             f"Attribute in question: {f!r}")
    template = _init_code(tuple(shape), hasattr(made, "__attrs_post_init__"))
    given = ("self", *positional, *keywords)
    code = template.replace(co_varnames=(*given, *template.co_varnames[len(given):]),
                            co_qualname=f"{cls.__qualname__}.__init__")
    init = types.FunctionType(code, scope, "__init__", tuple(positional_defaults) or None)
    init.__kwdefaults__ = keyword_defaults or None
    init.__qualname__, init.__module__ = f"{cls.__qualname__}.__init__", cls.__module__
    init.__annotations__ = {f.alias: f.type for f in fields if f.init and f.converter is None and f.type is not None}
    init.__annotations__["return"] = None

    made.__init__ = init  # type: ignore[misc]
    return made


def _eq(names: tuple[str, ...]) -> Callable[[Any, Any], Any]:
    """``__eq__`` over the fields ``names``: as attrs writes it, equal to an instance of the same
    class whose fields compare equal as a tuple (so a field is equal to itself first)."""
    if not names:
        def __eq__(self: Any, other: Any) -> Any:
            return True if other.__class__ is self.__class__ else NotImplemented
        return __eq__
    get = operator.attrgetter(*names)
    if len(names) == 1:
        def __eq__(self: Any, other: Any) -> Any:  # noqa: F811
            if other.__class__ is not self.__class__:
                return NotImplemented
            return (get(self),) == (get(other),)
        return __eq__

    def __eq__(self: Any, other: Any) -> Any:  # noqa: F811
        if other.__class__ is not self.__class__:
            return NotImplemented
        return get(self) == get(other)  # type: ignore[no-any-return]
    return __eq__


def _hash(names: tuple[str, ...], salt: int) -> Callable[[Any], int]:
    """``__hash__`` over the fields ``names`` and the class (its ``salt``), as attrs writes it."""
    if not names:
        return lambda self: hash((salt,))
    get = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda self: hash((salt, get(self)))
    return lambda self: hash((salt, *get(self)))


def _pickling(names: tuple[str, ...]) -> tuple[Callable[[Any], Any], Callable[[Any, Any], None]]:
    """``__getstate__`` and ``__setstate__`` (copies and pickles), as attrs gives a slotted class."""
    def __getstate__(self: Any) -> dict[str, Any]:
        return {name: getattr(self, name) for name in names}

    def __setstate__(self: Any, state: Any) -> None:
        if isinstance(state, tuple):
            state = dict(zip(names, state))
        for name in names:
            if name in state:
                _OBJECT_SETATTR(self, name, state[name])
    return __getstate__, __setstate__
