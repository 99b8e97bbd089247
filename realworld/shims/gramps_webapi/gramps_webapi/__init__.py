"""gramps_webapi: only what its user database's revisions name (``gramps_webapi.auth.sql_guid.GUID``,
copied from the source distribution)."""
from . import auth

__all__ = ["auth"]
