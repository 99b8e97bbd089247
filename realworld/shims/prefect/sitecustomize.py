"""Loaded at start-up (sitecustomize): the modules of prefect its migrations import that the shim does
not stand in for (blocks, events, concurrency lease storage, pydantic schemas ...) are used only to
convert rows; on an empty database they convert nothing, so each name they import is a placeholder
class. The finder comes last: the shim's own modules (the column types) are found first."""
import importlib.abc
import importlib.machinery
import sys
import types


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
        if fullname.startswith("prefect."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Placeholders(spec.name)

    def exec_module(self, module):
        pass


sys.meta_path.append(_Finder())
