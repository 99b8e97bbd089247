"""Rows a revision inserts with the values of a key (tiled's root node, ``id`` 0, inserted as SQL text
into a table of the starting schema) are deleted by the rollback, by that key: before, the insert had
no reverse, the rollback past it (``--skip-irreversible``) left the rows, and ``alembic upgrade heads``
afterwards failed on their key. A row changed since it was inserted is data the delete loses, and rows
of a table that stays that refer to them stop the rollback; both are named before anything runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

import ops as lops
from tests.alembic_histories import (
    connected,
    hook_events,
    ledger_cli,
    made_by_create_all,
    run_alembic,
    write_env,
    write_history,
)

MODELS = """
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table("nodes", metadata, sa.Column("id", sa.Integer(), primary_key=True), sa.Column("path", sa.String(40)),
         sa.Column("metadata", sa.JSON()), sa.Column("family", sa.String(20)))
sa.Table("roles", metadata, sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
         sa.Column("name", sa.String(40), nullable=False, unique=True), sa.Column("label", sa.String(40)))
sa.Table("notes", metadata, sa.Column("body", sa.String(40)))
"""

SEEDS = [
    # tiled's root node, as SQL text, into a table of the starting schema
    "op.get_bind().execute(sa.text(\"INSERT INTO nodes(id, path, metadata, family) "
    "VALUES (ROOT, '', '{}', 'container');\"))",
    # op.bulk_insert: one row a statement, by the primary key
    "op.bulk_insert(sa.table('nodes', sa.column('id', sa.Integer()), sa.column('path', sa.String()),"
    " sa.column('metadata', sa.JSON())), [{'id': 1, 'path': 'a', 'metadata': {'b': [1, 2]}},"
    " {'id': 2, 'path': 'b', 'metadata': None}])",
    # rows with no id (the database gives it) by their unique name, several in one statement
    "op.execute(\"INSERT INTO roles (name, label) VALUES ('admin', 'Admin'), ('user', 'User')\")",
    # bound values
    "op.get_bind().execute(sa.insert(sa.table('roles', sa.column('name'), sa.column('label'))),"
    " {'name': 'guest', 'label': 'Guest'})",
]


def _project(tmp_path: Path, url: str, root: int) -> tuple[Path, list[str]]:
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, [["pass"], [SEEDS[0].replace("ROOT", str(root)), *SEEDS[1:]], ["op.add_column('nodes', sa.Column('extra', sa.Integer()))"]])
    made_by_create_all(MODELS, url)
    run_alembic(folder, url, "stamp", ids[0])
    code, out = ledger_cli(url, tmp_path, "baseline")
    assert code == 0, out
    run_alembic(folder, url, "upgrade", "heads")
    return folder, ids


def _rows(url: str) -> tuple[list[tuple[int, str]], list[str]]:
    with connected(url) as conn:
        nodes = [tuple(r) for r in conn.execute(sa.text("SELECT id, path FROM nodes ORDER BY id"))]
        roles = list(conn.execute(sa.text("SELECT name FROM roles ORDER BY name")).scalars())
    return nodes, roles  # type: ignore[return-value]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_rows_inserted_by_their_key_are_deleted_by_the_rollback_and_made_again_by_alembic(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    url = database_factory(dialect)
    root = 0 if dialect != "mariadb" else 5  # MariaDB takes a 0 into an AUTO_INCREMENT key as "the next id"
    folder, ids = _project(tmp_path, url, root)
    inserts = [e for e in hook_events(url) if isinstance(e.op, lops.ExecuteSQLOp) and "INSERT" in e.op.sqltext]
    # (PostgreSQL writes a bound integer as 1::INTEGER)
    assert [(e.op.reverse_sql or "").replace("::INTEGER", "") for e in inserts] == [
        f"DELETE FROM nodes WHERE id = {root}", "DELETE FROM nodes WHERE id = 1", "DELETE FROM nodes WHERE id = 2",
        "DELETE FROM roles WHERE name IN ('admin', 'user')", "DELETE FROM roles WHERE name = 'guest'"]
    seeded = _rows(url)
    assert seeded == (sorted([(root, ""), (1, "a"), (2, "b")]), ["admin", "guest", "user"])
    with connected(url) as conn:
        conn.execute(sa.text("INSERT INTO nodes (id, path) VALUES (7, 'mine')"))  # the application's own
        conn.execute(sa.text("UPDATE roles SET label = 'Root' WHERE name = 'admin'"))
        conn.commit()
    # the changed row is data the delete loses: named, nothing run without --allow-data-loss
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base")
    assert code != 0, out
    assert "1 of the 2 rows inserted into roles (name IN ('admin', 'user')) changed since it was inserted" in out, out
    assert _rows(url) == (sorted([(root, ""), (1, "a"), (2, "b"), (7, "mine")]), ["admin", "guest", "user"])
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--allow-data-loss")
    assert code == 0, out
    assert f"the 1 row inserted into nodes (id = {root}) is deleted" in out, out
    assert _rows(url) == ([(7, "mine")], [])
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == ids[0]
    run_alembic(folder, url, "upgrade", "heads")  # Alembic alone inserts them again
    assert _rows(url) == (sorted([(root, ""), (1, "a"), (2, "b"), (7, "mine")]), ["admin", "guest", "user"])


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_rows_of_a_table_that_stays_that_refer_to_inserted_rows_stop_the_rollback_or_keep_them(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, [
        ["op.create_table('kinds', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(9)))",
         "op.create_table('things', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('kind', sa.Integer(), sa.ForeignKey('kinds.id')))"],
        ["op.execute(\"INSERT INTO kinds (id, name) VALUES (1, 'a')\")"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    with connected(url) as conn:
        conn.execute(sa.text("INSERT INTO things (id, kind) VALUES (5, 1)"))
        conn.commit()
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0])
    assert code != 0, out
    assert "deletes the 1 row inserted into kinds (id = 1), which 1 row of things refers to by foreign key" in out, out
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM kinds")).scalar() == 1
    # past it, as past an irreversible op: the rows stay, said
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0], "--skip-irreversible")
    assert code == 0, out
    assert "the inserted rows stay (--skip-irreversible passes over their delete)" in out, out
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM kinds")).scalar() == 1
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == ids[0]


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_rows_of_a_table_dropped_later_that_refer_to_inserted_rows_go_first_and_an_insert_without_a_key_has_no_reverse(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    """tiled's nodes_closure: filled by SQL the rollback passes over, dropped after the root's delete."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, [
        ["op.create_table('kinds', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(9)))"],
        ["op.create_table('links', sa.Column('kind', sa.Integer(), sa.ForeignKey('kinds.id')))",
         "op.execute(\"INSERT INTO kinds (id, name) VALUES (1, 'a')\")",
         "op.execute('INSERT INTO links (kind) VALUES (1)')"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    events = [e for e in hook_events(url) if isinstance(e.op, lops.ExecuteSQLOp)]
    assert [e.op.reverse_sql for e in events] == ["DELETE FROM kinds WHERE id = 1", None]  # links has no key
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0], "--skip-irreversible", "--allow-data-loss")
    assert code == 0, out
    assert "is deleted just before" in out, out
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM kinds")).scalar() == 0
    run_alembic(folder, url, "upgrade", "heads")


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_imported_rows_inserted_by_their_key_are_deleted_by_the_rollback_of_the_applied_database(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    from ledger.integrations.alembic_import import import_alembic
    from ledger.project.config import Config
    from ledger.run.apply import apply
    from ledger.run.rollback import rollback

    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, [
        ["op.create_table('kinds', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(9)))"],
        ["op.execute(\"INSERT INTO kinds (id, name) VALUES (0, 'root'), (1, 'leaf')\")"],
    ])
    result = import_alembic(folder, dialect, tmp_path / "imported", url=database_factory(dialect) if dialect != "sqlite"
                            else None)
    assert result.problems == ()
    url = database_factory(dialect)
    config = Config(project_dir=tmp_path, url=url, migrations=tmp_path / "imported")
    apply(config)
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM kinds")).scalar() == 2
    # a plain rollback: nothing irreversible is in the way
    done = rollback(config, to="-1")
    assert any("the 2 rows inserted into kinds (id IN (0, 1)) are deleted" in w for w in done.warnings), done.warnings
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM kinds")).scalar() == 0
    apply(config)
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM kinds")).scalar() == 2


