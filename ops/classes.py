"""``attrs.frozen`` and ``attrs.define`` with one ``__repr__`` shared by their classes.

attrs writes and compiles a ``__repr__`` for every class it makes; for the op, spec and event
classes that was about a fifth of importing the Alembic hook (docs/performance.md, "The hook,
ninth round"), for a method that only error messages and debugging call. The shared one reads
the class's fields when it is called and gives the text attrs' own gives: ``Name(a=1, b='x')``,
each field by its ``repr`` option, ``...`` for a value met again inside itself.
"""

from __future__ import annotations

import threading
from typing import Any, TypeVar

import attrs

__all__ = ["Value", "define", "frozen"]

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
    """``attrs.frozen``, the ``__repr__`` shared."""
    return _shared_repr(attrs.frozen, maybe_cls, kwargs)


def define(maybe_cls: _C | None = None, **kwargs: Any) -> Any:
    """``attrs.define``, the ``__repr__`` shared."""
    return _shared_repr(attrs.define, maybe_cls, kwargs)


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
