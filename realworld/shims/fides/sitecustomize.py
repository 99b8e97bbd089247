"""Loaded at start-up (sitecustomize): the modules fides' data revisions import only to convert rows
(fides' ORM models, fideslang's models and validators, networkx), which on an empty database convert
nothing, stand in as placeholders; fides pins SQLAlchemy 1.4, whose ``LegacyCursorResult`` (the
result 1.4's connections gave) a revision imports to annotate its results: SQLAlchemy 2's
``CursorResult`` is the same object. Both runs compared get 1.4's behaviour: nothing of the schema changes."""
import copy

import sqlalchemy.engine
from realworld_placeholders import install

sqlalchemy.engine.LegacyCursorResult = sqlalchemy.engine.CursorResult
install(("fides.api.models", "fideslang", "networkx"), first=False)

# A revision sends ``connection.execute("SHOW server_version;")``, a string, which 1.4 ran and 2 refuses.
_execute = sqlalchemy.engine.Connection.execute


def _execute_14(self, statement, *args, **kw):
    if isinstance(statement, str):
        return self.exec_driver_sql(statement, *args, **kw)
    return _execute(self, statement, *args, **kw)


sqlalchemy.engine.Connection.execute = _execute_14

# 1.4's rows (LegacyRow) took a column's name as an index too (``template["id"]``), as 5f96f13be8ec reads them.
_getitem = sqlalchemy.engine.Row.__getitem__


def _getitem_14(self, key):
    if isinstance(key, str):
        return self._mapping[key]
    return _getitem(self, key)


sqlalchemy.engine.Row.__getitem__ = _getitem_14

# 1.4's Connection.execution_options gave a branch of the connection with those options, leaving the
# connection as it was: bf713b5a021d streams one query (stream_results) and then runs DDL on the connection,
# which 2's in-place options would send through a server-side cursor too.
_execution_options = sqlalchemy.engine.Connection.execution_options


def _execution_options_14(self, **opt):
    branch = copy.copy(self)
    return _execution_options(branch, **opt)


sqlalchemy.engine.Connection.execution_options = _execution_options_14
