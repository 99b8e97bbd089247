"""kuzu: b9274c27a25a reads its version only for a kuzu graph, which cognee's default (ladybug) is not."""

__version__ = "0.11.3"
