"""sky.utils.db.kv_cache (skypilot 0.14.1): its Base and tables as that module defines them (copied), which the history's
revisions create; the rest of the module left out."""

import sqlalchemy
from sqlalchemy.ext import declarative

Base = declarative.declarative_base()

kv_cache_table = sqlalchemy.Table(
    'kv_cache',
    Base.metadata,
    sqlalchemy.Column('key', sqlalchemy.Text, primary_key=True),
    sqlalchemy.Column('value', sqlalchemy.Text),
    sqlalchemy.Column('expires_at', sqlalchemy.Float),
)
