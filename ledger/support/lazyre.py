"""Regular expressions compiled on their first use.

Compiling a pattern runs Python's ``re`` parser and compiler; the hook's and the dialects'
module-level patterns cost tens of milliseconds at import, mostly for statements a run never
meets. ``lazy(pattern, flags)`` stands in for ``re.compile(pattern, flags)`` at module level:
``.pattern`` and ``.flags`` are there at once, and the first use of anything else compiles it and
keeps the compiled object's methods, so later calls cost what the compiled pattern's do.

Compiling then skips Python's parser and compiler too, where it can: ``ledger/support/recode.py``
holds the compiled code of every lazy pattern of the ledger's modules (written by
:func:`recode_text`; ``tests/test_lazyre.py`` checks it is what that writes), which the
interpreter's regular expression engine takes as it is (``_sre.compile``, what ``re.compile``
ends with), under the interpreter and engine version it was written for. A pattern it does not
hold, or another version, is compiled by ``re.compile`` as before.
"""

from __future__ import annotations

import re
import sys
from typing import Any

try:
    import _sre
except ImportError:  # pragma: no cover - an interpreter without CPython's engine
    _sre = None  # type: ignore[assignment]

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer",
            "groups", "groupindex", "scanner")


class LazyPattern:
    """A pattern that compiles on its first use (see the module's docstring)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._key = (pattern, int(flags))  # as made: ``flags`` becomes the compiled pattern's
        _MADE.append(self)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = _written(*self._key) or re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.flags = compiled.flags
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags!r})"


#: every lazy pattern made (what :func:`recode_text` writes out)
_MADE: list[LazyPattern] = []
#: (pattern, flags) -> what ``_sre.compile`` takes beside the pattern; None until first needed
_CODES: dict[tuple[str, int], tuple[Any, ...]] | None = None


def _written(pattern: str, flags: int) -> re.Pattern[str] | None:
    """``re.compile(pattern, flags)`` from the code ``ledger/support/recode.py`` holds for it (None: it holds none)."""
    global _CODES
    if _CODES is None:
        try:
            from ledger.support import recode
        except ImportError:  # pragma: no cover - not written
            _CODES = {}
        else:
            _CODES = recode.CODES if _sre is not None and recode.ENGINE == _engine() else {}
    found = _CODES.get((pattern, flags))
    if found is None:
        return None
    final_flags, code, groups, groupindex, indexgroup = found
    return _sre.compile(pattern, final_flags, list(code), groups, dict(groupindex), indexgroup)  # type: ignore[no-any-return]


def _engine() -> tuple[int, ...]:
    """The interpreter's version and its regular expression engine's: the code is theirs."""
    return (*sys.version_info[:2], _sre.MAGIC if _sre is not None else 0)


def compiled_code(pattern: str, flags: int) -> tuple[Any, ...]:
    """What ``re.compile(pattern, flags)`` hands ``_sre.compile`` beside the pattern: its flags,
    code, group count, group index and index group (as ``re._compiler.compile`` works them out)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, tuple(int(c) for c in code), parsed.state.groups - 1,
            tuple(sorted(parsed.state.groupdict.items(), key=lambda item: item[1])), tuple(indexgroup))


def recode_text(patterns: Any) -> str:
    """The text of ``ledger/support/recode.py`` for ``patterns`` (lazy patterns: ``_MADE`` once
    every module of the ledger is imported; tests/test_lazyre.py compares)."""
    keys = sorted({p._key for p in patterns})
    lines = ['"""The compiled code of the lazy patterns of the ledger\'s modules (``ledger.support.lazyre``), for',
             'the interpreter and engine version ``ENGINE``: taken by ``_sre.compile`` as it is, without',
             'Python\'s parser and compiler."""', "",
             "# Written by ledger.support.lazyre.recode_text; tests/test_lazyre.py checks it is what that writes.", "",
             f"ENGINE = {_engine()!r}", "",
             "#: (pattern, flags) -> (flags, code, groups, group index, index group)", "CODES = {"]
    lines += [f"    {key!r}: {compiled_code(*key)!r}," for key in keys]
    return "\n".join([*lines, "}", ""])


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
