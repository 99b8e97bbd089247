"""cognee's cache URL: a cache.db beside the relational database's files, which a new database has not made."""

import os
import tempfile


def _resolve_cache_db_url(backend, cache_db_url):
    if cache_db_url:
        return cache_db_url
    databases = os.path.join(tempfile.gettempdir(), "cognee-realworld-databases")
    return "sqlite+aiosqlite:///" + os.path.join(databases, "cache.db")
