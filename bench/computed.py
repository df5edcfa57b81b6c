"""What a page or a save costs the web app for one stored plan: built from the rows, from the shared cache, or followed.

A synthetic plan (bench/generate.py, 300 indicators, eight years) is stored in a fresh SQLite
file, or in the database HYOKA_DATABASE_URL names (it must be empty or a scratch database:
the plan is stored there). Then, each the median of --repeat runs:

- cold: the plan read from its rows (one query per table) and parsed, then evaluated;
- shared: the same from Django's cache, as another worker gets it (pickled and compressed);
- save: a value saved through the entry path, which follows the plan to its new revision,
  plus the evaluation of the year the next page needs.

    .venv/bin/python bench/computed.py [--indicators 300] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import plan_document

YEAR = 2027


def median_ms(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="hyoka-bench-computed-"))
    os.environ.setdefault("HYOKA_DATA_DIR", str(folder))
    os.environ.setdefault("HYOKA_DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ["HYOKA_CACHE_URL"] = f"file://{folder / 'cache'}"
    from hyoka.web.demo import migrate, use_database

    use_database(None)
    migrate()

    from django.db import connection

    from hyoka.core.engine import evaluate
    from hyoka.formats.evaluation import evaluation_dict
    from hyoka.formats.hyoka1 import plan_from_dict
    from hyoka.web.plans import computed
    from hyoka.web.plans import models as m
    from hyoka.web.plans.convert import document, evaluation, store_plan, touch
    from hyoka.web.plans.entry import ValueInput, save_value

    row = store_plan(plan_from_dict(plan_document(0, "140007", "神奈川県", indicators_count=args.indicators)))
    doc = document(row)
    core = plan_from_dict(doc, where=row.key)
    figures = {
        "rows → document": median_ms(args.repeat, lambda: document(row)),
        "document → plan": median_ms(args.repeat, lambda: plan_from_dict(doc, where=row.key)),
        "evaluate one year": median_ms(args.repeat, lambda: evaluate(core, YEAR)),
    }

    def cold() -> None:
        touch(row)
        computed.forget_local()
        evaluation(row, YEAR)

    def shared() -> None:
        computed.forget_local()
        evaluation(row, YEAR)

    cold_ms = figures["cold page work (all three)"] = median_ms(args.repeat, cold)
    shared_ms = figures["another worker, from the shared cache"] = median_ms(args.repeat, shared)
    figures["same worker, in memory"] = median_ms(args.repeat, lambda: evaluation(row, YEAR))
    series = m.Series.objects.select_related("indicator__plan").filter(indicator__plan=row, part="", formula="ratio")[0]
    saves = iter(range(10**6))

    def save() -> None:
        save_value(series, YEAR, ValueInput(f"{next(saves)}{series.unit}"), None, "bench")
        evaluation(series.indicator.plan, YEAR)

    save_ms = figures["save a value + next page's evaluation"] = median_ms(args.repeat, save)
    fresh = plan_from_dict(document(series.indicator.plan), where=row.key)
    assert evaluation_dict(evaluation(series.indicator.plan, YEAR)) == evaluation_dict(evaluate(fresh, YEAR)), "followed ≠ fresh"
    print(f"{args.indicators} indicators, {connection.vendor}, median of {args.repeat}:")
    for name, ms in figures.items():
        print(f"  {name:40} {ms:8.1f} ms")
    print(
        f"  shared cache is {cold_ms / shared_ms:.1f}× faster than a cold build; a save is {cold_ms / save_ms:.1f}× faster than rebuilding"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
