"""Alembic's ``Config`` for a project, found from the path ``import-alembic`` is given as the ``alembic``
command finds it: an ``alembic.ini`` (its ``[alembic]`` section, or ``-n NAME``'s), the ``[tool.alembic]``
table of the ``pyproject.toml`` beside it (Alembic >= 1.16; the ``pyproject`` templates keep
``script_location`` there and only the database URL and logging in ``alembic.ini``), or both. Alembic
reads every option itself (``script_location`` as a folder or a ``package:folder`` resource,
``prepend_sys_path``, ``version_locations`` with ``path_separator``, ``recursive_version_locations``);
only a relative ``script_location`` and ``prepend_sys_path``, which Alembic takes from the working folder
it is run in (the project's), are taken from the configuration file's folder too, so that the import
reads the same project from anywhere.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from ops import LedgerError

from ledger.integrations.alembic_url import INI, TOML, with_alembic_table

from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from alembic.util import CommandError

__all__ = ["ConfigNotFound", "alembic_config"]

class ConfigNotFound(LedgerError, ValueError):
    """The path names no Alembic project (no script folder, no configuration naming one)."""


def alembic_config(path: Path, *, name: str = "alembic", x_arguments: Sequence[str] = ()) -> AlembicConfig:
    """Alembic's Config for ``path``: an ``alembic.ini``, a ``pyproject.toml`` with ``[tool.alembic]``, the
    folder that holds either, or a script folder (with ``versions/``) with or beside one naming it.

    ``name`` is the ini section Alembic reads (``alembic -n NAME``); ``x_arguments`` what ``alembic -x``
    gives (``context.get_x_argument()`` in a revision).
    """
    path = Path(path)
    options = argparse.Namespace(x=list(x_arguments), name=name) if x_arguments else None
    if path.is_file():
        if path.suffix == ".toml":
            ini, toml = _file(path.parent, INI), path
        else:
            ini, toml = path, with_alembic_table(path.parent / TOML)
        config = _config(ini, toml, name, options)
        if config is None:
            raise ConfigNotFound(f"{path}: no script_location in [{name}]"
                                 + (f" or in [tool.alembic] of {TOML} beside it" if path.suffix != ".toml" else ""))
    else:
        config = _config(_file(path, INI), with_alembic_table(path / TOML), name, options)
        if config is None:
            config = next((found for folder in (path, path.parent)
                           if (found := _config(_file(folder, INI), with_alembic_table(folder / TOML),
                                                name, options)) is not None
                           and _names(found, path)), None)
        if config is None:  # a script folder alone: Alembic's defaults
            config = AlembicConfig(ini_section=name, cmd_opts=options)
            config.set_main_option("script_location", _escaped(str(path.resolve())))
    _prepend_sys_path(config)
    try:
        script = ScriptDirectory.from_config(config)
    except CommandError as exc:
        raise ConfigNotFound(f"{path}: not an Alembic script folder ({' '.join(str(exc).split())[:200]})") from None
    except ImportError as exc:  # a package:folder location whose package is not importable
        raise ConfigNotFound(f"{path}: script_location {config.get_alembic_option('script_location')}: cannot "
                             f"import it ({exc}); add its folder to prepend_sys_path") from None
    if not any(Path(location).is_dir() for location in script._version_locations):
        raise ConfigNotFound(f"{path}: not an Alembic script folder (no versions/ folder)")
    return config


def _prepend_sys_path(config: AlembicConfig) -> None:
    """``prepend_sys_path``'s relative folders from the configuration file's folder, where ``alembic`` is run
    (Alembic adds them from the working folder too): a ``package:folder`` location imports from anywhere."""
    source = config.config_file_name or config.toml_file_name
    if source is None:
        return
    for entry in reversed(config.get_prepend_sys_paths_list() or []):
        folder = str((Path(source).parent / entry).resolve())
        if not Path(entry).is_absolute() and folder not in sys.path:
            sys.path.insert(0, folder)


def _file(folder: Path, name: str) -> Path | None:
    return folder / name if (folder / name).is_file() else None


def _config(ini: Path | None, toml: Path | None, name: str, options: argparse.Namespace | None) -> AlembicConfig | None:
    """The Config of these files, with its ``script_location`` made absolute; None when it names none."""
    if ini is None and toml is None:
        return None
    config = AlembicConfig(str(ini) if ini else None, toml_file=str(toml) if toml else None, ini_section=name,
                           cmd_opts=options)
    try:
        location = config.get_alembic_option("script_location")
    except Exception as exc:  # noqa: BLE001 - configparser errors, a file that is not text
        raise ConfigNotFound(f"{ini or toml}: not an Alembic configuration: {' '.join(str(exc).split())[:200]}") \
            from None
    if not location:
        return None
    if not _resource(location) and not Path(location).is_absolute():
        # Alembic takes it from the working folder: from the file's, where `alembic` is run
        config.set_main_option("script_location", _escaped(str((Path(ini or toml).parent / location).resolve())))  # type: ignore[arg-type]
    return config


def _resource(location: str) -> bool:
    """A ``package:folder`` location (Alembic resolves it with importlib.resources), not a path."""
    return ":" in location and not Path(location).is_absolute() and not (len(location) > 1 and location[1] == ":")


def _names(config: AlembicConfig, folder: Path) -> bool:
    location = config.get_alembic_option("script_location") or ""
    return not _resource(location) and Path(location).resolve() == folder.resolve()


def _escaped(value: str) -> str:
    return value.replace("%", "%%")
