from . import database, helpers  # noqa: F401
