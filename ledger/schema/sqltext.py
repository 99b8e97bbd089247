"""SQL text and DDL types in a canonical form, so that what a server stores can be compared with
what was declared.

Servers rewrite the SQL they keep: PostgreSQL adds casts and parentheses (``(price >=
(0)::numeric)``), turns ``IN (...)`` into ``= ANY (ARRAY[...])`` (``IN (v)`` into ``= v``),
``BETWEEN`` into two comparisons, ``(a, b)`` into ``ROW(a, b)`` and ``LIKE`` into ``~~``; MariaDB quotes names with backticks and lowercases
keywords; everyone quotes mixed-case names. :func:`canonical_sql` undoes these rewrites in a
way that keeps the meaning: a parenthesis goes only where operator precedence makes it
redundant, so ``(a OR b) AND c`` and ``a OR (b AND c)`` stay different.

The canonical form lowercases keywords and names (quoted or not), strips ``::type`` casts (and
``CAST(x AS type)``, which PostgreSQL stores as ``(x)::type``),
turns numeric string literals into numbers (``'5'`` and ``5.0`` are both ``5``) and spaces
tokens one way. It is lenient in those ways on purpose and on both sides alike: names that
differ only in case, and a string ``'007'`` against a number ``7``, compare equal.

:func:`canonical_type` compiles a column type for a database and spells it the way the server
reports it back (``FLOAT`` is ``DOUBLE PRECISION`` on PostgreSQL, ``BOOL`` is ``TINYINT(1)``
on MySQL, ...): the rules are the database objects' (``Database.canonical_type``);
:mod:`ledger.schema.comparison` lists these facts. The readers of SQLite's stored ``CREATE``
statements are SQLite's, in :mod:`ledger.dialects.sqlite_sql`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Union

from sqlalchemy.types import TypeEngine

from ops.classes import Value

from ledger import dialects
from ledger.dialects.sqltokens import TOKEN as _TOKEN
from ledger.support.lazyre import lazy

__all__ = [
    "canonical_default",
    "canonical_sql",
    "canonical_type",
]

class Tok(Value):
    kind: str  # "str" | "qid" | "num" | "word" | "op" | "," (punctuation is kind == text)
    text: str

    __slots__ = ("kind", "text")

    def __init__(self, kind: str, text: str) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "text", text)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Tok:
            return NotImplemented
        return self.kind == other.kind and self.text == other.text  # type: ignore[attr-defined, no-any-return]

    def __hash__(self) -> int:
        return hash((Tok, self.kind, self.text))


class Group(Value):
    open: str  # "(" or "["
    items: tuple[Node, ...]

    __slots__ = ("open", "items")

    def __init__(self, open: str, items: tuple[Node, ...]) -> None:  # noqa: A002 - the field's name
        object.__setattr__(self, "open", open)
        object.__setattr__(self, "items", items)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Group:
            return NotImplemented
        return self.open == other.open and self.items == other.items  # type: ignore[attr-defined, no-any-return]

    def __hash__(self) -> int:
        return hash((Group, self.open, self.items))


Node = Union[Tok, Group]

_CLOSE = {"(": ")", "[": "]"}

# Precedence, weakest first (PostgreSQL's order, which the others share for what matters here).
_OR, _AND, _NOT, _CMP, _OTHER, _ADD, _MUL, _UNARY, _ATOM = 1.0, 2.0, 3.0, 4.0, 4.5, 5.0, 6.0, 7.0, 100.0
_WORD_OPS = {
    "or": _OR, "xor": _OR, "and": _AND, "not": _NOT,
    "is": _CMP, "like": _CMP, "ilike": _CMP, "in": _CMP, "between": _CMP, "similar": _CMP,
    "regexp": _CMP, "rlike": _CMP, "glob": _CMP, "match": _CMP, "escape": _CMP, "isnull": _CMP,
    "notnull": _CMP, "distinct": _CMP, "from": _CMP, "to": _CMP,
    "div": _MUL, "mod": _MUL, "collate": _UNARY,
}
#: Words that end an expression or start another part of a statement: they bind nothing.
_BOUNDARY_WORDS = {"case", "when", "then", "else", "end", "asc", "desc", "nulls", "first", "last",
                   "where", "on", "as", "using", "include", "with"}
#: Words after which a parenthesis is part of the syntax, never a grouping.
_KEEP_AFTER = {"in", "any", "all", "some", "exists", "array", "values", "over", "filter", "within"}
_SYMBOL_OPS = {
    "=": _CMP, "<": _CMP, ">": _CMP, "<=": _CMP, ">=": _CMP, "<>": _CMP, "<=>": _CMP,
    "+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL, "%": _MUL, "^": _MUL + 0.5, ".": _ATOM,
}
_OP_WORDS = {"~~": ("like",), "~~*": ("ilike",), "!~~": ("not", "like"), "!~~*": ("not", "ilike")}
_CAST_CONTINUATIONS = {"varying", "precision"}
_NUMBER = lazy(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_SIMPLE_NAME = lazy(r"[^\W\d]\w*")


def _tokens(text: str) -> list[Tok]:
    out: list[Tok] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "op"
        value = match.group()
        if kind == "ws":
            continue
        if kind == "word":
            out.append(Tok("word", value.lower()))
        elif kind == "qid":
            quote = value[0]
            out.append(Tok("qid", value[1:-1].replace(quote * 2, quote).lower()))
        elif kind == "op" and value in "()[],":
            out.append(Tok(value, value))
        elif kind == "op" and value in _OP_WORDS:
            out.extend(Tok("word", w) for w in _OP_WORDS[value])
        elif kind == "op":
            out.append(Tok("op", {"!=": "<>", "==": "="}.get(value, value)))
        else:
            out.append(Tok(kind, value))
    return out


def _strip_casts(tokens: list[Tok]) -> list[Tok]:
    """Drop ``::type`` casts: ``'x'::character varying``, ``0::numeric(10,2)``, ``x::text[]``."""
    out: list[Tok] = []
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i] != Tok("op", "::"):
            out.append(tokens[i])
            i += 1
            continue
        i += 1
        if i < n and tokens[i].kind in ("word", "qid"):
            i += 1
            while i + 1 < n and tokens[i] == Tok("op", ".") and tokens[i + 1].kind in ("word", "qid"):
                i += 2
            while i < n and tokens[i].kind == "word" and tokens[i].text in _CAST_CONTINUATIONS:
                i += 1
            if (i + 2 < n and tokens[i].kind == "word" and tokens[i].text in ("with", "without")
                    and tokens[i + 1].text == "time" and tokens[i + 2].text == "zone"):
                i += 3
        if i < n and tokens[i].kind == "(":
            j = i + 1
            while j < n and tokens[j].kind in ("num", ","):
                j += 1
            if j < n and tokens[j].kind == ")":
                i = j + 1
        while i + 1 < n and tokens[i].kind == "[" and tokens[i + 1].kind == "]":
            i += 2
    return out


def _tree(tokens: list[Tok]) -> tuple[Node, ...]:
    stack: list[list[Node]] = [[]]
    opens: list[str] = []
    for tok in tokens:
        if tok.kind in ("(", "["):
            stack.append([])
            opens.append(tok.kind)
        elif tok.kind in (")", "]") and opens:
            items = stack.pop()
            stack[-1].append(Group(opens.pop(), tuple(items)))
        else:
            stack[-1].append(tok)
    while opens:  # unbalanced text: close what is open, so that nothing is lost
        items = stack.pop()
        stack[-1].append(Group(opens.pop(), tuple(items)))
    return tuple(stack[0])


# -- rewrites ----------------------------------------------------------------------------------


def _is_word(node: Node | None, *words: str) -> bool:
    return isinstance(node, Tok) and node.kind == "word" and node.text in words


def _is_operand(node: Node | None) -> bool:
    """True for a name, literal or group: something a following parenthesis would apply to."""
    if isinstance(node, Group):
        return True
    if node is None or node.kind not in ("word", "qid", "str", "num"):
        return False
    return not (node.kind == "word" and (node.text in _WORD_OPS or node.text in _BOUNDARY_WORDS))


def _array_items(group: Group) -> tuple[Node, ...] | None:
    """The elements of ``(ARRAY[...])`` or ``('{a,b}')``, as an IN list."""
    items = group.items
    if len(items) == 2 and _is_word(items[0], "array") and isinstance(items[1], Group) and items[1].open == "[":
        return items[1].items
    if len(items) == 1 and isinstance(items[0], Tok) and items[0].kind == "str" and items[0].text.startswith("'{"):
        inner = items[0].text[2:-2]
        values: list[Node] = []
        for part in inner.split(","):
            if values:
                values.append(Tok(",", ","))
            values.append(Tok("str", "'" + part.strip().strip('"').replace("'", "''") + "'"))
        return tuple(values)
    return None


def _operand_start(items: Sequence[Node], end: int) -> int:
    """Where the operand that ends at ``items[end]`` starts: a call, a qualified name, a group."""
    start = end
    before = items[start - 1] if start > 0 else None
    if isinstance(items[start], Group) and _is_operand(before) and not isinstance(before, Group):
        start -= 1
    while start >= 2 and items[start - 1] == Tok("op", ".") and _is_operand(items[start - 2]):
        start -= 2
    return start


def _operand_end(items: Sequence[Node], start: int) -> int:
    """Where the operand that starts at ``items[start]`` ends (inclusive)."""
    end = start
    if isinstance(items[end], Tok) and items[end].kind == "op" and items[end].text in "+-" and end + 1 < len(items):
        end += 1
    while end + 2 < len(items) and items[end + 1] == Tok("op", ".") and _is_operand(items[end + 2]):
        end += 2
    if end + 1 < len(items) and isinstance(items[end + 1], Group) and items[end + 1].open == "(" \
            and isinstance(items[end], Tok) and _is_operand(items[end]):
        end += 1
    return end


def _rewrite(items: tuple[Node, ...]) -> tuple[Node, ...]:
    """``x = ANY (ARRAY[...])`` -> ``x IN (...)``; ``x IN (v)`` -> ``x = v``; ``x BETWEEN a AND b`` ->
    ``(x >= a AND x <= b)``; ``CAST(x AS t)`` -> ``(x)``, as the ``(x)::t`` PostgreSQL stores for it
    reads without its cast."""
    nodes: list[Node] = [Group(n.open, _rewrite(n.items)) if isinstance(n, Group) else n for n in items]
    i = 0
    while i < len(nodes):
        node = nodes[i]
        if (_is_word(node, "cast") and i + 1 < len(nodes) and isinstance(nodes[i + 1], Group)
                and nodes[i + 1].open == "(" and any(_is_word(n, "as") for n in nodes[i + 1].items)):  # type: ignore[union-attr]
            inner = nodes[i + 1].items  # type: ignore[union-attr]
            nodes[i:i + 2] = [Group("(", inner[:next(k for k, n in enumerate(inner) if _is_word(n, "as"))])]
        elif (isinstance(node, Tok) and node.kind == "op" and node.text in ("=", "<>") and i + 2 < len(nodes)
                and _is_word(nodes[i + 1], "any" if node.text == "=" else "all")
                and isinstance(nodes[i + 2], Group)):
            values = _array_items(nodes[i + 2])  # type: ignore[arg-type]
            if values is not None:
                replacement: list[Node] = [Tok("word", "in"), Group("(", values)]
                if node.text == "<>":
                    replacement.insert(0, Tok("word", "not"))
                nodes[i:i + 3] = replacement
        elif (_is_word(node, "in") and i + 1 < len(nodes) and isinstance(nodes[i + 1], Group)
              and nodes[i + 1].open == "(" and len(nodes[i + 1].items) == 1  # type: ignore[union-attr]
              and isinstance(nodes[i + 1].items[0], Tok) and _is_operand(nodes[i + 1].items[0])):  # type: ignore[union-attr]
            # ``x IN (v)`` is ``x = v`` (PostgreSQL stores it so), ``x NOT IN (v)`` is ``x <> v``
            negated = i > 0 and _is_word(nodes[i - 1], "not")
            start = i - 1 if negated else i
            nodes[start:i + 2] = [Tok("op", "<>" if negated else "="), nodes[i + 1].items[0]]  # type: ignore[union-attr]
            i = start
        elif _is_word(node, "between") and i > 0:
            negated = _is_word(nodes[i - 1], "not")
            left_end = i - 2 if negated else i - 1
            if left_end >= 0 and i + 1 < len(nodes):
                low_end = _operand_end(nodes, i + 1)
                if low_end + 2 < len(nodes) and _is_word(nodes[low_end + 1], "and"):
                    high_end = _operand_end(nodes, low_end + 2)
                    left_start = _operand_start(nodes, left_end)
                    x = nodes[left_start:left_end + 1]
                    low = nodes[i + 1:low_end + 1]
                    high = nodes[low_end + 2:high_end + 1]
                    if negated:
                        body = [*x, Tok("op", "<"), *low, Tok("word", "or"), *x, Tok("op", ">"), *high]
                    else:
                        body = [*x, Tok("op", ">="), *low, Tok("word", "and"), *x, Tok("op", "<="), *high]
                    nodes[left_start:high_end + 1] = [Group("(", tuple(body))]
                    i = left_start
        elif (_is_word(node, "row") and i + 1 < len(nodes) and isinstance(nodes[i + 1], Group)
              and nodes[i + 1].open == "(" and Tok(",", ",") in nodes[i + 1].items):  # type: ignore[union-attr]
            # ``(a, b)`` is a row of two values, which PostgreSQL stores as ``ROW(a, b)``
            del nodes[i]
            continue
        i += 1
    return tuple(nodes)


def _numbers(items: tuple[Node, ...]) -> tuple[Node, ...]:
    """Numbers in one spelling; a unary minus joins its number; numeric strings become numbers."""
    out: list[Node] = []
    for node in items:
        if isinstance(node, Group):
            out.append(Group(node.open, _numbers(node.items)))
            continue
        if node.kind == "str" and _NUMBER.fullmatch(node.text[1:-1].strip()):
            node = Tok("num", node.text[1:-1].strip())
        if node.kind == "num":
            node = Tok("num", _number(node.text))
            prev = out[-1] if out else None
            before = out[-2] if len(out) > 1 else None
            if (isinstance(prev, Tok) and prev.kind == "op" and prev.text in "+-"
                    and not _is_operand(before)):
                out.pop()
                node = Tok("num", _number(prev.text + node.text))
        out.append(node)
    return tuple(out)


def _number(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


# -- parentheses ---------------------------------------------------------------------------------


def _binary_prec(node: Node | None, before: Node | None) -> float:
    """The precedence of ``node`` as an operator next to a group; 0 for a boundary."""
    if node is None or isinstance(node, Group):
        return 0.0
    if node.kind == ",":
        return 0.0
    if node.kind == "op":
        return _SYMBOL_OPS.get(node.text, _OTHER)
    if node.kind == "word":
        if node.text in _BOUNDARY_WORDS:
            return 0.0
        if node.text == "not" and _is_word(before, "is"):
            return _CMP
        return _WORD_OPS.get(node.text, _ATOM)
    return _ATOM


def _weakest(items: Sequence[Node]) -> float:
    """The weakest operator at the top level of ``items`` (_ATOM for a single operand)."""
    weakest = _ATOM
    prev: Node | None = None
    for index, node in enumerate(items):
        if isinstance(node, Tok):
            if node.kind == "," or (node.kind == "word" and node.text in _BOUNDARY_WORDS):
                return 0.0
            if node.kind == "op":
                unary = node.text in "+-" and not _is_operand(prev)
                weakest = min(weakest, _UNARY if unary else _SYMBOL_OPS.get(node.text, _OTHER))
            elif node.kind == "word" and node.text in _WORD_OPS:
                if node.text == "not" and (_is_operand(prev) or _is_word(prev, "is")):
                    weakest = min(weakest, _CMP)  # x NOT LIKE y, x IS NOT NULL
                else:
                    weakest = min(weakest, _WORD_OPS[node.text])
        prev = node
    return weakest


def _unwrap(items: tuple[Node, ...]) -> tuple[Node, ...]:
    nodes: list[Node] = [Group(n.open, _unwrap(n.items)) if isinstance(n, Group) else n for n in items]
    changed = True
    while changed:
        changed = False
        for i, node in enumerate(nodes):
            if not isinstance(node, Group) or node.open != "(" or not node.items:
                continue
            prev = nodes[i - 1] if i > 0 else None
            if _is_operand(prev) or _is_word(prev, *_KEEP_AFTER):
                continue  # a call's arguments, an IN list
            inner = _weakest(node.items)
            if inner == 0.0:
                continue
            left = _binary_prec(prev, nodes[i - 2] if i > 1 else None)
            right = _binary_prec(nodes[i + 1] if i + 1 < len(nodes) else None, node)
            if _redundant(inner, left) and _redundant(inner, right):
                nodes[i:i + 1] = list(node.items)
                changed = True
                break
    return tuple(nodes)


def _redundant(inner: float, outer: float) -> bool:
    # AND and OR are associative (a AND (b AND c) is a AND b AND c), and NOT (NOT a) is NOT NOT a.
    return inner > outer or (inner == outer and outer in (_AND, _OR, _NOT))


# -- text out --------------------------------------------------------------------------------------


def _render(items: Sequence[Node]) -> str:
    parts: list[str] = []
    prev: Node | None = None
    for node in items:
        text = (node.open + _render(node.items) + _CLOSE[node.open]) if isinstance(node, Group) else _tok_text(node)
        if prev is None or (isinstance(node, Tok) and node.kind == ","):
            sep = ""
        elif Tok("op", ".") in (node, prev):
            sep = ""
        elif isinstance(node, Group) and (node.open == "[" or (_is_operand(prev) and not isinstance(prev, Group))):
            sep = ""
        else:
            sep = " "
        parts.append(sep + text)
        prev = node
    return "".join(parts)


def _tok_text(tok: Tok) -> str:
    if tok.kind == "qid":
        name = tok.text
        if _SIMPLE_NAME.fullmatch(name) and name not in _WORD_OPS and name not in _BOUNDARY_WORDS \
                and name not in _KEEP_AFTER:
            return name
        return '"' + name.replace('"', '""') + '"'
    return tok.text


# -- public --------------------------------------------------------------------------------------


def _canonical_tree(text: str) -> tuple[Node, ...]:
    nodes = _tree(_strip_casts(_tokens(text)))
    nodes = _numbers(_rewrite(nodes))
    previous = None
    while nodes != previous:  # a rewrite can expose parentheses that become redundant, and back
        previous = nodes
        nodes = _unwrap(_rewrite(nodes))
    return nodes


@functools.lru_cache(maxsize=8192)  # a pure function of its text, met again and again
def canonical_sql(text: str, *, dialect: str | None = None) -> str:
    """``text`` (a condition or an expression) in canonical form; see the module docstring.

    With a ``dialect`` whose ``booleans_are_numbers`` (MySQL), TRUE and FALSE are 1 and 0, and a
    name compared with 0 where a condition is expected is the name alone: MySQL stores
    ``CHECK (a OR flag)`` as ``a or flag <> 0``, which means the same there.
    """
    nodes = _canonical_tree(text)
    if dialect is not None and dialects.database(dialect).booleans_are_numbers:
        nodes = _truthy(_booleans_as_numbers(nodes))
    return _render(nodes)


def _booleans_as_numbers(items: tuple[Node, ...]) -> tuple[Node, ...]:
    """MySQL's TRUE and FALSE are 1 and 0, and it stores them so."""
    out: list[Node] = []
    for node in items:
        if isinstance(node, Group):
            out.append(Group(node.open, _booleans_as_numbers(node.items)))
        elif _is_word(node, "true", "false"):
            out.append(Tok("num", "1" if node.text == "true" else "0"))  # type: ignore[union-attr]
        else:
            out.append(node)
    return tuple(out)


