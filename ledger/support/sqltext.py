"""Where a SQL statement's own words begin: after the white space and comments that lead it."""

from __future__ import annotations

import re

from ledger.support.lazyre import lazy

#: white space, a ``--`` comment to its line's end, a ``/* */`` comment
_LEADING_SPACE = lazy(r"\s+|--[^\n]*\n?|/\*.*?\*/", re.S)


def skip_leading(statement: str) -> int:
    """The position of ``statement``'s first word: past its leading white space and comments."""
    position = 0
    while True:
        match = _LEADING_SPACE.match(statement, position)
        if match is None or match.end() == position:
            return position
        position = match.end()
