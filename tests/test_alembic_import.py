"""``import_alembic``: an imported project applied by the runner builds the schema ``alembic upgrade head`` builds."""

from __future__ import annotations

import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, note
from hypothesis import strategies as st

from ledger.run import apply as runner
from ledger.integrations.alembic_import import ImportError_, ImportResult, import_alembic
from ledger.project.config import Config
from ledger.schema.reflect import compare, reflect
from ledger.project.revisions import load_revisions
from tests.alembic_histories import (
    LEDGER_TABLE,
    Project,
    histories,
    name_like_fold,
    project,
    run_alembic,
    wheels,
    write_env,
    write_history,
)

#: the shared fixtures (of tests.alembic_histories) this module's tests take, found by pytest here
__all__ = ["project", "wheels"]


def _apply_imported(folder: Path, url: str) -> None:
    config = Config(project_dir=folder.parent, url=url, migrations=folder)
    runner.apply(config)


def _schema_differences(alembic_url: str, ledger_url: str, version_table: str = "alembic_version") -> list[str]:
    """Both databases reflected; unnamed constraints (SQLite) take the names the imported files gave them."""
    excluded = (LEDGER_TABLE, version_table)
    engines = [sa.create_engine(alembic_url), sa.create_engine(ledger_url)]
    try:
        with engines[0].connect() as a, engines[1].connect() as b:
            built_by_alembic = reflect(a, exclude=excluded)
            built_by_ledger = reflect(b, exclude=excluded)
            dialect = a.dialect.name
    finally:
        for engine in engines:
            engine.dispose()
    return compare(built_by_ledger, name_like_fold(built_by_alembic, built_by_ledger), dialect)


def _import_and_compare(alembic_folder: Path, dialect: str, make_url: Callable[[str], str], out: Path,
                        version_table: str = "alembic_version") -> ImportResult:
    scratch = make_url(dialect) if dialect != "sqlite" else None
    result = import_alembic(alembic_folder, dialect, out, url=scratch)
    assert result.problems == ()
    alembic_url, ledger_url = make_url(dialect), make_url(dialect)
    run_alembic(alembic_folder, alembic_url, "upgrade", "heads")
    _apply_imported(out, ledger_url)
    assert _schema_differences(alembic_url, ledger_url, version_table) == []
    return result


