"""CHECK constraints of one name on one table, which SQLite holds and PostgreSQL and MariaDB refuse.

Alembic's batch rebuilds on SQLite make them (cloudkitty's hashmap tables): a rebuild that makes a
column again as an ``Enum`` (``reflect_args``) adds that Enum's CHECK next to the one the table
already holds under the Enum's name. A rebuild keeps every named constraint once per name (its
reflection is keyed by name), so it makes the two into one again, and ``drop_constraint`` of that
name in a batch block drops them all. The ledger holds them as the database does: a table's state
keeps the CHECKs of one name as one group, made and dropped together, on a database that allows it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import ops
from ledger import dialects
from ledger.format.codec import decode, encode
from ledger.schema.diff import diff
from ledger.schema.pysource import render_python
from ops import InvalidOperationError, SchemaState
from ops.names import ANY_DATABASE
from ops.operations import record
from ops.specs import CheckSpec, ColumnSpec, PrimaryKeySpec, TableSpec, TypeSpec
from tests.alembic_histories import (
    check_everything,
    check_live_equals_fold,
    connected,
    hook_events,
    ledger_cli,
    upgrade_with_hook,
)

_ENUM = "sa.Enum('flat', 'rate', name={name!r}, create_constraint=True)"


def _made_again_as(name: str) -> str:
    return (f"with op.batch_alter_table('t', reflect_args=[sa.Column('kind', {_ENUM.format(name=name)},"
            " nullable=False)]) as batch_op:")


def _history() -> list[list[str]]:
    return [
        ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),"
         f" sa.Column('kind', {_ENUM.format(name='enum_kind')}, nullable=False), sa.Column('v', sa.Integer()),"
         " sa.UniqueConstraint('v', name='uq_v'))"],
        # cloudkitty's 644faa4491fd: the column made again as the Enum it is, and a unique made
        # again: SQLite then holds two CHECKs named enum_kind
        [_made_again_as("enum_kind"),
         "    batch_op.drop_constraint('uq_v', type_='unique')",
         "    batch_op.create_unique_constraint('uq_v', ['v'])"],
        # a third one of that name, the CHECKs' text differing
        ["with op.batch_alter_table('t') as batch_op:",
         "    batch_op.create_check_constraint('enum_kind', 'v > 0')"],
    ]


def _checks(url: str) -> list[tuple[str, str]]:
    import sqlalchemy as sa

    with connected(url) as conn:
        return sorted((c["name"], c["sqltext"]) for c in sa.inspect(conn).get_check_constraints("t"))


def _resynced(url: str) -> list[str]:
    return [e.message for e in hook_events(url) if e.message and "re-sync" in e.message]


def test_sqlite_s_checks_of_one_name_are_recorded_as_it_holds_them(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Each rebuild is recorded as ops (none as SQL text for a re-sync): verify --live is clean, the
    ledger materialized holds the same CHECKs, the drill passes and the rollback to base too."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, _history()[:2], batch=True)
    assert [name for name, _text in _checks(url)] == ["enum_kind", "enum_kind"]
    assert _resynced(url) == []
    check_everything(tmp_path, url, database_factory, "sqlite")


def test_a_check_added_under_a_name_sqlite_holds_already_is_followed(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Alembic's batch ``create_check_constraint`` of a name the table holds replaces every CHECK
    of that name (the rebuild keeps one constraint per name)."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, _history(), batch=True)
    assert _checks(url) == [("enum_kind", "v > 0")]
    assert _resynced(url) == []
    check_everything(tmp_path, url, database_factory, "sqlite")


def test_a_check_of_another_enum_s_name_made_again_is_recorded_as_sqlite_holds_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """cloudkitty's tables: the ledger holds the CHECK ``enum_other`` that a rebuild left on its own
    (the column is no longer that Enum); a later rebuild makes the column that Enum again, and SQLite
    holds two CHECKs named ``enum_other``."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        _history()[0],
        [_made_again_as("enum_other"), "    batch_op.add_column(sa.Column('x', sa.Integer()))",
         "    batch_op.drop_constraint('uq_v', type_='unique')",
         "    batch_op.create_unique_constraint('uq_v', ['v', 'x'])"],
        [_made_again_as("enum_other"), "    batch_op.drop_constraint('uq_v', type_='unique')",
         "    batch_op.create_unique_constraint('uq_v', ['v'])"],
    ], batch=True)
    assert [name for name, _text in _checks(url)] == ["enum_kind", "enum_other", "enum_other"]
    assert _resynced(url) == []
    check_everything(tmp_path, url, database_factory, "sqlite")


