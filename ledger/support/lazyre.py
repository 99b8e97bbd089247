"""Regular expressions compiled on their first use.

Compiling a pattern runs Python's ``re`` parser and compiler; the hook's and the dialects'
module-level patterns cost tens of milliseconds at import, mostly for statements a run never
meets. ``lazy(pattern, flags)`` stands in for ``re.compile(pattern, flags)`` at module level:
``.pattern`` and ``.flags`` are there at once, and the first use of anything else compiles it and
keeps the compiled object's methods, so later calls cost what the compiled pattern's do.
"""

from __future__ import annotations

import re
from typing import Any

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer",
            "groups", "groupindex", "scanner")


class LazyPattern:
    """A pattern that compiles on its first use (see the module's docstring)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.flags = compiled.flags
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when it is first used."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]


#: the letters ``re.I`` matches to an ASCII letter that ``str.lower`` does not give as that letter:
#: the dotless i, the long s, the capital I with a dot (lowered to an i and a combining dot)
_ASCII_ALIKE = str.maketrans({"\u0131": "i", "\u017f": "s", "\u0130": "i"})


def mentions(text: str, *words: str) -> bool:
    """Whether any of ``words`` (lower-case ASCII) is in ``text`` as ``re.I`` would match it: when none
    is, a pattern that spells one of them out cannot match ``text`` and need be neither tried nor
    compiled."""
    lowered = text.translate(_ASCII_ALIKE).lower()
    return any(word in lowered for word in words)
