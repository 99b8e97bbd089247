"""pgAdmin's config module, as its revisions read it: desktop mode's defaults (pgAdmin 9.18), and the
password salt and secret key fixed (pgAdmin draws them at random when the config has none; they
end up in rows only)."""
SERVER_MODE = False
DESKTOP_USER = "pgadmin4@pgadmin.org"
SECURITY_PASSWORD_HASH = "pbkdf2_sha512"
SECURITY_PASSWORD_SALT = "realworld-salt"
SECRET_KEY = "realworld-secret-key"
SETTINGS_SCHEMA_VERSION = 52  # pgadmin.model.SCHEMA_VERSION
