"""cinder's env.py imports cinder.db.models, which imports sqlalchemy.orm; 9c74c1c6971f reads ``sa.orm``
from ``import sqlalchemy as sa`` alone, so the package-agnostic env.py needs it imported."""
import importlib

importlib.import_module("sqlalchemy.orm")
