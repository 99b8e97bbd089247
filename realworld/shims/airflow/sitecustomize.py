"""Loaded at start-up (sitecustomize): modules airflow's data migrations import only to convert rows
(the execution API's models, cadwyn, uuid6, dill, structlog ...). On an empty database they convert
nothing; each name they import is a placeholder class."""
import importlib.abc
import importlib.machinery
import sys
import types

PREFIXES = ("airflow.api_fastapi", "airflow.sdk", "airflow.serialization", "airflow.models.taskinstance",
            "airflow.utils.hashlib_wrapper", "cadwyn", "uuid6", "dill", "structlog")


class _Placeholders(types.ModuleType):
    __path__: list[str] = []

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = type(name, (), {"__init__": lambda self, *a, **k: None, "__call__": lambda self, *a, **k: None,
                                "__getattr__": lambda self, attr: (lambda *a, **k: None)})
        setattr(self, name, value)
        return value


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if any(fullname == p or fullname.startswith(p + ".") for p in PREFIXES):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Placeholders(spec.name)

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _Finder())
