"""``python -m realworld.overhead HISTORY DIALECT [ROUNDS] [BEFORE]``: how much longer ``alembic upgrade heads``
of a real history takes with the hook than without it (docs/performance.md).

``BEFORE``: a folder holding another tree's ``ledger`` and ``ops`` (``git archive COMMIT ledger ops | tar -x
-C BEFORE``): each round also times the hooked run with that code, so a change is measured against the code
before it in the same rounds.

Each round runs both on fresh databases, one after the other, in alternating order, each as its own
process (the history as ``make realworld`` extracted it, on the driver its project uses); the ratio of
each round is printed, in wall time and in the process's CPU time, then the median of the rounds'.
Run ``make realworld REALWORLD_ARGS="--only HISTORY --dialect DIALECT"`` first (it extracts the history).
Both trees' modules are byte-compiled first (the runs themselves write no bytecode), as an installed
package's are.
"""

from __future__ import annotations

import compileall
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
    before = argv[3] if len(argv) > 3 else None
    # The runs write no bytecode: this tree's modules and BEFORE's are compiled first, as an
    # installed package's are (and as SQLAlchemy's and Alembic's are): compiling them at each
    # start would be timed as the hook's (about 0.75 G instructions on airflow's history).
    for tree in ([ROOT / "ledger", ROOT / "ops"] + ([before] if before else [])):
        compileall.compile_dir(tree, quiet=1)
    history = by_name(name)
    project = ROOT / ".realworld-cache" / "work" / history.name / dialect / "project"
    if not (project / "alembic.ini").exists():
        raise HarnessError(f"{project}: not extracted; run make realworld REALWORLD_ARGS=\"--only {name} "
                           f"--dialect {dialect}\" first")
    databases = Databases(ROOT / ".realworld-cache" / "sqlite")

    def run(hook: bool | str) -> tuple[float, float]:
        url = databases.new(dialect)
        trees = [str(project.parent / "shim"), *([hook] if isinstance(hook, str) else []), str(ROOT)]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(trees), "REALWORLD_URL": history.url(dialect, url),
               "REALWORLD_HOOK": "1" if hook else "0", "PYTHONDONTWRITEBYTECODE": "1"}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        # run from the project's folder: ``python -m`` puts the working folder first on sys.path,
        # which from this repository's root would import its ledger over BEFORE's
        ran = subprocess.run([sys.executable, "-m", "alembic", "-c", str(project / "alembic.ini"), "upgrade", "heads"],
                             env=env, capture_output=True, text=True, cwd=project)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if ran.returncode != 0:
            raise HarnessError(ran.stderr.strip()[-500:])
        return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

    kinds: list[bool | str] = [False, True] + ([before] if before else [])
    walls: dict[bool | str, list[float]] = {kind: [] for kind in kinds[1:]}
    cpus: dict[bool | str, list[float]] = {kind: [] for kind in kinds[1:]}
    try:
        for number in range(rounds):
            got = {}
            for hook in (kinds if number % 2 == 0 else kinds[::-1]):
                got[hook] = run(hook)
                databases.drop_all()
            line = f"round {number + 1}: alone {got[False][0]:.2f} s ({got[False][1]:.2f} s CPU)"
            for kind in kinds[1:]:
                walls[kind].append(got[kind][0] / got[False][0])
                cpus[kind].append(got[kind][1] / got[False][1])
                line += (f", with the hook{' (before)' if isinstance(kind, str) else ''} {got[kind][0]:.2f} s "
                         f"({got[kind][1]:.2f} s CPU): {walls[kind][-1]:.3f} ({cpus[kind][-1]:.3f} in CPU time)")
            print(f"{line}; load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        databases.drop_all()
    for kind in kinds[1:]:
        print(f"median of the rounds{' (before)' if isinstance(kind, str) else ''}: {statistics.median(walls[kind]):.3f} "
              f"({statistics.median(cpus[kind]):.3f} in CPU time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
