"""A rollback that takes a label out of an enum that belongs to one column, while rows hold it.

MariaDB/MySQL's ``ENUM`` column: ``MODIFY`` to the enum without the label fails in strict mode
(``Data truncated``) half way through the run, after later revisions were rolled back already
(without strict mode it would turn the values into ``''``). A non-native ``Enum`` with
``create_constraint`` makes a CHECK: SQLite's rebuild copies the rows into a table whose CHECK
refuses them. As for a PostgreSQL named enum type, the rows holding each value outside the labels
are counted before anything runs, and the rollback is refused naming them; ``--allow-data-loss``
does not pass them (it is a value the database refuses, not data the rollback drops).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.run.apply import apply
from tests.alembic_histories import (
    LEDGER_TABLE,
    NAMING,
    connected,
    ledger_cli,
    run_alembic,
    write_env,
    write_history,
)
from tests.builders import cli, events, one_error_line, project, rows

#: an ENUM column given a label, then a later revision
ENUM_WIDENED = {
    "0001": """
        op.create_table("item", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("mood", sa.Enum("happy", "sad", name="mood")))
    """,
    "0002": """
        op.alter_column("item", "mood", type_=sa.Enum("happy", "sad", "meh", name="mood"),
                        existing_type=sa.Enum("happy", "sad", name="mood"))
    """,
    "0003": """
        op.add_column("item", sa.Column("note", sa.String(10)))
    """,
}


@pytest.mark.parametrize("dialect", ["mariadb"])
def test_an_enum_column_label_rows_hold_refuses_the_rollback_before_anything_runs(
    tmp_path: Path, db_url: str
) -> None:
    config = project(tmp_path, db_url, revisions=ENUM_WIDENED)
    apply(config)
    rows(config, "INSERT INTO item (id, mood) VALUES (1, 'happy'), (2, 'meh'), (3, 'meh'), (4, NULL)")
    before = len(events(config))
    for consent in ([], ["--allow-data-loss"]):  # consent is for data dropped, not for a value refused
        result = cli(config, "rollback", "--to", "0001", *consent)
        assert result.exit_code == 1, result.output
        line = one_error_line(result)
        assert "revision 0002" in line and "'meh'" in line and "item.mood" in line and "2 rows" in line, line
        assert "nothing was run or recorded" in line and "Data truncated" not in line, line
        assert len(events(config)) == before  # 0003 is not rolled back, no intent is in doubt
        assert rows(config, "SELECT id, mood, note FROM item ORDER BY id") == [
            (1, "happy", None), (2, "meh", None), (3, "meh", None), (4, None, None)]
    # --sql reads as the run does: refused alike
    result = cli(config, "rollback", "--to", "0001", "--sql")
    assert result.exit_code == 1 and "'meh'" in result.output, result.output

    # rows updated to a label the enum keeps: the rollback goes through
    rows(config, "UPDATE item SET mood = 'sad' WHERE id IN (2, 3)")
    result = cli(config, "rollback", "--to", "0001", "--allow-data-loss")
    assert result.exit_code == 0, result.output
    assert rows(config, "SELECT id, mood FROM item ORDER BY id") == [(1, "happy"), (2, "sad"), (3, "sad"), (4, None)]


#: how the enum's type is written: its kind (a native ENUM column, or a CHECK), its extra arguments
ENUM_KINDS = {
    "native": ", name='mood'",
    # no name: the CHECK is named by the naming convention (ck_item_mood)
    "checked": ", create_constraint=True",
    "varchar": ", name='mood', native_enum=False, create_constraint=True",
}


#: where each kind runs under Alembic alone: SQLite has no native enum (a plain Enum makes no CHECK,
#: every value is kept), and MariaDB keeps a non-native Enum's old CHECK of that name when
#: Alembic alters the column (Duplicate CHECK constraint name)
@pytest.mark.parametrize(("dialect", "kind"), [("sqlite", "checked"), ("sqlite", "varchar"),
                                               ("mariadb", "native"), ("mariadb", "checked")])
def test_a_hooked_enum_label_rows_hold_refuses_the_rollback(tmp_path: Path, db_url: str, dialect: str,
                                                             kind: str) -> None:
    extra = ENUM_KINDS[kind]
    folder = tmp_path / "alembic"
    write_env(folder, naming=NAMING)
    write_history(folder, [
        [f"op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True),"
         f" sa.Column('mood', sa.Enum('happy', 'sad'{extra})))"],
        ["with op.batch_alter_table('item') as b:",
         # SQLite's batch keeps the CHECK it reflects: a project drops the old one by its name first
         *(["    b.drop_constraint('ck_item_mood', type_='check')"] if kind == "checked" and dialect == "sqlite" else []),
         f"    b.alter_column('mood', type_=sa.Enum('happy', 'sad', 'meh'{extra}),"
         f" existing_type=sa.Enum('happy', 'sad'{extra}))"],
        # (with no reverse: rows inserted as VALUES by their key would be deleted by the rollback first)
        ["op.execute(\"INSERT INTO item (id, mood) SELECT 1, 'happy' UNION ALL SELECT 2, 'meh' UNION ALL SELECT 3, 'meh'"
         " UNION ALL SELECT 4, NULL\")"],
    ])
    run_alembic(folder, db_url, "upgrade", "head")
    with connected(db_url) as conn:
        head = conn.exec_driver_sql(f"SELECT COUNT(*) FROM {LEDGER_TABLE}").scalar()
    code, output = ledger_cli(db_url, tmp_path, "rollback", "--to", "0001aa", "--skip-irreversible",
                              "--allow-data-loss")
    assert code == 1, output
    assert "'meh'" in output and "item.mood" in output and "2 rows" in output, output
    assert "nothing was run or recorded" in output and "CHECK constraint failed" not in output, output
    with connected(db_url) as conn:
        assert conn.exec_driver_sql(f"SELECT COUNT(*) FROM {LEDGER_TABLE}").scalar() == head

    with connected(db_url) as conn:
        conn.exec_driver_sql("DELETE FROM item WHERE mood = 'meh'")
        conn.commit()
    code, output = ledger_cli(db_url, tmp_path, "rollback", "--to", "0001aa", "--skip-irreversible",
                              "--allow-data-loss")
    assert code == 0, output
    code, output = ledger_cli(db_url, tmp_path, "verify", "--live")
    assert code == 0, output
    # the enum is the one of 0001aa again: a value outside it is refused
    with connected(db_url) as conn, pytest.raises(Exception, match="(?i)truncated|check"):
        conn.exec_driver_sql("INSERT INTO item (id, mood) VALUES (9, 'meh')")
        conn.commit()
