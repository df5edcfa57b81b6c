"""Plausibility: figures that parse but look wrong are doubted (warnings), with thresholds from the rule set."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from hyoka.core.errors import InputError
from hyoka.core.plausibility import doubts
from hyoka.core.rules import parse_rules
from hyoka.formats.hyoka1 import plan_from_dict

DOC: dict[str, Any] = {
    "format": "hyoka/1",
    "plan": {"id": "t", "name": "t", "organization": {"name": "t"}, "period": {"start": 2024, "end": 2027}, "levels": ["施策"]},
    "rules": {"preset": "kanagawa-dx"},
    "nodes": [{"id": "n", "parent": None, "level": "施策", "number": "1", "name": "n"}],
    "indicators": [
        {
            "id": "rate",
            "node": "n",
            "name": "女性の就業率",
            "unit": "%",
            "targets": {"2025": "60"},
            "values": {"2024": "55", "2025": "-5％"},
        },
        {"id": "share", "node": "n", "name": "新卒者の就職率", "unit": "%", "targets": {"2025": "95"}, "values": {"2025": "150％"}},
        {"id": "percent", "node": "n", "name": "前年比", "unit": "%", "values": {"2025": "250％"}},
        {
            "id": "achievement",
            "node": "n",
            "name": "相談件数",
            "unit": "件",
            "targets": {"2025": "100"},
            "values": {"2025": "１，２３４件"},
        },
        {"id": "jump", "node": "n", "name": "来訪者数", "unit": "万人", "values": {"2023": "2", "2025": "12"}},
        {"id": "count", "node": "n", "name": "参加者数", "unit": "人", "values": {"2025": "-3"}},
        {"id": "fine", "node": "n", "name": "参加者数", "unit": "人", "targets": {"2025": "100"}, "values": {"2024": "60", "2025": "95"}},
    ],
}


def _doubts(doc: dict[str, Any]) -> dict[str, list[str]]:
    plan = plan_from_dict(doc)
    return {ind.id: [p.message for p in doubts(ind, 2025, plan.rules, f"{ind.id}.values.2025")] for ind in plan.indicators}


def test_each_kind_of_slip_is_doubted_once_and_a_plausible_figure_is_not() -> None:
    found = _doubts(DOC)
    assert found["rate"] == ["割合・率が負の値（-5%）です", "2024年度の 55% から -5% に変わっています（-0.09 倍）"]
    assert found["share"] == ["割合が 100% を超えています（150%）"]
    assert found["percent"] == ["値が 200% を超えています（250%）"]
    assert found["achievement"] == ["達成率が 1,234.0% になります（目標値 100件、目安 200% 超）"]
    assert found["jump"] == ["2023年度の 2万人 から 12万人 に変わっています（6 倍）"]
    assert found["count"] == ["負の値（-3人）です"]
    assert found["fine"] == []


def test_a_doubt_names_its_place_and_the_text_typed() -> None:
    plan = plan_from_dict(DOC)
    [problem] = doubts(plan.indicator_by_id["count"], 2025, plan.rules, "indicators[count].values.2025")
    assert (problem.where, problem.text, problem.message_en) == ("indicators[count].values.2025", "-3", "a negative count (-3人)")


@pytest.mark.parametrize(
    ("option", "value", "indicator"),
    [("share_max", None, "share"), ("percent_max", "300", "percent"), ("achievement_max", "2000", "achievement"), ("jump", "600", "jump")],
)
def test_the_thresholds_are_the_rule_sets(option: str, value: str | None, indicator: str) -> None:
    doc = copy.deepcopy(DOC)
    doc["rules"] = {"preset": "kanagawa-dx", "plausibility": {option: value}}
    assert _doubts(doc)[indicator] == []


def test_negative_figures_can_be_allowed() -> None:
    doc = copy.deepcopy(DOC)
    doc["rules"] = {"preset": "kanagawa-dx", "plausibility": {"negative": False, "jump": None}}
    assert _doubts(doc)["count"] == [] and _doubts(doc)["rate"] == []


def test_a_wrong_threshold_is_named_by_its_path() -> None:
    with pytest.raises(InputError) as e:
        parse_rules({"preset": "kanagawa-dx", "plausibility": {"jump": "-1", "share_words": "率", "negative": "no", "typo": 1}})
    assert sorted(p.where for p in e.value.problems) == [
        "rules.plausibility.jump",
        "rules.plausibility.negative",
        "rules.plausibility.share_words",
        "rules.plausibility.typo",
    ]
