"""trulens.core.database.orm: make_orm_for_prefix, with the one class the data revisions query
(AppDefinition, the apps table: its id, name, version and JSON text)."""
import types

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base


def make_orm_for_prefix(table_prefix: str = "trulens_"):
    base = declarative_base()

    class AppDefinition(base):
        __tablename__ = table_prefix + "apps"
        app_id = sa.Column(sa.VARCHAR(256), nullable=False, primary_key=True)
        app_name = sa.Column(sa.VARCHAR(256), nullable=False, default="default_app")
        app_version = sa.Column(sa.VARCHAR(256), nullable=False, default="base")
        app_json = sa.Column(sa.Text, nullable=False)

    return types.SimpleNamespace(AppDefinition=AppDefinition, metadata=base.metadata)
