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
from .model import Series, Status, Value
from .rules import RateRule
from .targets import Basis, basis_of, drawn_text, number_in_base
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


def rate_of(series: Series, year: int, rule: RateRule, basis: Basis | None = None) -> Rate:
    """The rate of *year*: the actual and the target of that year, or those *basis* chose."""
    basis = basis or basis_of(series, year, SAME_YEAR)
    formula = basis.formula
    q = quantities(series, year, basis)
    value: Value | None = series.values.get(basis.data_year)

    def none(reason: NoRate) -> Rate:
        return Rate(
            formula,
            None,
            None,
            None,
            q,
            reason,
            value.status if value else None,
            value.expected if value else None,
            basis,
        )

    if value is None or (value.entry.parsed.kind is Kind.EMPTY and value.status is Status.CONFIRMED):
        return none(NoRate.NO_VALUE)
    if value.status is Status.PENDING:
        return none(NoRate.PENDING)
    if value.status is Status.UNMEASURABLE:
        return none(NoRate.UNMEASURABLE)
    target_entry = basis.entry
    if series.qualitative or (target_entry is not None and target_entry.parsed.kind is Kind.TEXT):
        return none(NoRate.QUALITATIVE)
    if target_entry is not None and target_entry.parsed.trend is not None:
        return none(NoRate.DIRECTION)
    if q.target is None:
        return none(missing_target(series, basis))
    if q.actual is None:
        return none(NoRate.NO_VALUE)
    exact, reason = exact_rate(formula, q)
    if exact is None:
        return none(reason or NoRate.ZERO_DENOMINATOR)
    uncapped = round_fraction(exact, rule.rounding)
    shown = uncapped
    if rule.cap is not None and uncapped > rule.cap:
        shown = rule.cap.quantize(Decimal(1).scaleb(-rule.rounding.decimals))
    return Rate(formula, shown, uncapped, exact, q, None, value.status, value.expected, basis)


def missing_target(series: Series, basis: Basis) -> NoRate:
    """Why there is no reference target: none for the year, or no baseline to draw the line from."""
    if basis.drawn and basis.entry is not None and (series.baseline is None or series.baseline.year is None):
        return NoRate.NO_BASELINE
    return NoRate.NO_TARGET
