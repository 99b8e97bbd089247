"""subunit2sql.db.api as 5332fe255095 uses it: a session on the migration's connection (subunit2sql's
engine facade binds its sessions to the connection its env.py gives Alembic) and update_test."""
from alembic import op
import sqlalchemy as sa
from sqlalchemy import orm

from subunit2sql.db import models


def get_session(autocommit=True, expire_on_commit=False):
    return orm.Session(bind=op.get_bind())


def update_test(values, test_id, session=None):
    session = session or get_session()
    session.execute(sa.update(models.Test).where(models.Test.id == test_id).values(values))
    return None
