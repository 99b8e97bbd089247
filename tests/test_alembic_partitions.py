"""PostgreSQL's declarative partitioning and the named ENUM types a hooked history makes, as fides'
history does them: recorded as the database holds them, so that verify --live, materialize, the
rollback, a rebuild and import-alembic then apply all work; and the catalog digest the hook reads
around SQL text, run without JIT compilation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.run import apply as runner

from tests.alembic_histories import (
    check_live_equals_fold,
    check_everything,
    connected,
    ledger_cli,
    rollback_to_base,
    run_alembic,
    table_names,
    upgrade_with_hook,
    write_env,
    write_history,
)

pytestmark = pytest.mark.postgresql

#: fides 5093e92e2a5a and 71f3ded6045a: a table partitioned by LIST, its two partitions made as SQL
#: text, then an index on the partitioned table, which PostgreSQL makes on each partition too
PARTITIONED = [
    ["op.create_table('prefs', sa.Column('id', sa.BigInteger(), sa.Identity(start=1, increment=1, always=True),"
     " primary_key=True), sa.Column('data', sa.Text()),"
     " sa.Column('is_latest', sa.Boolean(), nullable=False, server_default='f', primary_key=True),"
     " sa.Column('created_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.text('now()')),"
     " postgresql_partition_by='LIST (is_latest)')",
     "op.execute('CREATE TABLE prefs_current PARTITION OF prefs FOR VALUES IN (true)')",
     "op.execute('CREATE TABLE prefs_historic PARTITION OF prefs FOR VALUES IN (false)')"],
    ["op.create_index('ix_prefs_created_at', 'prefs', ['created_at'])",
     "op.create_index('ix_prefs_current_data', 'prefs_current', ['data'])"],
]

#: a partition detached, and a table made apart attached in its place, as SQL text
ATTACHED = [
    "op.execute('CREATE TABLE prefs_x (id bigint NOT NULL, data text, is_latest boolean NOT NULL,"
    " created_at timestamptz NOT NULL)')",
    "op.execute('ALTER TABLE prefs DETACH PARTITION prefs_historic')",
    "op.execute('ALTER TABLE prefs ATTACH PARTITION prefs_x FOR VALUES IN (false)')",
]


def _partitions(url: str) -> dict[str, tuple[str, str | None, str | None, list[str]]]:
    """Each table -> its kind, partition key, bound, and its indexes (by name)."""
    with connected(url) as conn:
        rows = conn.execute(sa.text(
            "SELECT c.relname, c.relkind::text, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
            " pg_get_expr(c.relpartbound, c.oid), ARRAY(SELECT i.relname::text FROM pg_index x"
            "  JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid ORDER BY 1)"
            " FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')"
            " AND c.relname LIKE 'prefs%'")).all()
    return {name: (kind, key, bound, list(indexes)) for name, kind, key, bound, indexes in rows}


def test_a_partitioned_table_and_its_partitions_are_recorded_as_the_database_holds_them(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, PARTITIONED)
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    scratch = database_factory("postgresql")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    made, live = _partitions(scratch), _partitions(url)
    assert made == live
    assert live["prefs"][:2] == ("p", "LIST (is_latest)")
    assert live["prefs_current"][2] == "FOR VALUES IN (true)"
    assert "prefs_current_created_at_idx" in live["prefs_current"][3]
    check_everything(tmp_path, url, database_factory, "postgresql")
    folder = tmp_path / "alembic"
    run_alembic(folder, url, "upgrade", "heads")  # the rebuild after the rollback
    assert _partitions(url) == live


@pytest.mark.parametrize("later", [
    ["op.add_column('prefs', sa.Column('note', sa.Text()))", "op.alter_column('prefs', 'note', nullable=False)"],
    ["op.create_unique_constraint('uq_prefs_id_latest_created', 'prefs', ['id', 'is_latest', 'created_at'])",
     "op.create_check_constraint('ck_prefs_data', 'prefs', 'length(data) > 0')"],
    ["op.drop_column('prefs', 'data')"],
    ["op.drop_table('prefs')"],
    # PostgreSQL keeps a column's comment on the table it is given for: not on its partitions
    ["op.add_column('prefs', sa.Column('note', sa.Text(), comment='a note'))",
     "op.alter_column('prefs', 'data', existing_type=sa.Text(), comment='the data')",
     "op.alter_column('prefs_current', 'note', existing_type=sa.Text(), comment='its own')"],
], ids=["column", "constraints", "drop-column", "drop-table", "comments"])
def test_what_postgresql_carries_from_a_partitioned_table_to_its_partitions_comes_with_the_table(
    tmp_path: Path, database_factory: Callable[[str], str], later: list[str]
) -> None:
    # a column added, altered or dropped on the partitioned table is added, altered or dropped on
    # each partition; a key or CHECK added to it is carried to each partition (under a name PostgreSQL
    # chooses), which holds it as inherited; the table's drop drops its partitions
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, PARTITIONED + [later])
    check_everything(tmp_path, url, database_factory, "postgresql")


def test_a_partition_attached_or_detached_as_sql_text_is_followed(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # ATTACH and DETACH PARTITION name the partitioned table, and change the other: the fold follows
    # both, and the ledger's DDL replays them (a detached partition's keys and indexes are its own)
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, PARTITIONED + [ATTACHED])
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    scratch = database_factory("postgresql")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    assert _partitions(scratch)["prefs_x"][:3] == ("r", None, "FOR VALUES IN (false)")
    assert _partitions(scratch)["prefs_historic"][:3] == ("r", None, None)
    check_everything(tmp_path, url, database_factory, "postgresql")


#: a revision that drops the partitioned table (its partitions with it), and one that makes it again
DROPPED = [["op.drop_table('prefs')"]]
REMADE = DROPPED + PARTITIONED[:1]


@pytest.mark.parametrize("later", [[], [ATTACHED], DROPPED, REMADE], ids=["made", "attached", "dropped", "remade"])
def test_a_partitioned_history_imports_and_applies_as_alembic_builds_it(
    tmp_path: Path, database_factory: Callable[[str], str], later: list[list[str]]
) -> None:
    # import-alembic, then apply, builds what Alembic builds; the rollback of each revision, the
    # drop's brings back the table with its partitions, builds what Alembic built before it, down to base
    from ledger.project.config import Config
    from ledger.run.rollback import rollback
    from tests.test_alembic_import import _import_and_compare, _schema_differences

    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    ids = write_history(folder, PARTITIONED + later)
    _import_and_compare(folder, "postgresql", database_factory, tmp_path / "out")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "out").rglob("*.py")))
    assert "postgresql_partition_of" in text and "prefs_current_created_at_idx" not in text
    if not later:
        return
    url = database_factory("postgresql")
    config = Config(project_dir=tmp_path, url=url, migrations=tmp_path / "out")
    runner.apply(config)
    applied = _partitions(url)
    for down in reversed(ids[:-1]):
        rollback(config, to=down)
        built = database_factory("postgresql")
        run_alembic(folder, built, "upgrade", down)
        assert _schema_differences(built, url) == [], down
    rollback(config, to="base")
    assert table_names(url) == []
    runner.apply(config)
    assert _partitions(url) == applied


def test_a_named_enum_of_a_table_recorded_from_the_live_schema_goes_with_the_rollback(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # fides f36ce1bde293: create_table with sa.Enum(name="customtaxonomycolor") and a column type the
    # ledger does not know (CIText), so the table is recorded as the database holds it: the CREATE
    # TYPE was not recorded, the rollback to base left the type and the rebuild failed "already exists"
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["class CIText(sa.types.UserDefinedType):",
         "    cache_ok = True",
         "    def get_col_spec(self, **kw):",
         "        return 'TEXT'",
         "op.create_table('system_group', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('steward', CIText()),"
         " sa.Column('color', sa.Enum('white', 'red', name='customtaxonomycolor')))"],
    ])
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    rollback_to_base(url)
    assert table_names(url) == []
    with connected(url) as conn:
        assert conn.execute(sa.text("SELECT typname FROM pg_type WHERE typtype = 'e'"
                                    " AND typnamespace = 'public'::regnamespace")).scalars().all() == []
    run_alembic(tmp_path / "alembic", url, "upgrade", "heads")
    assert table_names(url) == ["system_group"]


def test_the_catalog_digest_runs_without_jit_and_leaves_the_setting_as_it_was(
    database_factory: Callable[[str], str]
) -> None:
    from ledger import dialects
    from ledger.dialects.postgresql_catalog import TABLE_DIGESTS

    url = database_factory("postgresql")
    engine = sa.create_engine(url)
    seen: list[tuple[str, int]] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def before(conn: object, cursor: object, statement: str, *args: object) -> None:
        if TABLE_DIGESTS[:60] in statement:  # as it is planned
            seen.append((cursor.connection.execute("SHOW jit").fetchone()[0], statement.count(TABLE_DIGESTS[:60])))  # type: ignore[attr-defined]

    try:
        with engine.connect() as conn:
            database = dialects.database("postgresql")
            conn.execute(sa.text("CREATE TABLE t (id integer PRIMARY KEY)"))
            conn.execute(sa.text("CREATE TYPE mood AS ENUM ('sad')"))
            conn.execute(sa.text("CREATE TABLE u (m mood)"))
            conn.execute(sa.text("SET jit = on"))
            digests = database.table_digests(conn)
            assert digests is not None and set(digests) == {"t", "u"}
            assert conn.execute(sa.text("SHOW jit")).scalar() == "on"
            for statement, scope in (("/* c */ ALTER TYPE mood ADD VALUE 'glad'", {"u"}), ("DROP SEQUENCE s", {"t", "u"})):
                scoped, _ = database.scoped_digests(conn, statement)
                assert scoped is not None and set(scoped) == scope
                assert conn.execute(sa.text("SHOW jit")).scalar() == "on"
            assert database.table_digests(conn, tables=[]) == {}  # no table: the setting given back all the same
            assert conn.execute(sa.text("SHOW jit")).scalar() == "on"
            assert seen == [("off", 1)] * 4
    finally:
        engine.dispose()


def test_a_catalog_digest_that_fails_leaves_jit_as_it_was(database_factory: Callable[[str], str]) -> None:
    """Under autocommit (each statement its own transaction) as in a transaction (rolled back)."""
    from ledger import dialects

    url = database_factory("postgresql")
    database = dialects.database("postgresql")
    engine = sa.create_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("SET jit = on"))
            with pytest.raises(sa.exc.DBAPIError, match="oid"):
                database.table_digests(conn, tables=["not an oid"])  # type: ignore[list-item]
            assert conn.execute(sa.text("SHOW jit")).scalar() == "on"
        with engine.connect() as conn:
            conn.execute(sa.text("SET jit = on"))
            conn.commit()
            with pytest.raises(sa.exc.DBAPIError, match="oid"):
                database.table_digests(conn, tables=["not an oid"])  # type: ignore[list-item]
            conn.rollback()
            assert conn.execute(sa.text("SHOW jit")).scalar() == "on"
    finally:
        engine.dispose()


def test_a_catalog_read_that_fails_before_sql_text_leaves_the_migration_to_run_on(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reads before a statement run under a SAVEPOINT, rolled back (not released) when one fails:
    the migration's transaction runs on, and what the statement changed is read from every table."""
    from ledger.dialects.postgresql_db import PostgreSQL

    failed: list[str] = []

    def failing(self: PostgreSQL, conn: sa.Connection, statement: str) -> object:
        failed.append(statement)
        return conn.execute(sa.text("SELECT CAST('not an oid' AS oid)")).scalar()

    monkeypatch.setattr(PostgreSQL, "scoped_digests", failing)
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('m', sa.Enum('sad', name='mood')))",
         "op.execute(\"ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'\")",
         "op.add_column('t', sa.Column('n', sa.Integer()))"],
    ])
    assert failed == ["ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'"]
    assert table_names(url) == ["t"]
    check_live_equals_fold(url)


