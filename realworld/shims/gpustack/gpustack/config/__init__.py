from . import config

__all__ = ["config"]
