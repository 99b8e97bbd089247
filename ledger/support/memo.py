"""A bounded memo for pure functions of values, used where a schema repeats itself.

A schema of 1,000 tables holds a few distinct column types, defaults and columns many times
over; reflecting and comparing it worked each one out again (compiling a type, inspecting a
type's signature, parsing a default). The functions memoized here are pure functions of
frozen values, so an entry stays true; results that may change later (a type not registered
yet) are not kept, and arguments that cannot be hashed are worked out each time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["remembered"]

R = TypeVar("R")


def remembered(
    size: int,
    *,
    key: Callable[..., Hashable | None] | None = None,
    keep: Callable[[Any], bool] | None = None,
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Memoize a function of positional arguments, up to ``size`` entries (then start afresh).

    ``key(*args)`` gives the entry's key (default: the arguments); None means "do not keep".
    ``keep(result)`` says whether a result may be kept. Exceptions are never kept.
    """

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        memo: dict[Hashable, R] = {}

        @functools.wraps(fn)
        def wrapper(*args: Any) -> R:
            k = args if key is None else key(*args)
            if k is None:
                return fn(*args)
            try:
                return memo[k]
            except KeyError:
                pass
            except TypeError:  # an argument that cannot be hashed
                return fn(*args)
            value = fn(*args)
            if keep is None or keep(value):
                if len(memo) >= size:
                    memo.clear()
                memo[k] = value
            return value

        return wrapper

    return decorate
