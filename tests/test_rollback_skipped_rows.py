"""``rollback --skip-irreversible`` over data revisions whose rows a reverse's constraint refuses.

A revision loosens a constraint (drops a NOT NULL, a foreign key); a data revision after it
writes rows that only the looser schema holds; rolling back both with --skip-irreversible marks
the data revision undone (its rows stay) and then re-adds the constraint. The rows are counted
in the live database before anything runs: the rollback is refused naming the revision, the
constraint and the rows, and nothing changes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.run.rollback import RollbackError, rollback
from tests.builders import assert_live_equals_fold, events, one_error_line, project, rows
from ledger.run.apply import apply

from click.testing import CliRunner
from ledger.cli import main

LOOSENED = {
    "0001": """
        op.create_table("parent", sa.Column("id", sa.Integer, primary_key=True))
        op.create_table(
            "child",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("note", sa.String(20), nullable=False),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", name="fk_child_parent"), nullable=True),
        )
    """,
    "0002": """
        op.alter_column("child", "note", nullable=True, existing_type=sa.String(20))
        op.drop_constraint("fk_child_parent", "child", type_="foreignkey")
    """,
    "0003": """
        op.execute("INSERT INTO parent (id) VALUES (1)")
        op.execute("INSERT INTO child (id, note, parent_id) VALUES (1, NULL, 1)")
        op.execute("INSERT INTO child (id, note, parent_id) VALUES (2, 'x', 99)")
    """,
}


#: the referenced table dropped (its foreign key first), then keys to it written that refer to nothing
PARENT_DROPPED = {
    "0001": LOOSENED["0001"],
    "0002": """
        op.drop_constraint("fk_child_parent", "child", type_="foreignkey")
        op.drop_table("parent")
    """,
    "0003": """
        op.execute("INSERT INTO child (id, note, parent_id) VALUES (1, 'a', 7), (2, 'b', 8), (3, 'c', NULL)")
    """,
}


def _cli(config, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--url", config.url, "--config", str(config.source), *args])


def test_a_reverse_whose_constraint_the_skipped_rows_violate_is_refused_before_anything_changes(
    tmp_path: Path, db_url: str, dialect: str
) -> None:
    config = project(tmp_path, db_url, revisions=LOOSENED)
    apply(config)
    before = len(events(config))
    result = _cli(config, "rollback", "--to", "0001", "--skip-irreversible")
    assert result.exit_code == 1, result.output
    line = one_error_line(result)
    assert "revision 0002" in line and "child.note" in line and "NOT NULL" in line, line
    assert "1 row" in line, line
    assert len(events(config)) == before  # nothing was run or recorded
    assert rows(config, "SELECT count(*) FROM child") == [(2,)]

    # The way through the error names: fix the rows, then the same rollback runs.
    rows(config, "UPDATE child SET note = 'n' WHERE note IS NULL")
    result = _cli(config, "rollback", "--to", "0001", "--skip-irreversible")
    if dialect != "sqlite":
        assert result.exit_code == 1, result.output
        line = one_error_line(result)
        assert "revision 0002" in line and "fk_child_parent" in line and "1 row" in line, line
        rows(config, "DELETE FROM child WHERE parent_id = 99")
        result = _cli(config, "rollback", "--to", "0001", "--skip-irreversible")
    # (SQLite adds a foreign key without checking the rows, unless PRAGMA foreign_keys is on: as the database)
    assert result.exit_code == 0, result.output


def test_a_foreign_key_to_a_table_the_rollback_makes_again_counts_every_key(
    tmp_path: Path, db_url: str, dialect: str
) -> None:
    """The referenced table a revision dropped comes back empty: every key held since refers to nothing."""
    config = project(tmp_path, db_url, revisions=PARENT_DROPPED)
    apply(config)
    before = len(events(config))
    if dialect == "sqlite":  # the database checks nothing: the rollback goes through
        rollback(config, to="0001", skip_irreversible=True)
        return
    with pytest.raises(RollbackError) as raised:
        rollback(config, to="0001", skip_irreversible=True)
    assert "fk_child_parent" in str(raised.value) and "2 rows of child" in str(raised.value), raised.value
    assert len(events(config)) == before


def test_the_check_counts_nothing_where_no_row_violates(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url, revisions={**LOOSENED, "0003": """
        op.execute("INSERT INTO parent (id) VALUES (1)")
        op.execute("INSERT INTO child (id, note, parent_id) VALUES (1, 'a', 1)")
        op.execute("INSERT INTO child (id, note, parent_id) VALUES (2, 'b', NULL)")
    """})
    apply(config)
    result = rollback(config, to="0001", skip_irreversible=True)
    assert [r.revision for r in result.reverted] == ["0003", "0002"], result
    assert rows(config, "SELECT count(*) FROM child") == [(2,)]  # what the data revision wrote stays
    assert_live_equals_fold(config)  # NOT NULL and the foreign key are back


def test_a_unique_key_the_rows_break_is_named_with_the_rows(tmp_path: Path, db_url: str) -> None:
    config = project(tmp_path, db_url, revisions={
        "0001": """
            op.create_table("item", sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String(10)))
            op.create_unique_constraint("uq_item_code", "item", ["code"])
        """,
        "0002": """
            op.drop_constraint("uq_item_code", "item", type_="unique")
        """,
        "0003": """
            op.execute("INSERT INTO item (id, code) VALUES (1, 'a'), (2, 'a'), (3, 'b'), (4, NULL), (5, NULL)")
        """,
    })
    apply(config)
    before = len(events(config))
    with pytest.raises(RollbackError) as raised:
        rollback(config, to="0001", skip_irreversible=True)
    assert "revision 0002" in str(raised.value) and "uq_item_code" in str(raised.value), raised.value
    assert "2 rows of item" in str(raised.value), raised.value
    assert len(events(config)) == before


DROPPED = {
    "0001": """
        op.create_table("sport", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("rank", sa.Integer, nullable=False))
    """,
    "0002": """
        op.execute("INSERT INTO sport (id, rank) VALUES (1, 5), (2, 7)")
    """,
    "0003": """
        op.drop_column("sport", "rank")
    """,
    "0004": """
        op.create_table("league", sa.Column("id", sa.Integer, primary_key=True))
        op.execute("UPDATE sport SET id = id")
    """,
}


def test_a_dropped_not_null_column_without_default_is_counted_against_the_rows_it_would_come_back_to(
    tmp_path: Path, db_url: str
) -> None:
    """The reverse of a drop of a NOT NULL column with no default adds it back to a table whose rows
    (left by the data revision --skip-irreversible passes over) have no value for it. PostgreSQL and
    SQLite refuse that; MySQL/MariaDB fill in the type's implicit default. Where the database would
    refuse, the rollback is refused before anything runs, naming the column and the rows (it used to
    fail half way, at that statement, with the revisions above it rolled back)."""
    config = project(tmp_path, db_url, revisions=DROPPED)
    apply(config)
    before = len(events(config))
    result = _cli(config, "rollback", "--to", "0001", "--skip-irreversible")
    if db_url.startswith("mysql"):
        assert result.exit_code == 0, result.output
        assert rows(config, "SELECT count(*) FROM sport WHERE `rank` = 0") == [(2,)]
        assert_live_equals_fold(config)
        return
    assert result.exit_code == 1, result.output
    line = one_error_line(result)
    assert "revision 0003" in line and "sport.rank" in line and "NOT NULL" in line, line
    assert "2 rows of sport" in line and "nothing was run" in line, line
    assert len(events(config)) == before  # nothing was run or recorded
    assert_live_equals_fold(config)

    # Without the rows the same rollback runs.
    rows(config, "DELETE FROM sport")
    result = _cli(config, "rollback", "--to", "0001", "--skip-irreversible")
    assert result.exit_code == 0, result.output
    assert_live_equals_fold(config)


def test_rows_that_a_reverse_run_earlier_in_the_plan_deletes_are_not_counted(tmp_path: Path, db_url: str) -> None:
    """The rows a data revision after the drop wrote, with a reverse that deletes them, are gone when
    the column comes back: the rollback runs (the plan's SQL may change any rows, so what the
    database holds when the column is added is not known before; the database is left to say)."""
    config = project(tmp_path, db_url, revisions={
        "0001": DROPPED["0001"],
        "0002": DROPPED["0003"],
        "0003": """
            op.execute("INSERT INTO sport (id) VALUES (1), (2)", reverse_sql="DELETE FROM sport")
        """,
    })
    apply(config)
    result = _cli(config, "rollback", "--to", "0001")
    assert result.exit_code == 0, result.output
    assert rows(config, "SELECT count(*) FROM sport") == [(0,)]
    assert_live_equals_fold(config)


def test_a_foreign_key_on_a_column_whose_type_the_plan_changes_back_is_left_to_the_database(
    tmp_path: Path, db_url: str, dialect: str
) -> None:
    """A revision dropped a foreign key and made its integer column a string (airflow's user_id to
    ab_user): the live column does not compare with the referenced one, and its values are only
    known after the plan's type change. Not counted; the rollback runs, as the database decides."""
    config = project(tmp_path, db_url, revisions={
        "0001": """
            op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))
            op.create_table("note", sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column("user_id", sa.Integer, sa.ForeignKey("account.id", name="fk_note_user")))
        """,
        "0002": """
            op.drop_constraint("fk_note_user", "note", type_="foreignkey")
            op.alter_column("note", "user_id", type_=sa.String(20), existing_type=sa.Integer)
        """,
    })
    apply(config)
    result = rollback(config, to="0001")
    assert [r.revision for r in result.reverted] == ["0002"], result
    assert_live_equals_fold(config)


