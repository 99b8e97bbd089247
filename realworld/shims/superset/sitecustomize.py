"""Loaded at start-up (sitecustomize): modules superset's data migrations import only to convert rows
(superset's models, its database engine specs, its chart and date helpers, isodate ...). On an empty
database they convert nothing; each name they import is a placeholder class."""
from realworld_placeholders import install

install(("superset.models.dashboard", "superset.models.slice", "superset.connectors", "superset.databases",
         "superset.db_engine_specs", "superset.legacy", "superset.reports", "superset.sql", "superset.constants",
         "superset.utils.date_parser", "superset.utils.dashboard_filter_scopes_converter", "isodate"),
        constants=True)


# superset pins SQLAlchemy < 2, and its revisions use what 1.4 had and 2 removed (realworld/shims/sqlalchemy14).
# Alembic imports every revision to read the history, so none would run without them.
from realworld_sqlalchemy14 import as_sqlalchemy_14

as_sqlalchemy_14()
