"""The achievement rate (達成率) of one series in one year, SPEC 4.1.

A rate is computed exactly and only then rounded and capped as the rule set says.
When there is no rate, the reason is kept: the explanation and the report print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .arithmetic import round_fraction
from .criteria import MeasureRule
from .model import Entry, Series, Status, Value
from .rules import RateRule
from .targets import Basis, basis_of, drawn_text, number_in_base
from .text import same_text
from .values import Kind

SAME_YEAR = MeasureRule()


class NoRate(StrEnum):
    """Why a series has no rate in a year."""

    NO_VALUE = "no_value"  # nothing entered yet
    PENDING = "pending"  # 把握予定
    UNMEASURABLE = "unmeasurable"  # 測定不能 ―※
    NO_TARGET = "no_target"  # no target for the year (e.g. added in a revision)
    ZERO_DENOMINATOR = "zero_denominator"  # target 0 with A/T, actual 0 with T/A, T = B with progress
    NO_BASELINE = "no_baseline"  # progress formula without a baseline
    QUALITATIVE = "qualitative"  # a text target has no rate, only a judgement
    DIRECTION = "direction"  # a target that names only a direction (「増加」「減少傾向へ」), judged by the change


@dataclass(frozen=True)
class Quantities:
    """A, T and B of one year in the series' base unit, and the texts they came from."""

    actual: Decimal | None
    target: Decimal | Fraction | None  # a 目安値 on the line may not be a finite decimal
    baseline: Decimal | None
    actual_text: str = ""
    target_text: str = ""
    baseline_text: str = ""


@dataclass(frozen=True)
class Rate:
    formula: str
    value: Decimal | None  # rounded, then capped: what is shown and averaged
    uncapped: Decimal | None  # rounded, before the cap
    exact: Fraction | None  # before rounding
    quantities: Quantities
    reason: NoRate | None = None
    status: Status | None = None
    expected: str | None = None
    basis: Basis | None = None

    @property
    def capped(self) -> bool:
        return self.value is not None and self.uncapped is not None and self.value != self.uncapped


def quantities(series: Series, year: int, basis: Basis | None = None) -> Quantities:
    """A, T and B as *basis* chooses them (by default the actual and the target of *year*)."""
    basis = basis or basis_of(series, year, SAME_YEAR)
    value = series.values.get(basis.data_year)
    actual = None
    if value is not None and value.number is not None:
        actual = number_in_base(value.entry.parsed, series.unit_scale)
    baseline = None
    if series.baseline is not None and series.baseline.entry.number is not None:
        baseline = number_in_base(series.baseline.entry.parsed, series.unit_scale)
    if basis.drawn:
        target_text = "" if basis.target is None else drawn_text(basis.target, series.unit_scale)
    else:
        target_text = basis.entry.text if basis.entry else ""
    return Quantities(
        actual=actual,
        target=basis.target,
        baseline=baseline,
        actual_text=value.entry.text if value else "",
        target_text=target_text,
        baseline_text=series.baseline.entry.text if series.baseline else "",
    )


def exact_rate(formula: str, q: Quantities) -> tuple[Fraction | None, NoRate | None]:
    """The unrounded rate in percent, or why there is none."""
    a, t, b = q.actual, q.target, q.baseline
    assert a is not None and t is not None
    if formula == "ratio":
        if t == 0:
            return None, NoRate.ZERO_DENOMINATOR
        return Fraction(a) / Fraction(t) * 100, None
    if formula == "inverse_ratio":
        if a == 0:
            return None, NoRate.ZERO_DENOMINATOR
        return Fraction(t) / Fraction(a) * 100, None
    if b is None:
        return None, NoRate.NO_BASELINE
    if t == b:
        return None, NoRate.ZERO_DENOMINATOR
    return (Fraction(a) - Fraction(b)) / (Fraction(t) - Fraction(b)) * 100, None


@dataclass(frozen=True)
class Reading:
    """What one year of a series gives the rules: its entries, A/T/B, and why there can be no rate.

    The engine (``rate_of``, ``judgement.judge_series``) and the batch path (``batch``) both
    classify a series through ``read``, so they cannot disagree on which case a value is. The
    basis says which year's figure and which target (by default those of the year itself).
    """

    value: Value | None
    target: Entry | None
    quantities: Quantities
    qualitative: bool  # a qualitative indicator or a text target: judged by its words, no rate
    no_rate: NoRate | None  # None: A and T are numbers, arithmetic decides
    basis: Basis

    @property
    def no_judgement(self) -> NoRate | None:
        """Why the series cannot be judged by its numbers (QUALITATIVE: by its words); a target is asked for first."""
        if self.target is None or self.target.parsed.kind is Kind.EMPTY:
            return NoRate.NO_TARGET
        return self.no_rate

    @property
    def text_met(self) -> bool:
        """A qualitative target met: the actual says what the target says."""
        return self.value is not None and self.target is not None and same_text(self.value.entry.text, self.target.text)

    @property
    def trend(self) -> str | None:
        """「増加」「減少傾向へ」: a target that names only a direction, judged by the change from the baseline."""
        return self.target.parsed.trend if self.target is not None else None


def read(series: Series, year: int, basis: Basis | None = None) -> Reading:
    basis = basis or basis_of(series, year, SAME_YEAR)
    target = basis.entry
    value = series.values.get(basis.data_year)
    q = quantities(series, year, basis)
    qualitative = series.qualitative or (target is not None and target.parsed.kind is Kind.TEXT)
    if value is None or (value.entry.parsed.kind is Kind.EMPTY and value.status is Status.CONFIRMED):
        no_rate: NoRate | None = NoRate.NO_VALUE  # nothing entered yet
    elif value.status is Status.PENDING:
        no_rate = NoRate.PENDING
    elif value.status is Status.UNMEASURABLE:
        no_rate = NoRate.UNMEASURABLE
    elif qualitative:
        no_rate = NoRate.QUALITATIVE
    elif target is not None and target.parsed.trend is not None:
        no_rate = NoRate.DIRECTION
    elif q.target is None:
        no_rate = missing_target(series, basis)
    elif q.actual is None:
        no_rate = NoRate.NO_VALUE
    else:
        no_rate = None
    return Reading(value, target, q, qualitative, no_rate, basis)


def missing_target(series: Series, basis: Basis) -> NoRate:
    """Why there is no reference target: none for the year, or no baseline to draw the line from."""
    if basis.drawn and basis.entry is not None and (series.baseline is None or series.baseline.year is None):
        return NoRate.NO_BASELINE
    return NoRate.NO_TARGET


def rate_of(series: Series, year: int, rule: RateRule, basis: Basis | None = None) -> Rate:
    """The rate of *year*: the actual and the target of that year, or those *basis* chose."""
    r = read(series, year, basis)
    formula = r.basis.formula
    q, value = r.quantities, r.value
    status, expected = (value.status, value.expected) if value else (None, None)
    exact, reason = exact_rate(formula, q) if r.no_rate is None else (None, r.no_rate)
    if exact is None:
        return Rate(formula, None, None, None, q, reason or NoRate.ZERO_DENOMINATOR, status, expected, r.basis)
    uncapped = round_fraction(exact, rule.rounding)
    shown = uncapped
    if rule.cap is not None and uncapped > rule.cap:
        shown = rule.cap.quantize(Decimal(1).scaleb(-rule.rounding.decimals))
    return Rate(formula, shown, uncapped, exact, q, None, status, expected, r.basis)
