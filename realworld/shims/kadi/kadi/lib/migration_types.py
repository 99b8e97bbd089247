"""kadi/lib/migration_types.py: the column types kadi's revisions name (its env.py's user_module_prefix),
as kadi.lib.db and kadi.modules.records.extras define them (what they do to values left out)."""

from sqlalchemy import DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator
from sqlalchemy_utils.types.encrypted.encrypted_type import StringEncryptedType


class UTCDateTime(TypeDecorator):
    """kadi.lib.db.UTCDateTime: a DateTime without time zone, read and written as UTC."""

    impl = DateTime
    cache_ok = True


class ExtrasJSONB(TypeDecorator):
    """kadi.modules.records.extras.ExtrasJSONB: JSONB whose float values stay floats."""

    impl = JSONB
    cache_ok = True


__all__ = ["ExtrasJSONB", "StringEncryptedType", "UTCDateTime"]
