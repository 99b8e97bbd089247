"""airflow.settings as airflow 2's data migrations read it. Their sessions and web app stand for an
empty database: every query finds nothing (``Session`` and ``cached_app()`` are ``Nothing``)."""
import json

__all__ = ["json", "DAGS_FOLDER", "Nothing", "Session", "engine"]  # the migrations import airflow.settings.json

DAGS_FOLDER = ""


class Nothing:
    """An object every call and attribute of which is itself: false, empty, with nothing in it."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __bool__(self):
        return False

    def __add__(self, other):
        return self

    __radd__ = __eq__ = __ne__ = __add__
    __hash__ = object.__hash__

    def __iter__(self):
        return iter(())

    def __setattr__(self, name, value):
        pass


Session = Nothing()
engine = Nothing()
