"""Evaluation styles beyond the seeds, each measure and preset on examples computed by hand.

The numbers in the comments are the hand computation; each test states the published
rule it follows (docs/rules.md quotes the source).
"""

from __future__ import annotations

import copy
import csv
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import frictionless
import pytest

from hyoka import evaluate, plan_from_dict
from hyoka.core.batch import TableBuilder, Unsupported, evaluate_table
from hyoka.core.errors import InputError
from hyoka.core.rules import PRESETS, parse_rules
from hyoka.core.styles import STYLE_PRESETS
from hyoka.formats.csvpackage.read import read_package
from hyoka.formats.csvpackage.write import write_package
from hyoka.formats.evaluation import evaluation_dict, evaluation_table
from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.reports import build_report, render_report
from hyoka.reports.document import Table
from hyoka.site import paths as site_paths
from hyoka.site.published import published_plan
from hyoka.site.render import Site

PLAN: dict[str, Any] = {
    "format": "hyoka/1",
    "plan": {
        "id": "s",
        "name": "様式の試験",
        "organization": {"name": "テスト町", "code": "142034"},
        "period": {"start": 2015, "end": 2030},
        "levels": ["施策"],
    },
    "nodes": [{"id": "n", "parent": None, "level": "施策", "name": "施策"}],
    "indicators": [],
}


def plan_of(rules: dict[str, Any], *indicators: dict[str, Any]) -> Any:
    doc = copy.deepcopy(PLAN)
    doc["rules"] = rules
    doc["indicators"] = list(indicators)
    return plan_from_dict(doc)


def ind(ident: str, baseline: tuple[int, str] | None, targets: dict[int, str], values: dict[int, str], **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ident,
        "node": "n",
        "name": ident,
        "unit": extra.pop("unit", "件"),
        "targets": {str(y): t for y, t in targets.items()},
        "values": {
            str(y): ({"value": v} if v != "pending" else {"value": "", "status": "pending", "expected": "2026-09"})
            for y, v in values.items()
        },
    }
    if baseline is not None:
        out["baseline"] = {"year": baseline[0], "value": baseline[1]}
    return out | extra


def result(rules: dict[str, Any], year: int, *indicators: dict[str, Any]) -> Any:
    return evaluate(plan_of(rules, *indicators), year)


# --- measures ------------------------------------------------------------------------------------


def test_the_newest_value_within_the_window_is_judged_and_its_year_is_kept():
    """最新値評価: the 2024 evaluation judges the 2022 figure (2023 is pending) against the final target."""
    i = ind("i", (2020, "60"), {2024: "100", 2027: "120"}, {2022: "80", 2023: "pending"})
    ev = result({"measures": {"window": 2, "reference": "final"}}, 2024, i)
    r = ev.indicators["i"].rate
    assert r.basis.data_year == 2022 and r.basis.lag == 2 and r.basis.target_year == 2027
    assert r.exact == Fraction(80 * 100, 120) and str(r.value) == "66.6"  # 80 ÷ 120 = 66.66… truncated
    # One year of window is not enough: 2023 has no figure, 2022 is two years back, so there is no rate.
    short = result({"measures": {"window": 1, "reference": "final"}}, 2024, i).indicators["i"].rate
    assert short.value is None and short.reason.value == "no_value"
    # The seeds' rule (no window, same year) finds no 2024 value at all.
    assert result({}, 2024, i).indicators["i"].rate.value is None


def test_same_year_reference_with_a_window_compares_the_data_years_target():
    i = ind("i", None, {2022: "90", 2024: "100"}, {2022: "81"})
    r = result({"measures": {"window": 3}}, 2024, i).indicators["i"].rate
    assert r.basis.data_year == 2022 and r.basis.target_year == 2022 and str(r.value) == "90.0"  # 81 ÷ 90


def test_the_meyasu_on_the_line_from_baseline_to_final_target():
    """目安値 of 2024 on the line (2020, 100) → (2030, 200): 100 + 100 × 4/10 = 140."""
    i = ind("i", (2020, "100"), {2030: "200"}, {2024: "133"}, final_target_year=2030)
    ratio = result({"measures": {"reference": "interpolated"}}, 2024, i).indicators["i"]
    assert ratio.rate.quantities.target == 140 and ratio.rate.quantities.target_text == "140"
    assert ratio.rate.exact == Fraction(13300, 140)  # 133 ÷ 140 = 95 %
    progress = result({"measures": {"reference": "interpolated", "formula": "progress"}}, 2024, i).indicators["i"]
    assert progress.rate.exact == Fraction(3300, 40) and str(progress.rate.value) == "82.5"  # (133 − 100) ÷ (140 − 100)
    assert progress.own.measures.line == 140 and progress.own.measures.position == "below"


