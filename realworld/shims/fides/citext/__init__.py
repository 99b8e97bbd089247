"""sqlalchemy-citext's CIText: PostgreSQL's case-insensitive ``citext`` (as the package defines it)."""

import sqlalchemy.types as types


class CIText(types.Concatenable, types.UserDefinedType):
    cache_ok = True

    def get_col_spec(self):
        return "CITEXT"
