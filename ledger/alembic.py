"""The Alembic hook's public face: ``ledger.alembic.attach(context)`` in an ``env.py``.

The hook itself is the package :mod:`ledger.integrations.alembic`; see docs/alembic.md.
"""

from ledger.integrations.alembic import AlembicHookError, attach, is_data_change

__all__ = ["AlembicHookError", "attach", "is_data_change"]
