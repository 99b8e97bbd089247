"""What datanommer.models' migrations use of it: the ``messages`` model whose columns the
materialized view of f4fdb5442d05 selects (datanommer.models.view, copied, imports it)."""
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

DeclarativeBase = declarative_base()


class Message(DeclarativeBase):
    __tablename__ = "messages"

    id = sa.Column(sa.Integer, primary_key=True, autoincrement=True)
    topic = sa.Column(sa.Unicode, nullable=False, index=True)
    timestamp = sa.Column(sa.DateTime, nullable=False, index=True, primary_key=True)
