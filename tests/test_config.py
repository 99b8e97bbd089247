"""Configuration: schema-ledger.toml, [tool.schema-ledger] in pyproject.toml, defaults and overrides."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.project.config import DEFAULT_URL, Config, ConfigError, find_config, load_config, render_config
from ops import DEFAULT_NAMING_CONVENTION


def _sqlite_path(url: str) -> Path:
    database = sa.make_url(url).database
    assert database is not None
    return Path(database)


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(start=tmp_path, environ={})
    assert config.source is None
    assert config.project_dir == tmp_path.resolve()
    assert _sqlite_path(config.url) == tmp_path.resolve() / "schema-ledger.db"
    assert config.migrations_dir == tmp_path.resolve() / "migrations"
    assert config.ledger_table == "schema_ledger"
    assert config.ledger_schema is None
    assert config.naming_convention == dict(DEFAULT_NAMING_CONVENTION)
    assert config.target_metadata is None


def test_schema_ledger_toml(tmp_path: Path) -> None:
    (tmp_path / "schema-ledger.toml").write_text(
        'url = "postgresql+psycopg://app@db/app"\n'
        'migrations = "db/migrations"\n'
        'ledger-table = "audit_ledger"\n'
        'ledger_schema = "audit"\n'
        'target_metadata = "app.models:metadata"\n'
        "[naming_convention]\n"
        'ix = "idx_%(table_name)s_%(column_0_N_name)s"\n'
    )
    config = load_config(start=tmp_path, environ={})
    assert config.source == (tmp_path / "schema-ledger.toml").resolve()
    assert config.url == "postgresql+psycopg://app@db/app"
    assert config.migrations_dir == tmp_path.resolve() / "db" / "migrations"
    assert config.ledger_table == "audit_ledger"
    assert config.ledger_schema == "audit"
    assert config.target_metadata == "app.models:metadata"
    assert config.naming_convention["ix"] == "idx_%(table_name)s_%(column_0_N_name)s"
    assert config.naming_convention["pk"] == DEFAULT_NAMING_CONVENTION["pk"]


def test_pyproject_tool_table_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.schema-ledger]\nurl = "sqlite:///data/app.db"\nmigrations = "mig"\n'
    )
    sub = tmp_path / "src" / "pkg"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    config = load_config(start=sub, environ={})
    # A relative SQLite path is relative to the project, wherever the command runs.
    assert _sqlite_path(config.url) == tmp_path.resolve() / "data" / "app.db"
    assert config.migrations_dir == tmp_path.resolve() / "mig"


def test_pyproject_without_the_table_is_not_a_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_config(tmp_path) is None
    with pytest.raises(ConfigError, match="no \\[tool.schema-ledger\\]"):
        load_config(tmp_path / "pyproject.toml", environ={})


def test_url_overrides(tmp_path: Path) -> None:
    (tmp_path / "schema-ledger.toml").write_text('url = "sqlite:///file.db"\n')
    env = {"SCHEMA_LEDGER_URL": "sqlite:///env.db"}
    assert load_config(start=tmp_path, environ=env).url == "sqlite:///env.db"
    assert load_config(start=tmp_path, environ=env, url="sqlite:///flag.db").url == "sqlite:///flag.db"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('url = "sqlite:///x.db"\nmigration_dir = "m"\n', "unknown key 'migration_dir'"),
        ("url = 5\n", "url must be a non-empty string"),
        ('url = "not a url"\n', "is not a database URL"),
        ('target_metadata = "app.models"\n', "target_metadata must look like"),
        ('[naming_convention]\nzz = "x"\n', "naming_convention key 'zz'"),
        ('naming_convention = "ix"\n', "naming_convention must be a table"),
        ("url = [\n", "not valid TOML"),
    ],
)
def test_bad_values_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "schema-ledger.toml").write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(start=tmp_path, environ={})
    assert "schema-ledger.toml" in str(info.value)


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_config(tmp_path / "nope.toml", environ={})


def test_rendered_config_loads_back(tmp_path: Path) -> None:
    (tmp_path / "schema-ledger.toml").write_text(render_config())
    config = load_config(start=tmp_path, environ={})
    assert isinstance(config, Config)
    assert _sqlite_path(config.url) == tmp_path.resolve() / sa.make_url(DEFAULT_URL).database
    assert config.naming_convention == dict(DEFAULT_NAMING_CONVENTION)


def test_configured_types_are_registered_for_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ops import TypeSpec
    from ops.types import registered_type

    (tmp_path / "sl_config_types_mod.py").write_text(
        "import sqlalchemy as sa\n"
        "class Money(sa.types.TypeDecorator):\n"
        "    impl = sa.Numeric(12, 2)\n"
        "    cache_ok = True\n"
        "NOT_A_TYPE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "schema-ledger.toml").write_text('types = ["sl_config_types_mod:Money"]\n', encoding="utf-8")
    config = load_config(start=tmp_path, environ={})
    assert config.types == ("sl_config_types_mod:Money",)
    money = registered_type("sl_config_types_mod.Money")
    assert TypeSpec.from_sa(money()).name == "sl_config_types_mod.Money"
    for value, message in (('["sl_no_such_module_x:Money"]', "cannot import sl_no_such_module_x:Money"),
                           ('["sl_config_types_mod:NOT_A_TYPE"]', "is not a SQLAlchemy column type"),
                           ('["no_colon"]', "does not look like"), ('"x:Y"', "must be a list")):
        (tmp_path / "schema-ledger.toml").write_text(f"types = {value}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_config(start=tmp_path, environ={})


# ---------------------------------------------------------------------------------------------
# The URL a project's alembic.ini holds, whatever its driver
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "runs_on"), [
    ("postgresql+asyncpg://u@localhost/app?application_name=x", "postgresql+psycopg"),
    ("postgresql+psycopg_async://u@localhost/app", "postgresql+psycopg"),
    ("mysql+aiomysql://u@localhost/app?charset=utf8mb4", "mysql+pymysql"),
    ("mysql+asyncmy://u@localhost/app", "mysql+pymysql"),
    ("sqlite+aiosqlite:///app.db", "sqlite+pysqlite"),
    ("postgresql+psycopg2://u@localhost/app", "postgresql+psycopg2"),
    ("postgresql://u@localhost/app", "postgresql"),
])
def test_an_async_driver_url_runs_on_a_synchronous_driver_of_that_database(url: str, runs_on: str) -> None:
    from ledger.storage.db import create_engine, sync_url

    found = sync_url(url)
    assert found.drivername == runs_on
    assert found.query == sa.make_url(url).query and found.database == sa.make_url(url).database
    engine = create_engine(url)
    try:
        assert not getattr(engine.dialect, "is_async", False)
    finally:
        engine.dispose()


def test_an_async_driver_url_with_no_synchronous_driver_installed_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ledger import dialects
    from ledger.storage.db import DatabaseError, sync_url

    monkeypatch.setattr(type(dialects.database("postgresql")), "sync_drivers", ("no_such_driver",))
    with pytest.raises(DatabaseError) as caught:
        sync_url("postgresql+asyncpg://u@localhost/app")
    message = str(caught.value)
    assert "\n" not in message and "postgresql+asyncpg is an async driver" in message
    assert "pip install 'schema-ledger[postgresql]'" in message


def test_the_command_line_says_once_with_v_which_driver_an_async_url_runs_on(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ledger.cli import main
    from ledger.storage import db

    import sqlite3

    db._SAID.clear()
    with contextlib.closing(sqlite3.connect(tmp_path / "app.db")) as made:
        made.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    (tmp_path / "schema-ledger.toml").write_text('migrations = "no-migrations-folder"\n', encoding="utf-8")
    config = str(tmp_path / "schema-ledger.toml")
    quiet = CliRunner().invoke(main, ["--url", url, "--config", config, "verify"])
    assert "async driver" not in quiet.output
    db._SAID.clear()
    told = CliRunner().invoke(main, ["--url", url, "--config", config, "-v", "baseline", "-m", "start"])
    assert told.exit_code == 0, told.output
    assert told.output.count("sqlite+aiosqlite is an async driver; its commands run on sqlite+pysqlite") == 1
    assert CliRunner().invoke(main, ["--url", url, "--config", config, "verify", "--live"]).exit_code == 0


@pytest.mark.parametrize("text", [
    '[tool.schema-ledger]\nurl = "sqlite:///x.db"\n',
    '[project]\nname = "x"\n\n[ tool . "schema-ledger" ]\nurl = "sqlite:///x.db"\n',
    "[tool.'schema-ledger']\nurl = 'sqlite:///x.db'\n",
    '[tool]\nschema-ledger = { url = "sqlite:///x.db" }\n',
    '[tool]\nschema-ledger.url = "sqlite:///x.db"\n',
    'tool.schema-ledger.url = "sqlite:///x.db"\n',
    'tool = { schema-ledger = { url = "sqlite:///x.db" } }\n',
    '"tool"."schema\\u002dledger".url = "sqlite:///x.db"\n',
    '[tool."schema\\u002Dledger"]\nurl = "sqlite:///x.db"\n',
])
def test_a_pyproject_that_defines_the_tool_table_is_read(tmp_path: Path, text: str) -> None:
    """Every way TOML writes [tool.schema-ledger] gets the text parsed (a text that cannot hold it is passed by)."""
    (tmp_path / "pyproject.toml").write_text(text)
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    assert load_config(start=tmp_path, environ={}).url.startswith("sqlite:///")


def test_a_pyproject_naming_the_tool_elsewhere_is_passed_by_unparsed(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "schema-ledger"\n\n[project.scripts]\nschema-ledger = "ledger.__main__:run"\n\n'
        '[tool.ruff]\nline-length = 120\n')
    import tomllib

    def refused(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(tomllib, "load", refused)
    assert find_config(tmp_path) is None
    (tmp_path / "pyproject.toml").write_text('[tool]\nruff = {}\n')  # a [tool] table: read, to be sure
    with pytest.raises(AssertionError, match="parsed"):
        find_config(tmp_path)
