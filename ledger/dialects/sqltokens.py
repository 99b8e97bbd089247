"""SQL split into tokens the way the three databases write it (strings, quoted names, numbers,
words, operators), and the statement pieces every reader of stored SQL needs: a name's quotes
taken off, the top-level parts of a parenthesis."""

from __future__ import annotations

import re
from ledger.support.lazyre import lazy

__all__ = ["TOKEN", "raw_tokens", "split_definitions", "unquote_identifier"]

#: one token per match; the group's name is its kind (``ws``, ``str``, ``qid``, ``num``, ``word``, ``op``)
TOKEN = lazy(
    r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^']|'')*')
  | (?P<qid>"(?:[^"]|"")*"|`(?:[^`]|``)*`)
  | (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d][\w$]*|\$\w+)
  | (?P<op>::|->>|->|\#>>|\#>|<=>|<=|>=|<>|!=|==|\|\||!~~\*|!~~|~~\*|~~|!~\*|!~|~\*|@>|<@|&&|<<|>>|.)
    """,
    re.VERBOSE | re.DOTALL,
)



def raw_tokens(text: str) -> list[re.Match[str]]:
    return [m for m in TOKEN.finditer(text) if m.lastgroup != "ws"]


def unquote_identifier(text: str) -> str:
    """A name as written in SQL (``"a""b"``, ```a`` ``, ``[a]`` or bare) -> the name."""
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"`'":
        return text[1:-1].replace(text[0] * 2, text[0])
    if len(text) > 1 and text[0] == "[" and text[-1] == "]":
        return text[1:-1]
    return text


def split_definitions(sql: str) -> list[str] | None:
    """The top-level, comma-separated parts of the first parenthesis of ``sql``, as written.

    For ``CREATE TABLE t (a INT, CONSTRAINT u UNIQUE (a))``: ``["a INT", "CONSTRAINT u UNIQUE (a)"]``.
    """
    depth = 0
    start: int | None = None
    parts: list[str] = []
    for match in raw_tokens(sql):
        value = match.group()
        if match.lastgroup != "op":
            continue
        if value in ("(", "["):
            depth += 1
            if depth == 1 and start is None:
                start = match.end()
        elif value in (")", "]"):
            depth -= 1
            if depth == 0 and start is not None:
                parts.append(sql[start:match.start()].strip())
                return [p for p in parts if p]
        elif value == "," and depth == 1 and start is not None:
            parts.append(sql[start:match.start()].strip())
            start = match.end()
    return None
