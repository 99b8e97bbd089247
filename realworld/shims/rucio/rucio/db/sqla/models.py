"""rucio.db.sqla.models (rucio 41.5.1): the revisions import SQLAlchemy's ``String`` from it."""
from sqlalchemy import String

__all__ = ["String"]
