"""mindsdb.utilities.config: Config, not in the cloud, the default project named mindsdb, its folders
under a root that holds none yet (no files to move: a revision that renames content folders skips)."""
_root = "/nonexistent/mindsdb"
_paths = {name: f"{_root}/{name}" for name in ("root", "content", "storage", "static", "tmp", "cache", "locks")}


class Config(dict):
    def __init__(self):
        super().__init__(paths=dict(_paths), cloud=False, default_project="mindsdb")

    @property
    def paths(self):
        return self["paths"]


config = Config()
