"""superset runs its migrations with their folder on the path: ``import migration_utils``."""
from superset.migrations.migration_utils import *  # noqa: F403
