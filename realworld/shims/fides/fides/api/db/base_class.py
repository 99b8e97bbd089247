"""fides.api.db.base_class.JSONTypeOverride: sqlalchemy-utils' JSONType, whose values fides writes as JSON text."""

from sqlalchemy_utils import JSONType


class JSONTypeOverride(JSONType):
    cache_ok = True
