"""Column types as plain values: the allow-list of type classes, TypeSpec, and SQL text helpers.

Only the classes on the allow-list can be named by a TypeSpec (and so by a stored payload):
SQLAlchemy's generic types, its PostgreSQL, MySQL and SQLite types, and the types a user
registers with :func:`register_type`. Nothing is ever imported by name.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sys
from typing import Any, Union

import sqlalchemy as sa
from sqlalchemy.sql.elements import ClauseElement, TextClause
from sqlalchemy.types import TypeEngine

from .classes import frozen
from .base import RegistrationError, UnknownTypeError

__all__ = ["TypeSpec", "register_type", "registered_type", "registered_type_names", "sql_references", "sql_text"]


def sql_text(element: Any) -> str:
    """SQL expression text of a clause (sa.text(...) or any expression), dialect-neutral."""
    if isinstance(element, str):
        return element
    if isinstance(element, TextClause):
        return element.text
    if isinstance(element, ClauseElement):
        # Without table names, as DDL renders them: the text must survive a table rename.
        return str(element.compile(compile_kwargs={"literal_binds": True, "include_table": False}))
    raise TypeError(f"not a SQL expression: {element!r}")


# A string literal, a quoted identifier ("x", `x`, [x]), a number, or a bare word (maybe a call);
# compiled (and cached by ``re``) when first used, not at import.
_SQL_TOKEN = r"""'(?:[^']|'')*'|"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|\d[\w.]*|([^\W\d][\w$]*)(\s*\()?"""


def sql_references(sqltext: str, name: str) -> bool:
    """True when SQL text may name column ``name``: quoted exactly, or bare in any case.

    It errs towards True (a keyword spelled like the column counts): it guards drops and
    renames, where a false alarm only asks for an explicit drop first.
    """
    folded = name.casefold()
    for match in re.finditer(_SQL_TOKEN, sqltext):
        double, back, bracket, bare, call = match.groups()
        quoted = (double.replace('""', '"') if double is not None
                  else back.replace("``", "`") if back is not None else bracket)
        if quoted is not None and quoted == name:
            return True
        if bare is not None and call is None and bare.casefold() == folded:
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Types and the allow-list
# ---------------------------------------------------------------------------------------------

#: type name -> class. Only these can be named by a payload: nothing is imported by name.
_TYPES: dict[str, type[TypeEngine[Any]]] = {}
_TYPE_NAMES: dict[type[TypeEngine[Any]], str] = {}

# Keyword arguments that the MySQL types accept through ``**kw`` and keep as attributes.
_EXTRA_TYPE_ATTRS = (
    "unsigned", "zerofill", "charset", "collation", "national", "binary", "ascii", "unicode",
)


def register_type(cls: type[TypeEngine[Any]], name: str | None = None) -> type[TypeEngine[Any]]:
    """Allow a user-defined column type in ops and payloads, under ``name`` (default: qualified)."""
    _type_name(cls)  # a SQLAlchemy database type: its database's names come first, as they always did
    name = name or f"{cls.__module__}.{cls.__qualname__}"
    existing = _TYPES.get(name)
    if existing is not None and existing is not cls:
        raise RegistrationError(f"type name {name!r} is already registered to {existing!r}")
    _TYPES[name] = cls
    _TYPE_NAMES.setdefault(cls, name)
    return cls


def registered_type_names() -> tuple[str, ...]:
    """Every name a TypeSpec may use, sorted (aliases of one class included)."""
    for prefix in _DIALECT_PACKAGES:
        _load_dialect_types(prefix)
    return tuple(sorted(_TYPES))


def registered_type(name: str) -> type[TypeEngine[Any]]:
    found = _TYPES.get(name)
    if found is None:
        prefix, dot, _ = name.partition(".")
        if dot and _load_dialect_types(prefix + dot):
            found = _TYPES.get(name)
    if found is None:
        raise UnknownTypeError(f"unknown column type {name!r}: register it with ops.register_type")
    return found


def _register_module(module: Any, prefix: str) -> None:
    for attr in sorted(dir(module)):
        obj = getattr(module, attr)
        if (
            isinstance(obj, type)
            and issubclass(obj, TypeEngine)
            and attr[:1].isupper()
            and not attr.startswith("_")
            and obj.__name__ == attr
        ):
            name = f"{prefix}{attr}"
            if name not in _TYPES:
                _TYPES[name] = obj
                _TYPE_NAMES.setdefault(obj, name)


