"""glance.db.sqlalchemy.models.JSONEncodedDict: a column type of the initial revision (without its
value conversions, which a migration on an empty database never runs)."""
from sqlalchemy.types import Text, TypeDecorator


class JSONEncodedDict(TypeDecorator):
    impl = Text
