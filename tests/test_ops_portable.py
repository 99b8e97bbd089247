"""What ``portable=True`` promises: every generated schema can be created on every database."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops import SchemaState
from tests import strategies as S


def _create_and_drop(engine: sa.Engine, state: SchemaState) -> None:
    metadata = state.to_metadata()
    metadata.create_all(engine)
    try:
        names = set(sa.inspect(engine).get_table_names())
        assert {t.name for t in state.tables.values()} <= names
    finally:
        metadata.drop_all(engine)


# One database per test (the fixture), reused by every example: each example drops what it made.
@settings(max_examples=max(5, settings.default.max_examples // 4), suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(state=S.schema_states(portable=True, min_tables=1, max_tables=3))
def test_portable_states_can_be_created(engine: sa.Engine, state: SchemaState) -> None:
    _create_and_drop(engine, state)


@settings(max_examples=max(5, settings.default.max_examples // 4), suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=S.histories(portable=True, max_ops=6))
def test_portable_histories_end_in_states_that_can_be_created(
    engine: sa.Engine, history: tuple[SchemaState, list]  # type: ignore[type-arg]
) -> None:
    start, steps = history
    _create_and_drop(engine, SchemaState.fold(steps, start))


@given(st.lists(S.identifiers(portable=True), min_size=1, max_size=20))
def test_portable_identifiers_keep_their_promises(names: list[str]) -> None:
    for name in names:
        assert 0 < len(name) <= 30 and len(name.encode()) <= 63 and name == name.strip()
        assert not set(name) & set('\x00."`%:')
        assert all(ord(c) <= 0xFFFF for c in name)
