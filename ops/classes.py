"""``frozen``: the op, spec and event classes made as ``attrs.frozen`` makes them, for a fraction of
its cost; ``define``: ``attrs.define`` with the shared ``__repr__``; ``Value``: a hand-written base.

attrs makes a class by writing the source of its ``__init__``, ``__eq__``, ``__hash__`` and
``__repr__``, compiling each, and making the class again with slots: about 2 M instructions a
class, some 70 M of importing the Alembic hook for the 35 classes it makes (docs/performance.md,
"The op classes"). ``frozen`` makes the same class without importing attrs (slots; its fields
as ``Field``s in ``__ops_fields__``, which ``fields``, ``evolve``, ``has`` and ``asdict`` here
read, and as ``attrs.Attribute``s in ``__attrs_attrs__``, made when attrs' functions or cattrs
first read it, so they read it as attrs' own; ``field`` in a class body as ``attrs.field``, which
is taken too; defaults, factories, converters, validators, keyword-only fields,
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
import sys
import threading
import types
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["INIT_FILENAME", "NOTHING", "Factory", "Field", "Value", "asdict", "define", "evolve", "field", "fields",
           "frozen", "has", "is_factory", "no_default", "one_of"]

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
        for a in fields(self.__class__):
            if a.repr is False:
                continue
            value = getattr(self, a.name) if a.init else getattr(self, a.name, NOTHING)
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
        return _shared_repr(_attrs().frozen, maybe_cls, kwargs)

    def wrap(cls: _C) -> _C:
        return _make(cls) if _own(cls) else _shared_repr(_attrs().frozen, cls, {})  # type: ignore[no-any-return]

    return wrap if maybe_cls is None else wrap(maybe_cls)


def define(maybe_cls: _C | None = None, **kwargs: Any) -> Any:
    """``attrs.define``: a class of fields without converters or validators (which attrs' mutable
    classes run on assignment) made here as ``frozen`` makes one, but mutable and unhashable as
    attrs makes it; any other by attrs with the shared ``__repr__``."""
    if kwargs:
        return _shared_repr(_attrs().define, maybe_cls, kwargs)

    def wrap(cls: _C) -> _C:
        if _own(cls) and not any(_checked(v) for v in cls.__dict__.values()):
            return _make(cls, frozen=False)  # type: ignore[return-value]
        return _shared_repr(_attrs().define, cls, {})  # type: ignore[no-any-return]

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
        raise _attrs().exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise _attrs().exceptions.FrozenInstanceError()

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle: made again by its __init__
        return self.__class__, self._fields()


# ---------------------------------------------------------------------------------------------
# frozen: the class made without attrs' class builder
# ---------------------------------------------------------------------------------------------

_OBJECT_SETATTR = object.__setattr__
_CLASS_VARS = ("ClassVar", "typing.ClassVar", "t.ClassVar", "typing_extensions.ClassVar")
#: What attrs' own builder is left to (a class these do not cover, see ``_own``).
_NOT_OURS = ("__attrs_pre_init__", "__slots__", "__attrs_init__", "__attrs_attrs__", "__init__", "__eq__", "__ne__",
             "__hash__", "__setattr__", "__delattr__", "__getstate__", "__setstate__")


def _attrs() -> Any:
    """attrs, imported when first needed: the classes made here, their fields, ``evolve`` and the
    rest below need none of it (its import is about 52 M instructions, docs/performance.md, "The
    hook, fourteenth round"); ``__attrs_attrs__``, a class left to attrs and a refused assignment do."""
    import attrs

    return attrs


class _Nothing:
    """No default: ``NOTHING``, as attrs' own ``NOTHING`` (in the ``__attrs_attrs__`` given to attrs)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOTHING"

    def __bool__(self) -> bool:
        return False


#: a field's default where it has none (``Field.default``; ``no_default`` tells it and attrs' apart)
NOTHING: Any = _Nothing()


class Factory:
    """A field's default made by ``factory`` (given the instance if ``takes_self``), as ``attrs.Factory``."""

    __slots__ = ("factory", "takes_self")

    def __init__(self, factory: Callable[..., Any], takes_self: bool = False) -> None:
        self.factory, self.takes_self = factory, takes_self


def no_default(value: Any) -> bool:
    """Whether a field's ``default`` is none (this module's ``NOTHING`` or attrs')."""
    if value is NOTHING:
        return True
    made = sys.modules.get("attr")
    return made is not None and value is made.NOTHING


def is_factory(value: Any) -> bool:
    """Whether a field's ``default`` is a factory (``Factory`` or ``attrs.Factory``)."""
    if isinstance(value, Factory):
        return True
    made = sys.modules.get("attr")
    return made is not None and isinstance(value, made.Factory)


class Field:
    """A field of a class made here, read as an ``attrs.Attribute`` is read (``fields``); its
    ``default`` is ``NOTHING`` or a ``Factory`` of this module."""

    __slots__ = ("name", "default", "validator", "repr", "eq", "hash", "init", "kw_only", "converter", "type",
                 "alias", "metadata", "inherited")

    def __init__(self, name: str, default: Any, validator: Any, repr: Any, eq: bool, hash: bool | None,  # noqa: A002
                 init: bool, kw_only: bool, converter: Any, type: Any, alias: str, metadata: Any) -> None:  # noqa: A002
        self.name, self.default, self.validator, self.repr, self.eq, self.hash = name, default, validator, repr, eq, hash
        self.init, self.kw_only, self.converter, self.type, self.alias = init, kw_only, converter, type, alias
        self.metadata, self.inherited = types.MappingProxyType(dict(metadata or {})), False

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r}, type={self.type!r})"


