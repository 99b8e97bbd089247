"""Pausing Python's cyclic garbage collector around work that builds many acyclic objects.

Reflecting and normalizing a schema of 1,000 tables allocates hundreds of thousands of small
containers (specs, tuples, the inspector's dicts), none of them in a reference cycle. Each
700 allocations start a young collection, and every tenth of those may walk the whole heap:
on a 1,000-table ``verify --live`` the collector took as much CPU time as the work itself.
Paused for the call, it resumes afterwards and meets whatever of it is still there.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["collection_paused"]

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
