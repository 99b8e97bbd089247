"""The hook tries (and compiles) an ``ALTER TABLE`` pattern only for a statement holding one of the
pattern's words (:func:`ledger.support.lazyre.mentions`): what it finds is what the pattern alone finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.integrations import alembic_readparts, alembic_sql
from ledger.integrations.alembic_sql import _skip_leading, changes_only_held, renamed_table
from ledger.integrations.alembic_readparts import read_parts, renamed_column
from ledger.support.lazyre import mentions
from tests.examples import examples

#: each gated pattern and the words its gate looks for
_GATES = [
    (alembic_sql._CHARSET_ONLY, ("charset", "character", "collate")),
    (alembic_sql._RENAME_TABLE, ("rename",)),
    (alembic_readparts._RENAME_COLUMN, ("rename",)),
    (alembic_readparts._ALTER_TYPE, ("type",)),
]


def _any_case(word: str) -> st.SearchStrategy[str]:
    # re.I's own equivalents too: the dotless i, the long s, the Kelvin sign
    odd = {"i": "ıİ", "s": "ſ", "k": "\u212a"}
    return st.tuples(*[st.sampled_from(sorted({c.lower(), c.upper(), *odd.get(c.lower(), c)})) for c in word]).map("".join)


_NAMES = st.sampled_from(['t', '"My ""T"""', "`b``q`", "[sq b]", "s.t", '"s" . "t"', "ſchema.tab", "K", "c1"])
_WORDS = st.sampled_from(["ALTER", "TABLE", "IF", "EXISTS", "ONLY", "RENAME", "TO", "COLUMN", "TYPE", "SET", "DATA",
                          "CHARSET", "CHARACTER", "COLLATE", "CONVERT", "DEFAULT", "utf8mb4", "=", ",", ";",
                          "ADD", "DROP", "CONSTRAINT", "USING", "integer", "(", ")", "x::int"])
_TOKENS = st.one_of(_NAMES, _WORDS.flatmap(_any_case))
_SPACES = st.sampled_from([" ", "  ", "\n", "\t", " /* c */ "])


def _spelled(*parts: str) -> st.SearchStrategy[str]:
    """Words in any case (``{n}``: a name), joined by any space."""
    pieces = [_NAMES if part == "{n}" else _any_case(part) for part in parts]
    return st.tuples(*[st.tuples(_SPACES, piece) for piece in pieces]).map(lambda t: "".join(a + b for a, b in t))


_TAILS = st.one_of(
    _spelled("RENAME", "TO", "{n}"), _spelled("RENAME", "{n}", "TO", "{n}"), _spelled("RENAME", "COLUMN", "{n}", "TO", "{n}"),
    _spelled("ALTER", "COLUMN", "{n}", "TYPE", "bigint"), _spelled("ALTER", "{n}", "SET", "DATA", "TYPE", "text"),
    _spelled("CONVERT", "TO", "CHARACTER", "SET", "utf8mb4"), _spelled("CHARSET", "=", "latin1"),
    _spelled("DEFAULT", "CHARSET", "utf8mb4", "COLLATE", "utf8mb4_bin"), _spelled("COLLATE", "utf8mb4_bin"),
    _spelled("ADD", "COLUMN", "{n}", "integer"), _spelled("DROP", "CONSTRAINT", "{n}"))
_STATEMENTS = st.tuples(
    st.sampled_from(["", " ", "-- c\n", "/* c */"]), _spelled("ALTER", "TABLE"),
    st.sampled_from([(), ("IF", "EXISTS"), ("ONLY",)]).flatmap(lambda w: _spelled(*w)), _spelled("{n}"), _TAILS,
    st.lists(st.tuples(_SPACES, _TOKENS), max_size=3).map(lambda t: "".join(a + b for a, b in t)),
    st.sampled_from(["", ";", " ;"])).map("".join)


@settings(max_examples=examples(200))
@given(_STATEMENTS)
def test_a_gated_pattern_matches_only_what_mentions_its_words(statement: str) -> None:
    text = statement[_skip_leading(statement):]
    for pattern, words in _GATES:
        if pattern.match(text) is not None:
            assert mentions(statement, *words), (pattern.pattern[:40], statement)


