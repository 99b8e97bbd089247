"""watcher.db.sqlalchemy.models (python-watcher 17.0.0): its JSON-as-text column types (the OpenStack
shim's, realworld/shims/oslo/realworld_json_text.py), and the two models a86240e89a29 queries (their
columns it reads; the table is made by the history)."""
from sqlalchemy import Column, DateTime, Integer, String, orm

from realworld_json_text import JSONEncodedDict, JSONEncodedList, JsonEncodedType

__all__ = ["Audit", "Base", "JSONEncodedDict", "JSONEncodedList", "JsonEncodedType", "Strategy"]

Base = orm.declarative_base()


class Strategy(Base):
    __tablename__ = "strategies"
    id = Column(Integer, primary_key=True)
    name = Column(String(63))


class Audit(Base):
    __tablename__ = "audits"
    id = Column(Integer, primary_key=True)
    name = Column(String(63))
    strategy_id = Column(Integer)
    created_at = Column(DateTime)
