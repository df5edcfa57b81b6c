"""The judgement (◎○△■) of one indicator in one year, SPEC 4.3.

Judgements compare the unrounded ratio with the bands (89.85 % of a 90 % target is
○, not ◎), take the worst part of an indicator with parts, and give way to an
evaluator's recorded judgement, which the explanation then mentions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .criteria import MeasureRule
from .model import Indicator, Series
from .rates import SAME_YEAR, NoRate, Quantities, exact_rate, read
from .rules import Band, JudgementRule
from .targets import Basis, basis_of


@dataclass(frozen=True)
class Judgement:
    """A judgement: a band (◎○△), the pending marker (■) or none (―)."""

    symbol: str
    label: str
    rank: int | None  # index of the band, 0 = best; None for pending / none
    basis: str  # ratio | qualitative | direction | zero_target | parts | pending | none | recorded | conditions
    state: str = "judged"  # judged | pending | none
    ratio: Fraction | None = None
    computed: Judgement | None = None  # what the rule gave when a recorded judgement overrides it
    reason: str = ""
    detail: str = ""  # why none / which part decided
    parts: tuple[tuple[str, Judgement], ...] = field(default=())
    points: Decimal | None = None  # the points of the band or condition (健康日本21: A=5 … D=2)

    @property
    def judged(self) -> bool:
        """True for ◎○△ (counted in the summary), False for ■ and ―."""
        return self.rank is not None

    @property
    def pending(self) -> bool:
        """True for ■: a figure is still to come (for the indicator or one of its parts)."""
        return self.state == "pending"


def _band_judgement(rule: JudgementRule, rank: int, basis: str, ratio: Fraction | None = None, detail: str = "") -> Judgement:
    band: Band = rule.bands[rank]
    return Judgement(band.symbol, band.label, rank, basis, ratio=ratio, detail=detail, points=band.points)


def _pending(rule: JudgementRule, detail: str = "") -> Judgement:
    return Judgement(rule.pending.symbol, rule.pending.label, None, "pending", "pending", detail=detail)


def _none(rule: JudgementRule, detail: str) -> Judgement:
    return Judgement(rule.none.symbol, rule.none.label, None, "none", "none", detail=detail)


def rank_for(rule: JudgementRule, ratio_percent: Fraction) -> int:
    for i, band in enumerate(rule.bands):
        if band.min is None or ratio_percent >= Fraction(band.min):
            return i
    return len(rule.bands) - 1


def judge_series(series: Series, year: int, rule: JudgementRule, basis: Basis | None = None) -> Judgement:
    r = read(series, year, basis)
    why = r.no_judgement
    if why is NoRate.PENDING:
        return _pending(rule, why.value)
    worst = len(rule.bands) - 1
    if why is NoRate.QUALITATIVE:
        return _band_judgement(rule, 0 if r.text_met else worst, "qualitative")
    q = r.quantities
    if why is NoRate.DIRECTION:
        met = trend_met(r.trend or "", q)
        if met is None:
            return _none(rule, NoRate.NO_BASELINE.value if q.baseline is None else NoRate.NO_VALUE.value)
        return _band_judgement(rule, 0 if met else worst, "direction")
    if why is not None:
        return _none(rule, why.value)
    ratio, reason = exact_rate(r.basis.formula, q)
    if ratio is None:
        if reason is NoRate.NO_BASELINE:
            return _none(rule, reason.value)
        # A zero denominator: compare directly (目標０件・実績０件 is met).
        if series.direction == "lower":
            met = q.actual <= q.target
        else:
            met = q.actual >= q.target
        return _band_judgement(rule, 0 if met else worst, "zero_target")
    return _band_judgement(rule, rank_for(rule, ratio), "ratio", ratio=ratio)


def trend_met(trend: str, q: Quantities) -> bool | None:
    """A target 「増加」「減少傾向へ」 is met when the actual moved that way from the baseline (strictly)."""
    if q.actual is None or q.baseline is None:
        return None
    return q.actual > q.baseline if trend == "increase" else q.actual < q.baseline


def judge(
    indicator: Indicator, year: int, rule: JudgementRule, measures: MeasureRule = SAME_YEAR, bases: dict[str, Basis] | None = None
) -> Judgement:
    """Judge an indicator; a recorded judgement of the evaluator overrides the rule.

    *bases* are the series' bases by id when the caller has them already (the engine does).
    """

    def basis(series: Series) -> Basis:
        known = (bases or {}).get(series.id)
        return known if known is not None else basis_of(series, year, measures, indicator.final_target_year)

    if indicator.parts:
        computed = _combine_parts(indicator, year, rule, basis)
    else:
        computed = judge_series(indicator, year, rule, basis(indicator))
    value = indicator.values.get(year)
    if value is not None and value.judgement:
        kept = recorded(rule, value.judgement)
        return Judgement(
            kept.symbol,
            kept.label,
            kept.rank,
            "recorded",
            kept.state,
            ratio=computed.ratio,
            computed=computed,
            reason=value.judgement_reason,
            parts=computed.parts,
            points=kept.points,
        )
    return computed


def recorded(rule: JudgementRule, symbol: str) -> Judgement:
    """The judgement an evaluator recorded (a band's symbol or label, or the pending mark); anything else is none."""
    for i, band in enumerate(rule.bands):
        if symbol in (band.symbol, band.label):
            return _band_judgement(rule, i, "recorded")
    if symbol in (rule.pending.symbol, rule.pending.label):
        return _pending(rule)
    return _none(rule, "recorded")


def _combine_parts(indicator: Indicator, year: int, rule: JudgementRule, basis: Callable[[Series], Basis]) -> Judgement:
    parts = tuple((p.label or p.id, judge_series(p, year, rule, basis(p))) for p in indicator.parts)
    judged = [(label, j) for label, j in parts if j.judged]
    if any(j.basis == "pending" for _, j in parts):
        pending = next(label for label, j in parts if j.basis == "pending")
        return Judgement(rule.pending.symbol, rule.pending.label, None, "parts", "pending", detail=pending, parts=parts)
    if not judged:
        none = _none(rule, NoRate.NO_TARGET.value)
        return Judgement(none.symbol, none.label, None, "parts", "none", detail=none.detail, parts=parts)
    if rule.parts == "mean":
        rank = round(sum(j.rank for _, j in judged if j.rank is not None) / len(judged))
        deciding = judged[0][0]
    else:
        pick = max if rule.parts == "worst" else min
        deciding, decided = pick(judged, key=lambda item: item[1].rank or 0)
        rank = decided.rank or 0
    band = rule.bands[rank]
    return Judgement(band.symbol, band.label, rank, "parts", detail=deciding, parts=parts, points=band.points)
