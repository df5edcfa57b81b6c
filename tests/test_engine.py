"""The engine on small plans built for each rule: formulas, rounding, caps, parts, overrides."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from hyoka import evaluate, plan_from_dict
from hyoka.core.arithmetic import round_fraction, share
from hyoka.core.rules import Rounding
from hyoka.formats.evaluation import evaluation_dict

BASE: dict[str, Any] = {
    "format": "hyoka/1",
    "plan": {
        "id": "t",
        "name": "テスト計画",
        "organization": {"name": "テスト市", "code": "142034"},
        "period": {"start": 2024, "end": 2027},
        "levels": ["目標", "小柱"],
    },
    "rules": {"preset": "kanagawa-sousei"},
    "nodes": [{"id": "g", "parent": None, "level": "目標", "name": "目標"}, {"id": "s", "parent": "g", "level": "小柱", "name": "施策"}],
    "indicators": [],
}


def plan_with(indicators: list[dict[str, Any]], rules: dict[str, Any] | None = None) -> Any:
    doc = copy.deepcopy(BASE)
    doc["indicators"] = indicators
    if rules is not None:
        doc["rules"] = rules
    return plan_from_dict(doc)


def kpi(ind_id: str, target: str, actual: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": ind_id,
        "node": "s",
        "name": ind_id,
        "unit": "件",
        "targets": {"2024": target},
        "values": {"2024": {"value": actual}},
    } | extra


def test_three_formulas():
    plan = plan_with(
        [
            kpi("ratio", "55", "98"),
            kpi("progress", "0", "138", formula="progress", direction="lower", baseline={"year": 2022, "value": "222"}),
            kpi("inverse", "21,000 件 以下", "20,750", direction="lower"),
        ]
    )
    ev = evaluate(plan, 2024)
    assert str(ev.indicators["ratio"].rate.value) == "178.1"
    assert ev.indicators["ratio"].rate.exact == Fraction(9800, 55)
    assert str(ev.indicators["progress"].rate.value) == "37.8"
    assert str(ev.indicators["inverse"].rate.value) == "101.2"
    assert ev.indicators["inverse"].rate.formula == "inverse_ratio"  # lower is better without a formula


def test_units_with_multipliers_compare_in_one_unit():
    plan = plan_with([kpi("man", "3,451 万人", "34,000,000 人", unit="万人"), kpi("bare", "3,451", "3,500", unit="万人")])
    ev = evaluate(plan, 2024)
    assert str(ev.indicators["man"].rate.value) == "98.5"
    assert str(ev.indicators["bare"].rate.value) == "101.4"


def test_cap_keeps_the_uncapped_rate_and_feeds_the_mean():
    rules = {
        "rate": {"rounding": "half_up", "decimals": 1, "cap": "100"},
        "grades": [{"level": "小柱", "bands": [{"min": "100", "label": "順調"}, {"min": None, "label": "遅れ"}]}],
    }
    plan = plan_with([kpi("a", "80", "100"), kpi("b", "100", "100")], rules)
    ev = evaluate(plan, 2024)
    rate = ev.indicators["a"].rate
    assert (str(rate.value), str(rate.uncapped)) == ("100.0", "125.0")
    grade = ev.nodes["s"].grade
    assert str(grade.mean) == "100.0" and grade.label == "順調"
    doc = evaluation_dict(ev)
    assert doc["indicators"][0]["rate"] == "100.0" and doc["indicators"][0]["rate_uncapped"] == "125.0"
    assert "上限 100.0%" in doc["indicators"][0]["explanation"]


def test_half_up_rounding_of_rates():
    plan = plan_with([kpi("a", "80", "65")], {"preset": "kanagawa-sousei", "rate": {"rounding": "half_up", "decimals": 1}})
    assert str(evaluate(plan, 2024).indicators["a"].rate.value) == "81.3"  # 81.25 → 81.3
    plan = plan_with([kpi("a", "80", "65")])
    assert str(evaluate(plan, 2024).indicators["a"].rate.value) == "81.2"  # truncated


def test_no_rate_reasons():
    plan = plan_with(
        [
            kpi("pending", "10", "2026年９月頃把握予定"),
            kpi("unmeasurable", "10", "―※"),
            kpi("no_target", "―", "5"),
            kpi("zero", "0", "0"),
            {"id": "empty", "node": "s", "name": "empty", "targets": {"2024": "10"}},
        ]
    )
    ev = evaluate(plan, 2024)
    reasons = {k: r.rate.reason.value for k, r in ev.indicators.items()}
    assert reasons == {
        "pending": "pending",
        "unmeasurable": "unmeasurable",
        "no_target": "no_target",
        "zero": "zero_denominator",
        "empty": "no_value",
    }
    assert ev.indicators["pending"].rate.expected == "2026-09"
    assert ev.nodes["s"].grade.label == "ＫＰＩ未把握"


def test_boundary_is_inclusive_and_missing_rates_are_left_out():
    plan = plan_with([kpi("a", "100", "90"), kpi("b", "10", "2026年９月頃把握予定")])
    grade = evaluate(plan, 2024).nodes["s"].grade
    assert str(grade.mean) == "90.0" and grade.label == "順調に進んでいます"
    assert [e[0] for e in grade.excluded] == ["b"]


DX = {"preset": "kanagawa-dx"}


def test_judgement_parts_worst_pending_and_override():
    parts = [
        {"id": "p1", "label": "①", "targets": {"2024": "750件"}, "values": {"2024": {"value": "566件"}}},
        {"id": "p2", "label": "②", "targets": {"2024": "2,000件"}, "values": {"2024": {"value": "2,407件"}}},
    ]
    pending_parts = [parts[1], {"id": "p3", "label": "③", "targets": {"2024": "5%"}, "values": {"2024": {"value": "※"}}}]
    plan = plan_with(
        [
            {"id": "worst", "node": "s", "name": "worst", "parts": parts},
            {"id": "pending", "node": "s", "name": "pending", "parts": pending_parts},
            kpi(
                "override",
                "0.0%",
                "5.3%",
                direction="lower",
                values={"2024": {"value": "5.3%", "judgement": "○", "judgement_reason": "会議で判断"}},
            ),
            kpi("text", "運用開始", "運用 開始", direction="qualitative"),
            kpi("boundary", "90％以上", "89.85%"),
        ],
        DX,
    )
    ev = evaluate(plan, 2024)
    assert ev.indicators["worst"].judgement.symbol == "△"
    assert ev.indicators["pending"].judgement.symbol == "■"
    override = ev.indicators["override"].judgement
    assert (override.symbol, override.computed.symbol) == ("○", "△")
    assert ev.indicators["text"].judgement.symbol == "◎"
    assert ev.indicators["boundary"].judgement.symbol == "○"


def test_plan_grade_of_a_user_defined_rule_set():
    rules = {
        "rate": {"rounding": "truncate", "decimals": 1, "cap": "100"},
        "grades": [
            {"level": "小柱", "bands": [{"min": "100", "label": "S"}, {"min": "80", "label": "A"}, {"min": None, "label": "B"}]},
            {
                "level": "plan",
                "source": "grades",
                "of_level": "小柱",
                "bands": [{"min": "95", "label": "計画どおり"}, {"min": None, "label": "要改善"}],
            },
        ],
    }
    plan = plan_with([kpi("a", "100", "90"), kpi("b", "100", "70")], rules)
    ev = evaluate(plan, 2024)
    assert str(ev.nodes["s"].grade.mean) == "80.0" and ev.nodes["s"].grade.label == "A"
    assert ev.plan_grade is not None and str(ev.plan_grade.mean) == "80.0" and ev.plan_grade.label == "要改善"


def test_share_rounding_half_up():
    assert share(4, 64, Rounding("half_up", 1)) == Decimal("6.3")
    assert share(126, 169, Rounding("half_up", 1)) == Decimal("74.6")
    assert share(1, 0, Rounding("half_up", 1)) is None


@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_ratio_is_exact_and_truncation_never_exceeds_it(a, t):
    plan = plan_with([kpi("x", str(t), str(a))])
    rate = evaluate(plan, 2024).indicators["x"].rate
    assert rate.exact == Fraction(a * 100, t)
    shown = Fraction(rate.value)
    assert abs(shown) <= abs(rate.exact) < abs(shown) + Fraction(1, 10)


@given(
    st.fractions(min_value=-1000, max_value=1000),
    st.sampled_from(["truncate", "half_up", "half_even", "floor", "ceiling"]),
    st.integers(0, 3),
)
def test_rounding_modes(value, mode, decimals):
    out = Fraction(round_fraction(value, Rounding(mode, decimals)))
    step = Fraction(1, 10**decimals)
    assert abs(out - value) <= step
    if mode == "floor":
        assert out <= value
    if mode == "ceiling":
        assert out >= value
    if mode == "truncate":
        assert abs(out) <= abs(value)
    if mode in ("half_up", "half_even"):
        assert abs(out - value) <= step / 2
