"""pgadmin.model's models as the revisions query them through an ORM session on the migration's
connection (only the columns they read; a new database holds the rows the revisions write)."""
import types

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()
db = types.SimpleNamespace(metadata=Base.metadata, Model=Base, engine=None)


class Version(Base):
    __tablename__ = "version"
    name = sa.Column(sa.String(32), primary_key=True)
    value = sa.Column(sa.Integer(), nullable=False)


class Role(Base):
    __tablename__ = "role"
    id = sa.Column(sa.Integer(), primary_key=True)
    name = sa.Column(sa.String(128), unique=True, nullable=False)
    description = sa.Column(sa.String(256), nullable=False)


class User(Base):
    __tablename__ = "user"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String(256), nullable=True)
    password = sa.Column(sa.String())
    active = sa.Column(sa.Boolean(), nullable=False)
    confirmed_at = sa.Column(sa.DateTime())


class Server(Base):
    __tablename__ = "server"
    id = sa.Column(sa.Integer, primary_key=True)


class ModulePreference(Base):
    __tablename__ = "module_preference"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(256), nullable=False)


class PreferenceCategory(Base):
    __tablename__ = "preference_category"
    id = sa.Column(sa.Integer, primary_key=True)
    mid = sa.Column(sa.Integer, sa.ForeignKey("module_preference.id"))
    name = sa.Column(sa.String(256), nullable=False)


class Preferences(Base):
    __tablename__ = "preferences"
    id = sa.Column(sa.Integer, primary_key=True)
    cid = sa.Column(sa.Integer, sa.ForeignKey("preference_category.id"), nullable=False)
    name = sa.Column(sa.String(1024), nullable=False)


class Keys(Base):
    __tablename__ = "keys"
    name = sa.Column(sa.String(), nullable=False, primary_key=True)
    value = sa.Column(sa.String(), nullable=False)
