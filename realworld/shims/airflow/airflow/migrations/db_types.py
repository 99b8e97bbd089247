"""airflow.migrations.db_types: TIMESTAMP and StringID of the running dialect (read from Alembic's context)."""
import sqlalchemy as sa
from alembic import context


def _mysql_TIMESTAMP():  # noqa: N802 - as airflow names them
    from sqlalchemy.dialects import mysql

    class TIMESTAMP(mysql.TIMESTAMP):
        def __init__(self, *args, fsp=6, timezone=True, **kwargs):
            super().__init__(*args, fsp=fsp, timezone=timezone, **kwargs)

    return TIMESTAMP


def _sa_TIMESTAMP():  # noqa: N802
    class TIMESTAMP(sa.TIMESTAMP):
        def __init__(self, *args, timezone=True, **kwargs):
            super().__init__(*args, timezone=timezone, **kwargs)

    return TIMESTAMP


def _sa_StringID():  # noqa: N802
    from airflow.models.base import StringID

    return StringID


def __getattr__(name):
    if name in ("TIMESTAMP", "StringID"):
        dialect = context.get_bind().dialect.name
        module = globals()
        value = module[name] = (module.get(f"_{dialect}_{name}") or module[f"_sa_{name}"])()
        return value
    raise AttributeError(f"module {__name__} has no attribute {name}")