#: Bases, mixins and expression-only types: nothing a column is declared with.
_ABSTRACT = ("TypeEngine", "TypeDecorator", "UserDefinedType", "ExternalType", "Variant", "Indexable",
             "Concatenable", "NullType", "SchemaType", "Emulated", "NativeForEmulated", "MatchType", "TupleType",
             "postgresql.AbstractRange", "postgresql.AbstractSingleRange", "postgresql.AbstractMultiRange",
             "postgresql.NamedType")

#: The prefix of a database's types -> SQLAlchemy's package of them. Each is registered when a name
#: with its prefix is first looked up or one of its types is first converted (a run on SQLite loads
#: neither SQLAlchemy's PostgreSQL nor its MySQL package). No class is in two of them outside the
#: generic types, so the name a class gets does not depend on which is registered first.
_DIALECT_PACKAGES = {"postgresql.": "sqlalchemy.dialects.postgresql", "mysql.": "sqlalchemy.dialects.mysql",
                     "sqlite.": "sqlalchemy.dialects.sqlite"}
_LOADED: set[str] = set()


def _drop_abstract(prefix: str) -> None:
    for name in _ABSTRACT:
        if name.startswith(prefix) and (prefix or "." not in name):
            _TYPE_NAMES.pop(_TYPES.pop(name, None), None)  # type: ignore[arg-type]


def _load_dialect_types(prefix: str) -> bool:
    """Register the types of the database ``prefix`` names ("postgresql."); whether it was not yet."""
    if prefix in _LOADED or prefix not in _DIALECT_PACKAGES:
        return False
    _LOADED.add(prefix)
    _register_module(importlib.import_module(_DIALECT_PACKAGES[prefix]), prefix)
    _drop_abstract(prefix)
    return True


def _type_name(kind: type[TypeEngine[Any]]) -> str | None:
    """The allow-list's name of the class ``kind``, its database's types registered first if need be."""
    name = _TYPE_NAMES.get(kind)
    if name is None and kind.__module__.startswith("sqlalchemy.dialects."):
        if _load_dialect_types(kind.__module__.split(".")[2] + "."):
            name = _TYPE_NAMES.get(kind)
    return name


_register_module(sa.types, "")
_drop_abstract("")

TypeArg = Union[None, bool, int, float, str, tuple[Any, ...], "TypeSpec"]


def _plain(value: Any) -> Any:
    """A constructor argument as a plain comparable value, or raise TypeError."""
    if isinstance(value, str):
        return str(value)  # not SQLAlchemy's quoted_name
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, TypeEngine):
        return TypeSpec.from_sa(value)
    if isinstance(value, type) and issubclass(value, TypeEngine):
        return TypeSpec.from_sa(value())
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, ClauseElement):
        return sql_text(value)  # a DOMAIN's CHECK or DEFAULT: SQL text, which the type takes back
    raise TypeError(type(value).__name__)


def _live(value: Any) -> Any:
    if isinstance(value, TypeSpec):
        return value.to_sa()
    if isinstance(value, tuple):
        return [_live(v) for v in value]
    return value


