"""A project's configuration: ``schema-ledger.toml`` or ``[tool.schema-ledger]`` in ``pyproject.toml``.

Keys (snake_case; kebab-case is accepted too)::

    url = "sqlite:///schema-ledger.db"     # SQLAlchemy URL; a relative SQLite path is relative to the project
    migrations = "migrations"              # the folder of revision files, relative to the project
    ledger_table = "schema_ledger"
    ledger_schema = "audit"                # optional schema (PostgreSQL) or database (MariaDB) of the ledger
    target_metadata = "myapp.models:metadata"
    autogenerate_hook = "myapp.migrations:rewrite"   # optional: rewrites `new --autogenerate`'s ops
    plugins = ["myapp.sequences"]          # modules imported before any ledger is read (plugin ops)
    types = ["myapp.types:Money"]          # optional: column types every command knows by their class
    trusted_keys = ["keys/ci.pub"]         # public keys whose checkpoint signatures verify trusts
    anchor = "/mnt/worm/ledger-heads.jsonl"  # where each run appends its new head (relative: to the project)
    [naming_convention]                    # SQLAlchemy template syntax, for unnamed constraints and indexes
    ix = "ix_%(table_name)s_%(column_0_N_name)s"

``--url`` and the environment variable ``SCHEMA_LEDGER_URL`` override ``url``; ``--anchor`` and
``SCHEMA_LEDGER_ANCHOR`` override ``anchor``. The signing key is never in the file: ``--sign-key``
or ``SCHEMA_LEDGER_SIGNING_KEY`` (a path or the PEM text) give it.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ops.base import DEFAULT_NAMING_CONVENTION, LedgerError
from ops.classes import frozen
from ops import classes as oc

__all__ = [
    "BASELINE_FILE",
    "CONFIG_FILE",
    "Config",
    "ConfigError",
    "DEFAULT_URL",
    "URL_ENV",
    "find_config",
    "load_config",
    "load_plugins",
    "render_config",
    "with_found_url",
]

CONFIG_FILE = "schema-ledger.toml"
#: The schema a ``baseline`` found, in the migrations folder: where the fold of the files starts.
BASELINE_FILE = "baseline.json"
PYPROJECT = "pyproject.toml"
DEFAULT_URL = "sqlite:///schema-ledger.db"
URL_ENV = "SCHEMA_LEDGER_URL"
_KEYS = {"url", "migrations", "ledger_table", "ledger_schema", "naming_convention", "target_metadata",
         "autogenerate_hook", "plugins", "types", "trusted_keys", "anchor"}
_CONVENTION_KEYS = {"ix", "uq", "ck", "fk", "pk"}


class ConfigError(LedgerError, ValueError):
    """The configuration file is missing, unreadable or holds a wrong value."""


def _pairs(value: Mapping[str, str] | tuple[tuple[str, str], ...] | None) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return None
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), str(v)) for k, v in items))


def _tuple(value: Any) -> tuple[Any, ...]:
    # A function of ours, not ``tuple``: attrs reads a converter's signature, and reading a
    # builtin's costs a tokenizer's regular expressions at start-up.
    return tuple(value)


@frozen
class Config:
    """Where the database, the migrations and the ledger table are."""

    project_dir: Path
    url: str = DEFAULT_URL
    migrations: Path = Path("migrations")
    ledger_table: str = "schema_ledger"
    ledger_schema: str | None = None
    #: sorted (key, template) pairs; None means the built-in convention
    naming_convention_pairs: tuple[tuple[str, str], ...] | None = oc.field(default=None, converter=_pairs)
    target_metadata: str | None = None
    #: "module:function" that may rewrite the ops ``new --autogenerate`` writes
    autogenerate_hook: str | None = None
    #: modules to import before any ledger is read: they register plugin operations
    plugins: tuple[str, ...] = oc.field(default=(), converter=_tuple)
    #: "module:Class" column types registered with the codec when the configuration is loaded
    types: tuple[str, ...] = oc.field(default=(), converter=_tuple)
    #: the file the values came from; None when every value is a default
    source: Path | None = None
    #: public key files whose checkpoint signatures verify trusts (relative: to the project)
    trusted_keys: tuple[Path, ...] = ()
    #: the file each writing run appends its new head to (relative: to the project)
    anchor: Path | None = None
    #: the private key that signs each run's new head: a file's path or the PEM text (never from the file)
    sign_key: str | None = oc.field(default=None, repr=False)

    @property
    def naming_convention(self) -> dict[str, str]:
        """The convention for unnamed constraints and indexes: the configured keys over the default."""
        convention = dict(DEFAULT_NAMING_CONVENTION)
        convention.update(self.naming_convention_pairs or ())
        return convention

    @property
    def migrations_dir(self) -> Path:
        return self.migrations if self.migrations.is_absolute() else self.project_dir / self.migrations

    @property
    def trusted_key_paths(self) -> tuple[Path, ...]:
        return tuple(p if p.is_absolute() else self.project_dir / p for p in self.trusted_keys)

    @property
    def anchor_path(self) -> Path | None:
        if self.anchor is None:
            return None
        return self.anchor if self.anchor.is_absolute() else self.project_dir / self.anchor

    def with_url(self, url: str | None) -> Config:
        """This config with ``url`` in place of the file's, when given."""
        return self if not url else oc.evolve(self, url=url)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``schema-ledger.toml``, or ``pyproject.toml`` with ``[tool.schema-ledger]``, from ``start`` up.

    A ``pyproject.toml`` whose text cannot define that table (:func:`_may_define_table`) is passed
    by unparsed: parsing it (``tomllib``, in Python) cost a run about 10 M instructions, its import included."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _may_define_table(pyproject) and _tool_table(pyproject) is not None:
            return pyproject
    return None


