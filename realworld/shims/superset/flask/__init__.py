"""What superset's migrations use of flask: the application's configuration (superset's defaults)."""
import types

current_app = types.SimpleNamespace(config={
    "CATALOGS_SIMPLIFIED_MIGRATION": False,
    "DEFAULT_TIME_FILTER": "No filter",
})
g = types.SimpleNamespace()
