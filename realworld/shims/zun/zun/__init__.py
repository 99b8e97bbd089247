"""zun (18.0.0): its revisions write ``import zun`` and then name ``zun.db.sqlalchemy.models.JSONEncodedDict``,
which zun's own package imports on the way; and ``from sqlalchemy import dialects`` then ``dialects.mysql``,
and ``sa.orm.Session``, which oslo.db (imported by zun's env.py) has imported."""
import importlib

for _module in ("sqlalchemy.dialects.mysql", "sqlalchemy.orm", "zun.db.sqlalchemy.models"):
    importlib.import_module(_module)
