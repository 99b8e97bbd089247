"""cloudkitty.db: the writer session of oslo.db's enginefacade. cloudkitty's env.py runs the migrations
inside ``session_for_write()``, and a revision's own ``session_for_write()`` nests in that one; here
it is a session on the migration's connection."""
import contextlib

from alembic import op
from sqlalchemy import orm


@contextlib.contextmanager
def session_for_write():
    session = orm.Session(bind=op.get_bind())
    try:
        yield session
        session.flush()
    finally:
        session.close()
