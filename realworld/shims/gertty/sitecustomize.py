"""Loaded at start-up (sitecustomize): gertty's revisions were written for SQLAlchemy 1.x (its helpers
copy a table through ``sa.MetaData(bind=...)`` and ``meta.reflect()``, 50344aecd1c2 passes strings to
``conn.execute``), given back to SQLAlchemy 2 (realworld/shims/sqlalchemy14); 50344aecd1c2 imports gertty's
ORM models, its git repository helper and GitPython only to fill the new table from the revisions already
synced, none on an empty database: placeholders. dbsupport.py is copied from the wheel."""
from realworld_placeholders import install
from realworld_sqlalchemy14 import as_sqlalchemy_14

install(("gertty.db", "gertty.gitrepo", "git"))
as_sqlalchemy_14()
