"""Each row count of a constraint a rollback adds names the ledger seq of the step that adds it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

import ops
from ledger.schema.violations import violations
from ops.state import SchemaState


def test_a_violation_carries_the_seq_of_the_step_that_adds_its_constraint(tmp_path: Path) -> None:
    made = ops.record(lambda op: op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                                                 sa.Column("note", sa.Text, nullable=True)))
    start = SchemaState.fold(made)
    (tighten,) = ops.record(lambda op: op.alter_column("t", "note", nullable=False, existing_type=sa.Text))
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'rows.db'}")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT)")
            conn.exec_driver_sql("INSERT INTO t (id, note) VALUES (1, NULL), (2, 'x')")
            # two steps described alike: the seq tells them apart, not the text
            found = violations(conn, start, [(tighten, start, "revision r", 7), (tighten, start, "revision r", 9)])
    finally:
        engine.dispose()
    assert [(v.seq, v.rows, v.where) for v in found] == [(7, 1, "revision r"), (9, 1, "revision r")]
