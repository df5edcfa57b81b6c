"""Time of ``hyoka publish`` for the Kanagawa plans and for a synthetic plan of 2,000 indicators.

Target on the reference machine (2 cores): the two Kanagawa plans (seed 000's and seed
001's, 345 indicators, every page in Japanese and English) in under 10 s. The synthetic
plan comes from bench/generate.py with three published years, so every indicator page
has a chart, a table of rates and an outlook. Each figure is the best of --repeat runs
into a fresh folder, after a warm-up run that loads the libraries and templates.

    .venv/bin/python bench/publish.py [--indicators 2000] [--repeat 2] [--only kanagawa|synthetic]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import plan_document

from hyoka.core.model import Plan
from hyoka.formats.hyoka1 import plan_from_dict
from hyoka.samples import load_sample
from hyoka.site.publish import Published, publish

KANAGAWA_TARGET = 10.0
PUBLISHED_YEARS = (2024, 2025, 2026)


def synthetic(indicators: int) -> Plan:
    doc = plan_document(0, "140007", "神奈川県", indicators_count=indicators)
    doc["plan"]["cycles"] = {str(y): {"status": "published"} for y in PUBLISHED_YEARS}
    return plan_from_dict(doc, "synthetic")


def best_of(repeat: int, plans: list[Plan], folder: Path) -> tuple[float, Published]:
    times, result = [], None
    for i in range(repeat):
        out = folder / f"site-{i}"
        start = time.perf_counter()
        result = publish(plans, out)
        times.append(time.perf_counter() - start)
        shutil.rmtree(out)
    assert result is not None
    return min(times), result


def report(name: str, seconds: float, result: Published, indicators: int, target: float | None) -> None:
    verdict = "" if target is None else f" target {target:.0f} s, ratio {seconds / target:.2f} {'ok' if seconds <= target else 'SLOW'}"
    print(
        f"{name}: {seconds:.2f} s for {indicators:,} indicators ({seconds / indicators * 1000:.1f} ms each), "
        f"{result.pages:,} pages, {result.files:,} files, {result.bytes / 1e6:.1f} MB{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", choices=("kanagawa", "synthetic"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        publish([load_sample("hiratsuka-juten")], folder / "warm-up")
        if args.only != "synthetic":
            plans = [load_sample("kanagawa-sousei-3"), load_sample("kanagawa-dx")]
            seconds, result = best_of(args.repeat, plans, folder)
            report("kanagawa-sousei-3 + kanagawa-dx", seconds, result, sum(len(p.indicators) for p in plans), KANAGAWA_TARGET)
        if args.only != "kanagawa":
            start = time.perf_counter()
            plan = synthetic(args.indicators)
            built = time.perf_counter() - start
            seconds, result = best_of(args.repeat, [plan], folder)
            report(f"synthetic plan ({len(PUBLISHED_YEARS)} published years)", seconds, result, len(plan.indicators), None)
            print(f"  (generating and loading the synthetic plan took {built:.2f} s, not counted)")


if __name__ == "__main__":
    main()
