"""Sequences are part of the schema a baseline records (PostgreSQL, MariaDB).

flask_appbuilder's models draw their ids from ``sa.Sequence``: ``create_all()`` makes a
``CREATE SEQUENCE`` beside each table, and a later revision's ORM insert reads ``nextval`` of it.
A baseline (``baseline`` on a database, the starting schema ``import-alembic --from-url``
reads, ``baseline.json``) holds the sequences the database holds, so the import's scratch
database, a drill's and a replayed baseline have them. A sequence a column owns (a SERIAL's,
an identity's) is not one of them: replaying the column makes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli import main
from hypothesis import given
from hypothesis import strategies as st

from ledger import dialects
from ledger.dialects.sequences import SequenceFold, SequenceSpec, read_sequence_statement, sequence_op, sequences_from_json
from ledger.inspect.audit import verify
from ledger.integrations.alembic_import import import_alembic
from ledger.project.config import Config
from ledger.project.revisions import load_revisions
from ledger.run import apply as runner
from ledger.run.baseline import baseline, reflect_sequences, replay_baseline
from ledger.run.drill import drill
from ledger.schema.autogenerate import autogenerate
from ledger.run.rollback import rollback
from ops.base import LedgerFormatError
from tests.alembic_histories import made_by_create_all, run_alembic, write_env, write_history

MODELS = """
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table('things', metadata, sa.Column('id', sa.Integer, sa.Sequence('thing_ids', start=10, increment=5), primary_key=True),
         sa.Column('name', sa.String(50)))
