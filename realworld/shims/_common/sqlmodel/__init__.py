"""The part of sqlmodel that migration files name: its AutoString type (as sqlmodel defines it)."""
from sqlalchemy.orm import Session

from .sql.sqltypes import AutoString

__all__ = ["AutoString", "Session"]
