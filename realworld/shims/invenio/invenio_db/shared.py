"""invenio_db.shared, which invenio-rdm-records' 1777278349 imports: its UTCDateTime (realworld/shims/invenio's
invenio_db.utils)."""
from .utils import UTCDateTime

__all__ = ["UTCDateTime"]
