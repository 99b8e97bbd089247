"""rally.task.context: rally's context plugins, which a data revision looks up per stored workload (none here)."""


class Context:
    @classmethod
    def get(cls, name):
        raise NotImplementedError("rally's context plugins are not stood in for")
