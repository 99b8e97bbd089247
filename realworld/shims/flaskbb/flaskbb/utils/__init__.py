from . import database, helpers

__all__ = ["database", "helpers"]
