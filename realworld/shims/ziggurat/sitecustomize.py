"""ziggurat_foundations' revisions reflect tables with ``sa.Table(name, MetaData(), autoload=True,
autoload_with=connection)``, SQLAlchemy 1.x's spelling; SQLAlchemy 2 refuses ``autoload`` and reflects
with ``autoload_with`` alone, which is what 1.x did with both."""
from sqlalchemy.sql import schema

table_new = schema.Table._new


def table(cls, *args, **kw):
    if "autoload_with" in kw:
        kw.pop("autoload", None)
    return table_new.__func__(cls, *args, **kw)


schema.Table._new = classmethod(table)
