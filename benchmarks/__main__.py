"""``python -m benchmarks [CASE ...] [--quick | --full] [--repeat N] [--json FILE]``: run and print the table."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

from benchmarks import cases, fresh_cases, history2, migrate_cases, startup_cases
from benchmarks.harness import CASES, build_child, markdown, run, run_child, table

#: importing these modules registers their cases in CASES
REGISTERING = (cases, history2, migrate_cases, fresh_cases, startup_cases)

DEFAULT_WORKDIR = Path(__file__).resolve().parent.parent / ".bench-cache"


def _machine() -> dict[str, str | int | None]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"platform": platform.platform(), "cpu": cpu, "cores": os.cpu_count(), "python": sys.version.split()[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("cases", nargs="*", help=f"cases to run (default: all): {', '.join(CASES)}")
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    sizes.add_argument("--full", action="store_true", help="the full sizes (1,000,000-event ledgers)")
    parser.add_argument("--size", type=int, help="the size of every case run (events, revisions, tables)")
    parser.add_argument("--repeat", type=int, help="timed rounds after the warm-up (default: per case, 3 to 5)")
    parser.add_argument("--json", default="bench-results.json", help="where to write the results")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown too")
    parser.add_argument("--workdir", default=str(DEFAULT_WORKDIR),
                        help="where generated inputs are kept between runs (default: .bench-cache; safe to delete)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        build_child(args.build, args.size, args.workdir)
        return 0
    if args.child:
        print(json.dumps(run_child(args.child, args.size, args.repeat, args.workdir)))
        return 0
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(CASES)}")
    names = args.cases or list(CASES)
    chosen = {}
    for name in names:
        spec = CASES[name]
        chosen[name] = args.size or (spec.quick_size if args.quick else spec.full_size if args.full else spec.size)
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    results = run(names, sizes=chosen, repeat=args.repeat, workdir=args.workdir)
    print(table(results))
    if args.markdown:
        print()
        print(markdown(results))
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump({"machine": _machine(), "results": results}, fh, indent=2)
    print(f"\nresults written to {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
