"""The Alembic hook's public face: ``ledger.alembic.attach(context)`` in an ``env.py``.

The hook itself lives in :mod:`ledger.integrations.alembic_hook`; see docs/alembic.md.
"""

from ledger.integrations.alembic_hook import AlembicHookError, attach, is_data_change

__all__ = ["AlembicHookError", "attach", "is_data_change"]
