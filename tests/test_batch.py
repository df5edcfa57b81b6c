"""The batch (columnar) evaluation gives exactly the engine's figures, on the samples and on random plans."""

from __future__ import annotations

import copy
import dataclasses
import sys
from decimal import Decimal
from typing import Any

import pytest
from checkout import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hyoka import evaluate, plan_from_dict
from hyoka.core.batch import TableBuilder, Unsupported, check_implemented, evaluate_plans, evaluate_table
from hyoka.core.model import Plan
from hyoka.core.outcomes import PlanOutcome, outcome_of
from hyoka.core.rules import ROUNDINGS, GradeRule
from hyoka.samples import load_sample

sys.path.insert(0, str(ROOT / "bench"))
import generate


def batch(plans: list[Plan], year: int) -> list[PlanOutcome]:
    """The columnar path alone (no fallback): it raises Unsupported for rules it does not implement."""
    builder = TableBuilder(year)
    for plan in plans:
        builder.add_plan(plan)
    return evaluate_table(builder.table, plans[0].rules).outcomes()


def engine(plans: list[Plan], year: int) -> list[PlanOutcome]:
    return [outcome_of(evaluate(plan, year)) for plan in plans]


def assert_same(plans: list[Plan], year: int) -> None:
    fast, plain = batch(plans, year), engine(plans, year)
    assert fast == plain
    assert repr(fast) == repr(plain)  # the same Decimal exponents too: the table prints them


@pytest.mark.parametrize("name", ["kanagawa-sousei-3", "kanagawa-dx", "hiratsuka-juten"])
def test_samples(name):
    plan = load_sample(name)
    for year in (2022, 2023, 2024):
        assert_same([plan], year)


def test_synthetic_plans_of_several_organizations():
    plans = [plan_from_dict(d) for d in generate.documents(3, seed=7)]
    for year in (2024, 2027, 2031):
        assert_same(plans, year)


# --- random plans ------------------------------------------------------------------------------

LEVELS = ["目標", "施策", "事業"]
YEARS = (2024, 2025, 2026)
YEAR = 2025


# Of an actual to its target: the bands' edges (100 %, 80 %, 79.95 %) and exact halves at 0, 1 and 2 decimals.
RATIOS = [(1, 1), (4, 5), (1599, 2000), (1, 8), (1, 16), (1, 32), (3, 2), (0, 1)]


@st.composite
def digits(draw: Any) -> int:
    """Mostly small or multiples of 32 (so that the RATIOS of them are exact), now and then beyond 64 bits."""
    small = st.one_of(st.integers(-5, 40), st.integers(1, 30).map(lambda n: 32 * n), st.integers(-50, 300))
    return draw(st.one_of(small, st.integers(0, 10**6), st.integers(10**18, 10**22)))


def amount(draw: Any, unit: str, number: int, places: int, bounds: bool = False) -> str:
    """A number as people type it: decimals, 万, 以上/以下."""
    text = format(Decimal(number).scaleb(-places), "f")
    if unit == "人" and number >= 0 and draw(st.integers(0, 3)) == 0:
        return f"{text}万人"
    return text + unit + (draw(st.sampled_from(["", "", " 以上", "以下"])) if bounds else "")


@st.composite
def series(draw: Any, direction: str) -> dict[str, Any]:
    unit = "" if direction == "qualitative" else draw(st.sampled_from(["件", "人", "%", "円"]))
    places = draw(st.integers(0, 2))
    out: dict[str, Any] = {"unit": unit, "direction": direction, "targets": {}, "values": {}}
    if direction != "qualitative":
        out["formula"] = draw(st.sampled_from([None, "ratio", "progress", "inverse_ratio"]))
        if out["formula"] == "progress" or draw(st.booleans()):
            out["baseline"] = {"year": 2022, "value": amount(draw, unit, draw(digits()), places)}
    for year in YEARS:
        key = str(year)
        if direction == "qualitative":
            out["targets"][key] = "実施"
            out["values"][key] = {"value": draw(st.sampled_from(["実施", "未実施", " 実施 "]))}
            continue
        target = draw(digits())
        kind = draw(st.sampled_from(["number", "number", "number", "none", "empty", "baseline", "previous"]))
        if kind != "none":
            relative = {"empty": "", "baseline": "策定時実績値以上", "previous": "前年度以上"}
            out["targets"][key] = amount(draw, unit, target, places, bounds=True) if kind == "number" else relative[kind]
        state = draw(st.sampled_from(["confirmed", "confirmed", "confirmed", "estimate", "pending", "unmeasurable", "empty", "none"]))
        if state in ("confirmed", "estimate"):
            num, den = draw(st.sampled_from(RATIOS))
            actual = target * num // den if draw(st.integers(0, 3)) else draw(digits())
            out["values"][key] = {"value": amount(draw, unit, actual, places), "status": state}
        elif state == "pending":
            out["values"][key] = {"value": "", "status": "pending", "expected": "2026-09"}
        elif state == "unmeasurable":
            out["values"][key] = {"value": "―※", "status": "unmeasurable"}
        elif state == "empty":
            out["values"][key] = {"value": ""}
    return {k: v for k, v in out.items() if v is not None}


