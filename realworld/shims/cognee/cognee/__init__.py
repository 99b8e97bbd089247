"""cognee: the modules its revisions import, standing in for the package (whose ``__init__`` loads its
whole stack): the default user, the kuzu graph upgrade, the graph, base and cache settings, each with
cognee's defaults (a ladybug graph, an SQLite session cache in a file a new database does not have)."""
