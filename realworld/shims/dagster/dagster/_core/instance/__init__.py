class DagsterInstance:  # named in annotations only
    pass
