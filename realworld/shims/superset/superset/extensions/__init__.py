"""superset.extensions.encrypted_field_factory, as superset configures it by default (its
SQLAlchemyUtilsAdapter: sqlalchemy_utils' EncryptedType keyed by the app's SECRET_KEY)."""
from sqlalchemy_utils import EncryptedType as SqlaEncryptedType

SECRET_KEY = "realworld"


class EncryptedType(SqlaEncryptedType):
    cache_ok = True


class EncryptedFieldFactory:
    def create(self, *args, **kwargs):
        return EncryptedType(*args, lambda: SECRET_KEY, **kwargs)


encrypted_field_factory = EncryptedFieldFactory()
