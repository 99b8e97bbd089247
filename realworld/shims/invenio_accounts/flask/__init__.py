"""Flask's current_app, whose config invenio-accounts' 9848d0149abd reads (DB_VERSIONING_USER_MODEL, unset: the
versioned transaction table gets its user_id column, as invenio-db makes it when invenio-accounts is installed)."""
import types

current_app = types.SimpleNamespace(config={})
