from . import common

__all__ = ["common"]