@st.composite
def indicators(draw: Any, number: int, nodes: list[str]) -> dict[str, Any]:
    direction = draw(st.sampled_from(["higher", "higher", "lower", "qualitative"]))
    head = {"id": f"k{number}", "node": draw(st.sampled_from(nodes)), "kind": draw(st.sampled_from(["kpi", "kpi", "numeric_target"]))}
    head["name"] = f"指標{number}"
    if direction != "qualitative" and draw(st.integers(0, 4)) == 0:
        parts = [{"id": f"p{i}", "label": "①②③"[i]} | draw(series(direction)) for i in range(draw(st.integers(2, 3)))]
        return head | {"direction": direction, "unit": parts[0]["unit"], "targets": {}, "values": {}, "parts": parts}
    out = head | draw(series(direction))
    if str(YEAR) in out["values"] and draw(st.integers(0, 9)) == 0:
        out["values"][str(YEAR)] |= {"judgement": draw(st.sampled_from(["◎", "△", "■", "達成"])), "judgement_reason": "評価部会"}
    return out


def bands(draw: Any, mins: list[str], **extra: str) -> list[dict[str, Any]]:
    chosen = sorted({Decimal(m) for m in draw(st.lists(st.sampled_from(mins), min_size=1, max_size=3))}, reverse=True)
    return [{"min": str(m), "label": f"段階{i}"} | extra for i, m in enumerate(chosen)] + [{"min": None, "label": "最下位"} | extra]


@st.composite
def rule_sets(draw: Any) -> dict[str, Any]:
    rate = {"rounding": draw(st.sampled_from(ROUNDINGS)), "decimals": draw(st.integers(0, 2))}
    rate["cap"] = draw(st.sampled_from([None, None, "100", "120.5"]))
    lowest = {
        "level": LEVELS[2],
        "source": "indicators",
        "scope": draw(st.sampled_from(["own", "descendants"])),
        "kinds": draw(st.sampled_from([["kpi"], ["kpi", "numeric_target"]])),
        "clamp": draw(st.sampled_from([None, ["0", "100"], ["-50", "150.25"]])),
        "parts": draw(st.sampled_from(["each", "mean", "worst"])),
        "bands": bands(draw, ["90", "75", "60", "79.95"]),
        "no_data": "データなし",
    }
    goal = {"level": LEVELS[0], "source": "grades", "of_level": LEVELS[2], "bands": bands(draw, ["90", "80.5"])}
    plan = {"level": "plan", "source": "grades", "of_level": LEVELS[0], "bands": bands(draw, ["85"])}
    judgement = {
        "bands": [
            {"min": "100", "symbol": "◎", "label": "達成"},
            {"min": draw(st.sampled_from(["80", "79.95", "1"])), "symbol": "○", "label": "概ね"},
            {"min": None, "symbol": "△", "label": "未達成"},
        ],
        "pending": {"symbol": "■", "label": "集計中"},
        "parts": draw(st.sampled_from(["worst", "best", "mean"])),
    }
    return {"rate": rate, "grades": [lowest, goal, plan], "judgement": judgement}


@st.composite
def plans(draw: Any, index: int, rules: dict[str, Any]) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = []
    for g in range(2):
        nodes.append({"id": f"{g}", "parent": None, "level": LEVELS[0], "name": f"目標{g}"})
        for m in range(2):
            nodes.append({"id": f"{g}-{m}", "parent": f"{g}", "level": LEVELS[1], "name": f"施策{g}-{m}"})
            for s in range(2):
                leaf = {"id": f"{g}-{m}-{s}", "parent": f"{g}-{m}", "level": LEVELS[2], "name": f"事業{g}-{m}-{s}"}
                nodes.append(leaf | ({"status": "abolished"} if draw(st.integers(0, 9)) == 0 else {}))
    ids = [n["id"] for n in nodes]
    count = draw(st.integers(2, 12))
    code = generate.check_digit(f"{13 + index:02d}000")
    return {
        "format": "hyoka/1",
        "plan": {
            "id": f"random-{index}",
            "name": f"計画{index}",
            "organization": {"name": f"団体{index}", "code": f"{13 + index:02d}000{code}"},
            "period": {"start": YEARS[0], "end": YEARS[-1]},
            "levels": LEVELS,
        },
        "rules": rules,
        "nodes": nodes,
        "indicators": [draw(indicators(i, ids)) for i in range(count)],
    }


