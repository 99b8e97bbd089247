"""The Alembic hook on synthetic histories with DDL in SQL text (hypothesis): the fold follows it after
every revision, and a rollback to base names exactly the irreversible events (tests/test_alembic_hook.py
has the hook's other tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.alembic_histories import histories
from tests.test_alembic_hook import (
    HOOK_DIALECTS,
    _rollback_names_exactly_the_irreversible_events,
    _upgrade_one_revision_at_a_time,
)


@pytest.mark.parametrize("dialect", HOOK_DIALECTS)
@given(data=st.data())
def test_synthetic_history_with_ddl_in_sql_text_folds_and_rolls_back_to_base(
    dialect: str, database_factory: Callable[[str], str], data: st.DataObject
) -> None:
    bodies = data.draw(histories(dialect, sql_text=True))
    url = database_factory(dialect)
    _upgrade_one_revision_at_a_time(url, bodies)
    _rollback_names_exactly_the_irreversible_events(url)
