"""mindsdb.utilities.log: getLogger."""
import logging


def getLogger(name):  # noqa: N802 - mindsdb's name
    return logging.getLogger(name)
