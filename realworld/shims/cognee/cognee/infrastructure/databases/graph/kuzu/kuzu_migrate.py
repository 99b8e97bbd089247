"""cognee's kuzu storage upgrade: b9274c27a25a calls it only on a kuzu graph file."""


def read_kuzu_storage_version(path):
    raise NotImplementedError(path)


def kuzu_migration(**kwargs):
    raise NotImplementedError(kwargs)
