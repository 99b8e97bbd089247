"""Running cases: a warm-up, then ours and the baseline interleaved, medians, ratios and peak RSS.

Each case runs in a child process of its own so that its peak RSS is its own.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import attrs

Timed = Callable[[], Any]


@attrs.frozen
class Case:
    """A named benchmark: ``prepare(size, workdir)`` returns (ours, baseline, description)."""

    name: str
    size: int
    quick_size: int
    prepare: Callable[[int, str], tuple[Timed, Timed, str]]
    target: float
    baseline_name: str


CASES: dict[str, Case] = {}


def case(name: str, *, size: int, quick_size: int, target: float, baseline: str):  # noqa: ANN201
    def register(prepare: Callable[[int, str], tuple[Timed, Timed, str]]) -> Callable[[int, str], tuple[Timed, Timed, str]]:
        CASES[name] = Case(name, size, quick_size, prepare, target, baseline)
        return prepare

    return register


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(name: str, size: int, repeat: int, workdir: str) -> dict[str, Any]:
    """Run one case here (in the child): warm-up, then ``repeat`` interleaved rounds."""
    spec = CASES[name]
    ours, base, description = spec.prepare(size, workdir)
    rss_before = _peak_rss_mb()
    ours()
    base()
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        ours()
        mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        base()
        theirs.append(time.perf_counter() - start)
    ours_median, base_median = statistics.median(mine), statistics.median(theirs)
    return {
        "case": name, "size": size, "description": description, "baseline": spec.baseline_name,
        "ours_s": ours_median, "baseline_s": base_median,
        "ratio": ours_median / base_median if base_median else float("inf"),
        "target": spec.target, "met": ours_median / base_median <= spec.target if base_median else False,
        "peak_rss_mb": round(_peak_rss_mb(), 1), "rss_before_timing_mb": round(rss_before, 1),
        "repeat": repeat,
    }


def run(names: list[str], *, quick: bool, repeat: int, workdir: str) -> list[dict[str, Any]]:
    results = []
    for name in names:
        spec = CASES[name]
        size = spec.quick_size if quick else spec.size
        print(f"  running {name} (size {size}) ...", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks", "--child", name, "--size", str(size), "--repeat", str(repeat),
             "--workdir", workdir],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            raise SystemExit(f"benchmark {name} failed")
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return results


def table(results: list[dict[str, Any]]) -> str:
    header = f"{'case':<24} {'size':>9} {'ours (s)':>10} {'baseline (s)':>13} {'ratio':>7} {'target':>7} {'met':>4} {'peak RSS':>9}  baseline"
    lines = [header, "-" * len(header)]
    for r in results:
        lines.append(
            f"{r['case']:<24} {r['size']:>9} {r['ours_s']:>10.4f} {r['baseline_s']:>13.4f} {r['ratio']:>7.2f} "
            f"{r['target']:>7.2f} {'yes' if r['met'] else 'NO':>4} {r['peak_rss_mb']:>7.0f}MB  {r['baseline']}"
        )
    return "\n".join(lines)