def test_rows_that_sql_run_earlier_in_the_plan_may_change_are_not_counted_against_a_not_null(
    tmp_path: Path, db_url: str
) -> None:
    """A data revision's reverse_sql deletes the rows that break the NOT NULL coming back after it:
    the rollback runs (what the rows are once the plan's SQL ran is not known before; the database says)."""
    config = project(tmp_path, db_url, revisions={
        "0001": LOOSENED["0001"],
        "0002": """
            op.alter_column("child", "note", nullable=True, existing_type=sa.String(20))
        """,
        "0003": """
            op.execute("INSERT INTO child (id, note) VALUES (1, NULL), (2, 'x')",
                       reverse_sql="DELETE FROM child WHERE note IS NULL")
        """,
    })
    apply(config)
    result = _cli(config, "rollback", "--to", "0001")
    assert result.exit_code == 0, result.output
    assert rows(config, "SELECT count(*) FROM child") == [(1,)]
    assert_live_equals_fold(config)


def test_rows_of_a_table_the_rollback_drops_later_are_deleted_before_the_constraint_they_break(
    tmp_path: Path, db_url: str
) -> None:
    """Rolling back to base drops sport with its rows (the data-loss consent names them): the rows its
    dropped NOT NULL column, back with no default, cannot hold are deleted just before it comes back,
    named in a warning, rather than refusing the rollback (fittrackee's sports.is_default)."""
    config = project(tmp_path, db_url, revisions=DROPPED)
    apply(config)
    result = _cli(config, "rollback", "--to", "base", "--skip-irreversible")
    assert result.exit_code == 1, result.output  # the consent: sport is dropped with its 2 rows
    assert "table sport is dropped with its rows: 2 rows" in result.output, result.output
    assert rows(config, "SELECT count(*) FROM sport") == [(2,)]
    result = _cli(config, "rollback", "--to", "base", "--skip-irreversible", "--sql")
    assert result.exit_code == 0, result.output
    mysql = db_url.startswith("mysql")  # fills in the type's implicit default: nothing is in the way
    assert ("DELETE FROM sport;" in result.output) is not mysql, result.output
    result = _cli(config, "rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss")
    assert result.exit_code == 0, result.output
    if not mysql:
        assert ("warning: revision 0003, seq 3 adds column sport.rank NOT NULL with no default, which 2 rows of "
                "sport break: they are deleted just before, as the rollback drops sport with its rows later "
                "(revision 0001, seq 1)") in result.output, result.output
    assert_live_equals_fold(config)  # at base: no table left


