"""zenml's global configuration as its data migrations read it: a fixed user, no analytics, a SQL store."""
import uuid


class GlobalConfiguration:
    user_id = uuid.UUID("00000000-0000-4000-8000-000000000001")
    analytics_opt_in = False
    store_configuration = None
