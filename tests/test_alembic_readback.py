"""A data revision whose later statements carry a value the database returned earlier in it.

As prefect's work-queue migration: it inserts a row, reads back the id the database generated
(a SELECT, or RETURNING), and passes that id to later statements. Rendered with the scratch
run's literal, those statements would link to a row that does not exist elsewhere: they are
named by revision in drill and import-alembic, never replayed, and the schema part of the
revision is imported.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli import main
from ledger.integrations.alembic_import import import_alembic
from ledger.project.config import Config
from ledger.run import apply as runner
from tests.alembic_histories import connected, hook_events, ledger_cli, run_alembic, write_env, write_history

#: ids the database generates at random, so a replay on another database gets other ids
TABLES = [
    "bind = op.get_bind()",
    "made = sa.text('gen_random_uuid()::text') if bind.dialect.name == 'postgresql'"
    " else sa.text('(lower(hex(randomblob(16))))')",
    "op.create_table('pool', sa.Column('id', sa.String(36), primary_key=True, server_default=made),"
    " sa.Column('name', sa.String(40), nullable=False))",
    "op.create_table('queue', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(40)),"
    " sa.Column('pool_id', sa.String(36), sa.ForeignKey('pool.id')))",
]

READ_BACK = [
    TABLES,
    [
        "bind = op.get_bind()",
        "bind.execute(sa.text(\"INSERT INTO pool (name) VALUES ('default')\"))",
        "pool_id = bind.execute(sa.text(\"SELECT id FROM pool WHERE name = 'default'\")).fetchone()[0]",
        "bind.execute(sa.text(\"INSERT INTO queue (id, name, pool_id) VALUES (1, 'q', :p)\"), {'p': pool_id})",
        "op.add_column('queue', sa.Column('priority', sa.Integer(), nullable=True))",
        "other = bind.execute(sa.text(\"INSERT INTO pool (name) VALUES ('other') RETURNING id\")).scalar()",
        "bind.execute(sa.text('UPDATE queue SET pool_id = :p WHERE id = 1'), {'p': other})",
    ],
    ["op.create_index('ix_queue_name', 'queue', ['name'])"],
    [  # data only: the imported file is left with comments alone, and still runs
        "bind = op.get_bind()",
        "pool_id = bind.execute(sa.text(\"SELECT id FROM pool WHERE name = 'other'\")).scalar()",
        "bind.execute(sa.text('UPDATE queue SET name = :n WHERE pool_id = :p'), {'n': 'renamed', 'p': pool_id})",
    ],
]


def _dangling(url: str) -> list[tuple[object, ...]]:
    with connected(url) as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT q.id, q.pool_id FROM queue q LEFT JOIN pool p ON p.id = q.pool_id"
            " WHERE q.pool_id IS NOT NULL AND p.id IS NULL"))]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_import_names_a_revision_that_reuses_a_value_read_back_and_imports_its_schema_part(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, READ_BACK)
    into = tmp_path / "imported"
    args = ["import-alembic", str(folder), "--dialect", dialect, "--into", str(into)]
    if dialect != "sqlite":
        args += ["--scratch-url", database_factory(dialect)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    # named by revision, with what it reads back, in the command's output
    assert "0002aa" in result.output and "0004aa" in result.output and "read back" in result.output, result.output
    second = next(into.glob("0002aa_*.py")).read_text(encoding="utf-8")
    assert "add_column" in second, second  # the schema part is imported
    assert "op.execute" not in second, second  # the data part is not replayed with the scratch ids
    assert "not imported" in second, second

    url = database_factory(dialect)
    runner.apply(Config(project_dir=tmp_path, url=url, migrations=into))
    assert _dangling(url) == []
    with connected(url) as conn:
        columns = [c["name"] for c in sa.inspect(conn).get_columns("queue")]
        assert "priority" in columns and sa.inspect(conn).get_indexes("queue"), columns


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_hook_records_a_value_read_back_so_that_drill_names_the_revision(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, READ_BACK)
    run_alembic(folder, url, "upgrade", "head")
    with connected(url) as conn:  # the migration itself got its rows as without the hook
        assert conn.execute(sa.text("SELECT p.name FROM queue q JOIN pool p ON p.id = q.pool_id")).scalar() == "other"
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert len(texts) == 5, texts
    assert "cannot be rendered" not in texts[0] and "cannot be rendered" not in texts[2], texts
    for text in (texts[1], texts[3]):  # the statements carrying a value read back
        assert "cannot be rendered" in text and "read back" in text, texts
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--json", "-q")
    failures = json.loads(out)["failures"]
    assert code != 0 and [f.split(",")[0] for f in failures][:1] == ["revision 0002aa"], out
    assert "read back" in failures[0], failures


def test_a_value_read_back_but_not_used_leaves_the_data_statements_replayable(tmp_path: Path) -> None:
    """Reading a row is not enough: only a later statement that carries a value read makes the revision unreplayable."""
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, [TABLES, [
        "bind = op.get_bind()",
        "bind.execute(sa.text(\"INSERT INTO pool (id, name) VALUES ('p1', 'default')\"))",
        "assert bind.execute(sa.text('SELECT count(*) FROM pool')).scalar() == 1",
        "bind.execute(sa.text(\"INSERT INTO queue (id, name, pool_id) VALUES (1, :n, 'p1')\"), {'n': 'q'})",
    ]])
    result = import_alembic(folder, "sqlite", tmp_path / "imported")
    assert result.problems == () and result.not_replayed == (), result
    second = next((tmp_path / "imported").glob("0002aa_*.py")).read_text(encoding="utf-8")
    assert second.count("op.execute") == 2, second


def test_the_migration_gets_every_row_of_what_it_reads_with_the_hook(tmp_path: Path, db_url: str) -> None:
    """The hook reads a result's first rows ahead of the migration (to know what it read back); the
    migration still gets every row, in order, however it fetches them."""
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [[
        "t = op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Integer()))",
        "op.execute('INSERT INTO item (id, n) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s"
        " WHERE i < 51) SELECT (a.i - 1) * 51 + b.i, 0 FROM s a CROSS JOIN s b')",
        "bind = op.get_bind()",
        "assert [r[0] for r in bind.execute(sa.text('SELECT id FROM item ORDER BY id'))] == list(range(1, 2602))",
        "result = bind.execute(sa.text('SELECT id FROM item ORDER BY id'))",
        "assert result.fetchone()[0] == 1 and len(result.fetchmany(1500)) == 1500 and len(result.fetchall()) == 1100",
        "assert bind.execute(sa.text('SELECT count(*) FROM item')).scalar() == 2601",
        "bind.execute(sa.text('UPDATE item SET n = :n WHERE id = 5'), {'n': 99999})",
    ]])
    run_alembic(folder, db_url, "upgrade", "head")
    texts = [e.op.sqltext for e in hook_events(db_url) if e.op_type == "execute"]  # type: ignore[union-attr]
    # 99999 is no value a SELECT returned (5, written in the text, is not a value passed on)
    assert "cannot be rendered" not in texts[-1] and "99999" in texts[-1], texts[-1]


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_an_id_an_insert_got_from_the_database_without_returning_is_a_value_read_back(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """As an ORM flush on SQLite or MariaDB: the id of the row comes from ``lastrowid``; an id the
    statement gave itself is not one the database returned."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [[
        "op.create_table('pool', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),"
        " sa.Column('name', sa.String(40)))",
        "op.create_table('queue', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('pool_id', sa.Integer()))",
    ], [
        "bind = op.get_bind()",
        "bind.execute(sa.text(\"INSERT INTO pool (id, name) VALUES (:i, 'given')\"), {'i': 40})",
        "bind.execute(sa.text('INSERT INTO queue (id, pool_id) VALUES (1, :p)'), {'p': 40})",
        "made = bind.execute(sa.text(\"INSERT INTO pool (name) VALUES ('made')\")).lastrowid",
        "bind.execute(sa.text('INSERT INTO queue (id, pool_id) VALUES (2, :p)'), {'p': made})",
    ]])
    run_alembic(folder, url, "upgrade", "head")
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert len(texts) == 4 and not any("cannot be rendered" in text for text in texts[:3]), texts
    assert "cannot be rendered" in texts[3] and "read back" in texts[3], texts


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_a_sequence_sqlalchemy_reads_for_an_insert_is_left_to_it(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """On MariaDB SQLAlchemy runs ``SELECT nextval(...)`` for an INSERT's id on the INSERT's own
    cursor and reads it itself (superset's security revisions through flask_appbuilder's models):
    the hook leaves that row to it."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [[
        "op.execute(sa.schema.CreateSequence(sa.Sequence('item_id_seq')))",
        "op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(20)))",
    ], [
        "from sqlalchemy import orm",
        "class Item(orm.declarative_base()):",
        "    __tablename__ = 'item'",
        "    id = sa.Column(sa.Integer(), sa.Sequence('item_id_seq'), primary_key=True)",
        "    name = sa.Column(sa.String(20))",
        "session = orm.Session(bind=op.get_bind())",
        "session.add(Item(name='x'))",
        "session.flush()",
    ]])
    run_alembic(folder, url, "upgrade", "head")
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT id, name FROM item")).all() == [(1, "x")]


#: a parent row whose id SQLAlchemy takes from a sequence before the INSERT (no RETURNING), then a child row with it
PREFETCHED = [[
    "op.execute(sa.schema.CreateSequence(sa.Sequence('parent_id_seq', start=40)))",
    "op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),"
    " sa.Column('name', sa.String(20)))",
    "op.create_table('child', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),"
    " sa.Column('parent_id', sa.Integer(), sa.ForeignKey('parent.id')))",
], [
    "bind = op.get_bind()",
    "parent = sa.Table('parent', sa.MetaData(), sa.Column('id', sa.Integer(), sa.Sequence('parent_id_seq', start=40),"
    " primary_key=True), sa.Column('name', sa.String(20)), implicit_returning=False)",
    "made = bind.execute(parent.insert().values(name='made')).inserted_primary_key[0]",
    "assert made == 40, made",
    "bind.execute(sa.text('INSERT INTO child (id, parent_id) VALUES (1, :p)'), {'p': made})",
]]


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_an_id_sqlalchemy_took_from_a_sequence_before_the_insert_is_a_value_read_back(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Without RETURNING (MariaDB, a table with ``implicit_returning=False``) SQLAlchemy runs the
    sequence's ``nextval`` first and passes its value as the INSERT's parameter: that id is the
    database's all the same, and a later statement carrying it is not replayable."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, PREFETCHED)
    run_alembic(folder, url, "upgrade", "head")
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT id, parent_id FROM child")).all() == [(1, 40)]
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    assert "cannot be rendered" in texts[-1] and "read back" in texts[-1] and "child" in texts[-1], texts
    assert not any("cannot be rendered" in text for text in texts[:-1]), texts
    assert any("INSERT INTO parent" in text for text in texts), texts  # on the context of the nextval it ran first
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--json", "-q")
    failures = json.loads(out)["failures"]
    assert code != 0 and [f.split(",")[0] for f in failures][:1] == ["revision 0002aa"], out
    assert "read back" in failures[0], failures

    imported = tmp_path / "alembic-plain"
    write_env(imported, hook=False)
    write_history(imported, PREFETCHED)
    into = tmp_path / "imported"
    result = CliRunner().invoke(main, ["import-alembic", str(imported), "--dialect", {"mariadb": "mysql"}.get(dialect, dialect), "--into", str(into),
                                       "--scratch-url", database_factory(dialect)])
    assert result.exit_code == 0, result.output
    assert "0002aa" in result.output and "read back" in result.output, result.output
    second = next(into.glob("0002aa_*.py")).read_text(encoding="utf-8")
    assert "not imported" in second and "child" in second, second


#: ids SQLAlchemy takes from a sequence before each INSERT (no RETURNING); no later statement carries them
DRAWN = [[
    "op.execute(sa.schema.CreateSequence(sa.Sequence('parent_id_seq', start=40)))",
    "op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),"
    " sa.Column('name', sa.String(20)))",
], [
    "parent = sa.Table('parent', sa.MetaData(), sa.Column('id', sa.Integer(), sa.Sequence('parent_id_seq', start=40),"
    " primary_key=True), sa.Column('name', sa.String(20)), implicit_returning=False)",
    "op.get_bind().execute(parent.insert().values(name='one'))",
    "op.get_bind().execute(parent.insert(), [{'name': 'two'}, {'name': 'three'}])",
]]


def _rows_and_next_id(url: str, dialect: str) -> tuple[list[tuple[object, ...]], object]:
    with connected(url) as conn:
        rows = [tuple(r) for r in conn.execute(sa.text("SELECT id, name FROM parent ORDER BY id"))]
        drawn = "nextval('parent_id_seq')" if dialect == "postgresql" else "NEXT VALUE FOR parent_id_seq"
        return rows, conn.execute(sa.text(f"SELECT {drawn}")).scalar()


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_an_id_taken_from_a_sequence_before_the_insert_is_drawn_from_it_again_by_a_replay(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """The INSERT is recorded drawing its id from the sequence, as the database did: a replay leaves
    the sequence where the migration left it (with the id as a literal it stayed at its start, and
    the next INSERT of the application collided with the replayed rows)."""
    url = database_factory(dialect)
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, DRAWN)
    run_alembic(folder, url, "upgrade", "head")
    migrated = _rows_and_next_id(url, dialect)
    assert migrated == ([(40, "one"), (41, "two"), (42, "three")], 43), migrated
    texts = [e.op.sqltext for e in hook_events(url) if e.op_type == "execute"]  # type: ignore[union-attr]
    inserts = [text for text in texts if "INSERT INTO parent" in text]
    assert len(inserts) == 3 and not any("cannot be rendered" in t or "40" in t for t in inserts), inserts

    imported = tmp_path / "alembic-plain"
    write_env(imported, hook=False)
    write_history(imported, DRAWN)
    into = tmp_path / "imported"
    result = CliRunner().invoke(main, ["import-alembic", str(imported), "--dialect", {"mariadb": "mysql"}.get(dialect, dialect),
                                       "--into", str(into), "--scratch-url", database_factory(dialect)])
    assert result.exit_code == 0, result.output
    applied = database_factory(dialect)
    runner.apply(Config(project_dir=tmp_path, url=applied, migrations=into))
    assert _rows_and_next_id(applied, dialect) == migrated
