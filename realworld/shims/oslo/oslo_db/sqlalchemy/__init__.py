from oslo_db.sqlalchemy import types

__all__ = ["types"]
