"""fides.api.db.session.get_db_session: 7abe778b7082 opens a session of its own to read the dataset configs,
of which an empty database has none (fides.api.db.base.DatasetConfig.all gives none)."""


class _Session:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def commit(self):
        pass

    def close(self):
        pass


def get_db_session(config, autocommit=False, autoflush=False, engine=None):
    return _Session
