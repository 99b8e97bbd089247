"""Loaded at start-up (sitecustomize): modules superset's data migrations import only to convert rows
(superset's models, its database engine specs, its chart and date helpers, isodate ...). On an empty
database they convert nothing; each name they import is a placeholder class."""
from realworld_placeholders import install

install(("superset.models.dashboard", "superset.models.slice", "superset.connectors", "superset.databases",
         "superset.db_engine_specs", "superset.legacy", "superset.reports", "superset.sql", "superset.constants",
         "superset.utils.date_parser", "superset.utils.dashboard_filter_scopes_converter", "isodate"),
        constants=True)


# superset pins SQLAlchemy < 2, and its revisions use what 1.4 had and 2 removed: ORM models (to
# convert rows) with plain annotations (``database: Database = relationship(...)``, ``def
# created_by_fk(self) -> Column``), ``MetaData(bind=...)`` with ``Table(..., autoload=True)``,
# ``select([...])``, ``.as_scalar()``, ``load_only("name")``, ``session.execute(query)``, ``connection.execute("SQL")``. Alembic imports every revision to read the history, so none
# would run. These are 1.4's behaviours, in both the runs compared (nothing of the schema changes).
def _as_sqlalchemy_14():
    import sqlalchemy as sa
    from sqlalchemy import orm
    import sqlalchemy.ext.declarative as legacy
    from sqlalchemy.orm import decl_api
    from sqlalchemy.sql import expression, schema, selectable

    declarative = legacy.declarative_base

    def declarative_base(*args, **kw):
        base = declarative(*args, **kw)
        base.__allow_unmapped__ = True
        return base

    legacy.declarative_base = declarative_base
    decl_api.declared_attr._collect_return_annotation = lambda self: None

    metadata_init = schema.MetaData.__init__

    def metadata(self, *args, bind=None, **kw):
        metadata_init(self, *args, **kw)
        self.realworld_bind = bind

    schema.MetaData.__init__ = metadata
    table_new = schema.Table._new

    def table(cls, *args, **kw):
        if kw.pop("autoload", False) and "autoload_with" not in kw and len(args) > 1:
            kw["autoload_with"] = getattr(args[1], "realworld_bind", None)
        return table_new.__func__(cls, *args, **kw)

    schema.Table._new = classmethod(table)
    select = expression.select

    def select_14(*entities, **kw):
        if len(entities) == 1 and isinstance(entities[0], (list, tuple)):
            entities = tuple(entities[0])
        return select(*entities, **kw)

    import sqlalchemy.sql

    sa.select = sqlalchemy.sql.select = expression.select = select_14
    load_only = orm.load_only

    def load_only_14(*attrs, **kw):
        if attrs and all(isinstance(a, str) for a in attrs):
            return orm.lazyload("*")  # which columns load: nothing a migration of empty tables sees
        return load_only(*attrs, **kw)

    orm.load_only = load_only_14
    session_execute = orm.Session.execute

    def execute_14(self, statement, *args, **kw):
        if isinstance(statement, orm.Query):
            statement = statement.statement
        return session_execute(self, statement, *args, **kw)

    orm.Session.execute = execute_14
    from sqlalchemy.engine import Connection

    connection_execute = Connection.execute

    def connection_execute_14(self, statement, *args, **kw):
        if isinstance(statement, str):
            return self.exec_driver_sql(statement, *args, **kw)
        return connection_execute(self, statement, *args, **kw)

    Connection.execute = connection_execute_14
    if not hasattr(selectable.SelectBase, "as_scalar"):
        selectable.SelectBase.as_scalar = selectable.SelectBase.scalar_subquery


_as_sqlalchemy_14()
