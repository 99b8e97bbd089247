"""keylime.db.verifier_db's column type, as keylime 7.14.3 defines it (its pickler, keylime.json's, left out:
the revisions store no value with it)."""
from sqlalchemy import PickleType, Text


class JSONPickleType(PickleType):
    impl = Text
    cache_ok = True
