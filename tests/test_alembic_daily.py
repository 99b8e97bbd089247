"""The Alembic hook in daily use: Alembic's output unchanged, a rollback that Alembic's version table
follows, the read commands on a project without a migrations folder, one line without Alembic."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli.app import main
from realworld.harness import ALEMBIC_INI, ENV_PY, ROOT

REVISIONS = {
    "r1": (None, """\
        op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.String(40)))
    """),
    "r2": ("r1", """\
        op.add_column("shop", sa.Column("city", sa.String(40)))
        op.create_table("item", sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column("shop_id", sa.Integer(), sa.ForeignKey("shop.id", name="fk_item_shop")))
        op.create_index("ix_item_shop", "item", ["shop_id"])
    """),
}


def _project(folder: Path, *, version_table: str = "alembic_version",
             revisions: dict[str, tuple[str | tuple[str, ...] | None, str]] = REVISIONS,
             headers: dict[str, str] | None = None, downgrades: dict[str, str] | None = None,
             env_head: str = "", version_table_schema: str | None = None) -> Path:
    (folder / "versions").mkdir(parents=True)
    (folder / "env.py").write_text(env_head + ENV_PY.format(naming=None, batch=False, version_table=version_table,
                                                 version_table_schema=version_table_schema, per_migration=False,
                                                 autocommit=False, sqlite_foreign_keys=False, commit_after=False,
                                                 migration_args={}, config_args=()),
                                       encoding="utf-8")
    (folder / "alembic.ini").write_text(ALEMBIC_INI.format(locations=""), encoding="utf-8")
    for revision, (down, body) in revisions.items():
        (folder / "versions" / f"{revision}.py").write_text(
            f'"""{revision}"""\nimport sqlalchemy as sa\nfrom alembic import op\n\nrevision = {revision!r}\n'
            f"down_revision = {down!r}\n{(headers or {}).get(revision, '')}\n\ndef upgrade():\n{textwrap.indent(textwrap.dedent(body), '    ')}\n\n"
            f"def downgrade():\n    {(downgrades or {}).get(revision, 'pass')}\n", encoding="utf-8")
    return folder


def _env(url: str, hook: bool) -> dict[str, str]:
    return {**os.environ, "REALWORLD_URL": url, "REALWORLD_HOOK": "1" if hook else "0", "PYTHONPATH": str(ROOT)}


def _alembic(folder: Path, url: str, *args: str, hook: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alembic", "-c", str(folder / "alembic.ini"), *args],
                          env=_env(url, hook), capture_output=True, text=True, timeout=300, cwd=folder)


def _ledger(cwd: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``schema-ledger --url URL ARGS`` run in ``cwd`` by its command line, in this process (Alembic's
    runs are processes of their own: its ``context`` is process-wide)."""
    argv = ["--url", url, *args]
    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner(env={"REALWORLD_URL": url, "REALWORLD_HOOK": "0"}).invoke(main, argv, catch_exceptions=True)
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["schema-ledger", *argv], result.exit_code, result.stdout, result.stderr)


def _versions(url: str, table: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(sa.text(f"SELECT version_num FROM {table}")).scalars())
    finally:
        engine.dispose()


