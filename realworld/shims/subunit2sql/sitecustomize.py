"""Loaded at start-up (sitecustomize): SQLAlchemy 1.4's behaviours subunit2sql's revisions use
(realworld_sqlalchemy14.py), and two more: ``metadata.bind = connection`` before ``Table(...,
autoload=True)`` and ``statement.execute()`` on a table of that bound MetaData (1679b5bc102c), and
``Query.values(...)`` (5332fe255095)."""
from realworld_sqlalchemy14 import as_sqlalchemy_14

as_sqlalchemy_14()


def _bound():
    from sqlalchemy import orm
    from sqlalchemy.sql import schema, selectable

    schema.MetaData.bind = property(lambda self: getattr(self, "realworld_bind", None),
                                    lambda self, bind: setattr(self, "realworld_bind", bind))

    def execute(self, *args, **kw):
        for table in self.get_final_froms():
            bind = getattr(getattr(table, "metadata", None), "realworld_bind", None)
            if bind is not None:
                return bind.execute(self, *args, **kw)
        raise RuntimeError("statement.execute() needs a table of a bound MetaData")

    selectable.Select.execute = execute
    orm.Query.values = lambda self, *columns: iter(self.with_entities(*columns))


_bound()