@pytest.mark.parametrize("step", [
    # the drop of the name drops every CHECK of it; its reverse makes them all again
    ["with op.batch_alter_table('t') as batch_op:", "    batch_op.drop_constraint('enum_kind', type_='check')"],
    # any later rebuild makes the CHECKs of one name into one
    ["with op.batch_alter_table('t') as batch_op:",
     "    batch_op.alter_column('v', existing_type=sa.Integer(), nullable=False)"],
])
def test_a_later_rebuild_of_the_table_is_followed_and_rolls_back_to_the_repeated_checks(
    tmp_path: Path, database_factory: Callable[[str], str], step: list[str]
) -> None:
    url = database_factory("sqlite")
    ids = upgrade_with_hook(tmp_path, url, [*_history()[:2], step], batch=True)
    assert len(_checks(url)) < 2
    assert _resynced(url) == []
    check_live_equals_fold(url)
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[1][:8])
    assert code == 0, out
    assert [name for name, _text in _checks(url)] == ["enum_kind", "enum_kind"]
    check_live_equals_fold(url)
    check_everything(tmp_path, url, database_factory, "sqlite")


# -- the state, the diff and the codec --------------------------------------------------------

_KIND = TypeSpec("Enum", ("flat", "rate"), (("name", "enum_kind"),))
_TABLE = TableSpec("t", columns=(ColumnSpec("id", TypeSpec("Integer"), nullable=False), ColumnSpec("kind", _KIND)),
                   primary_key=PrimaryKeySpec("pk_t", ("id",)))
_ONE = CheckSpec("enum_kind", "kind IN ('flat', 'rate')")
_OTHER = CheckSpec("enum_kind", "kind IS NOT NULL")


def _group() -> ops.CreateCheckConstraintOp:
    return ops.CreateCheckConstraintOp("t", _ONE, repeated=(_OTHER,))


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_the_fold_holds_checks_of_one_name_where_the_database_does(dialect: str) -> None:
    start = dialects.empty_state(dialect).with_table(_TABLE)

    def grouped() -> SchemaState:
        return start.apply(start.complete(_group()))

    if dialect != "sqlite":
        with pytest.raises(InvalidOperationError, match="enum_kind"):
            grouped()
        with pytest.raises(InvalidOperationError, match="enum_kind"):
            start.with_table(TableSpec("u", _TABLE.columns, checks=(_ONE, _OTHER)))
        return
    state = grouped()
    assert sorted(state.table("t").checks, key=repr) == sorted((_ONE, _OTHER), key=repr)
    # one more of the name alone is refused: its reverse (a drop of the name) would drop them all
    with pytest.raises(InvalidOperationError, match="enum_kind"):
        state.apply(ops.CreateCheckConstraintOp("t", _ONE))
    drop = state.complete(ops.DropConstraintOp("enum_kind", "t", type_="check"))
    after = state.apply(drop)
    assert after.table("t").checks == ()
    assert after.apply(drop.reverse()) == state
    assert state.apply(_group().reverse()) == start
    # a table made with them, and its drop undone
    made = dialects.empty_state(dialect).with_table(state.table("t"))
    assert made == state
    dropped = made.complete(ops.DropTableOp("t"))
    assert made.apply(dropped).apply(dropped.reverse()) == made
    # a column the group's CHECKs use goes with them, and comes back with them
    column = state.complete(ops.DropColumnOp("t", "kind"))
    assert state.apply(column).table("t").checks == ()
    assert state.apply(column).apply(column.reverse()) == state
    # a ledger read without knowing its database folds them as well
    assert SchemaState.fold([ops.CreateTableOp(_TABLE), _group()], names_per=ANY_DATABASE).table("t").checks


def test_the_diff_leads_to_a_table_holding_checks_of_one_name() -> None:
    rule = dialects.empty_state("sqlite").names_per
    one = SchemaState(names_per=rule).with_table(TableSpec(
        "t", _TABLE.columns, primary_key=_TABLE.primary_key, checks=(_ONE,)))
    two = SchemaState({(None, "t"): TableSpec("t", _TABLE.columns, primary_key=_TABLE.primary_key,
                                              checks=(_ONE, _OTHER))})
    for source, target in ((one, two), (two.with_names_per(rule), one)):
        steps = diff(source, target)
        after = SchemaState.fold(steps, start=source)
        assert after.tables == target.tables
        back = after
        for step in reversed(steps):
            back = back.apply(step.reverse())
        assert back.tables == source.tables


def test_a_group_of_checks_keeps_its_payload() -> None:
    group = _group()
    assert decode(encode(group)) == group
    drop = SchemaState(names_per=ANY_DATABASE).with_table(_TABLE).apply(group).complete(
        ops.DropConstraintOp("enum_kind", "t"))
    assert decode(encode(drop)) == drop
    # a single CHECK's payload is as it was
    assert b"repeated" not in encode(ops.CreateCheckConstraintOp("t", _ONE))
    assert "and 1 more" in group.describe()


def test_a_group_of_checks_is_written_as_a_migration_that_makes_it_again() -> None:
    """import-alembic writes what the hook recorded as a native migration: the group is one call."""
    steps = [ops.CreateTableOp(_TABLE), _group()]
    source = render_python(steps)
    assert "repeated=[" in source
    namespace: dict[str, object] = {}
    exec(compile(source, "<rendered>", "exec"), namespace)  # noqa: S102 - the code under test
    again = record(namespace["upgrade"])  # type: ignore[arg-type]
    assert again == steps
    rule = dialects.empty_state("sqlite").names_per
    assert SchemaState.fold(again, names_per=rule) == SchemaState.fold(steps, names_per=rule)
