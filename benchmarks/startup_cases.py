"""Start-up: what ``schema-ledger --help`` and ``schema-ledger status`` import, against ``import sqlalchemy``.

Each run is a fresh interpreter under ``python -X importtime``; what is compared is the sum of
the top-level imports' cumulative times it reports (interpreter start-up itself left out), so
the number is the cost of importing what the command needs. Target: at most 0.1 s beyond
``import sqlalchemy``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from benchmarks.harness import Baseline, Prepared, Timed, case
from benchmarks.history2 import TOOL_ENV
from benchmarks.migrate_cases import Scratch, _build_status, _projects

_LINE = re.compile(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$")


def import_seconds(args: list[str], cwd: str | None = None) -> float:
    """Seconds spent importing (top-level imports' cumulative times) by ``python -X importtime ARGS``."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": TOOL_ENV["PYTHONPATH"]})  # this checkout's ledger
    if proc.returncode != 0:
        raise RuntimeError(f"{args}: exit {proc.returncode}: {proc.stderr[-2000:]}")
    total = 0
    for line in proc.stderr.splitlines():
        match = _LINE.match(line)
        if match and not match.group(2).startswith(" "):
            total += int(match.group(1))
    return total / 1e6


def _sqlalchemy() -> Baseline:
    return Baseline("python -X importtime -c 'import sqlalchemy' (target: at most 0.1 s more)",
                    Timed(lambda: import_seconds(["-c", "import sqlalchemy"]), measures=True), 1.0, beyond_s=0.1)


@case("startup-help", size=1, quick_size=1, repeat=7)
def startup_help(size: int, workdir: str) -> Prepared:
    return Prepared(Timed(lambda: import_seconds(["-m", "ledger", "--help"]), measures=True), (_sqlalchemy(),),
                    "import time of `schema-ledger --help` (python -X importtime)")


@case("startup-status", size=100, quick_size=14, build=_build_status, repeat=7)
def startup_status(size: int, workdir: str) -> Prepared:
    project, _alembic = _projects(workdir, size, "sqlite")
    url = Scratch("sqlite", workdir).url(f"status_{size}")
    args = ["-m", "ledger", "--url", url, "status"]
    import_seconds(args, cwd=str(project))  # the revision cache warm, as for `status`
    return Prepared(Timed(lambda: import_seconds(args, cwd=str(Path(project))), measures=True), (_sqlalchemy(),),
                    f"import time of `schema-ledger status` ({size} revisions, SQLite, all applied)")
