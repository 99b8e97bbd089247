"""Stands in for wuttjamaican: only what its Alembic revisions import."""
