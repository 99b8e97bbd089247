"""An operation of the vocabulary as the plain values of its payload (the way out of the codec).

What the payload converter's unstructuring gives (cattrs' functions for attrs classes with the
hooks :mod:`ledger.format.payload` registers), made here per class from its fields, without
cattrs: writing events (the Alembic hook, ``apply``) then neither imports cattrs nor has it
generate a function per class; cattrs is loaded only for a plugin's operation (a class outside
the vocabulary, still unstructured by the converter itself; reading payloads has structure
functions of its own, ``ledger.format.payload.structure_hook``).
``tests/test_codec.py`` compares the two on generated operations.

Per field, by its declared type, as the converter dispatches: plain values as they are; a
column type and a tuple of (key, value) options by their own functions; an optional ``X | None``
by X's function; a tuple of ``X`` item by item, each by its own class; a nested operation as its
tagged payload; any other union by the class of the value. A field listed in
``OPTIONAL_FIELDS`` is left out while it equals its default, so older ops keep their bytes.
"""

from __future__ import annotations

import operator
import sys
import types
import typing
from collections.abc import Callable
from typing import Any


from ops import OP_TYPES, LedgerFormatError, MigrateOperation
from ops.column import AddColumnOp, AlterColumnOp, DropColumnOp
from ops.constraint import AddConstraintOp, CreateCheckConstraintOp
from ops.specs import CheckSpec, ForeignKeySpec, PrimaryKeySpec, TableSpec, TypeSpec, UniqueSpec
from ops.table import CreateTableOp, DropTableOp
from ops import classes as oc

__all__ = ["OPTIONAL_FIELDS", "OPS", "PAIRS", "resolved_fields", "to_payload", "typespec_out", "value_out"]

#: Fields added after version 1 of their op (or of a spec): left out of the payload while unset.
OPTIONAL_FIELDS: dict[type, tuple[str, ...]] = {
    AddColumnOp: ("insert_before", "_then"),
    AlterColumnOp: ("postgresql_using", "modify_autoincrement", "existing_autoincrement"),
    DropColumnOp: ("_before", "_dependents"),
    # a partitioned table's partitions, dropped with it and made again after it
    CreateTableOp: ("_then",),
    DropTableOp: ("_dependents",),
    # the CHECKs of one name that SQLite holds, made as one group
    CreateCheckConstraintOp: ("repeated",),
    # a constraint its database keeps without a name; SQLite's AUTOINCREMENT on a primary key
    PrimaryKeySpec: ("unnamed", "autoincrement"),
    UniqueSpec: ("unnamed",),
    ForeignKeySpec: ("unnamed",),
    CheckSpec: ("unnamed",),
    # a table's character set and collation (MySQL/MariaDB)
    TableSpec: ("dialect_options",),
}

#: options: a sorted tuple of (key, value) pairs, written as an object
PAIRS = tuple[tuple[str, Any], ...]
#: what goes with a column added or dropped (indexes, constraints): a list of tagged payloads
OPS = tuple[MigrateOperation, ...]


def value_out(value: Any) -> Any:
    if isinstance(value, TypeSpec):
        return {"type": typespec_out(value)}
    if isinstance(value, tuple):
        return [value_out(v) for v in value]
    return value


def typespec_out(spec: TypeSpec) -> dict[str, Any]:
    return {"name": spec.name, "args": [value_out(a) for a in spec.args],
            "kwargs": {k: value_out(v) for k, v in spec.kwargs}}


def to_payload(op: MigrateOperation) -> dict[str, Any]:
    """``op`` as its JSON-ready envelope."""
    cls = type(op)
    if OP_TYPES.get(op.op_tag) is not cls:
        raise LedgerFormatError(f"{cls.__name__} is not a registered operation")
    fields = _HOOKS.get(cls) or _hook(cls)
    return {"type": op.op_tag, "v": op.payload_version, "op": fields(op)}


# ---------------------------------------------------------------------------------------------
# Each type's function, made once
# ---------------------------------------------------------------------------------------------

#: the classes written as they are (cattrs' identity)
_PLAIN = frozenset((str, bytes, int, float, bool, type(None)))
#: type -> its function; None for a value written as it is
_HOOKS: dict[Any, Callable[[Any], Any] | None] = {}


def _by_value(value: Any) -> Any:
    """``value`` unstructured by its own class (the converter's ``unstructure(value)``)."""
    cls = type(value)
    if cls in _PLAIN:
        return value
    hook = _get(cls)
    return value if hook is None else hook(value)


def _items(value: Any) -> list[Any]:
    return [_by_value(item) for item in value]


def _pairs_out(value: Any) -> dict[str, Any]:
    return {k: value_out(x) for k, x in value}


def _nested(op: Any) -> Any:
    return None if op is None else to_payload(op)


def _nested_ops(value: Any) -> list[dict[str, Any]]:
    return [to_payload(op) for op in value]