def test_range_default_and_partitioned_partitions_are_made_again_as_the_database_holds_them(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # a RANGE partitioned table made as SQL text, a partition partitioned again by LIST, a DEFAULT
    # partition, and an index on the top table that PostgreSQL makes on every leaf
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [
        ["op.execute(\"CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, kind text NOT NULL,"
         " PRIMARY KEY (id, at, kind)) PARTITION BY RANGE (at)\")",
         "op.execute(\"CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"
         " PARTITION BY LIST (kind)\")",
         "op.execute(\"CREATE TABLE events_2024_a PARTITION OF events_2024 FOR VALUES IN ('a')\")",
         "op.execute('CREATE TABLE events_2024_rest PARTITION OF events_2024 DEFAULT')",
         "op.execute('CREATE TABLE events_rest PARTITION OF events DEFAULT')"],
        ["op.create_index('ix_events_kind', 'events', ['kind'])"],
    ])
    check_everything(tmp_path, url, database_factory, "postgresql")


def test_a_partitioned_table_made_again_by_another_key_in_one_statement_is_recorded_as_what_ran(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    # one SQL text drops the partitioned table (and its partitions) and makes it again partitioned
    # by another key: PostgreSQL has no ALTER for a partition key, so the table read back is recorded
    # as what ran, its partitions dropped, the table dropped and made again, each reversible
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, PARTITIONED + [[
        "op.execute('DROP TABLE prefs; CREATE TABLE prefs (id bigint NOT NULL, data text, is_latest boolean NOT NULL,"
        " created_at timestamptz NOT NULL) PARTITION BY RANGE (created_at)')"]])
    assert _partitions(url)["prefs"][:2] == ("p", "RANGE (created_at)")
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    scratch = database_factory("postgresql")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    assert _partitions(scratch) == _partitions(url)
    check_everything(tmp_path, url, database_factory, "postgresql")