def test_a_meyasu_that_does_not_end_is_exact_and_shown_rounded():
    i = ind("i", (2021, "100"), {2024: "200"}, {2023: "150"})
    r = result({"measures": {"reference": "interpolated"}}, 2023, i).indicators["i"].rate
    assert r.quantities.target == Fraction(500, 3) and r.quantities.target_text == "約166.67"  # 100 + 100 × 2/3
    assert r.exact == Fraction(150 * 100 * 3, 500)  # 90 % exactly, no float on the way


def test_elapsed_share_equals_progress_against_the_meyasu():
    """多摩市 and the growth strategy: progress toward the final target ÷ the elapsed share of the period."""
    i = ind("i", (2014, "22.6"), {2019: "35.0"}, {2015: "24.6"}, unit="ha")
    share = result({"measures": {"reference": "elapsed_share"}}, 2015, i).indicators["i"]
    m = share.own.measures
    assert m.elapsed == 20 and m.progress == Fraction(2000, 124)  # (24.6 − 22.6) ÷ (35.0 − 22.6) = 16.129… %
    assert share.rate.exact == Fraction(2000, 124) / Fraction(20) * 100  # 16.129… % ÷ 20 % = 80.6 %
    assert str(share.rate.value) == "80.6"
    meyasu = result({"measures": {"reference": "interpolated", "formula": "progress"}}, 2015, i).indicators["i"]
    assert meyasu.rate.exact == share.rate.exact


def test_elapsed_share_needs_a_baseline_year():
    i = ind("i", None, {2019: "35.0"}, {2015: "24.6"})
    r = result({"measures": {"reference": "elapsed_share"}}, 2015, i).indicators["i"].rate
    assert r.value is None and r.reason.value == "no_baseline"


def test_change_from_the_baseline_is_direction_aware():
    up = ind("up", (2015, "100"), {2020: "120"}, {2019: "91"})
    down = ind("down", (2015, "100"), {2020: "80"}, {2019: "91"}, direction="lower")
    ev = result({"judgements": [{"name": "t", "conditions": [{"symbol": "x", "label": "x"}]}]}, 2019, up, down)
    assert ev.indicators["up"].own.measures.change == -9 and ev.indicators["up"].own.measures.change_points == -9
    assert ev.indicators["down"].own.measures.change == 9 and ev.indicators["down"].own.measures.change_points == 9


def test_change_points_are_in_the_indicators_unit():
    i = ind("i", (2015, "3万"), {2020: "4"}, {2019: "3.5"}, unit="万人")
    m = result({}, 2019, i).indicators["i"].own.measures
    assert m.change_points == Fraction(1, 2) and m.change == Fraction(50, 3)  # 0.5 万人, 0.5 ÷ 3 = 16.67 %


def test_a_relative_change_from_a_zero_baseline_has_no_value():
    i = ind("i", (2015, "0"), {2020: "10"}, {2019: "3"})
    m = result({}, 2019, i).indicators["i"].own.measures
    assert m.change is None and m.change_points == 3


def test_outlook_thresholds_are_rule_options():
    """R ≈ 0.91 (100 → 110 in two years, 130 needed in five) is 'acceleration' by Open SDG, 'on track' at 0.9."""
    i = ind("i", (2022, "100"), {2027: "130"}, {2024: "110"})
    judgement = {"name": "o", "conditions": [{"symbol": "◎", "label": "見込みあり", "when": {"outlook": ["on_track", "achieved"]}}]}
    default = result({"judgements": [judgement]}, 2024, i).indicators["i"]
    assert default.own.measures.outlook == "acceleration_needed" and default.judgements["o"].symbol == "―"
    moved = result({"judgements": [judgement], "measures": {"outlook": {"on_track": "0.9"}}}, 2024, i).indicators["i"]
    assert moved.own.measures.outlook == "on_track" and moved.judgements["o"].symbol == "◎"


# --- presets -------------------------------------------------------------------------------------


def judged(preset: str, year: int, *indicators: dict[str, Any], name: str | None = None) -> dict[str, str]:
    """Symbol of each indicator under *preset*: its named judgement (the first one when *name* is None) or ◎○△."""
    ev = result({"preset": preset}, year, *indicators)
    rules = ev.rules
    key = name or (rules.judgements[0].name if rules.judgements else None)
    return {i: r.judgement_named(key).symbol for i, r in ev.indicators.items()}


def test_every_style_preset_parses_and_names_its_source():
    assert len(STYLE_PRESETS) >= 4
    for name in STYLE_PRESETS:
        rules = parse_rules({"preset": name})
        assert rules.source and rules.description and name in PRESETS
        assert rules.judgements or rules.judgement is not None


