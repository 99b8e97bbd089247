"""airflow.models.base: StringID (utf8mb3_bin on MySQL, as airflow makes it) and the naming convention."""
from alembic import context
from sqlalchemy import String

ID_LEN = 250

naming_convention = {
    "ix": "idx_%(column_0_N_label)s",
    "uq": "%(table_name)s_%(column_0_N_name)s_uq",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "%(table_name)s_%(column_0_name)s_fkey",
    "pk": "%(table_name)s_pkey",
}


def StringID(*, length=ID_LEN, **kwargs):  # noqa: N802 - as airflow names it
    if context.get_bind().dialect.name == "mysql":
        kwargs.setdefault("collation", "utf8mb3_bin")
    return String(length=length, **kwargs)


def __getattr__(name):
    if name == "COLLATION_ARGS":  # airflow reads it from its connection URL: utf8mb3_bin on MySQL
        return {"collation": "utf8mb3_bin"} if context.get_bind().dialect.name == "mysql" else {}
    raise AttributeError(f"module {__name__} has no attribute {name}")