def test_keys_to_a_table_made_again_in_a_table_the_rollback_drops_later_are_deleted_before_the_foreign_key(
    tmp_path: Path, db_url: str, dialect: str
) -> None:
    """prefect's work_pool.default_queue_id to work_pool_queue, which the rollback makes again empty:
    going to base drops work_pool too, so its rows holding a key are deleted before the key comes back."""
    config = project(tmp_path, db_url, revisions=PARENT_DROPPED)
    apply(config)
    result = _cli(config, "rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss")
    assert result.exit_code == 0, result.output
    # (SQLite adds a foreign key without checking the rows: nothing is in the way there)
    assert ("adds foreign key fk_child_parent on child(parent_id) -> parent, which 2 rows of child break: they are "
            "deleted just before" in result.output) is (dialect != "sqlite"), result.output
    assert_live_equals_fold(config)


def test_sql_that_cannot_change_rows_earlier_in_the_plan_does_not_stop_the_count(
    tmp_path: Path, db_url: str, dialect: str
) -> None:
    """The reverse of a view's creation (as of a type's, fittrackee's record_types) drops it and leaves every
    row as it is: the rows the NOT NULL column coming back after it breaks are still counted before anything
    runs (they were not, and the database refused half way, with the revisions above rolled back)."""
    config = project(tmp_path, db_url, revisions={**DROPPED, "0005": """
        op.execute("CREATE VIEW sport_ids AS SELECT id FROM sport", reverse_sql="DROP VIEW sport_ids")
    """})
    apply(config)
    before = len(events(config))
    result = _cli(config, "rollback", "--to", "0001", "--skip-irreversible")
    if db_url.startswith("mysql"):
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1, result.output
    line = one_error_line(result)
    assert "revision 0003" in line and "sport.rank" in line and "2 rows of sport" in line, line
    assert "nothing was run" in line, line
    assert len(events(config)) == before
    assert_live_equals_fold(config)


