"""rally.plugins: loading rally's plugins, which a data revision asks for per stored workload (none here)."""


def load():
    raise NotImplementedError("rally's plugins are not stood in for")
