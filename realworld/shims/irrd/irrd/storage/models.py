"""irrd.storage.models.RPSLDatabaseStatus: a7766c144d61 reads its table's sources (an empty database has none)."""

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class RPSLDatabaseStatus(Base):
    __tablename__ = "database_status"

    pk = sa.Column(sa.Integer, primary_key=True)
    source = sa.Column(sa.String)
    synchronised_serials = sa.Column(sa.Boolean)
