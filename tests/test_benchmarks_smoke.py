"""The benchmarks run end to end at tiny sizes and print a ratio for every baseline (no time is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ["fold", "schema-at", "verify-chain", "apply-sqlite", "rollback-sqlite", "status", "startup-help", "drill-sqlite",
         "h2-apply-sqlite-1tx", "apply-sqlite-1tx-fresh"]


def test_quick_run_prints_every_ratio(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", *CASES, "--quick", "--repeat", "1", "--workdir", str(tmp_path / "work"),
         "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text())["results"]
    assert sorted({r["case"] for r in results}) == sorted(CASES)
    # apply, rollback and the second history's apply have three baselines each: the raw replay through
    # SQLAlchemy (judged), through the bare driver (informational) and Alembic; the first history's
    # fresh-process case the two raw ones
    assert len(results) == len(CASES) + 7
    bare = [r for r in results if r["informational"]]
    assert sorted(r["case"] for r in bare) == ["apply-sqlite", "apply-sqlite-1tx-fresh", "h2-apply-sqlite-1tx",
                                               "rollback-sqlite"]
    assert all(r["met"] is None for r in bare)
    assert all(r["met"] is not None for r in results if not r["informational"])
    for row in results:
        assert row["ratio"] > 0 and row["ours_s"] > 0 and row["baseline_s"] > 0, row
        assert row["ours_rss_mb"] > 0
        assert f"{row['ratio']:.3f}" in proc.stdout


def test_fresh_processes_import_this_checkout(tmp_path: Path) -> None:
    """The second history's tools run in other folders; each must import the ``ledger`` of the checkout
    the benchmarks are in, not whichever one the environment installed."""
    from benchmarks.history2 import _run

    here = str(ROOT / "ledger")
    _run(["-c", f"import ledger, os; assert os.path.dirname(ledger.__file__) == {here!r}, ledger.__file__"], cwd=tmp_path)
