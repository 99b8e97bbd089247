"""tiled.catalog.orm: the column type its revisions use (JSON, JSONB on PostgreSQL), as tiled's."""
from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB

JSONVariant = JSON().with_variant(JSONB(), "postgresql")
