"""vitrage.storage.sqlalchemy.models (vitrage 15.0.1): the three names its initial revision uses, as
vitrage writes them (its models need oslo.db's model mixins, which the revision never uses)."""
import datetime
import json

from sqlalchemy import types

DEFAULT_END_TIME = datetime.datetime(2222, 2, 22, 22, 22, 22)


class AutoIncrementInteger(types.TypeDecorator):
    impl = types.INT
    cache_ok = True
    count = 0

    def process_bind_param(self, value, dialect):
        value = self.count
        self.count += 1
        return value

    def process_result_value(self, value, dialect):
        return value


MagicBigInt = types.BigInteger().with_variant(AutoIncrementInteger, 'sqlite')


class JSONEncodedDict(types.TypeDecorator):
    """Represents an immutable structure as a json-encoded string"""

    impl = types.TEXT
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return json.dumps(value) if value else None

    def process_result_value(self, value, dialect):
        return json.loads(value) if value else None
