"""SQLAlchemy 1.4's behaviours that revisions written for it use and SQLAlchemy 2 removed, given back to
SQLAlchemy 2 in both the runs compared (nothing of the schema depends on them): a history's shim folder
calls :func:`as_sqlalchemy_14` from its sitecustomize (this folder's own does for the histories that need
nothing more)."""


def as_sqlalchemy_14():
    """ORM models with plain annotations (``database: Database = relationship(...)``, ``def
    created_by_fk(self) -> Column``), ``MetaData(bind=...)`` with ``Table(..., autoload=True)`` and
    ``reflect()``, ``select([...])``, ``table.insert(values=...)``, ``.as_scalar()``, ``load_only("name")``,
    ``session.execute(query)``, ``connection.execute("SQL")``, ``connection.execute(statement, name=value)``."""
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
    reflect = schema.MetaData.reflect

    def reflect_14(self, bind=None, *args, **kw):
        return reflect(self, bind if bind is not None else self.realworld_bind, *args, **kw)

    schema.MetaData.reflect = reflect_14
    table_insert = selectable.TableClause.insert

    def insert_14(self, values=None, **kw):
        statement = table_insert(self, **kw)
        return statement.values(values) if values is not None else statement

    selectable.TableClause.insert = insert_14
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
        if kw.keys() - {"execution_options"} and not args:  # conn.execute(statement, name=value, ...)
            options = kw.pop("execution_options", None)
            return connection_execute(self, statement, kw, execution_options=options)
        return connection_execute(self, statement, *args, **kw)

    Connection.execute = connection_execute_14
    if not hasattr(selectable.SelectBase, "as_scalar"):
        selectable.SelectBase.as_scalar = selectable.SelectBase.scalar_subquery
