"""datajunction_server/utils.py: the settings a revision reads at import (none of them on a new database)."""


class _Settings:
    def __getattr__(self, name):
        raise AttributeError(f"realworld shim: setting {name} is not known")


def get_settings():
    return _Settings()