@settings(max_examples=examples(200))
@given(_STATEMENTS)
def test_the_gated_functions_answer_as_their_patterns_alone(statement: str) -> None:
    text = statement[_skip_leading(statement):]
    held = alembic_sql.changed_parts(statement) is not None or alembic_sql._CHARSET_ONLY.match(text) is not None
    assert changes_only_held(statement) == (len(alembic_sql.statements_in(statement)) == 1 and held)
    assert (renamed_table(statement) is None) == (alembic_sql._RENAME_TABLE.match(text) is None)
    assert (renamed_column(statement) is None) == (alembic_readparts._RENAME_COLUMN.match(text) is None)
    assert read_parts(statement) == _read_parts_ungated(statement)


def _read_parts_ungated(statement: str) -> frozenset[str] | None:
    """:func:`read_parts` as it was written before its gate."""
    parts = alembic_sql.changed_parts(statement)
    if parts is not None or len(alembic_sql.statements_in(statement)) != 1 or alembic_sql.touched_tables(statement) is None:
        return parts
    match = alembic_readparts._ALTER_TYPE.match(statement[_skip_leading(statement):])
    if match is None:
        return None
    rest = alembic_sql._SKIP.sub(" ", match.group("rest"))
    while (shorter := alembic_sql._PARENTHESES.sub(" ", rest)) != rest:
        rest = shorter
    return None if re.search(r"[,()]|\bCASCADE\b", rest, re.I) else alembic_readparts.COLUMN_TYPE


_DROPS = st.tuples(
    st.sampled_from(["", " ", "-- c\n"]),
    _spelled("DROP"), st.sampled_from([("TYPE",), ("SEQUENCE",), ("DOMAIN",), ("TABLE",), ("INDEX",), ("VIEW",)]).flatmap(
        lambda w: _spelled(*w)), st.sampled_from([(), ("IF", "EXISTS")]).flatmap(lambda w: _spelled(*w)), _spelled("{n}"),
    st.lists(st.tuples(_SPACES, _TOKENS), max_size=2).map(lambda t: "".join(a + b for a, b in t))).map("".join)


@settings(max_examples=examples(200))
@given(_DROPS)
def test_a_drop_the_hook_reads_before_mentions_type_or_sequence(statement: str) -> None:
    # the hook parses a DROP (``schema_object``) only when it mentions either word (capture.py)
    found = alembic_sql.schema_object(statement)
    if found is not None and found[1].kind in ("TYPE", "SEQUENCE"):
        assert mentions(statement, "type", "sequence"), statement


def test_the_gates_find_the_statements_they_are_for() -> None:
    assert renamed_table('ALTER TABLE "s"."t" RENAME TO u') == ("s", "t", "u")
    assert renamed_column("alter table t rename column a to b;") == (None, "t", "a", "b")
    assert read_parts("ALTER TABLE t ALTER COLUMN c TYPE bigint") == alembic_readparts.COLUMN_TYPE
    assert changes_only_held("ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    assert changes_only_held("ALTER TABLE t COLLATE = utf8mb4_bin")
    assert not changes_only_held("ALTER TABLE t ADD COLUMN c int")
    assert renamed_table("ALTER TABLE t ADD COLUMN c int") is None
    assert changes_only_held("ALTER TABLE t ADD COLUMN c VARCHAR(20)") is False
    # re.I matches the long s to an s and the capital I with a dot to an i; str.lower does not
    assert changes_only_held("ALTER TABLE t CHARſET latin1") and changes_only_held("ALTER TABLE t CHARACTER ſET latin1")
    assert renamed_column("ALTER TABLE t RENAME COLUMN İd TO id") == (None, "t", "İd", "id")
    assert alembic_sql.schema_object("DROP ſEQUENCE s")[1].kind == "SEQUENCE" and mentions("DROP ſEQUENCE s", "sequence")
    assert mentions("Charſet", "charset") and mentions("İD", "id") and mentions("ıd", "id") and not mentions("VARCHAR", "charset")
