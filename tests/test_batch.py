"""The batch (columnar) evaluation gives exactly the engine's results."""

from __future__ import annotations

import copy
import random
import sys
from decimal import Decimal
from typing import Any

import pytest
from checkout import ROOT

from hyoka import evaluate, plan_from_dict
from hyoka.core.batch import NUMERIC, RATE_REASONS, TableBuilder, evaluate_table
from hyoka.core.model import Plan

sys.path.insert(0, str(ROOT / "bench"))
import generate


def batch_view(plans: list[Plan], year: int) -> dict[str, Any]:
    builder = TableBuilder(year)
    for plan in plans:
        builder.add_plan(plan)
    table = builder.table
    result = evaluate_table(table, plans[0].rules)
    rules = plans[0].rules
    out: dict[str, Any] = {"rates": {}, "judgements": {}, "grades": {}, "plan": {}}
    plan_of_indicator = {}
    offset = 0
    for plan in plans:
        for ind in plan.indicators:
            plan_of_indicator[offset] = (plan.id, ind.id)
            offset += 1
    for row in range(table.series_count):
        key = (*plan_of_indicator[table.row_indicator[row]], table.row_label[row])
        value, uncapped = result.rate_decimal(row)
        reason = RATE_REASONS[int(result.rate_reason[row])]
        out["rates"][key] = (value, uncapped, None if result.rate_reason[row] == NUMERIC else reason)
    if result.judgement is not None:
        bands = rules.judgement.bands
        for i, code in enumerate(result.judgement):
            code = int(code)
            symbol = (
                bands[code].symbol
                if code < len(bands)
                else (rules.judgement.pending.symbol if code == len(bands) else rules.judgement.none.symbol)
            )
            out["judgements"][plan_of_indicator[i]] = symbol
    for level, band in result.grade_band.items():
        grade = rules.grade_rule_for(level)
        decimals = (grade.rounding or rules.rate.rounding).decimals
        for n, code in enumerate(band):
            if code == -2:
                continue
            node = (plans[table.node_plan[n]].id, table.node_id[n])
            label = grade.bands[int(code)].label if code >= 0 else grade.no_data
            mean = Decimal(int(result.grade_mean[level][n])).scaleb(-decimals) if code >= 0 else None
            out["grades"][node] = (label, mean, int(result.grade_inputs[level][n]))
    if result.plan_band is not None:
        grade = rules.grade_rule_for("plan")
        decimals = (grade.rounding or rules.rate.rounding).decimals
        for p, code in enumerate(result.plan_band):
            label = grade.bands[int(code)].label if code >= 0 else grade.no_data
            mean = Decimal(int(result.plan_mean[p])).scaleb(-decimals) if code >= 0 else None
            out["plan"][plans[p].id] = (label, mean, int(result.plan_inputs[p]))
    return out


def engine_view(plans: list[Plan], year: int) -> dict[str, Any]:
    out: dict[str, Any] = {"rates": {}, "judgements": {}, "grades": {}, "plan": {}}
    for plan in plans:
        ev = evaluate(plan, year)
        for ind_id, r in ev.indicators.items():
            for label, _series, rate in r.rates:
                out["rates"][(plan.id, ind_id, label)] = (rate.value, rate.uncapped, rate.reason)
            if r.judgement is not None:
                out["judgements"][(plan.id, ind_id)] = r.judgement.symbol
        for node_id, nr in ev.nodes.items():
            if nr.grade is not None:
                out["grades"][(plan.id, node_id)] = (nr.grade.label, nr.grade.mean, len(nr.grade.inputs))
        if ev.plan_grade is not None:
            out["plan"][plan.id] = (ev.plan_grade.label, ev.plan_grade.mean, len(ev.plan_grade.inputs))
    return out


def assert_same(plans: list[Plan], year: int) -> None:
    fast, plain = batch_view(plans, year), engine_view(plans, year)
    for key in ("rates", "judgements", "grades", "plan"):
        mismatched = {k: (fast[key].get(k), v) for k, v in plain[key].items() if fast[key].get(k) != v}
        assert not mismatched, f"{key}: {list(mismatched.items())[:5]}"
        assert fast[key].keys() == plain[key].keys()


@pytest.mark.parametrize("name", ["kanagawa-sousei-3", "kanagawa-dx", "hiratsuka-juten"])
def test_samples(name, request):
    from hyoka.samples import load_sample

    plan = load_sample(name)
    for year in (2022, 2023, 2024):
        assert_same([plan], year)


def test_synthetic_plans_of_several_organizations():
    docs = list(generate.documents(3, seed=7))
    plans = [plan_from_dict(d) for d in docs]
    for year in (2024, 2027, 2031):
        assert_same(plans, year)


RULE_VARIANTS = [
    {"rate": {"rounding": "half_up", "decimals": 1, "cap": "100"}},
    {"rate": {"rounding": "half_even", "decimals": 0, "cap": "120.5"}},
    {"rate": {"rounding": "floor", "decimals": 2, "cap": None}},
    {"rate": {"rounding": "ceiling", "decimals": 1, "cap": None}},
]


@pytest.mark.parametrize("variant", range(len(RULE_VARIANTS)))
def test_other_roundings_caps_clamps_and_parts(variant):
    rng = random.Random(variant)
    doc = generate.plan_document(0, "140007", "神奈川県", seed=variant)
    rules = copy.deepcopy(generate.RULES) | RULE_VARIANTS[variant]
    rules["grades"][0]["clamp"] = [None, ["0", "100"], ["-50", "150.25"], ["10", "90"]][variant]
    rules["grades"][0]["parts"] = ["each", "mean", "worst", "each"][variant]
    rules["grades"][0]["scope"] = ["own", "own", "descendants", "own"][variant]
    rules["judgement"]["parts"] = ["worst", "best", "mean", "worst"][variant]
    rules["judgement"]["bands"][1]["min"] = ["80", "79.95", "80.5", "1"][variant]
    doc["rules"] = rules
    # huge values force the Python-integer path for a few rows
    for ind in rng.sample(doc["indicators"], 5):
        if ind.get("direction") in ("higher", "lower") and not ind.get("parts"):
            ind["unit"] = "円"
            ind["targets"]["2027"] = "900兆円"
            ind["values"]["2027"] = {"value": "1,234,567,891,234,567,891円"}
    plan = plan_from_dict(doc)
    for year in (2024, 2027):
        assert_same([plan], year)
