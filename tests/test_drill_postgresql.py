"""Drills on PostgreSQL, which reads after each revision only what its ops' DDL can change of the
tables they name (``PostgreSQL.changed_by``): what the database does beyond an op is still caught.

The scratch database (``--scratch``) holds an event trigger that makes one more index or CHECK when
a revision's DDL runs: what a narrowed comparison would miss if it read less than that DDL changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.run.drill import drill
from ledger.storage.db import create_engine
from tests.builders import project

REVISIONS = {
    "0001": 'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String(20)),'
            ' sa.Column("name", sa.String(20)))',
    "0002": 'op.create_index("ix_t_name", "t", ["name"])',
    "0003": 'op.create_check_constraint("ck_t_id", "t", "id > 0")',
    "0004": 'op.alter_column("t", "code", nullable=False, existing_type=sa.String(20))',
}


@pytest.fixture
def make(tmp_path: Path, database_factory: Callable[[str], str]) -> Callable[[str, str], tuple[str, str]]:
    """``make(tag, statement)``: (target URL, scratch URL) where the scratch runs ``statement`` after
    each DDL command of ``tag`` once there is a table t."""

    def scratch_with_trigger(tag: str, statement: str) -> tuple[str, str]:
        target, scratch = database_factory("postgresql"), database_factory("postgresql")
        engine = create_engine(scratch)
        try:
            with engine.begin() as conn:
                # (not again for the DDL the statement runs itself)
                conn.exec_driver_sql(
                    "CREATE FUNCTION sl_beyond() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN"
                    " IF to_regclass('t') IS NOT NULL AND coalesce(current_setting('sl.busy', true), '') <> 'on' THEN"
                    " PERFORM set_config('sl.busy', 'on', true);"
                    f" EXECUTE '{statement}';"
                    " PERFORM set_config('sl.busy', 'off', true); END IF; END $$")
                conn.exec_driver_sql("CREATE EVENT TRIGGER sl_beyond ON ddl_command_end"
                                     f" WHEN TAG IN ('{tag}') EXECUTE FUNCTION sl_beyond()")
        finally:
            engine.dispose()
        return target, scratch

    return scratch_with_trigger


def _once(statement: str, name: str) -> str:
    """``statement`` run only while the database holds nothing called ``name``."""
    return f"DO $x$ BEGIN IF to_regclass(''{name}'') IS NULL THEN {statement}; END IF; END $x$"


def test_the_revisions_pass_without_the_trigger(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    report = drill(project(tmp_path, database_factory("postgresql"), revisions=REVISIONS))
    assert report.passed, report.failures


def test_an_index_an_index_op_did_not_make_is_caught_at_its_revision(
        tmp_path: Path, make: Callable[[str, str], tuple[str, str]]) -> None:
    # after CREATE INDEX (what 0002 runs) the database makes one more index
    target, scratch = make("CREATE INDEX", _once("CREATE INDEX ix_extra ON t (code)", "ix_extra"))
    report = drill(project(tmp_path, target, revisions=REVISIONS), scratch=scratch)
    assert [(row.revision, row.up) for row in report.rows] == [("0001", True), ("0002", False), ("0003", None),
                                                                ("0004", None)]
    (failure,) = report.failures
    assert failure.startswith("revision 0002, up (create index ix_t_name on t(name)): live schema differs"), failure
    assert "ix_extra" in failure


def test_an_index_a_rollback_leaves_behind_is_caught_at_its_revision(
        tmp_path: Path, make: Callable[[str, str], tuple[str, str]]) -> None:
    # DROP INDEX (0002 rolled back) leaves another index in its place
    target, scratch = make("DROP INDEX", _once("CREATE INDEX ix_left ON t (name)", "ix_left"))
    report = drill(project(tmp_path, target, revisions=REVISIONS), scratch=scratch)
    assert [(row.revision, row.up, row.down) for row in report.rows] == [
        ("0001", True, None), ("0002", True, False), ("0003", True, True), ("0004", True, True)]
    (failure,) = report.failures
    assert failure.startswith("revision 0002, down (create index ix_t_name on t(name)): live schema differs"), failure
    assert "ix_left" in failure


def test_a_check_a_constraint_op_did_not_make_is_caught_at_its_revision(
        tmp_path: Path, make: Callable[[str, str], tuple[str, str]]) -> None:
    # the ALTER TABLE of 0003's CHECK is followed by another CHECK
    target, scratch = make("ALTER TABLE", "ALTER TABLE t ADD CONSTRAINT ck_extra CHECK (id < 1000)")
    report = drill(project(tmp_path, target, revisions=REVISIONS), scratch=scratch)
    assert [(row.revision, row.up) for row in report.rows][:3] == [("0001", True), ("0002", True), ("0003", False)]
    (failure,) = report.failures
    assert failure.startswith("revision 0003, up (add check constraint ck_t_id on t: id > 0): live schema differs"), failure
    assert "ck_extra" in failure


def test_a_change_beyond_what_an_op_can_change_fails_the_drill_by_the_end_of_the_phase(
        tmp_path: Path, make: Callable[[str, str], tuple[str, str]]) -> None:
    # a CHECK made after CREATE INDEX: the check after 0002 reads the indexes of t alone, the one
    # after 0003 its columns alone; the whole database is compared at the end of the phase (its
    # difference is reported on the phase's last revision)
    target, scratch = make("CREATE INDEX", "ALTER TABLE t ADD CONSTRAINT ck_stray CHECK (id < 1000)")
    revisions = {"0001": REVISIONS["0001"], "0002": REVISIONS["0002"], "0003": REVISIONS["0004"]}
    report = drill(project(tmp_path, target, revisions=revisions), scratch=scratch)
    assert not report.passed
    (failure,) = report.failures
    assert failure.startswith("revision 0003, up (alter column t.code: NOT NULL): live schema differs"), failure
    assert "check constraint ck_stray on t: in the live database" in failure


def test_the_scratch_given_is_read_with_its_trigger_in_place(make: Callable[[str, str], tuple[str, str]]) -> None:
    # (the fixture's event trigger is in the scratch database, not in the target)
    target, scratch = make("CREATE INDEX", "SELECT 1")
    for url, expected in ((scratch, 1), (target, 0)):
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                count = conn.execute(sa.text("SELECT count(*) FROM pg_event_trigger WHERE evtname = 'sl_beyond'")).scalar()
        finally:
            engine.dispose()
        assert count == expected