@frozen
class TypeSpec:
    """A column type: its allow-listed name and the non-default arguments it was built with."""

    name: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, name: str, /, *args: Any, **kwargs: Any) -> TypeSpec:
        return cls(name, tuple(args), tuple(sorted(kwargs.items())))

    @classmethod
    def from_sa(cls, type_: TypeEngine[Any] | type[TypeEngine[Any]]) -> TypeSpec:
        if isinstance(type_, type):
            type_ = type_()
        kind = type(type_)
        name = _type_name(kind)
        if name is None:
            raise UnknownTypeError(
                f"unknown column type {kind.__qualname__} (class {kind.__module__}.{kind.__qualname__}): "
                "register it with ops.register_type"
            )
        if isinstance(type_, sa.Enum):
            return cls._from_enum(name, type_)
        kwargs: dict[str, Any] = {}
        params, takes_kw, baseline = _signature(kind)
        for param, default in params:
            value = getattr(type_, param, _MISSING)
            if value is _MISSING or (default is not _MISSING and _same(value, default)):
                continue
            if baseline is not None and _same_plain(value, getattr(baseline, param, _MISSING)):
                continue  # what the type fills in by itself (JSONB's astext_type, BIT's length)
            try:
                kwargs[param] = _plain(value)
            except TypeError:
                raise UnknownTypeError(
                    f"column type {name}: argument {param}={value!r} is not a plain value and cannot be "
                    "stored; register a type that takes plain arguments"
                ) from None
        if takes_kw:
            cls._extra_attrs(type_, kwargs)
        args: tuple[Any, ...] = ()
        mysql = sys.modules.get("sqlalchemy.dialects.mysql")  # a SET is one of its types: it is loaded
        if mysql is not None and isinstance(type_, mysql.SET):
            # SET(*values) keeps its values apart from the signature's named parameters.
            args = tuple(type_.values)
            if type_.retrieve_as_bitwise:
                kwargs["retrieve_as_bitwise"] = True
            kwargs.pop("length", None)
        return cls(name, args, tuple(sorted(kwargs.items())))

    @classmethod
    def _from_enum(cls, name: str, type_: sa.Enum) -> TypeSpec:
        kwargs: dict[str, Any] = {}
        if type_.name is not None:
            kwargs["name"] = str(type_.name)
        if not type_.native_enum:
            kwargs["native_enum"] = False
        if type_.create_constraint:
            kwargs["create_constraint"] = True
        if type_.schema is not None:
            kwargs["schema"] = str(type_.schema)
        # length is computed from the values unless given; only a given one is an argument.
        if type_.length != getattr(type_, "_default_length", type_.length):
            kwargs["length"] = type_.length
        if type_.collation is not None:
            kwargs["collation"] = type_.collation
        if type_.validate_strings:
            kwargs["validate_strings"] = True
        if getattr(type_, "create_type", True) is False:  # postgresql.ENUM: the type is managed apart
            kwargs["create_type"] = False
        cls._extra_attrs(type_, kwargs)
        return cls(name, tuple(type_.enums), tuple(sorted(kwargs.items())))

    @staticmethod
    def _extra_attrs(type_: TypeEngine[Any], kwargs: dict[str, Any]) -> None:
        """The MySQL string options that the MySQL types take through ``**kw``."""
        if not type(type_).__module__.startswith("sqlalchemy.dialects.mysql"):
            return
        for attr in _EXTRA_TYPE_ATTRS:
            value = getattr(type_, attr, None)
            if value:
                kwargs[attr] = _plain(value)

    def to_sa(self) -> TypeEngine[Any]:
        kind = registered_type(self.name)
        try:
            return kind(*[_live(a) for a in self.args], **{k: _live(v) for k, v in self.kwargs})
        except TypeError as exc:
            raise UnknownTypeError(f"column type {self.render()} cannot be built: {exc}") from None

    def render(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.name}({', '.join(parts)})"

    @property
    def kw(self) -> dict[str, Any]:
        return dict(self.kwargs)

    @property
    def bounded_length(self) -> int | None:
        """The length of a string or binary type that has one and is no text or blob type
        (``VARCHAR(n)``, ``CHAR(n)``, ``VARBINARY(n)``); None for every other type."""
        try:
            type_ = self.to_sa()
        except UnknownTypeError:
            return None
        if isinstance(type_, sa.types.TypeDecorator):
            type_ = type_.impl_instance
        if isinstance(type_, (sa.Text, sa.LargeBinary)) or not isinstance(type_, (sa.String, sa.types._Binary)):
            return None
        return getattr(type_, "length", None)


_MISSING = object()


_SIGNATURES: dict[type[Any], tuple[tuple[tuple[str, Any], ...], bool, TypeEngine[Any] | None]] = {}
_OBJECT_INIT = [inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
                inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)]


def _signature(kind: type[TypeEngine[Any]]) -> tuple[tuple[tuple[str, Any], ...], bool, TypeEngine[Any] | None]:
    """The named parameters of ``kind``'s constructor after ``self`` with their defaults (``_MISSING``:
    none), whether it takes ``**kw``, and its :func:`_baseline`, worked out once per class
    (``inspect.signature`` and building an instance were most of converting a type)."""
    found = _SIGNATURES.get(kind)
    if found is None:
        # object's own __init__ (a type that defines none) is ``(self, /, *args, **kwargs)``:
        # inspect reads a builtin's signature through the tokenizer, compiled at its first use.
        params = _OBJECT_INIT if kind.__init__ is object.__init__ else \
            list(inspect.signature(kind.__init__).parameters.values())[1:]
        variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        found = _SIGNATURES[kind] = (
            tuple((p.name, _MISSING if p.default is p.empty else p.default) for p in params if p.kind not in variadic),
            any(p.kind == p.VAR_KEYWORD for p in params), _baseline(kind))
    return found


def _baseline(kind: type[TypeEngine[Any]]) -> TypeEngine[Any] | None:
    """``kind()`` when it can be built without arguments: what its attributes are by default."""
    try:
        return kind()
    except Exception:  # noqa: BLE001 - types with required arguments have no baseline
        return None


def _same_plain(value: Any, default: Any) -> bool:
    if default is _MISSING:
        return False
    try:
        return bool(_plain(value) == _plain(default))
    except TypeError:
        return value is default


def _same(value: Any, default: Any) -> bool:
    try:
        return bool(value == default) and type(value) is type(default)
    except Exception:  # noqa: BLE001 - SQL expressions overload ==
        return False


