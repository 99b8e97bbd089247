"""The Alembic projects users have, as ``alembic init -t TEMPLATE`` makes them, with the hook's line in
their ``env.py``: both doors (the hook, ``import-alembic``) on each template and on the ``alembic.ini``
features real projects use (docs/alembic.md, "Project layouts")."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.alembic_layouts import Layout, imported_and_applied, hooked_round_trip, init, revisions, set_option
from tests.conftest import DIALECTS

#: ``scaffold(key, build) -> Layout``: the project ``build(folder)`` makes, made once per module for
#: each key (Alembic's ``init`` and ``revision`` runs, each a process start) and copied for each test
Scaffold = Callable[[str, Callable[[Path], Layout]], Layout]


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> Scaffold:
    made: dict[str, Layout] = {}

    def get(key: str, build: Callable[[Path], Layout]) -> Layout:
        if key not in made:
            made[key] = build(tmp_path_factory.mktemp(key) / "app")
        return made[key]

    return get


def _with_revisions(template: str) -> Callable[[Path], Layout]:
    """``alembic init -t TEMPLATE`` with the hook attached, and the revisions r1..r5."""
    def build(folder: Path) -> Layout:
        layout = init(folder, template)
        revisions(layout)
        return layout
    return build

#: the async driver each database's async templates run on, where it is installed
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "mariadb": "mysql+aiomysql"}
ASYNC_DIALECTS = [d for d in DIALECTS if importlib.util.find_spec(ASYNC_DRIVERS[d].split("+")[1]) is not None]


def _async(url: str, dialect: str) -> str:
    return sa.make_url(url).set(drivername=ASYNC_DRIVERS[dialect]).render_as_string(hide_password=False)


def _scratch(dialect: str, database_factory: Callable[[str], str]) -> str | None:
    return None if dialect == "sqlite" else database_factory(dialect)


#: each template on each database where its env.py differs; pyproject's differs from generic's by where
#: its configuration is kept
SYNCHRONOUS = [("generic", d) for d in DIALECTS] + [("pyproject", "sqlite")]
ASYNCHRONOUS = [("async", d) for d in ASYNC_DIALECTS] + [("pyproject_async", ASYNC_DIALECTS[0])]


@pytest.mark.parametrize(("template", "dialect"), SYNCHRONOUS)
def test_a_synchronous_template(template: str, dialect: str, database_factory: Callable[[str], str],
                                scaffold: Scaffold, tmp_path: Path) -> None:
    layout = scaffold(template, _with_revisions(template)).copy(tmp_path / "app")
    url = database_factory(dialect)
    set_option(layout.folder / "alembic.ini", "sqlalchemy.url", url.replace("%", "%%"))
    hooked_round_trip(layout, url)
    path = "pyproject.toml" if template == "pyproject" else "alembic.ini"
    imported_and_applied(layout, path, dialect, database_factory(dialect), scratch=_scratch(dialect, database_factory))


@pytest.mark.parametrize(("template", "dialect"), ASYNCHRONOUS)
def test_an_async_template(template: str, dialect: str, database_factory: Callable[[str], str],
                           scaffold: Scaffold, tmp_path: Path) -> None:
    layout = scaffold(template, _with_revisions(template)).copy(tmp_path / "app")
    url = _async(database_factory(dialect), dialect)
    set_option(layout.folder / "alembic.ini", "sqlalchemy.url", url.replace("%", "%%"))
    hooked_round_trip(layout, url)
    scratch = _scratch(dialect, database_factory)
    imported_and_applied(layout, ".", dialect, database_factory(dialect),
                         scratch=_async(scratch, dialect) if scratch else None)


#: what env.py reads besides the template's: the URL from the environment, the version table from ``-x``
ENV_SETTINGS = '''
import os
config.set_main_option("sqlalchemy.url", os.environ["APP_DATABASE_URL"].replace("%", "%%"))
VERSION_TABLE = context.get_x_argument(as_dictionary=True).get("version_table", "alembic_version")
'''


def test_the_alembic_ini_features_real_projects_use(dialect: str, database_factory: Callable[[str], str],
                                                     scaffold: Scaffold, tmp_path: Path) -> None:
    """A script folder inside a package named as a resource (``myapp:migrations``, found through
    ``prepend_sys_path``), two version locations split by ``path_separator`` with one revision in a
    year folder (``recursive_version_locations``), a ``file_template``, the URL given only by env.py
    from the environment and the version table by ``-x``."""
    layout = scaffold("ini-features", _ini_features).copy(tmp_path / "app")
    url = database_factory(dialect)
    layout.env["APP_DATABASE_URL"] = url
    hooked_round_trip(layout, url, version_table="app_versions",
                      upgrade=("-x", "version_table=app_versions", "upgrade", "heads"))
    # from another folder: prepend_sys_path's "." is the project's folder, where `alembic` runs
    imported_and_applied(layout, str(layout.folder / "alembic.ini"), dialect, database_factory(dialect),
                         scratch=_scratch(dialect, database_factory), cwd=tmp_path)


def _ini_features(app: Path) -> Layout:
    """The project of :func:`test_the_alembic_ini_features_real_projects_use`, its revisions made."""
    layout = init(app, "generic", directory="myapp/migrations")
    folder = layout.folder
    (folder / "myapp" / "__init__.py").write_text("", encoding="utf-8")
    (folder / "extra").mkdir()
    ini = folder / "alembic.ini"
    text = ini.read_text(encoding="utf-8")
    ini.write_text("\n".join(line for line in text.splitlines() if not line.startswith("sqlalchemy.url")) + "\n",
                   encoding="utf-8")
    set_option(ini, "script_location", "myapp:migrations")
    set_option(ini, "path_separator", ";")
    set_option(ini, "version_locations", "%(here)s/myapp/migrations/versions;%(here)s/extra")
    set_option(ini, "recursive_version_locations", "true")
    set_option(ini, "file_template", "%%(year)d_%%(rev)s_%%(slug)s")
    env_py = folder / "myapp" / "migrations" / "env.py"
    text = env_py.read_text(encoding="utf-8").replace("config = context.config\n",
                                                       "config = context.config\n" + ENV_SETTINGS)
    env_py.write_text(text.replace("connection=connection, target_metadata=target_metadata",
                                   "connection=connection, target_metadata=target_metadata, "
                                   "version_table=VERSION_TABLE"), encoding="utf-8")
    versions = str(folder / "myapp" / "migrations" / "versions")
    made = revisions(layout, extra={"r1": ("--version-path", versions), "r2": ("--version-path", versions),
                                    "r3": ("--version-path", versions), "r4": ("--version-path", str(folder / "extra"))})
    assert all(path.name.startswith(("19", "20")) for path in made), made  # the file_template's year
    item = made[3]
    (folder / "extra" / "2024").mkdir()
    item.rename(folder / "extra" / "2024" / item.name)  # r4 in a year folder of the second location
    return layout


def _multidb(app: Path) -> Layout:
    """``alembic init -t multidb``: r1..r5 on engine1, a table of its own made by r1 and r4 on engine2."""
    layout = init(app, "multidb")
    second = {"r1": 'op.create_table("audit", sa.Column("id", sa.Integer(), primary_key=True))',
              "r4": 'op.add_column("audit", sa.Column("what", sa.Text()))'}
    revisions(layout, bodies={revision: "# engine engine1\n{body}\n" + (
        f"# engine engine2\n{second[revision]}\n" if revision in second else "") for revision in ("r1", "r2", "r3", "r4")})
    return layout


def test_the_multidb_template_gives_each_database_its_own_ledger(dialect: str, database_factory: Callable[[str], str],
                                                                 scaffold: Scaffold, tmp_path: Path) -> None:
    """Two databases migrated from one env.py (``run_migrations(engine_name=name)``): each gets its
    own ledger of its own part of every revision; ``import-alembic --migration-arg engine_name=NAME``
    imports one database's history."""
    layout = scaffold("multidb", _multidb).copy(tmp_path / "app")
    urls = {name: database_factory(dialect) for name in ("engine1", "engine2")}
    for name, url in urls.items():
        set_option(layout.folder / "alembic.ini", "sqlalchemy.url", url.replace("%", "%%"), section=name)
    hooked_round_trip(layout, {urls["engine1"]: ["item", "shop"], urls["engine2"]: ["audit"]})
    for name, made in (("engine1", ["item", "shop"]), ("engine2", ["audit"])):
        imported_and_applied(layout, "alembic.ini", dialect, database_factory(dialect), tables_made=made,
                             scratch=_scratch(dialect, database_factory), args=("--migration-arg", f"engine_name={name}"),
                             project=f"{name}-ledger")


