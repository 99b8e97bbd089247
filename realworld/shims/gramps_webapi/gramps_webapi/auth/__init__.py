"""gramps_webapi.auth: its GUID column type (sql_guid.py, copied from the source distribution)."""
from . import sql_guid

__all__ = ["sql_guid"]