def test_where_the_session_cannot_compile_with_jit_the_digest_leaves_it_alone(
    database_factory: Callable[[str], str]
) -> None:
    """``pg_jit_available()`` is read once per connection; where it is false (``jit`` off) no statement
    reads or sets ``jit`` around the digest."""
    from ledger import dialects

    engine = sa.create_engine(database_factory("postgresql"))
    seen: list[str] = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def before(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    try:
        with engine.connect() as conn:
            database = dialects.database("postgresql")
            conn.execute(sa.text("CREATE TABLE t (id integer PRIMARY KEY)"))
            conn.execute(sa.text("SET jit = off"))
            seen.clear()
            for _ in range(2):
                assert set(database.table_digests(conn) or ()) == {"t"}
                scoped, scope = database.scoped_digests(conn, "DROP SEQUENCE s")
                assert set(scoped or ()) == {"t"} and scope is None
            assert [s for s in seen if "jit" in s] == ["SELECT pg_jit_available()"]
            assert len(seen) == 5  # the check once, then the four digests alone
    finally:
        engine.dispose()


@pytest.mark.parametrize("drop", ["op.drop_table('prefs')", "op.execute('DROP TABLE prefs')"], ids=["op", "sql"])
def test_the_drop_of_a_partitioned_table_is_one_event_that_holds_its_partitions(
    tmp_path: Path, database_factory: Callable[[str], str], drop: str
) -> None:
    """PostgreSQL's DROP TABLE of a partitioned table drops its partitions: the hook records one drop
    that holds theirs (what the database dropped implicitly), whose reverse makes them again."""
    from ops import DropTableOp
    from tests.alembic_histories import hook_events

    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, PARTITIONED + [[drop]])
    dropped = [e.op for e in hook_events(url) if isinstance(e.op, DropTableOp)]
    assert [(op.table_name, sorted(d.table_name for d in op._dependents)) for op in dropped] == [
        ("prefs", ["prefs_current", "prefs_historic"])]
    assert sorted(c.table.name for c in dropped[0].reverse()._then) == ["prefs_current", "prefs_historic"]
    check_everything(tmp_path, url, database_factory, "postgresql")
