"""mindsdb.interfaces.storage.fs: RESOURCE_GROUP."""


class _ResourceGroup:
    PREDICTOR = "predictor"
    INTEGRATION = "integration"
    TAB = "tab"
    SYSTEM = "system"


RESOURCE_GROUP = _ResourceGroup()
