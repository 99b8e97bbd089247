"""meltano/core/utils: what meltano.core.sqlalchemy and 6828cc5b1a4f import (the package's module
imports dateparser, structlog, requests and meltano's errors)."""

from __future__ import annotations

import uuid


def uuid7() -> uuid.UUID:
    return uuid.uuid4()


def merge(src, dest):
    """Merge ``src`` into ``dest`` at depth, in place (meltano.core.utils.merge)."""
    for key, value in src.items():
        if isinstance(value, dict):
            merge(value, dest.setdefault(key, {}))
        else:
            dest[key] = value
    return dest
