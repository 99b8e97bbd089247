"""The Alembic hook never breaks a migration Alembic completes.

An operation that cannot be recorded as converted (a column type the codec does not know, an
expression it cannot hold, a drop the fold refused) is recorded as the database holds its table
after it ran: reflected and diffed against the fold, as reversible ops. When even that does not
lead to the live schema, what ran is recorded as an irreversible event saying the ledger needs a
re-sync, which ``status`` and ``verify`` report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.integrations.alembic import ADJUSTED, REFLECTED
from ledger.inspect.audit import verify
from ledger.format.events import RESYNC
from ledger.project.revisions import RevisionChain
from ledger.inspect.status import status
from tests.alembic_histories import (
    check_live_equals_fold,
    hook_events,
    ledger_cli,
    ledger_only_config,
    table_names,
    up_and_down,
    upgrade_with_hook,
)

CUSTOM_TYPES = [
    "from sqlalchemy.dialects import postgresql",
    "from sqlalchemy.ext.compiler import compiles",
    "class Guid(sa.types.TypeDecorator):",
    "    impl = sa.CHAR",
    "    cache_ok = True",
    "    def load_dialect_impl(self, dialect):",
    "        if dialect.name == 'postgresql':",
    "            return dialect.type_descriptor(postgresql.UUID())",  # a dialect-private class
    "        return dialect.type_descriptor(sa.CHAR(36))",
    "class Document(sa.JSON):",
    "    __visit_name__ = 'document_json'",
    "@compiles(Document)",
    "def _document(element, compiler, **kw):",
    "    return 'TEXT'",
    "class Blob(sa.types.UserDefinedType):",
    "    cache_ok = True",
    "    def get_col_spec(self, **kw):",
    "        return 'TEXT'",
]


def test_columns_of_types_the_codec_does_not_know_are_recorded_as_the_database_holds_them(
    tmp_path: Path, db_url: str
) -> None:
    events = up_and_down(tmp_path, db_url, [[
        *CUSTOM_TYPES,
        "op.create_table('doc', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('key', Guid()),"
        " sa.Column('body', Document()))",
        "op.add_column('doc', sa.Column('raw', Blob()))",
        "op.create_index('ix_doc_key', 'doc', ['key'])",
    ]])
    assert [e.op_type for e in events] == ["create_table", "add_column", "create_index"]
    # what could not be converted says so; what could, is recorded as usual
    assert events[1].message.startswith(f"{REFLECTED} alembic AddColumnOp on doc")  # type: ignore[union-attr]
    assert events[2].message == "step 1"


def test_an_index_on_an_expression_the_ledger_cannot_hold_is_recorded_from_the_database(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    events = up_and_down(tmp_path, url, [[
        "from sqlalchemy.dialects import postgresql",
        "t = op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True),"
        " sa.Column('data', postgresql.JSONB()))",
        "op.create_index('ix_item_path', 'item', [t.c.data[('a', 'b')].astext])",
        "op.create_index('ix_item_tags', 'item', [sa.text(\"(data -> 'tags')\")], postgresql_using='gin')",
    ]])
    assert [e.op_type for e in events] == ["create_table", "create_index", "create_index"]


def test_a_dropped_column_takes_its_indexes_and_constraints_and_rollback_restores_them(
    tmp_path: Path, db_url: str
) -> None:
    if "sqlite" in db_url:
        # SQLite: Alembic's batch rebuild leaves out the keys on the column (it keeps indexes and
        # checks, which then fail, so a history drops those first).
        bodies = [
            ["op.create_table('p', sa.Column('id', sa.Integer(), primary_key=True))",
             "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),"
             " sa.Column('a', sa.Integer(), sa.ForeignKey('p.id', name='fk_t_a')), sa.Column('b', sa.Integer()),"
             " sa.UniqueConstraint('a', 'b', name='uq_t_ab'))"],
            ["with op.batch_alter_table('t') as batch_op:", "    batch_op.drop_column('a')"],
        ]
        expected = {"fk_t_a", "uq_t_ab"}
    else:
        bodies = [
            ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('a', sa.Integer()),"
             " sa.Column('b', sa.Integer()), sa.CheckConstraint('a > 0', name='ck_t_a'))",
             "op.create_index('ix_t_a', 't', ['a'])",
             "op.create_index('ix_t_ab', 't', ['a', 'b'])"],
            ["op.drop_column('t', 'a')"],
        ]
        expected = {"ix_t_a", "ix_t_ab", "ck_t_a"}
        if "postgresql" in db_url:  # MariaDB has no index on an expression
            bodies[0].append("op.create_index('ix_t_a_plus', 't', [sa.text('(a + 1)')])")
            expected.add("ix_t_a_plus")
    events = up_and_down(tmp_path, db_url, bodies, batch="sqlite" in db_url)
    dropped = [e for e in events if e.op_type == "drop_column"]
    assert len(dropped) == 1
    names = {getattr(d, "index_name", None) or getattr(d, "constraint_name", None)
             for d in dropped[0].op._dependents}  # type: ignore[union-attr]
    assert names == expected
    if "mysql" in db_url:
        # MariaDB keeps a multi-column index without the dropped column; the fold follows it.
        kept = [e for e in events if (e.message or "").startswith(ADJUSTED)]
        assert [e.op_type for e in kept] == ["create_index"]


def test_a_drop_of_a_table_the_ledger_never_held_is_recorded_for_a_re_sync(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        # Made before the ledger existed and never adopted with baseline: the fold does not hold it.
        conn.execute(sa.text("CREATE TABLE ghost (id integer primary key, x integer)"))
    engine.dispose()
    ids = upgrade_with_hook(tmp_path, url, [
        ["op.create_table('kept', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.drop_column('ghost', 'x')"],
        ["op.add_column('kept', sa.Column('y', sa.Integer()))"],
    ])
    assert sorted(table_names(url)) == ["ghost", "kept"]  # Alembic's migration went on as without the hook
    events = hook_events(url)
    assert [e.op_type for e in events] == ["create_table", "execute", "add_column"]
    marked = events[1]
    assert marked.message.startswith(f"{RESYNC} alembic DropColumnOp on ghost")  # type: ignore[union-attr]
    assert marked.revision == ids[0] and not marked.op.reversible  # type: ignore[union-attr]
    assert "DROP COLUMN x" in marked.op.sqltext  # type: ignore[union-attr]

    config = ledger_only_config(tmp_path, url)
    report = status(config, chain=RevisionChain())
    assert report.resync is not None and report.resync.seq == marked.seq
    assert any(f"ledger seq {marked.seq}: revision {ids[0]} recorded what ran" in p for p in report.problems)
    checked = verify(config, chain=None, live=True)
    assert [p.kind for p in checked.problems if p.kind == "re-sync"] == ["re-sync"]
    assert not checked.ok


def test_recording_problems_leave_alembic_s_output_as_it_is(
    tmp_path: Path, database_factory: Callable[[str], str], capfd: pytest.CaptureFixture[str]
) -> None:
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [[*CUSTOM_TYPES, "op.create_table('doc', sa.Column('id', Guid(), primary_key=True))"]])
    out, err = capfd.readouterr()
    assert "schema-ledger" not in out + err and "Traceback" not in out + err


@pytest.mark.parametrize("made_later", [False, True])
def test_on_sqlite_a_foreign_key_to_a_table_not_there_yet_is_recorded_once_the_table_is(
    tmp_path: Path, database_factory: Callable[[str], str], made_later: bool
) -> None:
    url = database_factory("sqlite")
    body = ["op.create_table('c', sa.Column('id', sa.Integer, primary_key=True),"
            " sa.Column('p_id', sa.Integer, sa.ForeignKey('p.id')))",
            "op.add_column('c', sa.Column('x', sa.Integer))"]
    if made_later:
        body.append("op.create_table('p', sa.Column('id', sa.Integer, primary_key=True))")
    events = up_and_down(tmp_path, url, [body])
    assert events[0].message.startswith(f"{REFLECTED} alembic CreateTableOp on c")  # type: ignore[union-attr]
    assert not events[0].op.table.foreign_keys  # type: ignore[union-attr]
    expected = ["create_table", "add_column"] + (["create_table", "create_foreign_key"] if made_later else [])
    assert [e.op_type for e in events] == expected


def test_on_sqlite_a_named_foreign_key_next_to_an_unnamed_one_of_the_same_columns_is_recorded(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # SQLite keeps no name for the first key; the fold named it by the convention, the very name
    # the second one is given: the fold's invented name gives way.
    url = database_factory("sqlite")
    events = up_and_down(tmp_path, url, [
        ["op.create_table('p', sa.Column('id', sa.Integer, primary_key=True))",
         "op.create_table('c', sa.Column('id', sa.Integer, primary_key=True),"
         " sa.Column('p_id', sa.Integer, sa.ForeignKey('p.id')))"],
        ["with op.batch_alter_table('c') as b:",
         "    b.create_foreign_key('fk_c_p_id_p', 'p', ['p_id'], ['id'], ondelete='CASCADE')"],
    ], batch=True)
    assert all(not (e.message or "").startswith(RESYNC) for e in events)


def test_a_type_whose_dialect_type_is_private_is_recorded_as_its_nearest_known_base(
    tmp_path: Path, db_url: str
) -> None:
    # A TypeDecorator whose load_dialect_impl gives SQLite's private JSON class (airflow's ExtendedJSON).
    events = up_and_down(tmp_path, db_url, [[
        "class J(sa.types.TypeDecorator):",
        "    impl = sa.Text",
        "    cache_ok = True",
        "    def load_dialect_impl(self, dialect):",
        "        return dialect.type_descriptor(sa.JSON())",
        "op.create_table('ti', sa.Column('id', sa.Integer, primary_key=True), sa.Column('j', J()))",
    ]])
    assert events[0].message == "step 1"  # converted exactly, not reflected
    assert events[0].op.table.columns[1].type.name.endswith("JSON")  # type: ignore[union-attr]


def test_psycopg2_s_private_jsonb_class_is_recorded_as_jsonb_in_a_fresh_process(tmp_path: Path) -> None:
    # airflow's task_instance: a TypeDecorator whose load_dialect_impl gives JSONB, which psycopg2's
    # dialect makes its private _PGJSONB; in a process that converted no PostgreSQL type before, the
    # ancestry was looked up before PostgreSQL's types were registered, and the table fell back to
    # being read back from the database. A fresh interpreter: no other test registered them first.
    import subprocess
    import sys

    script = (
        "import sqlalchemy as sa\n"
        "from sqlalchemy.dialects import postgresql\n"
        "from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2\n"
        "from ledger.integrations.alembic.convert import _storable_type\n"
        "class J(sa.types.TypeDecorator):\n"
        "    impl = sa.Text\n"
        "    cache_ok = True\n"
        "    def load_dialect_impl(self, dialect):\n"
        "        return dialect.type_descriptor(postgresql.JSONB())\n"
        "print(type(_storable_type(J(), PGDialect_psycopg2())).__qualname__)\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "JSONB"


def test_a_batch_block_read_back_after_it_ran_records_each_of_its_changes_once(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # open-webui: a batch block (run as ALTERs on PostgreSQL) drops the primary key, makes one over a
    # nullable column (which PostgreSQL makes NOT NULL, so the fold refuses the op as written) and drops
    # a unique: the table is read back after the whole block ran, so the unique's drop is in what was
    # read; it was recorded again as SQL the ledger cannot follow, and imported twice
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('tag', sa.Column('id', sa.String(20), nullable=False),"
         " sa.Column('user_id', sa.String(20), nullable=True), sa.PrimaryKeyConstraint('id'),"
         " sa.UniqueConstraint('id', 'user_id', name='uq_id_user_id'))"],
        ["with op.batch_alter_table('tag') as b:",
         "    b.drop_constraint('tag_pkey', type_='primary')",
         "    b.create_primary_key('pk_id_user_id', ['id', 'user_id'])",
         "    b.drop_constraint('uq_id_user_id', type_='unique')"],
    ])
    events = hook_events(url)
    assert "execute" not in [e.op_type for e in events], [e.message for e in events]
    assert [e.op_type for e in events].count("drop_constraint") == 2
    from tests.alembic_histories import check_everything

    check_everything(tmp_path, url, database_factory, "postgresql")


def test_an_index_named_like_the_one_mariadb_makes_for_a_foreign_key_stays_held_after_sql_ddl(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # ironic: create_table(..., ForeignKeyConstraint(['runbook_id'], ...), Index('runbook_id', 'runbook_id')),
    # later ALTER TABLE ... as SQL (CONVERT TO CHARACTER SET there): reading the table back took the
    # declared index for the one MariaDB makes for the key, and recorded it dropped
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('runbooks', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.create_table('runbook_steps', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('runbook_id', sa.Integer(), nullable=False), sa.Column('args', sa.Text()),"
         " sa.ForeignKeyConstraint(['runbook_id'], ['runbooks.id']), sa.Index('runbook_id', 'runbook_id'))"],
        ["op.execute('ALTER TABLE runbook_steps ADD COLUMN note INTEGER')"],
    ])
    events = hook_events(url)
    assert "drop_index" not in [e.op_type for e in events], [e.message for e in events]
    from tests.alembic_histories import check_everything

    check_everything(tmp_path, url, database_factory, "mariadb")


def test_a_batch_block_whose_dropped_column_took_a_foreign_key_records_each_drop_once(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # prefect: a batch block (run as ALTERs on PostgreSQL) drops two indexed columns that hold foreign
    # keys; the first drop_column's implicit drops are read back from the table after the whole block
    # ran, which already holds the second column's drops: the block's later ops were then refused as
    # not held and recorded as every statement of the block, which a replay ran twice
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('state', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.create_table('artifact', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('a_id', sa.Integer(), sa.ForeignKey('state.id', name='fk_artifact_a')),"
         " sa.Column('b_id', sa.Integer(), sa.ForeignKey('state.id', name='fk_artifact_b')))",
         "op.create_index('ix_artifact_a', 'artifact', ['a_id'])",
         "op.create_index('ix_artifact_b', 'artifact', ['b_id'])"],
        ["with op.batch_alter_table('artifact') as b:",
         "    b.drop_index('ix_artifact_a')",
         "    b.drop_column('a_id')",
         "    b.drop_index('ix_artifact_b')",
         "    b.drop_column('b_id')"],
    ])
    events = hook_events(url)
    assert "execute" not in [e.op_type for e in events], [e.message for e in events]
    assert [e.op_type for e in events].count("drop_column") == 2
    from tests.alembic_histories import check_everything

    check_everything(tmp_path, url, database_factory, "postgresql")


def test_a_drop_of_what_the_ledger_does_not_hold_in_a_batch_block_records_each_change_once(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # A batch block drops what the ledger does not hold and changes more: on PostgreSQL (run as
    # ALTERs) an exclude constraint, recorded as its own DROP CONSTRAINT; on SQLite (a rebuild) a
    # type's CHECK, read back from the table after the block. Each was recorded as every statement of
    # the block, then the block's other ops again, which a replay ran twice.
    urls = {
        "postgresql": (database_factory("postgresql"),
                       "op.create_exclude_constraint('item_n_excl', 'item', ('n', '='), using='btree')",
                       "    batch_op.drop_constraint('item_n_excl')"),
        "sqlite": (database_factory("sqlite"), "pass", "    batch_op.drop_constraint('ck_item_flag', type_='check')"),
    }
    for dialect, (url, made, dropped) in urls.items():
        folder = tmp_path / dialect
        upgrade_with_hook(folder, url, [
            ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('n', sa.Integer()),"
             " sa.Column('flag', sa.Boolean(create_constraint=True, name='ck_item_flag')))", made],
            ["with op.batch_alter_table('item') as batch_op:",
             "    batch_op.add_column(sa.Column('m', sa.Integer()))",
             dropped,
             "    batch_op.create_index('ix_item_m', ['m'])"],
        ], batch=True)
        events = [e for e in hook_events(url) if e.revision == "0002aa"]
        texts = [e.op.sqltext for e in events if e.op_type == "execute"]  # type: ignore[union-attr]
        assert all("DROP CONSTRAINT" in t for t in texts), [e.message for e in events]
        assert [e.op_type for e in events].count("add_column") <= 1 and "create_index" in [e.op_type for e in events]
        check_live_equals_fold(url)
        code, out = ledger_cli(url, folder, "drill", "--from-ledger", "--allow-irreversible", "--json", "-q")
        assert code == 0 and json.loads(out)["passed"], out  # a replay of the ledger makes each change once
