"""cinder.db.models (cinder 29.0.0): the four quota models 9c74c1c6971f and b7b88f50aab5 read and write
through an ORM session, with the columns of their tables (made by the history) and CinderBase's
soft-delete values."""
import datetime

import sqlalchemy as sa
from sqlalchemy import orm

BASE = orm.declarative_base()


class CinderBase:
    created_at = sa.Column(sa.DateTime)
    updated_at = sa.Column(sa.DateTime)
    deleted_at = sa.Column(sa.DateTime)
    deleted = sa.Column(sa.Boolean, default=False)

    @staticmethod
    def delete_values():
        return {'deleted': True, 'deleted_at': datetime.datetime(2026, 1, 1, 0, 0, 0)}


class Quota(BASE, CinderBase):
    __tablename__ = 'quotas'
    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.String(255))
    resource = sa.Column(sa.String(300), nullable=False)
    hard_limit = sa.Column(sa.Integer, nullable=True)


class QuotaClass(BASE, CinderBase):
    __tablename__ = 'quota_classes'
    id = sa.Column(sa.Integer, primary_key=True)
    class_name = sa.Column(sa.String(255), index=True)
    resource = sa.Column(sa.String(300))
    hard_limit = sa.Column(sa.Integer, nullable=True)


class QuotaUsage(BASE, CinderBase):
    __tablename__ = 'quota_usages'
    id = sa.Column(sa.Integer, primary_key=True)
    project_id = sa.Column(sa.String(255), index=True)
    resource = sa.Column(sa.String(300))
    in_use = sa.Column(sa.Integer, nullable=False)
    reserved = sa.Column(sa.Integer, nullable=False)
    until_refresh = sa.Column(sa.Integer, nullable=True)
    race_preventer = sa.Column(sa.Boolean, nullable=True, default=True)


class Reservation(BASE, CinderBase):
    __tablename__ = 'reservations'
    id = sa.Column(sa.Integer, primary_key=True)
    uuid = sa.Column(sa.String(36), nullable=False)
    usage_id = sa.Column(sa.Integer, nullable=True)
    project_id = sa.Column(sa.String(255), index=True)
    resource = sa.Column(sa.String(300))
    delta = sa.Column(sa.Integer, nullable=False)
    expire = sa.Column(sa.DateTime)
