"""Loaded at start-up (sitecustomize): mwdb-core 2.20 pins SQLAlchemy 1.4, and its 6a7aefae72d3 sends
``connection.execute("ANALYZE")``, a string, which 1.4 ran and 2 refuses. This is 1.4's behaviour, in
both the runs compared (nothing of the schema changes)."""
from sqlalchemy.engine import Connection

_execute = Connection.execute


def _execute_14(self, statement, *args, **kw):
    if isinstance(statement, str):
        return self.exec_driver_sql(statement, *args, **kw)
    return _execute(self, statement, *args, **kw)


Connection.execute = _execute_14
