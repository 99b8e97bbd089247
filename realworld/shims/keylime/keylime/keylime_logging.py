"""keylime.keylime_logging.init_logging: a logger of that name."""
import logging


def init_logging(name):
    return logging.getLogger(f"keylime.{name}")
