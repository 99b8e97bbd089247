"""oslo_db (oslo.db 18.1.1), as much of it as the OpenStack histories of ``make realworld`` use (ironic,
ironic-inspector, masakari, watcher, cinder, cloudkitty). watcher's 001_ocata reads
``oslo_db.sqlalchemy.types`` after a bare ``import oslo_db``."""
from oslo_db import sqlalchemy

__all__ = ["sqlalchemy"]