def kenko(ident: str, value: str, *, baseline: str = "20.0", target: str = "30.0", **extra: Any) -> dict[str, Any]:
    """健康日本21 style: baseline 2012, target 2022, the newest figure of 2019 judged in 2022 (three years' lag)."""
    return ind(ident, (2012, baseline), {2022: target}, {2019: value}, unit="%", **extra)


def test_kenko_nippon21_a_b_bstar_c_d_e():
    """Line at 2019: 20 + 10 × 7/10 = 27.0. B and D need a relative change of 5 % or more (20 → 21 is +5 %)."""
    symbols = judged(
        "kenko-nippon21",
        2022,
        kenko("reached", "30.5"),  # at or over the target: A
        kenko("above", "27.5"),  # +37.5 %, above the line 27.0: B
        kenko("on", "27.0"),  # on the line counts as not below: B
        kenko("below", "26.0"),  # +30 %, below the line: B*
        kenko("five", "21.0"),  # +5 % exactly, below the line: B*
        kenko("small", "20.8"),  # +4 %: C
        kenko("worse", "19.5"),  # −2.5 %: C
        kenko("minus5", "19.0"),  # −5 % exactly: D
        kenko("none", "25.0", baseline="0"),  # no relative change from a baseline of 0: E
        ind("pending", (2012, "20.0"), {2022: "30.0"}, {2022: "pending"}, unit="%"),  # nothing within 5 years: E
    )
    assert symbols == {
        "reached": "A",
        "above": "B",
        "on": "B",
        "below": "B*",
        "five": "B*",
        "small": "C",
        "worse": "C",
        "minus5": "D",
        "none": "E",
        "pending": "E",
    }


def test_kenko_lower_is_better_and_the_explanation_names_the_line():
    """喫煙率 19.5 % → target 12.0 %; 2019: 16.7 % improves by 2.8/19.5 = 14.4 %, line 19.5 − 7.5 × 0.7 = 14.25: B*."""
    ev = result({"preset": "kenko-nippon21"}, 2022, kenko("smoke", "16.7", baseline="19.5", target="12.0", direction="lower"))
    r = ev.indicators["smoke"]
    m = r.own.measures
    assert m.change == Fraction(28, 195) * 100 and m.line == Fraction(1425, 100) and m.position == "below"
    assert r.judgements["achievement"].symbol == "B*" and r.judgements["achievement"].points == 4
    assert r.rate.basis.data_year == 2019 and r.rate.basis.reference == "final"


def test_kenko_parts_average_their_points_with_gosha_rokunyu():
    """A(5) and B(4) → 4.5 → 五捨六入 → 4: B; under 四捨五入 it would be 5: A. E parts are left out."""
    parts = lambda *values: [  # noqa: E731
        {
            "id": f"p{k}",
            "label": f"区分{k}",
            "name": f"区分{k}",
            "unit": "%",
            "baseline": {"year": 2012, "value": "20.0"},
            "targets": {"2022": "30.0"},
            "values": {"2019": {"value": v}},
        }
        for k, v in enumerate(values)
    ]
    ab = {"id": "ab", "node": "n", "name": "ab", "unit": "%", "parts": parts("30.0", "27.5")}
    aad = {"id": "aad", "node": "n", "name": "aad", "unit": "%", "parts": parts("30.0", "31.0", "19.0")}  # (5+5+2)/3 = 4
    seven = {"id": "seven", "node": "n", "name": "seven", "unit": "%", "parts": parts(*["30.0"] * 4, *["27.5"] * 3)}  # 32/7 = 4.57 → 4
    with_e = {
        "id": "ae",
        "node": "n",
        "name": "ae",
        "unit": "%",
        "parts": [
            *parts("30.0"),
            {"id": "e", "label": "E", "name": "E", "unit": "%", "targets": {"2022": "30.0"}, "values": {"2019": {"value": "25.0"}}},
        ],
    }
    ev = result({"preset": "kenko-nippon21"}, 2022, ab, aad, seven, with_e)
    got = {k: (r.judgements["achievement"].symbol, r.judgements["achievement"].ratio) for k, r in ev.indicators.items()}
    assert got == {"ab": ("B", Fraction(9, 2)), "aad": ("B", Fraction(4)), "seven": ("B", Fraction(32, 7)), "ae": ("A", Fraction(5))}
    half_up = copy.deepcopy(STYLE_PRESETS["kenko-nippon21"])
    half_up["judgements"][0]["points_rounding"] = "half_up"
    assert result(half_up, 2022, ab).indicators["ab"].judgements["achievement"].symbol == "A"


