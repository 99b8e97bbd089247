"""The Alembic hook on synthetic histories (hypothesis): after every revision the fold equals the live
schema, and every revision is in the ledger, with or without a naming convention on env.py's
target_metadata, in a linear graph or one with a branch label, depends_on and a merge
(tests/test_alembic_hook.py has the hook's other tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.alembic_histories import NAMING, histories, hook_events
from tests.test_alembic_hook import HOOK_DIALECTS, _upgrade_one_revision_at_a_time


@pytest.mark.parametrize("dialect", HOOK_DIALECTS)
@given(data=st.data())
def test_synthetic_history_fold_equals_live_after_every_revision(
    dialect: str, database_factory: Callable[[str], str], data: st.DataObject
) -> None:
    bodies = data.draw(histories(dialect))
    naming = data.draw(st.sampled_from([None, NAMING]), label="naming convention")
    branch = data.draw(st.booleans(), label="side branch, depends_on and merge")
    url = database_factory(dialect)
    ids = _upgrade_one_revision_at_a_time(url, bodies, naming, branch)
    revisions = {e.revision for e in hook_events(url)}
    assert revisions == set(ids)  # every revision is in the ledger, an empty one as a marker event
