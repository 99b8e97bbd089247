"""Where an operation came from (``file:line``): the line read from the code when first asked for
is the line the frame's ``f_lineno`` gave when the operation ran."""

from __future__ import annotations

import sys
import textwrap
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.integrations.alembic.base import Origin, Origins
from tests.examples import examples


def _probe(found: list[tuple[Origin, str]]) -> None:
    frame = sys._getframe(1)
    found.append((Origin("revision.py", frame.f_code, frame.f_lasti), f"revision.py:{frame.f_lineno}"))


@settings(max_examples=examples(50), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["call", "loop", "nested", "if"])), min_size=1, max_size=25))
def test_the_line_read_later_is_the_frame_s_line_at_the_call(lines: list[tuple[int, str]]) -> None:
    body = []
    for blank, shape in lines:
        body += [""] * blank
        if shape == "call":
            body.append("probe(found)")
        elif shape == "loop":
            body += ["for _ in range(2):", "    x = [1,", "         2]", "    probe(found)"]
        elif shape == "nested":
            body.append("len(str(probe(found)))")
        else:
            body += ["if found is not None:", "    probe(", "        found)", "else:", "    pass"]
    source = "def upgrade(found, probe):\n" + textwrap.indent("\n".join(body), "    ") + "\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "revision.py", "exec"), namespace)
    found: list[tuple[Origin, str]] = []
    namespace["upgrade"](found, _probe)
    assert found
    for origin, expected in found:
        assert str(origin) == expected and f"{origin}" == expected and origin == expected
    held = Origins({seq: origin for seq, (origin, _expected) in enumerate(found)})
    assert [held.get(seq) for seq in range(len(found))] == [expected for _origin, expected in found]
    assert held.get(len(found)) is None and held[0] == found[0][1]
