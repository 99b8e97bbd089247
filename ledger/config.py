"""A project's configuration: ``schema-ledger.toml`` or ``[tool.schema-ledger]`` in ``pyproject.toml``.

Keys (snake_case; kebab-case is accepted too)::

    url = "sqlite:///schema-ledger.db"     # SQLAlchemy URL; a relative SQLite path is relative to the project
    migrations = "migrations"              # the folder of revision files, relative to the project
    ledger_table = "schema_ledger"
    ledger_schema = "audit"                # optional schema (PostgreSQL) or database (MariaDB) of the ledger
    target_metadata = "myapp.models:metadata"
    autogenerate_hook = "myapp.migrations:rewrite"   # optional: rewrites `new --autogenerate`'s ops
    [naming_convention]                    # SQLAlchemy template syntax, for unnamed constraints and indexes
    ix = "ix_%(table_name)s_%(column_0_N_name)s"

``--url`` and the environment variable ``SCHEMA_LEDGER_URL`` override ``url``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from ops import DEFAULT_NAMING_CONVENTION, LedgerError

__all__ = [
    "CONFIG_FILE",
    "Config",
    "ConfigError",
    "DEFAULT_URL",
    "URL_ENV",
    "find_config",
    "load_config",
    "render_config",
]

CONFIG_FILE = "schema-ledger.toml"
PYPROJECT = "pyproject.toml"
DEFAULT_URL = "sqlite:///schema-ledger.db"
URL_ENV = "SCHEMA_LEDGER_URL"
_KEYS = {"url", "migrations", "ledger_table", "ledger_schema", "naming_convention", "target_metadata",
         "autogenerate_hook"}
_CONVENTION_KEYS = {"ix", "uq", "ck", "fk", "pk"}


class ConfigError(LedgerError, ValueError):
    """The configuration file is missing, unreadable or holds a wrong value."""


def _pairs(value: Mapping[str, str] | tuple[tuple[str, str], ...] | None) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return None
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), str(v)) for k, v in items))


@attrs.frozen
class Config:
    """Where the database, the migrations and the ledger table are."""

    project_dir: Path
    url: str = DEFAULT_URL
    migrations: Path = Path("migrations")
    ledger_table: str = "schema_ledger"
    ledger_schema: str | None = None
    #: sorted (key, template) pairs; None means the built-in convention
    naming_convention_pairs: tuple[tuple[str, str], ...] | None = attrs.field(default=None, converter=_pairs)
    target_metadata: str | None = None
    #: "module:function" that may rewrite the ops ``new --autogenerate`` writes
    autogenerate_hook: str | None = None
    #: the file the values came from; None when every value is a default
    source: Path | None = None

    @property
    def naming_convention(self) -> dict[str, str]:
        """The convention for unnamed constraints and indexes: the configured keys over the default."""
        convention = dict(DEFAULT_NAMING_CONVENTION)
        convention.update(self.naming_convention_pairs or ())
        return convention

    @property
    def migrations_dir(self) -> Path:
        return self.migrations if self.migrations.is_absolute() else self.project_dir / self.migrations

    def with_url(self, url: str | None) -> Config:
        """This config with ``url`` in place of the file's, when given."""
        return self if not url else attrs.evolve(self, url=url)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``schema-ledger.toml``, or ``pyproject.toml`` with ``[tool.schema-ledger]``, from ``start`` up."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _tool_table(pyproject) is not None:
            return pyproject
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text") from None


def _tool_table(pyproject: Path) -> dict[str, Any] | None:
    table = _read(pyproject).get("tool", {}).get("schema-ledger")
    return table if isinstance(table, dict) else None


def _section(path: Path) -> dict[str, Any]:
    if path.name == PYPROJECT:
        table = _tool_table(path)
        if table is None:
            raise ConfigError(f"{path}: has no [tool.schema-ledger] table")
        return table
    data = _read(path)
    # A schema-ledger.toml may also nest its keys under [tool.schema-ledger], as pyproject does.
    nested = data.get("tool", {}).get("schema-ledger") if isinstance(data.get("tool"), dict) else None
    return nested if isinstance(nested, dict) else data


