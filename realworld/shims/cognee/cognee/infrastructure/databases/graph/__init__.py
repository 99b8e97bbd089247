"""cognee.infrastructure.databases.graph: the graph settings, cognee's default provider."""

import types


def get_graph_config():
    return types.SimpleNamespace(graph_database_provider="ladybug", graph_file_path="")
