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
             headers: dict[str, str] | None = None) -> Path:
    (folder / "versions").mkdir(parents=True)
    (folder / "env.py").write_text(ENV_PY.format(naming=None, batch=False, version_table=version_table,
                                                 per_migration=False, autocommit=False, sqlite_foreign_keys=False,
                                                 commit_after=False, migration_args={}),
                                       encoding="utf-8")
    (folder / "alembic.ini").write_text(ALEMBIC_INI.format(locations=""), encoding="utf-8")
    for revision, (down, body) in revisions.items():
        (folder / "versions" / f"{revision}.py").write_text(
            f'"""{revision}"""\nimport sqlalchemy as sa\nfrom alembic import op\n\nrevision = {revision!r}\n'
            f"down_revision = {down!r}\n{(headers or {}).get(revision, '')}\n\ndef upgrade():\n{textwrap.indent(textwrap.dedent(body), '    ')}\n\n"
            "def downgrade():\n    pass\n", encoding="utf-8")
    return folder


def _env(url: str, hook: bool) -> dict[str, str]:
    return {**os.environ, "REALWORLD_URL": url, "REALWORLD_HOOK": "1" if hook else "0", "PYTHONPATH": str(ROOT)}


def _alembic(folder: Path, url: str, *args: str, hook: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alembic", "-c", str(folder / "alembic.ini"), *args],
                          env=_env(url, hook), capture_output=True, text=True, timeout=300, cwd=folder)


def _ledger(cwd: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ledger", "--url", url, *args], env=_env(url, False),
                          capture_output=True, text=True, timeout=300, cwd=cwd)


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
