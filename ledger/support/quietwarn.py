"""Warnings kept from the user, or shown where they belong, without touching Python's warning filters.

Changing the filters (``warnings.catch_warnings``, ``filterwarnings``, ``simplefilter``) makes
Python forget every warning it has shown ("once per place" starts over), so a warning shown
before is shown again. Code that runs inside somebody else's program (the Alembic hook) must not
do that: these blocks replace ``warnings.warn`` instead, in the thread that entered them, and
leave the filters and every module's ``__warningregistry__`` as they were. A warning raised
another way (``warnings.warn_explicit``, from C) goes through Python's machinery as usual.
"""

from __future__ import annotations

import re
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["blamed_outside", "silenced"]

#: marks a replacement: the ``warnings.warn`` it stands in front of
_REAL = "_quietwarn_real"


class _Replaced:
    """``warnings.warn`` in this thread is ``handle(real_warn, frame, message, category, stacklevel,
    source, kw)`` in the block, ``frame`` the caller of ``warnings.warn``. (A class, not a
    generator: the hook enters a few such blocks per operation.)"""

    __slots__ = ("handle", "previous")

    def __init__(self, handle: Callable[..., None]) -> None:
        self.handle = handle

    def __enter__(self) -> None:
        previous = self.previous = warnings.warn
        real = getattr(previous, _REAL, previous)
        owner, handle = threading.get_ident(), self.handle

        def warn(message: Any, category: Any = None, stacklevel: int = 1, source: Any = None, **kw: Any) -> None:
            if threading.get_ident() != owner:
                return real(message, category, stacklevel + 1, source, **kw)
            return handle(real, sys._getframe(1), message, category, stacklevel, source, kw)

        setattr(warn, _REAL, real)
        warnings.warn = warn

    def __exit__(self, *exc: object) -> None:
        warnings.warn = self.previous


def _up(frame: Any, stacklevel: int) -> Any:
    for _ in range(max(stacklevel, 1) - 1):
        if frame is None:
            break
        frame = frame.f_back
    return frame


def silenced(*messages: str) -> _Replaced:
    """Warnings raised in the block whose text starts with one of ``messages`` (regular expressions,
    case-blind, as ``filterwarnings`` takes them) are dropped; with none given, every warning is."""
    if not messages:
        return _Replaced(_dropped)
    patterns = [re.compile(m, re.I) for m in messages]

    def handle(real: Callable[..., None], frame: Any, message: Any, category: Any, stacklevel: int,
               source: Any, kw: dict[str, Any]) -> None:
        if patterns and not any(p.match(str(message)) for p in patterns):
            real(message, category, stacklevel + 2, source, **kw)  # from the caller of warnings.warn, as asked

    return _Replaced(handle)


def _dropped(real: Callable[..., None], frame: Any, message: Any, category: Any, stacklevel: int, source: Any,
             kw: dict[str, Any]) -> None:
    """:func:`silenced`'s handling of a warning when every warning is dropped: nothing."""


def blamed_outside(own: re.Pattern[str], skipped: re.Pattern[str]) -> _Replaced:
    """Warnings raised in the block that blame a frame of a module matching ``own`` (a wrapper that
    called the code that warned) blame instead the first frame further out whose module matches
    neither ``own`` nor ``skipped``: the frame they blame when the wrapper is not there (SQLAlchemy
    blames the first frame outside SQLAlchemy and Alembic). They are then shown, or not, as Python
    shows a warning from that frame: by its module's registry and the filters."""

    def handle(real: Callable[..., None], frame: Any, message: Any, category: Any, stacklevel: int,
               source: Any, kw: dict[str, Any]) -> None:
        blamed = where = _up(frame, stacklevel)
        if where is not None and own.match(where.f_globals.get("__name__", "")):
            while where is not None and (own.match(name := where.f_globals.get("__name__", ""))
                                         or skipped.match(name)):
                where = where.f_back
        if where is None or where is blamed:
            real(message, category, stacklevel + 2, source, **kw)  # from the caller of warnings.warn, as asked
        else:
            _explicit(message, category, where, source)

    return _Replaced(handle)


def _explicit(message: Any, category: Any, frame: Any, source: Any) -> None:
    """What ``warnings.warn`` does for a warning blaming ``frame``."""
    if isinstance(message, Warning):
        category = type(message)
    elif category is None:
        category = UserWarning
    module_globals = frame.f_globals
    registry = module_globals.setdefault("__warningregistry__", {})
    warnings.warn_explicit(message, category, frame.f_code.co_filename, frame.f_lineno,
                           module_globals.get("__name__", "<string>"), registry, source=source)