def test_points_grade_a_node_by_the_mean_or_the_sum():
    grade = {"level": "施策", "source": "points", "judgement": "achievement", "rounding": "half_down", "decimals": 0}
    bands = [{"min": "5", "label": "A"}, {"min": "4", "label": "B"}, {"min": "3", "label": "C"}, {"min": None, "label": "D"}]
    rules = copy.deepcopy(STYLE_PRESETS["kenko-nippon21"]) | {"grades": [grade | {"bands": bands}]}
    three = [kenko("a", "30.5"), kenko("bs", "26.0"), kenko("c", "20.8"), kenko("e", "25.0", baseline="0")]
    g = result(rules, 2022, *three).nodes["n"].grade
    assert [i.value for i in g.inputs] == [5, 4, 3] and g.exact == 4 and g.label == "B" and len(g.excluded) == 1
    sums = [{"min": "12", "label": "満点に近い"}, {"min": None, "label": "それ以外"}]
    total = result(rules | {"grades": [grade | {"aggregate": "sum", "bands": sums}]}, 2022, *three).nodes["n"].grade
    assert total.mean == 12 and total.label == "満点に近い"


def nagayo(ident: str, value: str, direction: str = "higher", target: str = "120") -> dict[str, Any]:
    return ind(ident, (2015, "100"), {2020: target}, {2019: value}, direction=direction)


def test_nagayo_compares_with_the_target_then_the_baseline_within_minus_ten_percent():
    symbols = judged(
        "nagayo-kijunchi",
        2019,
        nagayo("s", "125"),  # over the target 120: S
        nagayo("at", "120"),  # the target exactly is not 「超えている」: A (over the baseline)
        nagayo("a", "101"),  # A
        nagayo("same", "100"),  # 0 %: B
        nagayo("b", "90"),  # −10 % exactly is still 「△10%以内」: B
        nagayo("c", "89.9"),  # C
        nagayo("low_s", "79", "lower", "80"),  # lower is better: 79 < 80: S
        nagayo("low_b", "105", "lower", "80"),  # 5 % worse: B
        nagayo("low_c", "111", "lower", "80"),  # 11 % worse: C
        ind("none", None, {2020: "120"}, {2019: "110"}),  # no baseline, below the target: −
    )
    assert symbols == {
        "s": "S",
        "at": "A",
        "a": "A",
        "same": "B",
        "b": "B",
        "c": "C",
        "low_s": "S",
        "low_b": "B",
        "low_c": "C",
        "none": "−",
    }


def test_seicho_senryaku_a_b_f_n():
    """Period 2016 → 2020 (5 years), evaluated on 2018 data: 2/4 = 50 % of the way expected."""
    symbols = judged(
        "seicho-senryaku-kpi",
        2018,
        ind("a", (2016, "40"), {2020: "60"}, {2018: "50"}),  # progress 50 % ≥ 50 %: A
        ind("b", (2016, "40"), {2020: "60"}, {2018: "49"}),  # 45 %: B
        ind("f", None, {2018: "実施"}, {2018: "実施"}, direction="qualitative"),  # 施策実施型: F
        ind("n", (2016, "40"), {2020: "60"}, {2018: "pending"}),  # データ待ち: N
    )
    assert symbols == {"a": "A", "b": "B", "f": "F", "n": "N"}


def test_meyasu_progress_bands_100_and_80():
    """Line (2020, 100) → (2030, 200): 目安値 2024 = 140; progress (A − 100) ÷ 40."""
    line = {"final_target_year": 2030}
    symbols = judged(
        "meyasu-progress",
        2024,
        ind("o", (2020, "100"), {2030: "200"}, {2024: "140"}, **line),  # 100 %: ◎
        ind("ok", (2020, "100"), {2030: "200"}, {2024: "132"}, **line),  # 80 %: ○
        ind("x", (2020, "100"), {2030: "200"}, {2024: "131.9"}, **line),  # 79.75 %: △
        ind("low", (2020, "200"), {2030: "100"}, {2024: "165"}, direction="lower", **line),  # (165 − 200) ÷ (160 − 200) = 87.5 %: ○
    )
    assert symbols == {"o": "◎", "ok": "○", "x": "△", "low": "○"}


def test_tama_elapsed_share_bands_100_and_60():
    """平成27年度 (2015) is year 1 of 5: 20 % of the way from 1,000 to 1,500 is +100."""
    symbols = judged(
        "tama-sousei",
        2015,
        ind("one", (2014, "1000"), {2019: "1500"}, {2015: "1100"}),  # 100 %: ①
        ind("two", (2014, "1000"), {2019: "1500"}, {2015: "1060"}),  # 60 %: ②
        ind("three", (2014, "1000"), {2019: "1500"}, {2015: "1059"}),  # 59 %: ③
    )
    assert symbols == {"one": "①", "two": "②", "three": "③"}


