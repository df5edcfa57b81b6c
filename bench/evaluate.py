"""How fast is one year's evaluation of every plan, from one city to all of Japan?

    python bench/evaluate.py                      # 1, 100 and 1,788 organizations
    python bench/evaluate.py --scales 1 100       # smaller runs

For each scale the synthetic plans of bench/generate.py are loaded (only the year
evaluated and the year before are kept: that is all a year's evaluation reads) into one
columnar table. Then three evaluations of the same table are timed:

* ``batch``: hyoka.core.batch.evaluate_table, the columnar path;
* ``reference``: a plain per-indicator loop over the same table with Python's Decimal,
  written below so that a reader can check it line by line;
* ``engine``: hyoka.core.engine.evaluate plan by plan (at the smaller scales only).

The results of batch and reference (and engine) are compared in full; any difference
stops the run. It prints series per second, the ratios, and peak memory.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from decimal import ROUND_DOWN, Context, Decimal, localcontext
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

from hyoka.core.batch import NO_BASELINE, NUMERIC, ZERO_DENOMINATOR, SeriesTable, TableBuilder, evaluate_table
from hyoka.core.engine import evaluate
from hyoka.core.model import Plan
from hyoka.core.rules import RuleSet
from hyoka.formats.hyoka1 import plan_from_dict

YEAR = 2027


def year_slice(doc: dict[str, Any], year: int) -> dict[str, Any]:
    """The document with only what the evaluation of *year* reads: its targets and the values of it and the year before."""
    keep_values = {str(year - 1), str(year)}

    def cut(series: dict[str, Any]) -> dict[str, Any]:
        out = dict(series)
        out["targets"] = {y: v for y, v in series.get("targets", {}).items() if y == str(year)}
        out["values"] = {y: v for y, v in series.get("values", {}).items() if y in keep_values}
        if "parts" in series:
            out["parts"] = [cut(p) for p in series["parts"]]
        return out

    return doc | {"indicators": [cut(i) for i in doc["indicators"]]}


def load(n: int, keep_plans: bool) -> tuple[SeriesTable, RuleSet, list[Plan], float, int]:
    builder = TableBuilder(YEAR)
    plans: list[Plan] = []
    values = 0
    started = time.perf_counter()
    rules = None
    for doc in generate.documents(n):
        values += sum(len(s.get("values", {})) for i in doc["indicators"] for s in [i, *i.get("parts", [])])
        plan = plan_from_dict(year_slice(doc, YEAR))
        rules = plan.rules
        builder.add_plan(plan)
        if keep_plans:
            plans.append(plan)
    builder.table.columns()
    assert rules is not None
    return builder.table, rules, plans, time.perf_counter() - started, values


# --- the straightforward reference -------------------------------------------------------------


def reference(table: SeriesTable, rules: RuleSet) -> dict[str, Any]:
    """Every rate, judgement and grade of the table, one row at a time, with Decimal.

    Division is done with 50 digits and rounding toward zero, so the quotient is never
    rounded up past a boundary; the quantize then cuts exactly like the rule set says.
    """
    assert rules.rate.rounding.mode == "truncate" and rules.rate.cap is None and rules.judgement is not None
    decimals = Decimal(1).scaleb(-rules.rate.rounding.decimals)
    rates: list[Decimal | None] = []
    reasons: list[int] = []
    row_rank: list[int] = []
    bands = rules.judgement.bands
    worst, pending, none = len(bands) - 1, len(bands), len(bands) + 1
    with localcontext(Context(prec=50, rounding=ROUND_DOWN)):
        for i in range(table.series_count):
            a, t, b = Decimal(table.a[i]), Decimal(table.t[i]), Decimal(table.b[i])
            formula, state = table.formula[i], table.rate_state[i]
            if formula == 0:
                num, den = 100 * a, t
            elif formula == 1:
                num, den = 100 * (a - b), t - b
            else:
                num, den = 100 * t, a
            rate = None
            reason = state
            if state == NUMERIC:
                if formula == 1 and not table.has_baseline[i]:
                    reason = NO_BASELINE
                elif den == 0:
                    reason = ZERO_DENOMINATOR
                else:
                    rate = (num / den).quantize(decimals, rounding=ROUND_DOWN)
            rates.append(rate)
            reasons.append(reason)
            # judgement of the row
            js = table.judge_state[i]
            if js == 3:
                rank = none
            elif js == 2:
                rank = pending
            elif js == 1:
                rank = 0 if table.qualitative_met[i] else worst
            elif formula == 1 and not table.has_baseline[i]:
                rank = none
            elif den == 0:
                met = a <= t if table.direction[i] == 1 else a >= t
                rank = 0 if met else worst
            else:
                ratio = num / den
                rank = next(k for k, band in enumerate(bands) if band.min is None or ratio >= band.min)
            row_rank.append(rank)
    # indicators: parts take the worst judged part, pending wins
    judgements = [none] * len(table.indicator_id)
    parts_of: dict[int, list[int]] = {}
    for i, ind in enumerate(table.row_indicator):
        if table.indicator_parts[ind]:
            parts_of.setdefault(ind, []).append(row_rank[i])
        else:
            judgements[ind] = row_rank[i]
    for ind, ranks in parts_of.items():
        judged = [r for r in ranks if r <= worst]
        judgements[ind] = pending if pending in ranks else (max(judged) if judged else none)
    for ind, symbol in enumerate(table.indicator_recorded):
        if symbol:
            judgements[ind] = next(k for k, band in enumerate(bands) if symbol in (band.symbol, band.label))
    # grades: 小柱 by its KPI rates clamped to [0, 100]; higher levels by the means below
    small = rules.grades[0]
    lo, hi = small.clamp or (None, None)
    inputs: dict[int, list[Decimal]] = {}
    for i, rate in enumerate(rates):
        ind = table.row_indicator[i]
        if rate is None or table.indicator_kind[ind] not in small.kinds:
            continue
        node = table.indicator_node[ind]
        if table.node_level[node] == small.level:
            inputs.setdefault(node, []).append(min(hi, max(lo, rate)) if lo is not None else rate)
    means: dict[str, dict[int, Decimal]] = {small.level: {}}
    for node, values in inputs.items():
        with localcontext(Context(prec=50, rounding=ROUND_DOWN)):
            means[small.level][node] = (sum(values) / len(values)).quantize(decimals, rounding=ROUND_DOWN)
    for grade in rules.grades[1:]:
        collected: dict[int, list[Decimal]] = {}
        for node, mean in means[grade.of_level].items():
            key = table.node_plan[node] if grade.is_plan else _ancestor(table, node, grade.level)
            collected.setdefault(key, []).append(mean)
        means[grade.level] = {}
        for key, values in collected.items():
            with localcontext(Context(prec=50, rounding=ROUND_DOWN)):
                means[grade.level][key] = (sum(values) / len(values)).quantize(decimals, rounding=ROUND_DOWN)
    return {"rates": rates, "reasons": reasons, "judgements": judgements, "means": means}


def _ancestor(table: SeriesTable, node: int, level: str) -> int:
    current = table.node_parent[node]
    while current >= 0 and table.node_level[current] != level:
        current = table.node_parent[current]
    return current


def compare(fast: Any, ref: dict[str, Any], rules: RuleSet) -> None:
    d = rules.rate.rounding.decimals
    rates = [None if fast.rate_reason[i] != NUMERIC else Decimal(int(fast.rate[i])).scaleb(-d) for i in range(len(ref["rates"]))]
    assert rates == ref["rates"], "rates differ"
    assert [int(x) for x in fast.rate_reason] == [int(x) for x in ref["reasons"]], "reasons differ"
    assert [int(x) for x in fast.judgement] == ref["judgements"], "judgements differ"
    for level, means in ref["means"].items():
        if level == "plan":
            got = {p: Decimal(int(fast.plan_mean[p])).scaleb(-d) for p in range(len(fast.plan_mean)) if fast.plan_band[p] >= 0}
        else:
            band = fast.grade_band[level]
            got = {n: Decimal(int(fast.grade_mean[level][n])).scaleb(-d) for n in range(len(band)) if band[n] >= 0}
        assert got == means, f"means of {level} differ"


def engine_check(plans: list[Plan], fast: Any) -> float:
    """Time the engine plan by plan and check that it agrees with the batch on every rate."""
    started = time.perf_counter()
    results = [evaluate(p, YEAR) for p in plans]
    elapsed = time.perf_counter() - started
    d = plans[0].rules.rate.rounding.decimals
    row = 0
    for ev in results:
        for ind in ev.plan.indicators:
            for _label, _series, rate in ev.indicators[ind.id].rates:
                fast_value = None if fast.rate_reason[row] != NUMERIC else Decimal(int(fast.rate[row])).scaleb(-d)
                assert fast_value == rate.value, (ind.id, fast_value, rate.value)
                row += 1
    return elapsed


def timed(function: Any, *args: Any, repeat: int = 3) -> tuple[float, Any, int]:
    best, result, peak = float("inf"), None, 0
    for _ in range(repeat):
        gc.collect()
        tracemalloc.start()
        started = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - started)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return best, result, peak


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100, generate.FULL_SCALE])
    args = parser.parse_args(argv)
    print(f"year {YEAR}; {generate.INDICATORS_PER_ORGANIZATION} indicators × {len(generate.YEARS)} years per organization")
    header = f"{'orgs':>5} {'values':>10} {'series':>8} {'load s':>7} {'batch s':>8} {'series/s':>11} {'reference s':>11} {'ratio':>6} {'engine s':>9} {'eval MiB':>8} {'RSS MiB':>8}"
    print(header)
    for n in args.scales:
        keep = n <= 100
        table, rules, plans, load_s, values = load(n, keep)
        batch_s, fast, peak = timed(evaluate_table, table, rules)
        ref_s, ref, _ = timed(reference, table, rules, repeat=1)
        compare(fast, ref, rules)
        engine_s = engine_check(plans, fast) if keep else float("nan")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{n:>5} {values:>10,} {table.series_count:>8,} {load_s:>7.1f} {batch_s:>8.3f} {table.series_count / batch_s:>11,.0f} "
            f"{ref_s:>11.2f} {ref_s / batch_s:>6.1f} {engine_s:>9.2f} {peak / 2**20:>8.1f} {rss:>8.0f}"
        )
        del table, plans, fast, ref
        gc.collect()
    print("batch, reference and engine results identical at every scale run (checked in full)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