@pytest.mark.parametrize("keeps_zero", [False, True])
def test_a_zero_inserted_into_an_auto_increment_key_of_mariadb_is_the_key_only_when_sql_mode_keeps_it(
    tmp_path: Path, database_factory: Callable[[str], str], keeps_zero: bool
) -> None:
    """MariaDB stores an explicit 0 given to an AUTO_INCREMENT column as the next id unless the
    session's sql_mode holds NO_AUTO_VALUE_ON_ZERO: a delete by ``id = 0`` would find nothing while the
    rollback says it deletes the row. Such a row is deleted by another key of its table, or not at all
    (the insert irreversible, as one into a table with no key)."""
    url = database_factory("mariadb")
    if keeps_zero:  # the migration's sessions keep a 0
        url = sa.make_url(url).update_query_dict({"init_command": "SET SESSION sql_mode = CONCAT_WS(',', "
                                                  "@@SESSION.sql_mode, 'NO_AUTO_VALUE_ON_ZERO')"}).render_as_string(
            hide_password=False)
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, [
        ["op.create_table('nodes', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('path', sa.String(9)))",
         "op.create_table('roles', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('name', sa.String(9), nullable=False, unique=True))"],
        ["op.execute(\"INSERT INTO nodes (id, path) VALUES (0, 'root')\")",
         "op.bulk_insert(sa.table('roles', sa.column('id', sa.Integer()), sa.column('name', sa.String())),"
         " [{'id': 0, 'name': 'admin'}])"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    stored = 0 if keeps_zero else 1
    with connected(url) as conn:
        assert [tuple(r) for r in conn.execute(sa.text("SELECT id, path FROM nodes"))] == [(stored, "root")]
        assert [tuple(r) for r in conn.execute(sa.text("SELECT id, name FROM roles"))] == [(stored, "admin")]
    events = [e for e in hook_events(url) if isinstance(e.op, lops.ExecuteSQLOp)]
    assert [e.op.reverse_sql for e in events] == (
        ["DELETE FROM nodes WHERE id = 0", "DELETE FROM roles WHERE id = 0"] if keeps_zero
        else [None, None])  # not by its other key either: the row holds another id than the one inserted
    if not keeps_zero:  # irreversible, said as for an insert into a table with no key
        code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0])
        assert code != 0 and "irreversible" in out, out
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0], *(() if keeps_zero else ("--skip-irreversible",)))
    assert code == 0, out
    assert ("the 1 row inserted into nodes (id = 0) is deleted" in out) is keeps_zero, out
    assert ("the 1 row inserted into roles (id = 0) is deleted" in out) is keeps_zero, out
    with connected(url) as conn:  # else the rollback passed over them, as over an irreversible op
        assert conn.execute(sa.text("SELECT count(*) FROM roles")).scalar() == (0 if keeps_zero else 1)
        assert [tuple(r) for r in conn.execute(sa.text("SELECT id, path FROM nodes"))] == (
            [] if keeps_zero else [(1, "root")])