sa.Table('plain', metadata, sa.Column('id', sa.Integer, primary_key=True), sa.Column('label', sa.String(20)))
# named as PostgreSQL names a SERIAL's sequence: the column, which has no default, is not made SERIAL again
sa.Table('widgets', metadata, sa.Column('id', sa.Integer, sa.Sequence('widgets_id_seq'), primary_key=True))
"""

#: the first revision made the tables (create_all() makes them for a new database); the next one
#: inserts a row whose id is drawn from the sequence, as flask_appbuilder's ORM does
HISTORY = [
    ["pass"],
    ["op.add_column('things', sa.Column('kind', sa.String(20)))",
     "things = sa.table('things', sa.column('id', sa.Integer), sa.column('name', sa.String))",
     "op.execute(things.insert().values(id=sa.Sequence('thing_ids').next_value(), name='first'))"],
    ["op.create_table('more', sa.Column('id', sa.Integer(), primary_key=True))"],
]


def _create_all(url: str, folder: Path | None = None) -> None:
    made_by_create_all(MODELS, url, folder, "0001aa")


def _sequences(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(sa.inspect(conn).get_sequence_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_a_history_whose_models_draw_ids_from_a_sequence_imports_applies_and_drills_from_its_baseline(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, HISTORY)
    start = database_factory(dialect)
    _create_all(start, folder)
    assert {"thing_ids", "widgets_id_seq"} <= set(_sequences(start))

    out = tmp_path / "imported"
    result = import_alembic(folder, "mysql" if dialect == "mariadb" else dialect, out, from_url=start,
                            url=database_factory(dialect))
    assert result.problems == (), result.problems  # the insert found the sequence on the scratch database
    assert [r.id for r in load_revisions(out)] == ["0002aa", "0003aa"]
    snapshot = json.loads((out / "baseline.json").read_text(encoding="utf-8"))
    [held, _widgets] = sequences_from_json(snapshot["sequences"])
    assert (held.name, held.start, held.increment, held.cycle) == ("thing_ids", 10, 5, False)

    target = database_factory(dialect)
    _create_all(target, folder)
    config = Config(project_dir=tmp_path, url=target, migrations=out)
    adopted = baseline(config)
    assert adopted.sequences == 2
    first = adopted.events[0]
    assert first.op is not None and "CREATE SEQUENCE thing_ids" in first.op.sqltext  # type: ignore[attr-defined]
    assert "DROP SEQUENCE thing_ids" in first.op.reverse_sql  # type: ignore[attr-defined]
    assert [r.revision.id for r in runner.apply(config).applied] == ["0002aa", "0003aa"]
    assert verify(config, live=True).ok
    # A drill replays the baseline, sequence and all, on its scratch database, then the revisions.
    report = drill(config, scratch=database_factory(dialect), allow_irreversible=True)
    assert report.passed, report.failures
    # Through the baseline, its reverse drops the sequence after the tables.
    rollback(config, to="base", skip_irreversible=True, through_baseline=True, consent=lambda losses: None)
    assert {"thing_ids", "widgets_id_seq"} & set(_sequences(target)) == set()


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_baseline_records_the_sequences_no_column_owns(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_factory(dialect)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 1 CACHE 1")
        if dialect == "postgresql":
            conn.exec_driver_sql("CREATE SEQUENCE small_numbers AS integer MAXVALUE 5000 CYCLE")
            conn.exec_driver_sql("CREATE TABLE serial_t (id SERIAL PRIMARY KEY)")
            conn.exec_driver_sql("CREATE TABLE ident_t (id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY)")
            # a sequence named as a SERIAL's beside a key column with no default: not made SERIAL again
            conn.exec_driver_sql("CREATE SEQUENCE doc_id_seq")
            conn.exec_driver_sql("CREATE TABLE doc (id INTEGER PRIMARY KEY)")
        else:
            conn.exec_driver_sql("CREATE TABLE serial_t (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY)")
    engine.dispose()
    (tmp_path / "migrations").mkdir()
    (tmp_path / "schema-ledger.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--url", url, "baseline"])
    assert result.exit_code == 0, result.output
    expected = ["doc_id_seq", "invoice_numbers", "small_numbers"] if dialect == "postgresql" else ["invoice_numbers"]
    tables = "3 tables" if dialect == "postgresql" else "1 table"
    assert f"baseline: {tables} and {len(expected)} sequence" in result.stdout
    snapshot = json.loads((tmp_path / "migrations" / "baseline.json").read_text(encoding="utf-8"))
    held = {s.name: s for s in sequences_from_json(snapshot["sequences"])}
    assert sorted(held) == expected
    assert (held["invoice_numbers"].start, held["invoice_numbers"].cache) == (1000, 1)
    if dialect == "postgresql":
        assert (held["small_numbers"].data_type, held["small_numbers"].maxvalue, held["small_numbers"].cycle) == (
            "integer", 5000, True)

    # The ledger's baseline made again on an empty database (as a drill makes it) holds the same
    # sequences, options and all, and no other (no second sequence for a column made SERIAL).
    made = database_factory(dialect)
    assert replay_baseline(Config(project_dir=tmp_path, url=url), made) == len(expected) + (3 if dialect == "postgresql" else 1)
    engine = sa.create_engine(made)
    with engine.connect() as conn:
        assert {s.name: s for s in reflect_sequences(conn)} == held
        assert _sequences(made) == _sequences(url)
    engine.dispose()


def test_a_database_without_sequences_writes_the_schema_document_as_before(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("sqlite")
    _create_all(url)
    (tmp_path / "migrations").mkdir()
    adopted = baseline(Config(project_dir=tmp_path, url=url))
    assert adopted.sequences == 0 and adopted.snapshot is not None
    assert "sequences" not in json.loads(adopted.snapshot.read_text(encoding="utf-8"))


def test_a_schema_documents_sequences_are_read_strictly() -> None:
    spec = SequenceSpec("s", start=3, increment=2, minvalue=1, maxvalue=99, cache=1, cycle=True, data_type="smallint")
    assert sequences_from_json([spec.to_json()]) == (spec,)
    assert sequences_from_json(None) == ()
    for bad, why in (({"start": 1}, "with a name"), ({"name": "s", "start": "1"}, "start must be an integer"),
                     ({"name": "s", "cycle": 1}, "cycle must be"), ({"name": "s", "owner": "x"}, "unknown fields owner"),
                     ({"name": "s", "data_type": "text"}, "unknown data_type")):
        with pytest.raises(LedgerFormatError, match=why):
            sequences_from_json([bad])
    with pytest.raises(LedgerFormatError, match="must be a list"):
        sequences_from_json({"name": "s"})


def _run(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_verify_live_names_a_sequence_dropped_made_or_altered_by_hand_after_a_baseline(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_factory(dialect)
    _run(url, "CREATE SEQUENCE invoice_numbers START WITH 1000 INCREMENT BY 1 CACHE 1",
         "CREATE SEQUENCE order_numbers START WITH 5 INCREMENT BY 5", "CREATE SEQUENCE spare_numbers",
         "CREATE TABLE item (id INTEGER PRIMARY KEY)")
    (tmp_path / "schema-ledger.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["--url", url, "baseline"]).exit_code == 0
    assert CliRunner().invoke(main, ["--url", url, "verify", "--live"]).exit_code == 0

    _run(url, "DROP SEQUENCE spare_numbers", "CREATE SEQUENCE made_by_hand",
         "ALTER SEQUENCE order_numbers INCREMENT BY 7 MAXVALUE 900 CYCLE")
    result = CliRunner().invoke(main, ["--url", url, "verify", "--live"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stdout.splitlines() if "sequence" in line]
    assert lines == [
        "live schema differs from the ledger: sequence order_numbers: increment is 7 in the database, 5 in the ledger (seq 2)",
        "live schema differs from the ledger: sequence order_numbers: maxvalue is 900 in the database, "
        "9223372036854775807 in the ledger (seq 2)" if dialect == "postgresql" else
        "live schema differs from the ledger: sequence order_numbers: maxvalue is 900 in the database, "
        "9223372036854775806 in the ledger (seq 2)",
        "live schema differs from the ledger: sequence order_numbers: cycle is true in the database, false in the ledger (seq 2)",
        "live schema differs from the ledger: sequence spare_numbers (made at seq 3) is not in the database: "
        "it was dropped or renamed by hand",
        "live schema differs from the ledger: sequence made_by_hand is in the database but not in the ledger: it was made by hand",
    ], result.output
    assert "verify: 5 problems" in result.stdout
    as_json = CliRunner().invoke(main, ["--url", url, "verify", "--live", "--json"])
    assert as_json.exit_code == 1
    problems = json.loads(as_json.stdout)["problems"]
    assert sorted({(p["kind"], p["object"]) for p in problems}) == [
        ("live", "made_by_hand"), ("live", "order_numbers"), ("live", "spare_numbers")]

    # Put back as the ledger holds them, the database verifies again.
    _run(url, "DROP SEQUENCE made_by_hand", "ALTER SEQUENCE order_numbers INCREMENT BY 5 MAXVALUE "
         + ("9223372036854775807 NO CYCLE" if dialect == "postgresql" else "9223372036854775806 NOCYCLE"),
         "CREATE SEQUENCE spare_numbers")
    result = CliRunner().invoke(main, ["--url", url, "verify", "--live"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_a_sequence_a_hooked_migration_makes_with_sql_verifies_and_goes_when_dropped_by_hand(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.execute('CREATE SEQUENCE ticket_numbers START WITH 7')",
         "op.execute('CREATE SEQUENCE scratch_numbers')"],
        ["op.execute('ALTER SEQUENCE ticket_numbers INCREMENT BY 3')", "op.execute('DROP SEQUENCE scratch_numbers')"],
    ])
    url = database_factory(dialect)
    run_alembic(folder, url, "upgrade", "head")
    config = Config(project_dir=tmp_path, url=url)
    report = verify(config, live=True)
    assert report.ok, report.problems
    _run(url, "DROP SEQUENCE ticket_numbers")
    report = verify(config, live=True)
    assert [(p.kind, p.object) for p in report.problems] == [("live", "ticket_numbers")]


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
@given(spec=st.builds(
    SequenceSpec, name=st.from_regex(r"[a-z][a-z0-9_]{0,10}|[A-Z][a-z ]{0,5}", fullmatch=True),
    schema=st.one_of(st.none(), st.just("other")), start=st.integers(-10**6, 10**6),
    increment=st.integers(-50, 50).filter(bool), minvalue=st.integers(-10**9, 0), maxvalue=st.integers(1, 10**12),
    cache=st.integers(1, 100), cycle=st.booleans(), data_type=st.sampled_from([None, "integer", "smallint"])))
def test_the_fold_reads_back_every_option_of_the_sequences_the_ledger_writes(dialect: str, spec: SequenceSpec) -> None:
    if dialect == "mysql":
        spec = attrs.evolve(spec, data_type=None)  # MariaDB's sequences have no AS in the SQL written
    op = sequence_op(spec, dialects.compile_dialect(dialect, None))
    statement = read_sequence_statement(op.sqltext)
    assert statement is not None and statement.names == ((spec.schema, spec.name),)
    assert statement.options == {k: v for k, v in attrs.asdict(spec).items() if k not in ("name", "schema")}
    fold = SequenceFold()
    fold.take(op.sqltext, 1)
    assert fold.differences([spec]) == []
    fold.take(op.reverse().sqltext, 2)  # its reverse drops it: a rollback leaves no sequence behind
    assert fold.held == {} and fold.differences([]) == []


def test_the_fold_follows_sql_that_alters_renames_or_gives_a_sequence_and_says_what_it_cannot_read() -> None:
    fold = SequenceFold("public")
    for seq, text in enumerate([
        "CREATE SEQUENCE a START 3", "create sequence IF NOT EXISTS public.b increment 2 nocycle",
        "ALTER SEQUENCE a RENAME TO c", "ALTER SEQUENCE b INCREMENT BY 4 NO MAXVALUE",
        "CREATE SEQUENCE d; ALTER SEQUENCE d OWNED BY item.id", "DROP SEQUENCE IF EXISTS x, y CASCADE",
    ], start=1):
        fold.take(text, seq)
    assert {key: options for key, (_spec, options, _seq) in fold.held.items()} == {
        (None, "c"): {"start": 3, "increment": 1, "cycle": False, "data_type": None},
        (None, "b"): {"increment": 4, "cycle": False, "data_type": None}}
    live = [SequenceSpec("c", None, 3, 1, 1, 99, 1, False), SequenceSpec("b", "public", 1, 4, 1, 5, 1, False)]
    assert fold.differences(live) == []
    assert fold.differences([attrs.evolve(live[0], start=4), live[1]]) == [
        ("c", "sequence c: start is 4 in the database, 3 in the ledger (seq 3)")]
    fold.take("DO $$ BEGIN EXECUTE 'CREATE SEQUENCE e'; END $$", 7)
    assert fold.unread == [7]


#: models of the tables below: ``widgets`` draws its ids from ``sa.Sequence`` (``create_all()``
#: makes the sequence and a key column without a default), ``t`` from a sequence made by hand
#: that its key column's default reads; both sequences are named as a SERIAL's would be
DRAWN_MODELS = """
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table('widgets', metadata, sa.Column('id', sa.INTEGER(), sa.Sequence('widgets_id_seq')),
         sa.PrimaryKeyConstraint('id', name='widgets_pkey'))
