"""orjson, whose loads 2ca16566d692 reads the rows it moves with."""
from json import loads  # noqa: F401
