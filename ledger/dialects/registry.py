"""The registry of supported databases: each built-in database's module is imported when its
object is first asked for, so that a run on one database loads none of the others' code."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .ledger_table import LongBlob, LongText

if TYPE_CHECKING:
    from .database import Database

__all__ = ["BUILT_IN", "DATABASES", "LOADED", "backends", "choices", "lookup", "names", "register_database"]

#: The built-in databases, in the order every list of databases shows: name -> (the module that
#: registers its object, its flavours, its SQLAlchemy backend names, its ledger table's column types
#: that are set: ``row_key_type`` ...), which must be the object's own (tests/test_dialects.py).
BUILT_IN: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], dict[str, sa.types.TypeEngine[Any]]]] = {
    "sqlite": ("ledger.dialects.sqlite_db", (), ("sqlite",), {"row_key_type": sa.Integer()}),
    "postgresql": ("ledger.dialects.postgresql_db", (), ("postgresql",), {}),
    "mysql": ("ledger.dialects.mysql_db", ("mariadb",), ("mysql", "mariadb"),
              {"long_text_type": LongText(), "long_binary_type": LongBlob()}),
}


class _Databases(MutableMapping[str, "Database"]):
    """name -> the database object; a built-in one's module is imported on first access."""

    def __init__(self) -> None:
        self._loaded: dict[str, Database] = {}
        self._order: list[str] = list(BUILT_IN)

    def __getitem__(self, name: str) -> Database:
        found = self._loaded.get(name)
        if found is None and name in BUILT_IN:
            importlib.import_module(BUILT_IN[name][0])
            found = self._loaded.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        found = self._loaded.get(name)  # the loaded object, as fast as a dict's get
        if found is not None or name not in BUILT_IN:
            return found if found is not None else default
        return self[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._order

    def __setitem__(self, name: str, database: Database) -> None:
        if name not in self._order:
            self._order.append(name)
        self._loaded[name] = database

    def __delitem__(self, name: str) -> None:
        self._order.remove(name)
        self._loaded.pop(name, None)

    def describe(self, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``name``'s flavours and backend names, without importing a built-in database's module."""
        found = self._loaded.get(name)
        if found is not None:
            return tuple(found.flavours), tuple(found.backends)
        return BUILT_IN[name][1], BUILT_IN[name][2]

    def column_type(self, name: str, variant: str) -> sa.types.TypeEngine[Any] | None:
        """``name``'s ledger table column type ``variant`` (``"long_text_type"`` ...), or None,
        without importing a built-in database's module."""
        found = self._loaded.get(name)
        if found is not None:
            return getattr(found, variant)  # type: ignore[no-any-return]
        return BUILT_IN[name][3].get(variant)


#: name -> the database object; filled by :func:`register_database` (a built-in one when first asked for)
DATABASES = _Databases()
#: name -> the database objects loaded so far (what :func:`lookup` reads first)
LOADED = DATABASES._loaded


def register_database(cls: type[Database]) -> type[Database]:
    """Class decorator: make ``cls`` a supported database. Its generator's DDL goes into the
    implementation registry of ``ops.Operations`` when the generator is first loaded
    (:attr:`Database.generator`; ``ledger.dialects.ddl`` and ``check_implemented`` load it)."""
    DATABASES[cls.name] = cls()
    return cls


def names() -> tuple[str, ...]:
    """The supported databases, by the name schema-ledger uses for each."""
    return tuple(DATABASES)


def backends() -> tuple[str, ...]:
    """The SQLAlchemy backend names (a URL's ``get_backend_name()``) of the supported databases."""
    return tuple(backend for name in DATABASES for backend in DATABASES.describe(name)[1])


def choices() -> tuple[str, ...]:
    """What ``--dialect`` accepts: every database's name and flavours."""
    return tuple(n for name in DATABASES for n in (name, *DATABASES.describe(name)[0]))


def lookup(name: str) -> Database | None:
    """The database object for a schema-ledger name, a flavour or a SQLAlchemy backend name, or None."""
    found = LOADED.get(name) or DATABASES.get(name)
    if found is not None:
        return found  # type: ignore[no-any-return]
    for candidate in DATABASES:
        flavours, backend_names = DATABASES.describe(candidate)
        if name in flavours or name in backend_names:
            return DATABASES[candidate]
    return None
