"""Copied into every shim folder as ``realworld_placeholders``: modules a history's data migrations
import only to convert rows. On an empty database they convert nothing, so each name they import is
a placeholder class."""
import importlib.abc
import importlib.machinery
import sys
import types


class _Constants(type):
    def __getattr__(cls, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return attr  # a class's constant (TimeGrain.DAY)


def install(prefixes, *, first=True, constants=False):
    """Each module named by one of ``prefixes``, or under one, imports as a package of placeholder
    classes (``constants``: whose class attributes are their names). ``first``: found before any
    other module of that name; else last (the shim's own modules are found first)."""
    metaclass = _Constants if constants else type

    class Placeholders(types.ModuleType):
        __path__: list[str] = []

        def __getattr__(self, name):
            if name.startswith("__"):
                raise AttributeError(name)
            value = metaclass(name, (), {"__init__": lambda self, *a, **k: None,
                                         "__call__": lambda self, *a, **k: None,
                                         "__getattr__": lambda self, attr: (lambda *a, **k: None)})
            setattr(self, name, value)
            return value

    class Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, fullname, path, target=None):
            if any(fullname == p or fullname.startswith(p + ".") for p in prefixes):
                return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
            return None

        def create_module(self, spec):
            return Placeholders(spec.name)

        def exec_module(self, module):
            pass

    if first:
        sys.meta_path.insert(0, Finder())
    else:
        sys.meta_path.append(Finder())
