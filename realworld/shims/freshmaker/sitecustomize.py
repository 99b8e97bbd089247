"""Loaded at start-up (sitecustomize): freshmaker 0.1.2 was written for SQLAlchemy 1.x, and b17231ee8220 reads
the events with ``connection.execute("SELECT ...")``, a string, which 1.4 ran and 2 refuses. This is 1.4's
behaviour, in both the runs compared (nothing of the schema changes)."""
from sqlalchemy.engine import Connection

_execute = Connection.execute


def _execute_14(self, statement, *args, **kw):
    if isinstance(statement, str):
        return self.exec_driver_sql(statement, *args, **kw)
    return _execute(self, statement, *args, **kw)


Connection.execute = _execute_14
