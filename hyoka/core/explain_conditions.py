"""Sentences for the measures and the named judgements (criteria), built from the data.

A condition is written the same way on the method page (「基準値からの変化率が 5% 以上」)
and in the explanation of one indicator, where the value follows
(「基準値からの変化率 +30%（5% 以上）」), so a reader can check each judgement against
the published criteria line by line.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .arithmetic import fmt_decimal, round_fraction, rounding_words
from .assessment import NO_CONDITION
from .criteria import CATEGORY_MEASURES, FLAG_MEASURES, NUMBER_MEASURES, NUMBER_OPS, Condition, CriteriaRule, Test
from .explain import none_words
from .judgement import Judgement
from .measures import Measures
from .rates import NoRate
from .ruleparse import Rounding
from .targets import drawn_text
from .text import clean_line


def _unit(name: str, points_unit: str) -> str:
    """The unit of a measure; a change in points is in the indicator's unit (「ポイント」 for a percentage)."""
    return points_unit if name == "change_points" else NUMBER_MEASURES[name][1]


def _number(value: Fraction | Decimal, unit: str, signed: bool = False) -> str:
    shown = round_fraction(Fraction(value), Rounding("half_up", 2))
    exact = Fraction(shown) == Fraction(value)
    text = fmt_decimal(shown.normalize() if exact else shown)
    if text in ("-0", "-0.00"):
        text = "0"
    sign = "+" if signed and value > 0 else ""
    space = "" if unit in ("", "%", "年", "倍") else " "
    return f"{'' if exact else '約'}{sign}{text}{space}{unit}"


def test_words(test: Test, points_unit: str = "") -> str:
    """One test as the method page says it: 「基準値からの変化率が 5% 以上」."""
    if test.measure in NUMBER_MEASURES:
        assert isinstance(test.bound, Decimal)
        name = NUMBER_MEASURES[test.measure][0]
        return f"{name}が {_number(test.bound, _unit(test.measure, points_unit))} {NUMBER_OPS[test.op]}"
    if test.measure in FLAG_MEASURES:
        words = FLAG_MEASURES[test.measure]
        return words if test.bound is True else f"{words}ではない".replace("ているではない", "ていない").replace("であるではない", "でない")
    name, categories = CATEGORY_MEASURES[test.measure]
    assert isinstance(test.bound, tuple)
    return f"{name}が {'または'.join(categories[c] for c in test.bound)}"


def condition_words(condition: Condition, points_unit: str = "") -> str:
    if not condition.tests:
        return "上の条件のいずれにも当たらない"
    return "、かつ".join(test_words(t, points_unit) for t in condition.tests)


def value_words(name: str, m: Measures) -> str:
    """The value of one measure for a sentence: 「+30%」「線より下（悪い側）」「目標値に達している」."""
    value = m.value(name)
    if value is None:
        return "求められない"
    if name in NUMBER_MEASURES:
        assert isinstance(value, (Fraction, Decimal))
        signed = name in ("change", "change_points")
        return _number(value, _unit(name, _points_unit(m)), signed)
    if name in FLAG_MEASURES:
        return "はい" if value else "いいえ"
    return CATEGORY_MEASURES[name][1][str(value)]


def _points_unit(m: Measures) -> str:
    unit = m.series.base_unit
    return "ポイント" if unit in ("%", "％") else unit


def _name(symbol: str, label: str) -> str:
    return f"『{symbol} {label}』" if symbol else f"『{label}』"


def _points(value: Decimal | None) -> str:
    return "" if value is None else f"（{fmt_decimal(value)}点）"


def explain_criteria(j: Judgement, rule: CriteriaRule, measured: list[tuple[str, Measures]]) -> str:
    """Why an indicator got *j* under the named judgement *rule*."""
    name = _name(j.symbol, j.label) + _points(j.points)
    if j.basis == "parts":
        labels = "、".join(f"{label} {p.symbol}{_points(p.points)}" for label, p in j.parts)
        if j.pending:
            return f"{labels}のうち {j.detail} が集計中のため{name}。"
        if j.state == "none":
            return f"{labels}のいずれも判定できないため{name}。"
        if rule.parts == "points":
            assert j.ratio is not None
            mean = _number(j.ratio, "点")
            return f"{labels}（判定できないものは除く）の点数の平均 {mean} を{rounding_words(rule.points_rounding)}した値により{name}。"
        how = "最も低い" if rule.parts == "worst" else "最も高い"
        return f"{labels}のうち{how}判定（{j.detail}）により{name}。"
    m = measured[0][1]
    if j.state == "pending":
        return f"{_year(m.basis.year)}の実績値が集計中のため{name}。"
    if j.state == "none":
        return _none_words(j.detail, m) + f"{name}。"
    condition = rule.conditions[j.rank or 0]
    if not condition.tests:
        return f"上の条件のいずれにも当たらないため{name}。"
    unit = _points_unit(m)
    reasons = "、".join(f"{_measure_name(t)} {value_words(t.measure, m)}（{_bound_words(t, unit)}）" for t in condition.tests)
    return f"{_lag_words(m)}{reasons}のため{name}{_not_above(rule, j.rank or 0, m)}。"


