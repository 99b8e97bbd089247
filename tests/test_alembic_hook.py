"""The Alembic hook: what Alembic runs is recorded in the ledger, and the fold equals the live schema."""

from __future__ import annotations

import re
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import currently_in_test_context, given, note
from hypothesis import strategies as st

from ledger.integrations.alembic import DATA_CHANGE, NOT_MODELLED, PARTIAL, is_data_change
from ledger.integrations.alembic_sql import (
    CONSTRAINTS, DATA, INDEXES, OTHER, READ, SCHEMA, changed_parts, classify, dropped_index,
)
from tests.alembic_histories import (
    LEDGER_TABLE,
    check_live_equals_fold,
    hook_events,
    run_alembic,
    user_tables,
    write_env,
    write_history,
)

HOOK_DIALECTS = ("sqlite", "postgresql", "mariadb")


def _project(tmp_path: Path, bodies: list[list[str]] | list[str], **env: object) -> list[str]:
    write_env(tmp_path, **env)  # type: ignore[arg-type]
    if bodies and isinstance(bodies[0], str):
        bodies = [bodies]  # type: ignore[list-item]
    return write_history(tmp_path, bodies)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Upgrading a history one revision at a time (its synthetic histories, drawn by hypothesis, are
# tests/test_alembic_hook_synthetic.py's and tests/test_alembic_hook_synthetic_sql.py's)
# ---------------------------------------------------------------------------------------------


def _upgrade_one_revision_at_a_time(url: str, bodies: list[list[str]], naming: dict[str, str] | None = None,
                                   branch: bool = False) -> list[str]:
    """Write ``bodies`` as a history (``naming``: the naming convention of env.py's target_metadata;
    ``branch``: with a side branch and a merge, see write_history) and upgrade to each revision in
    turn, checking the ledger after each."""
    with tempfile.TemporaryDirectory() as folder:
        write_env(Path(folder), naming=naming)
        ids = write_history(Path(folder), bodies, branch=branch)
        written = iter(bodies)
        for revision in ids:
            if currently_in_test_context():  # also called from plain tests of one history
                body = next(written) if revision.endswith("aa") else ["pass"]
                note(f"revision {revision}:\n" + textwrap.indent("\n".join(body), "    "))
            run_alembic(Path(folder), url, "upgrade", revision)
            check_live_equals_fold(url)
    return ids


# ---------------------------------------------------------------------------------------------
# What is recorded, op by op
# ---------------------------------------------------------------------------------------------


def test_each_operation_is_an_apply_event_with_the_alembic_revision_and_actor(tmp_path: Path, db_url: str) -> None:
    ids = _project(tmp_path, [
        ["op.create_table('customer', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('email', sa.String(80), nullable=False))"],
        ["op.add_column('customer', sa.Column('name', sa.Text()))",
         "op.create_index('ix_customer_email', 'customer', ['email'], unique=True)"],
    ])
    run_alembic(tmp_path, db_url, "upgrade", "head")
    events = hook_events(db_url)
    assert [(e.kind, e.revision, e.op_type) for e in events] == [
        ("apply", ids[0], "create_table"),
        ("apply", ids[1], "add_column"),
        ("apply", ids[1], "create_index"),
    ]
    assert all(e.actor.by == "tests" and e.message == f"step {n}" for e, n in zip(events, (1, 2, 2)))
    check_live_equals_fold(db_url)


def test_data_work_is_recorded_as_execute_events_with_the_sql_that_ran(
    tmp_path: Path, db_url: str
) -> None:
    _project(tmp_path, [
        "op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('label', sa.String(40)))",
        "op.execute(\"INSERT INTO item (id, label) VALUES (1, 'it''s')\")",
        "op.bulk_insert(sa.table('item', sa.column('id'), sa.column('label')),"
        " [{'id': 2, 'label': 'b: 50%'}, {'id': 3, 'label': None}])",
        "op.get_bind().execute(sa.text('UPDATE item SET label = :v WHERE id = :i'), {'v': 'x?y', 'i': 1})",
        "assert op.get_bind().execute(sa.text('SELECT count(*) FROM item')).scalar() == 3",
        "op.add_column('item', sa.Column('price', sa.Integer()))",
    ])
    run_alembic(tmp_path, db_url, "upgrade", "head")
    events = hook_events(db_url)
    assert [e.op_type for e in events] == ["create_table", "execute", "execute", "execute", "execute", "add_column"]
    executes = [e for e in events if e.op_type == "execute"]
    assert all(is_data_change(e) for e in executes)
    assert [e.message.split(" -- ")[0] for e in executes] == [  # type: ignore[union-attr]
        f"{DATA_CHANGE} op.execute", f"{DATA_CHANGE} op.bulk_insert", f"{DATA_CHANGE} op.bulk_insert",
        f"{DATA_CHANGE} connection.execute",
    ]
    # the rows inserted by their key are deleted by it; the UPDATE has no reverse
    assert [e.op.reverse_sql for e in executes] == [  # type: ignore[union-attr]
        "DELETE FROM item WHERE id = 1", "DELETE FROM item WHERE id = 2", "DELETE FROM item WHERE id = 3", None]
    # The recorded SQL runs on its own and does what the migration did.
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        expected = sorted(conn.execute(sa.text("SELECT id, label FROM item")).all())
        conn.execute(sa.text("DELETE FROM item"))
        for event in executes:
            conn.exec_driver_sql(event.op.sqltext, execution_options={"no_parameters": True})  # type: ignore[union-attr]
        assert sorted(conn.execute(sa.text("SELECT id, label FROM item")).all()) == expected
    engine.dispose()
    assert expected == [(1, "x?y"), (2, "b: 50%"), (3, None)]
    check_live_equals_fold(db_url)


@pytest.mark.parametrize("dialect", HOOK_DIALECTS)
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=20), st.integers(-2**62, 2**62)), min_size=1,
                       max_size=4))
