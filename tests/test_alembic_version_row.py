"""On PostgreSQL through psycopg and psycopg2 the hook sends a revision's events in the statement of
Alembic's own version row (ledger/integrations/alembic/versionrow.py): its UPDATE, or the DELETE of
a merged branch; a new branch's INSERT is followed by the events with the version table read. The
events are the same whichever way they went, in both of Alembic's transaction modes, on every driver,
going up and down through a branch and its merge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.alembic_histories import (
    LEDGER_TABLE, chain_problems, connected, differences, hook_events, run_alembic, upgrade_order, write_env,
)

#: a message with what a driver's placeholders and SQL's quotes make of a text
MESSAGE = "100% 'sure' %(x)s %s \\ done"

REVISION = '''r"""{message}"""
import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {down!r}
branch_labels = None
depends_on = None


def upgrade():
    {up}


def downgrade():
    {down_body}
'''

#: a root, a revision after it, a branch from the root (Alembic INSERTs its version row), their merge
#: (Alembic DELETEs one row and UPDATEs the other); upgraded in this order
HISTORY = [
    ("0001aa", None, "op.create_table('account', sa.Column('id', sa.Integer(), primary_key=True))",
     "op.drop_table('account')"),
    ("0002aa", "0001aa", "op.add_column('account', sa.Column('name', sa.String(20)))", "op.drop_column('account', 'name')"),
    ("0003aa", "0001aa", "op.create_table('entry', sa.Column('id', sa.Integer(), primary_key=True))",
     "op.drop_table('entry')"),
    ("0004aa", ("0002aa", "0003aa"), "op.create_index('ix_account_name', 'account', ['name'])",
     "op.drop_index('ix_account_name', 'account')"),
]

SEEN = '''
import os
@sa.event.listens_for(engine, "after_cursor_execute")
def _seen(conn, cursor, statement, parameters, context, executemany):
    with open(os.path.join(config.get_main_option("script_location"), "statements.txt"), "a") as out:
        out.write(" ".join(statement.split()) + "\\n")
'''


def _project(folder: Path, per_migration: bool) -> None:
    write_env(folder)
    env = folder / "env.py"
    text = env.read_text()
    if per_migration:
        text = text.replace("render_as_batch=", "transaction_per_migration=True, render_as_batch=")
    text = text.replace("with engine.connect() as connection:", SEEN.strip() + "\nwith engine.connect() as connection:")
    env.write_text(text)
    for revision, down, up, down_body in HISTORY:
        (folder / "versions" / f"{revision}_step.py").write_text(
            REVISION.format(message=f"{revision} {MESSAGE}", revision=revision, down=down, up=up, down_body=down_body),
            encoding="utf-8")


def _with_driver(url: str, driver: str) -> str:
    parsed = sa.make_url(url)
    return parsed.set(drivername=f"postgresql+{driver}").render_as_string(hide_password=False)


@pytest.mark.parametrize("per_migration", [False, True], ids=["one-transaction", "per-migration"])
@pytest.mark.parametrize("driver", ["psycopg", "psycopg2"])
def test_a_revisions_events_go_with_alembics_version_row(
    driver: str, per_migration: bool, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = _with_driver(database_factory("postgresql"), driver)
    folder = tmp_path / "project"
    _project(folder, per_migration)
    run_alembic(folder, url, "upgrade", "heads")
    statements = (folder / "statements.txt").read_text().splitlines()
    events = [e for e in hook_events(url) if e.kind == "apply"]  # (each upgrade's alembic record aside)
    order = upgrade_order(folder)  # the root, one branch, the other (Alembic INSERTs its row), the merge
    assert order[0] == "0001aa" and order[3] == "0004aa"
    kinds = {"0001aa": "create_table", "0002aa": "add_column", "0003aa": "create_table", "0004aa": "create_index"}
    assert [(e.revision, e.op_type) for e in events] == [(revision, kinds[revision]) for revision in order]
    assert [e.message for e in events] == [f"{revision} {MESSAGE}" for revision in order]
    carried = [s for s in statements if s.startswith(f"WITH sl_written AS (INSERT INTO {LEDGER_TABLE} ")
               and (" UPDATE alembic_version " in s or " DELETE FROM alembic_version " in s)]
    # 0002aa's UPDATE and the merge's DELETE carried their revision's events; each is checked against
    # the version table as this run left it (one head, then two)
    assert len(carried) == 2, statements
    assert carried[0].endswith("= 1 AND (SELECT count(*) FROM alembic_version WHERE version_num IN ('0001aa')) = 1")
    assert carried[1].endswith("IN ('0002aa', '0003aa')) = 2")
    alone = [s for s in statements if s.startswith(f"INSERT INTO {LEDGER_TABLE} ")
             or (s.startswith("WITH sl_written") and " SELECT alembic_version.version_num " in s)]
    assert len(alone) == 2, statements  # 0001aa and 0003aa: Alembic INSERTed their version rows
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == ["0004aa"]
        assert differences(conn) == []
        assert chain_problems(conn) == []

    run_alembic(folder, url, "downgrade", "base")  # the merge undone: Alembic INSERTs a row, then UPDATEs
    events = [e for e in hook_events(url) if e.kind == "apply"]  # (each upgrade's alembic record aside)
    kinds = {"0001aa": "drop_table", "0002aa": "drop_column", "0003aa": "drop_table", "0004aa": "drop_index"}
    assert [(e.revision, e.op_type) for e in events[4:]] == [(revision, kinds[revision]) for revision in order[::-1]]
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == []
        assert chain_problems(conn) == []


@pytest.mark.parametrize("driver", ["psycopg", "psycopg2"])
def test_a_version_table_moved_by_another_run_stops_the_revision_whichever_way_its_events_go(
    driver: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Another run moved the version table to a branch of its own while a revision ran (Alembic's
    own UPDATE would still match its one row): the revision's events and DDL roll back."""
    from ledger.alembic import AlembicHookError

    url = database_factory("postgresql")
    folder = tmp_path / "project"
    _project(folder, per_migration=True)
    moved = ("0002aa", "0001aa", "op.add_column('account', sa.Column('name', sa.String(20)))\n"
             "    other = sa.create_engine(op.get_context().config.get_main_option('sqlalchemy.url'))\n"
             "    with other.begin() as conn:\n"
             "        conn.execute(sa.text(\"INSERT INTO alembic_version VALUES ('elsewhere')\"))\n"
             "    other.dispose()", "pass")
    (folder / "versions" / "0002aa_step.py").write_text(REVISION.format(
        message="moved", revision=moved[0], down=moved[1], up=moved[2], down_body=moved[3]), encoding="utf-8")
    with pytest.raises(AlembicHookError, match=r"another run migrated this database meanwhile \(its version table "
                                               r"holds 0001aa, elsewhere, this run expected 0001aa\)"):
        run_alembic(folder, _with_driver(url, driver), "upgrade", "0002aa")
    with connected(url) as conn:
        assert sorted(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()) == ["0001aa", "elsewhere"]
        assert [(e.revision, e.op_type) for e in hook_events(url)] == [("0001aa", "create_table")]
        assert "name" not in [c["name"] for c in sa.inspect(conn).get_columns("account")]
        assert chain_problems(conn) == []


