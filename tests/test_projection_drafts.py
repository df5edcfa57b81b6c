"""Outlook toward the final target (Open SDG's progress measure) and draft sentences."""

from __future__ import annotations

import copy
from decimal import Decimal, localcontext

import pytest

from hyoka import evaluate, plan_from_dict
from hyoka.core.drafts import draft_for_node
from hyoka.core.projection import Outlook, project

DOC = {
    "format": "hyoka/1",
    "plan": {
        "id": "p",
        "name": "計画",
        "organization": {"name": "神奈川県", "code": "140007"},
        "period": {"start": 2024, "end": 2027},
        "levels": ["小柱"],
    },
    "rules": {"preset": "kanagawa-sousei"},
    "nodes": [{"id": "n", "parent": None, "level": "小柱", "name": "小柱"}],
    "indicators": [],
}


def series(baseline: str, actual: str, target: str, direction: str = "higher"):
    doc = copy.deepcopy(DOC)
    doc["indicators"] = [
        {
            "id": "i",
            "node": "n",
            "name": "指標",
            "unit": "件",
            "direction": direction,
            "baseline": {"year": 2022, "value": baseline},
            "targets": {"2024": target, "2027": target},
            "values": {"2024": {"value": actual}},
        }
    ]
    return plan_from_dict(doc).indicators[0]


@pytest.mark.parametrize(
    ("baseline", "actual", "target", "direction", "outlook"),
    [
        ("100", "121", "150", "higher", Outlook.ON_TRACK),  # 10 %/yr observed, 8.4 %/yr needed
        ("100", "110", "200", "higher", Outlook.LIMITED),  # 4.9 %/yr vs 14.9 %/yr: R ≈ 0.33
        ("100", "110", "130", "higher", Outlook.ACCELERATION_NEEDED),  # 4.88 %/yr vs 5.39 %/yr: R ≈ 0.91
        ("100", "90", "150", "higher", Outlook.DETERIORATION),
        ("100", "160", "150", "higher", Outlook.ACHIEVED),
        ("200", "150", "100", "lower", Outlook.ON_TRACK),
        ("200", "210", "100", "lower", Outlook.DETERIORATION),
        ("222", "138", "0", "lower", Outlook.ACCELERATION_NEEDED),  # target 0: linear method
    ],
)
def test_outlooks(baseline, actual, target, direction, outlook):
    ind = series(baseline, actual, target, direction)
    p = project(ind, 2024, 2027)
    assert p is not None
    assert p.outlook is outlook
    if outlook is not Outlook.ACHIEVED:
        assert p.ratio is not None and p.explanation("件").endswith("。")


def test_ratio_is_observed_over_required_growth():
    p = project(series("100", "110", "200"), 2024, 2027)
    with localcontext() as ctx:
        ctx.prec = 50
        observed = Decimal("1.1").sqrt() - 1
        required = Decimal(2) ** (Decimal(1) / 5) - 1
        assert abs(p.ratio - observed / required) < Decimal("1e-30")
    assert p.method == "cagr" and p.outlook is Outlook.LIMITED
    linear = project(series("222", "138", "0", "lower"), 2024, 2027)
    assert linear.method == "linear" and abs(linear.ratio - Decimal(42) / Decimal("44.4")) < Decimal("1e-25")


def test_no_projection_without_history(sousei_plan):
    unemployment = sousei_plan.indicator_by_id["1-t3"]  # only a 2024 actual, no baseline
    assert project(unemployment, 2024, 2027) is None


def test_drafts_from_the_evaluation(sousei_plan, dx_plan):
    ev = evaluate(sousei_plan, 2024)
    assert draft_for_node(ev, "3-2-1") == [
        "ＫＰＩ3件の達成率の平均は79.2%となり、概ね順調に進んでいます。",
        "達成率を算出した3件のうち2件で目標を達成しました。",
        "「保育所等利用待機児童数」は達成率37.8%にとどまっており、要因の分析と取組の強化が必要です。",
    ]
    pending = draft_for_node(ev, "2-1-1")
    assert pending[0] == "2024年度の実績を把握できた指標がなく、評価は『ＫＰＩ未把握』です。"
    assert "2026年1月頃に把握予定" in pending[1]
    dx = draft_for_node(evaluate(dx_plan, 2024), "m9-5")
    assert dx[-1].endswith("は未達成でした。未達成の理由と今後の見込みを記載してください。")
