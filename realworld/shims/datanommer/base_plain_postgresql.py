"""What datanommer.models 1.0.0's init(create=True) does to its models, without TimescaleDB: the
``after_create`` listener that makes ``messages`` a hypertable (``SELECT create_hypertable(...)``)
needs the timescaledb extension, which this PostgreSQL server does not have; the tables, columns,
keys and indexes are the models' own."""
import sqlalchemy as sa

from datanommer.models import Message

for listener in list(Message.__table__.dispatch.after_create):
    sa.event.remove(Message.__table__, "after_create", listener)
