"""``stamp``: a database Alembic migrated, its history imported with ``import-alembic``, adopted at
the revision in its ``alembic_version`` (or a given one) -- then ``status`` and ``apply`` go on from
there. Refused, showing the difference and changing nothing, when the live schema is not the fold."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.storage.db import create_engine
from tests.alembic_histories import run_alembic, write_env, write_history
from tests.builders import one_error_line, rev, run, tables

BODIES = [
    ["op.create_table('customers', sa.Column('id', sa.Integer(), primary_key=True), "
     "sa.Column('name', sa.String(80), nullable=False))"],
    ["op.add_column('customers', sa.Column('email', sa.String(120), nullable=True))",
     "op.create_index('ix_customers_email', 'customers', ['email'], unique=True)"],
    ["op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True), "
     "sa.Column('customer_id', sa.Integer(), sa.ForeignKey('customers.id', name='fk_orders_customer'), nullable=False), "
     "sa.Column('status', sa.String(20), nullable=False, server_default='new'))"],
]


def _sql(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def _scalar(url: str, statement: str) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(statement)).scalar()
    finally:
        engine.dispose()


@pytest.fixture
def migrated(tmp_path: Path, dialect: str, database_factory: Callable[[str], str]) -> Callable[[str], tuple[Path, str, list[str]]]:
    """A project whose migrations were imported from an Alembic history, and a database that Alembic
    migrated up to a given revision (with a row of data in it)."""

    def make(upto: str) -> tuple[Path, str, list[str]]:
        alembic = tmp_path / "alembic"
        write_env(alembic, hook=False)
        ids = write_history(alembic, BODIES)
        url = database_factory(dialect)
        run_alembic(alembic, url, "upgrade", ids[-1] if upto == "head" else upto)
        _sql(url, "INSERT INTO customers (id, name) VALUES (1, 'Ada')")
        (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
        args = ["import-alembic", str(alembic), "--dialect", "mysql" if dialect == "mariadb" else dialect]
        if dialect != "sqlite":
            args += ["--scratch-url", database_factory(dialect)]
        imported = run(*args, cwd=tmp_path)
        assert imported.exit_code == 0, imported.output
        return tmp_path, url, ids

    return make


def test_stamp_adopts_the_alembic_revision_then_apply_goes_on(migrated: Callable[..., tuple[Path, str, list[str]]]) -> None:
    project, url, ids = migrated("head")
    # Before: every imported revision is pending, and apply would fail on the existing tables.
    assert ids[0] in run("--url", url, "status", "--json", cwd=project).stdout.split('"pending"')[1]
    # baseline would leave the imported revisions pending: it points to stamp and changes nothing.
    refused = run("--url", url, "baseline", cwd=project)
    assert refused.exit_code == 1 and "schema-ledger stamp" in one_error_line(refused)
    assert "schema_ledger" not in tables(url)

    result = run("--url", url, "stamp", "--by", "alice", cwd=project)
    assert result.exit_code == 0, result.output
    assert f"stamped at {ids[-1]} (from alembic_version): 3 revisions recorded" in result.stdout
    status = run("--url", url, "status", cwd=project)
    assert status.exit_code == 0, status.output
    assert f"current    {ids[-1]}" in status.stdout and "pending    none" in status.stdout
    verified = run("--url", url, "verify", "--live", cwd=project)
    assert verified.exit_code == 0, verified.output
    # A native revision on top applies; the data Alembic's database held is still there.
    (project / "migrations" / "0100_note.py").write_text(
        rev("0100", ids[-1], "op.add_column('customers', sa.Column('note', sa.Text(), nullable=True))"))
    applied = run("--url", url, "apply", "-q", cwd=project)
    assert applied.exit_code == 0, applied.output
    assert "applied 1 revision;" in applied.stdout
    assert _scalar(url, "SELECT name FROM customers WHERE id = 1") == "Ada"
    assert run("--url", url, "verify", "--live", cwd=project).exit_code == 0
    # A second stamp is refused: the ledger has events.
    again = run("--url", url, "stamp", cwd=project)
    assert again.exit_code == 1 and "already has" in one_error_line(again)


def test_stamp_at_an_older_revision_leaves_the_rest_pending(migrated: Callable[..., tuple[Path, str, list[str]]]) -> None:
    project, url, ids = migrated("0002aa")
    result = run("--url", url, "stamp", cwd=project)
    assert result.exit_code == 0, result.output
    assert "stamped at 0002aa" in result.stdout
    status = run("--url", url, "status", cwd=project)
    assert f"pending    {ids[-1]}" in status.stdout
    # A drill replays the stamped baseline on its scratch database, revisions and all.
    drilled = run("--url", url, "drill", "-q", cwd=project)
    assert drilled.exit_code == 0, drilled.output
    # ... and drills the revisions after them: the stamp is a floor, as a baseline is.
    assert "drill passed: 1 revision on" in drilled.stdout and "0002aa" not in drilled.stdout
    below = run("--url", url, "rollback", "--to", ids[0], cwd=project)
    assert below.exit_code != 0 and "below the baseline" in one_error_line(below)
    assert run("--url", url, "apply", "-q", cwd=project).exit_code == 0
    assert "orders" in tables(url)
    assert run("--url", url, "verify", "--live", cwd=project).exit_code == 0


def test_stamp_refuses_a_live_schema_that_is_not_the_fold(migrated: Callable[..., tuple[Path, str, list[str]]]) -> None:
    project, url, ids = migrated("head")
    _sql(url, "CREATE TABLE by_hand (id INTEGER PRIMARY KEY)")
    result = run("--url", url, "stamp", cwd=project)
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "by_hand" in line and "live schema is not the schema revisions up to" in line
    assert "schema_ledger" not in tables(url)
    # Given explicitly, a revision the live schema is not at is refused too.
    _sql(url, "DROP TABLE by_hand")
    wrong = run("--url", url, "stamp", ids[0], cwd=project)
    assert wrong.exit_code == 1 and "orders" in one_error_line(wrong)
    assert "schema_ledger" not in tables(url)


def test_stamp_needs_a_revision_the_files_define(migrated: Callable[..., tuple[Path, str, list[str]]]) -> None:
    project, url, _ids = migrated("head")
    result = run("--url", url, "stamp", "nosuch", cwd=project)
    assert result.exit_code == 2 and "no migration file defines revision nosuch" in one_error_line(result)
    _sql(url, "DELETE FROM alembic_version")
    bare = run("--url", url, "stamp", cwd=project)
    assert bare.exit_code == 2 and "alembic_version" in one_error_line(bare)
    assert "schema_ledger" not in tables(url)


def test_every_alembic_command_has_a_counterpart_in_the_cli_and_the_docs() -> None:
    import inspect

    import alembic.command

    from ledger.cli import ALEMBIC_COMMANDS, main

    docs = (Path(__file__).resolve().parent.parent / "docs" / "from-alembic.md").read_text()
    verbs = [name for name, f in inspect.getmembers(alembic.command, inspect.isfunction)
             if f.__module__ == "alembic.command" and not name.startswith("_")]
    assert len(verbs) >= 10
    for verb in verbs:
        assert f"`alembic {verb}" in docs, f"docs/from-alembic.md does not name `alembic {verb}`"
        assert verb in main.commands or verb in ALEMBIC_COMMANDS, verb
        counterpart = ALEMBIC_COMMANDS.get(verb, verb).split()[0]
        assert counterpart in main.commands, (verb, counterpart)


BRANCHES = {  # revision: (down_revision, body); 0002 and 0003 branch off 0001, 0004 follows 0002
    "0001bb": (None, "op.create_table('a', sa.Column('id', sa.Integer(), primary_key=True))"),
    "0002bb": ("0001bb", "op.create_table('b', sa.Column('id', sa.Integer(), primary_key=True))"),
    "0003bb": ("0001bb", "op.create_table('c', sa.Column('id', sa.Integer(), primary_key=True))"),
    "0004bb": ("0002bb", "op.add_column('b', sa.Column('note', sa.String(20)))"),
}


def test_stamp_reads_several_heads_from_alembic_version_where_the_files_order_allows(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str]
) -> None:
    """A database at two unmerged heads stands at the later of them in the files' (linearized) order when
    every file before it is one those heads follow; otherwise it is at no revision of the files, and
    stamp says which files are in the way."""
    from tests.alembic_histories import REVISION

    alembic = tmp_path / "alembic"
    write_env(alembic, hook=False)
    for revision, (down, body) in BRANCHES.items():
        (alembic / "versions" / f"{revision}_step.py").write_text(
            REVISION.format(message=f"step {revision}", revision=revision, down=down, body="    " + body, labels=None, depends=None), encoding="utf-8")
    (tmp_path / "schema-ledger.toml").write_text('migrations = "migrations"\n')
    args = ["import-alembic", str(alembic), "--dialect", "mysql" if dialect == "mariadb" else dialect]
    if dialect != "sqlite":
        args += ["--scratch-url", database_factory(dialect)]
    assert run(*args, cwd=tmp_path).exit_code == 0
    # Alembic's upgrade order, which the files follow: 0003's branch after 0002's
    for revision, down in (("0002bb", "0001bb"), ("0004bb", "0002bb"), ("0003bb", "0004bb")):
        [path] = (tmp_path / "migrations").glob(f"{revision}_*.py")
        assert f"down_revision = {down!r}" in path.read_text(encoding="utf-8")

    # Both branches at their heads: at 0003bb, the last file, every file before it followed.
    url = database_factory(dialect)
    run_alembic(alembic, url, "upgrade", "heads")
    refused = run("--url", url, "baseline", cwd=tmp_path)  # it would leave the imported revisions pending
    assert refused.exit_code == 1 and "adopt it with `schema-ledger stamp`" in one_error_line(refused)
    stamped = run("--url", url, "stamp", cwd=tmp_path)
    assert stamped.exit_code == 0, stamped.output
    assert "stamped at 0003bb (from alembic_version): 4 revisions recorded" in stamped.stdout
    assert "pending    none" in run("--url", url, "status", cwd=tmp_path).stdout

    # At 0002bb and 0003bb: 0004bb, which neither follows, comes before 0003bb in the files.
    split = database_factory(dialect)
    run_alembic(alembic, split, "upgrade", "0002bb")
    run_alembic(alembic, split, "upgrade", "0003bb")
    refused = run("--url", split, "stamp", cwd=tmp_path)
    assert refused.exit_code == 2
    assert "the files put 0004bb before 0003bb, which none of those heads follows" in one_error_line(refused)
    assert "schema_ledger" not in tables(split)
