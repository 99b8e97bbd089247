"""oslo_db.sqlalchemy.utils.index_exists (oslo.db): whether ``table`` has an index named ``index_name``."""
import sqlalchemy as sa


def index_exists(engine, table_name, index_name):
    inspector = sa.inspect(engine)
    return index_name in {index["name"] for index in inspector.get_indexes(table_name)}
