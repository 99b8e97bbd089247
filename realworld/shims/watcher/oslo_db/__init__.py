"""oslo_db: 001_ocata reads ``oslo_db.sqlalchemy.types`` after a bare ``import oslo_db``."""
from oslo_db import sqlalchemy

__all__ = ["sqlalchemy"]