def test_captured_statements_replay_to_the_same_rows(
    dialect: str, database_factory: Callable[[str], str], values: list[object]
) -> None:
    url = database_factory(dialect)
    rows = [{"id": n, "v": None if v is None else str(v)} for n, v in enumerate(values, start=1)]
    rows = [r for r in rows if r["v"] is None or "\x00" not in r["v"]]
    with tempfile.TemporaryDirectory() as folder:
        _project(Path(folder), [
            "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('v', sa.Text()))",
            f"op.bulk_insert(sa.table('t', sa.column('id'), sa.column('v')), {rows!r})",
        ])
        run_alembic(Path(folder), url, "upgrade", "head")
    executes = [e for e in hook_events(url) if e.op_type == "execute"]
    assert len(executes) == len(rows)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM t"))
        for event in executes:
            conn.exec_driver_sql(event.op.sqltext, execution_options={"no_parameters": True})  # type: ignore[union-attr]
        got = [dict(r._mapping) for r in conn.execute(sa.text("SELECT id, v FROM t ORDER BY id"))]
    engine.dispose()
    assert got == rows


def test_batch_blocks_are_recorded_as_their_logical_ops(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    url = database_factory("sqlite")
    _project(tmp_path, [
        "op.create_table('a', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('x', sa.String(20)),"
        " sa.Column('y', sa.Integer()))",
        "op.execute('INSERT INTO a (id, x, y) VALUES (1, \\'one\\', 1)')",
        "with op.batch_alter_table('a') as batch_op:",
        "    batch_op.alter_column('x', existing_type=sa.String(20), type_=sa.String(50), nullable=False)",
        "    batch_op.drop_column('y')",
        "    batch_op.create_unique_constraint('uq_a_x', ['x'])",
    ])
    run_alembic(tmp_path, url, "upgrade", "head")
    events = hook_events(url)
    assert [e.op_type for e in events] == ["create_table", "execute", "alter_column", "drop_column",
                                            "create_unique_constraint"]
    # The table rebuild that batch mode ran is not data work: nothing else was captured.
    assert sum(is_data_change(e) for e in events) == 1
    check_live_equals_fold(url)


def test_constraints_created_without_a_name_get_the_database_s_names(tmp_path: Path, db_url: str) -> None:
    drop = ["op.drop_constraint('child_parent_id_fkey', 'child', type_='foreignkey')"] \
        if "postgresql" in db_url else []
    _project(tmp_path, [
        ["op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('code', sa.String(10), unique=True))",
         "op.create_table('child', sa.Column('id', sa.Integer()), sa.Column('parent_id', sa.Integer(),"
         " sa.ForeignKey('parent.id')), sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('parent_id'),"
         " sa.UniqueConstraint('parent_id'))"],
        drop or ["pass"],
    ])
    run_alembic(tmp_path, db_url, "upgrade", "head")
    check_live_equals_fold(db_url)
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        from tests.alembic_histories import ledger_fold

        fold = ledger_fold(conn)
    engine.dispose()
    child = fold.table("child")
    if "mysql" in db_url:
        assert [u.name for u in fold.table("parent").uniques] == ["code"]
        assert [fk.name for fk in child.foreign_keys] == ["child_ibfk_1"]
        # MariaDB keeps both identical unnamed UNIQUEs (parent_id, parent_id_2), and so does the fold.
        assert sorted(u.name for u in child.uniques) == ["parent_id", "parent_id_2"]
        return
    if "postgresql" in db_url:
        assert fold.table("parent").primary_key.name == "parent_pkey"  # type: ignore[union-attr]
        assert [u.name for u in fold.table("parent").uniques] == ["parent_code_key"]
        assert child.foreign_keys == ()  # dropped by the name PostgreSQL gave it
    else:
        assert fold.table("parent").primary_key.name == "pk_parent"  # type: ignore[union-attr]
        assert [fk.name for fk in child.foreign_keys] == ["fk_child_parent_id_parent"]
    # PostgreSQL keeps one of two identical unnamed UNIQUEs; SQLite keeps both clauses, and so does the fold.
    assert len(child.uniques) == (1 if "postgresql" in db_url else 2)


def test_a_downgrade_is_recorded_too(tmp_path: Path, db_url: str) -> None:
    write_env(tmp_path)
    (tmp_path / "versions" / "r1_x.py").write_text(textwrap.dedent('''\
        """add x"""
        import sqlalchemy as sa
        from alembic import op
        revision = "r1"
        down_revision = None
        def upgrade():
            op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("x", sa.Integer()))
        def downgrade():
            op.drop_table("t")
    '''))
    run_alembic(tmp_path, db_url, "upgrade", "head")
    run_alembic(tmp_path, db_url, "downgrade", "base")
    events = hook_events(db_url)
    assert [(e.op_type, e.revision) for e in events] == [("create_table", "r1"), ("drop_table", "r1")]
    assert events[1].message == "alembic downgrade of r1: add x"
    assert events[1].op.reversible  # type: ignore[union-attr]
    check_live_equals_fold(db_url)


def test_a_failing_revision_leaves_neither_its_ddl_nor_its_events(tmp_path: Path, db_url: str) -> None:
    _project(tmp_path, [
        ["op.create_table('kept', sa.Column('id', sa.Integer(), primary_key=True))"],
        ["op.create_table('gone', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.add_column('kept', sa.Column('x', sa.Integer()))",
         "op.execute('INSERT INTO nowhere VALUES (1)')"],
    ])
    with pytest.raises(sa.exc.DBAPIError):
        run_alembic(tmp_path, db_url, "upgrade", "head")
    if "mysql" in db_url:
        _check_partial_revision_on_mariadb(db_url)
        return
    # Alembic runs all revisions in one transaction where DDL is transactional (PostgreSQL), and one
    # transaction per revision elsewhere (SQLite, where the hook opens it before the first DDL).
    one_transaction = "postgresql" in db_url
    assert [e.op_type for e in hook_events(db_url)] == ([] if one_transaction else ["create_table"])
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        assert user_tables(conn) == ([] if one_transaction else ["kept"])
        if not one_transaction:
            assert [c["name"] for c in sa.inspect(conn).get_columns("kept")] == ["id"]
    engine.dispose()
    check_live_equals_fold(db_url)


def _check_partial_revision_on_mariadb(url: str) -> None:
    """MariaDB commits each DDL statement: what ran of the failed revision stays, and so do its events."""
    events = hook_events(url)
    assert [(e.revision, e.op_type) for e in events] == [
        ("0001aa", "create_table"), ("0002aa", "create_table"), ("0002aa", "add_column"), ("0002aa", None)]
    assert events[-1].message.startswith(f"{PARTIAL} alembic revision 0002aa failed after part of it ran")  # type: ignore[union-attr]
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert user_tables(conn) == ["gone", "kept"]
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all() == ["0001aa"]
    engine.dispose()
    check_live_equals_fold(url)  # the fold equals the live schema for what did run


def test_on_mariadb_data_work_after_the_last_ddl_of_a_failed_revision_rolls_back_with_its_events(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    _project(tmp_path, [
        ["op.create_table('kept', sa.Column('id', sa.Integer(), primary_key=True))"],
        ["op.execute('INSERT INTO kept (id) VALUES (1)')",
         "op.add_column('kept', sa.Column('x', sa.Integer()))",
         "op.execute('INSERT INTO kept (id) VALUES (2)')",
         "op.execute('INSERT INTO kept (id) VALUES (2)')"],  # a duplicate key: the revision fails here
    ])
    with pytest.raises(sa.exc.IntegrityError):
        run_alembic(tmp_path, url, "upgrade", "head")
    events = hook_events(url)
    # The first INSERT was committed by the DDL after it, with its event; the second rolled back with its own.
    assert [(e.revision, e.op_type) for e in events] == [
        ("0001aa", "create_table"), ("0002aa", "execute"), ("0002aa", "add_column"), ("0002aa", None)]
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id FROM kept")).scalars().all() == [1]
    engine.dispose()
    check_live_equals_fold(url)


def test_on_mariadb_an_alter_column_that_restates_the_column_is_followed(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    _project(tmp_path, [
        ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('c', sa.String(40)))"],
        ["op.alter_column('t', 'c', existing_type=sa.String(40), nullable=False)"],
        # No existing_nullable: MariaDB's MODIFY makes the column nullable again.
        ["op.alter_column('t', 'c', existing_type=sa.String(40), type_=sa.String(80))"],
        # MariaDB indexes a TEXT column by a prefix it chooses.
        ["op.add_column('t', sa.Column('body', sa.Text()))", "op.create_index('ix_t_body', 't', ['body'])"],
    ])
    for revision in ("0001aa", "0002aa", "0003aa", "0004aa"):
        run_alembic(tmp_path, url, "upgrade", revision)
        check_live_equals_fold(url)
    events = hook_events(url)
    assert [e.op_type for e in events] == ["create_table", "alter_column", "alter_column", "alter_column",
                                           "add_column", "create_index"]
    assert events[3].message.startswith("[adjusted] MySQL/MariaDB restated column t.c")  # type: ignore[union-attr]
    _rollback_names_exactly_the_irreversible_events(url)


def test_on_mariadb_foreign_keys_named_after_a_renamed_table_are_followed(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    _project(tmp_path, [
        ["op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.create_table('child', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('parent_id', sa.Integer(), sa.ForeignKey('parent.id')))"],
        ["op.rename_table('child', 'kid')"],  # MariaDB renames child_ibfk_1 to kid_ibfk_1
    ])
    for revision in ("0001aa", "0002aa"):
        run_alembic(tmp_path, url, "upgrade", revision)
        check_live_equals_fold(url)
    events = hook_events(url)
    assert [e.op_type for e in events] == ["create_table", "create_table", "rename_table", "drop_constraint",
                                           "create_foreign_key"]
    _rollback_names_exactly_the_irreversible_events(url)


def test_on_mariadb_the_index_kept_for_a_dropped_foreign_key_goes_when_a_new_index_serves(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    _project(tmp_path, [
        ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('f', sa.Integer()))",
         "op.create_foreign_key('fk_t_f', 't', 't', ['f'], ['id'])"],
        ["op.drop_constraint('fk_t_f', 't', type_='foreignkey')",  # InnoDB keeps index fk_t_f
         "op.create_index('ix_t_f', 't', ['f'], unique=True)"],  # ... and drops it now
    ])
    for revision in ("0001aa", "0002aa"):
        run_alembic(tmp_path, url, "upgrade", revision)
        check_live_equals_fold(url)
    assert [e.op_type for e in hook_events(url)] == ["create_table", "create_foreign_key", "drop_constraint",
                                                 "create_index", "create_index", "drop_index"]
    _rollback_names_exactly_the_irreversible_events(url)


# ---------------------------------------------------------------------------------------------
# DDL written as SQL text: folded from what it changed in the live schema
# ---------------------------------------------------------------------------------------------


def _rollback_names_exactly_the_irreversible_events(url: str) -> None:
    """A plain rollback to base works, or stops naming exactly the events that have no reverse;
    going past those, it leaves no table of the history."""
    from ledger.project.config import Config
    from ledger.run.rollback import RollbackError, rollback
    from ops import IrreversibleError

    events = hook_events(url)
    irreversible = {e.seq for e in events if e.op is not None and not e.op.reversible}
    with tempfile.TemporaryDirectory() as project:
        config = Config(project_dir=Path(project), url=url, ledger_table=LEDGER_TABLE)
        try:
            rollback(config, to="base", why="rollback to base")
            assert irreversible == set()
        except IrreversibleError as exc:

            assert {int(seq) for seq in re.findall(r"seq (\d+):", str(exc))} == irreversible
            try:
                rollback(config, to="base", why="rollback to base", skip_irreversible=True)
            except RollbackError as exc:
                # Going past a data change leaves its rows: a NOT NULL (or a NOT NULL column without
                # a default) cannot come back on rows without a value. The rollback must say so,
                # naming the revision, and leave schema and ledger as they were (the fold equals
                # live): refused before anything runs when the rows are counted first, or by the
                # database at that revision's statement.
                assert any(e.op_type == "execute" for e in events if e.seq in irreversible)
                assert re.search(r"null", str(exc), re.IGNORECASE), exc
                assert ("rolling back revision" in str(exc) and "nothing of the revision" in str(exc)) or (
                    re.search(r"revision \w+, seq \d+ adds", str(exc)) and "nothing was run or recorded" in str(exc)), exc
                check_live_equals_fold(url)
                return
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert user_tables(conn) == []
    engine.dispose()
    check_live_equals_fold(url)


def test_ddl_in_sql_text_is_folded_and_later_operations_on_its_objects_are_recorded(
    tmp_path: Path, db_url: str
) -> None:
    drop_index = "DROP INDEX ix_ghost_y ON ghost" if "mysql" in db_url else "DROP INDEX ix_ghost_y"
    alter_lines = (["with op.batch_alter_table('ghost') as batch_op:",
                    "    batch_op.alter_column('y', existing_type=sa.Integer(), nullable=False)"]
                   if "sqlite" in db_url else
                   ["op.alter_column('ghost', 'y', existing_type=sa.Integer(), nullable=False)"])
    _project(tmp_path, [
        ["op.execute('CREATE TABLE ghost (id INTEGER NOT NULL, x INTEGER, PRIMARY KEY (id))')",
         "op.drop_column('ghost', 'x')"],
        ["op.execute('ALTER TABLE ghost ADD COLUMN y INTEGER')",
         "op.get_bind().execute(sa.text('CREATE INDEX ix_ghost_y ON ghost (y)'))",
         "op.execute(\"INSERT INTO ghost (id, y) SELECT 1, 2\")",  # (by its key, VALUES would have a reverse)
         *alter_lines],
        [f"op.execute('{drop_index}')",
         "op.create_index('ix_ghost_y2', 'ghost', ['y'])",
         "op.create_table('other', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.execute('DROP TABLE other')"],
    ])
    for revision in ("0001aa", "0002aa", "0003aa"):
        run_alembic(tmp_path, db_url, "upgrade", revision)
        check_live_equals_fold(db_url)
    events = hook_events(db_url)
    assert [(e.revision, e.op_type) for e in events] == [
        ("0001aa", "create_table"), ("0001aa", "drop_column"),
        ("0002aa", "add_column"), ("0002aa", "create_index"), ("0002aa", "execute"), ("0002aa", "alter_column"),
        ("0003aa", "drop_index"), ("0003aa", "create_index"), ("0003aa", "create_table"), ("0003aa", "drop_table"),
    ]
    assert events[0].message.startswith(  # type: ignore[union-attr]
        "[schema SQL] op.execute: folded from SQL: CREATE TABLE ghost (id INTEGER NOT NULL")
    assert events[3].message.startswith(  # type: ignore[union-attr]
        "[schema SQL] connection.execute: folded from SQL: CREATE INDEX ix_ghost_y ON ghost (y)")
    assert [e.seq for e in events if not e.op.reversible] == [events[4].seq]  # type: ignore[union-attr]
    _rollback_names_exactly_the_irreversible_events(db_url)


def test_a_drop_constraint_in_sql_text_is_recorded_as_the_drop_of_the_constraint_it_named(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # read back as the names of the table's constraints: the one of the fold's they no longer hold;
    # a drop of one that is not there (IF EXISTS) changed nothing and is not recorded
    url = database_factory("postgresql")
    _project(tmp_path, [
        ["op.create_table('p', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Integer()),"
         " sa.Column('p_id', sa.Integer()), sa.UniqueConstraint('n', name='t_n_key'),"
         " sa.CheckConstraint('n > 0', name='t_positive'), sa.ForeignKeyConstraint(['p_id'], ['p.id'], name='t_p_fk'))"],
        ["op.execute('ALTER TABLE t DROP CONSTRAINT IF EXISTS t_p_fk')",
         "op.execute('ALTER TABLE t DROP CONSTRAINT IF EXISTS t_gone')",
         "op.execute('ALTER TABLE ONLY t DROP CONSTRAINT \"t_n_key\"')",
         "op.execute('alter table t drop constraint t_positive')",
         "op.execute('ALTER TABLE t DROP CONSTRAINT t_pkey')"],
    ])
    run_alembic(tmp_path, url, "upgrade", "head")
    check_live_equals_fold(url)
    events = [e for e in hook_events(url) if e.revision == "0002aa"]
    assert [(e.op_type, getattr(e.op, "constraint_name", None)) for e in events] == [
        ("drop_constraint", "t_p_fk"), ("drop_constraint", "t_n_key"),
        ("drop_constraint", "t_positive"), ("drop_constraint", "t_pkey")]
    _rollback_names_exactly_the_irreversible_events(url)


def test_ddl_in_sql_text_that_the_fold_does_not_model_stays_an_irreversible_execute_event(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    _project(tmp_path, [
        "op.execute('CREATE SEQUENCE ticket_seq')",
        "op.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)')",
    ])
    run_alembic(tmp_path, url, "upgrade", "head")
    events = hook_events(url)
    assert [e.op_type for e in events] == ["execute", "create_table"]
    assert events[0].message.startswith("[schema SQL] op.execute: schema changed by SQL, not modelled")  # type: ignore[union-attr]
    check_live_equals_fold(url)


def test_operations_outside_the_vocabulary_are_recorded_and_named(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    _project(tmp_path, [
        "op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')",
        "op.create_table('booking', sa.Column('id', sa.Integer(), primary_key=True),"
        " sa.Column('room', sa.Integer()), sa.Column('during', sa.dialects.postgresql.TSRANGE()))",
        "from sqlalchemy.dialects.postgresql import ExcludeConstraint",
        "op.create_exclude_constraint('no_overlap', 'booking', ('room', '='), ('during', '&&'))",
        "op.execute(sa.schema.CreateSequence(sa.Sequence('ticket_seq')))",
    ])
    run_alembic(tmp_path, url, "upgrade", "head")
    events = hook_events(url)
    assert [e.op_type for e in events] == ["execute", "create_table", "execute", "execute"]
    exclude = events[2]
    assert exclude.message.startswith(f"{NOT_MODELLED} alembic CreateExcludeConstraintOp")  # type: ignore[union-attr]
    assert "EXCLUDE USING gist" in exclude.op.sqltext  # type: ignore[union-attr]
    assert "CREATE SEQUENCE ticket_seq" in events[3].op.sqltext  # type: ignore[union-attr]
    # a sequence made by SQL has its drop as the reverse; the extension and the EXCLUDE have none
    assert events[3].op.reverse_sql == "DROP SEQUENCE IF EXISTS ticket_seq"  # type: ignore[union-attr]
    assert [e.op.reversible for e in events[:3] if e.op_type == "execute"] == [False, False]  # type: ignore[union-attr]
    check_live_equals_fold(url)


def test_in_a_batch_block_a_drop_the_ledger_never_held_is_recorded_as_its_own_statements_only(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """The block's other operations run in the same flush; only the drop's statement is recorded for
    the drop (the others are their own ops: recorded twice, a replay would run them twice)."""
    url = database_factory("postgresql")
    _project(tmp_path, [
        ["op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')",
         "op.create_table('booking', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('room', sa.Integer()), sa.Column('during', sa.dialects.postgresql.TSRANGE()))",
         "op.create_exclude_constraint('no_overlap', 'booking', ('room', '='), ('during', '&&'))"],
        ["with op.batch_alter_table('booking') as batch_op:",
         "    batch_op.add_column(sa.Column('note', sa.Text()))",
         "    batch_op.drop_constraint('no_overlap')",
         "    batch_op.create_index('ix_booking_room', ['room'])"],
    ])
    run_alembic(tmp_path, url, "upgrade", "head")
    events = [e for e in hook_events(url) if e.revision == "0002aa"]
    assert [e.op_type for e in events] == ["add_column", "execute", "create_index"]
    assert events[1].message.startswith(f"{NOT_MODELLED} drop")  # type: ignore[union-attr]
    assert " ".join(events[1].op.sqltext.split()) == "ALTER TABLE booking DROP CONSTRAINT no_overlap"  # type: ignore[union-attr]
    check_live_equals_fold(url)


def test_without_the_hook_nothing_is_recorded(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    url = database_factory("sqlite")
    _project(tmp_path, ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))"], hook=False)
    run_alembic(tmp_path, url, "upgrade", "head")
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert not sa.inspect(conn).has_table(LEDGER_TABLE)
    engine.dispose()


# ---------------------------------------------------------------------------------------------
# Statement classification
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("statement", "category"), [
    ("SELECT 1", READ), ("  -- note\n select * from t", READ), ("PRAGMA table_info(t)", READ),
    ("WITH x AS (SELECT 1) SELECT * FROM x", READ), ("(SELECT 1)", READ),
    ("INSERT INTO t VALUES (1)", DATA), ("update t set x = 1", DATA), ("DELETE FROM t", DATA),
    ("WITH x AS (SELECT 1) DELETE FROM t", DATA), ("/* c */ TRUNCATE t", DATA),
    ("CREATE INDEX i ON t (x)", SCHEMA), ("ALTER TABLE t ADD x int", SCHEMA), ("COMMENT ON TABLE t IS 'x'", SCHEMA),
    ("DO $$ BEGIN END $$", OTHER),
])
def test_statements_are_classified_by_their_first_keyword(statement: str, category: str) -> None:
    assert classify(statement) == category


@pytest.mark.parametrize(("statement", "parts"), [
    ("ALTER TABLE t DROP CONSTRAINT uq_t_x", CONSTRAINTS),
    ('alter table only "My T" drop constraint if exists "c, d" restrict;', CONSTRAINTS),
    ("ALTER TABLE s.t ADD CONSTRAINT fk_t FOREIGN KEY (a, b) REFERENCES r (a, b)", CONSTRAINTS),
    ("ALTER TABLE t ADD UNIQUE (x)", CONSTRAINTS),
    ("ALTER TABLE t ADD CONSTRAINT ck CHECK (x IN (1, 2) AND y <> ',') NOT VALID", CONSTRAINTS),
    # the whole table: another table changes too, the table may not be there, columns or indexes change
    ("ALTER TABLE t DROP CONSTRAINT t_pkey CASCADE", None),
    ("ALTER TABLE IF EXISTS t DROP CONSTRAINT c", None),
    ("ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (id)", None),
    ("ALTER TABLE t ADD CONSTRAINT uq UNIQUE USING INDEX ix_t", None),
    ("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES r (id) ON DELETE CASCADE", None),
    ("ALTER TABLE t DROP CONSTRAINT c, DROP COLUMN x", None),
    ("ALTER TABLE t ADD CONSTRAINT c UNIQUE (x), ADD COLUMN y int", None),
    ("ALTER TABLE t ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =)", None),
    ("ALTER TABLE t ALTER COLUMN x SET NOT NULL", None),
    ("ALTER TABLE t DROP CONSTRAINT c; ALTER TABLE u DROP CONSTRAINT d", None),
    # one index made or dropped: the table's indexes (a DROP INDEX's table: the fold's holder of the name)
    ("CREATE INDEX i ON t (x)", INDEXES),
    ('create unique index concurrently if not exists "I x" on only s."T" using btree (lower(x)) where (y > 0);',
     INDEXES),
    ("DROP INDEX i", INDEXES),
    ('drop index concurrently if exists s."I x" restrict;', INDEXES),
    ("DROP INDEX i ON t", INDEXES),
    ("CREATE INDEX ON t (x)", None),  # the database names it
    ("CREATE INDEX i ON t (x); ALTER TABLE t ADD COLUMN y int", None),
    ("CREATE INDEX i ON t (x); DROP INDEX j", None),
    ("DROP INDEX i CASCADE", None),
    ("DROP INDEX i, j", None),
    ("DROP INDEX i ON t ALGORITHM = INPLACE", None),
    ("CREATE TABLE t (x int); CREATE INDEX i ON t (x)", None),
])
def test_a_statement_that_changes_only_constraints_or_indexes_is_read_back_as_such(
        statement: str, parts: object) -> None:
    assert changed_parts(statement) == parts


@pytest.mark.parametrize(("statement", "index"), [
    ("DROP INDEX i", (None, "i")),
    ('DROP INDEX CONCURRENTLY IF EXISTS "S"."I x";', ("S", "I x")),
    ("DROP INDEX i ON t", None),
    ("DROP INDEX i CASCADE", None),
    ("DROP TABLE i", None),
])
def test_the_index_a_drop_index_names_without_its_table(statement: str, index: object) -> None:
    assert dropped_index(statement) == index


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_rows_a_skipped_data_revision_left_refuse_a_not_null_coming_back_and_the_rollback_says_so(
    dialect: str, database_factory: Callable[[str], str]
) -> None:
    """A history hypothesis found: rows written while t1.f2 was nullable stay (their INSERT has no
    reverse); the NOT NULL coming back is refused before anything runs, naming column and rows."""
    url = database_factory(dialect)
    _upgrade_one_revision_at_a_time(url, [
        ["op.create_table('t1',\n        sa.Column('id', sa.Integer(), nullable=False),\n"
         "        sa.PrimaryKeyConstraint('id'),\n    )"],
        ["op.add_column('t1', sa.Column('f2', sa.Integer(), nullable=True))",
         "op.create_foreign_key('fk_3', 't1', 't1', ['f2'], ['id'])",
         "op.alter_column('t1', 'f2', existing_type=sa.Integer(), nullable=False)"],
        ["op.alter_column('t1', 'f2', existing_type=sa.Integer(), nullable=True)",
         "op.execute(\"INSERT INTO t1 (id) VALUES (1)\")",
         "op.execute(\"INSERT INTO t1 (id) VALUES (2)\")"],
    ])
    _rollback_names_exactly_the_irreversible_events(url)