@pytest.mark.parametrize("keeps_zero", [False, True])
def test_a_zero_inserted_into_an_auto_increment_column_under_a_plain_index_of_mariadb_is_kept_only_by_sql_mode(
    tmp_path: Path, database_factory: Callable[[str], str], keeps_zero: bool
) -> None:
    """The AUTO_INCREMENT column need not be a key: under a plain index, an explicit 0 given to it is
    stored as the next id as well, unless the session's sql_mode holds NO_AUTO_VALUE_ON_ZERO. The row
    then holds another id than the one inserted: no reverse (the rollback would count it as changed
    since it was inserted), as for such a key; with NO_AUTO_VALUE_ON_ZERO it is deleted by its key."""
    url = database_factory("mariadb")
    if keeps_zero:
        url = sa.make_url(url).update_query_dict({"init_command": "SET SESSION sql_mode = CONCAT_WS(',', "
                                                  "@@SESSION.sql_mode, 'NO_AUTO_VALUE_ON_ZERO')"}).render_as_string(
            hide_password=False)
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, [
        ["op.execute('CREATE TABLE items (id INTEGER NOT NULL AUTO_INCREMENT, code VARCHAR(9) NOT NULL,"
         " PRIMARY KEY (code), KEY ix_items_id (id))')"],
        ["op.execute(\"INSERT INTO items (id, code) VALUES (0, 'a')\")"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    with connected(url) as conn:
        assert [tuple(r) for r in conn.execute(sa.text("SELECT id, code FROM items"))] == [(0 if keeps_zero else 1, "a")]
    [event] = [e for e in hook_events(url) if isinstance(e.op, lops.ExecuteSQLOp) and "INSERT" in e.op.sqltext]
    assert event.op.reverse_sql == ("DELETE FROM items WHERE code = 'a'" if keeps_zero else None)
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0], *(() if keeps_zero else ("--skip-irreversible",)))
    assert code == 0, out
    assert ("the 1 row inserted into items (code = 'a') is deleted" in out) is keeps_zero, out
    assert "changed since" not in out, out
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM items")).scalar() == (0 if keeps_zero else 1)


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_constraints_a_rollback_brings_back_after_deleting_inserted_rows_are_still_counted(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    """fittrackee: the delete of rows a later revision inserted by their key (known rows of one table)
    runs first; a NOT NULL column brought back after it, to rows an earlier revision inserted, is
    still counted: refused before anything runs where the table stays, its rows deleted just before
    where the table is dropped later. The rows that delete takes are not counted against a table's check."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, [
        ["op.create_table('sports', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('is_default', sa.Boolean(), nullable=False))",
         "op.create_table('kinds', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('name', sa.String(9), nullable=False))"],
        ["op.execute(\"INSERT INTO sports (id, is_default) VALUES (1, TRUE), (2, FALSE)\")",
         "op.execute(\"INSERT INTO kinds (id, name) VALUES (1, 'a')\")"],
        ["with op.batch_alter_table('sports') as batch:\n    batch.drop_column('is_default')",
         "with op.batch_alter_table('kinds') as batch:\n    batch.alter_column('name', nullable=True)"],
        ["op.execute(\"INSERT INTO kinds (id) VALUES (2)\")",
         "op.execute(\"INSERT INTO sports (id) VALUES (3)\")"],
    ])
    run_alembic(folder, url, "upgrade", "heads")

    def counts() -> tuple[int, int]:
        with connected(url) as conn:
            return (conn.execute(sa.text("SELECT count(*) FROM sports")).scalar() or 0,
                    conn.execute(sa.text("SELECT count(*) FROM kinds")).scalar() or 0)

    # kinds' NOT NULL comes back after the delete of kinds 2, the one row without a name: not in the way
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[1], "--allow-data-loss")
    assert code != 0, out
    assert "column sports.is_default NOT NULL with no default" in out and "2 rows of sports" in out, out
    assert "kinds" not in out.split("error:", 1)[-1], out
    assert counts() == (3, 2)  # nothing ran
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--allow-data-loss")
    assert code == 0, out
    assert "which 2 rows of sports break: they are deleted just before" in out, out
    with connected(url) as conn:
        assert not {"sports", "kinds"} & set(sa.inspect(conn).get_table_names())
    run_alembic(folder, url, "upgrade", "heads")
    assert counts() == (3, 2)


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_the_delete_of_inserted_rows_by_a_key_column_the_rollback_adds_back_takes_no_live_row(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    """fittrackee's cee0830497f8 inserts sports by their unique img, which a later revision drops: the
    rollback adds img back with no default, NULL in every row, so the delete by img takes none of the
    rows there, and the NOT NULL column brought back after it is still counted against them."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        ["op.create_table('sports', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('is_default', sa.Boolean(), nullable=False), sa.Column('img', sa.String(20)),"
         " sa.UniqueConstraint('img', name='sports_img_key'))",
         "op.execute(\"INSERT INTO sports (id, is_default) VALUES (10, TRUE)\")"],
        ["with op.batch_alter_table('sports') as batch:\n    batch.drop_column('is_default')"],
        ["op.execute(\"INSERT INTO sports (img) VALUES ('a.png'), ('b.png')\")"],
        ["with op.batch_alter_table('sports') as batch:\n    batch.drop_constraint('sports_img_key', type_='unique')"
         "\n    batch.drop_column('img')"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--allow-data-loss")
    assert code == 0, out
    assert "which 3 rows of sports break: they are deleted just before" in out, out
    with connected(url) as conn:
        assert "sports" not in sa.inspect(conn).get_table_names()
    run_alembic(folder, url, "upgrade", "heads")


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
def test_rows_deleted_just_before_go_after_the_rows_of_tables_dropped_later_that_refer_to_them(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    """faraday: the delete of a permissions_unit a revision inserted by its name comes after rows of
    permissions_unit_action that refer to it, which role_permission rows refer to in turn; all three
    tables are dropped later. The rows of role_permission go first, then those of
    permissions_unit_action, then the unit: the database refused the delete of referred-to rows."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        ["op.create_table('units', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(9),"
         " unique=True))",
         "op.create_table('actions', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('unit_id', sa.Integer(), sa.ForeignKey('units.id')))",
         "op.create_table('grants', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('action_id', sa.Integer(), sa.ForeignKey('actions.id')))"],
        ["op.execute(\"INSERT INTO units (id, name) VALUES (7, 'risk')\")",
         "op.execute('INSERT INTO actions (id, unit_id) SELECT 70 + id, id FROM units')",
         "op.execute('INSERT INTO grants (id, action_id) SELECT id, id FROM actions')"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss")
    assert code == 0, out
    assert "which 1 row of actions refers to by foreign key" in out and "deleted just before" in out, out
    with connected(url) as conn:
        assert not {"units", "actions", "grants"} & set(sa.inspect(conn).get_table_names())
    run_alembic(folder, url, "upgrade", "heads")


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_a_type_change_after_the_delete_of_inserted_rows_of_its_table_is_counted_before_anything_runs(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    """faraday: rows of permissions_unit_action that a revision inserted by their key are deleted
    before the enum of that table loses a value other rows still hold: counted, refused before
    anything runs (not stopped half way, the delete done, at the type change)."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        ["op.create_table('items', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('code', sa.Integer()))"],
        ["op.alter_column('items', 'code', type_=sa.String(9), existing_type=sa.Integer())"],
        ["op.execute(\"INSERT INTO items (id, code) VALUES (2, 'x')\")"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    with connected(url) as conn:
        conn.execute(sa.text("INSERT INTO items (id, code) VALUES (3, 'zz')"))
        conn.commit()
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--allow-data-loss")
    assert code != 0, out
    assert "changes column items.code to INTEGER" in out and "nothing was run or recorded" in out, out
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM items")).scalar() == 2


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_rows_of_a_table_referring_to_itself_have_no_delete_as_reverse_where_keys_are_checked_row_by_row(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    """keystone's root domain: a project row whose domain_id is its own id. PostgreSQL checks the key
    after the statement, so the row is deleted by its key; InnoDB checks it row by row and refuses
    the delete (1451): there the insert has no reverse, and --skip-irreversible passes over it."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, [
        ["op.create_table('project', sa.Column('id', sa.String(20), primary_key=True),"
         " sa.Column('domain_id', sa.String(20), sa.ForeignKey('project.id'), nullable=False))"],
        ["op.execute(\"INSERT INTO project (id, domain_id) VALUES ('root', 'root')\")"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    [event] = [e for e in hook_events(url) if isinstance(e.op, lops.ExecuteSQLOp) and "INSERT" in e.op.sqltext]
    assert event.op.reverse_sql == (None if dialect == "mariadb" else "DELETE FROM project WHERE id = 'root'")
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0], *(("--skip-irreversible",) if dialect == "mariadb"
                                                                        else ()))
    assert code == 0, out
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM project")).scalar() == (1 if dialect == "mariadb" else 0)


def test_rows_inserted_with_constants_of_another_type_than_their_columns_are_compared_as_stored(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """mcp-contextforge-gateway inserts its roles' permissions as ``CAST(:p AS JSONB)`` into a ``json``
    column: PostgreSQL stores it by an assignment cast, and the rollback's check of the rows changed
    since compares the column with the constant as stored (no ``CASE`` can type a ``jsonb`` as ``json``)."""
    url = database_factory("postgresql")
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, [
        ["op.create_table('roles', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('perms', sa.JSON()),"
         " sa.Column('owner', sa.String(40)), sa.Column('rank', sa.Integer()))"],
        ["op.execute(\"INSERT INTO roles (id, perms, owner, rank) VALUES (1, CAST('[\\\"a\\\",  \\\"b\\\"]' AS JSONB),"
         " CAST('6f1c0a44-5b1e-4c4e-9a52-0d3c1f7e2a10' AS UUID), '007'), (2, CAST('{}' AS JSONB), NULL, 2)\")"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    with connected(url) as conn:
        conn.execute(sa.text("UPDATE roles SET perms = CAST('[\"c\"]' AS JSON) WHERE id = 2"))
        conn.commit()
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0])
    assert code != 0, out
    assert "1 of the 2 rows inserted into roles (id IN (1, 2)) changed since it was inserted" in out, out
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", ids[0], "--allow-data-loss")
    assert code == 0, out
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM roles")).scalar() == 0


@pytest.mark.parametrize("dialect", ["postgresql"])
def test_rows_that_refer_to_inserted_rows_by_a_cascading_key_go_with_them(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    """prefect 2: a revision inserts the default work pool by its name, then a queue of that pool
    (``ON DELETE CASCADE``) that the pool names as its default (``ON DELETE RESTRICT``). The queue's
    row is deleted with the pool by the database: a delete of it just before the pool's was refused,
    the pool's row referring to it, and the rollback to base stopped half way. (InnoDB checks the
    keys row by row and refuses the cascade itself: on MariaDB/MySQL the rollback still stops there.)"""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        ["op.create_table('pools', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('name', sa.String(20), unique=True), sa.Column('queue_id', sa.Integer()))",
         "op.create_table('queues', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(9)),"
         " sa.Column('pool_id', sa.Integer()))",
         "op.create_table('runs', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('queue_id', sa.Integer(), sa.ForeignKey('queues.id', ondelete='SET NULL')))",
         "op.create_foreign_key('fk_pool_queue', 'pools', 'queues', ['queue_id'], ['id'], ondelete='RESTRICT')",
         "op.create_foreign_key('fk_queue_pool', 'queues', 'pools', ['pool_id'], ['id'], ondelete='CASCADE')"],
        ["op.execute(\"INSERT INTO pools (name) VALUES ('default-agent-pool')\")",
         "op.execute(\"INSERT INTO queues (id, name, pool_id) SELECT 5, 'default', id FROM pools\")",
         "op.execute('UPDATE pools SET queue_id = 5')",
         "op.execute('INSERT INTO runs (id, queue_id) VALUES (1, 5)')"],
    ])
    run_alembic(folder, url, "upgrade", "heads")
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss")
    assert code == 0, out
    assert "which 1 row of queues refers to by foreign key fk_queue_pool" in out, out
    with connected(url) as conn:
        assert not {"pools", "queues", "runs"} & set(sa.inspect(conn).get_table_names())
    run_alembic(folder, url, "upgrade", "heads")
