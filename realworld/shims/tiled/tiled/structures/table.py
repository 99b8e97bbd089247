"""tiled.structures.table: the prefix 83889e049ddc writes into the rows of tables it converts."""
B64_ENCODED_PREFIX = "data:application/vnd.apache.arrow.file;base64,"
