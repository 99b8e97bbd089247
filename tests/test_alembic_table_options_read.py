"""The hook reads a table's PostgreSQL partitioning from the catalog only after a ``create_table``
whose statements can have partitioned it: a plain table's options are not read back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger import dialects
from tests.alembic_histories import hook_events, upgrade_with_hook

pytestmark = pytest.mark.postgresql

#: what the catalog read of partitions (``postgresql_catalog.PARTITIONS``) and no other statement reads
_PARTITION_READ = "pg_get_partkeydef"


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def note(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", note)


def test_a_plain_create_table_reads_no_partitioning_and_a_partitioned_one_does(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    with _statements() as seen:
        upgrade_with_hook(tmp_path, url, [
            ["op.create_table('plain', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('x', sa.Text()))"],
            ["op.create_table('parted', sa.Column('id', sa.Integer(), nullable=False),"
             " sa.Column('at', sa.Date(), nullable=False), postgresql_partition_by='RANGE (at)')"],
        ])
    reads = [statement for statement in seen if _PARTITION_READ in statement]
    assert len(reads) == 1  # the partitioned table's, none for the plain one
    made = {event.op.table.name: event.op.table for event in hook_events(url) if event.op_type == "create_table"}
    assert made["plain"].dialect_options == ()
    assert made["parted"].dialect_options == (("postgresql_partition_by", "RANGE (at)"),)


@pytest.mark.parametrize(("statements", "can"), [
    ((), False),
    (("CREATE TABLE t (id INTEGER NOT NULL, PRIMARY KEY (id))",), False),
    (("CREATE TABLE t (at DATE NOT NULL) PARTITION BY RANGE (at)",), True),
    (("CREATE TABLE t (id INTEGER)", "ALTER TABLE p ATTACH PARTITION t FOR VALUES IN (1)"), True),
    (("create table t partition of p default",), True),
])
def test_postgresql_reads_options_only_where_a_statement_partitions(statements: tuple[str, ...], can: bool) -> None:
    assert dialects.database("postgresql").may_hold_options(statements) is can
    assert dialects.database("sqlite").may_hold_options(statements) is True