def _truthy(items: tuple[Node, ...]) -> tuple[Node, ...]:
    """In a condition, ``x <> 0`` -> ``x`` for a plain name ``x`` (MySQL's truth of a value)."""
    out: list[Node] = []
    segment: list[Node] = []

    def flush() -> None:
        body = segment
        lead: list[Node] = []
        while body and _is_word(body[0], "not"):
            lead.append(body[0])
            body = body[1:]
        if len(body) == 3 and isinstance(body[0], Tok) and body[0].kind in ("word", "qid") \
                and _is_operand(body[0]) and body[1] == Tok("op", "<>") and body[2] == Tok("num", "0"):
            body = body[:1]
        elif len(body) == 1 and isinstance(body[0], Group) and body[0].open == "(":
            body = [Group("(", _truthy(body[0].items))]
        out.extend(lead + list(body))
        segment.clear()

    for node in items:
        if _is_word(node, "and", "or", "xor"):
            flush()
            out.append(node)
        else:
            segment.append(node)
    flush()
    return tuple(out)


#: Zero-argument functions that servers spell with or without parentheses, or by another name.
_NILADIC = {"current_timestamp", "current_date", "current_time", "localtime", "localtimestamp",
            "current_user", "session_user", "user"}
_SYNONYMS = {"now": "current_timestamp", "transaction_timestamp": "current_timestamp"}


