"""rucio.common.schema.get_schema_value (rucio 41.5.1): a value of the generic schema (copied), the one a
server with a single VO reads; the revisions read SCOPE_LENGTH and NAME_LENGTH, plain numbers."""
from rucio.common.schema import generic


def get_schema_value(key, vo="def"):
    return getattr(generic, key)
