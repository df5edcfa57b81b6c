"""Rule sets as data: presets, user-defined rules, and errors with the JSON path of the option."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hyoka.core.errors import InputError
from hyoka.core.rules import PRESETS, parse_rules


def test_presets_parse():
    sousei = parse_rules({"preset": "kanagawa-sousei"})
    assert sousei.rate.rounding.mode == "truncate" and sousei.rate.cap is None
    assert sousei.grades[0].level == "小柱" and sousei.grades[0].clamp == (Decimal(0), Decimal(100))
    dx = parse_rules({"preset": "kanagawa-dx"})
    assert dx.judgement is not None and [b.symbol for b in dx.judgement.bands] == ["◎", "○", "△"]
    assert dx.judgement.pending.symbol == "■"


def test_options_beside_a_preset_override_it():
    rules = parse_rules({"preset": "kanagawa-sousei", "rate": {"rounding": "half_up", "decimals": 0, "cap": "100"}})
    assert rules.rate.rounding.mode == "half_up" and rules.rate.rounding.decimals == 0 and rules.rate.cap == Decimal(100)
    assert rules.grades[0].level == "小柱"


def test_the_form_of_the_issue_is_accepted():
    spec = {
        "rate": {"rounding": "truncate", "decimals": 1, "cap": "100"},
        "grades": [
            {
                "level": "小柱",
                "source": "indicators",
                "scope": "own",
                "kinds": ["kpi"],
                "clamp": ["0", "100"],
                "aggregate": "mean",
                "bands": [
                    {"min": "90", "label": "順調に進んでいます"},
                    {"min": "75", "label": "概ね順調に進んでいます"},
                    {"min": "60", "label": "やや遅れています"},
                    {"min": None, "label": "遅れています"},
                ],
                "no_data": "ＫＰＩ未把握",
            },
            {
                "level": "plan",
                "source": "grades",
                "of_level": "小柱",
                "aggregate": "mean",
                "bands": [{"min": "95", "label": "A"}, {"min": None, "label": "B"}],
            },
        ],
        "judgement": {
            "bands": [
                {"min": "100", "symbol": "◎", "label": "達成"},
                {"min": "80", "symbol": "○", "label": "概ね達成"},
                {"min": None, "symbol": "△", "label": "未達成"},
            ],
            "pending": {"symbol": "■", "label": "集計中"},
            "parts": "worst",
        },
    }
    rules = parse_rules(spec)
    assert rules.grades[1].is_plan and rules.grades[1].of_level == "小柱"


@pytest.mark.parametrize(
    ("spec", "where", "fragment"),
    [
        ({"preset": "nope"}, "rules.preset", "プリセット「nope」"),
        ({"rate": {"rounding": "round"}}, "rules.rate.rounding", "丸め方"),
        ({"rate": {"decimals": 9}}, "rules.rate.decimals", "小数桁数"),
        ({"rate": {"cap": "abc"}}, "rules.rate.cap", "数値ではありません"),
        ({"rate": {"cap": 100.5}}, "rules.rate.cap", "文字列または整数"),
        ({"colour": "red"}, "rules.colour", "不明なオプション"),
        ({"grades": [{"level": "小柱", "bands": [{"min": "90", "label": "A"}], "wat": 1}]}, "rules.grades[0].wat", "不明なオプション"),
        ({"grades": [{"level": "小柱", "bands": [{"min": "90", "label": "A"}]}]}, "rules.grades[0].bands[0].min", "最後の区分"),
        (
            {
                "grades": [
                    {"level": "小柱", "bands": [{"min": "60", "label": "A"}, {"min": "90", "label": "B"}, {"min": None, "label": "C"}]}
                ]
            },
            "rules.grades[0].bands[1].min",
            "大きい順",
        ),
        (
            {"grades": [{"level": "小柱", "aggregate": "avg", "bands": [{"min": None, "label": "A"}]}]},
            "rules.grades[0].aggregate",
            "aggregate",
        ),
        (
            {"grades": [{"level": "plan", "source": "grades", "bands": [{"min": None, "label": "A"}]}]},
            "rules.grades[0].of_level",
            "of_level",
        ),
        (
            {"grades": [{"level": "plan", "source": "grades", "of_level": "小柱", "bands": [{"min": None, "label": "A"}]}]},
            "rules.grades[0].of_level",
            "評価ルールがありません",
        ),
        (
            {"grades": [{"level": "x", "clamp": ["100", "0"], "bands": [{"min": None, "label": "A"}]}]},
            "rules.grades[0].clamp",
            "下限が上限",
        ),
        ({"judgement": {"bands": [{"min": None, "label": "A"}]}}, "rules.judgement.bands[0].symbol", "symbol"),
        (
            {"grades": [{"level": "x", "source": "judgements", "count": ["◎"], "bands": [{"min": None, "label": "A"}]}]},
            "rules.grades[0].source",
            "judgement ルールが必要",
        ),
    ],
)
def test_errors_name_the_option(spec, where, fragment):
    with pytest.raises(InputError) as e:
        parse_rules(spec)
    assert any(p.where == where and fragment in p.message for p in e.value.problems), str(e.value)


def test_every_problem_at_once():
    with pytest.raises(InputError) as e:
        parse_rules({"rate": {"rounding": "x", "decimals": -1}, "extra": 1})
    assert len(e.value.problems) == 3


def test_presets_are_data():
    for name, spec in PRESETS.items():
        assert parse_rules(spec).name == spec["name"], name
