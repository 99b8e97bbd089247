"""Loaded at start-up (sitecustomize): kadi pins SQLAlchemy 1.4, and its 9c4e6e15c4b8 passes a
statement's parameters as keywords (``conn.execute(sa.text(...), scope=scope)``), which 1.4 ran and 2
refuses. This is 1.4's behaviour, in both the runs compared (nothing of the schema changes)."""
from sqlalchemy.engine import Connection

_execute = Connection.execute


def _execute_14(self, statement, parameters=None, *, execution_options=None, **kw):
    if kw and parameters is None:
        parameters = kw
    return _execute(self, statement, parameters, execution_options=execution_options)


Connection.execute = _execute_14
