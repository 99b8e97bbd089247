"""``python -m benchmarks [CASE ...] [--quick] [--repeat N] [--json FILE]``: run and print the table."""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile

from benchmarks import cases  # noqa: F401 - registers the cases
from benchmarks.harness import CASES, run, run_child, table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("cases", nargs="*", help=f"cases to run (default: all): {', '.join(CASES)}")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--repeat", type=int, default=5, help="timed rounds after the warm-up (default 5)")
    parser.add_argument("--json", default="bench-results.json", help="where to write the results")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help="override the case's size")
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_child(args.child, args.size, args.repeat, args.workdir)))
        return 0
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(CASES)}")
    names = args.cases or list(CASES)
    with tempfile.TemporaryDirectory(prefix="sl-bench-") as workdir:
        results = run(names, quick=args.quick, repeat=args.repeat, workdir=workdir)
    print(table(results))
    with open(args.json, "w", encoding="utf-8") as fh:
        json.dump({"machine": platform.platform(), "python": sys.version.split()[0], "results": results}, fh,
                  indent=2)
    print(f"\nresults written to {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
