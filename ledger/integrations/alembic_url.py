"""The database of an Alembic project, for the commands run in a project that records with the hook
(``ledger.alembic.attach(context)`` in env.py) and has no ``schema-ledger.toml``.

The project's Alembic configuration is found as the ``alembic`` command finds it: the file
``$ALEMBIC_CONFIG`` names (a ``pyproject.toml`` by that name is the TOML file), else ``alembic.ini``
and a ``pyproject.toml`` with a ``[tool.alembic]`` table, in the working folder or the nearest folder
above it that holds either. The URL is ``sqlalchemy.url`` of the ini's main section (``[alembic]``, or
the one ``-n NAME`` names, as ``alembic -n NAME`` reads it: a section the ini lacks is an error),
else of ``[tool.alembic]``, read by Alembic's own ``Config``: ``%(here)s`` is the file's folder and
``%%`` a percent sign; Alembic expands no environment variable there, and neither is one expanded
here. A relative SQLite path is taken, as Alembic takes it, from the folder ``alembic`` is run in:
the one holding the file (the working folder with ``$ALEMBIC_CONFIG``).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from typing import Any
from pathlib import Path

from ledger.project.config import ConfigError

__all__ = ["AlembicUrl", "alembic_url", "with_alembic_table"]

INI = "alembic.ini"
TOML = "pyproject.toml"
KEY = "sqlalchemy.url"
#: what ``alembic init`` writes before the user sets a URL
TEMPLATE_URL = "driver://user:pass@localhost/dbname"


class AlembicUrl:
    """``url`` from ``where`` (the file and its section), for a project whose relative paths are
    taken from ``folder``."""

    __slots__ = ("url", "where", "folder")

    def __init__(self, url: str, where: str, folder: Path) -> None:
        self.url, self.where, self.folder = url, where, folder


def alembic_url(start: Path, environ: Mapping[str, str] | None = None, *, name: str = "alembic") -> AlembicUrl | None:
    """The database URL of the Alembic project at ``start`` (the working folder) or above it; None
    when there is no Alembic configuration there. ``name``: the ini section (``alembic -n NAME``).

    Raises ConfigError when the configuration names no usable URL (env.py makes it).
    """
    environ = os.environ if environ is None else environ
    found = _files(start.resolve(), environ)
    if found is None:
        return None
    ini, toml, folder = found
    shown = _shown(ini or toml, start)  # type: ignore[arg-type]
    try:
        from alembic.config import Config
    except ModuleNotFoundError as exc:
        if exc.name != "alembic":
            raise
        raise ConfigError(f"{shown} names the database, and reading it needs Alembic: "
                          "pip install 'schema-ledger[alembic]' (or give --url URL)") from None
    config = Config(str(ini) if ini else None, toml_file=str(toml) if toml else None, ini_section=name)
    if name != "alembic":
        _has_section(config, ini, name, shown)
    try:
        in_ini = config.file_config.has_option(name, KEY)
        url = config.get_alembic_option(KEY)
    except Exception as exc:  # noqa: BLE001 - configparser's and tomllib's errors, an interpolation that fails
        raise ConfigError(f"{shown}: cannot read {KEY}: {' '.join(str(exc).split())[:200]}") from None
    where = f"{shown} [{name}]" if in_ini else f"{_shown(toml, start) if toml else shown} [tool.alembic]"
    if not isinstance(url, str) or not url.strip() or url.strip() == TEMPLATE_URL:
        said = "is still alembic init's placeholder" if isinstance(url, str) and url.strip() == TEMPLATE_URL \
            else "is not set"
        sections = f"[{name}] of {shown}" + (f" or [tool.alembic] of {_shown(toml, start)}" if toml else "")
        others = _other_databases(config.file_config, name)
        if others:  # the multidb template's [engine1], [engine2]; the sections `alembic -n NAME` reads
            raise ConfigError(f"no schema-ledger.toml found, and {KEY} in {sections} {said}; "
                              f"{_listed(others)} of {shown} name databases, each with a ledger of its own: "
                              f"give -n NAME to read one (-n {others[0]}), or --url URL")
        raise ConfigError(f"no schema-ledger.toml found, and {KEY} in {sections} {said} (env.py makes the URL?): "
                          "give --url URL or set SCHEMA_LEDGER_URL")
    return AlembicUrl(url.strip(), f"{where} {KEY}", folder)


def _has_section(config: Any, ini: Path | None, name: str, shown: str) -> None:
    """Raise ConfigError, as ``alembic -n NAME`` stops, when the ini has no section ``name``."""
    if ini is None:
        raise ConfigError(f"-n {name}: there is no alembic.ini to read [{name}] from, only {shown} [tool.alembic]: "
                          "give --url URL")
    try:
        sections = config.file_config.sections()
    except Exception as exc:  # noqa: BLE001 - configparser's errors
        raise ConfigError(f"{shown}: cannot be read: {' '.join(str(exc).split())[:200]}") from None
    if name not in sections:
        held = ", ".join(f"[{section}]" for section in sections) or "none"
        raise ConfigError(f"{shown} has no section [{name}] (-n {name}); its sections: {held}")


def _other_databases(parser: Any, name: str) -> list[str]:
    """The sections of the ini file besides ``name`` that set a database URL."""
    found = []
    for section in parser.sections():
        try:
            url = parser.get(section, KEY, raw=True, fallback=None) if section != name else None
        except Exception:  # noqa: BLE001 - configparser's errors: a section that cannot be read names none
            url = None
        if isinstance(url, str) and url.strip() and url.strip() != TEMPLATE_URL:
            found.append(section)
    return found


def _listed(sections: list[str]) -> str:
    names = [f"[{section}]" for section in sections]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _files(start: Path, environ: Mapping[str, str]) -> tuple[Path | None, Path | None, Path] | None:
    """The ini file, the ``pyproject.toml`` with ``[tool.alembic]``, and the folder ``alembic`` runs in."""
    named = environ.get("ALEMBIC_CONFIG")
    if named:  # as Alembic takes it: relative to the working folder, no search
        path = start / named
        ini, toml = (start / INI, path) if path.name == TOML else (path, start / TOML)
        ini_found, toml_found = (ini if ini.is_file() else None), with_alembic_table(toml)
        if ini_found is None and toml_found is None:
            raise ConfigError(f"no schema-ledger.toml found, and ALEMBIC_CONFIG names {named}, which is not a file "
                              f"in {start}: give --config FILE or --url URL")
        return ini_found, toml_found, start
    for folder in (start, *start.parents):
        ini_found, toml_found = _file(folder / INI), with_alembic_table(folder / TOML)
        if ini_found is not None or toml_found is not None:
            return ini_found, toml_found, folder
    return None


def _file(path: Path) -> Path | None:
    return path if path.is_file() else None


def with_alembic_table(toml: Path) -> Path | None:
    """``toml`` when it is a ``pyproject.toml`` with a ``[tool.alembic]`` table."""
    if not toml.is_file():
        return None
    try:
        with toml.open("rb") as file:
            tool = tomllib.load(file).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    return toml if isinstance(tool, dict) and isinstance(tool.get("alembic"), dict) else None


def _shown(path: Path, start: Path) -> str:
    """``path`` as the user would name it from the working folder."""
    try:
        return str(path.relative_to(start.resolve()))
    except ValueError:
        return str(path)
