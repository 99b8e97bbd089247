"""How the databases spell a column type back: the pieces each database's rules are made of
(``Database.canonical_type`` in each database's module)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ledger.support.lazyre import lazy

__all__ = ["float_by_precision", "rules", "size_tier", "spaced"]


def spaced(text: str) -> str:
    """Upper case and single spaces outside quotes; no spaces around commas and parentheses."""
    parts = re.split(r"('(?:[^']|'')*')", text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
            continue
        part = re.sub(r"\s+", " ", part.upper())
        part = re.sub(r"\s*,\s*", ",", part)
        part = re.sub(r"\s*\(\s*", "(", part)
        part = re.sub(r"\s+\)", ")", part)
        out.append(part)
    return "".join(out).strip()


def rules(*rules: tuple[str, str | Callable[[re.Match[str]], str]]) -> Callable[[str], str]:
    """A function that applies the (pattern, replacement) ``rules`` in order (each pattern compiled
    when it is first used: a database object is loaded by every command, its type spellings are read by few)."""
    compiled = [(lazy(p), r) for p, r in rules]

    def apply(text: str) -> str:
        for pattern, replacement in compiled:
            text = pattern.sub(replacement, text)  # type: ignore[arg-type]
        return text

    return apply


def float_by_precision(m: re.Match[str], low: str, high: str) -> str:
    """``low`` for a FLOAT whose precision (group 1) is at most 24 bits, else ``high``."""
    precision = m.group(1)
    return low if precision is not None and int(precision) <= 24 else high


def size_tier(kind: str, size: int) -> str:
    """MySQL's TINY/-/MEDIUM/LONG ``kind`` (TEXT, BLOB) that holds ``size`` bytes."""
    for prefix, limit in (("TINY", 2**8), ("", 2**16), ("MEDIUM", 2**24)):
        if size < limit:
            return prefix + kind
    return "LONG" + kind
