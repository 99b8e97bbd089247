"""oslo_log.log.getLogger: the standard library's."""
from logging import getLogger

__all__ = ["getLogger"]
