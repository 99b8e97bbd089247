"""``import-alembic --from-url``: a history that starts from tables ``metadata.create_all()`` made.

The package creates a new database with ``create_all()`` of its models and stamps its Alembic
version table; its history migrates from there, so on an empty scratch database its first
``ALTER`` fails. Imported from a database at that starting point (only read), the history
runs on its schema, after the revision its version table holds; the folder records that
schema (``baseline.json``), ``baseline`` adopts a database at that point, ``apply`` builds
what ``alembic upgrade heads`` builds, and ``rollback --to base`` stops at the baseline. A
database that was not adopted is refused with one line saying what to do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli import main
from ledger.integrations.alembic_import import ImportError_, import_alembic
from ledger.project.config import Config
from ledger.project.revisions import load_revisions
from ledger.run import apply as runner
from ledger.run.apply import NotAdopted
from ledger.run.baseline import baseline
from ledger.run.drill import drill
from ledger.run.rollback import rollback
from ledger.schema.reflect import compare, reflect
from tests.alembic_histories import LEDGER_TABLE, made_by_create_all, name_like_fold, run_alembic, write_env, write_history
from tests.builders import one_error_line, run

MODELS_V1 = """
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table('users', metadata, sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(50), unique=True),
         sa.Column('active', sa.Boolean, nullable=False, server_default=sa.true()))
sa.Table('groups', metadata, sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(50)),
         sa.Column('owner_id', sa.Integer, sa.ForeignKey('users.id'), index=True))
