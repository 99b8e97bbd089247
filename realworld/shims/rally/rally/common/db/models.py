"""rally.common.db.models: the UUID factory a data revision calls per stored row."""

import uuid


def UUID():
    return str(uuid.uuid4())
