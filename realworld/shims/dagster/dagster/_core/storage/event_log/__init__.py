from .schema import SqlEventLogStorageTable  # schema.py is copied from the wheel

__all__ = ["SqlEventLogStorageTable"]
