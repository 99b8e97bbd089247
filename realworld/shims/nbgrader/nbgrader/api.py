"""nbgrader.api.Course, as its migration names it (a data migration; the table shape only)."""
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Course(Base):
    __tablename__ = "course"
    id = sa.Column(sa.String(128), unique=True, primary_key=True, nullable=False)
