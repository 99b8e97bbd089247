"""superset runs its migrations with their folder on the path: ``import migration_utils``."""
from superset.migrations.migration_utils import create_unique_constraint, drop_unique_constraint

__all__ = ["create_unique_constraint", "drop_unique_constraint"]
