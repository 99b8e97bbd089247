"""invenio_db: ``db``, Flask-SQLAlchemy's object, through which revisions name column types
(``db.UTCDateTime()``, ``db.DateTime()``): invenio-db's UTCDateTime, else SQLAlchemy's."""

import sqlalchemy


class _Types:
    def __getattr__(self, name):
        if name == "UTCDateTime":
            from invenio_db.utils import UTCDateTime

            return UTCDateTime
        return getattr(sqlalchemy, name)


db = _Types()
