"""Judgements written as an ordered list of conditions over named measures.

Published evaluations judge a KPI in many ways: against the target of the year, the
final target, the 目安値 on the line from the baseline, the elapsed share of the
period, or by the change from the baseline with a tolerance for 「変化なし」; some
judge twice (改善○△× and 達成度 A/B). Each such style is a list of conditions, read
from the top, where the first that holds gives the symbol, the label and the points
(健康日本21: A 目標値に達した, else B 改善傾向 above the line, else B* below it, …).
This module holds that rule data, the options of the measures, and the test of one
condition, so that each line of a rule can be checked against its published source.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .errors import ProblemCollector
from .outlook import Outlook
from .ruleparse import Marker, Rounding, check_keys, check_unique, choice_option, decimal_option, is_object, marker_option, rounding_option

REFERENCES = ("same_year", "interpolated", "elapsed_share", "final")
FORMULAS = ("ratio", "progress", "inverse_ratio")
PART_COMBINATIONS = ("worst", "best", "points")
POSITIONS = ("above", "on", "below")

# Every measure a condition can name: what it is called in a sentence, and its unit.
NUMBER_MEASURES: dict[str, tuple[str, str]] = {
    "rate": ("達成率", "%"),
    "progress": ("最終目標値に対する進捗率", "%"),
    "elapsed": ("経過期間の割合", "%"),
    "change": ("基準値からの変化率", "%"),
    "change_points": ("基準値からの変化", "ポイント"),
    "lag": ("評価年度から実績値の年度までの年数", "年"),
    "outlook_ratio": ("見通しの比率（年平均の伸びの必要な伸びに対する比）", "倍"),
}
FLAG_MEASURES: dict[str, str] = {
    "reached": "目標値に達している",
    "final_reached": "最終目標値に達している",
    "qualitative": "定性的な指標である",
}
CATEGORY_MEASURES: dict[str, tuple[str, dict[str, str]]] = {
    "position": (
        "基準値と最終目標値を結ぶ線に対する実績値の位置",
        {"above": "線より上（良い側）", "on": "線上", "below": "線より下（悪い側）"},
    ),
    "outlook": ("最終目標に向けた見通し", {o.value: o.label for o in Outlook}),
}
MEASURE_NAMES = (*NUMBER_MEASURES, *FLAG_MEASURES, *CATEGORY_MEASURES)
NUMBER_OPS = {"min": "以上", "above": "超", "max": "以下", "below": "未満"}


@dataclass(frozen=True)
class MeasureRule:
    """Which value is judged against which target (SPEC 4.1 generalised), and the outlook's thresholds.

    The defaults are the seeds' rule: the value and the target of the evaluation year.
    """

    window: int = 0  # a value up to this many years older than the evaluation year may be judged (最新値評価)
    reference: str = "same_year"
    formula: str | None = None  # one formula for every indicator (e.g. progress against the 目安値); None: each its own
    on_track: Decimal = Decimal("0.95")  # Open SDG's thresholds of the outlook ratio R
    acceleration: Decimal = Decimal("0.6")
    limited: Decimal = Decimal("0")

    @property
    def is_default(self) -> bool:
        return self == MeasureRule()


@dataclass(frozen=True)
class Test:
    """One part of a condition: a measure compared with a bound, a flag, or a set of categories."""

    measure: str
    op: str  # min | above | max | below (numbers), is (flags), in (categories)
    bound: Decimal | bool | tuple[str, ...]

    def holds(self, value: Fraction | Decimal | bool | str | None) -> bool | None:
        """Whether the test holds for *value*; None when the measure has no value (the test cannot hold)."""
        if value is None:
            return None
        if self.op == "is":
            return value is self.bound
        if self.op == "in":
            assert isinstance(self.bound, tuple)
            return value in self.bound
        assert isinstance(self.bound, Decimal) and isinstance(value, (Fraction, Decimal))
        x, b = Fraction(value), Fraction(self.bound)
        return {"min": x >= b, "above": x > b, "max": x <= b, "below": x < b}[self.op]


@dataclass(frozen=True)
class Condition:
    """One row of a judgement: when every test holds, the indicator gets this symbol."""

    symbol: str
    label: str
    tests: tuple[Test, ...]
    points: Decimal | None = None


@dataclass(frozen=True)
class CriteriaRule:
    """A named judgement (`achievement`, `trend` …): conditions read from the top, first match wins."""

    name: str
    title: str
    conditions: tuple[Condition, ...]
    pending: Marker = Marker("―", "未把握")
    none: Marker = Marker("―", "評価できない")
    parts: str = "worst"
    points_rounding: Rounding = Rounding("half_up", 0)

    def points_of(self, symbol: str) -> Decimal | None:
        for condition in self.conditions:
            if condition.symbol == symbol:
                return condition.points
        return None


def parse_measures(c: ProblemCollector, spec: Any, where: str) -> MeasureRule:
    if spec is None:
        return MeasureRule()
    if not is_object(c, spec, where, "measures はオブジェクトで指定してください", "measures must be an object"):
        return MeasureRule()
    check_keys(c, spec, where, {"window", "reference", "formula", "outlook"})
    window = spec.get("window", 0)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 10:
        c.add(f"{where}.window", "window は0〜10の整数（年数）です", "window must be an integer 0-10 (years)", str(window))
        window = 0
    reference = choice_option(c, spec, "reference", where, REFERENCES, "same_year")
    formula = spec.get("formula")
    if formula is not None:
        formula = choice_option(c, spec, "formula", where, FORMULAS, "ratio")
    outlook = spec.get("outlook", {})
    default = MeasureRule()
    thresholds = [default.on_track, default.acceleration, default.limited]
    if not isinstance(outlook, dict):
        c.add(f"{where}.outlook", "outlook はオブジェクトで指定してください", "outlook must be an object")
    else:
        check_keys(c, outlook, f"{where}.outlook", {"on_track", "acceleration", "limited"})
        for i, key in enumerate(("on_track", "acceleration", "limited")):
            if key in outlook:
                value = decimal_option(c, outlook[key], f"{where}.outlook.{key}")
                thresholds[i] = value if value is not None else thresholds[i]
        if not thresholds[0] > thresholds[1] > thresholds[2]:
            c.add(
                f"{where}.outlook",
                "on_track > acceleration > limited の順に大きくしてください",
                "thresholds must decrease: on_track > acceleration > limited",
            )
    return MeasureRule(window, reference, formula, *thresholds)


def parse_criteria(c: ProblemCollector, spec: Any, where: str) -> tuple[CriteriaRule, ...]:
    if spec is None:
        return ()
    if not isinstance(spec, list):
        c.add(where, "judgements は判定の配列です", "judgements must be a list")
        return ()
    rules = [rule for i, j in enumerate(spec) if (rule := _criteria(c, j, f"{where}[{i}]")) is not None]
    check_unique(c, [r.name for r in rules], lambda i: f"{where}[{i}].name", "判定の名前", "judgement name")
    return tuple(rules)


def _criteria(c: ProblemCollector, spec: Any, where: str) -> CriteriaRule | None:
    if not is_object(c, spec, where, "判定はオブジェクトで指定してください", "a judgement must be an object"):
        return None
    check_keys(c, spec, where, {"name", "title", "conditions", "pending", "none", "parts", "points_rounding", "points_decimals"})
    name = spec.get("name")
    if not isinstance(name, str) or not name.isidentifier():
        c.add(
            f"{where}.name",
            "name（英数字の名前、例: achievement）が必要です",
            "name must be an identifier such as 'achievement'",
            str(name),
        )
        name = ""
    title = spec.get("title", name)
    conditions_spec = spec.get("conditions")
    conditions: list[Condition] = []
    if not isinstance(conditions_spec, list) or not conditions_spec:
        c.add(f"{where}.conditions", "conditions は1つ以上の条件の配列です", "conditions must be a non-empty list")
    else:
        for i, cond in enumerate(conditions_spec):
            parsed = _condition(c, cond, f"{where}.conditions[{i}]")
            if parsed is not None:
                conditions.append(parsed)
    check_unique(c, [x.symbol for x in conditions], lambda i: f"{where}.conditions[{i}].symbol", "記号", "symbol")
    parts = choice_option(c, spec, "parts", where, PART_COMBINATIONS, "worst")
    if parts == "points" and any(x.points is None for x in conditions):
        c.add(f"{where}.parts", "parts: points にはすべての条件に points が必要です", "parts 'points' needs points on every condition")
    rounding = rounding_option(c, spec, where, "points_rounding", "points_decimals", Rounding("half_up", 0))
    return CriteriaRule(
        name=name,
        title=str(title),
        conditions=tuple(conditions),
        pending=marker_option(c, spec.get("pending"), f"{where}.pending", CriteriaRule.pending),
        none=marker_option(c, spec.get("none"), f"{where}.none", CriteriaRule.none),
        parts=parts,
        points_rounding=rounding,
    )


def _condition(c: ProblemCollector, spec: Any, where: str) -> Condition | None:
    if not is_object(c, spec, where, "条件はオブジェクトで指定してください", "a condition must be an object"):
        return None
    check_keys(c, spec, where, {"symbol", "label", "points", "when"})
    symbol, label = spec.get("symbol"), spec.get("label")
    if not isinstance(symbol, str) or not symbol:
        c.add(f"{where}.symbol", "symbol（A、○ など）が必要です", "symbol is required")
    if not isinstance(label, str) or not label:
        c.add(f"{where}.label", "label（区分の名前）が必要です", "label is required")
    when = spec.get("when", {})
    tests: list[Test] = []
    if not isinstance(when, dict):
        c.add(f"{where}.when", 'when は {"指標値の名前": 条件} のオブジェクトです', "when must map measure names to tests")
    else:
        for measure, test in when.items():
            tests.extend(_tests(c, measure, test, f"{where}.when.{measure}"))
    return Condition(str(symbol or ""), str(label or ""), tuple(tests), decimal_option(c, spec.get("points"), f"{where}.points"))


def _tests(c: ProblemCollector, measure: str, spec: Any, where: str) -> list[Test]:
    if measure in NUMBER_MEASURES:
        if not isinstance(spec, dict) or not spec:
            c.add(where, '数値の条件は {"min": "5"} のように min, above, max, below で指定します', "give min, above, max or below")
            return []
        check_keys(c, spec, where, set(NUMBER_OPS))
        out = []
        for op in NUMBER_OPS:
            if op in spec:
                bound = decimal_option(c, spec[op], f"{where}.{op}")
                if bound is not None:
                    out.append(Test(measure, op, bound))
        return out
    if measure in FLAG_MEASURES:
        if not isinstance(spec, bool):
            c.add(where, "true または false で指定してください", "must be true or false", repr(spec))
            return []
        return [Test(measure, "is", spec)]
    if measure in CATEGORY_MEASURES:
        allowed = CATEGORY_MEASURES[measure][1]
        values = [spec] if isinstance(spec, str) else spec
        if not isinstance(values, list) or not values or any(v not in allowed for v in values):
            c.add(
                where,
                f"{', '.join(allowed)} のいずれか（または その配列）です",
                f"must be one (or a list) of {', '.join(allowed)}",
                repr(spec),
            )
            return []
        return [Test(measure, "in", tuple(values))]
    c.add(where, f"不明な指標値「{measure}」（使えるもの: {', '.join(MEASURE_NAMES)}）", f"unknown measure {measure!r}")
    return []
