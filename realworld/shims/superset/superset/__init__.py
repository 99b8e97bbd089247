"""What superset's migrations import from ``superset``: its Flask-SQLAlchemy object (``db.Session``,
``db.func`` are SQLAlchemy's) and its security manager (used only to convert rows)."""
import types

import sqlalchemy
import sqlalchemy.orm


class _FlaskSQLAlchemy:
    """Flask-SQLAlchemy's ``SQLAlchemy``: SQLAlchemy's names as attributes, one MetaData."""

    metadata = sqlalchemy.MetaData()

    def __getattr__(self, name):
        for module in (sqlalchemy.orm, sqlalchemy):
            if hasattr(module, name):
                return getattr(module, name)
        raise AttributeError(name)

    @property
    def session(self):
        from alembic import op
        return sqlalchemy.orm.Session(bind=op.get_bind())


db = _FlaskSQLAlchemy()
security_manager = types.SimpleNamespace()
