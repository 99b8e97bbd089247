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
from tests.alembic_histories import check_everything, connected, hook_events, upgrade_with_hook

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
