"""tiled.structures.core: the enum two revisions make a column of, and the spec one writes (0.2.20)."""
import enum
from dataclasses import dataclass
from typing import Optional


class StructureFamily(str, enum.Enum):
    array = "array"
    awkward = "awkward"
    bytes = "bytes"
    container = "container"
    ragged = "ragged"
    sparse = "sparse"
    table = "table"


@dataclass(frozen=True)
class Spec:
    name: str
    version: Optional[str] = None
