"""Stands in for flaskbb: its history reads ``flaskbb.utils.database.UTCDateTime`` after ``import flaskbb``."""

from . import utils

__all__ = ["utils"]
