"""The column types of airflow.utils.sqlalchemy, as airflow stores them."""
import pickle

from sqlalchemy import JSON, TIMESTAMP, PickleType, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    impl = TIMESTAMP(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "mysql":
            return mysql.TIMESTAMP(fsp=6)
        return super().load_dialect_impl(dialect)


class ExtendedJSON(TypeDecorator):
    impl = Text
    cache_ok = True
    should_evaluate_none = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB)
        return dialect.type_descriptor(JSON)


class ExecutorConfigType(PickleType):
    cache_ok = True

    def __init__(self, pickler=None, **kwargs):
        super().__init__(pickler=pickler or pickle, **kwargs)