def test_a_named_section_of_alembic_ini(database_factory: Callable[[str], str], tmp_path: Path) -> None:
    """``alembic -n blog ...``: the project's configuration is the ``[blog]`` section of a shared
    alembic.ini (Alembic's "multiple environments from one .ini file"); ``import-alembic -n blog``."""
    layout = init(tmp_path / "app", "generic", directory="blog")
    ini = layout.folder / "alembic.ini"
    ini.write_text(ini.read_text(encoding="utf-8").replace("[alembic]\n", "[blog]\n"), encoding="utf-8")
    url = database_factory("sqlite")
    set_option(ini, "sqlalchemy.url", url, section="blog")
    layout.options = ("-n", "blog")
    revisions(layout)
    hooked_round_trip(layout, url)
    layout.options = ()
    imported_and_applied(layout, "alembic.ini", "sqlite", database_factory("sqlite"), args=("-n", "blog"))


@pytest.mark.parametrize("template", ["generic", "multidb"])
def test_offline_sql_is_alembic_s_own_with_the_hook_attached(template: str, tmp_path: Path) -> None:
    """``alembic upgrade heads --sql`` with the hook attached in offline mode too: the SQL Alembic
    writes is the SQL it writes without the hook, and one warning says that nothing is recorded."""
    written = {}
    made = init(tmp_path / "made", template, offline=True)
    revisions(made)
    for hooked in (True, False):
        layout = made.copy(tmp_path / str(hooked))
        ini = layout.folder / "alembic.ini"
        for section in ("engine1", "engine2") if template == "multidb" else ("alembic",):
            set_option(ini, "sqlalchemy.url", f"sqlite:///{tmp_path / section}.db", section=section)
        if not hooked:
            env_py = layout.folder / "migrations" / "env.py"
            env_py.write_text(env_py.read_text(encoding="utf-8").replace("ledger.alembic.attach(context)", "pass"),
                              encoding="utf-8")
        ran = layout.alembic("upgrade", "heads", "--sql")
        files = {path.name: path.read_text(encoding="utf-8") for path in sorted(layout.folder.glob("*.sql"))}
        written[hooked] = (ran.stdout, files, [line for line in ran.stderr.splitlines() if "schema-ledger" in line])
    assert written[True][:2] == written[False][:2]
    assert "CREATE TABLE shop" in written[True][0] + "".join(written[True][1].values())
    assert written[True][2] and all("offline (--sql) mode" in line for line in written[True][2]), written[True][2]
    assert not list((tmp_path).glob("*.db"))  # nothing ran