def test_fukuoka_tolerates_three_points_for_survey_indicators():
    """37.3 % (2016) → 50.0 % (2026); line at 2020: 37.3 + 12.7 × 4/10 = 42.38."""

    def survey(ident: str, value: str) -> dict[str, Any]:
        return ind(ident, (2016, "37.3"), {2026: "50.0"}, {2020: value}, unit="%")

    symbols = judged(
        "fukuoka-seika", 2020, survey("a", "43.0"), survey("b", "40.0"), survey("b2", "34.5"), survey("c", "34.3"), survey("c2", "30.0")
    )
    assert symbols == {"a": "a", "b": "b", "b2": "b", "c": "c", "c2": "c"}  # 34.5: −2.8 points is 現状維持; 34.3: −3.0 is not


def test_etajima_reproduces_its_published_rows_with_two_judgements():
    """江田島市 資料4, H27 (2015) against H26 (2014) and the H31 (2019) targets: ○A, ○A and ○B as printed."""
    rows = [
        ind("damage", (2014, "22,585"), {2019: "20,000"}, {2015: "20,563"}, unit="千円", direction="lower"),  # progress 78 % ≥ 20 %
        ind("heirs", (2014, "2"), {2019: "5"}, {2015: "4"}, unit="人"),  # 66.7 % ≥ 20 %
        ind("olive", (2014, "22.6"), {2019: "35.0"}, {2015: "24.6"}, unit="ha"),  # 16.1 % < 20 %
        ind("flat", (2014, "10"), {2019: "12"}, {2015: "10"}, unit="件"),  # no change: △, 0 %: B
    ]
    ev = result({"preset": "etajima-sousei"}, 2015, *rows)
    got = {k: (r.judgements["trend"].symbol, r.judgements["achievement"].symbol) for k, r in ev.indicators.items()}
    assert got == {"damage": ("○", "A"), "heirs": ("○", "A"), "olive": ("○", "B"), "flat": ("△", "B")}
    assert list(ev.indicators["olive"].judgements) == ["trend", "achievement"]


# --- targets written as changes ------------------------------------------------------------------


def test_targets_relative_to_a_named_year_the_previous_year_and_the_baseline():
    rows = [
        # 平成20年度と比べて25%減少: 1,000 in 2008 → 750; actual 780, lower is better: 750 ÷ 780 = 96.15 %
        ind("h20", None, {2024: "平成20年度と比べて25%減少"}, {2008: "1,000", 2024: "780"}, direction="lower"),
        # the named year may be the baseline's year
        ind("base", (2008, "1,000"), {2024: "2008年度比25%減"}, {2024: "750"}, direction="lower"),
        # 前年度比20％減: 500 in 2023 → 400; actual 390: 400 ÷ 390 = 102.56 %
        ind("prev", None, {2024: "前年度比20％減"}, {2023: "500", 2024: "390"}, direction="lower"),
        # 現状維持: the baseline 50 is the target; 50 ÷ 50
        ind("keep", (2020, "50"), {2024: "現状維持"}, {2024: "50"}),
    ]
    ev = result({"preset": "kanagawa-dx"}, 2024, *rows)
    rates = {k: (str(r.rate.value), r.judgement.symbol) for k, r in ev.indicators.items()}
    assert rates == {"h20": ("96.2", "○"), "base": ("100.0", "◎"), "prev": ("102.6", "◎"), "keep": ("100.0", "◎")}
    assert ev.indicators["h20"].rate.quantities.target == 750


def test_targets_that_name_a_direction_are_judged_by_the_change():
    rows = [
        ind("up", (2020, "50"), {2024: "増加"}, {2024: "51"}),
        ind("flat", (2020, "50"), {2024: "増加"}, {2024: "50"}),  # not an increase
        ind("down", (2020, "50"), {2024: "減少傾向へ"}, {2024: "49"}),
        ind("nobase", None, {2024: "減少"}, {2024: "49"}),
    ]
    ev = result({"preset": "kanagawa-dx"}, 2024, *rows)
    got = {k: (r.rate.reason.value if r.rate.reason else None, r.judgement.symbol) for k, r in ev.indicators.items()}
    assert got == {"up": ("direction", "◎"), "flat": ("direction", "△"), "down": ("direction", "◎"), "nobase": ("direction", "―")}
    reached = result(
        {"judgements": [{"name": "d", "conditions": [{"symbol": "済", "label": "達成", "when": {"reached": True}}]}]}, 2024, *rows
    )
    assert [r.judgements["d"].symbol for r in reached.indicators.values()] == ["済", "―", "済", "―"]


