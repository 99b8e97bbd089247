"""invenio_accounts.models' Role, whose table's referencing foreign keys f2522cdd5fcd drops on MySQL
(sqlalchemy_utils.get_referencing_foreign_keys): the roles table and, of the tables of invenio-accounts alone, the
one referring to it (accounts_userrole), as its models declare them before that revision; with invenio-access or
invenio-communities installed, their tables referring to the roles too (the models of every installed module share
one MetaData)."""
import importlib.util

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base(metadata=sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}))


class Role(Base):
    __tablename__ = "accounts_role"
    id = sa.Column(sa.Integer, primary_key=True)


userrole = sa.Table(
    "accounts_userrole", Base.metadata,
    sa.Column("user_id", sa.Integer, nullable=True),
    sa.Column("role_id", sa.Integer, sa.ForeignKey("accounts_role.id", name="fk_accounts_userrole_role_id"),
              nullable=True),
)

if importlib.util.find_spec("invenio_access") is not None:
    actionsroles = sa.Table(
        "access_actionsroles", Base.metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("role_id", sa.Integer, sa.ForeignKey("accounts_role.id", ondelete="CASCADE",
                                                       name="fk_access_actionsroles_role_id_accounts_role")),
    )

if importlib.util.find_spec("invenio_communities") is not None:
    communities_tables = [
        sa.Table(
            name, Base.metadata,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("group_id", sa.Integer, sa.ForeignKey("accounts_role.id", ondelete="RESTRICT",
                                                            name=f"fk_{name}_group_id_accounts_role")),
        )
        for name in ("communities_members", "communities_archivedinvitations")
    ]