def _may_define_table(pyproject: Path) -> bool:
    """Whether the text of ``pyproject`` may define ``[tool.schema-ledger]`` (True when unsure): it
    holds the key after ``tool.`` (in a header or a dotted key, either quoted or not), a ``[tool]``
    header or a ``tool =`` key, or an escape (which a quoted key may be written with). Read with
    string methods: a pattern would load the compiled ones (``ledger.support.recode``), 3.5 M."""
    try:
        text = pyproject.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return True  # read again to say what is wrong
    if any(escape in text for escape in ("\\u", "\\U", "\\x", "\\X")):
        return True
    at = text.find("tool")
    while at >= 0:
        after = text[at + 4:at + 80].lstrip("\"' \t")
        if after[:1] in ("]", "=") or after[:1] == "." and after[1:].lstrip("\"' \t").startswith("schema-ledger"):
            return True
        at = text.find("tool", at + 4)
    return False


def names_modules(path: Path) -> bool:
    """Whether the configuration file ``path`` may name modules to import (``plugins``, ``types``; True
    when unsure: its text holds an escape, which a quoted key may be written with, or cannot be read).
    Read with string methods: the Alembic hook parses (``tomllib``, about 10 M instructions with the
    rest of the configuration) only a file that may name some."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return True
    return any(word in text for word in ("plugins", "types", "\\u", "\\U", "\\x", "\\X"))


def _read(path: Path) -> dict[str, Any]:
    import tomllib  # only where there is a file to read (a command given --url reads none)

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        if path.suffix.lower() == ".ini":
            raise ConfigError(f"{path}: an .ini file (Alembic's configuration?), not a schema-ledger configuration: "
                              "run the command in its folder, where the database of its sqlalchemy.url is read, "
                              "or give --url URL") from None
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
        elif key == "types":
            if not isinstance(value, list):
                raise ConfigError(f"{path}: types must be a list of 'package.module:Type' strings")
            for item in value:
                text = _string(path, key, item)
                if text.count(":") != 1 or not all(text.split(":")):
                    raise ConfigError(f"{path}: types: {text!r} does not look like 'package.module:Type'")
            values[key] = tuple(value)
        elif key == "migrations" or key == "anchor":
            values[key] = Path(_string(path, key, value))
        elif key == "plugins":
            if not isinstance(value, list):
                raise ConfigError(f"{path}: plugins must be a list of module names, not {value!r}")
            for name in value:
                if not isinstance(name, str) or not all(part.isidentifier() for part in name.split(".")):
                    raise ConfigError(f"{path}: plugins: {name!r} is not a module name (e.g. 'myapp.sequences')")
            values[key] = value
        elif key == "trusted_keys":
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ConfigError(f"{path}: trusted_keys must be a list of public key files, not {value!r}")
            values[key] = tuple(Path(v) for v in value)
        else:
            values[key] = _string(path, key, value)
    if "url" in values:
        _check_url(path, values["url"])
    return values


def register_types(config: Config) -> None:
    """Import the configured column types and register them with the codec (by their qualified name).

    Without them a ledger still reads: a type the codec does not know was recorded as the
    database holds it. With them, ops hold and replay the project's own classes.
    """
    if not config.types:
        return  # the type allow-list (and every op module with it) is loaded when a payload is read
    import importlib

    from ops import register_type

    where = config.source or "configuration"
    for spec in config.types:
        module_name, _, attr = spec.partition(":")
        try:
            found: Any = importlib.import_module(module_name)
            for part in attr.split("."):
                found = getattr(found, part)
        except Exception as exc:  # noqa: BLE001 - any failure to import is the user's to fix
            raise ConfigError(f"{where}: types: cannot import {spec}: {type(exc).__name__}: {exc}") from None
        if not (isinstance(found, type) and issubclass(found, sa.types.TypeEngine)):
            raise ConfigError(f"{where}: types: {spec} is not a SQLAlchemy column type")
        try:
            register_type(found)
        except ValueError as exc:
            raise ConfigError(f"{where}: types: {exc}") from None


def _check_url(where: Path | str, url: str) -> None:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise ConfigError(f"{where}: {url!r} is not a database URL (e.g. sqlite:///app.db)") from None
    from ledger import dialects  # the database objects, loaded when a URL is checked

    backend = parsed.get_backend_name()
    if backend not in dialects.backends():
        raise ConfigError(f"{where}: unknown database {backend!r} in {parsed.render_as_string()!r} "
                          f"(known: {', '.join(dialects.backends())})")
    if "+" in parsed.drivername:
        try:
            parsed.get_dialect()
        except (sa.exc.NoSuchModuleError, ImportError):
            raise ConfigError(f"{where}: unknown driver {parsed.get_driver_name()!r} for {backend} in "
                              f"{parsed.render_as_string()!r}") from None


def _anchored(url: str, project_dir: Path) -> str:
    """A SQLite URL whose relative path is made relative to the project, not to the working folder."""
    from ledger import dialects

    database = dialects.database_file(url)
    if database is None or database.is_absolute():
        return url
    return sa.make_url(url).set(database=str(project_dir / database)).render_as_string(hide_password=False)


def with_found_url(config: Config, url: str, *, where: str, folder: Path) -> Config:
    """``config`` (read without a configuration file) with the database URL another tool's configuration
    holds (``where``: that file and key, for errors), the project being ``folder``, where a relative
    SQLite path is taken from."""
    _check_url(where, url)
    return oc.evolve(config, project_dir=folder, url=_anchored(url, folder))


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
    register_types(config)
    config = oc.evolve(config, url=_anchored(config.url, project_dir))
    override = url or environ.get(URL_ENV)
    if override:
        _check_url("--url" if url else URL_ENV, override)
        config = config.with_url(override)
    if environ.get("SCHEMA_LEDGER_ANCHOR"):
        config = oc.evolve(config, anchor=Path(environ["SCHEMA_LEDGER_ANCHOR"]))
    if environ.get("SCHEMA_LEDGER_SIGNING_KEY"):
        config = oc.evolve(config, sign_key=environ["SCHEMA_LEDGER_SIGNING_KEY"])
    return config


def load_plugins(config: Config) -> None:
    """Import the modules ``config`` names in ``plugins``, with the project folder on ``sys.path``.

    A plugin module registers its operations (``ops.op_type``, ``ledger.format.codec.register_op``,
    ``ops.Operations.register_operation`` and ``implementation_for``); it must be imported
    before a ledger holding its ops is read or a migration file calling them is loaded. The
    command line, the pytest plugin and the Alembic hook call this first. Importing twice is
    a no-op (``sys.modules``).
    """
    if not config.plugins:
        return
    folder = str(config.project_dir)
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    try:
        for name in config.plugins:
            try:
                importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - any failure to import the user's module is reported alike
                where = config.source or config.project_dir
                raise ConfigError(f"{where}: plugins: cannot import {name}: {type(exc).__name__}: {exc}") from None
    finally:
        if added:
            sys.path.remove(folder)


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
