"""cognee.infrastructure.databases.exceptions: the cache's connection error."""


class CacheConnectionError(Exception):
    pass
