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
from .model import Entry, Series, Status, Value
from .rules import RateRule
from .text import same_text
from .values import Kind, Parsed


class NoRate(StrEnum):
    """Why a series has no rate in a year."""

    NO_VALUE = "no_value"  # nothing entered yet
    PENDING = "pending"  # 把握予定
    UNMEASURABLE = "unmeasurable"  # 測定不能 ―※
    NO_TARGET = "no_target"  # no target for the year (e.g. added in a revision)
    ZERO_DENOMINATOR = "zero_denominator"  # target 0 with A/T, actual 0 with T/A, T = B with progress
    NO_BASELINE = "no_baseline"  # progress formula without a baseline
    QUALITATIVE = "qualitative"  # a text target has no rate, only a judgement


@dataclass(frozen=True)
class Quantities:
    """A, T and B of one year in the series' base unit, and the texts they came from."""

    actual: Decimal | None
    target: Decimal | None
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

    @property
    def capped(self) -> bool:
        return self.value is not None and self.uncapped is not None and self.value != self.uncapped


def number_in_base(parsed: Parsed, unit_scale: int) -> Decimal | None:
    """A parsed number in the series' base unit; a bare number is read in the series' unit."""
    if parsed.number is None:
        return None
    if parsed.unit == "" and parsed.scale == 0:
        return parsed.number.scaleb(unit_scale)
    return parsed.number


def resolve_target(series: Series, year: int) -> tuple[Decimal | None, Entry | None]:
    """The target of *year* as a number; relative targets (策定時実績値以上) are resolved."""
    entry = series.targets.get(year)
    if entry is None or entry.parsed.kind is Kind.EMPTY:
        return None, entry
    parsed = entry.parsed
    if parsed.kind is Kind.RELATIVE:
        if parsed.relative_to == "baseline":
            base = series.baseline.entry if series.baseline else None
        else:
            previous = series.values.get(year - 1)
            base = previous.entry if previous and previous.number is not None else None
        if base is None or base.number is None:
            return None, entry
        value = number_in_base(base.parsed, series.unit_scale)
        if value is not None and parsed.relative_change is not None:
            value = value * (1 + parsed.relative_change / 100)
        return value, entry
    if parsed.kind is Kind.NUMBER:
        return number_in_base(parsed, series.unit_scale), entry
    return None, entry


def quantities(series: Series, year: int) -> Quantities:
    target, target_entry = resolve_target(series, year)
    value = series.values.get(year)
    actual = None
    if value is not None and value.number is not None:
        actual = number_in_base(value.entry.parsed, series.unit_scale)
    baseline = None
    if series.baseline is not None and series.baseline.entry.number is not None:
        baseline = number_in_base(series.baseline.entry.parsed, series.unit_scale)
    return Quantities(
        actual=actual,
        target=target,
        baseline=baseline,
        actual_text=value.entry.text if value else "",
        target_text=target_entry.text if target_entry else "",
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
    classify a series through ``read``, so they cannot disagree on which case a value is.
    """

    value: Value | None
    target: Entry | None
    quantities: Quantities
    qualitative: bool  # a qualitative indicator or a text target: judged by its words, no rate
    no_rate: NoRate | None  # None: A and T are numbers, arithmetic decides

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


def read(series: Series, year: int) -> Reading:
    target = series.targets.get(year)
    value = series.values.get(year)
    q = quantities(series, year)
    qualitative = series.qualitative or (target is not None and target.parsed.kind is Kind.TEXT)
    if value is None or (value.entry.parsed.kind is Kind.EMPTY and value.status is Status.CONFIRMED):
        no_rate: NoRate | None = NoRate.NO_VALUE  # nothing entered yet
    elif value.status is Status.PENDING:
        no_rate = NoRate.PENDING
    elif value.status is Status.UNMEASURABLE:
        no_rate = NoRate.UNMEASURABLE
    elif qualitative:
        no_rate = NoRate.QUALITATIVE
    elif q.target is None:
        no_rate = NoRate.NO_TARGET
    elif q.actual is None:
        no_rate = NoRate.NO_VALUE
    else:
        no_rate = None
    return Reading(value, target, q, qualitative, no_rate)


def rate_of(series: Series, year: int, rule: RateRule) -> Rate:
    formula = series.effective_formula
    r = read(series, year)
    q, value = r.quantities, r.value
    status, expected = (value.status, value.expected) if value else (None, None)
    exact, reason = exact_rate(formula, q) if r.no_rate is None else (None, r.no_rate)
    if exact is None:
        return Rate(formula, None, None, None, q, reason or NoRate.ZERO_DENOMINATOR, status, expected)
    uncapped = round_fraction(exact, rule.rounding)
    shown = uncapped
    if rule.cap is not None and uncapped > rule.cap:
        shown = rule.cap.quantize(Decimal(1).scaleb(-rule.rounding.decimals))
    return Rate(formula, shown, uncapped, exact, q, None, status, expected)
