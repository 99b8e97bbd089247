"""What real Alembic projects do around their history, end to end through the CLI.

- A database made by ``metadata.create_all()`` of the models a history starts from, adopted with
  ``baseline``, then migrated by ``alembic upgrade`` with the hook: ``verify --live`` is clean, the
  ledger materializes and drills, and ``rollback --to base`` stops at the baseline (a floor),
  leaving the adopted tables and Alembic's version table where the baseline found it.
- ``create_index(..., postgresql_concurrently=True)`` and SQL run inside
  ``op.get_context().autocommit_block()`` (PostgreSQL): rollback, drill and materialize run such
  statements outside a transaction, as Alembic does.
- A statement that cannot be rendered as SQL is named by its revision by drill, never replayed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli import main
from tests.alembic_histories import (
    LEDGER_TABLE,
    check_live_equals_fold,
    ledger_cli,
    made_by_create_all,
    run_alembic,
    user_tables,
    write_env,
    write_history,
)


def _schema_of(url: str) -> dict[str, list[str]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            return {t: sorted(c["name"] for c in inspector.get_columns(t))
                    for t in user_tables(conn, exclude=(LEDGER_TABLE, "alembic_version"))}
    finally:
        engine.dispose()


def _versions(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    finally:
        engine.dispose()


MODELS_V1 = """
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table('users', metadata, sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(50)))
sa.Table('groups', metadata, sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(50)),
         sa.Column('owner_id', sa.Integer, sa.ForeignKey('users.id')))
"""


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_a_database_made_by_create_all_is_baselined_migrated_and_rolled_back_to_its_baseline(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory(dialect)
    namespace: dict[str, object] = {}
    exec(MODELS_V1, namespace)  # the models of the version the history starts at
    metadata = namespace["metadata"]
    assert isinstance(metadata, sa.MetaData)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        [],  # the base revision: the tables create_all() made
        ["op.add_column('users', sa.Column('email', sa.String(100)))",
         "op.create_index('ix_users_email', 'users', ['email'])"],
        ["op.create_table('tokens', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id')))",
         "op.drop_column('groups', 'name')"],
    ])
    engine = sa.create_engine(url)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()
    run_alembic(folder, url, "stamp", "0001aa")  # as the package does for a database it creates
    before = _schema_of(url)
    code, out = ledger_cli(url, tmp_path, "baseline", "-m", "created by create_all() of the models v1")
    assert code == 0, out

    run_alembic(folder, url, "upgrade", "head")
    check_live_equals_fold(url)
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    scratch = database_factory(dialect)
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    assert _schema_of(scratch) == _schema_of(url)
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--json", "-q")
    assert code == 0 and json.loads(out)["passed"], out

    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "-q")
    assert code == 0, out
    assert _schema_of(url) == before  # the baseline is a floor: its tables stay, as create_all() made them
    assert _versions(url) == ["0001aa"]  # where the baseline found Alembic
    check_live_equals_fold(url)
    run_alembic(folder, url, "upgrade", "head")  # a plain upgrade runs the rolled-back revisions again
    check_live_equals_fold(url)
    assert "tokens" in _schema_of(url)


def _indexes(url: str) -> dict[str, list[tuple[str | None, list[str]]]]:
    """Each user table's indexes as the database holds them: (name, columns)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            return {t: sorted((i["name"], list(i["column_names"])) for i in inspector.get_indexes(t))
                    for t in user_tables(conn, exclude=(LEDGER_TABLE, "alembic_version"))}
    finally:
        engine.dispose()


