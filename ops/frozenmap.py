"""FrozenMap: the read-only, hashable mapping the schema state is made of."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import immutables

__all__ = ["FrozenMap"]

_new = object.__new__


class FrozenMap(Mapping[Any, Any]):
    """A read-only, hashable mapping whose ``set`` and ``delete`` share structure with the original.

    Backed by a hash array mapped trie (``immutables.Map``), so a fold of N events over a schema
    of T tables costs O(N log T) instead of copying every table at every step.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[Any, Any] | Iterable[tuple[Any, Any]] = ()) -> None:
        self._data = data if isinstance(data, immutables.Map) else immutables.Map(data)

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: Any, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def pairs(self) -> Iterable[tuple[Any, Any]]:
        """(key, value) pairs, iterated by the map itself: ``items()`` without the Python-level view."""
        return self._data.items()  # type: ignore[no-any-return]

    def __hash__(self) -> int:
        return hash(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return bool(self._data == other._data)
        if isinstance(other, Mapping):
            return dict(self._data.items()) == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self._data.items())!r})"

    def set(self, key: Any, value: Any) -> FrozenMap:
        return frozen_map(self._data.set(key, value))

    def delete(self, key: Any) -> FrozenMap:
        return frozen_map(self._data.delete(key))

    def without(self, key: Any) -> FrozenMap:
        """This map without ``key`` (itself when ``key`` is not in it)."""
        return frozen_map(self._data.delete(key)) if key in self._data else self

    def update(self, changes: Mapping[Any, Any], removed: Iterable[Any] = ()) -> FrozenMap:
        with self._data.mutate() as draft:
            for key in removed:
                draft.pop(key, None)
            for key, value in changes.items():
                draft[key] = value
            return frozen_map(draft.finish())


def frozen_map(data: immutables.Map) -> FrozenMap:
    """A FrozenMap over ``data`` (its constructor's checks skipped: every change makes one)."""
    frozen = _new(FrozenMap)
    frozen._data = data
    return frozen
