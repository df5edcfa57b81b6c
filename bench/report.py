"""Time of each report format for the Kanagawa FY2024 report (seed 000's plan).

Targets, in CPU seconds on the reference machine (2 cores): HTML ≤ 1 s, DOCX ≤ 3 s,
XLSX ≤ 2 s, PDF ≤ 5 s. Each figure is the best of --repeat runs of render_report
(content built from the evaluation, then laid out), after one warm-up run that loads the
libraries. The verdict is on the CPU time (the process time): on a machine shared with
other jobs it shows the work itself, where the wall-clock time is stretched by waiting
for a core.

    .venv/bin/python bench/report.py [--plan kanagawa-sousei-3] [--year 2024] [--repeat 3] [--formats html,pdf]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sized

from hyoka.core.engine import evaluate
from hyoka.reports import render_report
from hyoka.reports.content import build_report
from hyoka.samples import load_sample

TARGETS = {"html": 1.0, "docx": 3.0, "xlsx": 2.0, "pdf": 5.0}  # CPU seconds


def best_of(repeat: int, run: Callable[[], Sized]) -> tuple[float, float, int]:
    """Best wall-clock and CPU seconds of *repeat* runs, and the size of what was made."""
    walls, cpus, size = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(run())
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="kanagawa-sousei-3")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default=",".join(TARGETS), help="comma-separated, of " + ", ".join(TARGETS))
    args = parser.parse_args()
    targets = {fmt: TARGETS[fmt] for fmt in args.formats.split(",")}
    plan = load_sample(args.plan)
    for fmt in targets:  # warm-up: imports, fonts, templates
        render_report(plan, args.year, fmt)
    seconds, _cpu, _size = best_of(args.repeat, lambda: build_report(plan, args.year, evaluate(plan, args.year)).sections)
    print(f"{args.plan} {args.year}: content (evaluation and report model) {seconds:.2f} s")
    print(f"{'format':6} {'seconds':>8} {'cpu':>6} {'target':>7} {'ratio':>6} {'bytes':>10}")
    for fmt, target in targets.items():
        seconds, cpu, size = best_of(args.repeat, lambda fmt=fmt: render_report(plan, args.year, fmt))
        verdict = "ok" if cpu <= target else "SLOW"
        print(f"{fmt:6} {seconds:8.2f} {cpu:6.2f} {target:7.1f} {cpu / target:6.2f} {size:10,} {verdict}")


if __name__ == "__main__":
    main()
