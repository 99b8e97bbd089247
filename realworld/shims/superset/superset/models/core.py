"""superset.models.core.Database: the mapped ``dbs`` table a data migration queries (only its key
here; on a database migrated from empty it has no rows to convert)."""
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Database(Base):
    __tablename__ = "dbs"
    id = sa.Column(sa.Integer, primary_key=True)
