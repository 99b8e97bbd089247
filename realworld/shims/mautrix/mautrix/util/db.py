"""mautrix.util.db: the declarative base of mautrix 0.x's SQLAlchemy models (a revision declares ORM
classes on it to move rows)."""
from sqlalchemy.orm import declarative_base

Base = declarative_base()
