"""Running cases: inputs built first, then a warm-up, then ours and the baselines interleaved; medians,
ratios and peak RSS.

A case runs in two child processes: one builds its inputs (cached in the work folder), one
times it, so that the peak RSS reported is that of the timed work. In the timing child, ours
runs its warm-up first and the peak RSS is read right after it (``ours_rss_mb``: what
schema-ledger needed, with the interpreter and the libraries); the baselines run after that
(``peak_rss_mb`` is the whole child's). Every round runs ours and then each baseline, so a
noisy machine slows both sides alike.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import attrs


@attrs.frozen
class Timed:
    """What is timed (``run``), and what must happen before every run without being timed (``setup``)."""

    run: Callable[[], Any]
    setup: Callable[[], Any] | None = None
    #: ``run`` measures itself and returns seconds (e.g. import time read from a child process)
    measures: bool = False

    def once(self) -> float:
        if self.setup is not None:
            self.setup()
        start = time.perf_counter()
        got = self.run()
        if self.measures:
            return float(got)
        return time.perf_counter() - start


@attrs.frozen
class Baseline:
    name: str
    timed: Timed
    #: the ratio ours / baseline to reach (at most)
    target: float
    #: instead of a ratio: seconds ours may take beyond the baseline (the ratio is still shown)
    beyond_s: float | None = None
    #: shown for information only: no target is judged against it (``met`` is None)
    informational: bool = False


@attrs.frozen
class Prepared:
    ours: Timed
    baselines: tuple[Baseline, ...]
    description: str


@attrs.frozen
class Case:
    """A named benchmark. ``build(size, workdir)`` makes its inputs (cached), ``prepare`` returns what to time."""

    name: str
    size: int
    quick_size: int
    full_size: int
    prepare: Callable[[int, str], Prepared]
    build: Callable[[int, str], None] | None = None
    #: peak RSS of ours to stay under, in MB
    rss_target_mb: float | None = None
    #: the server the case needs ("postgresql"), or None
    needs: str | None = None
    #: timed rounds by default (after the warm-up); long cases run fewer
    repeat: int = 5


CASES: dict[str, Case] = {}


def case(name: str, *, size: int, quick_size: int, full_size: int | None = None,
         build: Callable[[int, str], None] | None = None, rss_target_mb: float | None = None,
         needs: str | None = None, repeat: int = 5) -> Callable[[Callable[[int, str], Prepared]], Callable[[int, str], Prepared]]:
    def register(prepare: Callable[[int, str], Prepared]) -> Callable[[int, str], Prepared]:
        CASES[name] = Case(name, size, quick_size, full_size or size, prepare, build, rss_target_mb, needs, repeat)
        return prepare

    return register


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_child(name: str, size: int, workdir: str) -> None:
    spec = CASES[name]
    if spec.build is not None:
        spec.build(size, workdir)


def run_child(name: str, size: int, repeat: int, workdir: str) -> list[dict[str, Any]]:
    """Time one case here (in the timing child): warm-ups, then ``repeat`` interleaved rounds."""
    spec = CASES[name]
    prepared = spec.prepare(size, workdir)
    prepared.ours.once()
    ours_rss = _peak_rss_mb()
    for baseline in prepared.baselines:
        baseline.timed.once()
    mine: list[float] = []
    theirs: dict[str, list[float]] = {b.name: [] for b in prepared.baselines}
    for _ in range(repeat):
        mine.append(prepared.ours.once())
        for baseline in prepared.baselines:
            theirs[baseline.name].append(baseline.timed.once())
    ours_median = statistics.median(mine)
    rows = []
    for baseline in prepared.baselines:
        base_median = statistics.median(theirs[baseline.name])
        ratio = ours_median / base_median if base_median else float("inf")
        # Each round runs both sides back to back: on a loaded machine the median of the rounds'
        # own ratios follows the load less than the ratio of the two medians does.
        per_round = statistics.median(o / b if b else float("inf") for o, b in zip(mine, theirs[baseline.name]))
        rows.append({
            "case": name, "size": size, "description": prepared.description, "baseline": baseline.name,
            "ours_s": ours_median, "baseline_s": base_median, "ratio": ratio, "round_ratio": per_round,
            "target": baseline.target,
            "met": (None if baseline.informational
                    else ratio <= baseline.target if baseline.beyond_s is None
                    else ours_median - base_median <= baseline.beyond_s),
            "informational": baseline.informational,
            "beyond_s": baseline.beyond_s, "ours_runs_s": mine, "baseline_runs_s": theirs[baseline.name],
            "ours_rss_mb": round(ours_rss, 1), "peak_rss_mb": round(_peak_rss_mb(), 1),
            "rss_target_mb": spec.rss_target_mb,
            "rss_met": None if spec.rss_target_mb is None else ours_rss <= spec.rss_target_mb,
            "repeat": repeat,
        })
    return rows


def _child(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "benchmarks", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"})


def run(names: Sequence[str], *, sizes: dict[str, int], repeat: int | None, workdir: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for name in names:
        spec = CASES[name]
        size = sizes[name]
        rounds = repeat if repeat is not None else spec.repeat
        print(f"  {name} (size {size}): building inputs ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        proc = _child(["--build", name, "--size", str(size), "--workdir", workdir])
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            raise SystemExit(f"benchmark {name}: building its inputs failed")
        print(f"  {name}: inputs ready in {time.perf_counter() - started:.0f} s; timing {rounds} rounds ...",
              file=sys.stderr, flush=True)
        proc = _child(["--child", name, "--size", str(size), "--repeat", str(rounds), "--workdir", workdir])
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            raise SystemExit(f"benchmark {name} failed")
        rows = json.loads(proc.stdout.strip().splitlines()[-1])
        for row in rows:
            print(f"  {name} vs {row['baseline']}: ratio {row['ratio']:.3f}, median of the rounds' ratios "
                  f"{row['round_ratio']:.3f} ({_target(row)})",
                  file=sys.stderr, flush=True)
        results.extend(rows)
    return results


def table(results: list[dict[str, Any]]) -> str:
    header = (f"{'case':<20} {'size':>9} {'ours (s)':>9} {'baseline (s)':>12} {'ratio':>7} {'rounds':>7} {'target':>7} {'met':>4} "
              f"{'ours RSS':>9} {'peak RSS':>9}  baseline")
    lines = [header, "-" * len(header)]
    for r in results:
        rss = f"{r['ours_rss_mb']:>7.0f}MB"
        if r.get("rss_target_mb"):
            rss += "" if r["rss_met"] else "!"
        lines.append(
            f"{r['case']:<20} {r['size']:>9} {r['ours_s']:>9.3f} {r['baseline_s']:>12.3f} {r['ratio']:>7.3f} "
            f"{r.get('round_ratio', r['ratio']):>7.3f} "
            f"{_target(r):>7} {_met(r):>4} {rss:>9} {r['peak_rss_mb']:>7.0f}MB  {r['baseline']}"
        )
    return "\n".join(lines)


def _met(row: dict[str, Any]) -> str:
    return "-" if row["met"] is None else "yes" if row["met"] else "NO"


def _target(row: dict[str, Any]) -> str:
    """A ratio, ``+0.1s`` for a target in seconds beyond the baseline, or ``info`` for an informational row."""
    if row.get("informational"):
        return "info"
    if row.get("beyond_s") is not None:
        return f"+{row['beyond_s']:g}s"
    return f"{row['target']:g}"


def markdown(results: list[dict[str, Any]]) -> str:
    """The table as Markdown (what docs/performance.md shows)."""
    lines = ["| case | size | schema-ledger (s) | baseline | baseline (s) | ratio | rounds' ratios, median | target | met "
             "| peak RSS, ours |",
             "|---|---:|---:|---|---:|---:|---:|---:|:-:|---:|"]
    for r in results:
        rss = f"{r['ours_rss_mb']:.0f} MB"
        if r.get("rss_target_mb"):
            rss += f" (target {r['rss_target_mb']:.0f})"
        lines.append(f"| {r['case']} | {r['size']:,} | {r['ours_s']:.3f} | {r['baseline']} | {r['baseline_s']:.3f} | "
                     f"{r['ratio']:.3f} | {r.get('round_ratio', r['ratio']):.3f} | {_target(r)} | {_met(r).lower()} | {rss} |")
    return "\n".join(lines)