# --- rule errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "where", "fragment"),
    [
        ({"measures": {"window": 11}}, "rules.measures.window", "window"),
        ({"measures": {"reference": "line"}}, "rules.measures.reference", "reference"),
        ({"measures": {"outlook": {"on_track": "0.5", "acceleration": "0.6"}}}, "rules.measures.outlook", "on_track >"),
        ({"judgements": [{"name": "a b", "conditions": [{"symbol": "A", "label": "A"}]}]}, "rules.judgements[0].name", "name"),
        ({"judgements": [{"name": "a", "conditions": []}]}, "rules.judgements[0].conditions", "conditions"),
        (
            {"judgements": [{"name": "a", "conditions": [{"symbol": "A", "label": "A", "when": {"speed": {"min": "1"}}}]}]},
            "rules.judgements[0].conditions[0].when.speed",
            "不明な指標値",
        ),
        (
            {"judgements": [{"name": "a", "conditions": [{"symbol": "A", "label": "A", "when": {"change": {"least": "1"}}}]}]},
            "rules.judgements[0].conditions[0].when.change.least",
            "不明なオプション",
        ),
        (
            {"judgements": [{"name": "a", "conditions": [{"symbol": "A", "label": "A", "when": {"change": {"min": 1.5}}}]}]},
            "rules.judgements[0].conditions[0].when.change.min",
            "文字列または整数",
        ),
        (
            {"judgements": [{"name": "a", "conditions": [{"symbol": "A", "label": "A", "when": {"position": "left"}}]}]},
            "rules.judgements[0].conditions[0].when.position",
            "above",
        ),
        (
            {"judgements": [{"name": "a", "conditions": [{"symbol": "A", "label": "A", "when": {"reached": "yes"}}]}]},
            "rules.judgements[0].conditions[0].when.reached",
            "true",
        ),
        (
            {"judgements": [{"name": "a", "parts": "points", "conditions": [{"symbol": "A", "label": "A"}]}]},
            "rules.judgements[0].parts",
            "points",
        ),
        (
            {
                "judgements": [
                    {"name": "a", "conditions": [{"symbol": "A", "label": "A"}]},
                    {"name": "a", "conditions": [{"symbol": "A", "label": "A"}]},
                ]
            },
            "rules.judgements[1].name",
            "重複",
        ),
        (
            {"grades": [{"level": "x", "source": "points", "judgement": "nope", "bands": [{"min": None, "label": "A"}]}]},
            "rules.grades[0].judgement",
            "nope",
        ),
        ({"rate": {"rounding": "half_sideways"}}, "rules.rate.rounding", "half_down"),
    ],
)
def test_errors_in_the_new_options_name_the_place(spec, where, fragment):
    with pytest.raises(InputError) as e:
        parse_rules(spec)
    assert any(p.where == where and fragment in p.message for p in e.value.problems), str(e.value)


def test_points_are_decimals():
    rules = parse_rules({"preset": "kenko-nippon21"})
    assert [c.points for c in rules.judgements[0].conditions] == [Decimal(5), Decimal(4), Decimal(4), Decimal(3), Decimal(2)]


# --- what `hyoka evaluate` prints ----------------------------------------------------------------


def test_the_json_carries_data_year_reference_change_and_each_named_judgement():
    doc = evaluation_dict(result({"preset": "kenko-nippon21"}, 2022, kenko("below", "26.0"), kenko("none", "25.0", baseline="0")))
    below = doc["indicators"][0]
    assert below["data_year"] == 2019 and below["reference"] == {
        "kind": "final",
        "target": "30.0％",
        "target_exact": "30",
        "target_year": 2022,
        "elapsed_share": None,
    }
    m = below["measures"]
    assert (m["lag"], m["change"], m["change_points"], m["line"], m["position"]) == (3, "30", "6", "27", "below")
    assert m["final_reached"] is False and "目安値は 27 で、実績値は線より下" in m["explanation"]
    j = below["judgements"]["achievement"]
    assert (j["symbol"], j["title"], j["points"]) == ("B*", "目標に対する評価", "4")
    assert "変化率 +30%（5% 以上）" in j["explanation"] and "B ではない" in j["explanation"] and "線より下" in j["explanation"]
    assert "2022年度の評価には、最新の2019年度の実績値を用います。" in below["rate_explanation"]
    none = doc["indicators"][1]["judgements"]["achievement"]
    assert none["symbol"] == "E" and none["state"] == "none" and "変化率が求められない" in none["explanation"]
    named = doc["summary"]["named"]["achievement"]["overall"]
    assert named["counts"] == {"A": 0, "B": 0, "B*": 1, "C": 0, "D": 0} and named["none"] == 1
    assert doc["rules"]["judgements"] == [{"name": "achievement", "title": "目標に対する評価", "symbols": ["A", "B", "B*", "C", "D"]}]