def _tables(url: str, *exclude: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(t for t in sa.inspect(conn).get_table_names() if t not in exclude)
    finally:
        engine.dispose()


def test_alembic_prints_what_it_prints_without_the_hook(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic")
    plain = _alembic(folder, database_factory(dialect), "upgrade", "heads", hook=False)
    hooked = _alembic(folder, database_factory(dialect), "upgrade", "heads")
    assert plain.returncode == 0 and hooked.returncode == 0, hooked.stderr
    assert "Running upgrade  -> r1, r1" in plain.stderr
    assert hooked.stderr.splitlines() == plain.stderr.splitlines()
    assert hooked.stdout == plain.stdout == ""


#: a version table named anything (cloudkitty's hashmap module: ``hashmap_alembic``)
@pytest.mark.parametrize("versions", ["shop_versions", "hashmap_alembic"])
def test_after_a_rollback_alembic_s_version_table_names_where_the_ledger_stands_and_alembic_rebuilds(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path, versions: str
) -> None:
    folder = _project(tmp_path / "alembic", version_table=versions)
    url = database_factory(dialect)
    assert _alembic(folder, url, "upgrade", "heads").returncode == 0
    verify = _ledger(tmp_path, url, "verify", "--live")
    assert verify.returncode == 0, verify.stdout + verify.stderr  # the version table, whatever its name, is Alembic's

    assert _ledger(tmp_path, url, "rollback", "--to", "r1", "-q").returncode == 0
    assert _versions(url, versions) == ["r1"]
    assert _tables(url, "schema_ledger", versions) == ["shop"]
    assert _ledger(tmp_path, url, "rollback", "--to", "base", "-q").returncode == 0
    assert _versions(url, versions) == []
    assert _tables(url, "schema_ledger", versions) == []

    again = _alembic(folder, url, "upgrade", "heads")
    assert again.returncode == 0, again.stderr
    assert "Running upgrade  -> r1, r1" in again.stderr and "Running upgrade r1 -> r2, r2" in again.stderr
    assert _versions(url, versions) == ["r2"]
    assert _tables(url, "schema_ledger", versions) == ["item", "shop"]
    assert _ledger(tmp_path, url, "verify", "--live").returncode == 0


#: a branch of its own that depends on r1, merged with the main line, and a revision after the merge
BRANCHED = {
    "r1": (None, '''op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True))'''),
    "b1": (None, '''op.create_table("tag", sa.Column("id", sa.Integer(), primary_key=True))'''),
    "r2": ("r1", '''op.add_column("shop", sa.Column("city", sa.String(40)))'''),
    "m1": (("r2", "b1"), "pass"),
    "r3": ("m1", '''op.create_table("item", sa.Column("id", sa.Integer(), primary_key=True))'''),
}


def test_after_a_rollback_below_a_merge_alembic_s_version_table_holds_both_branches(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic", revisions=BRANCHED,
                      headers={"b1": "branch_labels = ('side',)\ndepends_on = 'r1'"})
    url = database_factory(dialect)
    upgraded = _alembic(folder, url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    assert _versions(url, "alembic_version") == ["r3"]

    # run where Alembic runs, beside alembic.ini: the revision files say how the rows follow
    rolled = _ledger(folder, url, "rollback", "--to", "r2", "-q")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert _versions(url, "alembic_version") == ["b1", "r2"]  # as `alembic downgrade r2` leaves it
    assert _tables(url, "schema_ledger", "alembic_version") == ["shop", "tag"]

    again = _alembic(folder, url, "upgrade", "heads")
    assert again.returncode == 0, again.stderr
    assert _versions(url, "alembic_version") == ["r3"]
    assert _tables(url, "schema_ledger", "alembic_version") == ["item", "shop", "tag"]
    assert _ledger(folder, url, "verify", "--live").returncode == 0
    assert _ledger(folder, url, "rollback", "--to", "base", "-q").returncode == 0
    assert _versions(url, "alembic_version") == []
    assert _tables(url, "schema_ledger", "alembic_version") == []


#: nova's initial revision copies every table of the database into a shadow_ table, Alembic's
#: version table too: a table of the one column version_num that the ledger records
COPIES_THE_VERSION_TABLE = {
    "r1": (None, """\
        op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True))
        meta = sa.MetaData()
        meta.reflect(bind=op.get_bind(), only=["alembic_version"])
        op.create_table("shadow_alembic_version", meta, *(c._copy() for c in meta.tables["alembic_version"].columns))
    """),
    "r2": ("r1", """\
        op.add_column("shop", sa.Column("name", sa.String(40)))
    """),
}


def test_a_table_the_ledger_recorded_is_the_application_s_whatever_its_shape(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic", revisions=COPIES_THE_VERSION_TABLE)
    url = database_factory(dialect)
    upgraded = _alembic(folder, url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    verify = _ledger(tmp_path, url, "verify", "--live")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    rollback = _ledger(tmp_path, url, "rollback", "--to", "base", "-q")
    assert rollback.returncode == 0, rollback.stderr
    assert _versions(url, "alembic_version") == []
    assert _tables(url, "schema_ledger", "alembic_version") == []
    again = _alembic(folder, url, "upgrade", "heads")
    assert again.returncode == 0, again.stderr
    assert _tables(url, "schema_ledger", "alembic_version") == ["shadow_alembic_version", "shop"]
    assert _ledger(tmp_path, url, "verify", "--live").returncode == 0


#: nova's initial revision reflects every table of the database and copies each into a shadow_
#: table; a later revision of this history does so again for the tables made since. The ledger's
#: table is not the application's: neither revision sees it.
COPIES_EVERY_TABLE = {
    "r1": (None, """\
        op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.String(40)))
        meta = sa.MetaData()
        meta.reflect(bind=op.get_bind())
        for name in list(meta.tables):
            op.create_table("shadow_" + name, *(c._copy() for c in meta.tables[name].columns))
    """),
    "r2": ("r1", """\
        op.create_table("item", sa.Column("id", sa.Integer(), primary_key=True))
        names = sa.inspect(op.get_bind()).get_table_names()
        for name in names:
            if not name.startswith("shadow_") and "shadow_" + name not in names:
                table = sa.Table(name, sa.MetaData(), autoload_with=op.get_bind())
                op.create_table("shadow_" + name, *(c._copy() for c in table.columns))
    """),
}


def test_a_revision_that_copies_every_table_does_not_see_the_ledger_s_table(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic", revisions=COPIES_EVERY_TABLE)
    plain, url = database_factory(dialect), database_factory(dialect)
    alone = _alembic(folder, plain, "upgrade", "heads", hook=False)
    assert alone.returncode == 0, alone.stderr
    expected = _tables(plain)
    assert expected == ["alembic_version", "item", "shadow_alembic_version", "shadow_item", "shadow_shop", "shop"]
    upgraded = _alembic(folder, url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stderr.splitlines() == alone.stderr.splitlines()
    assert _tables(url, "schema_ledger") == expected
    verify = _ledger(tmp_path, url, "verify", "--live")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    rollback = _ledger(tmp_path, url, "rollback", "--to", "base", "-q")
    assert rollback.returncode == 0, rollback.stderr
    assert _tables(url, "schema_ledger") == ["alembic_version"]
    again = _alembic(folder, url, "upgrade", "heads")
    assert again.returncode == 0, again.stderr
    assert _tables(url, "schema_ledger") == expected
    assert _ledger(tmp_path, url, "verify", "--live").returncode == 0


def test_status_history_log_and_blame_work_on_a_hooked_project_without_a_migrations_folder(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic")
    url = database_factory(dialect)
    assert _alembic(folder, url, "upgrade", "heads").returncode == 0
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()

    status = _ledger(cwd, url, "status")
    assert status.returncode == 0, status.stderr
    assert "current    r2  r2" in status.stdout and "pending    none" in status.stdout
    # nothing was compared: no "ok" for files that are not there
    assert "checksums  none compared (no migration file of an applied revision)" in status.stdout
    assert "the revisions are those of the ledger" in status.stderr
    history = _ledger(cwd, url, "history")
    assert history.returncode == 0, history.stderr
    assert [line.split()[:2] for line in history.stdout.splitlines()] == [["[x]", "r1"], ["[x]", "r2"]]
    log = _ledger(cwd, url, "log", "--revision", "r2")
    assert log.returncode == 0 and "add column shop.city" in log.stdout, log.stdout + log.stderr
    blame = _ledger(cwd, url, "blame", "shop.city")
    assert blame.returncode == 0 and " r2 " in blame.stdout, blame.stdout + blame.stderr

    _ledger(cwd, url, "rollback", "--to", "r1", "-q")
    history = _ledger(cwd, url, "history")
    assert [line.split()[:2] for line in history.stdout.splitlines()] == [["[x]", "r1"]]


def test_without_a_ledger_or_a_migrations_folder_status_still_says_the_folder_is_missing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    status = _ledger(tmp_path, url, "status")
    assert status.returncode == 2
    (line,) = status.stderr.strip().splitlines()
    assert line.startswith(
        "schema-ledger: error: migrations: migrations folder does not exist (run `schema-ledger init`); ")
    assert f"{url} has no ledger table" in line  # and the database named has none either


WITHOUT_ALEMBIC = "import sys; sys.modules['alembic'] = None; sys.argv[0] = 'schema-ledger'; "


@pytest.mark.parametrize("code", [
    WITHOUT_ALEMBIC + "from ledger.cli import main; main(['import-alembic', '.'])",
    WITHOUT_ALEMBIC + "import ledger.alembic",
])
def test_without_alembic_the_hook_and_the_importer_say_what_to_install_in_one_line(code: str, tmp_path: Path) -> None:
    (tmp_path / "versions").mkdir()
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert ran.returncode == 1
    last = ran.stderr.strip().splitlines()[-1]
    assert "pip install 'schema-ledger[alembic]'" in last
    if "ledger.cli" in code:
        assert ran.stderr.strip().splitlines() == [
            "schema-ledger: error: the Alembic hook and import-alembic need Alembic: "
            "pip install 'schema-ledger[alembic]'"]


def test_a_warning_from_alembic_s_own_work_is_shown_as_without_the_hook_and_the_hook_adds_none(
    database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    # SQLite: SQLAlchemy warns when it reflects an expression index ("Skipped unsupported reflection");
    # Alembic's batch rebuild reflects the table, and so does the hook after the SQL text.
    folder = _project(tmp_path / "alembic")
    (folder / "versions" / "r3.py").write_text(
        '"""r3"""\nimport sqlalchemy as sa\nfrom alembic import op\n\nrevision = "r3"\ndown_revision = "r2"\n\n\n'
        "def upgrade():\n"
        '    op.execute("CREATE TABLE odd (id INTEGER PRIMARY KEY, shape VARCHAR(20))")\n'
        '    op.execute("CREATE INDEX ix_odd_lower ON odd (lower(shape))")\n'
        '    with op.batch_alter_table("odd", recreate="always") as batch:\n'
        '        batch.add_column(sa.Column("note", sa.String(20)))\n\n\n'
        "def downgrade():\n    pass\n", encoding="utf-8")
    plain = _alembic(folder, database_factory("sqlite"), "upgrade", "heads", hook=False)
    hooked = _alembic(folder, database_factory("sqlite"), "upgrade", "heads")
    assert plain.returncode == 0 and hooked.returncode == 0, hooked.stderr
    assert "Skipped unsupported reflection" in plain.stderr
    assert hooked.stderr.splitlines() == plain.stderr.splitlines()


def test_a_warning_is_shown_again_after_the_migration_resets_the_warning_registries_as_without_the_hook(
    database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    # The batch rebuilds warn at one place (contextlib's exit of the batch block): Python shows it
    # once until something changes the warning filters (a migration's catch_warnings block), which
    # makes it forget what it showed. The hook's own reflections (after SQL text) change nothing there.
    folder = _project(tmp_path / "alembic")
    bodies = {
        "r3": '    op.execute("CREATE TABLE odd (id INTEGER PRIMARY KEY, shape VARCHAR(20))")\n'
              '    rebuild("note")\n',
        "r4": '    rebuild("note2")\n',
        "r5": "    with warnings.catch_warnings():\n"
              '        warnings.filterwarnings("ignore", message="nothing of this run")\n'
              '    rebuild("note3")\n',
        "r6": '    rebuild("note4")\n',
    }
    (folder / "rebuilds.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n\ndef rebuild(column):\n"
        '    op.execute("CREATE INDEX ix_odd_lower ON odd (lower(shape))")  # the rebuild leaves it out\n'
        '    with op.batch_alter_table("odd", recreate="always") as batch:\n'
        "        batch.add_column(sa.Column(column, sa.String(20)))\n", encoding="utf-8")
    down = "r2"
    for revision, body in bodies.items():
        (folder / "versions" / f"{revision}.py").write_text(
            f'"""{revision}"""\nimport warnings\n\nfrom alembic import op\n\nfrom rebuilds import rebuild\n\n'
            f"revision = {revision!r}\ndown_revision = {down!r}\n\n\ndef upgrade():\n{body}\n\n"
            "def downgrade():\n    pass\n", encoding="utf-8")
        down = revision

    def upgrade(hook: bool) -> subprocess.CompletedProcess[str]:
        env = {**_env(database_factory("sqlite"), hook), "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}
        return subprocess.run([sys.executable, "-m", "alembic", "-c", str(folder / "alembic.ini"), "upgrade", "heads"],
                              env=env, capture_output=True, text=True, timeout=300, cwd=folder)

    plain, hooked = upgrade(False), upgrade(True)
    assert plain.returncode == 0 and hooked.returncode == 0, hooked.stderr
    assert plain.stderr.count("Skipped unsupported reflection") == 2, plain.stderr  # r3, and r5 after the reset (not r4, r6)
    assert hooked.stderr.splitlines() == plain.stderr.splitlines(), plain.stderr + "\n-----\n" + hooked.stderr


def test_the_version_rows_follow_alembic_s_downgrade_and_an_unknown_revision_is_left_to_the_ledger(
        tmp_path: Path) -> None:
    from ledger.integrations.alembic.heads import project_downgrade

    folder = _project(tmp_path / "alembic", revisions=BRANCHED,
                      headers={"b1": "branch_labels = ('side',)\ndepends_on = 'r1'"})
    downgrade = project_downgrade(folder)
    assert downgrade is not None
    everything = {"r1", "b1", "r2", "r3"}
    assert downgrade({"r3"}, "r3", everything - {"r3"}) == {"r2", "b1"}  # the empty merge unmerged
    assert downgrade({"r2", "b1"}, "b1", {"r1", "r2"}) == {"r2"}  # a branch's first revision: its row goes
    assert downgrade({"r3"}, "r2", {"r1", "b1", "r3"}) is None  # r3 holds events still: not below it yet
    assert downgrade({"r3"}, "nowhere", everything) is None  # not the project's: the ledger's own rule
    assert project_downgrade(tmp_path) is None  # no alembic.ini there


def _history_with_downgrades(folder: Path, steps: list[tuple[str, str]]) -> list[str]:
    """Revisions (upgrade line, downgrade line), chained; their ids."""
    from tests.alembic_histories import write_env

    write_env(folder)
    ids: list[str] = []
    for number, (up, down) in enumerate(steps, start=1):
        revision = f"{number:04d}dd"
        (folder / "versions" / f"{revision}_step.py").write_text(
            f'"""step {number}"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = {revision!r}\n'
            f"down_revision = {ids[-1] if ids else None!r}\nbranch_labels = None\ndepends_on = None\n\n\n"
            f"def upgrade():\n    {up}\n\n\ndef downgrade():\n    {down}\n", encoding="utf-8")
        ids.append(revision)
    return ids


@pytest.mark.parametrize("residue", [False, True])
def test_a_rollback_after_alembic_downgrade_and_upgrade_again_undoes_the_revisions_in_effect_once(
    tmp_path: Path, database_factory: Callable[[str], str], residue: bool
) -> None:
    """``alembic downgrade base`` then ``alembic upgrade head`` with the hook: each revision is in
    effect once (its latest upgrade), so ``rollback --to base`` undoes three revisions, not the
    first upgrade, its downgrade and the upgrade again (seven). A downgrade that did not undo its
    upgrade (a table made) stays in effect with that upgrade, and the rollback undoes both too."""
    from tests.alembic_histories import hook_events, ledger_cli, run_alembic, table_names

    url = database_factory("postgresql")
    folder = tmp_path / "alembic"
    ids = _history_with_downgrades(folder, [
        ("op.create_table('a', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.drop_table('a')" + ("; op.create_table('left', sa.Column('id', sa.Integer(), primary_key=True))"
                                 if residue else "")),
        ("op.create_table('b', sa.Column('id', sa.Integer(), primary_key=True))", "op.drop_table('b')"),
        ("op.add_column('b', sa.Column('x', sa.Integer()))", "op.drop_column('b', 'x')")])
    run_alembic(folder, url, "upgrade", "head")
    run_alembic(folder, url, "downgrade", "base")
    run_alembic(folder, url, "upgrade", "head")
    assert len(hook_events(url)) == (10 if residue else 9)
    if not residue:
        # the revisions in effect as Alembic's version table says: each once, none pending
        code, out = ledger_cli(url, tmp_path, "status")
        assert code == 0 and "pending    none" in out and "current    0003dd" in out, out
        code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "-q")
        assert code == 0 and "drill passed: 3 revisions from the ledger" in out, out
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base")
    assert code == 0, out
    assert table_names(url) == []
    rolled = [line for line in out.splitlines() if "rolling back" in line]
    if not residue:
        assert rolled == [f"[{n}/3] rolling back {rid} ... ok" for n, rid in enumerate(reversed(ids), start=1)], out
        assert "rolled back 3 revisions (3 revert events)" in out, out
    else:
        # the first upgrade of 0001dd and its downgrade are undone with its upgrade since
        assert "rolled back 3 revisions (6 revert events)" in out, out
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base")
    assert code == 0 and "nothing to roll back" in out.lower(), out


#: r1 to r4, a branch b1 of its own that depends on r1, m1 merging r4 and b1, r5 after it
#: (Alembic upgrades them in the order r1, b1, r2, r3, r4, m1, r5)
MERGED = {
    "r1": (None, '''op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True))'''),
    "r2": ("r1", '''op.add_column("shop", sa.Column("city", sa.String(40)))'''),
    "r3": ("r2", '''op.create_table("item", sa.Column("id", sa.Integer(), primary_key=True))'''),
    "r4": ("r3", '''op.add_column("item", sa.Column("name", sa.String(40)))'''),
    "b1": (None, '''op.create_table("tag", sa.Column("id", sa.Integer(), primary_key=True))'''),
    "m1": (("r4", "b1"), "pass"),
    "r5": ("m1", '''op.create_table("note", sa.Column("id", sa.Integer(), primary_key=True))'''),
}
MERGED_HEADERS = {"b1": "branch_labels = ('side',)\ndepends_on = 'r1'"}
MERGED_DOWNGRADES = {"r5": 'op.drop_table("note")', "r4": 'op.drop_column("item", "name")', "r3": 'op.drop_table("item")',
                     "r2": 'op.drop_column("shop", "city")', "b1": 'op.drop_table("tag")', "r1": 'op.drop_table("shop")'}
#: env.py of a hook that records no Alembic revision, as the hook did before it recorded them
WITHOUT_RECORDS = "import ledger.integrations.alembic.lock as _lock\n_lock.revision_record = lambda *args: None\n"


def test_a_rollback_run_anywhere_leaves_the_version_rows_alembic_s_own_downgrade_leaves_from_what_the_hook_recorded(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS, downgrades=MERGED_DOWNGRADES)
    elsewhere = tmp_path / "elsewhere"  # no alembic.ini, no revision file: only the ledger
    elsewhere.mkdir()
    plain, url = database_factory(dialect), database_factory(dialect)
    assert _alembic(folder, plain, "upgrade", "heads", hook=False).returncode == 0
    upgraded = _alembic(folder, url, "upgrade", "heads")
    assert upgraded.returncode == 0, upgraded.stderr
    order = [line.split("Running upgrade")[1].split(",")[-2].split("->")[1].strip()
             for line in upgraded.stderr.splitlines() if "Running upgrade" in line]
    assert order == ["r1", "b1", "r2", "r3", "r4", "m1", "r5"]

    rolled = _ledger(elsewhere, url, "-v", "rollback", "--to", "r4")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert "followed r5, m1 as Alembic's downgrade of them does, from what the hook recorded" in rolled.stderr
    # Alembic alone, downgraded to r4, holds the same rows (b1 is no descendant of r4: it stays)
    assert _alembic(folder, plain, "downgrade", "r4", hook=False).returncode == 0
    assert _versions(url, "alembic_version") == _versions(plain, "alembic_version") == ["b1", "r4"]
    assert _tables(url, "schema_ledger", "alembic_version") == _tables(plain, "alembic_version") == ["item", "shop", "tag"]

    again = _alembic(folder, url, "upgrade", "heads")
    assert again.returncode == 0, again.stderr
    assert [line.split("Running upgrade ")[1] for line in again.stderr.splitlines() if "Running upgrade" in line] == [
        "r4, b1 -> m1, m1", "m1 -> r5, r5"]
    assert _versions(url, "alembic_version") == ["r5"]
    verify = _ledger(elsewhere, url, "verify", "--live")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    based = _ledger(elsewhere, url, "rollback", "--to", "base", "-q")
    assert based.returncode == 0, based.stdout + based.stderr
    assert _versions(url, "alembic_version") == []
    assert _tables(url, "schema_ledger", "alembic_version") == []
    rebuilt = _alembic(folder, url, "upgrade", "heads")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _versions(url, "alembic_version") == ["r5"]
    assert _tables(url, "schema_ledger", "alembic_version") == ["item", "note", "shop", "tag"]


def test_the_hook_records_each_revision_as_alembic_knew_it_and_its_newest_record_after_a_downgrade_and_upgrade(
    database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    from ledger.format.alembic_record import AlembicDowngrade, AlembicRevision, read_alembic, recorded_revisions
    from ledger.storage.store import LedgerStore

    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS, downgrades=MERGED_DOWNGRADES,
                      version_table="shop_versions")
    url = database_factory("sqlite")
    assert _alembic(folder, url, "upgrade", "heads").returncode == 0
    down = _alembic(folder, url, "downgrade", "r4")  # with the hook: m1 and r5 downgraded by Alembic
    assert down.returncode == 0, down.stderr
    assert _versions(url, "shop_versions") == ["b1", "r4"]
    # r5 comes back with another down revision: the newest record is the one in effect
    (folder / "versions" / "r5.py").write_text((folder / "versions" / "r5.py").read_text().replace(
        "down_revision = 'm1'", "down_revision = 'm1'\ndepends_on = 'r2'"))
    assert _alembic(folder, url, "upgrade", "heads").returncode == 0

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            events = list(LedgerStore("schema_ledger").events(conn))
    finally:
        engine.dispose()
    records = [(e.revision, type(read_alembic(e))) for e in events if e.kind == "alembic"]
    # each upgrade's revision record; Alembic's downgrade of r5 then m1 recorded as such; both upgraded again
    up, down = AlembicRevision, AlembicDowngrade
    assert records == [("r1", up), ("b1", up), ("r2", up), ("r3", up), ("r4", up), ("m1", up), ("r5", up),
                       ("r5", down), ("m1", down), ("m1", up), ("r5", up)]
    recorded = recorded_revisions(events)
    assert recorded["m1"] == AlembicRevision("m1", ("r4", "b1"), version_table="shop_versions")
    assert recorded["b1"] == AlembicRevision("b1", (), ("r1",), ("side",), "shop_versions")
    assert recorded["r5"] == AlembicRevision("r5", ("m1",), ("r2",), version_table="shop_versions")

    rolled = _ledger(tmp_path, url, "-v", "rollback", "--to", "r4")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert _versions(url, "shop_versions") == ["b1", "r4"]
    assert _tables(url, "schema_ledger", "shop_versions") == ["item", "shop", "tag"]
    again = _alembic(folder, url, "upgrade", "heads")
    assert again.returncode == 0, again.stderr
    assert _versions(url, "shop_versions") == ["r5"]
    assert _ledger(tmp_path, url, "verify", "--live").returncode == 0
    log = _ledger(tmp_path, url, "log", "--revision", "b1")
    assert "Alembic revision b1 (down_revision None; depends_on r1; branch_labels side; version table shop_versions)" \
        in log.stdout, log.stdout + log.stderr


#: where the project keeps its script_location: alembic.ini, or pyproject.toml's [tool.alembic] (Alembic >= 1.16)
@pytest.mark.parametrize("kept_in", ["alembic.ini", "pyproject.toml"])
def test_a_ledger_written_before_the_records_follows_the_revision_files_beside_alembic_ini_else_the_old_rule(
    database_factory: Callable[[str], str], tmp_path: Path, kept_in: str
) -> None:
    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS, downgrades=MERGED_DOWNGRADES,
                      env_head=WITHOUT_RECORDS)
    if kept_in == "pyproject.toml":
        ini = folder / "alembic.ini"
        ini.write_text(ini.read_text(encoding="utf-8").replace("script_location = %(here)s\n", ""), encoding="utf-8")
        (folder / "pyproject.toml").write_text('[tool.alembic]\nscript_location = "%(here)s"\n', encoding="utf-8")
    url = database_factory("sqlite")
    assert _alembic(folder, url, "upgrade", "heads").returncode == 0
    assert "alembic " not in _ledger(tmp_path, url, "log").stdout  # no record in this ledger

    beside = _ledger(folder, url, "-v", "rollback", "--to", "r4")
    assert beside.returncode == 0, beside.stdout + beside.stderr
    assert "followed r5, m1 as Alembic's downgrade of them does, from the revision files of alembic.ini" in beside.stderr
    assert _versions(url, "alembic_version") == ["b1", "r4"]

    verify = _ledger(tmp_path, url, "verify")  # its events as they were written: nothing in them changed
    assert verify.returncode == 0, verify.stdout + verify.stderr
    elsewhere = _ledger(tmp_path, url, "-v", "rollback", "--to", "r2")
    assert elsewhere.returncode == 0, elsewhere.stdout + elsewhere.stderr
    assert "followed r4, r3 by the ledger's own rule" in elsewhere.stderr
    assert _versions(url, "alembic_version") == ["b1", "r2"]  # linear below the merge: the old rule is right


#: a schema of its own, which only the record names; the default schema named (the same table as none)
@pytest.mark.parametrize("schema", ["versions", "public"])
def test_on_postgresql_a_version_table_in_a_schema_follows_the_rollback_from_what_the_hook_recorded(
    database_factory: Callable[[str], str], tmp_path: Path, schema: str
) -> None:
    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS, downgrades=MERGED_DOWNGRADES,
                      version_table_schema=schema)
    url = database_factory("postgresql")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    finally:
        engine.dispose()
    table = f"{schema}.alembic_version"
    assert _alembic(folder, url, "upgrade", "heads").returncode == 0
    assert _versions(url, table) == ["r5"]
    rolled = _ledger(tmp_path, url, "rollback", "--to", "r4", "-q")
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    assert _versions(url, table) == ["b1", "r4"]
    again = _alembic(folder, url, "upgrade", "heads")
    assert again.returncode == 0, again.stderr
    assert _versions(url, table) == ["r5"]
    assert _ledger(tmp_path, url, "rollback", "--to", "base", "-q").returncode == 0
    assert _versions(url, table) == []


def test_the_recorded_graph_gives_the_rows_alembic_s_downgrade_gives_and_says_where_they_came_from(
        tmp_path: Path) -> None:
    from ledger.format.alembic_record import AlembicRevision
    from ledger.integrations.alembic.heads import FILES, RECORDED, RULE, VersionRows, project_downgrade

    folder = _project(tmp_path / "alembic", revisions=MERGED, headers=MERGED_HEADERS)
    files = project_downgrade(folder)
    assert files is not None
    recorded = {name: AlembicRevision.of(name, down, "r1" if name == "b1" else None,
                                         "side" if name == "b1" else None, "alembic_version", None)
                for name, (down, _) in MERGED.items()}
    rows = VersionRows(tmp_path)  # no alembic.ini there: the records alone
    everything = set(MERGED)
    for undone, before, kept in [("r5", {"r5"}, everything - {"r5"}), ("m1", {"m1"}, everything - {"r5", "m1"}),
                                 ("b1", {"r4", "b1"}, {"r1", "r2", "r3", "r4"}), ("r1", {"r1"}, set()),
                                 ("r4", {"r4"}, {"r1", "r2", "r3"})]:
        assert rows(before, undone, kept, recorded) == files(before, undone, kept), undone
    assert rows({"r5"}, "r5", everything - {"r5"}, recorded) == {"m1"}
    assert rows({"m1"}, "m1", everything - {"r5", "m1"}, recorded) == {"r4", "b1"}
    assert rows({"r1"}, "r1", set(), recorded) == set()
    # a revision a baseline adopted (x0) stands in as a base: the rows go back to it
    assert rows({"r1"}, "r1", {"x0"}, {"r1": AlembicRevision("r1", ("x0",))}) == {"x0"}
    assert rows.sources == {"r5": RECORDED, "m1": RECORDED, "b1": RECORDED, "r1": RECORDED, "r4": RECORDED}
    assert rows({"r9"}, "r9", set(), recorded) is None and rows.sources["r9"] == RULE  # no record, no files

    beside = VersionRows(folder)
    assert beside({"r5"}, "r5", everything - {"r5"}, {}) == {"m1"} and beside.sources == {"r5": FILES}


def test_a_record_that_does_not_read_is_reported_by_verify_and_left_to_the_old_rule() -> None:
    from ledger.format.alembic_record import AlembicRevision, recorded_revisions
    from ledger.format.events import Actor, Event, column_problems

    actor = Actor("u", None, "h", "0")
    good = Event.create(seq=1, prev_hash="0" * 64, kind="alembic", op=None, revision="r1", message=None, actor=actor,
                        payload=AlembicRevision("r1", (), ("r0",)).payload())
    bad = Event.create(seq=2, prev_hash=good.hash, kind="alembic", op=None, revision="r2", message=None, actor=actor,
                       payload=AlembicRevision("r3").payload())  # the record of another revision
    worse = Event.create(seq=3, prev_hash=bad.hash, kind="alembic", op=None, revision="r4", message=None, actor=actor,
                         payload='{"record":{"revision":"r4"},"type":"schema-ledger/alembic-revision","v":1}')
    assert column_problems(good) == []
    assert column_problems(bad) == ["record at seq 2 is not an Alembic revision of 'r2'"]
    assert column_problems(worse) == ["record at seq 3: no 'down_revisions'"]
    assert recorded_revisions([good, bad, worse]) == {"r1": AlembicRevision("r1", (), ("r0",))}


def test_without_alembic_installed_a_rollback_still_follows_the_version_table_by_the_old_rule(
        database_factory: Callable[[str], str], tmp_path: Path) -> None:
    folder = _project(tmp_path / "alembic")
    url = database_factory("sqlite")
    assert _alembic(folder, url, "upgrade", "heads").returncode == 0
    code = WITHOUT_ALEMBIC + f"from ledger.cli import main; main(['--url', {url!r}, '-v', 'rollback', '--to', 'r1'])"
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert ran.returncode == 0, ran.stderr
    assert "followed r2 by the ledger's own rule, the latest revision still in effect (Alembic is not installed" \
        in ran.stderr
    assert _versions(url, "alembic_version") == ["r1"]
