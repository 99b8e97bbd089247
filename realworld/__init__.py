"""``make realworld``: real Alembic histories from PyPI wheels, run alone, with the hook and imported."""
