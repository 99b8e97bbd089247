"""The realworld harness's output step: Alembic's lines with the hook against Alembic alone's,
where Alembic alone does not print some lines in one order from run to run."""

from __future__ import annotations

from collections.abc import Iterator

from realworld.harness import Ran, _order_of_alembic_alone, _revisions_in_other_order

ALONE = ["INFO  [alembic.runtime.migration] Context impl SQLiteImpl.",
         "INFO  [alembic.runtime.migration] Running upgrade  -> r1, one", "warning a", "warning b",
         "INFO  [alembic.runtime.migration] Running upgrade r1 -> r2, two", "warning c", "warning d"]


def _swapped(lines: list[str], i: int, j: int) -> list[str]:
    out = list(lines)
    out[i], out[j] = out[j], out[i]
    return out


def test_only_an_order_within_a_revision_is_an_order() -> None:
    assert _revisions_in_other_order(ALONE, ALONE) == []
    assert _revisions_in_other_order(ALONE, _swapped(ALONE, 2, 3)) == ["r1"]
    assert _revisions_in_other_order(ALONE, _swapped(ALONE, 2, 3)[:-1]) is None  # a line missing
    assert _revisions_in_other_order(ALONE, _swapped(ALONE, 3, 5)) is None  # a line in another revision
    assert _revisions_in_other_order(ALONE, ALONE + ["extra"]) is None


def test_the_items_of_a_logged_set_in_another_order_are_an_order() -> None:
    # a revision logs a list it built from a set (a table's foreign keys): the same words, in another order
    listed = ALONE[:2] + ["dropped: ['fk_a', 'fk_b', 'fk_c']"] + ALONE[4:]
    assert _revisions_in_other_order(listed, ALONE[:2] + ["dropped: ['fk_c', 'fk_a', 'fk_b']"] + ALONE[4:]) == ["r1"]
    assert _revisions_in_other_order(listed, ALONE[:2] + ["dropped: ['fk_c', 'fk_a']"] + ALONE[4:]) is None
    assert _revisions_in_other_order(listed, ALONE[:2] + ["dropped: ['fk_c', 'fk_a', 'fk_d']"] + ALONE[4:]) is None


def _runs(*outputs: list[str]) -> Iterator[Ran]:
    return iter(Ran(0, "", "\n".join(lines)) for lines in outputs)


def test_an_order_passes_only_where_alembic_alone_changes_it_too() -> None:
    # Alembic alone prints r1's lines the other way in its second run again: its own order
    runs = _runs(ALONE, _swapped(ALONE, 2, 3))
    assert _order_of_alembic_alone(lambda: next(runs), ALONE, ["r1"]) == (False, 2)
    # it prints r1's lines in one order in every run: an order the hook changed
    runs = _runs(ALONE, _swapped(ALONE, 5, 6), ALONE)
    assert _order_of_alembic_alone(lambda: next(runs), ALONE, ["r1"]) == (True, 3)
    # every revision the hooked run reordered must be one Alembic alone reorders
    runs = _runs(_swapped(ALONE, 2, 3), ALONE, ALONE)
    assert _order_of_alembic_alone(lambda: next(runs), ALONE, ["r1", "r2"]) == (True, 3)