@st.composite
def plan_sets(draw: Any) -> list[Plan]:
    """One to three plans sharing a random rule set, as the national evaluation groups them."""
    rules = draw(rule_sets())
    return [plan_from_dict(draw(plans(i, rules))) for i in range(draw(st.integers(1, 3)))]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plan_sets())
def test_batch_and_engine_agree_on_random_plans(plans: list[Plan]):
    assert_same(plans, YEAR)


EDGES = [  # (formula, direction, baseline, target, actual): rates of exact halves at 0, 1 and 2 decimals, and the bands' edges
    *(("ratio", "higher", None, "32", a) for a in ("1", "2", "4", "3", "6", "12", "-4", "-12", "25.6", "25.58", "32", "0")),
    ("progress", "higher", "0", "8", "-1"),
    ("progress", "lower", "222", "0", "138"),
    ("inverse_ratio", "lower", "4", "4", "32"),
    ("inverse_ratio", "lower", None, "0", "0"),
]


@pytest.mark.parametrize("mode", ROUNDINGS)
def test_exact_halves_and_band_edges_under_every_rounding(mode):
    for decimals in (0, 1, 2):
        doc = {
            "format": "hyoka/1",
            "plan": {"id": "edges", "name": "境界", "organization": {"name": "東京都", "code": "130001"}}
            | {"period": {"start": 2024, "end": 2026}, "levels": LEVELS},
            "rules": {"rate": {"rounding": mode, "decimals": decimals}, "grades": [], "judgement": generate.RULES["judgement"]},
            "nodes": [{"id": "n", "parent": None, "level": LEVELS[0], "name": "目標"}],
            "indicators": [
                {"id": f"k{i}", "node": "n", "name": f"指標{i}", "direction": direction, "formula": formula}
                | ({"baseline": {"year": 2022, "value": baseline}} if baseline else {})
                | {"targets": {str(YEAR): target}, "values": {str(YEAR): {"value": actual}}}
                for i, (formula, direction, baseline, target, actual) in enumerate(EDGES)
            ],
        }
        doc["rules"]["grades"] = [
            {"level": LEVELS[0], "kinds": ["kpi"], "bands": [{"min": "12.5", "label": "上"}, {"min": None, "label": "下"}]}
        ]
        assert_same([plan_from_dict(doc)], YEAR)


# --- what the batch path declines ----------------------------------------------------------------


def test_rules_it_does_not_implement_are_left_to_the_engine():
    sousei = load_sample("kanagawa-sousei-3")
    median_rules = dataclasses.replace(sousei.rules, grades=(dataclasses.replace(sousei.rules.grades[0], aggregate="median"),))
    median = dataclasses.replace(sousei, rules=median_rules)
    with pytest.raises(Unsupported, match="aggregate"):
        check_implemented(median_rules)
    # One call with plans of both kinds: the table for those it implements, the engine for the other, in the order given.
    dx = load_sample("kanagawa-dx")
    mixed = [sousei, median, dx]
    assert evaluate_plans(mixed, 2024) == engine(mixed, 2024)
    assert evaluate_plans(mixed, 2024)[1].grades != engine([sousei], 2024)[0].grades  # the median really was used


def test_an_option_added_to_the_rules_later_is_declined_until_implemented():
    styled = dataclasses.make_dataclass("StyledGradeRule", [("style", str, "letters")], bases=(GradeRule,), frozen=True)
    rules = load_sample("kanagawa-sousei-3").rules
    grade = rules.grades[0]
    with pytest.raises(Unsupported, match="StyledGradeRule"):
        check_implemented(
            dataclasses.replace(rules, grades=(styled(**{f.name: getattr(grade, f.name) for f in dataclasses.fields(grade)}),))
        )


def test_rounding_caps_clamps_and_huge_values_on_synthetic_plans():
    """The synthetic generator's shapes under every rounding mode, with values beyond 64 bits."""
    for variant, mode in enumerate(ROUNDINGS):
        doc = generate.plan_document(0, "140007", "神奈川県", seed=variant)
        rules = copy.deepcopy(generate.RULES)
        rules["rate"] = {"rounding": mode, "decimals": variant % 3, "cap": ["100", None, "120.5", None, "99.95", "105"][variant]}
        doc["rules"] = rules
        for ind in doc["indicators"][:40:8]:
            if ind.get("direction") in ("higher", "lower") and not ind.get("parts"):
                ind["unit"] = "円"
                ind["targets"]["2027"] = "900兆円"
                ind["values"]["2027"] = {"value": "1,234,567,891,234,567,891円"}
        assert_same([plan_from_dict(doc)], 2027)
