"""Drills of a database's ledger (``drill --from-ledger``): Alembic databases with the hook, native ones.

A database that Alembic migrated with the hook has no schema-ledger migration files; its drill
replays the revisions in effect in its ledger on a scratch database. It passes for a pure-schema
history, fails naming exactly the revisions holding data changes (or SQL the vocabulary lacks),
and on a native database gives the verdict the drill of the migration files gives.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import given, note, settings
from hypothesis import strategies as st

from ledger.format import codec
from ledger.integrations.alembic import NOT_MODELLED, is_data_change
from ledger.run.baseline import baseline
from ledger.cli import main
from ledger.project.config import Config
from ledger.run.drill import DrillReport, drill, ledger_revisions
from ledger.format.events import Event
from ledger.project.revisions import Revision, RevisionChain, Step, checksum
from ledger.run.rollback import rollback
from ledger.run.apply import apply
from ops import LedgerError, MigrateOperation, SchemaState
from tests.alembic_histories import (
    Project,
    hook_events,
    histories,
    ledger_only_config,
    project,
    run_alembic,
    upgrade_order,
    upgrade_with_hook,
    wheels,
    write_env,
    write_history,
)
from tests.strategies import ops_for

#: the shared fixtures (of tests.alembic_histories) this module's tests take, found by pytest here
__all__ = ["project", "wheels"]

HOOK_DIALECTS = ("sqlite", "postgresql", "mariadb")
#: Examples per database of the property tests: each runs one or two drills, each on a database of its own
#: (on PostgreSQL several seconds apiece).
EXAMPLES = {"sqlite": max(3, settings.default.max_examples // 8),
            "postgresql": max(2, settings.default.max_examples // 25)}

SCHEMA_HISTORY = [
    ["op.create_table('customer', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('email', sa.String(80), nullable=False), sa.UniqueConstraint('email'))"],
    ["op.create_table('orders', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('customer_id', sa.Integer(), sa.ForeignKey('customer.id')), sa.Column('note', sa.String(40)))",
     "op.create_index('ix_orders_note', 'orders', ['note'])"],
    ["op.add_column('customer', sa.Column('name', sa.String(40)))"],
    ["pass"],
    ["op.drop_index('ix_orders_note', table_name='orders')",
     "op.drop_column('orders', 'note')"],
]

#: data migrations with no reverse (rows inserted with the values of a key have one: SEED_ROWS)
DATA_ROW = "op.execute(\"INSERT INTO customer (id, email) SELECT 1, 'a@example.org'\")"
BULK_ROWS = "op.get_bind().execute(sa.text(\"UPDATE customer SET email = 'b@example.org' WHERE id = 2\"))"
SEED_ROWS = ("op.bulk_insert(sa.table('customer', sa.column('id'), sa.column('email')),"
             " [{'id': 2, 'email': 'b@example.org'}])")


def _failing_revisions(report: DrillReport) -> set[str]:
    found = set()
    for failure in report.failures:
        match = re.match(r"revision (\S+), ", failure)
        assert match is not None, failure
        found.add(match.group(1))
    return found


def _irreversible_revisions(events: Sequence[Event]) -> set[str]:
    """The revisions whose events the hook marked as data changes or as outside the vocabulary."""
    return {str(e.revision) for e in events
            if is_data_change(e) or (e.op_type == "execute" and (e.message or "").startswith(NOT_MODELLED))}


def _assert_names_exactly(report: DrillReport, irreversible: set[str], config: Config) -> None:
    """Passes when nothing is irreversible; else fails at the topmost irreversible revision only,
    lists every irreversible one, and passes past them with ``allow_irreversible``."""
    if not irreversible:
        assert report.passed, report.table()
        assert all(r.up and r.down and r.again for r in report.rows)
        return
    assert not report.passed
    topmost = [r.revision for r in report.rows if r.revision in irreversible][-1]
    assert _failing_revisions(report) == {topmost}, report.failures
    assert {r.revision for r in report.rows if r.irreversible} == irreversible
    allowed = drill(config, from_ledger=True, allow_irreversible=True)
    assert allowed.passed, allowed.table()
    assert all(r.up and r.down and r.again for r in allowed.rows)
    for revision in irreversible:
        assert re.search(rf"irreversible: revision {revision}: .*\(skipped: undone in the scratch ledger only\)",
                         allowed.table()), allowed.table()


# ---------------------------------------------------------------------------------------------
# Alembic with the hook
# ---------------------------------------------------------------------------------------------


def test_ledger_drill_of_a_pure_schema_alembic_history_passes(tmp_path: Path, db_url: str) -> None:
    ids = upgrade_with_hook(tmp_path, db_url, SCHEMA_HISTORY)
    before = hook_events(db_url)
    report = drill(ledger_only_config(tmp_path, db_url), from_ledger=True)
    assert report.passed, report.table()
    assert report.source == "ledger" and report.to_json()["source"] == "ledger"
    assert [r.revision for r in report.rows] == ids
    assert all(r.up and r.down and r.again and not r.irreversible for r in report.rows)
    assert "drill passed: 5 revisions from the ledger on" in report.table()
    assert hook_events(db_url) == before  # the target was only read


def test_ledger_drill_fails_naming_exactly_the_data_migration_revision(tmp_path: Path, db_url: str) -> None:
    ids = upgrade_with_hook(tmp_path, db_url, SCHEMA_HISTORY[:2] + [[DATA_ROW, BULK_ROWS]] + SCHEMA_HISTORY[2:])
    config = ledger_only_config(tmp_path, db_url)
    report = drill(config, from_ledger=True)
    assert _irreversible_revisions(hook_events(db_url)) == {ids[2]}
    assert not report.passed
    rows = {r.revision: r for r in report.rows}
    assert [rows[i].down for i in ids] == [None, None, False, True, True, True]
    assert report.failures[0].startswith(f"revision {ids[2]}, down: cannot be rolled back: execute INSERT INTO customer")
    _assert_names_exactly(report, {ids[2]}, config)


def test_rows_inserted_by_their_key_are_deleted_and_inserted_again_by_the_ledger_drill(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("sqlite")
    ids = upgrade_with_hook(tmp_path, url, SCHEMA_HISTORY[:1] + [[SEED_ROWS]] + SCHEMA_HISTORY[1:3])
    report = drill(ledger_only_config(tmp_path, url), from_ledger=True)
    assert report.passed, report.table()
    assert [r.revision for r in report.rows] == ids and all(r.up and r.down and r.again for r in report.rows)


def test_two_data_migrations_are_both_listed_and_the_topmost_fails(tmp_path: Path,
                                                                    database_factory: Callable[[str], str]) -> None:
    url = database_factory("sqlite")
    ids = upgrade_with_hook(tmp_path, url, SCHEMA_HISTORY[:1] + [[DATA_ROW]] + SCHEMA_HISTORY[1:3] + [[BULK_ROWS]])
    config = ledger_only_config(tmp_path, url)
    _assert_names_exactly(drill(config, from_ledger=True), {ids[1], ids[4]}, config)


def test_operations_outside_the_vocabulary_fail_the_ledger_drill_by_revision(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    ids = upgrade_with_hook(tmp_path, url, SCHEMA_HISTORY[:2] + [[
        "op.create_exclude_constraint('ex_orders_id', 'orders', ('id', '='), using='btree')",
    ]] + SCHEMA_HISTORY[2:3])
    events = hook_events(url)
    assert _irreversible_revisions(events) == {ids[2]}
    config = ledger_only_config(tmp_path, url)
    _assert_names_exactly(drill(config, from_ledger=True), {ids[2]}, config)


def test_alembic_downgrades_that_undo_their_upgrade_take_it_out_of_the_revisions_drilled(
        tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    # The hook records a downgrade as events of the revision it undoes: where it left the schema as
    # it was before that revision's upgrade, the upgrade and the downgrade are not in effect (as
    # Alembic's version table says, and as `rollback` does not undo them): the ledger drill replays
    # each revision once, its upgrade that ran again.
    url = database_factory("sqlite")
    folder = tmp_path / "alembic"
    write_env(folder)
    ids = write_history(folder, SCHEMA_HISTORY[:2])
    for revision, table in zip(ids, ("customer", "orders")):
        path = folder / "versions" / f"{revision}_step.py"
        path.write_text(path.read_text().replace("def downgrade():\n    pass", f"def downgrade():\n    op.drop_table({table!r})"))
    run_alembic(folder, url, "upgrade", "head")
    run_alembic(folder, url, "downgrade", "base")
    run_alembic(folder, url, "upgrade", "head")
    events = hook_events(url)
    again = [e.seq for e in events if e.revision == ids[0] and e.kind == "apply"][2]  # up, down, then up again
    chain = ledger_revisions(events)
    assert chain.ids == tuple(ids)
    assert [len(r.ops) for r in chain] == [1, 2]
    assert str(chain.revisions[0].path) == f"ledger seq {again}"
    report = drill(ledger_only_config(tmp_path, url), from_ledger=True)
    assert report.passed, report.table()
    assert [r.revision for r in report.rows] == list(chain.ids)


def test_a_baselined_alembic_database_is_drilled_from_its_baseline(tmp_path: Path, db_url: str) -> None:
    # Migrated by Alembic before the hook, adopted with `baseline`, then migrated with the hook.
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, SCHEMA_HISTORY[:2])
    run_alembic(folder, db_url, "upgrade", "head")
    config = ledger_only_config(tmp_path, db_url)
    baseline(config, snapshot=False)
    write_env(folder)
    ids = write_history(folder, SCHEMA_HISTORY[:4])
    run_alembic(folder, db_url, "upgrade", "head")
    report = drill(config, from_ledger=True)
    assert report.passed, report.table()
    assert [r.revision for r in report.rows] == ids[2:]


def test_cli_drills_the_ledger_when_there_are_no_migration_files(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("sqlite")
    ids = upgrade_with_hook(tmp_path, url, SCHEMA_HISTORY[:2] + [[DATA_ROW]])
    config_file = tmp_path / "schema-ledger.toml"
    config_file.write_text('migrations = "no-migrations-here"\n', encoding="utf-8")

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, ["--url", url, "--config", str(config_file), "drill", *args])
        return result.exit_code, result.stdout, result.stderr

    code, out, err = run()
    assert code == 1, out + err
    assert "no-migrations-here does not exist: drilling the revisions of the ledger" in err
    assert f"FAILED: revision {ids[2]}, down: cannot be rolled back" in out
    code, out, err = run("--from-ledger", "--allow-irreversible", "--json", "--record", "--by", "ci")
    assert code == 0, out + err
    data = json.loads(out)
    assert data["passed"] is True and data["source"] == "ledger"
    assert [r["revision"] for r in data["revisions"]] == ids
    recorded = hook_events(url)[-1]
    assert recorded.kind == "drill" and recorded.seq == data["recorded_seq"] and recorded.revision == ids[2]
    assert codec.decode_record(recorded.payload, codec.DRILL_RECORD)["source"] == "ledger"
    # A drill event changes nothing the next ledger drill sees.
    assert drill(ledger_only_config(tmp_path, url), from_ledger=True, allow_irreversible=True).passed


def test_a_target_without_a_ledger_is_a_clear_error(tmp_path: Path, database_factory: Callable[[str], str]) -> None:
    missing = f"sqlite:///{tmp_path / 'missing.db'}"
    with pytest.raises(LedgerError, match="does not exist: there is no ledger to drill"):
        drill(ledger_only_config(tmp_path, missing), from_ledger=True)
    assert not (tmp_path / "missing.db").exists()
    empty = database_factory("sqlite")
    engine = sa.create_engine(empty)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE other (id INTEGER)")
    engine.dispose()
    with pytest.raises(LedgerError, match="has no ledger table schema_ledger"):
        drill(ledger_only_config(tmp_path, empty), from_ledger=True)
    result = CliRunner().invoke(main, ["--url", empty, "drill", "--from-ledger"])
    assert result.exit_code == 1 and "has no ledger table" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_synthetic_schema_histories_pass_the_ledger_drill(dialect: str, database_factory: Callable[[str], str]) -> None:
    # Generated Alembic histories (batch blocks on SQLite, unnamed constraints named by the
    # database, ...) without their data work: a pure-schema history passes.
    @settings(max_examples=EXAMPLES[dialect])
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        bodies = [[line for line in body if not any(data in line for data in ("INSERT INTO", "bulk_insert", "UPDATE "))]
                  or ["pass"]
                  for body in data.draw(histories(dialect))]
        url = database_factory(dialect)
        with tempfile.TemporaryDirectory() as folder:
            ids = upgrade_with_hook(Path(folder), url, bodies)
            for revision, body in zip(ids, bodies):
                note(f"revision {revision}: " + "; ".join(body))
            report = drill(ledger_only_config(Path(folder), url), from_ledger=True)
        note(report.table())
        assert report.passed, report.table()
        assert [r.revision for r in report.rows] == ids

    check()


# ---------------------------------------------------------------------------------------------
# A real history with the hook
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("history", "dialect", "data_migrations"), [
    ("aim-storage", "sqlite", set()), ("aim-storage", "postgresql", set()), ("aim-web", "sqlite", set()),
    ("fab", "sqlite", set()),
    # On PostgreSQL, fab's 02ca36b0235b runs DO $$ ... $$ blocks: recorded as data changes.
    ("fab", "postgresql", {"02ca36b0235b"}),
])
def test_ledger_drill_of_a_real_hooked_history(history: str, dialect: str, data_migrations: set[str],
                                               project: Project, database_factory: Callable[[str], str],
                                               tmp_path: Path) -> None:
    folder, _ = project(history)
    url = database_factory(dialect)
    run_alembic(folder, url, "upgrade", "heads")
    assert _irreversible_revisions(hook_events(url)) == data_migrations
    config = ledger_only_config(tmp_path, url)
    report = drill(config, from_ledger=True)
    assert [r.revision for r in report.rows] == upgrade_order(folder)
    _assert_names_exactly(report, data_migrations, config)


# ---------------------------------------------------------------------------------------------
# A native database: the ledger drill gives the verdict of the drill of the files
# ---------------------------------------------------------------------------------------------


@st.composite
def _chains(draw: st.DrawFn) -> RevisionChain:
    state, revisions = SchemaState(), []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        ops: list[MigrateOperation] = []
        for _ in range(draw(st.integers(0, 3))):
            op = draw(ops_for(state, portable=True, irreversible=draw(st.booleans())))
            state = state.apply(op)
            ops.append(op)
        revisions.append(Revision(f"r{number}", revisions[-1].id if revisions else None, f"revision {number}",
                                  Path(f"r{number}.py"), tuple(Step((op,)) for op in ops), checksum(ops)))
    return RevisionChain(tuple(revisions))


def _verdict(report: DrillReport) -> tuple[object, ...]:
    return (report.passed, [(r.revision, r.checksum, r.up, r.down, r.again, r.irreversible, r.data_loss)
                            for r in report.rows], _failing_revisions(report))


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_native_database_drilled_from_its_ledger_gives_the_verdict_of_its_files(
    dialect: str, database_factory: Callable[[str], str]
) -> None:
    @settings(max_examples=EXAMPLES[dialect])
    @given(chain=_chains(), roll_back=st.booleans())
    def check(chain: RevisionChain, roll_back: bool) -> None:
        for revision in chain:
            note(f"{revision.id}: " + "; ".join(op.describe() for op in revision.ops))
        with tempfile.TemporaryDirectory() as folder:
            config = Config(project_dir=Path(folder), url=database_factory(dialect))
            apply(config, chain=chain)
            if roll_back and len(chain) > 1 and all(op.reversible for op in chain.revisions[-1].ops):
                # A revision rolled back on the target is not in effect: neither drill covers it.
                rollback(config, to=chain.revisions[-2].id)
                chain = RevisionChain(chain.revisions[:-1])
            from_files = drill(config, chain=chain)
            from_ledger = drill(config, from_ledger=True)
            note(from_files.table() + from_ledger.table())
            assert _verdict(from_ledger) == _verdict(from_files)

    check()


def test_a_replay_that_leaves_something_out_fails(tmp_path: Path, database_factory: Callable[[str], str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # The drill of a ledger checks that the replay builds the target's schema at the head.
    import ledger.run.drill

    url = database_factory("sqlite")
    ids = upgrade_with_hook(tmp_path, url, SCHEMA_HISTORY)
    whole = ledger.run.drill.ledger_revisions

    def without_last_op(events: Sequence[Event]) -> RevisionChain:
        chain = whole(events)
        head = chain.revisions[-1]
        return RevisionChain(chain.revisions[:-1] + (attrs.evolve(head, steps=head.steps[:-1]),))

    monkeypatch.setattr(ledger.run.drill, "ledger_revisions", without_last_op)
    report = drill(ledger_only_config(tmp_path, url), from_ledger=True)
    assert not report.passed and report.rows[-1].up is False and report.rows[-1].down is None
    (failure,) = report.failures
    assert failure.startswith(f"revision {ids[-1]}, up: the replayed ledger does not build the target's schema: ")
    assert "orders" in failure
