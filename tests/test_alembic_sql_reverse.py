"""A trigger replaced as ``DROP TRIGGER IF EXISTS t ON x; CREATE TRIGGER t ...`` in one ``op.execute``
(guardrails-api's audit trigger): the hook records the pair with the reverse of the creation, so a
rollback takes the trigger away before the function it calls, and a second replacement is undone
by the definition the first made."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

import ops as lops
from tests.alembic_histories import check_everything, connected, hook_events, ledger_cli, upgrade_with_hook

pytestmark = pytest.mark.postgresql

FUNCTION = ("CREATE OR REPLACE FUNCTION guard_audit() RETURNS TRIGGER AS $audit$ BEGIN "
            "INSERT INTO guards_audit (name, operation) VALUES (NEW.name, '{op}'); RETURN null; END; $audit$ "
            "LANGUAGE plpgsql;")
TRIGGER = ("DROP TRIGGER IF EXISTS guard_audit_trigger\\n  ON guards;\\n"
           "CREATE TRIGGER guard_audit_trigger AFTER {events} ON guards FOR EACH ROW EXECUTE PROCEDURE guard_audit();")


def test_a_trigger_dropped_if_exists_and_created_in_one_text_is_undone_by_the_rollback(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('guards', sa.Column('name', sa.Text(), primary_key=True))",
         "op.create_table('guards_audit', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('name', sa.Text()), sa.Column('operation', sa.Text()))",
         f"op.execute({FUNCTION.format(op='I')!r})",
         f"op.execute(\"{TRIGGER.format(events='INSERT')}\")"],
        [f"op.execute(\"{TRIGGER.format(events='INSERT OR UPDATE')}\")"],
    ])
    with connected(url) as conn:
        conn.execute(sa.text("INSERT INTO guards VALUES ('a')"))
        conn.commit()
        assert conn.execute(sa.text("SELECT count(*) FROM guards_audit")).scalar() == 1
        conn.execute(sa.text("DELETE FROM guards_audit"))
        conn.execute(sa.text("DELETE FROM guards"))
        conn.commit()
    reverses = [e.op.reverse_sql for e in hook_events(url)
                if isinstance(e.op, lops.ExecuteSQLOp) and "CREATE TRIGGER" in e.op.sqltext]
    # the first pair made the trigger: dropping it undoes the pair; the second is undone by the first's
    assert reverses[0] == "DROP TRIGGER IF EXISTS guard_audit_trigger ON guards"
    assert reverses[1] is not None and "AFTER INSERT ON guards" in reverses[1]
    check_everything(tmp_path, url, database_factory, "postgresql")
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM pg_trigger WHERE tgname = 'guard_audit_trigger'")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM pg_proc WHERE proname = 'guard_audit'")).scalar() == 0


def test_extended_statistics_made_renamed_retargeted_and_dropped_in_sql_text_are_undone_by_the_rollback(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """tiled's ``CREATE STATISTICS IF NOT EXISTS``: dropped by the rollback; an ``ALTER STATISTICS``
    rename is renamed back, a target set back, a ``DROP STATISTICS`` made again from its definition."""
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('runs', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('a', sa.Integer()),"
         " sa.Column('b', sa.Integer()))",
         "op.execute('CREATE STATISTICS IF NOT EXISTS runs_ab (dependencies) ON a, b FROM runs')",
         "op.execute('CREATE STATISTICS runs_gone ON a, b FROM runs')"],
        ["op.execute('ALTER STATISTICS runs_ab RENAME TO runs_a_b')",
         "op.execute('ALTER STATISTICS runs_a_b SET STATISTICS 500')",
         "op.execute('DROP STATISTICS runs_gone')"],
    ])
    events = [e for e in hook_events(url) if isinstance(e.op, lops.ExecuteSQLOp)]
    assert [e.op.reverse_sql for e in events] == [
        "DROP STATISTICS IF EXISTS runs_ab", "DROP STATISTICS IF EXISTS runs_gone",
        "ALTER STATISTICS runs_a_b RENAME TO runs_ab", "ALTER STATISTICS runs_a_b SET STATISTICS -1",
        "CREATE STATISTICS runs_gone ON a, b FROM runs"]
    names = "SELECT string_agg(stxname || ':' || coalesce(stxstattarget::int, -1), ',' ORDER BY stxname) FROM pg_statistic_ext"
    with connected(url) as conn:
        assert conn.execute(sa.text(names)).scalar() == "runs_a_b:500"
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", events[0].revision)
    assert code == 0, out
    with connected(url) as conn:
        assert conn.execute(sa.text(names)).scalar() == "runs_ab:-1,runs_gone:-1"
    check_everything(tmp_path, url, database_factory, "postgresql")
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM pg_statistic_ext")).scalar() == 0
