"""Acceptance: seed 000's published 2024 rates and 小柱 statuses, through the public interfaces."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest

from hyoka import evaluate
from hyoka.formats.evaluation import evaluation_dict

SMALL = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫"


def published_rates(ref: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(indicator id, part) → printed 2024 rate, from the digitized report."""
    out: dict[tuple[str, str], str] = {}
    for goal in ref["goals"]:
        for m, mid in enumerate(goal["mid_pillars"], 1):
            for small in mid["small_pillars"]:
                sid = f"{goal['id']}-{m}-{SMALL.index(small['id']) + 1}"
                for k, kpi in enumerate(small["kpis"], 1):
                    if kpi["reported_rate_2024_by_group"]:
                        for label, rate in kpi["reported_rate_2024_by_group"].items():
                            out[(f"{sid}-k{k}", label)] = f"{Decimal(str(rate)):.1f}"
                    elif kpi["reported_rate_2024"] is not None:
                        out[(f"{sid}-k{k}", "")] = f"{Decimal(str(kpi['reported_rate_2024'])):.1f}"
    return out


def published_statuses(ref: dict[str, Any]) -> dict[str, str]:
    return {
        f"{goal['id']}-{m}-{SMALL.index(small['id']) + 1}": small["reported_status"]
        for goal in ref["goals"]
        for m, mid in enumerate(goal["mid_pillars"], 1)
        for small in mid["small_pillars"]
    }


@pytest.fixture(scope="module")
def cli_json() -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "hyoka.cli", "evaluate", "kanagawa-sousei-3", "--year", "2024", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def computed_rates(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    out = {}
    for ind in doc["indicators"]:
        if ind.get("parts"):
            for p in ind["parts"]:
                if p["rate"] is not None:
                    out[(ind["id"], p["label"])] = p["rate"]
        elif ind["rate"] is not None:
            out[(ind["id"], "")] = ind["rate"]
    return out


def test_all_85_printed_rates_through_the_cli(sousei_ref, cli_json):
    printed = published_rates(sousei_ref)
    assert len(printed) == 85
    computed = computed_rates(cli_json)
    assert computed == printed  # same set of KPIs with a rate, and every value exact


def test_all_36_statuses_through_the_cli(sousei_ref, cli_json):
    printed = published_statuses(sousei_ref)
    assert len(printed) == 36
    computed = {n["id"]: n["label"] for n in cli_json["nodes"] if n["level"] == "小柱"}
    assert computed == printed
    counts = cli_json["summary"]["grades"]["小柱"]["overall"]["counts"]
    assert counts == {"順調に進んでいます": 25, "概ね順調に進んでいます": 5, "やや遅れています": 1, "遅れています": 0, "ＫＰＩ未把握": 5}


def test_the_python_api_gives_the_same_numbers(sousei_ref, sousei_plan):
    doc = evaluation_dict(evaluate(sousei_plan, 2024))
    assert computed_rates(doc) == published_rates(sousei_ref)
    assert {n["id"]: n["label"] for n in doc["nodes"] if n["level"] == "小柱"} == published_statuses(sousei_ref)


def test_the_three_roundings_and_the_clamp(sousei_plan):
    ev = evaluate(sousei_plan, 2024)
    robot = ev.indicators["1-1-2-k1"].rate  # 98/55 = 178.18… printed 178.1 (truncated)
    assert str(robot.value) == "178.1" and robot.exact is not None and robot.exact > Decimal("178.15")
    sports = ev.indicators["4-1-4-k3"].rate  # (785−623)/(783−623) = 101.25 → 101.2 (truncated, not 101.3)
    assert str(sports.value) == "101.2"
    anti_crime = ev.indicators["4-3-2-k2"].rate  # negative rate printed as is
    assert str(anti_crime.value) == "-250.0"
    grade = ev.nodes["4-3-2"].grade  # −250 counts as 0 in the mean: 83.625 → 83.6
    assert str(grade.mean) == "83.6" and grade.label == "概ね順調に進んでいます"
    assert [str(i.used) for i in grade.inputs if i.source_id == "4-3-2-k2"] == ["0"]


def test_explanations_name_the_inputs(sousei_plan):
    doc = evaluation_dict(evaluate(sousei_plan, 2024))
    by_id = {n["id"]: n for n in doc["nodes"]}
    assert by_id["3-2-1"]["explanation"] == (
        "小柱のＫＰＩ達成率（0〜100% に丸めた値）（3 件）の平均（達成率のない 2 件は除く） 79.2% が 75% 以上 90% 未満 のため『概ね順調に進んでいます』。"
    )
    kpis = {i["id"]: i for i in doc["indicators"]}
    assert "（実績値 138 人 − 基準値 222 人）÷（目標値 ０人 − 基準値 222 人）× 100 = 37.8%" in kpis["3-2-1-k2"]["explanation"]
    assert "2027年9月頃に把握予定" in kpis["1-2-1-k1"]["explanation"]
    assert kpis["3-3-1-k1"]["status"] == "estimate" and "見込値" in kpis["3-3-1-k1"]["explanation"]
    assert kpis["3-3-3-k1"]["no_rate_reason"] == "unmeasurable"
    assert kpis["3-1-2-k2"]["no_rate_reason"] == "no_target"  # added in the 令和７年３月 revision
    assert kpis["4-3-3-k5"]["no_rate_reason"] == "zero_denominator"  # target 0 箇所
