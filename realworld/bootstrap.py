"""``python -m realworld.bootstrap [--bare-packages] [--prepare FILE] [--setup FILE] URL WHEEL MODULE...``: ``create_all()`` of a package's own models.

Some projects create their tables with ``metadata.create_all()`` and run their Alembic history only
from there (jupyterhub, nbgrader, buildbot, dagster on PostgreSQL): Alembic alone fails on an empty
database. Their users' databases were made by the models of the version the history starts at.
This builds that starting schema from those models without installing the package: the wheel is
unpacked and put first on the path, and any other module it imports that is not installed here
(tornado, twisted, traitlets ...) is stood in for by a module of inert placeholders. A models
module defines tables with SQLAlchemy only, so the placeholders are never used to build a table.
Every ``MetaData`` found in the modules (module globals, and a ``metadata`` attribute of a
declarative base or of a class holding one) is created on the database.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import os
import runpy
import sys
import tarfile
import tempfile
import types
import zipfile
from typing import Any

import sqlalchemy as sa


class _Inert(type):
    """The type of placeholders: a class (it can be subclassed) whose attributes are placeholders,
    which used as a decorator gives back what it decorates, called otherwise gives a placeholder,
    iterated is empty and compared is neither smaller nor greater."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _placeholder(name)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and not kwargs and callable(args[0]):
            return args[0]
        return _placeholder("result")

    def __iter__(cls) -> Any:
        # an empty collection: settings a package reads from a placeholder (pyramid's get_appsettings)
        # are none, so its own defaults stand
        return iter(())

    def __lt__(cls, other: Any) -> bool:
        # a version check against a placeholder (celery.version_info < (4, 3)) takes no branch
        return False

    __gt__ = __le__ = __ge__ = __lt__


def _placeholder(name: str) -> Any:
    return _Inert(name, (), {})


class _PlaceholderModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _placeholder(name)


class _Placeholders(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on ``sys.meta_path``: a module nothing else finds is a placeholder module."""

    def __init__(self, own: str, folder: str) -> None:
        self.own, self.folder = own, folder

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".")[0] == self.own or not self._imported_by_the_package():
            # the package's own modules come from the wheel, or fail honestly; an optional import
            # of an installed library fails as it would
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def _imported_by_the_package(self) -> bool:
        frame = sys._getframe(2)
        while frame is not None:
            name = frame.f_code.co_filename
            if not name.startswith("<frozen") and name != __file__:
                return name.startswith(self.folder)
            frame = frame.f_back  # type: ignore[assignment]
        return False

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _PlaceholderModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


class _BarePackages(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """First on ``sys.meta_path``: a package of the wheel is made without running its ``__init__.py``
    (which may import the whole package and everything it needs), so a models module is imported
    with only what it imports itself."""

    def __init__(self, own: str, folder: str) -> None:
        self.own, self.folder = own, folder

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".")[0] != self.own:
            return None
        package = os.path.join(self.folder, *fullname.split("."))
        if not os.path.isdir(package):
            return None
        spec = importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        spec.submodule_search_locations = [package]
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = types.ModuleType(spec.name)
        module.__path__ = list(spec.submodule_search_locations or [])
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def metadatas(module: types.ModuleType) -> list[sa.MetaData]:
    found: list[sa.MetaData] = []
    for value in list(vars(module).values()):
        candidate = value if isinstance(value, sa.MetaData) else getattr(value, "metadata", None) \
            if isinstance(value, type) else None
        if isinstance(candidate, sa.MetaData) and candidate.tables and all(candidate is not m for m in found):
            found.append(candidate)
    return found


def create_all(url: str, wheel: str, modules: list[str], *, bare_packages: bool = False,
               setup: str | None = None, prepare: str | None = None) -> list[str]:
    """Create the tables of ``modules`` (dotted names inside ``wheel``) on ``url``; their names.

    ``bare_packages``: the wheel's packages are made without running their ``__init__.py``.
    ``prepare``: a Python file run before the modules are imported, which does what the package's app
    does before its models can be imported (its settings).
    ``setup``: a Python file run after the modules are imported, which does what the package's app
    does to its models before it creates them (the ``MetaData`` in its globals are created too)."""
    # The driver first: its optional imports must fail as ImportError, not find placeholders.
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    folder = tempfile.mkdtemp(prefix="realworld-bootstrap-")
    if wheel.endswith(".tar.gz"):  # a source distribution: its one top folder holds the package
        with tarfile.open(wheel) as archive:
            archive.extractall(folder, filter="data")
        (top,) = os.listdir(folder)
        folder = os.path.join(folder, top)
    else:
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(folder)
    sys.path.insert(0, folder)
    own = modules[0].split(".")[0]
    if bare_packages:
        sys.meta_path.insert(0, _BarePackages(own, folder))
    sys.meta_path.append(_Placeholders(own, folder))
    if prepare is not None:
        runpy.run_path(prepare)
    found: list[sa.MetaData] = []
    for name in modules:
        for metadata in metadatas(importlib.import_module(name)):
            if all(metadata is not m for m in found):
                found.append(metadata)
    if setup is not None:
        for metadata in metadatas(types.SimpleNamespace(**runpy.run_path(setup))):  # type: ignore[arg-type]
            if all(metadata is not m for m in found):
                found.append(metadata)
    if not found:
        raise SystemExit(f"no MetaData with tables in {', '.join(modules)}")
    names: list[str] = []
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                # the schemas the tables live in, which the package makes before them (reana: __reana)
                for schema in sorted({t.schema for m in found for t in m.tables.values() if t.schema}):
                    conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            for metadata in found:
                metadata.create_all(conn)
                names += list(metadata.tables)
    finally:
        engine.dispose()
    return names


def main(argv: list[str]) -> int:
    bare = "--bare-packages" in argv
    argv = [a for a in argv if a != "--bare-packages"]
    files: dict[str, str | None] = {"--setup": None, "--prepare": None}
    for option in files:
        if option in argv:
            at = argv.index(option)
            files[option] = argv[at + 1]
            del argv[at:at + 2]
    url, wheel, *modules = argv
    names = create_all(url, wheel, modules, bare_packages=bare, setup=files["--setup"], prepare=files["--prepare"])
    print(f"created {len(names)} tables: {', '.join(sorted(names))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