def test_the_table_shows_the_data_year_the_final_target_and_a_column_per_judgement():
    rows = [
        ind("damage", (2014, "22,585"), {2019: "20,000"}, {2015: "20,563"}, unit="千円", direction="lower"),
        ind("olive", (2014, "22.6"), {2019: "35.0"}, {2015: "24.6"}, unit="ha"),
    ]
    table = evaluation_table(evaluation_dict(result({"preset": "etajima-sousei"}, 2015, *rows)))
    assert "改善・悪化" in table and "達成度" in table
    olive = next(line for line in table.splitlines() if line.startswith("olive"))
    assert olive.split()[-2:] == ["○", "B"] and "25.08" in olive  # the 目安値 of 2015 is the target compared with
    lag = evaluation_table(evaluation_dict(result({"preset": "kenko-nippon21"}, 2022, kenko("below", "26.0"))))
    assert "26.0％（2019）" in lag and "B*" in lag and "目標に対する評価の集計: A0" in lag


# --- the report ----------------------------------------------------------------------------------


def test_the_report_writes_the_method_from_the_rules_and_shows_each_judgement():
    rows = [
        ind("damage", (2014, "22,585"), {2019: "20,000"}, {2015: "20,563"}, unit="千円", direction="lower"),
        ind("olive", (2014, "22.6"), {2019: "35.0"}, {2015: "24.6"}, unit="ha"),
    ]
    plan = plan_of({"preset": "etajima-sousei"}, *rows)
    plan.report.parts = [*plan.report.printed_parts, "indicators"]  # the 評価報告書 with the list of every indicator added
    report = build_report(plan, 2015)
    method = next(s for s in report.sections if s.anchor == "overview")  # 評価の概要 holds the method
    text = " ".join(_texts(method))
    assert "基準の出典: 江田島市" in text and "改善・悪化の区分" in text and "達成度の区分" in text
    assert "基準値からの変化が 0 超" in text and "経過した割合" in text and "上の区分から順に判断し" in text
    listing = next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.caption.startswith("指標一覧"))
    assert [c.text for c in listing.head[0]][6:8] == ["改善・悪化", "達成度"]
    olive = next(r for r in listing.body if any(c.text == "olive" for c in r))
    assert [c.text for c in olive][3:8] == ["25.08ha", "24.6ha", "80.6％", "○ 改善", "B 要改善"]
    html = render_report(plan, 2015, "html").decode()
    assert "達成度: 達成率 約80.65%（100% 未満）のため『B 要改善』" in html


def _texts(section: Any) -> list[str]:
    out: list[str] = []
    for b in section.blocks:
        if isinstance(b, Table):
            out += [c.text for row in (*b.head, *b.body) for c in row]
        else:
            out += [str(getattr(b, "text", "")), *(getattr(b, "items", ()) or ())]
    return out


# --- the public site -----------------------------------------------------------------------------


def test_the_public_site_shows_the_data_year_the_compared_target_and_each_judgement():
    doc = copy.deepcopy(PLAN)
    doc["plan"]["cycles"] = {"2022": {"status": "published"}}
    doc["rules"] = {"preset": "kenko-nippon21"}
    doc["indicators"] = [kenko("below", "26.0"), kenko("reached", "30.5")]
    plan = plan_from_dict(doc)
    site, root = Site([plan]), site_paths.of_plan(plan)
    page = site.render(site_paths.indicator_page(root, "below")).decode()
    assert "目標に対する評価" in page and "B* </span>改善傾向にあるが" in page
    assert "実績値 2019年度（令和元年度）: 26.0％ ／ 最終目標値 30.0％（2022）" in page  # the figure judged, with its year
    english = site.render(site_paths.in_language(site_paths.indicator_page(root, "below"), "en")).decode()
    assert 'Final target <span lang="ja">30.0％（2022）</span>' in english
    node = site.render(site_paths.node_page(root, "n")).decode()
    assert '<th scope="col">目標に対する評価</th>' in node and "A </span>目標値に達した" in node


def test_a_looked_back_year_is_public_only_without_a_cycle_of_its_own():
    doc = copy.deepcopy(PLAN)
    doc["rules"] = {"preset": "kenko-nippon21"}
    doc["indicators"] = [ind("i", (2012, "20.0"), {2022: "30.0"}, {2016: "22.0", 2019: "26.0", 2021: "27.0"}, unit="%")]
    doc["plan"]["cycles"] = {"2022": {"status": "published"}, "2021": {"status": "closed"}}
    public = published_plan(plan_from_dict(doc))
    assert sorted(public.indicator_by_id["i"].values) == [2019]  # 2021 is a draft; 2016 is outside the window of 5


