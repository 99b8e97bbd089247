"""airflow.utils.session.create_session: a session on Alembic's connection (airflow opens one on its
configured database, the one being migrated)."""
import contextlib

import sqlalchemy.orm
from alembic import op


@contextlib.contextmanager
def create_session():
    session = sqlalchemy.orm.Session(bind=op.get_bind())
    try:
        yield session
    finally:
        session.close()
