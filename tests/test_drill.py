"""Rollback drills: the shop's migrations pass on every database; planted faults are caught and named."""

from __future__ import annotations

import json
import types
import uuid
from pathlib import Path

import pytest

import ledger.run.drill as ledger_drill
from ledger.format import codec
from ledger.project.config import Config
from ledger.storage.db import create_engine, dialect_of
from ledger.run.drill import DrillRequired, covered_revisions, drill, record_drill, require_drill
from ledger.format.events import verify_chain
from ledger.project.revisions import load_revisions
from ledger.run.apply import apply
from tests.builders import SHOP, invoke, project, tables
from tests.builders import events as ledger_events


def shop_and(tmp_path: Path, url: str, extra: dict[str, str]) -> Config:
    """The shop project, with ``extra`` revisions (id -> upgrade body) on top of 0008."""
    return project(tmp_path, url, migrations=SHOP, parent="0008", revisions=extra, file_name="{rid}_extra.py",
                   doc="Revision {rid}.")


def drill_databases(url: str) -> set[str]:
    engine = create_engine(url)
    query = ("SELECT datname FROM pg_database" if dialect_of(url) == "postgresql" else "SHOW DATABASES")
    try:
        with engine.connect() as conn:
            return {str(r[0]) for r in conn.exec_driver_sql(query) if str(r[0]).startswith("sl_drill_")}
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------------------
# The shop passes, everywhere
# ---------------------------------------------------------------------------------------------


def test_shop_drill_passes_and_is_recorded(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    config = project(tmp_path, db_url)
    server = dialect_of(db_url) != "sqlite"
    # The scratch database's name is known: other drills running on the server meanwhile do not matter.
    known = uuid.uuid4()
    monkeypatch.setattr(ledger_drill, "uuid", types.SimpleNamespace(uuid4=lambda: known))
    scratch = f"sl_drill_{known.hex[:12]}"
    code, out, err = invoke(config, "drill", "--json", "--record", "--by", "ci", "-m", "release 1.1 drill")
    assert code == 0, out + err
    report = json.loads(out)
    assert report["passed"] is True and report["failures"] == []
    assert [r["revision"] for r in report["revisions"]] == [f"000{n}" for n in range(1, 9)]
    assert all(r["up"] and r["down"] and r["again"] and r["live_equals_fold"] for r in report["revisions"])
    assert all(r["irreversible"] == [] for r in report["revisions"])
    last = report["revisions"][-1]["data_loss"]
    assert len(last) == len(set(last)), last  # each loss once, however the database records a revert
    assert "table wishlist comes back empty: its rows were dropped" in last
    assert "column orders.note comes back without its data (NULL or its default)" in last
    # The target's schema was not touched: it holds the ledger and its drill event only.
    assert tables(db_url) == ["schema_ledger"]
    events = ledger_events(config)
    assert [e.kind for e in events] == ["drill"]
    assert events[0].seq == report["recorded_seq"] and events[0].actor.by == "ci"
    assert events[0].message == "release 1.1 drill" and events[0].revision == "0008"
    assert codec.decode_record(events[0].payload, codec.DRILL_RECORD)["passed"] is True
    assert verify_chain(events) == []
    if server:
        # The temporary scratch database was dropped.
        assert scratch not in drill_databases(db_url)
    # And now apply --require-drill accepts the revisions it covered.
    code, out, err = invoke(config, "apply", "--require-drill", "-q")
    assert code == 0, err
    assert out.startswith("applied 8 revisions")


# ---------------------------------------------------------------------------------------------
# Planted faults
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'target.db'}"


def test_a_reverse_that_leaves_a_table_behind_is_caught(tmp_path: Path, sqlite_url: str) -> None:
    config = shop_and(tmp_path, sqlite_url, {
        "0009": 'op.execute("SELECT 1", reverse_sql="CREATE TABLE stray (id INTEGER)")',
        "0010": 'op.add_column("customers", sa.Column("vip", sa.Boolean))',
    })
    code, out, err = invoke(config, "drill", "-q")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].split() == ["revision", "up", "down", "again", "live==fold", "irreversible", "data-loss", "warnings"]
    row = {line.split()[0]: line.split()[1:5] for line in lines[1:11]}
    assert row["0010"] == ["ok", "ok", "-", "ok"]
    assert row["0009"] == ["ok", "FAIL", "-", "FAIL"]
    assert row["0001"] == ["ok", "-", "-", "ok"]
    assert ("FAILED: revision 0009, down (execute SELECT 1): live schema differs from the fold of the ledger: "
            "table stray: in the live database, not expected") in lines
    assert lines[-1].startswith("drill failed: 10 revisions on sqlite")
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()


def test_a_reverse_that_fails_on_the_database_is_caught(tmp_path: Path, sqlite_url: str) -> None:
    config = shop_and(tmp_path, sqlite_url, {
        "0009": """
            op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))
            op.execute("SELECT 1", reverse_sql="DROP TABLE not_there")
        """,
    })
    report = drill(config)
    assert not report.passed
    assert [r.down for r in report.rows][-1] is False
    (failure,) = report.failures
    assert failure.startswith("revision 0009, down: rolling back revision 0009 seq ")
    assert "execute DROP TABLE not_there" in failure and "no such table: not_there" in failure


