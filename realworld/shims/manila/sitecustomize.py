"""manila's env.py imports manila.db.sqlalchemy.api, which imports sqlalchemy.orm; a revision reads
``sa.orm`` from ``import sqlalchemy as sa`` alone, so the package-agnostic env.py needs it imported."""
import importlib

importlib.import_module("sqlalchemy.orm")