def test_a_statement_naming_no_table_reads_back_only_the_tables_its_catalog_digests_changed(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalog digests read before a ``DO`` block (under a SAVEPOINT) are kept for its read-back:
    the SAVEPOINT's RELEASE is not taken for the migration's next statement, which would drop them
    and have every table read back after it."""
    from ledger.integrations.alembic.fallback import FollowsLive

    url = database_factory("postgresql")
    folder = tmp_path / "project"
    _project(folder, per_migration=False)
    for path in (folder / "versions").iterdir():
        path.unlink()
    for revision, down, up in (
            ("0001aa", None, "op.create_table('a', sa.Column('id', sa.Integer(), primary_key=True))\n"
                             "    op.create_table('b', sa.Column('id', sa.Integer(), primary_key=True))"),
            ("0002aa", "0001aa", "op.execute(\"DO $$ BEGIN EXECUTE 'ALTER TABLE a ADD COLUMN x integer'; END $$\")")):
        (folder / "versions" / f"{revision}_step.py").write_text(
            REVISION.format(message=revision, revision=revision, down=down, up=up, down_body="pass"), encoding="utf-8")
    read: list[object] = []
    follow = FollowsLive._follow_live

    def spied(self: FollowsLive, table: object, parts: object = None, **named: object) -> object:
        read.append((table, named.get("among")))
        return follow(self, table, parts, **named)  # type: ignore[arg-type]

    monkeypatch.setattr(FollowsLive, "_follow_live", spied)
    run_alembic(folder, url, "upgrade", "heads")
    assert read and all(table is None and among is not None and {str(n).casefold() for n in among} == {"a"}  # type: ignore[union-attr]
                        for table, among in read), read
    with connected(url) as conn:
        assert differences(conn) == []
        assert chain_problems(conn) == []
