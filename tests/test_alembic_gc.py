"""The hook's run of the migrations keeps what the program made before it out of the collector's
walks (``gc.freeze``) and gives it back at the end, unless the program froze objects itself."""

from __future__ import annotations

import gc
from pathlib import Path

import sqlalchemy as sa

from tests.alembic_histories import hook_events, run_alembic, write_env, write_history

#: ``gc.get_freeze_count()`` as each revision of a run saw it
SEEN: list[int] = []

_BODY = ["import gc, sys",
         "sys.modules['tests.test_alembic_gc'].SEEN.append(gc.get_freeze_count())",
         "op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True))"]


def _run(tmp_path: Path, url: str) -> None:
    SEEN.clear()
    write_env(tmp_path)
    write_history(tmp_path, [_BODY])
    run_alembic(tmp_path, url, "upgrade", "head")
    assert [e.op_type for e in hook_events(url) if e.kind == "apply"] == ["create_table"]
    assert sa.inspect(sa.create_engine(url)).has_table("item")


def test_what_existed_before_the_run_is_set_aside_during_it_and_given_back_after(tmp_path: Path, db_url: str) -> None:
    gc.unfreeze()  # (a command-line test in this process may have frozen its start-up)
    _run(tmp_path, db_url)
    assert len(SEEN) == 1 and SEEN[0] > 1000  # the modules, Alembic's and the hook's objects
    assert gc.get_freeze_count() == 0


def test_objects_the_program_froze_itself_stay_frozen_and_nothing_more_is(tmp_path: Path, db_url: str) -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        _run(tmp_path, db_url)
        # (a frozen object that dies leaves the count) none frozen beyond the program's, which stay frozen
        assert len(SEEN) == 1 and SEEN[0] <= frozen
        assert gc.get_freeze_count() > frozen // 2
    finally:
        gc.unfreeze()


def test_with_the_collector_off_nothing_is_frozen(tmp_path: Path, db_url: str) -> None:
    gc.unfreeze()
    gc.disable()
    try:
        _run(tmp_path, db_url)
        assert SEEN == [0] and gc.get_freeze_count() == 0
    finally:
        gc.enable()
