"""pgadmin.setup: the first user (desktop mode's, as pgAdmin makes it without asking) and the schema
version in the ``version`` table (pgadmin/setup/db_version.py)."""
from sqlalchemy.orm import Session

import config
from pgadmin.model import Version


def user_info():
    return config.DESKTOP_USER, "realworld-password"


def get_version_for_migration(op):
    try:
        session = Session(bind=op.get_bind())
        version = session.query(Version).filter_by(name="ConfigDB").first()
    except Exception:
        return -1
    return version.value if version else -1
