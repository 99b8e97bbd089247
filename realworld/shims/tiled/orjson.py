"""orjson, whose loads 2ca16566d692 reads the rows it moves with."""
import json

loads = json.loads
