"""privacyidea.models as its revisions import it: the Flask-SQLAlchemy object (from models/db.py, copied,
with its @compiles hooks: DATETIME(6) on MySQL, CREATE SEQUENCE ... INCREMENT BY 0 on MariaDB) and the
models the older data revisions query, which run on no rows here (placeholders)."""
from privacyidea.models.db import db

from realworld_placeholders import install

install(("privacyidea.models.placeholders",))

from privacyidea.models.placeholders import EventHandlerOption, Resolver, TokenRealm  # noqa: E402

__all__ = ["EventHandlerOption", "Resolver", "TokenRealm", "db"]