class _Counting:
    """What ``field()`` returns in a class body: the arguments, for this module's ``Field`` and,
    when attrs is asked for the class's ``__attrs_attrs__``, for ``attrs.field`` itself."""

    __slots__ = ("given",)

    def __init__(self, given: dict[str, Any]) -> None:
        self.given = given

    def default(self, method: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """``@x.default``: the field's default made by ``method`` from the instance, as attrs takes it."""
        if "default" in self.given or "factory" in self.given:
            raise _attrs().exceptions.DefaultAlreadySetError()
        self.given["default"] = Factory(method, takes_self=True)
        return method


#: what ``field`` takes itself (any other argument, or a validator or converter list, goes to attrs)
_GIVEN = frozenset({"default", "factory", "converter", "validator", "repr", "eq", "hash", "init", "kw_only", "alias"})


def field(**given: Any) -> Any:
    """``attrs.field`` for a class ``frozen`` or ``define`` makes: ``default``, ``factory``,
    ``converter``, ``validator``, ``repr``, ``eq``, ``hash``, ``init``, ``kw_only``, ``alias``
    as attrs takes them. Other arguments are attrs' own (``attrs.field``, attrs imported)."""
    if not given.keys() <= _GIVEN or isinstance(given.get("validator"), (list, tuple)) \
            or isinstance(given.get("converter"), (list, tuple)) or not isinstance(given.get("eq", True), bool) \
            or ("default" in given and "factory" in given):
        return _attrs().field(**given)
    return _Counting(given)


def _counting_attr(value: Any) -> bool:
    """Whether ``value`` is what ``attrs.field()`` returns (attrs is loaded if it is)."""
    made = sys.modules.get("attr._make")
    return made is not None and isinstance(value, made._CountingAttr)


def _checked(value: Any) -> bool:
    """Whether a class body's ``value`` is a field with a converter or validator."""
    if isinstance(value, _Counting):
        return value.given.get("converter") is not None or value.given.get("validator") is not None
    return _counting_attr(value) and (value.converter is not None or value._validator is not None)


def _own_field(name: str, value: Any, annotation: Any) -> Field:
    """The ``Field`` of ``name`` whose class body gives ``value`` (a ``field()``, a plain default or none)."""
    if not isinstance(value, _Counting):
        return Field(name, value, None, True, True, None, True, False, None, annotation, name.lstrip("_"), None)
    given = value.given
    default = Factory(given["factory"]) if given.get("factory") is not None else given.get("default", NOTHING)
    if is_factory(default) and not isinstance(default, Factory):
        default = Factory(default.factory, default.takes_self)
    return Field(name, default, given.get("validator"), given.get("repr", True), given.get("eq", True),
                 given.get("hash"), given.get("init", True), bool(given.get("kw_only")), given.get("converter"),
                 annotation, given.get("alias") or name.lstrip("_"), None)


def _attribute(name: str, value: Any, annotation: Any) -> Any:
    """The ``attrs.Attribute`` attrs makes of ``name`` whose class body gives ``value``."""
    attrs = _attrs()
    if value is NOTHING:
        value = attrs.NOTHING
    elif isinstance(value, _Counting):
        given = value.given
        if isinstance(given.get("default"), Factory):
            given = {**given, "default": attrs.Factory(given["default"].factory, given["default"].takes_self)}
        value = attrs.field(**given)
    if _counting_attr(value):
        made = attrs.Attribute.from_counting_attr(name, value, False, annotation)
        return made if made.alias is not None else made.evolve(alias=name.lstrip("_"), alias_is_default=True)
    return attrs.Attribute(name=name, default=value, validator=None, repr=True, cmp=None, hash=None, init=True,
                           inherited=False, type=annotation, alias=name.lstrip("_"), alias_is_default=True)


def _from_attribute(a: Any) -> Field:
    """The ``Field`` of an ``attrs.Attribute``."""
    default = Factory(a.default.factory, a.default.takes_self) if is_factory(a.default) \
        else NOTHING if no_default(a.default) else a.default
    return Field(a.name, default, a.validator, a.repr, a.eq, a.hash, a.init, a.kw_only, a.converter, a.type, a.alias,
                 a.metadata)


class _AttrsFields:
    """A made class's ``__attrs_attrs__``: its ``attrs.Attribute``s, made (attrs imported) when
    first read, then set on the class in its place."""

    def __init__(self, owner: type | None, parts: list[tuple[str, Any, Any]]) -> None:
        self.owner, self.parts = owner, parts

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        made = _Fields(_attribute(*part) for part in self.parts)
        type.__setattr__(self.owner, "__attrs_attrs__", made)
        return made


def fields(cls: type) -> Any:
    """``attrs.fields(cls)``: for a class made here its ``Field``s (attrs not imported), for any
    other attrs class attrs' own."""
    own = cls.__dict__.get("__ops_fields__") if isinstance(cls, type) else None
    if own is None and isinstance(cls, type) and "__attrs_attrs__" not in cls.__dict__:
        own = getattr(cls, "__ops_fields__", None)  # a plain subclass of a class made here
    return own if own is not None else _attrs().fields(cls)


def has(cls: Any) -> bool:
    """``attrs.has(cls)`` for a class: whether it is made here or by attrs."""
    if getattr(cls, "__ops_fields__", None) is not None:
        return True
    made = sys.modules.get("attr")
    return made is not None and made.has(cls)


def evolve(inst: Any, **changes: Any) -> Any:
    """``attrs.evolve``: a copy of ``inst`` with ``changes`` (by ``__init__``'s parameter names)."""
    cls = inst.__class__
    for a in fields(cls):
        if a.init and a.alias not in changes:
            changes[a.alias] = getattr(inst, a.name)
    return cls(**changes)


def asdict(inst: Any) -> dict[str, Any]:
    """``attrs.asdict(inst, recurse=False)``: each field by name."""
    return {a.name: getattr(inst, a.name) for a in fields(inst.__class__)}


def one_of(options: tuple[Any, ...]) -> Callable[[Any, Any, Any], None]:
    """``attrs.validators.in_(options)``: a field's validator refusing a value not among ``options``, word for word."""
    def check(instance: Any, field: Any, value: Any) -> None:
        if value not in options:
            raise ValueError(f"'{field.name}' must be in {options!r} (got {value!r})", field, options, value)
    return check


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
    raise _attrs().exceptions.FrozenInstanceError()


def _frozen_delattr(self: Any, name: str) -> None:
    raise _attrs().exceptions.FrozenInstanceError()


def _ne(self: Any, other: Any) -> Any:
    equal = self.__eq__(other)
    return equal if equal is NotImplemented else not equal


def _own(cls: type) -> bool:
    """Whether ``frozen`` makes ``cls`` itself: its fields all annotated in its own body, no field
    inherited from an attrs class, none of the hooks and settings these do not cover."""
    if any(name in cls.__dict__ for name in _NOT_OURS):
        return False
    if any("__attrs_attrs__" in base.__dict__ for base in cls.__mro__[1:]):
        return False
    annotations = cls.__dict__.get("__annotations__", {})
    for name, value in cls.__dict__.items():
        if (isinstance(value, _Counting) or _counting_attr(value)) and name not in annotations:
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
    parts = [(name, cls.__dict__.get(name, NOTHING), annotation) for name, annotation in annotations.items()
             if not _is_class_var(annotation)]
    attributes: Any
    if any(_counting_attr(value) for _, value, _ in parts):
        # a field given by ``attrs.field`` (attrs is loaded): its Attributes made now, as attrs makes them
        attributes = _Fields(_attribute(*part) for part in parts)
        fields = _Fields(_from_attribute(a) for a in attributes)
    else:
        attributes, fields = _AttrsFields(None, parts), _Fields(_own_field(*part) for part in parts)
    names = tuple(f.name for f in fields)
    body = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
    weakref = not any("__weakref__" in base.__dict__ for base in cls.__mro__[1:])
    body["__slots__"] = names + ("__weakref__",) if weakref else names
    compared = tuple(f.name for f in fields if f.eq)
    hashed = tuple(f.name for f in fields if f.hash is True or (f.hash is None and f.eq))
    getstate, setstate = _pickling(names)
    body.update({
        "__attrs_attrs__": attributes, "__ops_fields__": fields, "__match_args__": tuple(f.name for f in fields if f.init and not f.kw_only),
        "__eq__": _eq(compared), "__ne__": _ne,
        "__hash__": _hash(hashed, hash(f"<ops.classes {cls.__module__}.{cls.__qualname__}>")) if frozen else None,
        "__getstate__": getstate, "__setstate__": setstate,
    })
    if frozen:
        body.update({"__setattr__": _frozen_setattr, "__delattr__": _frozen_delattr})
    body.setdefault("__repr__", attrs_repr)
    made = type(cls)(cls.__name__, cls.__bases__, body)
    if isinstance(attributes, _AttrsFields):
        attributes.owner = made
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
    scope: dict[str, Any] = {"_NOTHING": NOTHING}
    seen_default = False
    for i, f in enumerate(fields):
        factory = isinstance(f.default, Factory)
        default = 0 if f.default is NOTHING else (3 if f.default.takes_self else 2) if factory else 1
        # A parameter's plain default is the function's, not its code's: no part of the shape.
        shape.append((f.init, f.kw_only, 0 if default == 1 and f.init else default, f.converter is not None,
                      f.validator is not None))
        scope[f"_s{i}"] = made.__dict__[f.name].__set__
        if f.converter is not None:
            scope[f"_c{i}"] = f.converter
        if f.validator is not None:
            scope[f"_v{i}"], scope[f"_a{i}"] = f.validator, f if isinstance(attributes, _AttrsFields) else attributes[i]
        if factory:
            scope[f"_f{i}"] = f.default.factory
        elif default == 1 and not f.init:
            scope[f"_d{i}"] = f.default
        if not f.init:
            continue
        (keywords if f.kw_only else positional).append(f.alias)
        given = NOTHING if factory else f.default
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
