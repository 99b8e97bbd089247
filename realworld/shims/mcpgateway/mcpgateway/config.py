"""mcpgateway.config's ``settings``, at its defaults: what the revisions read (role names, the tool
name separator, the encryption secret of its data migrations)."""


class _Secret:
    def __init__(self, value):
        self._value = value

    def get_secret_value(self):
        return self._value


class _Settings:
    auth_encryption_secret = _Secret("my-test-salt")
    default_admin_role = "platform_admin"
    default_team_member_role = "viewer"
    default_team_owner_role = "team_admin"
    default_user_role = "platform_viewer"
    gateway_tool_name_separator = "-"
    platform_admin_email = "admin@example.com"


settings = _Settings()
