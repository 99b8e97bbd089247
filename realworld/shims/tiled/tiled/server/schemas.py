"""tiled.server.schemas: the enum 2ca16566d692 makes a column of (tiled.structures.data_source, 0.2.20)."""
import enum


class Management(str, enum.Enum):
    external = "external"
    immutable = "immutable"
    locked = "locked"
    writable = "writable"