def _optional(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def optional(value: Any) -> Any:
        return None if value is None else hook(value)

    return optional


def _vocabulary(cls: type) -> bool:
    return cls.__module__ == "ops" or cls.__module__.startswith("ops.")


def _get(t: Any) -> Callable[[Any], Any] | None:
    """The function for a value declared (or found) to be of type ``t``."""
    return _HOOKS[t] if t in _HOOKS else _hook(t)


def _hook(t: Any) -> Callable[[Any], Any] | None:
    """The function for type ``t``, made and kept in ``_HOOKS``."""
    hook: Callable[[Any], Any] | None
    if t in _PLAIN:
        hook = None
    elif t is TypeSpec:
        hook = typespec_out
    elif t == PAIRS:
        hook = _pairs_out
    elif t == OPS:
        hook = _nested_ops
    elif isinstance(t, type) and oc.has(t) and _vocabulary(t):
        hook = _class_hook(t)
    elif typing.get_origin(t) is tuple:
        # every tuple type as ``tuple[X, ...]``: item by item, each by its class
        hook = _items
    elif typing.get_origin(t) in (typing.Union, types.UnionType):
        args = typing.get_args(t)
        if AddConstraintOp in args:
            hook = _nested
        elif len(args) == 2 and type(None) in args:
            inner = _get(args[0] if args[1] is type(None) else args[1])
            hook = None if inner is None else _optional(inner)
        else:
            hook = _by_value
    elif t in (tuple, list):
        hook = _items
    elif t is dict:
        hook = _dict_out
    else:
        # anything else (a plugin's class, an enum): what the converter itself makes of it
        hook = _converter_hook(t)
    _HOOKS[t] = hook
    return hook


def _dict_out(value: Any) -> dict[Any, Any]:
    return {_by_value(k): _by_value(v) for k, v in value.items()}


def _converter_hook(t: Any) -> Callable[[Any], Any]:
    def by_converter(value: Any) -> Any:
        from ledger.format.payload import converter

        return converter().unstructure(value, t)

    return by_converter


def _class_hook(cls: type) -> Callable[[Any], dict[str, Any]]:
    optional = OPTIONAL_FIELDS.get(cls, ())
    names: list[str] = []
    # (name, hook or None, left out while equal to this default, or _ALWAYS)
    parts: list[tuple[str, Callable[[Any], Any] | None, Any]] = []
    for f in resolved_fields(cls):
        if not f.init:
            continue  # as cattrs: a field outside __init__ is not written
        default = _ALWAYS
        if f.name in optional:
            if oc.is_factory(f.default):  # type: ignore[arg-type]
                raise TypeError(f"{cls.__name__}.{f.name}: factory defaults are not supported by the codec")
            default = f.default if f.converter is None else f.converter(f.default)  # type: ignore[operator]
        names.append(f.name)
        parts.append((f.name, _get(f.type), default))
    read = operator.attrgetter(*names) if len(names) > 1 else (lambda value: (getattr(value, names[0]),)) \
        if names else (lambda value: ())

    def unstructure(value: Any) -> dict[str, Any]:
        out = {}
        for (name, hook, default), field in zip(parts, read(value)):
            if default is _ALWAYS or field != default:
                out[name] = field if hook is None else hook(field)
        return out

    return unstructure


_ALWAYS = object()

#: an annotation's text, compiled (``resolved_fields``): each text once, not once per field
_CODE: dict[str, Any] = {}
#: (the class that declares an annotation, its text) -> the type it names
_EVALUATED: dict[tuple[type, str], Any] = {}


def resolved_fields(cls: type) -> tuple[Any, ...]:
    """``attrs.fields(attrs.resolve_types(cls))``: each field's type as ``typing.get_type_hints``
    gives it, set on the field and the class marked resolved as ``attrs.resolve_types`` leaves them
    (a class ``ops.classes`` makes: its own fields, ``oc.fields``, marked ``__ops_types_resolved__``,
    attrs not imported).

    Each annotation is evaluated as ``get_type_hints`` evaluates it (in the namespace of the class
    that declares it, then its module's), each text compiled once; ``get_type_hints`` compiled the
    text of every annotation of every class in the method order, a base's again for each subclass.
    An annotation that is not plain text of a type (a quoted name inside it, a name that does not
    resolve) is left to ``attrs.resolve_types``."""
    mark = "__ops_types_resolved__" if "__ops_fields__" in cls.__dict__ else "__attrs_types_resolved__"
    if getattr(cls, mark, None) is cls:
        return oc.fields(cls)  # type: ignore[no-any-return]
    fields = oc.fields(cls)
    hints: dict[str, Any] = {}
    try:
        for f in fields:
            owner = next((base for base in cls.__mro__ if f.name in base.__dict__.get("__annotations__", {})), None)
            if owner is None:
                continue  # no annotation: resolve_types leaves the field's type as it is
            text = owner.__dict__["__annotations__"][f.name]
            if not isinstance(text, str) or "'" in text or '"' in text:
                raise TypeError(text)  # not plain text of a type (or no text): attrs' way
            value = _EVALUATED.get((owner, text), _ALWAYS)
            if value is _ALWAYS:
                code = _CODE.get(text)
                if code is None:
                    code = _CODE[text] = compile(text, "<string>", "eval")
                # get_type_hints' namespaces for a class: the class's own first as globals, its module's as locals
                module = sys.modules[owner.__module__].__dict__
                value = eval(code, dict(vars(owner)), module)  # noqa: S307 - the class's own annotation
                if value is None:
                    value = type(None)
                elif isinstance(value, (str, typing.ForwardRef)):
                    raise TypeError(text)
                _EVALUATED[(owner, text)] = value
            hints[f.name] = value
    except Exception:  # noqa: BLE001 - anything get_type_hints treats its own way
        if mark == "__attrs_types_resolved__":
            import attrs

            return attrs.fields(attrs.resolve_types(cls))  # type: ignore[no-any-return]
        hints = typing.get_type_hints(cls)  # what attrs.resolve_types reads
    for f in fields:
        if f.name in hints:
            object.__setattr__(f, "type", hints[f.name])  # as resolve_types sets a (frozen) field's type
    type.__setattr__(cls, mark, cls)
    return fields  # type: ignore[no-any-return]