sa.Table('t', metadata, sa.Column('id', sa.INTEGER(), server_default=sa.text("nextval('t_id_seq'::regclass)")),
         sa.PrimaryKeyConstraint('id', name='t_pkey'))
"""


def test_key_columns_drawing_on_a_sequence_named_as_a_serials_are_baselined_as_postgresql_holds_them(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Neither key column is SERIAL (no column owns either sequence): the baseline records the
    column without a default as not autoincrementing, the other with the ``nextval`` default it
    has, so the baseline replays as the database is and autogenerate against the models that
    made it proposes nothing."""
    url = database_factory("postgresql")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SEQUENCE widgets_id_seq")
        conn.exec_driver_sql("CREATE TABLE widgets (id INTEGER NOT NULL, CONSTRAINT widgets_pkey PRIMARY KEY (id))")
        conn.exec_driver_sql("CREATE SEQUENCE t_id_seq")
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER NOT NULL DEFAULT nextval('t_id_seq'),"
                             " CONSTRAINT t_pkey PRIMARY KEY (id))")
    engine.dispose()
    (tmp_path / "app_drawn.py").write_text(DRAWN_MODELS, encoding="utf-8")
    (tmp_path / "migrations").mkdir()
    config = Config(project_dir=tmp_path, url=url, migrations=Path("migrations"), target_metadata="app_drawn:metadata")
    baseline(config)
    result = autogenerate(config, load_revisions(config.migrations_dir), "nothing", write=False)
    assert "; ".join(op.describe() for op in result.ops) == ""

    made = database_factory("postgresql")
    replay_baseline(config, made)
    engine = sa.create_engine(made)
    with engine.connect() as conn:
        assert _sequences(made) == ["t_id_seq", "widgets_id_seq"]
        assert conn.exec_driver_sql("SELECT nextval('t_id_seq')").scalar() == 1
        assert conn.exec_driver_sql("INSERT INTO t DEFAULT VALUES RETURNING id").scalar() == 2
    engine.dispose()


