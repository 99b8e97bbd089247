"""iso8601: the UTC timezone gnocchi's column types read as iso8601.iso8601.UTC."""
from . import iso8601

__all__ = ["iso8601"]
