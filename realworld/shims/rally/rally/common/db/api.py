"""rally.common.db.api: the engine the initial revision reads its dialect from (Alembic's connection's)."""

from alembic import op


def get_engine():
    return op.get_bind().engine
