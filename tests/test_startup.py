"""What a command imports on its way to work (docs/performance.md, "start-up"): `status` on a SQLite
database reads the ledger's narrow columns and the cached revisions, so it needs no op module, no
DDL generator, no codec and no other database's SQLAlchemy package. A test on what is imported,
never on time: each command runs as ``python -m ledger`` in a fresh interpreter, which writes the
names in ``sys.modules`` at exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_RUN = """
import atexit, json, runpy, sys
atexit.register(lambda: open({out!r}, "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["schema-ledger", *{args!r}]
runpy.run_module("ledger", run_name="__main__")
"""

#: What reading where a SQLite database stands must not load.
NOT_FOR_STATUS = (
    "ops.column", "ops.constraint", "ops.index", "ops.table", "ops.sql", "ops.state", "ops.specs", "ops.types",
    "ops.keyspecs", "ops.operations", "ledger.dialects.base", "ledger.dialects.sqlite", "ledger.dialects.postgresql",
    "ledger.dialects.mysql", "ledger.format.codec", "ledger.format.payload", "ledger.storage.view", "cattrs",
    "sqlalchemy.dialects.postgresql", "sqlalchemy.dialects.mysql", "ledger.run.apply", "ledger.run.executor",
    "ledger.cli.run", "ledger.cli.adopt", "ledger.cli.project", "ledger.cli.trust",
)


def _within(module: str, names: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


def _imported(args: list[str], cwd: Path, tmp_path: Path) -> set[str]:
    out = tmp_path / f"modules-{len(list(tmp_path.glob('modules-*')))}.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _RUN.format(out=str(out), args=args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return set(json.loads(out.read_text()))


@pytest.fixture
def applied_project(tmp_path: Path) -> tuple[Path, str]:
    """A project with two revisions applied to a SQLite file (the revision cache warm, as after any run)."""
    project = tmp_path / "project"
    (project / "migrations").mkdir(parents=True)
    (project / "migrations" / "0001_users.py").write_text(
        '"""users"""\nimport sqlalchemy as sa\n\nrevision = "0001"\ndown_revision = None\n\n\n'
        "def upgrade(op):\n"
        '    op.create_table("users", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)))\n'
        '    op.create_index("ix_users_name", "users", ["name"])\n'
    )
    (project / "migrations" / "0002_email.py").write_text(
        '"""email"""\nimport sqlalchemy as sa\n\nrevision = "0002"\ndown_revision = "0001"\n\n\n'
        "def upgrade(op):\n"
        '    op.add_column("users", sa.Column("email", sa.String(100)))\n'
    )
    url = f"sqlite:///{tmp_path / 'app.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "ledger", "--url", url, "apply"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return project, url


def test_status_on_sqlite_loads_no_op_module_no_ddl_and_no_other_database(
        applied_project: tuple[Path, str], tmp_path: Path) -> None:
    project, url = applied_project
    modules = _imported(["--url", url, "status"], project, tmp_path)
    # It did read the ledger: the SQLite dialect and the storage layer are there.
    assert {"sqlalchemy.dialects.sqlite", "ledger.storage.store", "ledger.inspect.status"} <= modules
    assert sorted(m for m in modules if _within(m, NOT_FOR_STATUS)) == []


def test_the_guard_sees_what_a_command_that_needs_ddl_loads(applied_project: tuple[Path, str], tmp_path: Path) -> None:
    """The same look at `apply --sql` (DDL for a pending revision) finds the op modules and the
    generator: the guard above can fail."""
    project, url = applied_project
    (project / "migrations" / "0003_age.py").write_text(
        '"""age"""\nimport sqlalchemy as sa\n\nrevision = "0003"\ndown_revision = "0002"\n\n\n'
        "def upgrade(op):\n"
        '    op.add_column("users", sa.Column("age", sa.Integer))\n'
    )
    modules = _imported(["--url", url, "apply", "--sql"], project, tmp_path)
    assert {"ops.column", "ops.state", "ledger.dialects.base", "ledger.dialects.sqlite"} <= modules
    # Only SQLite's generator and types: the other databases' are loaded when asked for (their
    # DDL, a type name of theirs in a payload).
    assert "ledger.dialects.postgresql" not in modules and "ledger.dialects.mysql" not in modules
    assert "sqlalchemy.dialects.postgresql" not in modules and "sqlalchemy.dialects.mysql" not in modules
    # Reading sequences is reflection's: an apply does not load it.
    assert "ledger.dialects.sequences" not in modules


def test_apply_and_rollback_read_payloads_without_the_converter(applied_project: tuple[Path, str],
                                                              tmp_path: Path) -> None:
    """A run reads the cached revisions' payloads and (rollback) the ledger's, and writes events,
    through the structure functions ``ledger.format.payload`` makes itself: cattrs is not loaded;
    nor is the cryptography package where no key is given and the ledger holds no checkpoint
    (docs/performance.md, "Apply and rollback on SQLite, eighth round")."""
    project, url = applied_project
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    for args in (["--url", fresh, "apply", "--one-transaction"], ["--url", url, "rollback", "--to", "base"]):
        modules = _imported(args, project, tmp_path)
        assert {"ops.column", "ledger.format.payload", "ledger.dialects.sqlite"} <= modules
        assert sorted(m for m in modules if _within(m, ("cattrs", "cryptography"))) == []
        assert args[2] != "rollback" or "ledger.storage.seal" in modules  # the guard ran


def test_help_loads_no_sqlalchemy(tmp_path: Path) -> None:
    modules = _imported(["--help"], tmp_path, tmp_path)
    assert "ledger.cli.inspect" in modules
    assert sorted(m for m in modules if _within(m, ("sqlalchemy", "ops.column", "ledger.dialects"))) == []


def test_the_command_table_names_the_module_of_every_command() -> None:
    """``schema-ledger CMD`` imports the module ``COMMAND_MODULES`` names for CMD: it must be the
    one that registers CMD, for every command."""
    from ledger.cli import main
    from ledger.cli.app import COMMAND_MODULES

    defined = {name: command.callback.__module__.rpartition(".")[2] for name, command in main.commands.items()
               if command.callback is not None}
    assert defined == COMMAND_MODULES


_HOOK_PATTERNS = """
import re, sys
import alembic.runtime.migration, alembic.op, sqlalchemy.dialects.postgresql  # Alembic's own imports
compiled = []
_compile = re._compiler.compile  # what re.compile runs when its cache misses
def counting(pattern, flags):
    compiled.append(pattern)
    return _compile(pattern, flags)
re._compiler.compile = counting
import ledger.alembic
print(repr(compiled))
"""


def test_importing_the_hook_compiles_no_regular_expression(tmp_path: Path) -> None:
    """The hook's and the dialects' patterns are compiled where they are first used, not by an
    ``env.py`` that imports ``ledger.alembic`` (docs/performance.md, the hook's fourth round)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _HOOK_PATTERNS], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "[]"


#: What the hook neither imports nor needs to write events: the payload converter (reading
#: payloads), the fold's view of a ledger, sequences and SQLite's statement parser.
NOT_FOR_THE_HOOK = ("cattrs", "ledger.storage.view", "ledger.dialects.sequences", "ledger.dialects.sqlite_sql")

_HOOK_WRITES = """
import sys
import sqlalchemy as sa
import ledger.alembic
import ops
from ledger.format.codec import decode, encode, encode_text

def upgrade(op):
    op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.String(5)),
                    sa.CheckConstraint("id > 0", name="ck_t_id"))
    op.add_column("t", sa.Column("b", sa.Integer, server_default="0"))
    op.create_index("ix_t_a", "t", ["a"])
    op.create_unique_constraint("uq_t_b", "t", ["b"])
    op.alter_column("t", "a", type_=sa.String(9), existing_type=sa.String(5))
    op.drop_column("t", "b")
    op.execute("UPDATE t SET a = 'x'")

state = ops.SchemaState()
for op in ops.record(upgrade):
    done = state.complete(op)
    encode_text(done)
    encode_text(done.reverse()) if done.reversible else None
    state = state.apply(done)
    if isinstance(done, ops.ExecuteSQLOp):  # the hook reads back the SQL text it recorded
        assert decode(encode(done)) == done
print(sorted(m for m in sys.modules if m.split(".")[0] == "cattrs" or m in {names!r}))
"""


def test_the_hook_writes_events_without_the_converter_and_what_it_does_not_use(tmp_path: Path) -> None:
    """Importing ``ledger.alembic``, encoding the events of common ops and reading back the SQL text
    it recorded loads none of NOT_FOR_THE_HOOK (docs/performance.md, the hook's ninth and tenth
    rounds)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _HOOK_WRITES.format(names=NOT_FOR_THE_HOOK)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "[]"


def test_a_lazy_pattern_is_the_pattern_it_stands_for() -> None:
    import re

    from ledger.support.lazyre import lazy

    pattern = lazy(r"(?P<word>[a-z]+)\s*=\s*(\d+)", re.I)
    assert pattern.pattern == r"(?P<word>[a-z]+)\s*=\s*(\d+)"
    assert pattern.match("Key = 7").group("word", 2) == ("Key", "7")
    assert pattern.groupindex == {"word": 1} and pattern.groups == 2
    assert pattern.sub(r"\2", "a=1, b = 2") == "1, 2"
    assert [m.group(1) for m in pattern.finditer("a=1 b=2")] == ["a", "b"]
    assert pattern.flags == re.compile(pattern.pattern, re.I).flags


def test_collector_off_for_start_up_and_on_for_the_run() -> None:
    """The command line turns the cyclic collector off while it loads and on again, with what
    start-up made frozen, once the connection is open; a caller that keeps it off keeps it off."""
    import gc

    from ledger.storage.session import connect
    from ledger.support import gcpause

    assert gc.isenabled()
    gcpause.starting()
    try:
        assert not gc.isenabled()
        with connect("sqlite://") as conn:
            assert gc.isenabled() and gc.get_freeze_count() > 0
            conn.exec_driver_sql("SELECT 1")
    finally:
        gc.enable()
        gc.unfreeze()
    gc.disable()  # a caller's own pause: connecting leaves it alone
    try:
        with connect("sqlite://"):
            assert not gc.isenabled()
    finally:
        gc.enable()
