"""langflow.schema.serialize.UUIDstr, as the copied model file names it: a UUID column."""
from uuid import UUID as UUIDstr  # noqa: N811

__all__ = ["UUIDstr"]