# --- the CSV data package ------------------------------------------------------------------------


def test_observations_carry_the_data_year_the_reference_target_the_change_and_each_judgement(tmp_path):
    doc = copy.deepcopy(PLAN) | {"rules": {"preset": "kenko-nippon21"}, "indicators": [kenko("below", "26.0")]}
    doc["plan"]["cycles"] = {"2022": {"status": "published"}}
    kenko_plan = plan_from_dict(doc)
    descriptor = write_package(kenko_plan, tmp_path / "kenko")
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    with (tmp_path / "kenko" / "observations.csv").open(encoding="utf-8", newline="") as f:
        computed = {(r["year"], r["measure"]): (r["value"], r["number"], r["unit"]) for r in csv.DictReader(f)}
    # the 2022 cycle judges the 2019 figure; 2019 itself is evaluated on its own figure
    assert computed[("2022", "data_year")] == ("2019", "2019", "")
    assert computed[("2022", "reference_target")] == ("30.0％", "30", "%")
    assert computed[("2022", "change")] == ("30", "30", "%") and computed[("2022", "change_points")] == ("6", "6", "%")
    assert computed[("2022", "judgement.achievement")] == ("B*", "4", "点")
    assert ("2019", "data_year") not in computed  # the figure of the year itself
    assert plan_to_dict(read_package(descriptor)) == plan_to_dict(kenko_plan)  # computed rows are left aside on import


# --- docs/rules.md -------------------------------------------------------------------------------

RULES_DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_each_style_in_the_docs_is_the_preset_a_planner_copies():
    text = RULES_DOC.read_text(encoding="utf-8")
    for name, preset in STYLE_PRESETS.items():
        assert json.loads(_json_block(text[text.index(f"#### {name}\n") :])) == preset, name
    assert "taken from the issue's description" in text  # the one style without a published source


def test_the_point_sum_example_of_the_docs_computes_as_it_says():
    text = RULES_DOC.read_text(encoding="utf-8")
    rules = json.loads("{" + _json_block(text[text.index("Point sums, from 佐野市") :]) + "}")
    kpis = [ind("r100", None, {2024: "100"}, {2024: "100"}), ind("r85", None, {2024: "100"}, {2024: "85"})]
    policy = ind("policy", None, {2024: "全て達成"}, {2024: "一部未達成"}, direction="qualitative")
    policy["values"]["2024"] |= {"judgement": "2", "judgement_reason": "取組方針の一部が未達成"}
    grade = result(rules, 2024, *kpis, policy).nodes["n"].grade
    assert [i.value for i in grade.inputs] == [7, 5, 2] and grade.mean == 14 and grade.label == "B"


def _json_block(text: str) -> str:
    start = text.index("```json\n") + len("```json\n")
    return text[start : text.index("\n```", start)]


def test_the_asymmetric_bands_of_the_docs_judge_as_they_say():
    text = RULES_DOC.read_text(encoding="utf-8")
    rules = json.loads("{" + _json_block(text[text.index("Asymmetric bands") :]) + "}")
    rows = [ind(k, None, {2024: "100"}, {2024: v}) for k, v in (("a", "110"), ("b", "109.9"), ("c", "50"), ("d", "49.9"))]
    assert {k: r.judgement.symbol for k, r in result(rules, 2024, *rows).indicators.items()} == {"a": "A", "b": "B", "c": "C", "d": "D"}


def test_the_columnar_path_leaves_every_style_to_the_engine():
    """core.batch computes the seeds' comparison only; the product evaluates these rule sets with the engine."""
    for name in STYLE_PRESETS:
        builder = TableBuilder(2022)
        builder.add_plan(plan_of({"preset": name}, kenko("i", "26.0")))
        with pytest.raises(Unsupported):
            evaluate_table(builder.table, parse_rules({"preset": name}))
    direction = TableBuilder(2024)
    with pytest.raises(Unsupported):
        direction.add_plan(plan_of({"preset": "kanagawa-dx"}, ind("up", (2020, "50"), {2024: "増加"}, {2024: "51"})))


def test_the_method_page_of_the_site_names_the_source(tmp_path):
    doc = copy.deepcopy(PLAN) | {"rules": {"preset": "nagayo-kijunchi"}, "indicators": [nagayo("a", "101")]}
    doc["plan"]["cycles"] = {"2019": {"status": "published"}}
    plan = plan_from_dict(doc)
    page = Site([plan]).render(site_paths.plan_page(site_paths.of_plan(plan), "method")).decode()
    assert "基準の出典" in page and "長与町" in page and "数値目標評価の区分" in page and "基準値からの変化率が -10% 以上" in page
