"""import-alembic runs revisions as Alembic does: its Config from alembic.ini, the project's naming
convention, Alembic's transactions (``autocommit_block``), batch blocks recorded once."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.run import apply as runner
from ledger.integrations.alembic_import import import_alembic
from ledger.cli import main
from ledger.project.config import Config
from ledger.schema.reflect import compare, reflect
from ledger.project.revisions import load_revisions
from tests.alembic_histories import name_like_fold, run_alembic, write_env


def _revision(path: Path, revision: str, down: str | None, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'"""{revision}"""\nimport sqlalchemy as sa\nfrom alembic import context, op\n\nrevision = {revision!r}\n'
        f"down_revision = {down!r}\n\n\ndef upgrade():\n{textwrap.indent(textwrap.dedent(body), '    ')}\n\n"
        "def downgrade():\n    pass\n", encoding="utf-8")


def _applied(folder: Path, url: str) -> sa.Engine:
    runner.apply(Config(project_dir=folder.parent, url=url, migrations=folder))
    return sa.create_engine(url)


def test_the_config_comes_from_alembic_ini_version_locations_in_year_folders_and_main_options(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write_env(project / "migrations", hook=False)
    (project / "alembic.ini").write_text(textwrap.dedent("""\
        [alembic]
        script_location = %(here)s/migrations
        version_locations = %(here)s/migrations/years
        recursive_version_locations = true
        tenant_table = shops
        path_separator = os
    """), encoding="utf-8")
    _revision(project / "migrations" / "years" / "2024" / "a1.py", "a1", None, """\
        name = context.config.get_main_option("tenant_table")
        op.create_table(name, sa.Column("id", sa.Integer(), primary_key=True))
    """)
    _revision(project / "migrations" / "years" / "2025" / "b2.py", "b2", "a1",
              'op.add_column("shops", sa.Column("city", sa.String(40)))')
    for source in (project / "alembic.ini", project / "migrations"):  # the folder finds its alembic.ini
        out = tmp_path / f"out-{source.name}"
        result = import_alembic(source, "sqlite", out)
        assert result.problems == ()
        assert [r.id for r in load_revisions(out)] == ["a1", "b2"]
        engine = _applied(out, f"sqlite:///{tmp_path / (source.name + '.db')}")
        with engine.connect() as conn:
            assert [c["name"] for c in sa.inspect(conn).get_columns("shops")] == ["id", "city"]
        engine.dispose()


def test_the_naming_convention_comes_from_the_option_or_the_config_target_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    _revision(folder / "versions" / "n1.py", "n1", None, """\
        op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column("code", sa.String(10)), sa.UniqueConstraint("code"))
        op.create_index(op.f("ix_shop_code_lookup"), "shop", ["code"])
    """)
    (tmp_path / "myapp.py").write_text(
        "import sqlalchemy as sa\n"
        "metadata = sa.MetaData(naming_convention={'uq': 'uniq_%(table_name)s_%(column_0_name)s'})\n"
        "convention = dict(metadata.naming_convention)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ran = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "by_option",
                                    "--naming-convention", "myapp:convention"])
    assert ran.exit_code == 0, ran.output
    [revision] = load_revisions(tmp_path / "by_option")
    assert [u.name for u in revision.ops[0].table.uniques] == ["uniq_shop_code"]

    (tmp_path / "schema-ledger.toml").write_text('target_metadata = "myapp:metadata"\nmigrations = "by_config"\n',
                                                 encoding="utf-8")
    ran = CliRunner().invoke(main, ["import-alembic", str(folder)])
    assert ran.exit_code == 0, ran.output
    [revision] = load_revisions(tmp_path / "by_config")
    assert [u.name for u in revision.ops[0].table.uniques] == ["uniq_shop_code"]

    ran = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "x", "--naming-convention", "nowhere:x"])
    assert ran.exit_code == 2 and "--naming-convention nowhere:x: cannot load it" in ran.stderr
    assert not (tmp_path / "x").exists()


def test_autocommit_block_runs_outside_a_transaction_as_under_alembic(
    database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    _revision(folder / "versions" / "c1.py", "c1", None,
              'op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("x", sa.Integer()))')
    _revision(folder / "versions" / "c2.py", "c2", "c1", """\
        with op.get_context().autocommit_block():
            op.create_index("ix_shop_x", "shop", ["x"], postgresql_concurrently=True)
    """)
    result = import_alembic(folder, "postgresql", tmp_path / "out", url=database_factory("postgresql"))
    assert result.problems == ()
    chain = load_revisions(tmp_path / "out")
    assert [type(op).__name__ for op in chain.get("c2").ops] == ["CreateIndexOp"]  # type: ignore[union-attr]


def test_autocommit_runs_the_revisions_on_an_autocommit_connection_as_the_project_s_env_py_does(
    database_factory: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    _revision(folder / "versions" / "c1.py", "c1", None,
              'op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("x", sa.Integer()))')
    # No autocommit_block(): it runs only where env.py gives an AUTOCOMMIT connection (dagster's storages).
    _revision(folder / "versions" / "c2.py", "c2", "c1",
              'op.create_index("ix_shop_x", "shop", ["x"], postgresql_concurrently=True)')
    failed = import_alembic(folder, "postgresql", tmp_path / "no", url=database_factory("postgresql"))
    assert [p.revision for p in failed.problems] == ["c2"] and "inside a transaction block" in failed.problems[0].message
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import-alembic", str(folder), "--dialect", "postgresql", "--into", "out",
                                       "--scratch-url", database_factory("postgresql"), "--autocommit"])
    assert result.exit_code == 0, result.output
    url = database_factory("postgresql")
    with _applied(tmp_path / "out", url).connect() as conn:
        assert [i["name"] for i in sa.inspect(conn).get_indexes("shop")] == ["ix_shop_x"]


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_a_batch_block_is_imported_once_and_applies_to_alembic_s_schema(
    dialect: str, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False, batch=True)
    _revision(folder / "versions" / "b1.py", "b1", None,
              'op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("x", sa.Integer()))')
    _revision(folder / "versions" / "b2.py", "b2", "b1", """\
        with op.batch_alter_table("shop") as batch:
            batch.add_column(sa.Column("city", sa.String(40)))
            batch.alter_column("x", existing_type=sa.Integer(), nullable=False)
            batch.create_index("ix_shop_city", ["city"])
    """)
    scratch = database_factory(dialect) if dialect != "sqlite" else None
    result = import_alembic(folder, dialect, tmp_path / "out", url=scratch)
    assert result.problems == ()
    ops = load_revisions(tmp_path / "out").get("b2").ops  # type: ignore[union-attr]
    assert [type(op).__name__ for op in ops] == ["AddColumnOp", "AlterColumnOp", "CreateIndexOp"]
    alembic_url, ledger_url = database_factory(dialect), database_factory(dialect)
    run_alembic(folder, alembic_url, "upgrade", "heads")
    engine = _applied(tmp_path / "out", ledger_url)
    other = sa.create_engine(alembic_url)
    with engine.connect() as built, other.connect() as expected:
        exclude = ("schema_ledger", "alembic_version")
        mine, theirs = reflect(built, exclude=exclude), reflect(expected, exclude=exclude)
        assert compare(mine, name_like_fold(theirs, mine), built.dialect.name) == []
    engine.dispose()
    other.dispose()


def test_a_procedural_block_that_changes_the_schema_is_imported_as_that_change_once(
    database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    _revision(folder / "versions" / "d1.py", "d1", None,
              'op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True))')
    _revision(folder / "versions" / "d2.py", "d2", "d1",
              '''op.execute("DO $$ BEGIN EXECUTE 'ALTER TABLE shop ADD COLUMN city varchar(40)'; END $$")''')
    result = import_alembic(folder, "postgresql", tmp_path / "out", url=database_factory("postgresql"))
    assert result.problems == ()
    [d2] = [p for p in (tmp_path / "out").iterdir() if p.name.startswith("d2_")]
    text = d2.read_text()
    assert "# procedural SQL not imported: its schema change is the ops below" in text
    assert [type(op).__name__ for op in load_revisions(tmp_path / "out").get("d2").ops] == ["AddColumnOp"]  # type: ignore[union-attr]
    alembic_url, ledger_url = database_factory("postgresql"), database_factory("postgresql")
    run_alembic(folder, alembic_url, "upgrade", "heads")
    engine, other = _applied(tmp_path / "out", ledger_url), sa.create_engine(alembic_url)
    with engine.connect() as built, other.connect() as expected:
        exclude = ("schema_ledger", "alembic_version")
        assert compare(reflect(built, exclude=exclude), reflect(expected, exclude=exclude), "postgresql") == []
    engine.dispose()
    other.dispose()


def test_a_multidb_history_is_imported_with_the_arguments_its_env_py_gives_run_migrations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alembic's multidb template: env.py calls ``run_migrations(engine_name=name)`` for each database,
    and every revision's ``upgrade(engine_name)`` runs that database's part (keylime's registrar and
    verifier). ``--migration-arg engine_name=registrar`` imports the registrar's history; without it,
    the import names the revision whose upgrade() needs the argument and writes nothing."""
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    path = folder / "versions" / "m1.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent('''\
        """m1"""
        import sqlalchemy as sa
        from alembic import op

        revision = "m1"
        down_revision = None


        def upgrade(engine_name):
            globals()[f"upgrade_{engine_name}"]()


        def downgrade(engine_name):
            pass


        def upgrade_registrar():
            op.create_table("registrarmain", sa.Column("agent_id", sa.String(80), primary_key=True))


        def upgrade_cloud_verifier():
            op.create_table("verifiermain", sa.Column("agent_id", sa.String(80), primary_key=True))
    '''), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ran = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "registrar",
                                    "--migration-arg", "engine_name=registrar"])
    assert ran.exit_code == 0, ran.output
    engine = _applied(tmp_path / "registrar", f"sqlite:///{tmp_path / 'registrar.db'}")
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) - {"schema_ledger"} == {"registrarmain"}
    engine.dispose()
    bare = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "bare"])
    assert bare.exit_code == 1 and "m1" in bare.output and "engine_name" in bare.output
    assert not (tmp_path / "bare").exists()
    wrong = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "wrong", "--migration-arg", "engine_name"])
    assert wrong.exit_code == 2 and "KEY=VALUE" in wrong.output


def test_a_history_whose_env_py_passes_alembics_config_is_imported_with_config_arg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An env.py that calls ``context.run_migrations(config=config)`` (trulens): every revision's
    ``upgrade(config)`` reads a main option of alembic.ini through it. ``--config-arg config`` hands
    each the Config the import runs with; without it the import names the revision and writes nothing."""
    project = tmp_path / "project"
    write_env(project / "migrations", hook=False)
    (project / "alembic.ini").write_text(textwrap.dedent("""\
        [alembic]
        script_location = %(here)s/migrations
        app.table_prefix = app_
        path_separator = os
    """), encoding="utf-8")
    path = project / "migrations" / "versions" / "c1.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent('''\
        """c1"""
        import sqlalchemy as sa
        from alembic import op

        revision = "c1"
        down_revision = None


        def upgrade(config):
            prefix = config.get_main_option("app.table_prefix")
            op.create_table(prefix + "runs", sa.Column("id", sa.Integer(), primary_key=True))


        def downgrade(config):
            pass
    '''), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ran = CliRunner().invoke(main, ["import-alembic", str(project / "alembic.ini"), "--into", "out",
                                    "--config-arg", "config"])
    assert ran.exit_code == 0, ran.output
    engine = _applied(tmp_path / "out", f"sqlite:///{tmp_path / 'out.db'}")
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) - {"schema_ledger"} == {"app_runs"}
    engine.dispose()
    bare = CliRunner().invoke(main, ["import-alembic", str(project / "alembic.ini"), "--into", "bare"])
    assert bare.exit_code == 1 and "c1" in bare.output and "--config-arg" in bare.output
    assert not (tmp_path / "bare").exists()
