"""How many examples a property test draws: a share of the loaded hypothesis profile's count
(SCHEMA_LEDGER_HYPOTHESIS: ci 20, dev 50, deep 1000), never a fixed number."""

from __future__ import annotations

from hypothesis import settings

#: the dev profile's count, which the shares below are written against
_DEV = 50


def examples(under_dev: int, *, least: int = 2) -> int:
    """The count for a property that draws ``under_dev`` examples under the dev profile, scaled to
    the loaded profile (called when the test module loads, after tests/conftest.py loaded it)."""
    return max(least, settings.default.max_examples * under_dev // _DEV)