def _measure_name(test: Test) -> str:
    return NUMBER_MEASURES[test.measure][0] if test.measure in NUMBER_MEASURES else _flag_or_category(test)


def _not_above(rule: CriteriaRule, rank: int, m: Measures) -> str:
    """Why the conditions above the matched one did not hold: their first test that failed, with its value."""
    why = []
    shown = {t.measure for t in rule.conditions[rank].tests}
    for condition in rule.conditions[:rank]:
        failed = next((t for t in condition.tests if t.holds(m.value(t.measure)) is not True), None)
        if failed is not None and failed.measure not in shown:
            why.append(f"{condition.symbol} ではない: {_measure_name(failed)} {value_words(failed.measure, m)}")
    return f"（{'。'.join(why)}）" if why else ""


def _flag_or_category(test: Test) -> str:
    if test.measure in FLAG_MEASURES:
        return FLAG_MEASURES[test.measure] + "か"
    return CATEGORY_MEASURES[test.measure][0]


def _bound_words(test: Test, points_unit: str) -> str:
    if test.measure in NUMBER_MEASURES:
        assert isinstance(test.bound, Decimal)
        return f"{_number(test.bound, _unit(test.measure, points_unit))} {NUMBER_OPS[test.op]}"
    if test.measure in FLAG_MEASURES:
        return "条件は「はい」" if test.bound is True else "条件は「いいえ」"
    assert isinstance(test.bound, tuple)
    return "条件は" + "または".join(CATEGORY_MEASURES[test.measure][1][c] for c in test.bound)


def _year(year: int) -> str:
    return f"{year}年度"


def _lag_words(m: Measures) -> str:
    if m.basis.lag == 0:
        return ""
    return f"{_year(m.basis.data_year)}の実績値で、"


def _none_words(detail: str, m: Measures) -> str:
    if detail in (NoRate.NO_VALUE.value, NoRate.UNMEASURABLE.value):
        return none_words(m.basis.year, detail)
    if detail == NO_CONDITION:
        return "どの条件にも当たらないため"
    missing = [NUMBER_MEASURES[n][0] if n in NUMBER_MEASURES else _flag_or_category(Test(n, "is", True)) for n in detail.split(",")]
    return f"{'、'.join(missing)}が求められない（基準値・目標値がない、または基準値が 0）ため"


def explain_measures(m: Measures) -> str:
    """The data year, the change from the baseline, the line and the outlook of one series, in one paragraph."""
    q = m.quantities
    parts: list[str] = []
    if m.basis.lag:
        parts.append(f"{_year(m.basis.year)}の評価には、最新の{_year(m.basis.data_year)}の実績値 {clean_line(q.actual_text)} を用います")
    if m.change_points is not None and q.baseline is not None:
        year = f"（{_year(m.series.baseline.year)}）" if m.series.baseline and m.series.baseline.year else ""
        rel = f"、{value_words('change', m)}" if m.change is not None else ""
        way = "改善" if m.change_points > 0 else "悪化" if m.change_points < 0 else "変化なし"
        parts.append(f"基準値 {clean_line(q.baseline_text)}{year}からの変化は {value_words('change_points', m)}{rel}（{way}）")
    if m.position is not None and m.line is not None and m.final is not None:
        line = drawn_text(m.line, m.series.unit_scale)
        parts.append(
            f"基準値と最終目標値 {clean_line(m.final.entry.text)}（{_year(m.final.year)}）を結ぶ線上の"
            f"{_year(m.basis.data_year)}の目安値は {line} で、実績値は{value_words('position', m)}"
        )
    p = m.projection
    if p is not None:
        parts.append(p.explanation(m.series.unit).rstrip("。"))
    return "。".join(parts) + "。" if parts else ""
