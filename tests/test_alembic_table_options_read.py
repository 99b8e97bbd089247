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


def test_postgresql_reads_no_options_of_tables_whose_statements_do_not_partition(
    database_factory: Callable[[str], str]
) -> None:
    made = "CREATE TABLE parted (at DATE NOT NULL) PARTITION BY RANGE (at)"
    engine = sa.create_engine(database_factory("postgresql"))
    database = dialects.database("postgresql")
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(made))
            conn.execute(sa.text("create table part partition of parted default"))
            expected = {"parted": (("postgresql_partition_by", "RANGE (at)"),)}
            with _statements() as seen:
                assert database.table_options(conn, None, ["parted"]) == expected  # not known: read
                assert database.table_options(conn, None, ["parted"], made_by=(made,)) == expected
                assert database.table_options(conn, None, ["part"], made_by=(
                    "CREATE TABLE x (id INTEGER)", "ALTER TABLE p ATTACH PARTITION x DEFAULT"))["part"]
                assert len([s for s in seen if _PARTITION_READ in s]) == 3
                # the statements known say nothing of partitions: nothing read, though the table is one
                assert database.table_options(conn, None, ["parted"], made_by=("CREATE TABLE parted (at DATE)",)) == {}
                assert len([s for s in seen if _PARTITION_READ in s]) == 3
    finally:
        engine.dispose()