def _auto_incremented(url: str) -> list[tuple[str, str]]:
    """``(table, column)`` of the columns MariaDB holds as AUTO_INCREMENT."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted((str(t), str(c)) for t, c in conn.exec_driver_sql(
                "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS"
                " WHERE TABLE_SCHEMA = DATABASE() AND EXTRA LIKE '%%auto_increment%%'"))
    finally:
        engine.dispose()


def test_a_baseline_replays_auto_increment_on_mariadb_as_the_database_holds_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """flask_appbuilder's models on MariaDB: ``create_all()`` makes a key column that draws on a
    ``sa.Sequence`` without AUTO_INCREMENT, and a plain integer key with it; a key made by hand
    may lack it. The baseline records which columns are AUTO_INCREMENT, so a replay makes
    exactly those."""
    url = database_factory("mariadb")
    _create_all(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE no_auto (id INTEGER NOT NULL PRIMARY KEY)")
    engine.dispose()
    held = _auto_incremented(url)
    assert held == [("plain", "id")]
    (tmp_path / "migrations").mkdir()
    config = Config(project_dir=tmp_path, url=url, migrations=Path("migrations"))
    baseline(config)
    assert verify(config, live=True).ok
    made = database_factory("mariadb")
    replay_baseline(config, made)
    assert _auto_incremented(made) == held


def test_a_table_a_hooked_migration_makes_with_a_sequence_drawn_key_is_recorded_without_auto_increment_on_mariadb(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``op.create_table`` of a key column drawing on ``sa.Sequence``: MariaDB makes it without
    AUTO_INCREMENT (SQLAlchemy leaves it to the sequence). The hook reads that back, so the
    ledger materialized elsewhere has AUTO_INCREMENT where the migrated database has it."""
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        ["op.execute('CREATE SEQUENCE item_id_seq')",
         "op.create_table('item', sa.Column('id', sa.Integer(), sa.Sequence('item_id_seq'), primary_key=True))",
         "op.create_table('plain', sa.Column('id', sa.Integer(), primary_key=True))"],
    ])
    url = database_factory("mariadb")
    run_alembic(folder, url, "upgrade", "head")
    assert _auto_incremented(url) == [("plain", "id")]
    config = Config(project_dir=tmp_path, url=url)
    assert verify(config, live=True).ok
    made = database_factory("mariadb")
    (tmp_path / "schema-ledger.toml").write_text('migrations = "no-migrations-folder"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["--url", url, "--config", str(tmp_path / "schema-ledger.toml"),
                                       "materialize", "--into", made])
    assert result.exit_code == 0, result.output
    assert _auto_incremented(made) == [("plain", "id")]


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_a_sequence_a_hooked_migration_makes_or_drops_with_sql_is_rolled_back_and_drilled(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``op.execute("CREATE SEQUENCE ...")`` is recorded with its ``DROP SEQUENCE`` as the reverse, a
    ``DROP SEQUENCE`` with the ``CREATE`` the ledger holds: a rollback to base leaves no sequence,
    and a drill replays the history up, down and up again."""
    quoted = 'public."Ticket Numbers"' if dialect == "postgresql" else "`Ticket Numbers`"
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [
        ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True))",
         "op.execute('CREATE SEQUENCE ticket_numbers START WITH 7')",
         f"op.execute('CREATE SEQUENCE IF NOT EXISTS {quoted} INCREMENT BY 2')",
         "op.execute('CREATE SEQUENCE scratch_numbers')"],
        ["op.execute('DROP SEQUENCE scratch_numbers')", f"op.execute('DROP SEQUENCE IF EXISTS {quoted}')"],
    ])
    url = database_factory(dialect)
    run_alembic(folder, url, "upgrade", "head")
    (tmp_path / "schema-ledger.toml").write_text('migrations = "no-migrations-folder"\n', encoding="utf-8")
    options = ["--url", url, "--config", str(tmp_path / "schema-ledger.toml")]
    result = CliRunner().invoke(main, [*options, "drill", "--from-ledger", "--json", "-q"])
    assert result.exit_code == 0 and json.loads(result.output)["passed"], result.output
    result = CliRunner().invoke(main, [*options, "rollback", "--to", "base", "-q"])
    assert result.exit_code == 0, result.output
    assert _sequences(url) == []
    report = verify(Config(project_dir=tmp_path, url=url), live=True)
    assert report.ok, report.problems


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_a_sequence_dropped_with_sql_is_made_again_by_a_rollback_as_the_database_held_it(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """A ``DROP SEQUENCE`` of a sequence no SQL text in the ledger made (made by hand, then altered)
    is recorded with the ``CREATE SEQUENCE`` of the options the database held before it."""
    folder = tmp_path / "alembic"
    write_env(folder)
    write_history(folder, [["op.execute('DROP SEQUENCE Legacy_Numbers')"]])
    url = database_factory(dialect)
    _run(url, "CREATE SEQUENCE Legacy_Numbers START WITH 5", "ALTER SEQUENCE Legacy_Numbers INCREMENT BY 4")
    run_alembic(folder, url, "upgrade", "head")
    assert _sequences(url) == []
    result = CliRunner().invoke(main, ["--url", url, "rollback", "--to", "base", "-q"])
    assert result.exit_code == 0, result.output
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        made = reflect_sequences(conn)
    engine.dispose()
    assert [(s.name.lower(), s.start, s.increment) for s in made] == [("legacy_numbers", 5, 4)]
