from . import timezone  # noqa: F401
