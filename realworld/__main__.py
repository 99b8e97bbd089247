"""``python -m realworld [--only NAME ...] [--dialect D ...] [--no-doc]``: run the histories, write the table."""

from __future__ import annotations

import argparse
import json
import sys
import time

from .harness import ROOT, Cell, HarnessError, databases_in, download, extract, run_cell, table, write_report
from .histories import HISTORIES

CACHE = ROOT / ".realworld-cache"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m realworld", description=__doc__)
    parser.add_argument("--only", action="append", help="a history name (repeatable; default: every history)")
    parser.add_argument("--dialect", action="append", choices=["sqlite", "postgresql", "mariadb"])
    parser.add_argument("--no-doc", action="store_true", help="do not write the table into docs/alembic.md")
    parser.add_argument("--report-only", action="store_true",
                        help="write the table of the last run (.realworld-cache/results.json) without running")
    args = parser.parse_args(argv)
    if args.report_only:
        data = json.loads((CACHE / "results.json").read_text(encoding="utf-8"))
        body = table([Cell.from_json(c) for c in data["cells"]], data["versions"])
        print(body)
        if not args.no_doc:
            write_report(ROOT / "docs" / "alembic.md", body)
        return 0
    histories = [h for h in HISTORIES if not args.only or h.name in args.only]
    cells: list[Cell] = []
    versions: dict[str, str] = {}
    results = CACHE / "results.json"
    # A partial run (--only, --dialect) keeps the other cells of the last run, so the table stays whole.
    kept: list[Cell] = []
    if (args.only or args.dialect) and results.exists():
        previous = json.loads(results.read_text(encoding="utf-8"))
        versions.update(previous["versions"])
        kept = [Cell.from_json(c) for c in previous["cells"]]
    order = {(h.name, d): i for i, (h, d) in enumerate((h, d) for h in HISTORIES for d in h.dialects)}

    def merged() -> list[Cell]:
        ran = {(c.history, c.dialect) for c in cells}
        both = [c for c in kept if (c.history, c.dialect) not in ran] + cells
        return sorted(both, key=lambda c: order.get((c.history, c.dialect), len(order)))

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    with databases_in(CACHE / "sqlite") as databases:
        for history in histories:
            try:
                wheel = download(history.requirement, CACHE / "wheels", sdist=history.sdist)
            except HarnessError as exc:
                log(f"{history.name}: {exc}")
                continue
            versions[history.name] = wheel.name.removesuffix(".tar.gz").split("-")[-1 if history.sdist else 1]
            for dialect in history.dialects:
                if args.dialect and dialect not in args.dialect:
                    continue
                project = extract(history, wheel, CACHE / "work" / history.name / dialect / "project", dialect)
                cell = run_cell(history, dialect, project, databases, CACHE / "work" / history.name / dialect,
                                log=log, cache=CACHE / "wheels")
                databases.drop_all()
                cells.append(cell)
                failed = [step for step, (ok, _) in cell.steps.items() if not ok]
                log(f"{history.name}/{dialect}: " + ("all passed" if not failed else "failed: " + ", ".join(failed)))
                results.write_text(json.dumps({"versions": versions, "cells": [c.to_json() for c in merged()]},
                                              indent=1), encoding="utf-8")
    body = table(merged(), versions)
    print(body)
    if not args.no_doc:
        write_report(ROOT / "docs" / "alembic.md", body)
    return 0 if all(ok for c in cells for ok, _ in c.steps.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