@functools.lru_cache(maxsize=8192)  # a pure function of its text, met again and again
def canonical_default(text: str, *, booleans_as_numbers: bool = False) -> str | None:
    """A server default's SQL in canonical form; None for ``NULL`` (which is no default).

    ``now()``, ``CURRENT_TIMESTAMP`` and ``current_timestamp()`` are one default. With
    ``booleans_as_numbers`` (MySQL, which stores BOOL as TINYINT), ``true``/``false`` are 1/0.
    """
    tree = _canonical_tree(text)
    nodes = list(_booleans_as_numbers(tree) if booleans_as_numbers else tree)
    out: list[Node] = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        nxt = nodes[i + 1] if i + 1 < len(nodes) else None
        if isinstance(node, Tok) and node.kind == "word":
            name = _SYNONYMS.get(node.text, node.text)
            if name in _NILADIC and (name != node.text or isinstance(nxt, Group)):
                out.append(Tok("word", name))
                i += 2 if isinstance(nxt, Group) and not nxt.items else 1
                continue
        out.append(node)
        i += 1
    rendered = _render(out)
    return None if rendered in ("", "null") else rendered


def canonical_type(type_: TypeEngine[Any], dialect: str) -> str | None:
    """The DDL type ``type_`` compiles to on ``dialect``, spelled as the server reports it back;
    None if the database cannot render it (see ``Database.canonical_type``)."""
    return dialects.database(dialect).canonical_type(type_)
