"""invenio_db's ``db`` (Flask-SQLAlchemy's object, whose attributes are SQLAlchemy's names, with invenio-db's
UTCDateTime beside them), which some modules' revisions take column types from (``db.UTCDateTime()``,
``db.String(1)``); the app and the session left out."""
import sqlalchemy


class _SQLAlchemy:
    """Flask-SQLAlchemy's ``db`` as far as revisions use it: SQLAlchemy's names, and ``UTCDateTime``."""

    def __getattr__(self, name):
        if name == "UTCDateTime":
            from .utils import UTCDateTime

            return UTCDateTime
        return getattr(sqlalchemy, name)


db = _SQLAlchemy()
