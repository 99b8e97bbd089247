"""tiled.serialization.table: 83889e049ddc reads Arrow data of the rows of tables it converts (none here)."""


def deserialize_arrow(buffer):
    raise NotImplementedError("pyarrow is not installed: no table node to convert")
