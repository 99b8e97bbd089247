"""The models galaxy's data fixes query (galaxy.model, 26.1.2), with only the columns they use: on an
empty database they find no rows. Their MetaData is their own (never created)."""
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase


class _Base(DeclarativeBase):
    metadata = sa.MetaData()


class User(_Base):
    __tablename__ = "galaxy_user"
    id = sa.Column(sa.Integer, primary_key=True)
    create_time = sa.Column(sa.DateTime)
    email = sa.Column(sa.String(255))
    username = sa.Column(sa.String(255))


class UserAuthnzToken(_Base):
    __tablename__ = "oidc_user_authnz_tokens"
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer)
    uid = sa.Column(sa.String(255))
    provider = sa.Column(sa.String(32))
    extra_data = sa.Column(sa.Text)
    lifetime = sa.Column(sa.Integer)
    assoc_type = sa.Column(sa.String(64))


class UserRoleAssociation(_Base):
    __tablename__ = "user_role_association"
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer)
    role_id = sa.Column(sa.Integer)
    update_time = sa.Column(sa.DateTime)


class UserGroupAssociation(_Base):
    __tablename__ = "user_group_association"
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer)
    group_id = sa.Column(sa.Integer)
    update_time = sa.Column(sa.DateTime)


class GroupRoleAssociation(_Base):
    __tablename__ = "group_role_association"
    id = sa.Column(sa.Integer, primary_key=True)
    group_id = sa.Column(sa.Integer)
    role_id = sa.Column(sa.Integer)
    update_time = sa.Column(sa.DateTime)


for _model in (User, UserAuthnzToken, UserRoleAssociation, UserGroupAssociation, GroupRoleAssociation):
    _model.table = _model.__table__  # galaxy's models name their table so (galaxy.model._HasTable)
