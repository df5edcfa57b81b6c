"""One display style: however a figure was typed, it is printed one way, as the plan's style says."""

from __future__ import annotations

import pytest

from hyoka.core.display import entry_text, percent_text
from hyoka.core.errors import InputError
from hyoka.core.notation import value_text
from hyoka.core.rules import Display, parse_rules
from hyoka.core.values import parse_value
from hyoka.formats.hyoka1 import value_from_dict

PLAIN = Display()
SPACED = Display(unit_space=True, percent="%")

PRINTED = [
    # typed, indicator unit, plain style, spaced style
    ("５０．０％", "%", "50.0％", "50.0%"),
    ("50.0%", "％", "50.0％", "50.0%"),
    ("１，２３４件", "件", "1,234件", "1,234 件"),
    ("1234", "件", "1,234件", "1,234 件"),
    ("1,234 件", "件", "1,234件", "1,234 件"),
    ("2609", "万人", "2,609万人", "2,609 万人"),
    ("2,609万人泊", "万人泊", "2,609万人泊", "2,609 万人泊"),
    ("25,000人", "万人", "2.5万人", "2.5 万人"),
    ("176.0 万 kW", "万kW", "176.0万kW", "176.0 万kW"),
    ("35 兆 3,716 億円", "億円", "353,716億円", "353,716 億円"),
    ("-5％", "%", "-5％", "-5%"),
    ("△436人", "人", "-436人", "-436 人"),
    ("21,000 件 以下", "件", "21,000件以下", "21,000 件以下"),
    ("約1,700件", "件", "約1,700件", "約1,700 件"),
    ("１公園※", "公園", "1公園※", "1 公園※"),
    ("5,661 件", "回", "5,661件", "5,661 件"),  # a published slip keeps its own unit: nothing is converted silently
    ("2026年９月頃把握予定", "件", "2026年９月頃把握予定", "2026年９月頃把握予定"),
]


@pytest.mark.parametrize(("typed", "unit", "plain", "spaced"), PRINTED)
def test_a_figure_is_printed_in_the_plans_style(typed: str, unit: str, plain: str, spaced: str) -> None:
    parsed = parse_value(typed)
    assert entry_text(parsed, unit, PLAIN) == plain
    assert entry_text(parsed, unit, SPACED) == spaced


def test_the_typed_text_stays_in_the_record() -> None:
    value = value_from_dict({"value": "１，２３４件（見込値）", "status": "estimate"}, "x")
    assert value.entry.text == "１，２３４件（見込値）"
    assert value_text(value, "件", PLAIN) == "1,234件 (見込値)"


def test_rates_use_the_same_percent_sign() -> None:
    assert percent_text("108.0", PLAIN) == "108.0％" and percent_text("108.0", SPACED) == "108.0%"
    assert percent_text(None, PLAIN) == "―"


def test_the_style_is_a_rule_set_option_with_checked_values() -> None:
    assert parse_rules({"preset": "kanagawa-sousei"}).display == Display(unit_space=True)
    assert parse_rules({"preset": "kanagawa-dx"}).display == Display(percent="%")
    assert parse_rules({"preset": "kanagawa-dx", "display": {"unit_space": True}}).display.unit_space
    with pytest.raises(InputError) as e:
        parse_rules({"preset": "kanagawa-dx", "display": {"unit_space": "yes", "percent": "パーセント"}})
    assert [p.where for p in e.value.problems] == ["rules.display.unit_space", "rules.display.percent"]
