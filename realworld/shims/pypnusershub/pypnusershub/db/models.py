"""pypnusershub.db.models.Provider (pypnusershub 3.3.1), which b7c98935d9e8 inserts its local provider into:
its table as the revision makes it, not the package's Flask-SQLAlchemy models."""
import sqlalchemy as sa
from sqlalchemy import orm


class Base(orm.DeclarativeBase):
    pass


class Provider(Base):
    __tablename__ = "t_providers"
    __table_args__ = {"schema": "utilisateurs"}

    id_provider = sa.Column(sa.Integer, nullable=False, primary_key=True)
    name = sa.Column(sa.Unicode, nullable=False)
    url = sa.Column(sa.Unicode)
