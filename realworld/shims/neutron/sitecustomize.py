"""blazar's env.py imports blazar.db.sqlalchemy.models, which imports sqlalchemy.orm; 75a74e4539cb reads
``sa.orm`` from ``import sqlalchemy as sa`` alone, so the package-agnostic env.py needs it imported."""
import importlib

importlib.import_module("sqlalchemy.orm")