def test_alembic_s_migrations_folder_is_not_read_as_schema_ledger_s(database_factory: Callable[[str], str],
                                                                     tmp_path: Path) -> None:
    """``alembic init migrations`` names Alembic's folder as schema-ledger names its own: the commands
    that need schema-ledger files say whose folder it is, in one line, and write nothing into it;
    its env.py is never run as a migration file."""
    layout = init(tmp_path / "app", "generic")
    env_py = layout.folder / "migrations" / "env.py"
    env_py.write_text("open('env-py-ran', 'w').close()\n" + env_py.read_text(encoding="utf-8"), encoding="utf-8")
    before = sorted(p.name for p in (layout.folder / "migrations").iterdir())
    url = database_factory("sqlite")
    for command in (["apply"], ["new", "-m", "more"], ["init", "."], ["import-alembic", "alembic.ini"]):
        ran = layout.ledger_here(url, *command)
        assert ran.returncode == 2 and "Alembic script folder (it holds env.py)" in ran.stderr, (command, ran.stderr)
        assert len(ran.stderr.strip().splitlines()) == 1 and "Traceback" not in ran.stderr
    assert sorted(p.name for p in (layout.folder / "migrations").iterdir()) == before
    assert not (layout.folder / "schema-ledger.toml").exists() and not (layout.folder / "env-py-ran").exists()
