"""The national evaluation as a user runs it: ``hyoka evaluate --db --all``, database to CSV, against the engine plan by plan.

    python bench/evaluate.py                          # 1,788 governments (loads 10.45M rows first, once; reused afterwards)
    python bench/evaluate.py -n 100                   # 100 governments
    python bench/evaluate.py -n 2 --sqlite            # a SQLite file instead of PostgreSQL

The synthetic plans of bench/generate.py are loaded into a database (``hyoka load``; the
same database bench/web.py uses, reused when it holds them). Then:

1. **the command**, in its own process, timed end to end (start, read the rows, build the
   tables, evaluate, write the CSV): wall and CPU seconds and its peak memory (RSS);
2. **the engine, plan by plan**, in this process: each plan read whole from its rows (as
   ``hyoka evaluate PLAN --db`` and the web app read a plan), evaluated by
   ``engine.evaluate`` and written as the same table. The two files must be identical,
   byte for byte, or the run fails;
3. **where the command's time goes**, in this process, on the same plans: reading one
   year's rows, turning them into plans, evaluating them (the batch path, and the engine
   on the same plans for comparison) and writing the rows.

The machine's load is printed with the figures: on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import filecmp
import io
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import FULL_SCALE, stored  # noqa: E402

YEAR = 2027  # mid-period: targets, actuals, pending values, estimates and recorded judgements


def run_command(env: dict[str, str], out: Path) -> tuple[float, float, float]:
    """``hyoka evaluate --db --all`` in its own process: wall seconds, CPU seconds and peak RSS in MiB."""
    args = [sys.executable, "-m", "hyoka.cli", "evaluate", "--db", "--all", "--year", str(YEAR), "-o", str(out)]
    started = time.perf_counter()
    child = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    message = child.stderr.read() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"hyoka evaluate --all failed: {message}")
    print(f"  {message.strip()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def engine_plan_by_plan(out: Path) -> tuple[float, float]:
    """Every plan read whole and evaluated by the engine, one after another: wall seconds, of which evaluating."""
    from hyoka.core.engine import evaluate
    from hyoka.core.outcomes import PlanOutcome, outcome_of
    from hyoka.formats.hyoka1 import plan_from_dict
    from hyoka.formats.national import save_national
    from hyoka.web.plans import models as m
    from hyoka.web.plans.convert import document

    evaluating = 0.0

    def outcomes() -> Iterator[PlanOutcome]:
        nonlocal evaluating
        for row in m.Plan.objects.filter(period_start__lte=YEAR, period_end__gte=YEAR).order_by("key"):
            plan = plan_from_dict(document(row), where=row.key)
            started = time.perf_counter()
            outcome = outcome_of(evaluate(plan, YEAR))
            evaluating += time.perf_counter() - started
            yield outcome

    started = time.perf_counter()
    save_national(outcomes(), out)
    return time.perf_counter() - started, evaluating


def breakdown() -> dict[str, float]:
    """The command's steps, timed one by one on the same plans (seconds)."""
    from hyoka.core.batch import evaluate_plans
    from hyoka.core.engine import evaluate
    from hyoka.formats.hyoka1 import plan_from_dict
    from hyoka.formats.national import write_national
    from hyoka.web.plans import models as m
    from hyoka.web.plans.convert import documents
    from hyoka.web.plans.national import CHUNK

    steps: dict[str, float] = defaultdict(float)

    def timed(step: str, work: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = work()
        steps[step] += time.perf_counter() - started
        return result

    rows = list(m.Plan.objects.filter(period_start__lte=YEAR, period_end__gte=YEAR).order_by("key"))
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        docs = timed("read one year's rows", partial(documents, chunk, year=YEAR))
        plans = timed("rows → plans", lambda docs=docs, chunk=chunk: [plan_from_dict(docs[p.pk], where=p.key) for p in chunk])
        outcomes = timed("evaluate (batch path)", partial(evaluate_plans, plans, YEAR))
        timed("evaluate (engine, same plans)", lambda plans=plans: [evaluate(p, YEAR) for p in plans])
        timed("write CSV", partial(write_national, outcomes, io.StringIO()))
    return steps


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=FULL_SCALE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file in --data-dir instead of PostgreSQL")
    parser.add_argument("--fresh", action="store_true", help="load into a new database even if one with this N and seed exists")
    parser.add_argument("--jobs", type=int, default=None, help="processes reading plan files while loading")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} (shared: figures are noisy)")
    env = stored(args.organizations, args.seed, data_dir, sqlite=args.sqlite, fresh=args.fresh, jobs=args.jobs)
    from django.db import connection

    from hyoka.web.plans import models as m

    plans = m.Plan.objects.count()
    print(f"\n{plans:,} plans on {connection.vendor}, year {YEAR}")
    command_csv, engine_csv = data_dir / f"national-{plans}.csv", data_dir / f"national-{plans}-engine.csv"

    print("hyoka evaluate --db --all (its own process, end to end):")
    wall, cpu, rss = run_command(env, command_csv)
    print(f"  {wall:.1f} s wall, {cpu:.1f} s CPU, peak memory {rss:,.0f} MiB, {plans / wall:,.1f} plans/s")
    engine_wall, engine_eval = engine_plan_by_plan(engine_csv)
    print(f"engine, plan by plan (each plan read whole): {engine_wall:.1f} s wall, of which evaluating {engine_eval:.1f} s")
    if not filecmp.cmp(command_csv, engine_csv, shallow=False):
        raise SystemExit(f"the command's table differs from the engine's: diff {command_csv} {engine_csv}")
    size = command_csv.stat().st_size
    lines = sum(1 for _ in command_csv.open(encoding="utf-8")) - 1
    print(f"identical: the command's table and the engine's, {lines:,} rows, {size / 1e6:.1f} MB, byte for byte")
    print(f"ratio: the command is {engine_wall / wall:.1f}× faster than the engine plan by plan")

    steps = breakdown()
    print("\nwhere the command's time goes (in this process, the same plans, seconds):")
    for step, seconds in steps.items():
        print(f"  {step:32} {seconds:8.2f}")
    batch, plain = steps["evaluate (batch path)"], steps["evaluate (engine, same plans)"]
    print(f"  the batch path evaluates {plain / batch:.1f}× faster than the engine on the same plans")
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
