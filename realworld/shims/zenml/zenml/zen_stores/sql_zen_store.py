"""A SqlZenStore whose secrets store is the database itself (the migration then moves nothing)."""
import types

from zenml.enums import SecretsStoreType


class SqlZenStore:
    def __init__(self, **kwargs):
        self.secrets_store = types.SimpleNamespace(TYPE=SecretsStoreType.SQL)