def _string(path: Path, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: {key} must be a non-empty string, not {value!r}")
    return value


def _parse(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in _KEYS:
            raise ConfigError(f"{path}: unknown key {raw_key!r} (known: {', '.join(sorted(_KEYS))})")
        if key == "naming_convention":
            if not isinstance(value, dict):
                raise ConfigError(f"{path}: naming_convention must be a table of templates")
            for name, template in value.items():
                if name not in _CONVENTION_KEYS:
                    raise ConfigError(f"{path}: naming_convention key {name!r} is not one of ix, uq, ck, fk, pk")
                _string(path, f"naming_convention.{name}", template)
            values["naming_convention_pairs"] = value
        elif key in ("target_metadata", "autogenerate_hook"):
            text = _string(path, key, value)
            if text.count(":") != 1 or not all(text.split(":")):
                raise ConfigError(f"{path}: {key} must look like 'package.module:attribute', not {text!r}")
            values[key] = text
        elif key == "migrations":
            values[key] = Path(_string(path, key, value))
        else:
            values[key] = _string(path, key, value)
    if "url" in values:
        _check_url(path, values["url"])
    return values


#: The databases schema-ledger speaks to, by a URL's backend name.
BACKENDS = ("sqlite", "postgresql", "mysql", "mariadb")


def _check_url(where: Path | str, url: str) -> None:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigError(f"{where}: {url!r} is not a database URL (e.g. sqlite:///app.db)") from None
    backend = parsed.get_backend_name()
    if backend not in BACKENDS:
        raise ConfigError(f"{where}: unknown database {backend!r} in {parsed.render_as_string()!r} "
                          f"(known: {', '.join(BACKENDS)})")
    if "+" in parsed.drivername:
        try:
            parsed.get_dialect()
        except (sa.exc.NoSuchModuleError, ImportError):
            raise ConfigError(f"{where}: unknown driver {parsed.get_driver_name()!r} for {backend} in "
                              f"{parsed.render_as_string()!r}") from None


def _anchored(url: str, project_dir: Path) -> str:
    """A SQLite URL whose relative path is made relative to the project, not to the working folder."""
    parsed = sa.make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return url
    if Path(database).is_absolute():
        return url
    return parsed.set(database=str(project_dir / database)).render_as_string(hide_password=False)


def load_config(
    path: Path | str | None = None,
    *,
    url: str | None = None,
    start: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """The project's configuration.

    ``path`` names the file; without it the nearest one from ``start`` (the working folder)
    up is used, and without any file every value is its default with the working folder as
    the project. ``url`` (from ``--url``) wins over ``SCHEMA_LEDGER_URL``, which wins over the file.
    """
    environ = os.environ if environ is None else environ
    if path is not None:
        source: Path | None = Path(path)
        if not source.is_file():
            raise ConfigError(f"{source}: no such configuration file")
    else:
        source = find_config(start)
    values: dict[str, Any] = {}
    project_dir = (start or Path.cwd()).resolve()
    if source is not None:
        source = source.resolve()
        project_dir = source.parent
        values = _parse(source, _section(source))
    config = Config(project_dir=project_dir, source=source, **values)
    config = attrs.evolve(config, url=_anchored(config.url, project_dir))
    override = url or environ.get(URL_ENV)
    if override:
        _check_url("--url" if url else URL_ENV, override)
        config = config.with_url(override)
    return config


def render_config(*, url: str = DEFAULT_URL, migrations: str = "migrations") -> str:
    """The text of a new ``schema-ledger.toml``."""
    convention = "\n".join(f'# {key} = "{value}"' for key, value in DEFAULT_NAMING_CONVENTION.items())
    return (
        "# schema-ledger configuration. SCHEMA_LEDGER_URL or --url override `url`.\n"
        f'url = "{url}"\n'
        f'migrations = "{migrations}"\n'
        'ledger_table = "schema_ledger"\n'
        '# ledger_schema = "audit"\n'
        '# target_metadata = "myapp.models:metadata"\n'
        "\n"
        "# Names for constraints and indexes created without one (SQLAlchemy template syntax).\n"
        "[naming_convention]\n"
        f"{convention}\n"
    )
