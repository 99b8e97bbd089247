"""Loaded at start-up (sitecustomize): waiverdb 1.4 was written for SQLAlchemy 1.x, and its data
revisions read the waivers with ``select([...])``, a list, and ``connection.execute("SELECT ...")``, a
string, which 1.4 took and 2 refuses. These are 1.4's behaviours, in both the runs compared (nothing of
the schema changes)."""
from sqlalchemy.engine import Connection
from sqlalchemy.sql import expression

_select = expression.select
_execute = Connection.execute


def _select_14(*entities, **kw):
    if len(entities) == 1 and isinstance(entities[0], (list, tuple)):
        entities = tuple(entities[0])
    return _select(*entities, **kw)


def _execute_14(self, statement, *args, **kw):
    if isinstance(statement, str):
        return self.exec_driver_sql(statement, *args, **kw)
    return _execute(self, statement, *args, **kw)


expression.select = _select_14
Connection.execute = _execute_14
