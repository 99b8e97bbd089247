"""freshmaker's Flask-SQLAlchemy ``db``, which b17231ee8220 and e06434b3ef5e import (b17231ee8220 takes its
session and never uses it)."""


class _DB:
    session = None


db = _DB()
