"""The Alembic hook records what the database did, as the database stores it."""

from __future__ import annotations

from pathlib import Path

from ledger.inspect.audit import verify
from tests.alembic_histories import (
    check_live_equals_fold,
    hook_events,
    ledger_only_config,
    rollback_to_base,
    up_and_down,
    upgrade_with_hook,
)


def test_server_defaults_are_recorded_as_the_database_stores_them(tmp_path: Path, db_url: str) -> None:
    alter = (["with op.batch_alter_table('t') as batch_op:",
              "    batch_op.alter_column('h', server_default=sa.false(), existing_type=sa.Boolean())"]
             if "sqlite" in db_url else
             ["op.alter_column('t', 'h', server_default=sa.false(), existing_type=sa.Boolean())"])
    events = up_and_down(tmp_path, db_url, [[
        "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),"
        " sa.Column('f', sa.Boolean(), server_default=sa.false(), nullable=False),"
        " sa.Column('g', sa.Boolean(), server_default='0'), sa.Column('h', sa.Boolean(), server_default=sa.text('true')))",
        "op.add_column('t', sa.Column('k', sa.Boolean(), server_default=sa.true(), nullable=False))",
        *alter,
    ]], batch="sqlite" in db_url)
    created = events[0].op.table  # type: ignore[union-attr]
    defaults = {c.name: c.server_default.value for c in created.columns if c.server_default is not None}
    if "sqlite" in db_url:
        assert defaults["f"] == "0"  # SQLite keeps sa.false() as SQLAlchemy wrote it for SQLite
    if "postgresql" in db_url:
        assert defaults["g"] == "false"  # PostgreSQL stores '0' on a boolean as false


LONG_TABLE = "a_really_long_table_name_for_testing_the_limits"
LONG_INDEX = "ix_a_really_long_table_name_for_testing_the_limits_another_quite_long_column_name_here"
LONG_UNIQUE = "uq_a_really_long_table_name_for_testing_the_limits_another_quite_long_column_name_here"


def test_names_over_the_identifier_length_are_recorded_as_sqlalchemy_shortened_them(
    tmp_path: Path, db_url: str
) -> None:
    constraint = (["with op.batch_alter_table('%s') as batch_op:" % LONG_TABLE,
                   f"    batch_op.create_unique_constraint(op.f('{LONG_UNIQUE}'), ['another_quite_long_column_name_here'])"]
                  if "sqlite" in db_url else
                  [f"op.create_unique_constraint(op.f('{LONG_UNIQUE}'), '{LONG_TABLE}', "
                   "['another_quite_long_column_name_here'])"])
    events = up_and_down(tmp_path, db_url, [
        [f"op.create_table('{LONG_TABLE}', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('another_quite_long_column_name_here', sa.Integer()))",
         f"op.create_index(op.f('{LONG_INDEX}'), '{LONG_TABLE}', ['another_quite_long_column_name_here'])"],
        [f"op.drop_index(op.f('{LONG_INDEX}'), table_name='{LONG_TABLE}')", *constraint],
    ], batch="sqlite" in db_url)
    index = events[1].op.index.name  # type: ignore[union-attr]
    unique = events[3].op.constraint.name  # type: ignore[union-attr]
    if "sqlite" in db_url:
        assert (index, unique) == (LONG_INDEX, LONG_UNIQUE)  # SQLite has no limit
    else:
        limit = 63 if "postgresql" in db_url else 64
        assert len(index) == len(unique) == limit - 3  # first limit-8 characters, "_", 4 hex digits
        assert index.startswith(LONG_INDEX[:limit - 8]) and unique.startswith(LONG_UNIQUE[:limit - 8])
        assert events[2].op.index_name == index  # type: ignore[union-attr]


def test_check_constraints_are_recorded_as_the_database_stores_them(tmp_path: Path, db_url: str) -> None:
    add = (["with op.batch_alter_table('t') as batch_op:",
            "    batch_op.create_check_constraint('ck_t_x', \"x BETWEEN 1 AND 5 AND lower(s) IN ('a', 'b')\")"]
           if "sqlite" in db_url else
           ["op.create_check_constraint('ck_t_x', 't', \"x BETWEEN 1 AND 5 AND lower(s) IN ('a', 'b')\")"])
    events = up_and_down(tmp_path, db_url, [[
        "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('s', sa.String(10)),"
        " sa.Column('x', sa.Integer()), sa.CheckConstraint(\"lower(s) <> ''\", name='ck_t_s'))",
        *add,
    ]], batch="sqlite" in db_url)
    assert [e.op_type for e in events] == ["create_table", "create_check_constraint"]
    if "mysql" in db_url:  # MariaDB keeps lower() as lcase()
        assert "lcase" in events[1].op.constraint.sqltext  # type: ignore[union-attr]
        assert "lcase" in events[0].op.table.checks[0].sqltext  # type: ignore[union-attr]


def test_repeated_unnamed_unique_constraints_are_as_many_as_the_database_keeps(
    tmp_path: Path, db_url: str
) -> None:
    upgrade_with_hook(tmp_path, db_url, [[
        "op.create_table('tag', sa.Column('id', sa.Integer, primary_key=True), sa.Column('name', sa.String(20),"
        " unique=True), sa.UniqueConstraint('name'), sa.UniqueConstraint('name'))",
        "op.add_column('tag', sa.Column('color', sa.String(20)))",
    ]])
    check_live_equals_fold(db_url)
    assert not verify(ledger_only_config(tmp_path, db_url), chain=None, live=True).problems
    uniques = hook_events(db_url)[0].op.table.uniques  # type: ignore[union-attr]
    # PostgreSQL merges them into one; SQLite keeps each clause; MariaDB each as name, name_2, name_3
    assert len(uniques) == (1 if "postgresql" in db_url else 3)
    rollback_to_base(db_url)
    check_live_equals_fold(db_url)