@pytest.mark.mariadb
def test_a_baseline_holds_the_index_mariadb_made_for_a_foreign_key_under_the_name_it_gave_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``create_all()`` makes ``groups.owner_id``'s key without a name: MariaDB names it
    ``groups_ibfk_1`` and its index ``owner_id``. The baseline holds that index by that name, so the
    ledger materialized holds it so, and a rollback of a revision that dropped the key and the table
    makes them again as they were."""
    url = database_factory("mariadb")
    made_by_create_all(MODELS_V1, url)
    with sa.create_engine(url).begin() as conn:  # the index name ALTER TABLE gives a key it names after it
        conn.exec_driver_sql("ALTER TABLE `groups` ADD COLUMN leader_id INTEGER")
        conn.exec_driver_sql("ALTER TABLE `groups` ADD FOREIGN KEY ix_leader (leader_id) REFERENCES users (id)")
    before = _indexes(url)
    assert ("owner_id", ["owner_id"]) in before["groups"], before
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [[], ["op.drop_constraint('groups_ibfk_1', 'groups', type_='foreignkey')"],
                           ["op.drop_table('groups')"]])
    run_alembic(folder, url, "stamp", "0001aa")
    code, out = ledger_cli(url, tmp_path, "baseline")
    assert code == 0, out
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    scratch = database_factory("mariadb")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    assert _indexes(scratch) == before
    run_alembic(folder, url, "upgrade", "head")
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "-q")
    assert code == 0, out
    assert _indexes(url) == before
    check_live_equals_fold(url)


def test_statements_alembic_runs_outside_a_transaction_are_rolled_back_drilled_and_materialized_outside_one(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        ["op.create_table('message', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('flow_id', sa.Integer()), sa.Column('ts', sa.DateTime()))"],
        ["with op.get_context().autocommit_block():",
         "    op.create_index('ix_message_flow_id', 'message', ['flow_id', 'ts'], postgresql_concurrently=True)"],
        ["with op.get_context().autocommit_block():",
         "    op.execute('CREATE INDEX CONCURRENTLY ix_message_ts ON message (ts)')"],
        ["with op.get_context().autocommit_block():",
         "    op.drop_index('ix_message_flow_id', table_name='message', postgresql_concurrently=True)",
         "    op.execute('DROP INDEX CONCURRENTLY ix_message_ts')"],
        ["with op.get_context().autocommit_block():",
         "    op.create_index('ix_message_ts2', 'message', ['ts'], postgresql_concurrently=True)",
         "    op.execute('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_message_part ON message USING btree (flow_id)"
         " WHERE flow_id IS NOT NULL')",
         "    op.execute('REINDEX INDEX CONCURRENTLY ix_message_ts2')"],
    ])
    run_alembic(folder, url, "upgrade", "head")
    check_live_equals_fold(url)
    scratch = database_factory("postgresql")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    assert _schema_of(scratch) == _schema_of(url)
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--json", "-q")
    # REINDEX has no reverse: named by its revision, everything else replays (up, down, up)
    assert [f.split(",")[0] for f in json.loads(out)["failures"]] == ["revision 0005aa"], out
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--allow-irreversible", "--json", "-q")
    assert code == 0 and json.loads(out)["passed"], out
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--skip-irreversible", "-q")
    assert code == 0, out
    assert _schema_of(url) == {}
    check_live_equals_fold(url)


UNRENDERABLE = [
    ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('score', sa.Float()))",
     "op.execute(sa.text('INSERT INTO item (id, score) VALUES (1, 0.5)'))"],
    # a value with no SQL literal: what ran cannot be written down as SQL that runs again
    ["op.execute(sa.text('UPDATE item SET score = :s WHERE id = 1').bindparams(s=float('nan')))"],
    ["op.add_column('item', sa.Column('name', sa.String(20)))"],
]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_a_statement_that_cannot_be_rendered_is_named_by_its_revision_and_never_replayed(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, UNRENDERABLE)
    run_alembic(folder, url, "upgrade", "head")
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--json", "-q")
    failures = json.loads(out)["failures"]
    assert code != 0 and [f.split(",")[0] for f in failures] == ["revision 0002aa"], out
    assert "cannot be rendered" in failures[0] and "syntax" not in failures[0], failures

    args = ["import-alembic", str(folder), "--dialect", dialect, "--into", str(tmp_path / "imported")]
    if dialect != "sqlite":
        args += ["--scratch-url", database_factory(dialect)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "0002aa" in result.output and "cannot be rendered" in result.output, result.output
    assert not (tmp_path / "imported").exists()
