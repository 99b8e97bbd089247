"""oslo_db.sqlalchemy.enginefacade: ``reader.get_engine()`` as ironic's revisions use it (its dialect,
inspection), standing for the connection Alembic migrates."""
import types


def _get_engine():
    from alembic import op

    return op.get_bind()


reader = types.SimpleNamespace(get_engine=_get_engine)
writer = types.SimpleNamespace(get_engine=_get_engine)
