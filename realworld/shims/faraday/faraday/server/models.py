"""faraday.server.models as its revisions read it: the constants of its models (token scopes, role
names, permission actions, as faraday 5.25.2 defines them), and ``Role.query.all()``, which reads the
roles table on the migration's connection as Flask-SQLAlchemy's query reads it. The models older
revisions query to convert rows are placeholders: they run before the starting version's heads."""
import sqlalchemy as sa
from alembic import op


class UserToken:
    GITLAB_SCOPE = 'gitlab'
    SCHEDULER_SCOPE = 'scheduler'
    SERVICE_DESK_SCOPE = 'service_desk'
    JIRA_SCOPE = 'jira'
    GLOBAL_SCOPE = 'global'
    SCOPES = [GITLAB_SCOPE, SERVICE_DESK_SCOPE, SCHEDULER_SCOPE, JIRA_SCOPE, GLOBAL_SCOPE]


class User:
    ADMIN_ROLE = 'admin'
    PENTESTER_ROLE = 'pentester'
    ASSET_OWNER_ROLE = 'asset_owner'
    CLIENT_ROLE = 'client'
    WORKSPACE_ADMIN_ROLE = 'workspace_admin'
    ROLES = [ADMIN_ROLE, PENTESTER_ROLE, ASSET_OWNER_ROLE, CLIENT_ROLE, WORKSPACE_ADMIN_ROLE]


class PermissionsUnitAction:
    CREATE_ACTION = 'create'
    READ_ACTION = 'read'
    UPDATE_ACTION = 'update'
    DELETE_ACTION = 'delete'
    RUN_ACTION = 'run'
    TAG_ACTION = 'tag'
    ACTIONS = [CREATE_ACTION, READ_ACTION, UPDATE_ACTION, DELETE_ACTION, RUN_ACTION, TAG_ACTION]


class _RoleQuery:
    def all(self):
        return op.get_bind().execute(sa.text("SELECT * FROM faraday_role")).fetchall()


class Role:
    query = _RoleQuery()


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return type(name, (), {})
