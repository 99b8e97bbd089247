"""``python -m realworld.overhead HISTORY DIALECT [ROUNDS]``: how much longer ``alembic upgrade heads`` of a
real history takes with the hook than without it (docs/performance.md).

Each round runs both on fresh databases, one after the other, in alternating order, each as its own
process (the history as ``make realworld`` extracted it, on the driver its project uses); the ratio of
each round is printed, in wall time and in the process's CPU time, then the median of the rounds'.
Run ``make realworld REALWORLD_ARGS="--only HISTORY --dialect DIALECT"`` first (it extracts the history).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time

from .harness import ROOT, Databases, HarnessError
from .histories import by_name


def main(argv: list[str]) -> int:
    name, dialect = argv[0], argv[1]
    rounds = int(argv[2]) if len(argv) > 2 else 3
    history = by_name(name)
    project = ROOT / ".realworld-cache" / "work" / history.name / dialect / "project"
    if not (project / "alembic.ini").exists():
        raise HarnessError(f"{project}: not extracted; run make realworld REALWORLD_ARGS=\"--only {name} "
                           f"--dialect {dialect}\" first")
    databases = Databases(ROOT / ".realworld-cache" / "sqlite")

    def run(hook: bool) -> tuple[float, float]:
        url = databases.new(dialect)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project.parent / "shim"), str(ROOT)]), "REALWORLD_URL": history.url(dialect, url),
               "REALWORLD_HOOK": "1" if hook else "0", "PYTHONDONTWRITEBYTECODE": "1"}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        ran = subprocess.run([sys.executable, "-m", "alembic", "-c", str(project / "alembic.ini"), "upgrade", "heads"],
                             env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if ran.returncode != 0:
            raise HarnessError(ran.stderr.strip()[-500:])
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    walls, cpus = [], []
    try:
        for number in range(rounds):
            got = {}
            for hook in ((False, True) if number % 2 == 0 else (True, False)):
                got[hook] = run(hook)
                databases.drop_all()
            walls.append(got[True][0] / got[False][0])
            cpus.append(got[True][1] / got[False][1])
            print(f"round {number + 1}: alone {got[False][0]:.2f} s ({got[False][1]:.2f} s CPU), with the hook "
                  f"{got[True][0]:.2f} s ({got[True][1]:.2f} s CPU): {walls[-1]:.3f} ({cpus[-1]:.3f} in CPU time); "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        databases.drop_all()
    print(f"median of the rounds: {statistics.median(walls):.3f} ({statistics.median(cpus):.3f} in CPU time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
