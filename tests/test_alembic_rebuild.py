"""What an Alembic batch rebuild on SQLite makes of a table, recorded by the hook as the database holds it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ledger.format.events import RESYNC
from ledger.inspect.audit import verify
from ledger.inspect.status import status
from ledger.integrations.alembic.fallback import FollowsLive
from ledger.project.revisions import RevisionChain
from tests.alembic_histories import (
    check_everything,
    check_live_equals_fold,
    connected,
    hook_events,
    ledger_cli,
    ledger_only_config,
    sqlite_upgraded,
    upgrade_with_hook,
)


def test_a_batch_rebuild_that_loses_the_checks_of_column_types_is_recorded_so(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """glance's images: ``Boolean(create_constraint=True)`` columns made with the table, then a batch
    block that rebuilds it. Alembic makes the table again from its reflection, which holds no such
    CHECK: the columns are recorded as the booleans without one that the database now holds."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('images', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('deleted', sa.Boolean(create_constraint=True), nullable=False),"
         " sa.Column('is_public', sa.Boolean(create_constraint=True), nullable=False))"],
        ["with op.batch_alter_table('images') as batch_op:",
         "    batch_op.drop_column('is_public')"],
    ], batch=True)
    check_everything(tmp_path, url, database_factory, "sqlite")


def test_a_batch_rebuild_no_list_of_ops_follows_is_recorded_for_a_re_sync(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the read-back after a batch rebuild finds no list of ops from the fold to the table the
    rebuild made, what the rebuild ran is recorded as an irreversible event marked ``[needs re-sync]``
    (as other DDL the ledger cannot follow), which ``status``, ``log`` and ``verify`` report."""
    url = database_factory("sqlite")
    rebuilds: list[tuple[str | None, str] | None] = []
    follow = FollowsLive._follow_live

    def no_list_for_the_rebuild(self: FollowsLive, table: Any, *args: Any, **kw: Any) -> Any:
        caller = sys._getframe(1).f_code.co_name
        if caller in ("_follow_rebuilt", "_resync"):
            rebuilds.append(table)
            return None  # the read-back after the rebuild (and the revision's re-sync): no list of ops leads there
        return follow(self, table, *args, **kw)

    monkeypatch.setattr(FollowsLive, "_follow_live", no_list_for_the_rebuild)
    # SQLite holds this table as the ledger writes it, which spares the read-back: read back all the same
    monkeypatch.setattr(FollowsLive, "_held_as_written", lambda self, schema, table: False)
    ids = upgrade_with_hook(tmp_path, url, [
        ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('a', sa.Integer()))"],
        ["with op.batch_alter_table('t', recreate='always') as batch_op:",
         "    batch_op.add_column(sa.Column('b', sa.Integer()))"],
    ], batch=True)
    assert (None, "t") in rebuilds
    events = hook_events(url)
    assert [e.op_type for e in events[:2]] == ["create_table", "add_column"]
    marked = [e for e in events if (e.message or "").startswith(RESYNC)]
    assert marked and all(e.revision == ids[1] and e.op_type == "execute" for e in marked), \
        [(e.op_type, e.message) for e in events]
    assert marked[0].message.startswith(f"{RESYNC} alembic batch_alter_table(t)")  # type: ignore[union-attr]
    assert not marked[0].op.reversible  # type: ignore[union-attr]
    assert any("_alembic_tmp_t" in e.op.sqltext for e in marked)  # type: ignore[union-attr]  # what ran

    config = ledger_only_config(tmp_path, url)
    report = status(config, chain=RevisionChain())
    assert report.resync is not None and report.resync.seq == marked[0].seq
    code, out = ledger_cli(url, tmp_path, "log")
    assert RESYNC in out, out
    checked = verify(config, chain=None, live=True)
    assert "re-sync" in [p.kind for p in checked.problems] and not checked.ok


def test_a_batch_rebuild_that_replaces_a_primary_key_or_a_named_constraint_is_recorded_exactly(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """airflow's rename of its asset tables: ``create_primary_key`` in a batch block on a table that
    has one, and ``create_foreign_key`` under the name of a key the table holds. Alembic makes the
    table again with the new one in the old one's place; recorded as the drop of the old one and
    the new one (converted ops, not a read-back), and everything after holds."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('p', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('k', sa.Integer(), nullable=False),"
         " sa.UniqueConstraint('k', name='uq_p_k'))",
         "op.create_table('t', sa.Column('a', sa.Integer(), nullable=False), sa.Column('b', sa.Integer(), nullable=False),"
         " sa.Column('p_id', sa.Integer()), sa.PrimaryKeyConstraint('a', name='t_old_pkey'),"
         " sa.ForeignKeyConstraint(['p_id'], ['p.id'], name='t_p_fkey'))"],
        ["with op.batch_alter_table('t') as batch_op:",
         "    batch_op.create_primary_key('t_pkey', ['a', 'b'])",
         "    batch_op.create_foreign_key('t_p_fkey', 'p', ['p_id'], ['k'], ondelete='CASCADE')"],
    ], batch=True)
    events = hook_events(url)
    second = [e for e in events if e.revision == events[-1].revision]
    assert [(e.op_type, e.op.constraint_name if e.op_type == "drop_constraint" else e.op.constraint.name)  # type: ignore[union-attr]
            for e in second] == [("drop_constraint", "t_old_pkey"), ("create_primary_key", "t_pkey"),
                                 ("drop_constraint", "t_p_fkey"), ("create_foreign_key", "t_p_fkey")], \
        [(e.op_type, e.message) for e in second]
    assert not any((e.message or "").startswith(("[reflected]", RESYNC)) for e in events)
    check_everything(tmp_path, url, database_factory, "sqlite")