def test_rows_are_not_deleted_where_a_table_that_stays_refers_to_them(tmp_path: Path, db_url: str) -> None:
    """sport is dropped later, but member, which stays, refers to it ON DELETE CASCADE: deleting sport's rows
    would delete member's with them, a loss nobody consented to. The rollback is refused as before."""
    config = project(tmp_path, db_url, revisions={
        "0001": """
            op.create_table("member", sa.Column("id", sa.Integer, primary_key=True))
        """,
        "0002": """
            op.create_table("sport", sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column("rank", sa.Integer, nullable=False))
            op.add_column("member", sa.Column("sport_id", sa.Integer,
                                              sa.ForeignKey("sport.id", name="fk_member_sport", ondelete="CASCADE")))
        """,
        "0003": """
            op.execute("INSERT INTO sport (id, rank) VALUES (1, 5), (2, 7)")
            op.execute("INSERT INTO member (id, sport_id) VALUES (1, 1)")
        """,
        "0004": """
            op.drop_column("sport", "rank")
        """,
    })
    apply(config)
    before = len(events(config))
    result = _cli(config, "rollback", "--to", "0001", "--skip-irreversible", "--allow-data-loss")
    if db_url.startswith("mysql"):  # fills in the type's implicit default: nothing is in the way
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1, result.output
        line = one_error_line(result)
        assert "revision 0004" in line and "sport.rank" in line and "2 rows of sport" in line, line
        assert len(events(config)) == before
    assert rows(config, "SELECT count(*) FROM member") == [(1,)]


#: DROPPED, then the table renamed (gpustack's users.username, dropped before users became principals)
RENAMED_AFTER = {
    **{k: v for k, v in DROPPED.items() if k != "0004"},
    "0004": """
        op.rename_table("sport", "sports")
    """,
}

#: a unique key dropped, rows sharing it written, then its column and its table renamed
UNIQUE_RENAMED_AFTER = {
    "0001": """
        op.create_table("team", sa.Column("id", sa.Integer, primary_key=True), sa.Column("code", sa.String(10)),
                        sa.UniqueConstraint("code", name="uq_team_code"))
    """,
    "0002": """
        op.drop_constraint("uq_team_code", "team", type_="unique")
    """,
    "0003": """
        op.execute("INSERT INTO team (id, code) VALUES (1, 'a'), (2, 'a'), (3, 'b')")
    """,
    "0004": """
        op.alter_column("team", "code", new_column_name="short", existing_type=sa.String(10))
        op.rename_table("team", "teams")
    """,
}


@pytest.mark.parametrize("revisions", [RENAMED_AFTER, UNIQUE_RENAMED_AFTER], ids=["not-null-column", "unique-key"])
def test_rows_in_the_way_are_deleted_by_the_names_their_table_has_when_the_constraint_comes_back(
    tmp_path: Path, db_url: str, revisions: dict[str, str]
) -> None:
    """The rows are counted in the live table (sports, teams.short) but deleted just before the constraint
    comes back, after the rollback has renamed the table (and the column) back: the DELETE names them as
    they are then (sport, team.code), not as the database has them before the run (gpustack: a DELETE
    FROM principals after principals was users again: "relation principals does not exist")."""
    config = project(tmp_path, db_url, revisions=revisions)
    apply(config)
    result = _cli(config, "rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss")
    assert result.exit_code == 0, result.output
    mysql = db_url.startswith("mysql")  # fills a NOT NULL column's implicit default: nothing is in the way
    if revisions is UNIQUE_RENAMED_AFTER or not mysql:
        assert "they are deleted just before" in result.output, result.output
    assert_live_equals_fold(config)  # at base: no table left
