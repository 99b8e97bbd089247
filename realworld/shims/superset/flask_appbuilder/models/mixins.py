"""flask_appbuilder's AuditMixin: who made and changed a row, and when."""
import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer
from sqlalchemy.orm import declared_attr, relationship


def _user_id():
    return None


class AuditMixin:
    # superset's models subclassing it annotate declared_attr methods (``-> Column``), which superset's
    # SQLAlchemy 1.4 ignores; SQLAlchemy 2 ignores them only when told so
    __allow_unmapped__ = True

    created_on = Column(DateTime, default=datetime.datetime.now, nullable=False)
    changed_on = Column(DateTime, default=datetime.datetime.now, onupdate=datetime.datetime.now, nullable=False)

    @declared_attr
    def created_by_fk(cls):
        return Column(Integer, ForeignKey("ab_user.id"), default=_user_id, nullable=False)

    @declared_attr
    def changed_by_fk(cls):
        return Column(Integer, ForeignKey("ab_user.id"), default=_user_id, onupdate=_user_id, nullable=False)

    @declared_attr
    def created_by(cls):
        return relationship("User", primaryjoin=f"{cls.__name__}.created_by_fk == User.id", enable_typechecks=False)

    @declared_attr
    def changed_by(cls):
        return relationship("User", primaryjoin=f"{cls.__name__}.changed_by_fk == User.id", enable_typechecks=False)
