"""gpustack, as its revisions import it: its version, its global config, the column types and constants of
its schemas (``gpustack.schemas.common.UTCDateTime`` after a bare ``import gpustack``); schemas/stmt.py,
utils/sql_enum.py and migrations/utils.py are copied from the wheel."""
from . import config, schemas

__all__ = ["config", "schemas"]
__version__ = "2.3.0"