def test_a_change_the_ledger_does_not_know_is_caught_on_the_way_up(tmp_path: Path, sqlite_url: str) -> None:
    config = shop_and(tmp_path, sqlite_url, {
        "0009": """
            op.add_column("products", sa.Column("weight", sa.Integer))
            op.execute("CREATE INDEX ix_products_weight ON products (weight)", reverse_sql="DROP INDEX ix_products_weight")
        """,
    })
    report = drill(config)
    assert [r.up for r in report.rows][-1] is False and report.rows[-1].down is None
    (failure,) = report.failures
    assert failure.startswith("revision 0009, up (add column products.weight")
    assert "index ix_products_weight" in failure


def test_irreversible_ops_fail_the_drill_unless_allowed(tmp_path: Path, sqlite_url: str) -> None:
    config = shop_and(tmp_path, sqlite_url, {
        "0009": "op.execute(\"UPDATE products SET price = price * 2\")",
        "0010": 'op.create_index("ix_products_price", "products", ["price"])',
    })
    report = drill(config)
    assert not report.passed
    rows = {r.revision: r for r in report.rows}
    assert rows["0009"].irreversible == ("execute UPDATE products SET price = price * 2",)
    assert rows["0010"].down is True and rows["0009"].down is False and rows["0008"].down is None
    assert report.failures[0].startswith("revision 0009, down: cannot be rolled back: execute UPDATE products")
    allowed = drill(config, allow_irreversible=True)
    assert allowed.passed, allowed.failures
    assert all(r.up and r.down and r.again for r in allowed.rows)
    assert "irreversible: revision 0009: execute UPDATE products SET price = price * 2" in allowed.table()


def test_a_refused_down_step_is_no_failed_comparison(tmp_path: Path, sqlite_url: str) -> None:
    """live==fold reports the comparisons only: a down step refused before it ran compared nothing."""
    config = shop_and(tmp_path, sqlite_url, {"0009": "op.execute(\"UPDATE products SET price = price * 2\")"})
    code, out, err = invoke(config, "drill", "-q")
    assert code == 1, out + err
    row = {line.split()[0]: line.split()[1:5] for line in out.splitlines()[1:10]}
    assert row["0009"] == ["ok", "FAIL", "-", "ok"]  # up compared equal; down refused: no comparison
    assert row["0008"] == ["ok", "-", "-", "ok"]
    assert "FAILED: revision 0009, down: cannot be rolled back: execute UPDATE products SET price = price * 2 " \
        "(drill --allow-irreversible goes on past it)" in out.splitlines()
    code, out, err = invoke(config, "drill", "-q", "--json")
    assert code == 1, out + err
    last = json.loads(out)["revisions"][-1]
    assert (last["revision"], last["up"], last["down"], last["again"], last["live_equals_fold"]) == \
        ("0009", True, False, None, True)


# ---------------------------------------------------------------------------------------------
# Recorded drills and apply --require-drill
# ---------------------------------------------------------------------------------------------


def test_require_drill_accepts_only_what_a_passing_drill_covered(tmp_path: Path, sqlite_url: str) -> None:
    config = shop_and(tmp_path, sqlite_url, {"0009": 'op.execute("SELECT 1", reverse_sql="CREATE TABLE stray (id INTEGER)")'})
    chain = load_revisions(config.migrations_dir)
    with pytest.raises(DrillRequired, match=r"covers revisions 0001, 0002, .*0009"):
        require_drill(config, chain)
    failed = drill(config)
    record_drill(config, failed)
    assert covered_revisions(config) == set()  # a failed drill covers nothing
    code, out, err = invoke(config, "apply", "--require-drill", "--to", "0003")
    assert code == 1 and "no passing recorded drill covers revisions 0001, 0002, 0003" in err
    assert [e.kind for e in ledger_events(config)] == ["drill"]
    # Fix the fault: the drill passes and covers every revision, by id and checksum.
    path = config.migrations_dir / "0009_extra.py"
    path.write_text(path.read_text().replace("CREATE TABLE stray (id INTEGER)", "SELECT 2"))
    chain = load_revisions(config.migrations_dir)
    record_drill(config, drill(config, chain=chain))
    require_drill(config, chain)
    apply(config, chain=chain, to="0004")
    # A file edited after its drill needs a new one.
    path.write_text(path.read_text().replace("SELECT 2", "SELECT 3"))
    code, out, err = invoke(config, "apply", "--require-drill")
    assert code == 1 and "covers revision 0009;" in err
    code, _, err = invoke(config, "log")
    assert "drill failed: 9 revisions up to 0009" in _ and "drill passed: 9 revisions up to 0009" in _


def test_scratch_option(tmp_path: Path, sqlite_url: str) -> None:
    config = project(tmp_path, sqlite_url)
    scratch = f"sqlite:///{tmp_path / 'scratch.db'}"
    report = drill(config, scratch=scratch)
    assert report.passed and "scratch.db" in report.scratch
    # A given scratch database is left in place, at the head.
    assert "wishlist" not in tables(scratch) and "order_items" in tables(scratch)
    code, _, err = invoke(config, "drill", "--scratch", scratch)
    assert code == 1 and "is not empty" in err and "a drill needs an empty one" in err
