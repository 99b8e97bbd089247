"""Stands in for rattail: only what rattail-tempmon's Alembic revisions import (each imports rattail.db.types, using none of it)."""
