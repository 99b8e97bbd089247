"""oslo_db.sqlalchemy.enginefacade: ``reader.get_engine()`` as ironic's revisions use it (its dialect,
inspection), standing for the connection Alembic migrates. As on oslo.db's engines, MySQL's error for
dropping a constraint that does not exist is raised as ``DBNonExistentConstraint`` (oslo_db.sqlalchemy.exc_filters)."""
import re
import types

import sqlalchemy as sa

_NO_CONSTRAINT = re.compile(r"1091,.*Can't DROP (?:FOREIGN KEY |CONSTRAINT )?[`'](?P<name>.+)[`']; check that")


def _translate(context):
    from oslo_db.exception import DBNonExistentConstraint

    found = _NO_CONSTRAINT.search(str(context.original_exception))
    if found is not None and context.engine is not None and context.engine.dialect.name == "mysql":
        raise DBNonExistentConstraint(found.group("name")) from context.sqlalchemy_exception


def _get_engine():
    from alembic import op

    bind = op.get_bind()
    if not sa.event.contains(bind.engine, "handle_error", _translate):
        sa.event.listen(bind.engine, "handle_error", _translate)
    # SQLAlchemy's MySQL reflection leaves skip_user_error_events set on the connection it read
    # (Connection.execution_options changes the connection); oslo.db's engines hand out fresh ones
    bind.execution_options(skip_user_error_events=False)
    return bind


reader = types.SimpleNamespace(get_engine=_get_engine)
writer = types.SimpleNamespace(get_engine=_get_engine)
