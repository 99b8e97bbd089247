"""oslo_db.sqlalchemy.models.ModelBase (oslo.db 18.1.1): the mixin of cloudkitty's models (dict access)."""


class ModelBase:
    __table_initialized__ = False

    def __getitem__(self, key):
        return getattr(self, key)

    def __setitem__(self, key, value):
        setattr(self, key, value)

    def get(self, key, default=None):
        return getattr(self, key, default)