@pytest.mark.parametrize(("history", "dialect"), [
    ("aim-storage", "sqlite"), ("aim-storage", "postgresql"), ("aim-web", "sqlite"),
    ("fab", "sqlite"), ("fab", "postgresql"),
])
def test_imported_real_history_builds_the_schema_alembic_builds(
    history: str, dialect: str, project: Project, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder, version_table = project(history, hook=False)
    result = _import_and_compare(folder, dialect, database_factory, tmp_path / "imported", version_table)
    ids = [r.id for r in load_revisions(tmp_path / "imported")]
    assert len(ids) >= 2 and sum(r.ops for r in result.revisions) >= 10


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
@given(data=st.data())
def test_imported_synthetic_history_builds_the_schema_alembic_builds(
    dialect: str, database_factory: Callable[[str], str], data: st.DataObject
) -> None:
    bodies = data.draw(histories(dialect))
    for number, body in enumerate(bodies, start=1):
        note(f"revision {number}:\n" + textwrap.indent("\n".join(body), "    "))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "alembic"
        write_env(folder, hook=False)
        ids = write_history(folder, bodies)
        _import_and_compare(folder, dialect, database_factory, Path(tmp) / "imported")
        chain = load_revisions(Path(tmp) / "imported")
        assert [r.id for r in chain] == ids
        assert [r.message.splitlines()[0] for r in chain] == [f"step {n}" for n in range(1, len(ids) + 1)]


def _revision(folder: Path, revision: str, down: object, body: str, message: str = "") -> None:
    lines = [
        f'"""{message or revision}"""',
        "import sqlalchemy as sa",
        "from alembic import op",
        f"revision = {revision!r}",
        f"down_revision = {down!r}",
        "branch_labels = None",
        "depends_on = None",
        "",
        "",
        "def upgrade():",
        textwrap.indent(textwrap.dedent(body), "    ").rstrip(),
        "",
        "",
        "def downgrade():",
        "    pass",
    ]
    (folder / "versions" / f"{revision}.py").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_branches_and_merges_are_linearized_in_upgrade_order_and_said_so(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    _revision(folder, "base1", None, "op.create_table('a', sa.Column('id', sa.Integer(), primary_key=True))")
    _revision(folder, "left", "base1", "op.add_column('a', sa.Column('l', sa.Integer()))")
    _revision(folder, "right", "base1", "op.add_column('a', sa.Column('r', sa.Integer()))")
    _revision(folder, "merge", ("left", "right"), "pass", "merge heads")
    _import_and_compare(folder, "sqlite", database_factory, tmp_path / "out")
    chain = load_revisions(tmp_path / "out")
    ids = [r.id for r in chain]
    assert ids[0] == "base1" and ids[-1] == "merge" and set(ids[1:3]) == {"left", "right"}
    second = chain.get(ids[2])
    assert second is not None and "linearized in Alembic's upgrade order after " + ids[1] in second.message
    merge = chain.get("merge")
    assert merge is not None and merge.message.startswith("merge heads\n\nMerge of left, right.")


def test_data_migrations_become_execute_ops(tmp_path: Path) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    _revision(folder, "r1", None, """\
        op.create_table('kind', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)))
        op.bulk_insert(sa.table('kind', sa.column('id'), sa.column('name')), [{'id': 1, 'name': "o'k"}])
        if op.get_context().dialect.name == 'sqlite':
            op.execute("UPDATE kind SET name = name || '!'")
    """)
    _revision(folder, "r2", "r1", "op.add_column('kind', sa.Column('note', sa.Text()))")
    result = import_alembic(folder, "sqlite", tmp_path / "out")
    assert result.problems == ()
    chain = load_revisions(tmp_path / "out")
    assert [r.id for r in chain] == ["r1", "r2"]
    r1 = (tmp_path / "out" / "r1_r1.py").read_text()
    assert "INSERT INTO kind (id, name) VALUES (1, 'o''k')" in r1
    assert "UPDATE kind SET name = name || '!'" in r1
    assert [type(op).__name__ for op in chain.get("r1").ops] == ["CreateTableOp", "ExecuteSQLOp", "ExecuteSQLOp"]  # type: ignore[union-attr]
    assert [type(op).__name__ for op in chain.get("r2").ops] == ["AddColumnOp"]  # type: ignore[union-attr]


def test_a_history_that_does_not_import_completely_is_reported_with_file_and_line_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    _revision(folder, "r1", None, "op.create_table('kind', sa.Column('id', sa.Integer(), primary_key=True))")
    _revision(folder, "r2", "r1", """\
        op.add_column('kind', sa.Column('rank', sa.Integer()))
        op.execute('INSERT INTO missing_table VALUES (1)')
    """)
    _revision(folder, "r3", "r2", "op.add_column('kind', sa.Column('note', sa.Text()))")
    result = import_alembic(folder, "sqlite", tmp_path / "out")
    [problem] = result.problems
    assert problem.revision == "r2"
    assert problem.where == f"{folder / 'versions' / 'r2.py'}:12"
    assert "upgrade() failed on the scratch database" in problem.message
    assert result.revisions == ()
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["alembic"]  # no staging folder left either


def test_a_non_sqlite_import_needs_a_scratch_database(tmp_path: Path) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    with pytest.raises(ImportError_, match="scratch database"):
        import_alembic(folder, "postgresql", tmp_path / "out")
    with pytest.raises(ImportError_, match="not an Alembic script folder"):
        import_alembic(tmp_path, "sqlite", tmp_path / "out")


def test_import_alembic_command_writes_the_files_or_exits_1_naming_what_it_could_not_import_writing_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from ledger.cli import main

    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    _revision(folder, "r1", None, "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))", "first")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "out"])
    assert result.exit_code == 0, result.output
    assert "imported 1 revision into out" in result.stdout
    assert [r.id for r in load_revisions(tmp_path / "out")] == ["r1"]

    _revision(folder, "r2", "r1", "op.drop_table('nowhere')")
    result = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "fresh"])
    assert result.exit_code == 1
    assert f"problem: {folder / 'versions' / 'r2.py'}:11: upgrade() failed" in result.stderr
    assert "nothing written to fresh: 1 problem" in result.stdout
    assert not (tmp_path / "fresh").exists()
    result = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "out"])
    assert result.exit_code == 1
    assert [r.id for r in load_revisions(tmp_path / "out")] == ["r1"]  # the earlier import, untouched

    result = CliRunner().invoke(main, ["import-alembic", str(tmp_path / "out"), "--into", "again"])
    assert result.exit_code == 2 and "not an Alembic script folder" in result.stderr


def test_tables_a_revision_makes_on_another_connection_of_its_engine_are_imported_into_that_revision(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """As manila's initial revision (its tables made in ``op.get_bind().engine.begin()``): the
    imported revision makes them, so the next one's ``add_column`` applies."""
    from tests.test_alembic_realcases import ELSEWHERE

    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    ids = write_history(folder, ELSEWHERE)
    _import_and_compare(folder, dialect, database_factory, tmp_path / "out")
    first = next(iter(load_revisions(tmp_path / "out")))
    assert first.id == ids[0] and "create_table" in first.path.read_text(encoding="utf-8")


def test_a_revision_that_copies_every_table_imports_without_the_scratch_ledger_s_table(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """As nova's initial revision (a ``shadow_`` copy of every table it reflects): on the scratch
    database the revisions do not see the importer's ledger table, so the files make no copy of it."""
    from tests.test_alembic_daily import COPIES_EVERY_TABLE

    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    for revision, (down, body) in COPIES_EVERY_TABLE.items():
        _revision(folder, revision, down, body)
    _import_and_compare(folder, dialect, database_factory, tmp_path / "out")
    written = "".join(r.path.read_text(encoding="utf-8") for r in load_revisions(tmp_path / "out"))
    assert "shadow_shop" in written and "shadow_item" in written and "shadow_schema_ledger" not in written
