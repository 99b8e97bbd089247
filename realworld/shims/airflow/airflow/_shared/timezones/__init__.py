from . import timezone

__all__ = ["timezone"]