_TRIGGER = "CREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN UPDATE t SET log = 1 WHERE id = NEW.id; END"
_TABLE = ("op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('a', sa.Integer()), "
          "sa.Column('log', sa.Integer()))")
_REBUILD = ["with op.batch_alter_table('t') as batch_op:",
            "    batch_op.alter_column('a', existing_type=sa.Integer(), nullable=False)"]


def _triggers(url: str) -> list[str]:
    with connected(url) as conn:
        return list(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 't'")
                    .scalars())


@pytest.mark.parametrize("made", ["in an earlier revision", "earlier in the block"])
def test_the_triggers_a_batch_rebuild_drops_are_recorded_dropped(tmp_path: Path, made: str) -> None:
    """Alembic's batch rebuild makes the table again without its triggers (SQLite drops them with
    it), whoever made them: the ledger records each trigger it made that the database no longer
    holds as dropped, with its definition as the reverse, so a rollback to the revision that made
    it brings it back and a replay of the ledger leaves what the database holds."""
    if made == "in an earlier revision":
        bodies = [[_TABLE, f"op.execute({_TRIGGER!r})"], _REBUILD]
    else:
        bodies = [[_TABLE], [_REBUILD[0], f"    batch_op.execute({_TRIGGER!r})", _REBUILD[1]]]
    alone, _ = sqlite_upgraded(tmp_path, bodies, name="alone", hook=False)
    url, ids = sqlite_upgraded(tmp_path, bodies)
    assert _triggers(url) == _triggers(alone) == []
    (dropped,) = [e for e in hook_events(url) if e.revision == ids[1] and e.op is not None
                  and e.op.op_tag == "execute" and e.op.sqltext.startswith("DROP TRIGGER")]
    assert dropped.op.reverse_sql == _TRIGGER, dropped.message
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "-q")
    assert code == 0, out
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0])
    assert code == 0, out
    # at the revision that made it, as that revision's upgrade left the database
    assert _triggers(url) == (["t_touch"] if made == "in an earlier revision" else [])
    check_live_equals_fold(url)
