"""Sequences changed by SQL text under the Alembic hook: a rollback puts each back where the
database held it (its options and the value it gives next), as the database holds it before the
statement ran; what cannot be put back is said, named by revision."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.schema.reflect import compare
from tests.alembic_histories import (
    check_everything,
    check_live_equals_fold,
    connected,
    hook_events,
    ledger_cli,
    ledger_fold,
    live_schema,
    name_like_fold,
    run_alembic,
    write_env,
    write_history,
)


def _next_values(url: str, *names: str, draws: int = 1) -> list[int]:
    """Draw ``draws`` values from each sequence (in its own committed transaction): the last of each."""
    found = []
    with connected(url) as conn:
        for name in names:
            for _ in range(draws):
                value = conn.exec_driver_sql(f"SELECT nextval('{name}')" if conn.dialect.name == "postgresql"
                                             else f"SELECT NEXTVAL({name})").scalar_one()
            conn.commit()
            found.append(int(value))
    return found


def _gives_next(dialect: str, drawn: list[int], value: int) -> bool:
    """Whether a sequence put back gave ``value`` next, as it would have: on MariaDB, a value past
    those the server had cached, which it holds as the next one (as after a restart), never one it gave."""
    return drawn == [value] if dialect == "postgresql" else drawn[0] >= value


def _up(tmp_path: Path, url: str, bodies: list[list[str]]) -> list[str]:
    """The history ``bodies`` with the hook, upgraded to its first revision only."""
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, bodies)
    run_alembic(folder, url, "upgrade", ids[0])
    return ids


def _rolled_back_to(tmp_path: Path, url: str, revision: str) -> None:
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", revision)
    assert code == 0, out
    check_live_equals_fold(url)
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_a_dropped_sequence_comes_back_where_it_was(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    url = database_factory(dialect)
    ids = _up(tmp_path, url, [["op.execute('CREATE SEQUENCE ticket_seq START WITH 10')"],
                              ["op.execute('DROP SEQUENCE ticket_seq')"]])
    assert _next_values(url, "ticket_seq", draws=3) == [12]
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    (drop,) = [e for e in hook_events(url) if e.revision == ids[1]]
    assert drop.op is not None and drop.op.reversible, drop.message
    _rolled_back_to(tmp_path, url, ids[0])
    # not 10 again: the ids it gave stay taken; the one it would have given next, exactly (on MariaDB
    # too, whose catalog holds where it stands past the values the server cached: drawn before the drop)
    assert _next_values(url, "ticket_seq") == [13]


def test_every_sequence_a_drop_names_comes_back(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    url = database_factory("postgresql")
    ids = _up(tmp_path, url, [["op.execute('CREATE SEQUENCE a_seq')", "op.execute('CREATE SEQUENCE b_seq INCREMENT BY 2')"],
                              ["op.execute('DROP SEQUENCE a_seq, b_seq')"]])
    assert _next_values(url, "a_seq", "b_seq", draws=2) == [2, 3]
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    _rolled_back_to(tmp_path, url, ids[0])
    assert _next_values(url, "a_seq", "b_seq") == [3, 5]


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_an_altered_sequence_gets_its_previous_definition_back(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    url = database_factory(dialect)
    ids = _up(tmp_path, url, [["op.execute('CREATE SEQUENCE ticket_seq START WITH 10 MAXVALUE 100000')"],
                              ["op.execute('ALTER SEQUENCE ticket_seq INCREMENT BY 5 MAXVALUE 500000 RESTART WITH 100')"]])
    assert _next_values(url, "ticket_seq", draws=2) == [11]
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    (alter,) = [e for e in hook_events(url) if e.revision == ids[1]]
    assert alter.op is not None and alter.op.reversible, alter.message
    assert _next_values(url, "ticket_seq", draws=2) == [105]
    _rolled_back_to(tmp_path, url, ids[0])
    assert _gives_next(dialect, _next_values(url, "ticket_seq"), 12)
    with connected(url) as conn:
        if dialect == "postgresql":
            held = conn.exec_driver_sql("SELECT seqincrement, seqmax FROM pg_sequence WHERE seqrelid = 'ticket_seq'::regclass").one()
        else:
            held = conn.exec_driver_sql("SELECT increment, maximum_value FROM ticket_seq").one()
    assert tuple(held) == (1, 100000)


def test_a_column_s_sequence_restarted_by_sql_is_put_back(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    ids = _up(tmp_path, url, [["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True))",
                               "op.execute('INSERT INTO t DEFAULT VALUES')"],
                              ["op.execute('ALTER SEQUENCE t_id_seq RESTART WITH 1000')"]])
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    _rolled_back_to(tmp_path, url, ids[0])
    assert _next_values(url, "t_id_seq") == [2]


def test_an_alter_sequence_the_ledger_cannot_undo_says_so_by_revision(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    ids = _up(tmp_path, url, [["op.execute('CREATE SCHEMA other')", "op.execute('CREATE SEQUENCE ticket_seq')"],
                              ["op.execute('ALTER SEQUENCE ticket_seq SET SCHEMA other')"]])
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    (alter,) = [e for e in hook_events(url) if e.revision == ids[1]]
    assert alter.op is not None and not alter.op.reversible
    assert "cannot be undone" in (alter.message or ""), alter.message
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0])
    assert code != 0 and ids[1] in out, out


@pytest.mark.parametrize("made_by", ["sql", "op"])
def test_a_drop_sequence_cascade_drops_the_defaults_it_took_and_a_rollback_puts_both_back(
    tmp_path: Path, database_factory: Callable[[str], str], made_by: str
) -> None:
    url = database_factory("postgresql")
    table = ("op.execute(\"CREATE TABLE ticket (id integer DEFAULT nextval('ticket_seq'), n integer DEFAULT 7)\")"
             if made_by == "sql" else
             "op.create_table('ticket', sa.Column('id', sa.Integer(), server_default=sa.text(\"nextval('ticket_seq')\")),"
             " sa.Column('n', sa.Integer(), server_default='7'))")
    ids = _up(tmp_path, url, [["op.execute('CREATE SEQUENCE ticket_seq')", table],
                              ["op.execute('DROP SEQUENCE ticket_seq CASCADE')"]])
    assert _next_values(url, "ticket_seq", draws=4) == [4]
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    # the database is the oracle: CASCADE took the column's default, and the fold holds it no more
    with connected(url) as conn:
        fold = ledger_fold(conn)
    assert fold.column("ticket", "id").server_default is None
    assert fold.column("ticket", "n").server_default is not None
    check_live_equals_fold(url)
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    (drop,) = [e for e in hook_events(url) if e.revision == ids[1] and e.op is not None and e.op.op_tag == "execute"]
    assert drop.op.reversible, drop.message
    _rolled_back_to(tmp_path, url, ids[0])
    with connected(url) as conn:
        # the sequence where it stood, and the column's default drawing on it again
        assert conn.exec_driver_sql("INSERT INTO ticket DEFAULT VALUES RETURNING id, n").one() == (5, 7)
        conn.commit()


def test_a_drop_sequence_cascade_that_takes_a_view_says_it_cannot_be_undone(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    ids = _up(tmp_path, url, [["op.execute('CREATE SEQUENCE ticket_seq')",
                               "op.execute(\"CREATE TABLE ticket (id integer DEFAULT nextval('ticket_seq'))\")",
                               "op.execute(\"CREATE VIEW next_ticket AS SELECT nextval('ticket_seq') AS id\")"],
                              ["op.execute('DROP SEQUENCE ticket_seq CASCADE')"]])
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    with connected(url) as conn:
        assert ledger_fold(conn).column("ticket", "id").server_default is None
    (drop,) = [e for e in hook_events(url) if e.revision == ids[1] and e.op is not None and e.op.op_tag == "execute"]
    assert not drop.op.reversible
    assert "cannot be undone: CASCADE drops view next_ticket" in (drop.message or ""), drop.message
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0])
    assert code != 0 and ids[1] in out, out


def test_a_cycling_sequence_that_gave_its_last_value_comes_back_to_give_its_first(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    ids = _up(tmp_path, url, [["op.execute('CREATE SEQUENCE ring_seq MAXVALUE 3 CYCLE')"],
                              ["op.execute('DROP SEQUENCE ring_seq')"]])
    assert _next_values(url, "ring_seq", draws=3) == [3]
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    _rolled_back_to(tmp_path, url, ids[0])
    assert _next_values(url, "ring_seq") == [1]


def test_a_sequence_that_gave_its_last_value_is_put_back_with_none_left(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    ids = _up(tmp_path, url, [["op.execute('CREATE SEQUENCE short_seq MAXVALUE 3')"],
                              ["op.execute('ALTER SEQUENCE short_seq MAXVALUE 10')"]])
    assert _next_values(url, "short_seq", draws=3) == [3]
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    _rolled_back_to(tmp_path, url, ids[0])
    with connected(url) as conn:
        # as the database held it: it gave 3, its last; the next draw is refused, not 3 again
        assert tuple(conn.exec_driver_sql("SELECT last_value, is_called FROM short_seq").one()) == (3, True)


def test_a_sequence_renamed_by_sql_written_in_capitals_gets_its_name_back(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    ids = _up(tmp_path, url, [["op.execute('CREATE SEQUENCE ticket_seq')"],
                              ["op.execute('ALTER SEQUENCE Ticket_Seq RENAME TO Order_Seq')",
                               "op.execute('ALTER SEQUENCE Order_Seq INCREMENT BY 3')"]])
    assert _next_values(url, "ticket_seq", draws=2) == [2]
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    _rolled_back_to(tmp_path, url, ids[0])
    assert _next_values(url, "ticket_seq") == [3]



def test_a_sequence_read_the_migration_s_role_may_not_make_leaves_its_transaction_going(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """The catalog read before an ALTER SEQUENCE runs in the revision's transaction: when it fails
    (the role owns the sequence but took its own SELECT privilege away), the migration runs on as
    without the hook (PostgreSQL aborts a transaction on a failed statement), and the ALTER is
    recorded with no reverse, saying why."""
    admin_url = database_factory("postgresql")
    role = f"sl_role_{uuid.uuid4().hex[:8]}"
    admin = sa.make_url(admin_url)
    url = admin.set(username=role).render_as_string(hide_password=False)
    with connected(admin.set(database="postgres").render_as_string(hide_password=False)) as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        conn.exec_driver_sql(f"ALTER DATABASE {admin.database} OWNER TO {role}")
        conn.commit()
    try:
        ids = _up(tmp_path, url, [["op.execute('CREATE SEQUENCE ticket_seq')",
                                   "op.execute('REVOKE SELECT ON SEQUENCE ticket_seq FROM CURRENT_USER')"],
                                  ["op.execute('ALTER SEQUENCE ticket_seq INCREMENT BY 5')",
                                   "op.create_table('after_it', sa.Column('id', sa.Integer(), primary_key=True))"]])
        run_alembic(tmp_path / "alembic", url, "upgrade", "head")
        with connected(url) as conn:
            assert sa.inspect(conn).has_table("after_it")
        (alter,) = [e for e in hook_events(url) if e.revision == ids[1] and e.op is not None and e.op.op_tag == "execute"]
        assert not alter.op.reversible
        assert "could not be read" in (alter.message or ""), alter.message
    finally:
        with connected(admin_url) as conn:
            conn.exec_driver_sql(f"REASSIGN OWNED BY {role} TO {admin.username}")
            conn.exec_driver_sql(f"DROP OWNED BY {role}")
            conn.commit()
        with connected(admin.set(database="postgres").render_as_string(hide_password=False)) as conn:
            conn.exec_driver_sql(f"DROP ROLE {role}")
            conn.commit()


def test_a_sequence_a_column_default_draws_on_is_made_before_the_table_when_materialized(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # privacyidea's create_sequence_if_supported: op.execute(CreateSequence(...)), then a table whose
    # id defaults to nextval() of it
    url = database_factory("postgresql")
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [[
        "op.execute(sa.schema.CreateSequence(sa.Sequence('attribute_seq'), if_not_exists=True))",
        "op.create_table('attribute', sa.Column('id', sa.Integer(), nullable=False,"
        " server_default=sa.text(\"nextval('attribute_seq')\")), sa.Column('key', sa.Unicode(255)),"
        " sa.PrimaryKeyConstraint('id'))",
    ]])
    run_alembic(folder, url, "upgrade", "head")
    check_everything(tmp_path, url, database_factory, "postgresql")


def test_a_sequence_a_serial_column_made_then_dropped_is_not_dropped_before_the_tables_when_materialized(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # ckan's 37ada738328e: the ids become text, and the sequences their SERIAL columns made are dropped
    url = database_factory("postgresql")
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        ["op.create_table('package', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.Text()))"],
        ["op.alter_column('package', 'id', server_default=None, type_=sa.UnicodeText(), existing_type=sa.Integer())",
         "op.execute(sa.schema.DropSequence(sa.schema.Sequence('package_id_seq')))"],
    ])
    run_alembic(folder, url, "upgrade", "head")
    check_live_equals_fold(url)
    scratch = database_factory("postgresql")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    live, made = live_schema(url), live_schema(scratch)
    assert compare(name_like_fold(live, made), name_like_fold(made, live), "postgresql") == []
