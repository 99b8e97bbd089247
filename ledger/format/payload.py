"""An operation and its JSON envelope, ``{"type": TAG, "v": VERSION, "op": {...fields}}``, both ways.

Strict structure functions, one per class, made here from its fields (:func:`structure_hook`):
every field's type is checked on the way in, column types resolve only through the allow-list
in ``ops.specs``, and nothing in a payload can make this module import or run code. A cattrs
converter with the same hooks (:func:`converter`) is made only for what they do not cover (a
plugin op's field of another type, unstructuring a plugin's op): reading the vocabulary's
payloads neither imports cattrs nor goes through its dispatch. Older payload versions are upcast on read
(:func:`register_upcaster`); a plugin's operation is made readable with :func:`register_op`.
The bytes (canonical JSON, bounds, records) are :mod:`ledger.format.codec`'s, which is the one
way in for callers.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any


from ops import OP_TYPES, MigrateOperation, RegistrationError, UnknownTypeError
from ops.classes import INIT_FILENAME
from ops.constraint import AddConstraintOp
from ops.specs import TypeSpec, registered_type

from ledger.format.unstructure import (
    OPS as _OPS,
    OPTIONAL_FIELDS as _OPTIONAL_FIELDS,
    PAIRS as _PAIRS,
    resolved_fields,
    to_payload,
    typespec_out as _typespec_out,
    value_out as _value_out,
)
from ops import classes as oc

if TYPE_CHECKING:
    import cattrs

__all__ = [
    "CURRENT", "INT_END", "INT_MIN", "MAX_DIMENSIONS", "MAX_NAME_BYTES", "NESTED", "MAX_TYPE_DEPTH", "NAME_KEYS", "NAME_LIST_KEYS", "SHORT_NAME", "Upcaster",
    "bounds_checked", "from_payload", "register_op", "register_upcaster", "to_payload",
]

#: How deep a column type may nest (ARRAY of ARRAY of ...).
MAX_TYPE_DEPTH = 16

# The bounds on names and integers of ``ledger.format.codec`` (which says what each is for). Structuring
# checks them on the values it takes, so that a payload it structures is within them and the codec
# needs no walk of its own for it (``bounds_checked``).
#: names are at most this many bytes of UTF-8
MAX_NAME_BYTES = 1024
#: the keys whose string values are names, and those whose lists hold names
NAME_KEYS = frozenset({
    "name", "table_name", "column_name", "constraint_name", "index_name", "modify_name", "new_table_name",
    "old_table_name", "referent_table", "schema", "referent_schema", "new_column_name",
})
NAME_LIST_KEYS = frozenset({"columns", "referent_columns"})
#: a string of at most this many characters is at most MAX_NAME_BYTES of UTF-8 (4 bytes a character)
SHORT_NAME = MAX_NAME_BYTES // 4
#: integers are within 64 bits: INT_MIN <= value < INT_END
INT_MIN, INT_END = -(2**63), 2**64
#: an ARRAY is at most this many dimensions deep (PostgreSQL's limit)
MAX_DIMENSIONS = 6


def _name_checked(key: str, value: Any) -> None:
    """The bounds on a value under a key of the payload's own choosing (an option of a column type,
    an index or a table): a name no longer than MAX_NAME_BYTES, an ARRAY's ``dimensions`` within
    MAX_DIMENSIONS (the only keys a payload can choose freely, so the codec scans no text for it)."""
    if key in NAME_KEYS and type(value) is str and len(value) > SHORT_NAME \
            and len(value.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise _Bad(f"{key} is longer than {MAX_NAME_BYTES} bytes")
    if key == "dimensions" and type(value) is int and not 0 <= value <= MAX_DIMENSIONS:
        raise _Bad(f"dimensions must be 0 to {MAX_DIMENSIONS}, not {value}")


#: [True] while every structure function made so far checks those bounds on all it takes (a
#: plugin op's field of a type structured by cattrs' own hooks does not): see ``bounds_checked``.
_CHECKED = [True]


def bounds_checked() -> bool:
    """Whether a payload that structures is within the name and integer bounds: true unless an op
    class with a field the structure functions do not check (a plugin's) has been structured."""
    return _CHECKED[0]

_SCALARS = (str, int, float, bool, type(None))


class _Bad(Exception):
    """A payload is not what its schema says; turned into LedgerFormatError at the edge."""


# ---------------------------------------------------------------------------------------------
# Values inside type specs and index options
# ---------------------------------------------------------------------------------------------


def _value_in(value: Any, depth: int) -> Any:
    if depth > MAX_TYPE_DEPTH:
        raise _Bad("value nests too deeply")
    if isinstance(value, _SCALARS):
        if type(value) is int and not INT_MIN <= value < INT_END:
            raise _Bad("an integer beyond 64 bits")
        return value
    if isinstance(value, list):
        return tuple(_value_in(v, depth + 1) for v in value)
    value = _object(value)
    if isinstance(value, dict) and set(value) == {"type"}:
        return _typespec_in(value["type"], depth + 1)
    raise _Bad(f"unexpected value {type(value).__name__}")


def _object(value: Any) -> Any:
    """``value`` as a dict when it is an object as the fast parse gives it (the tuple of its (key,
    value) pairs, see ``codec.decode``), refusing a key given twice; anything else as it is."""
    if type(value) is tuple:
        obj = dict(value)
        if len(obj) != len(value):
            raise _Bad("a key appears twice")
        return obj
    return value



def _typespec_in(data: Any, depth: int = 0) -> TypeSpec:
    if depth > MAX_TYPE_DEPTH:
        raise _Bad("column type nests too deeply")
    in_order = False
    if type(data) is tuple and len(data) == 3:
        (k_args, args), (k_kwargs, kwargs), (k_name, name) = data
        in_order = k_args == "args" and k_kwargs == "kwargs" and k_name == "name"
    if in_order:
        # An object as the fast parse gives it, its keys in canonical order (so none twice).
        if type(kwargs) is tuple and type(args) is list and not args and len(kwargs) <= 1:
            # No option or one, as it comes: a key of the look-up below, which never holds an
            # option twice (it is filled from dicts).
            if not kwargs:
                known = _TYPES.get((name,))
            elif type(kwargs[0][1]) is str or type(kwargs[0][1]) is int:
                known = _TYPES.get((name, kwargs[0]))
            else:
                known = None
            if known is not None:
                return known
        kwargs = _object(kwargs)
    else:
        data = _object(data)
        if not isinstance(data, dict) or data.keys() != _TYPESPEC_KEYS:
            raise _Bad("a column type needs exactly name, args and kwargs")
        name, args, kwargs = data["name"], data["args"], _object(data["kwargs"])
    if not isinstance(name, str) or not isinstance(args, list) or not isinstance(kwargs, dict):
        raise _Bad("malformed column type")
    # Most types have no arguments and string or integer options (String(80), Integer): those
    # are looked up by value (True is not 1 here: a bool is neither str nor int by type).
    if args:
        key = None
    elif len(kwargs) == 1:
        ((option, value),) = kwargs.items()
        key = (name, (option, value)) if type(value) is str or type(value) is int else None
    else:
        key = (name, *kwargs.items()) if all(type(v) in (str, int) for v in kwargs.values()) else None
    if key is not None and (known := _TYPES.get(key)) is not None:
        return known
    try:
        registered_type(name)
    except UnknownTypeError as exc:
        raise _Bad(str(exc)) from None
    _name_checked("name", name)
    for option, value in kwargs.items():
        _name_checked(option, value)
    spec = TypeSpec(
        name,
        tuple(_value_in(a, depth + 1) for a in args),
        tuple(sorted((str(k), _value_in(v, depth + 1)) for k, v in kwargs.items())),
    )
    if key is not None:
        if len(_TYPES) >= _TYPES_SIZE:
            _TYPES.clear()
        _TYPES[key] = spec
    return spec


_TYPESPEC_KEYS = frozenset(("name", "args", "kwargs"))

#: Column types read lately, by name and options (see ``_typespec_in``): a TypeSpec is an
#: immutable value, and a ledger uses few distinct types; building each anew was a third of the
#: time of structuring a payload.
_TYPES: dict[tuple[Any, ...], TypeSpec] = {}
_TYPES_SIZE = 1024


def _pairs_in(data: Any) -> tuple[tuple[str, Any], ...]:
    if data == ():  # no options, as the fast parse gives them
        return ()
    data = _object(data)
    if not isinstance(data, dict):
        raise _Bad("expected an object of options")
    for key, value in data.items():
        _name_checked(key, value)
    return tuple(sorted((k, _value_in(v, 0)) for k, v in data.items()))


# ---------------------------------------------------------------------------------------------
# The converter
# ---------------------------------------------------------------------------------------------


def _strict(kind: type) -> Callable[[Any, Any], Any]:
    def check(value: Any, _: Any) -> Any:
        if type(value) is not kind and not (kind is float and type(value) is int):
            raise _Bad(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return check


def _is_union(t: Any) -> bool:
    return typing.get_origin(t) in (typing.Union, types.UnionType)


def converter() -> cattrs.Converter:
    """The payload converter, made at its first use (reading a payload; a plugin's op written)."""
    if not _CONVERTER:
        _CONVERTER.append(_make_converter())
    return _CONVERTER[0]


_CONVERTER: list[cattrs.Converter] = []


def _make_converter() -> cattrs.Converter:
    import cattrs
    from cattrs.gen import make_dict_unstructure_fn, override

    # Without detailed validation the generated structuring functions call each field's hook
    # directly instead of collecting errors per field: decoding a payload takes about half the
    # time, and the first error is the one reported either way (see ``_reason``).
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=False)
    for kind in (str, int, bool, float):
        conv.register_structure_hook(kind, _strict(kind))

    conv.register_unstructure_hook(TypeSpec, _typespec_out)
    conv.register_structure_hook(TypeSpec, lambda d, _: _typespec_in(d))
    conv.register_unstructure_hook_func(
        lambda t: typing.get_origin(t) is tuple, lambda v: [conv.unstructure(x) for x in v]
    )
    pairs = _PAIRS
    conv.register_unstructure_hook_func(lambda t: t == pairs, lambda v: {k: _value_out(x) for k, x in v})
    conv.register_structure_hook_func(lambda t: t == pairs, lambda d, _: _pairs_in(d))

    # Hooks for tuples and unions are made once per type (a factory), not worked out from the
    # type at every value: ``typing.get_args`` per field was a fifth of the time of a decode.
    def tuple_factory(t: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        (item, _ellipsis) = typing.get_args(t)
        structure_item = conv.get_structure_hook(item)

        def tuple_hook(data: Any, _: Any) -> tuple[Any, ...]:
            if type(data) is not list:
                raise _Bad(f"expected a list, got {type(data).__name__}")
            return tuple([structure_item(v, item) for v in data])

        return tuple_hook

    conv.register_structure_hook_factory(
        lambda t: typing.get_origin(t) is tuple and len(typing.get_args(t)) == 2 and typing.get_args(t)[1] is Ellipsis
        and t != pairs,
        tuple_factory,
    )

    def union_factory(t: Any) -> Callable[[Any, Any], Any]:
        args = typing.get_args(t)
        nullable = type(None) in args
        plain = tuple(kind for kind in (bool, str, int) if kind in args)
        classes = [a for a in args if oc.has(a) or a is AddConstraintOp]
        nested = conv.get_structure_hook(classes[0]) if len(classes) == 1 else None
        options = pairs in args  # options or None: a table's options before a change, when known

        def union_hook(data: Any, _: Any) -> Any:
            if data is None:
                if nullable:
                    return None
                raise _Bad("unexpected null")
            if type(data) in plain:
                return data
            if options and (type(data) in (dict, tuple)):
                return _pairs_in(data)
            if nested is not None and type(data) is dict:
                return nested(data, classes[0])
            raise _Bad(f"unexpected {type(data).__name__} for {t}")

        return union_hook

    conv.register_structure_hook_factory(_is_union, union_factory)
    conv.register_structure_hook_factory(lambda t: oc.has(t) and t is not TypeSpec, structure_hook)

    # DropConstraintOp._reverse holds an op: nested as its own tagged payload.
    conv.register_unstructure_hook_func(
        lambda t: _is_union(t) and AddConstraintOp in typing.get_args(t),
        lambda op: None if op is None else to_payload(op),
    )
    conv.register_structure_hook_func(lambda t: t is AddConstraintOp, lambda d, _: _nested_add_constraint(d))
    # What goes with a column added or dropped (indexes, constraints): a list of tagged payloads.
    conv.register_unstructure_hook_func(lambda t: t == _OPS, lambda ops: [to_payload(op) for op in ops])
    conv.register_structure_hook_func(lambda t: t == _OPS, lambda d, _: _nested_ops(d))

    # Fields added after version 1 of their op (or of a spec) are left out while unset, so older ops
    # keep their bytes. Each class's function is made when a value of it is first written (a run
    # writes a few kinds of op: making all of them was a tenth of the module's import).
    conv.register_unstructure_hook_factory(
        lambda t: t in _OPTIONAL_FIELDS,
        lambda t: make_dict_unstructure_fn(t, conv, **{f: override(omit_if_default=True) for f in _OPTIONAL_FIELDS[t]}))
    return conv


_PLAIN = (str, int, bool, type(None))


def structure_hook(t: Any) -> Callable[[Any, Any], Any]:
    """The function that structures a payload's value of type ``t``, as the converter dispatches: made
    here, once per type, for an attrs class (:func:`_make_structure_fn`), a nested add-constraint op,
    a list of nested ops and a table's options; anything else (a plugin op's field of another type)
    is the converter's. Reading the vocabulary's payloads neither imports cattrs nor goes through its
    dispatch (which worked out each class's method resolution order: most of the time of making
    the functions a run needs)."""
    hook = _HOOKS.get(t)
    if hook is None:
        if t is AddConstraintOp:
            hook = lambda d, _: _nested_add_constraint(d)  # noqa: E731
        elif t == _OPS:
            hook = lambda d, _: _nested_ops(d)  # noqa: E731
        elif t == _PAIRS:
            hook = lambda d, _: _pairs_in(d)  # noqa: E731
        elif isinstance(t, type) and oc.has(t) and t is not TypeSpec:
            hook = _make_structure_fn(t)
        else:
            hook = converter().get_structure_hook(t)
        _HOOKS[t] = hook
    return hook


#: type -> its structure function (see ``structure_hook``)
_HOOKS: dict[Any, Callable[[Any, Any], Any]] = {}


def _make_structure_fn(cls: type) -> Callable[[Any, Any], Any]:
    """A structure function for the attrs class ``cls``, generated once from its fields.

    What cattrs' generated function does (each field structured by its type; a missing required
    field, an unknown key or a value of the wrong type refused), with the checks written inline
    instead of a hook call per field: plain fields (``str``, ``int``, ``bool``, unions of those
    and null), tuples, and unions of plain kinds with one class (whose own structure function, or
    ``_typespec_in`` for a column type, is called directly). Structuring was the largest part of
    decoding a payload.
    """
    names: dict[str, Any] = {"_Bad": _Bad, "_dict": dict, "_cls": cls, "_typespec_in": _typespec_in, "_S": SHORT_NAME,
                             "_MAX": MAX_NAME_BYTES, "_LO": INT_MIN, "_HI": INT_END}
    fields = resolved_fields(cls)  # attrs.fields(attrs.resolve_types(cls)), each annotation text compiled once
    names["_known"] = frozenset(f.name for f in fields)
    # An object as the fast parse gives it (the tuple of its (key, value) pairs, see ``from_payload``)
    # with exactly the keys ``encode`` writes, in its order (every field but those left out while at
    # their default) is unpacked as it is: its keys compared at once, no dict made, none looked up.
    omitted = set(_OPTIONAL_FIELDS.get(cls, ()))
    written = sorted((f.name, i) for i, f in enumerate(fields) if f.name not in omitted)
    names["_canon"] = tuple(name for name, _ in written)
    lines = [
        "def structure(o, _=None):",
        f"    if type(o) is tuple and len(o) == {len(written)}:",
        f"        {', '.join(f'(q{j}, v{i})' for j, (_, i) in enumerate(written))}, = o" if written else "        pass",
        f"        fast = ({', '.join(f'q{j}' for j in range(len(written)))},) == _canon" if written else "        fast = False",
        "    else:",
        "        fast = False",
        "    if fast:",
        *[f"        v{i} = _NO" for i, f in enumerate(fields) if f.name in omitted],
        "        pass",
        "    else:",
        "        if type(o) is not dict:",
        "            if type(o) is not tuple:",
        "                raise _Bad(f'expected an object, got {type(o).__name__}')",
        "            p = o",
        "            o = _dict(p)",
        "            if len(o) != len(p):",
        "                raise _Bad('a key appears twice')",
        "        if not o.keys() <= _known:",
        "            raise _Bad(f'unknown keys {sorted(set(o) - _known)!r}')",
    ]
    checks = []
    args = []
    for i, f in enumerate(fields):
        v, t = f"v{i}", f.type
        if oc.no_default(f.default):
            lines.append(f"        {v} = o[{f.name!r}]")
        elif oc.is_factory(f.default):  # type: ignore[arg-type]
            raise TypeError(f"{cls.__name__}.{f.name}: factory defaults are not supported by the codec")
        else:
            # A missing field takes its default as it stands (a valid value of its type; null for
            # the unions), neither checked nor structured again.
            names[f"d{i}"] = f.default
            lines.append(f"        {v} = o.get({f.name!r}, _NO)")
            checks.append(f"    if {v} is _NO:")
            checks.append(f"        {v} = d{i}")
            checks.append("    else:")
        indent = "    " if oc.no_default(f.default) else "        "
        checks.extend(indent + line for line in _field_code(t, v, f"{cls.__name__}.{f.name}", names, i))
        args.append(f"{f.alias}={v}" if f.kw_only else v)
    lines += checks
    names["_NO"] = _NO
    setters = _slot_setters(cls, fields)
    if setters is None:
        lines.append(f"    return _cls({', '.join(args)})")
    else:
        # What the class's attrs __init__ does (each slot set in turn), without its call and its
        # bound object.__setattr__: a fifth of the time of making an op of many fields.
        names["_new"] = object.__new__
        lines.append("    made = _new(_cls)")
        for i, setter in enumerate(setters):
            names[f"s{i}"] = setter
            lines.append(f"    s{i}(made, v{i})")
        lines.append("    return made")
    # Everything the function uses is bound as a default argument: a local, not a global, lookup.
    lines[0] = f"def structure(o, _=None, *, {', '.join(f'{n}={n}' for n in names)}):"
    from ledger.format.structuring import function  # the vocabulary's written out: not compiled here

    return function("\n".join(lines), f"<structure {cls.__module__}.{cls.__qualname__}>", names)


_NO = object()
_PLAIN = (str, int, bool, type(None))


_SLOT = types.MemberDescriptorType


def _slot_setters(cls: type, fields: Any) -> list[Callable[[Any, Any], None]] | None:
    """The slot setters of ``cls``'s fields in order, when its attrs __init__ does nothing but set
    each slot to its argument (no converter, validator, pre- or post-init hook, cached hash or
    field outside __init__); else None (the structure function calls the class)."""
    init = cls.__init__.__code__
    # attrs' generated __init__ of a frozen slotted class looks up one global, the setter getter:
    # a converter, validator or hook would be another. One made by ``ops.classes.frozen`` sets
    # each slot, and does no more where the fields (checked below) have no converter or validator.
    if "__slots__" not in cls.__dict__ or not (init.co_filename == INIT_FILENAME or (
            init.co_filename.startswith("<attrs generated") and init.co_names == ("_cached_setattr_get",))):
        return None
    if any(hasattr(cls, hook) for hook in ("__attrs_pre_init__", "__attrs_post_init__")) \
            or any("_attrs_cached_hash" in getattr(k, "__slots__", ()) for k in cls.__mro__):
        return None
    setters = []
    for f in fields:
        slot = getattr(cls, f.name, None)
        if f.converter is not None or f.validator is not None or not f.init or type(slot) is not _SLOT:
            return None
        setters.append(slot.__set__)
    return setters


def _field_code(t: Any, v: str, where: str, names: dict[str, Any], i: int) -> list[str]:
    """Lines that check ``v`` as a ``t`` and put its structured value back in ``v``."""
    bad = f"raise _Bad(f'{where}: unexpected {{type({v}).__name__}}')"
    key = where.rpartition(".")[2]
    # The bounds (see NAME_KEYS): a name no longer than MAX_NAME_BYTES, an integer within 64 bits.
    long_name = f"len({v}) > _S and len({v}.encode('utf-8', 'surrogatepass')) > _MAX"
    name_check = [f"if {long_name}:", f"    raise _Bad('{key} is longer than {MAX_NAME_BYTES} bytes')"]
    int_check = [f"if not _LO <= {v} < _HI:", f"    raise _Bad('{key} is an integer beyond 64 bits')"]
    if t in (str, int, bool):
        lines = [f"if type({v}) is not {t.__name__}:", f"    {bad}"]
        if t is str and key in NAME_KEYS:
            lines += name_check
        elif t is int:
            lines += int_check
        return lines
    if t is TypeSpec:
        return [f"{v} = _typespec_in({v})"]
    if _is_union(t):
        args = typing.get_args(t)
        # As the union hook: null only when the union has it, bool/str/int as they are, an object
        # for the union's one class; floats and anything else refused.
        names[f"k{i}"] = frozenset(a for a in args if a in _PLAIN)
        classes = [a for a in args if oc.has(a) or a is AddConstraintOp]
        lines = [f"if type({v}) not in k{i}:"]
        if _PAIRS in args:  # options or null (a table's options before a change, when known)
            names["_pairs_in"] = _pairs_in
            lines += [f"    if type({v}) is not dict and type({v}) is not tuple:", f"        {bad}",
                      f"    {v} = () if {v} == () else _pairs_in({v})"]
        elif len(classes) == 1:
            lines += [f"    if type({v}) is not dict and type({v}) is not tuple:", f"        {bad}",
                      f"    {v} = {_call(classes[0], v, names, i)}"]
        else:
            lines += [f"    {bad}"]
        if str in args and key in NAME_KEYS:
            lines += [f"elif type({v}) is str and {long_name}:", f"    {name_check[1].strip()}"]
        if int in args:
            lines += [f"elif type({v}) is int and not _LO <= {v} < _HI:", f"    {int_check[1].strip()}"]
        return lines
    if typing.get_origin(t) is tuple and len(typing.get_args(t)) == 2 and typing.get_args(t)[1] is Ellipsis \
            and typing.get_args(t)[0] is not tuple and typing.get_origin(typing.get_args(t)[0]) is not tuple:
        item = typing.get_args(t)[0]
        lines = [f"if type({v}) is not list:", f"    raise _Bad(f'{where}: expected a list, got {{type({v}).__name__}}')"]
        if item in (str, int, bool):
            lines += [f"if any(type(x) is not {item.__name__} for x in {v}):",
                      f"    raise _Bad('{where}: expected {item.__name__} items')"]
            if item is str and key in NAME_LIST_KEYS:
                lines += [f"if {v} and max(map(len, {v})) > _S \\",
                          f"        and any(len(x.encode('utf-8', 'surrogatepass')) > _MAX for x in {v}):",
                          f"    raise _Bad('a name in {key} is longer than {MAX_NAME_BYTES} bytes')"]
            elif item is int:
                lines += [f"if {v} and not (_LO <= min({v}) and max({v}) < _HI):",
                          "    raise _Bad('an integer beyond 64 bits')"]
            return lines + [f"{v} = tuple({v})"]
        if oc.has(item):
            call = _call(item, "x", names, i)
            if call == f"c{i}(x, ct{i})" and getattr(names[f"c{i}"], "__name__", None) == "structure":
                # A structure function made here, called for each item without a comprehension's
                # frame: it takes an item alone.
                return lines + [f"{v} = tuple(map(c{i}, {v}))"]
            return lines + [f"{v} = tuple([{call} for x in {v}])"]
    if t == _PAIRS:
        # Options: none (the fast parse's empty object) as it is, else read by ``_pairs_in``.
        names["_pairs_in"] = _pairs_in
        return [f"{v} = () if {v} == () else _pairs_in({v})"]
    if not (oc.has(t) or t == _PAIRS or t == _OPS):
        # Structured by a hook that does not check the bounds (a plugin op's field of another
        # type): the codec walks every payload for them from now on.
        _CHECKED[0] = False
    names[f"h{i}"], names[f"t{i}"] = structure_hook(t), t
    return [f"{v} = h{i}({v}, t{i})"]


def _call(cls: type, value: str, names: dict[str, Any], i: int) -> str:
    """An expression that structures the object ``value`` as a ``cls``."""
    if cls is TypeSpec:
        return f"_typespec_in({value})"
    names[f"c{i}"], names[f"ct{i}"] = structure_hook(cls), cls
    return f"c{i}({value}, ct{i})"


#: op or spec class -> fields written only when they differ from their default.


#: [how many ops have been structured inside another op's payload]: only such nesting (an op in an
#: op in an op...) can take a payload that structures beyond MAX_NESTING levels, which the codec
#: then counts (``codec.decode``); every other field nests a bounded number of levels (column types
#: and option values at most MAX_TYPE_DEPTH).
NESTED = [0]


def _nested_ops(data: Any) -> tuple[MigrateOperation, ...]:
    if type(data) is not list:
        raise _Bad(f"expected a list, got {type(data).__name__}")
    if data:
        NESTED[0] += 1
    return tuple(from_payload(item) for item in data)


def _nested_add_constraint(data: Any) -> AddConstraintOp:
    NESTED[0] += 1
    op = from_payload(data)
    if not isinstance(op, AddConstraintOp):
        raise _Bad("expected an add-constraint operation")
    return op


# ---------------------------------------------------------------------------------------------
# Payload versions
# ---------------------------------------------------------------------------------------------

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def register_upcaster(tag: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register ``fn(fields) -> fields`` that turns version ``from_version`` of ``tag`` into the next."""

    def register(fn: Upcaster) -> Upcaster:
        _UPCASTERS[(tag, from_version)] = fn
        return fn

    return register


@register_upcaster("execute", 1)
def _execute_v1_v2(fields: dict[str, Any]) -> dict[str, Any]:
    """Version 1 of ``execute`` called its SQL ``sql`` and could not hold a reverse."""
    fields = dict(fields)
    if "sql" not in fields:
        raise _Bad("execute v1 payload needs sql")
    fields["sqltext"] = fields.pop("sql")
    fields.setdefault("reverse_sql", None)
    return fields


def register_op(op_class: type[MigrateOperation]) -> type[MigrateOperation]:
    """Make a plugin operation (already tagged with ``ops.op_type``) readable and writable."""
    if OP_TYPES.get(op_class.op_tag) is not op_class:
        raise RegistrationError(f"{op_class.__name__} must be tagged with ops.op_type before it is registered")
    return op_class


# ---------------------------------------------------------------------------------------------
# The public functions
# ---------------------------------------------------------------------------------------------


def from_payload(data: Any) -> MigrateOperation:
    """The op a JSON envelope stands for (raises ``_Bad``; ``decode`` wraps it).

    An object may also come as the tuple of its (key, value) pairs, as ``codec.decode``'s fast
    parse gives it: made a dict where it is read, a key given twice refused.
    """
    in_order = False
    if type(data) is tuple and len(data) == 3:
        (k_op, fields), (k_type, tag), (k_v, version) = data
        in_order = k_op == "op" and k_type == "type" and k_v == "v"  # keys in canonical order: none twice
    if not in_order:
        data = _object(data)
        if not isinstance(data, dict) or data.keys() != _ENVELOPE_KEYS:
            raise _Bad("a payload needs exactly type, v and op")
        tag, version, fields = data["type"], data["v"], data["op"]
    op_class = OP_TYPES.get(tag) if type(tag) is str else None
    if op_class is None:
        raise _Bad(f"unknown operation type {tag!r}")
    current = op_class.payload_version
    if type(version) is not int or not 1 <= version <= current:
        raise _Bad(f"unknown payload version {version!r} of {tag}")
    if type(fields) is not tuple and not isinstance(fields, dict):
        raise _Bad("op fields must be an object")
    if version < current:
        fields = _object(fields)
    while version < op_class.payload_version:
        upcast = _UPCASTERS.get((tag, version))
        if upcast is None:
            raise _Bad(f"no upcaster from version {version} of {tag}")
        fields = upcast(fields)
        version += 1
    structure = _STRUCTURE.get(op_class)
    if structure is None:
        structure = _STRUCTURE[op_class] = structure_hook(op_class)
        CURRENT[(tag, current)] = (structure, op_class)
    return structure(fields, op_class)  # type: ignore[no-any-return]


_ENVELOPE_KEYS = frozenset(("type", "v", "op"))
#: op class -> its structure function (the converter's dispatch per payload, looked up once).
_STRUCTURE: dict[type, Callable[[Any, Any], Any]] = {}
#: (tag, its op class's current payload version) -> (the class's structure function, the class), for
#: each class ``from_payload`` has structured: ``codec.decode`` reads a payload at its current
#: version through it without the envelope's general path (a tag names one class for good).
CURRENT: dict[tuple[str, int], tuple[Callable[[Any, Any], Any], type]] = {}
