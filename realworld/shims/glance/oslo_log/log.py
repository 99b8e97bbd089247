"""oslo_log.log.getLogger: the standard library's."""
from logging import getLogger  # noqa: F401