"""

#: the package's history: its first revision made the tables (create_all() makes them for a new
#: database, which is stamped there); the later ones migrate such a database
HISTORY = [
    ["op.create_table('users', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(50)))"],
    ["op.add_column('users', sa.Column('email', sa.String(100)))",
     "op.create_index('ix_users_email', 'users', ['email'])",
     "op.execute(\"UPDATE users SET email = name || '@example.org'\")"],
    ["op.create_table('tokens', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', name='fk_tokens_user')))",
     "op.create_index('ix_groups_name', 'groups', ['name'])"],
    ["op.drop_index('ix_groups_name', table_name='groups')", "op.drop_column('groups', 'name')"],
]
STAMPED = "0001aa"
IMPORTED = ["0002aa", "0003aa", "0004aa"]


def _import_dialect(dialect: str) -> str:
    return "mysql" if dialect == "mariadb" else dialect


def _made_by_create_all(url: str, folder: Path, stamp: str | None = STAMPED) -> None:
    """The database as the package makes it: create_all() of the models, the version table stamped."""
    made_by_create_all(MODELS_V1, url, folder, stamp)


def _reflected(url: str) -> object:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return reflect(conn, exclude=(LEDGER_TABLE, "alembic_version"))
    finally:
        engine.dispose()


def _tables(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _differences(expected_url: str, actual_url: str, dialect: str) -> list[str]:
    expected, actual = _reflected(expected_url), _reflected(actual_url)
    return compare(name_like_fold(expected, actual), actual, "mysql" if dialect == "mariadb" else dialect)  # type: ignore[arg-type]


def _sql(url: str, statement: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _history(tmp_path: Path) -> Path:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, HISTORY)
    return folder


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_a_history_from_create_all_imports_from_the_starting_database_then_baseline_apply_and_rollback_to_it(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    folder = _history(tmp_path)
    start = database_factory(dialect)
    _made_by_create_all(start, folder)
    before = (_tables(start), _reflected(start))
    scratch = database_factory(dialect) if dialect != "sqlite" else None

    # Without the starting point the first change of a table create_all() made fails on the empty
    # scratch database: a problem, nothing written.
    failed = import_alembic(folder, _import_dialect(dialect), tmp_path / "nowhere", url=scratch)
    assert [p.revision for p in failed.problems] == ["0003aa"] and "groups" in failed.problems[0].message
    assert not (tmp_path / "nowhere").exists()

    out = tmp_path / "imported"
    result = import_alembic(folder, _import_dialect(dialect), out, from_url=start,
                            url=database_factory(dialect) if dialect != "sqlite" else None)
    assert result.problems == ()
    # The revisions at or below the stamped one are not imported: the baseline stands for them.
    assert [r.id for r in load_revisions(out)] == IMPORTED
    assert result.start is not None and result.start.alembic == (STAMPED,)
    assert result.baseline == out / "baseline.json"
    snapshot = json.loads((out / "baseline.json").read_text(encoding="utf-8"))
    assert sorted(t["name"] for t in snapshot["tables"]) == ["groups", "users"]
    first = load_revisions(out).get("0002aa")
    assert first is not None and first.message.startswith("step 2\n\nStarts from the schema in baseline.json")
    assert "linearized" not in first.message
    # The starting database is only read.
    assert (_tables(start), _reflected(start)) == before

    # Alembic alone, from a database made the same way: the oracle.
    oracle = database_factory(dialect)
    _made_by_create_all(oracle, folder)
    run_alembic(folder, oracle, "upgrade", "heads")

    # The user's flow: a database at the starting point, adopted, then the imported revisions.
    target = database_factory(dialect)
    _made_by_create_all(target, folder)
    config = Config(project_dir=tmp_path, url=target, migrations=out)
    adopted = baseline(config, why="created by create_all() of the models v1")
    assert adopted.alembic_revision == STAMPED and adopted.warnings == ()
    applied = runner.apply(config)
    assert [r.revision.id for r in applied.applied] == IMPORTED
    assert _differences(oracle, target, dialect) == []
    # A drill starts from the baseline too (up, down to it, up again); the data change is named.
    report = drill(config, scratch=database_factory(dialect) if dialect != "sqlite" else None,
                   allow_irreversible=True)
    assert report.passed, report.failures

    # The baseline is a floor: a rollback to base leaves the tables create_all() made.
    rollback(config, to="base", skip_irreversible=True)
    assert _differences(start, target, dialect) == []
    assert {"tokens"} & set(_tables(target)) == set()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_apply_of_such_a_folder_on_a_database_without_the_starting_schema_says_to_baseline_first(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _history(tmp_path)
    start = database_factory(dialect)
    _made_by_create_all(start, folder)
    args = ["import-alembic", str(folder), "--dialect", dialect, "--into", "imported", "--from-url", start]
    if dialect != "sqlite":
        args += ["--scratch-url", database_factory(dialect)]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "imported 3 revisions into imported" in result.stdout
    assert (f"wrote {Path('imported') / 'baseline.json'}  the schema the revisions start from (2 tables at Alembic "
            f"revision {STAMPED}): adopt a database at that point with `schema-ledger baseline`") in result.stdout

    empty = database_factory(dialect)
    (tmp_path / "schema-ledger.toml").write_text('migrations = "imported"\n', encoding="utf-8")
    for extra in ((), ("--sql",)):
        result = CliRunner().invoke(main, ["--url", empty, "apply", *extra])
        assert result.exit_code == 1, result.output
        [line] = result.stderr.splitlines()
        assert line.startswith("schema-ledger: error: the migrations in imported start from the schema in "
                               "baseline.json (2 tables: groups, users), not from an empty database"), line
        assert "run `schema-ledger baseline` on a database that holds that schema" in line
        assert "Traceback" not in result.output
    assert [t for t in _tables(empty) if t != LEDGER_TABLE] == []

    # Tables made by create_all() but not adopted: the same refusal (the ledger holds none of them).
    unadopted = database_factory(dialect)
    _made_by_create_all(unadopted, folder)
    with pytest.raises(NotAdopted, match="schema-ledger baseline"):
        runner.apply(Config(project_dir=tmp_path, url=unadopted, migrations=tmp_path / "imported"))
    assert (tmp_path / "imported" / "baseline.json").is_file()


def test_a_starting_database_without_a_version_table_runs_every_revision_on_its_schema(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, HISTORY[1:])  # the history's first revision alters what create_all() made
    start = database_factory("sqlite")
    _made_by_create_all(start, folder, stamp=None)
    result = import_alembic(folder, "sqlite", tmp_path / "imported", from_url=start)
    assert result.problems == () and result.start is not None and result.start.alembic == ()
    assert [r.id for r in load_revisions(tmp_path / "imported")] == ["0001aa", "0002aa", "0003aa"]


def test_a_starting_database_that_cannot_be_used_is_one_line(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _history(tmp_path)
    with pytest.raises(ImportError_, match="--from-url sqlite:///.*missing.db does not exist"):
        import_alembic(folder, "sqlite", tmp_path / "out", from_url=f"sqlite:///{tmp_path / 'missing.db'}")
    assert not (tmp_path / "missing.db").exists()
    postgres = database_factory("postgresql")
    with pytest.raises(ImportError_, match="is a postgresql database, not sqlite"):
        import_alembic(folder, "sqlite", tmp_path / "out", from_url=postgres)
    other = database_factory("sqlite")
    _made_by_create_all(other, folder)
    engine = sa.create_engine(other)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'ffff00'")
    engine.dispose()
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "out", "--from-url", other])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert "its Alembic version table alembic_version holds ffff00, not a revision of this history" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_a_database_part_way_through_such_a_history_is_stamped_where_it_stands_then_apply_goes_on(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Alembic migrated a database made by create_all() up to 0003aa: ``stamp`` (its revision read from
    alembic_version) checks it against baseline.json's schema with the revisions up to 0003aa on top,
    records that, and ``apply`` runs 0004aa only. A database that differs is refused with the
    difference, unless forced, which is said."""
    folder = _history(tmp_path)
    start = database_factory(dialect)
    _made_by_create_all(start, folder)
    args = ["import-alembic", str(folder), "--dialect", _import_dialect(dialect), "--into", "imported", "--from-url", start]
    if dialect != "sqlite":
        args += ["--scratch-url", database_factory(dialect)]
    assert run(*args, cwd=tmp_path).exit_code == 0
    (tmp_path / "schema-ledger.toml").write_text('migrations = "imported"\n', encoding="utf-8")

    def part_way() -> str:
        url = database_factory(dialect)
        _made_by_create_all(url, folder)
        run_alembic(folder, url, "upgrade", "0003aa")
        return url

    url = part_way()
    _sql(url, "CREATE TABLE by_hand (id INTEGER PRIMARY KEY)")
    refused = run("--url", url, "stamp", cwd=tmp_path)
    line = one_error_line(refused)
    assert refused.exit_code == 1 and "by_hand" in line and "--force records the files' schema anyway" in line
    assert LEDGER_TABLE not in _tables(url)
    _sql(url, "DROP TABLE by_hand")

    stamped = run("--url", url, "stamp", cwd=tmp_path)
    assert stamped.exit_code == 0, stamped.output
    assert ("stamped at 0003aa (from alembic_version): 2 revisions on the schema baseline.json starts from "
            "(2 tables) recorded as") in stamped.stdout
    status = run("--url", url, "status", cwd=tmp_path).stdout
    assert "current    0003aa" in status and "pending    0004aa" in status
    applied = run("--url", url, "apply", "-q", cwd=tmp_path)
    assert applied.exit_code == 0, applied.output
    assert "applied 1 revision;" in applied.stdout
    assert run("--url", url, "verify", "--live", cwd=tmp_path).exit_code == 0
    oracle = database_factory(dialect)
    _made_by_create_all(oracle, folder)
    run_alembic(folder, oracle, "upgrade", "heads")
    assert _differences(oracle, url, dialect) == []

    # A database at the starting point itself is a baseline's to adopt, and stamp says so.
    at_start = database_factory(dialect)
    _made_by_create_all(at_start, folder)
    pointed = run("--url", at_start, "stamp", cwd=tmp_path)
    assert pointed.exit_code == 2 and "adopted with `schema-ledger baseline`" in one_error_line(pointed)

    # Forced over a difference: recorded, and said on stderr; verify --live then shows it.
    drifted = part_way()
    _sql(drifted, "CREATE TABLE by_hand (id INTEGER PRIMARY KEY)")
    forced = run("--url", drifted, "stamp", "0003aa", "--force", cwd=tmp_path)
    assert forced.exit_code == 0, forced.output
    assert "recorded over the live schema" in forced.stdout
    assert "warning: --force: the live schema is not the schema the files build (1 difference" in forced.stderr
    assert "by_hand" in forced.stderr
    assert run("--url", drifted, "verify", "--live", cwd=tmp_path).exit_code == 1


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_a_starting_database_of_another_history_is_read_through_the_projects_own_version_table(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A sub-project's history (its env.py: version_table="alembic_version_sub") runs in the database
    # of the project it extends, whose own history stamped alembic_version with revisions of its own.
    folder = tmp_path / "alembic"
    write_env(folder, hook=False, version_table="alembic_version_sub")
    write_history(folder, HISTORY[1:])
    start = database_factory(dialect)
    _made_by_create_all(start, folder, stamp=None)
    _sql(start, "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
    _sql(start, "INSERT INTO alembic_version (version_num) VALUES ('ffff00')")
    scratch = (lambda: database_factory(dialect)) if dialect != "sqlite" else (lambda: None)

    # Read through the default version table, the other history's revision is not one of this
    # history: refused in one line that names the option.
    with pytest.raises(ImportError_, match=r"holds ffff00, not a revision of this history .*--version-table"):
        import_alembic(folder, _import_dialect(dialect), tmp_path / "wrong", from_url=start, url=scratch())
    assert not (tmp_path / "wrong").exists()

    # Through the project's own version table (not there yet): every revision, on the starting schema.
    monkeypatch.chdir(tmp_path)
    args = ["import-alembic", str(folder), "--dialect", _import_dialect(dialect), "--into", "imported",
            "--from-url", start, "--version-table", "alembic_version_sub"]
    if dialect != "sqlite":
        args += ["--scratch-url", database_factory(dialect)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert [r.id for r in load_revisions(tmp_path / "imported")] == ["0001aa", "0002aa", "0003aa"]
    assert "(2 tables):" in result.stdout

    # Alembic alone from a database made the same way is what apply builds on the adopted one.
    oracle, target = database_factory(dialect), database_factory(dialect)
    for url in (oracle, target):
        _made_by_create_all(url, folder, stamp=None)
    run_alembic(folder, oracle, "upgrade", "heads")
    config = Config(project_dir=tmp_path, url=target, migrations=tmp_path / "imported")
    baseline(config, why="created by create_all() of the models v1")
    runner.apply(config)
    _sql(oracle, "DROP TABLE alembic_version_sub")  # Alembic's own table, which apply does not make
    assert _differences(oracle, target, dialect) == []


def test_a_scratch_database_that_cannot_be_used_is_one_line(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _history(tmp_path)
    missing = sa.make_url(database_factory("postgresql")).set(database="sl_no_such_scratch")
    monkeypatch.chdir(tmp_path)
    for url, said in (("notaurl", "--scratch-url: not a database URL: notaurl"),
                      (missing.render_as_string(hide_password=False), "--scratch-url: cannot connect to ")):
        result = CliRunner().invoke(main, ["import-alembic", str(folder), "--into", "out", "--dialect",
                                           "postgresql", "--scratch-url", url])
        assert result.exit_code == 2, result.output
        [line] = result.stderr.splitlines()
        assert said in line and "internal error" not in line, line
        assert not (tmp_path / "out").exists()


ROLE_MODELS = """
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table('roles', metadata, sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(50), unique=True))
sa.Table('members', metadata, sa.Column('id', sa.Integer, primary_key=True),
         sa.Column('role_id', sa.Integer, sa.ForeignKey('roles.id'), nullable=False))
"""

#: faraday's: initdb inserts the roles after create_all(); a later revision gives them permissions by
#: the ids the database gave them, and adds a role of its own (the next id the roles' sequence gives)
ROLE_HISTORY = [
    ["op.create_table('roles', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(50)))"],
    ["op.create_table('permissions', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('role_id', sa.Integer(), sa.ForeignKey('roles.id', name='fk_permissions_role'), nullable=False))",
     "op.execute(\"INSERT INTO permissions (role_id) SELECT id FROM roles WHERE name = 'admin'\")",
     "op.execute(\"INSERT INTO permissions (role_id) VALUES (2)\")",
     "op.execute(\"INSERT INTO roles (name) VALUES ('auditor')\")"],
]


def _roles_project(tmp_path: Path, start: str) -> tuple[Path, str]:
    """ROLE_HISTORY's project, and the database at ``start`` made by its models at 0001aa, holding
    initdb's two roles and three members (five rows)."""
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, ROLE_HISTORY)
    made_by_create_all(ROLE_MODELS, start, folder, "0001aa")
    engine = sa.create_engine(start)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO roles (name) VALUES ('admin'), ('pentester')"))
            conn.execute(sa.text("INSERT INTO members (role_id) VALUES (1), (2), (2)"))
    finally:
        engine.dispose()
    return folder, start


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])  # (SQLite does not enforce the foreign key)
def test_the_revisions_run_on_the_rows_the_starting_database_holds(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    folder, start = _roles_project(tmp_path, database_factory(dialect))
    result = import_alembic(folder, _import_dialect(dialect), tmp_path / "imported", from_url=start,
                            url=database_factory(dialect) if dialect != "sqlite" else None)
    assert result.problems == ()
    assert [r.id for r in load_revisions(tmp_path / "imported")] == ["0002aa"]
    # what ran on the scratch database is what runs on the starting one: the permission of the role the
    # starting database holds (a foreign key), the role the revision adds next to them (its sequence, on PostgreSQL)
    text = (tmp_path / "imported" / next(p.name for p in (tmp_path / "imported").glob("0002aa*.py"))).read_text()
    assert "INSERT INTO roles (name) VALUES ('auditor')" in text and "VALUES (2)" in text


def test_a_starting_database_with_more_rows_than_the_limit_is_read_for_its_schema_alone(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows beyond ``ROW_LIMIT`` (a production database given as --from-url) are neither held in
    memory nor copied: the revisions run on the schema alone, and import-alembic says so."""
    from ledger.integrations import alembic_rows
    from ledger.integrations.alembic_import import starting_point

    folder, start = _roles_project(tmp_path, database_factory("sqlite"))
    monkeypatch.setattr(alembic_rows, "ROW_LIMIT", 5)
    within = starting_point(start, "sqlite")
    assert not within.rows_left and sum(len(t.rows) for t in within.rows) == 5
    monkeypatch.setattr(alembic_rows, "ROW_LIMIT", 4)
    beyond = starting_point(start, "sqlite")
    assert beyond.rows_left and beyond.rows == ()
    ran = CliRunner().invoke(main, ["import-alembic", str(folder), "--dialect", "sqlite", "--into",
                                    str(tmp_path / "imported"), "--from-url", start])
    assert "holds more than 4 rows: the revisions ran on its schema alone" in ran.stderr, ran.output


#: a key made without a name and without an index (MariaDB names the index it makes for it after the
#: column, ``p_id``); a later revision makes an index that covers the key (InnoDB drops its own)
KEY_MODELS = """
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table('parent', metadata, sa.Column('id', sa.Integer, primary_key=True))
sa.Table('child', metadata, sa.Column('id', sa.Integer, primary_key=True),
         sa.Column('p_id', sa.Integer, sa.ForeignKey('parent.id')), sa.Column('n', sa.Integer))
"""
KEY_HISTORY = [
    ["op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True))"],
    ["op.add_column('child', sa.Column('m', sa.Integer()))"],
    ["op.create_index('ix_child_p_n', 'child', ['p_id', 'n'])"],
]


def _index_names(url: str) -> dict[str, list[tuple[str | None, list[str]]]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            return {t: sorted((i["name"], list(i["column_names"])) for i in inspector.get_indexes(t))
                    for t in ("parent", "child")}
    finally:
        engine.dispose()


@pytest.mark.mariadb
def test_the_index_mariadb_made_for_a_foreign_key_is_imported_under_the_name_the_starting_database_holds(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """The starting database holds the index of ``child``'s key, made without a name, as ``p_id``:
    baseline.json holds it so, a baseline of such a database adopts the same schema (no warning),
    and the imported revisions applied then rolled back leave the index under that name."""
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, KEY_HISTORY)
    start = database_factory("mariadb")
    made_by_create_all(KEY_MODELS, start, folder, STAMPED)
    before = _index_names(start)
    assert ("p_id", ["p_id"]) in before["child"], before
    out = tmp_path / "imported"
    result = import_alembic(folder, "mysql", out, from_url=start, url=database_factory("mariadb"))
    assert result.problems == ()
    snapshot = json.loads((out / "baseline.json").read_text(encoding="utf-8"))
    [child] = [t for t in snapshot["tables"] if t["name"] == "child"]
    assert [i["name"] for i in child.get("indexes", [])] == ["p_id"], child

    target = database_factory("mariadb")
    made_by_create_all(KEY_MODELS, target, folder, STAMPED)
    config = Config(project_dir=tmp_path, url=target, migrations=out)
    adopted = baseline(config)
    assert adopted.warnings == ()
    runner.apply(config)
    assert ("ix_child_p_n", ["p_id", "n"]) in _index_names(target)["child"]
    (tmp_path / "schema-ledger.toml").write_text('migrations = "imported"\n', encoding="utf-8")
    for args in (["verify", "--live"], ["rollback", "--to", "base", "-q"], ["verify", "--live"]):
        ran = CliRunner().invoke(main, ["--url", target, "--config", str(tmp_path / "schema-ledger.toml"), *args])
        assert ran.exit_code == 0, (args, ran.output)
    assert _index_names(target) == before
