"""tacker's env.py imports tacker.db.model_base, which imports sqlalchemy.orm; its revisions read
``sa.orm`` from ``import sqlalchemy as sa`` alone, so the package-agnostic env.py needs it imported."""
import importlib

importlib.import_module("sqlalchemy.orm")
