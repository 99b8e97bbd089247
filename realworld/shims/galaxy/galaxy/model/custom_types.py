"""galaxy.model.custom_types' column types as galaxy 26.1.2 defines them, for what the database stores
(their value conversions, which need galaxy.util, left out: the revisions convert no rows with them)."""
import sqlalchemy
from sqlalchemy.dialects import mysql
from sqlalchemy.types import CHAR, LargeBinary, String, TypeDecorator


class GalaxyLargeBinary(LargeBinary):
    pass


class JSONType(TypeDecorator):
    impl = GalaxyLargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "mysql":
            return dialect.type_descriptor(mysql.MEDIUMBLOB)
        return self.impl


class DoubleEncodedJsonType(JSONType):
    cache_ok = True


class MutableJSONType(JSONType):
    cache_ok = True


class MetadataType(JSONType):
    cache_ok = True


class UUIDType(TypeDecorator):
    impl = CHAR
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(CHAR(32))


class TrimmedString(TypeDecorator):
    impl = String
    cache_ok = True


__all__ = ["sqlalchemy", "GalaxyLargeBinary", "JSONType", "DoubleEncodedJsonType", "MutableJSONType",
           "MetadataType", "UUIDType", "TrimmedString"]
