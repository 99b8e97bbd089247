"""watcher.db.sqlalchemy.models (python-watcher 17.0.0): its JSON-as-text column types, and the two
models a86240e89a29 queries (their columns it reads; the table is made by the history)."""
import json

from sqlalchemy import Column, DateTime, Integer, String, orm
from sqlalchemy.types import TEXT, TypeDecorator


class JsonEncodedType(TypeDecorator):
    """Abstract base type serialized as json-encoded string in db."""

    type = None
    impl = TEXT
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            value = self.type()
        return json.dumps(value)

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(value)


class JSONEncodedDict(JsonEncodedType):
    type = dict


class JSONEncodedList(JsonEncodedType):
    type = list


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
