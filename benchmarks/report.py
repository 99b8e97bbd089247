"""``python -m benchmarks.report [--events N] [--tables T] [--dialect D]``: the audit report's size and speed.

Builds a big ledger (SQLite, written in bulk as for the other cases; cached in the work
folder), writes its report, and opens it in headless Chromium over the DevTools protocol
(``tests/browser.py``; Debian's ``chromium`` must be installed). Measured:

- ``generate_s``: ``build_report`` + ``write_report`` (reading, verifying, folding, DDL);
- ``size_mb``: the HTML file;
- ``ready_ms`` per view: from navigation start to the end of the page's script (its first
  view drawn, ``data-ready``), and ``load_ms``: to the end of the load event (the first
  layout done); the larger is what "usable" means here. Each view is opened ``--repeat``
  times after a warm-up, and the medians are shown;
- interactions: a search over every event, a table filter, the schema (and its ER diagram)
  at a mid point, a diff between two points, each in milliseconds.

Targets (issue 17): under 10 MB, usable within 2 s, at 10,000 events and 500 tables. Exit 1
when one is missed. ``--json FILE`` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.generate import build_big_ledger

ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 10.0
TARGET_MS = 2000.0
VIEWS = ("integrity", "timeline", "revisions", "schema", "diff", "drills")


def _ledger(workdir: Path, events: int, tables: int) -> Path:
    path = workdir / f"report-ledger-{events}-{tables}.db"
    if not path.exists():
        part = path.with_suffix(".part")
        part.unlink(missing_ok=True)
        build_big_ledger(f"sqlite:///{part}", events, tables=tables)
        os.replace(part, path)
    return path


def _interact(browser: Any, script: str) -> float:
    """Milliseconds the page takes to run ``script`` (which changes a control and redraws)."""
    return float(browser.js(f"(() => {{ const t0 = performance.now(); {script}; return performance.now() - t0; }})()"))


def run(events: int, tables: int, dialect: str, workdir: Path, *, with_ddl: bool = True,
        repeat: int = 3) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from ledger.project.config import Config
    from ledger.inspect.report import build_report, write_report
    from tests.browser import Browser

    ledger = _ledger(workdir, events, tables)
    page = workdir / f"report-{events}-{tables}-{dialect}{'' if with_ddl else '-no-ddl'}.html"
    config = Config(project_dir=workdir, url=f"sqlite:///{ledger}")
    start = time.perf_counter()
    size = write_report(page, build_report(config, dialect=dialect, with_ddl=with_ddl))
    generate = time.perf_counter() - start
    result: dict[str, Any] = {
        "events": events, "tables": tables, "dialect": dialect, "ddl": with_ddl, "generate_s": round(generate, 2),
        "size_mb": round(size / 1e6, 2), "views": {}, "interactions_ms": {},
    }
    browser = Browser()
    try:
        browser.open(page.as_uri() + "#integrity")  # a warm-up: the browser's own start is not the page's
        for view in VIEWS:
            runs = []
            for _ in range(repeat):
                browser.open(page.as_uri() + "#" + view)
                runs.append((float(browser.js("document.documentElement.dataset.ready")),
                             float(browser.js("performance.getEntriesByType('navigation')[0].loadEventEnd"))))
            ready, load = (statistics.median(r[i] for r in runs) for i in (0, 1))
            result["views"][view] = {"ready_ms": round(ready), "load_ms": round(load)}
        browser.open(page.as_uri() + "#timeline")
        mid = events // 2
        steps = {
            "search every event": "const s = document.getElementById('tl-search'); s.value = 'ix_t00'; "
                                  "s.dispatchEvent(new Event('input')); document.getElementById('tl-table')"
                                  ".dispatchEvent(new Event('change'))",
            "filter by table": "const s = document.getElementById('tl-table'); "
                               "s.value = s.options[s.options.length - 1].value; s.dispatchEvent(new Event('change'))",
            "next page": "const s = document.getElementById('tl-table'); s.value = ''; "
                         "s.dispatchEvent(new Event('change')); "
                         "document.querySelector('.pager button:nth-child(2)').click()",
            "schema and diagram at a mid point": "location.hash = 'schema'; "
                                                  "window.dispatchEvent(new HashChangeEvent('hashchange'));"
                                                  f" const i = document.getElementById('sc-seq'); i.value = '@{mid}';"
                                                  " i.dispatchEvent(new Event('change'))",
            "diff of two points": "location.hash = 'diff'; window.dispatchEvent(new HashChangeEvent('hashchange'));"
                                  f" const a = document.getElementById('diff-seq-a'); a.value = '@{mid}';"
                                  " a.dispatchEvent(new Event('change'))",
        }
        for name, script in steps.items():
            result["interactions_ms"][name] = round(_interact(browser, script))
        result["diagram_boxes"] = browser.js("document.querySelectorAll('#diagram g.entity').length")
        result["console"] = list(browser.console)
    finally:
        browser.close()
    usable = max(max(v["ready_ms"], v["load_ms"]) for v in result["views"].values())
    result["usable_ms"] = usable
    result["met"] = {"size": result["size_mb"] < TARGET_MB, "usable": usable < TARGET_MS}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--tables", type=int, default=500)
    parser.add_argument("--dialect", default="sqlite", choices=["sqlite", "postgresql", "mysql", "mariadb"])
    parser.add_argument("--repeat", type=int, default=3, help="opens of each view (the median is shown)")
    parser.add_argument("--no-ddl", action="store_true", help="write the report without DDL (report --no-ddl)")
    parser.add_argument("--workdir", default=str(ROOT / ".bench-cache"))
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    result = run(args.events, args.tables, args.dialect, workdir, with_ddl=not args.no_ddl, repeat=args.repeat)
    result["machine"] = {"platform": platform.platform(), "cores": os.cpu_count(), "python": sys.version.split()[0]}
    ddl = "no DDL" if args.no_ddl else f"{args.dialect} DDL"
    print(f"report of {args.events:,} events, {args.tables} tables ({ddl}): "
          f"generated in {result['generate_s']} s, {result['size_mb']} MB")
    for view, figures in result["views"].items():
        print(f"  open #{view:<10} script done {figures['ready_ms']:>5} ms, load event {figures['load_ms']:>5} ms")
    for name, ms in result["interactions_ms"].items():
        print(f"  {name:<36} {ms:>5} ms")
    print(f"  usable within {result['usable_ms']} ms (target {TARGET_MS:.0f}); size target {TARGET_MB:.0f} MB; "
          f"met: {result['met']}")
    if result["console"]:
        print("  console: " + "; ".join(result["console"]))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if all(result["met"].values()) and not result["console"] else 1


if __name__ == "__main__":
    sys.exit(main())
