"""The plugin API runs: docs/operations.md's plugin, in a project module named in `plugins`, through the CLI.

The module is the code block of docs/operations.md ("Plugins") as it stands, written into a test
project. Each command runs in a process of its own, as a user runs it, so nothing registered by
one command (or by another test) helps the next: the configuration's `plugins` must.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.storage.db import create_engine

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "operations.md"


def docs_plugin() -> str:
    """The plugin module of docs/operations.md: the first Python block of its "Plugins" section."""
    section = DOCS.read_text(encoding="utf-8").split("## Plugins", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert blocks, "docs/operations.md has no Python block under ## Plugins"
    return str(blocks[0])


REVISIONS = {
    "0001_orders.py": '''"""Orders."""
import sqlalchemy as sa

revision = "0001"
down_revision = None


def upgrade(op):
    op.create_table("orders", sa.Column("id", sa.Integer, primary_key=True), sa.Column("total", sa.Integer))
''',
    "0002_big_orders.py": '''"""Big orders, a view."""

revision = "0002"
down_revision = "0001"


def upgrade(op):
    op.create_view("big_orders", "SELECT id, total FROM orders WHERE total > 100")
''',
}


def cli(project: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMA_LEDGER_")}
    done = subprocess.run([sys.executable, "-m", "ledger", *args], cwd=project, env=env, capture_output=True,
                          text=True, timeout=300)
    if ok:
        assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def make_project(folder: Path, url: str, *, plugins: bool = True) -> Path:
    (folder / "migrations").mkdir(parents=True)
    for name, text in REVISIONS.items():
        (folder / "migrations" / name).write_text(text)
    (folder / "views.py").write_text(docs_plugin())
    config = f'url = "{url}"\nmigrations = "migrations"\n'
    (folder / "schema-ledger.toml").write_text(config + ('plugins = ["views"]\n' if plugins else ""))
    return folder


def views(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(sa.inspect(conn).get_view_names())
    finally:
        engine.dispose()


def big_orders(url: str) -> list[tuple[int, int]]:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO orders (id, total) VALUES (1, 50), (2, 500)"))
            rows = [tuple(r) for r in conn.execute(sa.text("SELECT id, total FROM big_orders"))]
            conn.execute(sa.text("DELETE FROM orders"))
            return rows
    finally:
        engine.dispose()


def test_a_plugin_op_is_recorded_applied_rolled_back_drilled_and_rendered(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    url = database_factory(dialect)
    project = make_project(tmp_path / "project", url)

    printed = cli(project, "apply", "--sql").stdout
    assert re.search(r"CREATE VIEW [`\"]?big_orders[`\"]? AS SELECT id, total FROM orders", printed), printed
    assert views(url) == []

    cli(project, "apply", "-q")
    assert views(url) == ["big_orders"]
    assert big_orders(url) == [(2, 500)]
    log = cli(project, "log").stdout
    assert "create view big_orders" in log, log

    ddl = cli(project, "schema", "--format", "ddl").stdout
    assert re.search(r"CREATE TABLE [`\"]?orders", ddl), ddl

    report = cli(project, "drill", "-q")
    assert "0002" in report.stdout + report.stderr

    undo = cli(project, "rollback", "--to", "0001", "--sql").stdout
    assert re.search(r"DROP VIEW [`\"]?big_orders[`\"]?" + (" RESTRICT" if dialect == "postgresql" else ""), undo), undo
    cli(project, "rollback", "--to", "0001", "-q")
    assert views(url) == []
    cli(project, "apply", "-q")
    assert big_orders(url) == [(2, 500)]
    cli(project, "rollback", "--to", "base", "-q")
    assert views(url) == []
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert [t for t in sa.inspect(conn).get_table_names() if t != "schema_ledger"] == []
    finally:
        engine.dispose()
    status = cli(project, "verify", "--live")
    assert status.returncode == 0


def test_without_the_plugins_key_a_ledger_of_plugin_ops_cannot_be_read(
    database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    url = database_factory("sqlite")
    project = make_project(tmp_path / "project", url)
    cli(project, "apply", "-q")
    config = project / "schema-ledger.toml"
    config.write_text(config.read_text().replace('plugins = ["views"]\n', ""))
    failed = cli(project, "schema", "--format", "ddl", ok=False)
    assert failed.returncode != 0
    assert "views.create_view" in failed.stderr, failed.stderr
    assert failed.stderr.startswith("schema-ledger: error: ") and "Traceback" not in failed.stderr


def test_a_plugin_that_cannot_be_imported_is_one_line(database_factory: Callable[[str], str], tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", database_factory("sqlite"))
    (project / "schema-ledger.toml").write_text('plugins = ["no_such_plugin"]\n')
    failed = cli(project, "status", ok=False)
    assert failed.returncode == 2
    assert failed.stderr.startswith("schema-ledger: error: ") and "cannot import no_such_plugin" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("value", ['"views"', '["no-dash.x"]', "[1]"])
def test_plugins_must_be_a_list_of_module_names(value: str, tmp_path: Path) -> None:
    from ledger.project.config import ConfigError, load_config

    (tmp_path / "schema-ledger.toml").write_text(f"plugins = {value}\n")
    with pytest.raises(ConfigError, match="plugins"):
        load_config(start=tmp_path)


def test_the_registry_prefers_the_database_s_own_implementation_and_serves_nested_ops() -> None:
    """One registry: a class's implementation for one database wins over its one for all; what an
    implementation issues (here a built-in op) is found through the same registry."""
    import attrs

    import ops
    from ledger import dialects

    @attrs.frozen
    class Touch(ops.MigrateOperation):
        def apply(self, state: ops.SchemaState) -> ops.SchemaState:
            return state

    @ops.Operations.implementation_for(Touch)
    def everywhere(operations: ops.AbstractOperations, op: Touch) -> None:
        context = operations.migration_context
        operations.invoke(ops.ExecuteSQLOp(f"SELECT '{context.dialect}' AS {context.quote('select')}"))

    @ops.Operations.implementation_for(Touch, dialect="postgresql")
    def postgresql_only(operations: ops.AbstractOperations, op: Touch) -> None:
        operations.execute("SELECT 'own'")

    try:
        assert dialects.ddl(Touch(), ops.SchemaState(), "sqlite") == ["SELECT 'sqlite' AS \"select\""]
        assert dialects.ddl(Touch(), ops.SchemaState(), "mariadb") == ["SELECT 'mysql' AS `select`"]
        assert dialects.ddl(Touch(), ops.SchemaState(), "postgresql") == ["SELECT 'own'"]
    finally:
        del ops.Operations._to_impl[(Touch, None)], ops.Operations._to_impl[(Touch, "postgresql")]
    with pytest.raises(dialects.UnsupportedOperationError, match="no sqlite SQL for Touch"):
        dialects.ddl(Touch(), ops.SchemaState(), "sqlite")


def _marker_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A project whose `plugins` module leaves a mark in sys.modules when imported."""
    import uuid

    name = f"sl_marker_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{name}.py").write_text("MARK = True\n")
    (tmp_path / "pyproject.toml").write_text(f'[tool.schema-ledger]\nplugins = ["{name}"]\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SCHEMA_LEDGER_URL", raising=False)
    return name


def test_the_alembic_hook_imports_the_project_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from ledger.alembic import attach

    name = _marker_project(tmp_path, monkeypatch)
    offline = types.SimpleNamespace(get_context=lambda: types.SimpleNamespace(as_sql=True))
    assert attach(offline) is None  # offline: nothing is recorded, but the plugins are imported
    assert sys.modules[name].MARK is True


def test_the_pytest_plugin_imports_the_project_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from ledger.integrations.pytest_plugin import load_project

    name = _marker_project(tmp_path, monkeypatch)
    pytest_config = types.SimpleNamespace(getoption=lambda _name: None, getini=lambda _name: None, rootpath=tmp_path)
    assert load_project(pytest_config).plugins == (name,)  # type: ignore[arg-type]
    assert sys.modules[name].MARK is True


@pytest.mark.parametrize(("text", "names"), [
    ('migrations = "imported"\n', False),
    ('url = "sqlite:///app.db"\n[naming_convention]\nix = "ix_%(column_0_label)s"\n', False),
    ('plugins = ["myapp.sequences"]\n', True),
    ('[tool.schema-ledger]\ntypes = ["myapp.types:Money"]\n', True),
    ('"\\u0070lugins" = ["myapp.sequences"]\n', True),  # a key written with an escape: parsed to be sure
])
def test_a_configuration_naming_no_modules_is_known_from_its_text(tmp_path: Path, text: str, names: bool) -> None:
    from ledger.project.config import names_modules

    path = tmp_path / "schema-ledger.toml"
    path.write_text(text, encoding="utf-8")
    assert names_modules(path) is names


def test_the_alembic_hook_reads_no_configuration_that_names_no_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from ledger.alembic import attach

    # not parsed: it names neither plugins nor types, so its mistake is left to the commands that read it
    (tmp_path / "schema-ledger.toml").write_text('migrations = "imported"\nunknown = [\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    offline = types.SimpleNamespace(get_context=lambda: types.SimpleNamespace(as_sql=True))
    assert attach(offline) is None
    (tmp_path / "schema-ledger.toml").write_text('plugins = ["x"]\nunknown = [\n', encoding="utf-8")
    from ledger.project.config import ConfigError

    with pytest.raises(ConfigError, match="not valid TOML"):
        attach(offline)
