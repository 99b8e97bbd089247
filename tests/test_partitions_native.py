"""PostgreSQL's declarative partitioning in schema-ledger's own migrations: the drop of a partitioned
table takes its partitions, as PostgreSQL's DROP TABLE does, and comes back with them; a change of
a partition key, which PostgreSQL has no ALTER for, is refused in one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

import ops
from tests.builders import cli, engine_for, events, one_error_line, project

pytestmark = pytest.mark.postgresql

_PARENT = ('op.create_table("prefs", sa.Column("id", sa.Integer, nullable=False),'
           ' sa.Column("is_latest", sa.Boolean, nullable=False), postgresql_partition_by="LIST (is_latest)")\n'
           'op.create_table("prefs_current", sa.Column("id", sa.Integer, nullable=False),'
           ' sa.Column("is_latest", sa.Boolean, nullable=False), postgresql_partition_of="prefs",'
           ' postgresql_partition_bound="FOR VALUES IN (true)")\n'
           'op.create_table("prefs_rest", sa.Column("id", sa.Integer, nullable=False),'
           ' sa.Column("is_latest", sa.Boolean, nullable=False), postgresql_partition_of="prefs",'
           ' postgresql_partition_bound="DEFAULT")\n'
           'op.create_index("ix_prefs_id", "prefs", ["id"])')


def _tables(url: str) -> dict[str, tuple[str, str | None]]:
    """Each table of the public schema but the ledger's -> its kind and bound."""
    with engine_for(url) as engine, engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT c.relname, c.relkind::text, pg_get_expr(c.relpartbound, c.oid) FROM pg_class c"
            " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')"
            " AND c.relname LIKE 'prefs%'")).all()
    return {name: (kind, bound) for name, kind, bound in rows}


def test_the_drop_of_a_partitioned_table_takes_its_partitions_and_its_rollback_brings_them_back(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    config = project(tmp_path, url, revisions={"r1": _PARENT, "r2": 'op.drop_table("prefs")'})
    result = cli(config, "apply", "--to", "r1", "-q")
    assert result.exit_code == 0, result.output
    made = _tables(url)
    assert set(made) == {"prefs", "prefs_current", "prefs_rest"}, made
    result = cli(config, "apply", "-q")
    assert result.exit_code == 0, result.output
    assert _tables(url) == {}
    # one event, the table's drop, holds what PostgreSQL dropped with it: its partitions
    [drop] = [e for e in events(config) if e.revision == "r2"]
    assert isinstance(drop.op, ops.DropTableOp) and drop.op.describe() == \
        "drop table prefs with partitions prefs_rest, prefs_current"
    assert [(d.table_name, d._reverse.name) for d in drop.op._dependents] == [  # type: ignore[attr-defined,union-attr]
        ("prefs_rest", "prefs_rest"), ("prefs_current", "prefs_current")]
    result = cli(config, "verify", "--live")
    assert result.exit_code == 0, result.output
    result = cli(config, "rollback", "--to", "r1", "-q")
    assert result.exit_code == 0, result.output
    assert _tables(url) == made
    # its reverse, one event too, makes the table again, then its partitions
    [revert] = [e for e in events(config) if e.kind == "revert"]
    assert isinstance(revert.op, ops.CreateTableOp) and revert.reverses == drop.seq
    assert [c.table.name for c in revert.op._then] == ["prefs_current", "prefs_rest"]  # type: ignore[attr-defined]
    result = cli(config, "verify", "--live")
    assert result.exit_code == 0, result.output
    result = cli(config, "drill", "--scratch", database_factory("postgresql"), "-q")
    assert result.exit_code == 0, result.output


def test_a_change_of_a_partition_key_is_refused_in_one_line(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    config = project(tmp_path, url, revisions={
        "r1": _PARENT, "r2": 'op.alter_table_options("prefs", postgresql_partition_by="RANGE (id)")'})
    result = cli(config, "apply", "-q")
    assert result.exit_code != 0, result.output
    line = one_error_line(result)
    assert "partition key" in line and "drop" in line and "create" in line, line
    assert _tables(url) == {}  # the plan is checked whole before any of it runs


def test_a_ledger_that_holds_the_drops_of_the_partitions_as_events_of_their_own_still_folds_and_rolls_back(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Before a table's drop held its partitions' drops, they were recorded as events of their own,
    before it (as a migration that drops them first still records them): such a ledger folds, verifies
    and rolls back as it did, each drop reversed by itself."""
    url = database_factory("postgresql")
    config = project(tmp_path, url, revisions={"r1": _PARENT, "r2": 'op.drop_table("prefs_current")\n'
                                                                  'op.drop_table("prefs_rest")\nop.drop_table("prefs")'})
    result = cli(config, "apply", "--to", "r1", "-q")
    assert result.exit_code == 0, result.output
    made = _tables(url)
    result = cli(config, "apply", "-q")
    assert result.exit_code == 0, result.output
    drops = [e for e in events(config) if e.revision == "r2"]
    assert [(e.op.table_name, e.op._dependents) for e in drops] == [  # type: ignore[union-attr]
        ("prefs_current", ()), ("prefs_rest", ()), ("prefs", ())]
    assert '"_dependents"' not in drops[-1].payload
    for args in (["verify", "--live"], ["rollback", "--to", "r1", "-q"], ["verify", "--live"]):
        result = cli(config, *args)
        assert result.exit_code == 0, (args, result.output)
    assert _tables(url) == made


def test_the_drop_of_a_table_partitioned_twice_holds_every_partition_the_deepest_first(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """A partition partitioned in turn: the table's drop holds its partitions' drops, each after its
    own partitions', and its rollback makes each again after its parent."""
    url = database_factory("postgresql")
    nested = ('op.create_table("ev", sa.Column("at", sa.Date, nullable=False), sa.Column("kind", sa.Text, nullable=False),'
              ' postgresql_partition_by="RANGE (at)")\n'
              'op.create_table("ev_2024", sa.Column("at", sa.Date, nullable=False), sa.Column("kind", sa.Text,'
              ' nullable=False), postgresql_partition_of="ev", postgresql_partition_bound="FOR VALUES FROM'
              ' (\'2024-01-01\') TO (\'2025-01-01\')", postgresql_partition_by="LIST (kind)")\n'
              'op.create_table("ev_2024_a", sa.Column("at", sa.Date, nullable=False), sa.Column("kind", sa.Text,'
              ' nullable=False), postgresql_partition_of="ev_2024", postgresql_partition_bound="FOR VALUES IN (\'a\')")\n'
              'op.create_table("ev_rest", sa.Column("at", sa.Date, nullable=False), sa.Column("kind", sa.Text,'
              ' nullable=False), postgresql_partition_of="ev", postgresql_partition_bound="DEFAULT")')
    config = project(tmp_path, url, revisions={"r1": nested, "r2": 'op.drop_table("ev")'})
    result = cli(config, "apply", "-q")
    assert result.exit_code == 0, result.output
    [drop] = [e for e in events(config) if e.revision == "r2"]
    order = [d.table_name for d in drop.op._dependents]  # type: ignore[attr-defined,union-attr]
    assert sorted(order) == ["ev_2024", "ev_2024_a", "ev_rest"] and order.index("ev_2024_a") < order.index("ev_2024")
    for args in (["verify", "--live"], ["rollback", "--to", "r1", "-q"], ["verify", "--live"]):
        result = cli(config, *args)
        assert result.exit_code == 0, (args, result.output)
    result = cli(config, "drill", "--scratch", database_factory("postgresql"), "-q")
    assert result.exit_code == 0, result.output
