"""Stands in for flaskbb: its history reads ``flaskbb.utils.database.UTCDateTime`` after ``import flaskbb``."""

from . import utils  # noqa: F401
