"""oslo_db.sqlalchemy.utils.index_exists (oslo.db 18.1.1)."""
import sqlalchemy as sa


def get_indexes(engine, table_name):
    return sa.inspect(engine).get_indexes(table_name)


def index_exists(engine, table_name, index_name):
    return index_name in [index["name"] for index in get_indexes(engine, table_name)]


def model_query(model, session):
    """oslo_db.sqlalchemy.utils.model_query without its soft-delete and project filters (subunit2sql's models have none)."""
    return session.query(model)
