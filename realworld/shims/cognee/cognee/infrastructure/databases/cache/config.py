"""cognee's cache settings: its default backend, SQLite, and no CACHE_DB_URL."""

import types


def get_cache_config():
    return types.SimpleNamespace(cache_backend="sqlite", cache_db_url=None, model_fields_set=set())
