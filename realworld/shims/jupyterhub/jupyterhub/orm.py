"""What jupyterhub's migrations use of jupyterhub.orm: its JSON text types and its naming convention."""
import json

from sqlalchemy import MetaData, Text
from sqlalchemy.types import TypeDecorator


class JSONDict(TypeDecorator):
    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else json.dumps(value)

    def process_result_value(self, value, dialect):
        return None if value is None else json.loads(value)


class JSONList(JSONDict):
    pass


meta = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


def __getattr__(name):  # ORM classes named in annotations of data migrations
    return type(name, (), {})
