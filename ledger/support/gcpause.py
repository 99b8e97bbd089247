"""Pausing Python's cyclic garbage collector around work that builds many acyclic objects.

Reflecting and normalizing a schema of 1,000 tables allocates hundreds of thousands of small
containers (specs, tuples, the inspector's dicts), none of them in a reference cycle. Each
700 allocations start a young collection, and every tenth of those may walk the whole heap:
on a 1,000-table ``verify --live`` the collector took as much CPU time as the work itself.
Paused for the call, it resumes afterwards and meets whatever of it is still there.

The command line's start-up is such work too: importing SQLAlchemy and the ledger's modules
(attrs building the op classes, the codec's generated functions) makes some 50,000 objects the
collector tracks, nearly all of them living as long as the process, and the young collections
their making sets off walk them again and again (about a tenth of a short command's CPU time). ``starting()`` turns the
collector off for the start-up; ``started()`` (called once the database connection is open)
moves what start-up made out of the collector's way (``gc.freeze``) and turns it on again.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["collection_paused", "set_aside", "started", "starting"]

P = ParamSpec("P")
R = TypeVar("R")


def collection_paused(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn`` with the cyclic collector off while it runs (left as it was if already off)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()

    return wrapper


#: whether the collector is off for the command line's start-up (set by :func:`starting`)
_STARTING = [False]


def starting() -> None:
    """The command line starts: the collector off until :func:`started` (left as it was if already off)."""
    if gc.isenabled():
        gc.disable()
        _STARTING[0] = True


def started() -> None:
    """Start-up is over: what it made is kept out of later collections, and the collector runs again.
    Nothing where :func:`starting` did not turn it off (a library caller's own setting stays)."""
    if _STARTING[0]:
        _STARTING[0] = False
        gc.freeze()
        gc.enable()


class _SetAside:
    """:func:`set_aside`'s block (a class: entered once per run)."""

    __slots__ = ("frozen",)

    def __enter__(self) -> None:
        # only where nothing is frozen yet: a caller's own frozen objects stay as the caller froze them
        self.frozen = gc.isenabled() and gc.get_freeze_count() == 0
        if self.frozen:
            gc.freeze()

    def __exit__(self, *exc: object) -> None:
        if self.frozen:
            self.frozen = False
            gc.unfreeze()


def set_aside() -> _SetAside:
    """A block during which the objects that existed when it began are left out of the collector's
    walks (``gc.freeze``), and given back to it (``gc.unfreeze``) when it ends: for work inside
    somebody else's process (the Alembic hook's run of the migrations) that makes many objects of
    its own while the program's, made before, live on. Nothing where the collector is off or the
    process has frozen objects already (the caller's setting stays)."""
    return _SetAside()
