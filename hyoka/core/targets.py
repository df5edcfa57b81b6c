"""Which value is compared with which target: the data year and the reference target.

The seeds compare the actual and the target of one year. Other evaluations judge the
newest figure they have (statistics lag: a 2024 evaluation may see 2022), and judge it
against the final target, the 目安値 on the straight line from the baseline to the final
target, or the elapsed share of the period. A `Basis` records that choice for one series
so that the rate, the judgements and the explanation all use the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .arithmetic import round_fraction
from .criteria import MeasureRule
from .model import Entry, Series
from .ruleparse import Rounding
from .values import Kind, Parsed


def number_in_base(parsed: Parsed, unit_scale: int) -> Decimal | None:
    """A parsed number in the series' base unit; a bare number is read in the series' unit."""
    if parsed.number is None:
        return None
    if parsed.unit == "" and parsed.scale == 0:
        return parsed.number.scaleb(unit_scale)
    return parsed.number


def _actual_of(series: Series, year: int) -> Decimal | None:
    value = series.values.get(year)
    if value is not None and value.number is not None:
        return number_in_base(value.entry.parsed, series.unit_scale)
    return None


def _figure_of_year(series: Series, year: int) -> Decimal | None:
    """The figure of a named year (平成20年度比): its actual, or the baseline when the baseline is of that year."""
    actual = _actual_of(series, year)
    b = series.baseline
    if actual is None and b is not None and b.year == year and b.entry.number is not None:
        return number_in_base(b.entry.parsed, series.unit_scale)
    return actual


def resolve_target(series: Series, year: int) -> tuple[Decimal | None, Entry | None]:
    """The target of *year* as a number; relative targets (策定時実績値以上, 平成20年度比25%減) are resolved.

    A target that names only a direction (「増加」「減少傾向へ」) has no number: it is judged
    by the change from the baseline instead.
    """
    entry = series.targets.get(year)
    if entry is None or entry.parsed.kind is Kind.EMPTY:
        return None, entry
    parsed = entry.parsed
    if parsed.kind is Kind.RELATIVE:
        if parsed.trend is not None:
            return None, entry
        if parsed.relative_to == "baseline":
            b = series.baseline
            value = number_in_base(b.entry.parsed, series.unit_scale) if b is not None and b.entry.number is not None else None
        elif parsed.relative_to == "previous":
            value = _actual_of(series, year - 1)
        else:
            value = _figure_of_year(series, int(parsed.relative_to or 0))
        if value is not None and parsed.relative_change is not None:
            value = value * (1 + parsed.relative_change / 100)
        return value, entry
    if parsed.kind is Kind.NUMBER:
        return number_in_base(parsed, series.unit_scale), entry
    return None, entry


@dataclass(frozen=True)
class FinalTarget:
    year: int
    value: Decimal
    entry: Entry


def final_target(series: Series, final_year: int | None) -> FinalTarget | None:
    """The last numeric target at or before *final_year* (every target year when it is None)."""
    years = [y for y in series.targets if final_year is None or y <= final_year]
    for y in sorted(years, reverse=True):
        value, entry = resolve_target(series, y)
        if value is not None and entry is not None:
            return FinalTarget(y, value, entry)
    return None


def data_year(series: Series, year: int, window: int) -> int:
    """The newest year at or before *year*, at most *window* years before, that has a figure; else *year*."""
    for y in range(year, year - window - 1, -1):
        value = series.values.get(y)
        if value is not None and value.has_figure:
            return y
    return year


@dataclass(frozen=True)
class Basis:
    """What one series is judged on in an evaluation year."""

    year: int  # the evaluation year
    data_year: int  # the year of the value judged
    reference: str  # same_year | interpolated | elapsed_share | final
    formula: str  # the rate formula used
    target: Decimal | Fraction | None  # the reference target in base units
    entry: Entry | None  # the target as entered (for 目安値: the final target it is drawn to)
    target_year: int | None  # the year of the target the reference is taken from
    share: Fraction | None = None  # elapsed share of the period, for interpolated and elapsed_share
    baseline_year: int | None = None

    @property
    def lag(self) -> int:
        return self.year - self.data_year

    @property
    def drawn(self) -> bool:
        """True when the target is a point on the line from the baseline (目安値, elapsed share)."""
        return self.reference in ("interpolated", "elapsed_share")


def elapsed_share(series: Series, year: int, final: FinalTarget | None) -> Fraction | None:
    """(year − baseline year) ÷ (final year − baseline year), held within 0 and 1."""
    b = series.baseline
    if b is None or b.year is None or final is None or final.year <= b.year:
        return None
    share = Fraction(year - b.year, final.year - b.year)
    return min(max(share, Fraction(0)), Fraction(1))


def baseline_number(series: Series) -> Decimal | None:
    b = series.baseline
    if b is None or b.entry.number is None:
        return None
    return number_in_base(b.entry.parsed, series.unit_scale)


def line_value(series: Series, year: int, final: FinalTarget | None) -> Fraction | None:
    """The 目安値 of *year*: the point on the straight line from the baseline to the final target."""
    share = elapsed_share(series, year, final)
    base = baseline_number(series)
    if share is None or base is None or final is None:
        return None
    return Fraction(base) + (Fraction(final.value) - Fraction(base)) * share


def drawn_text(value: Decimal | Fraction, unit_scale: int) -> str:
    """A 目安値 in the series' unit as a reader sees it: 「3,812.5」, or 「約3,812.33」 when it does not end."""
    shown = Fraction(value) / 10**unit_scale
    exact = round_fraction(shown, Rounding("half_up", 2))
    if Fraction(exact) == shown:
        return f"{exact.normalize():,f}"
    return f"約{exact:,f}"


def basis_of(series: Series, year: int, rule: MeasureRule, final_year: int | None = None) -> Basis:
    """The data year and the reference target of *series* for the evaluation of *year*."""
    dy = data_year(series, year, rule.window)
    formula = rule.formula or series.effective_formula
    baseline_year = series.baseline.year if series.baseline is not None else None
    if rule.reference == "same_year" or series.qualitative:  # a statement is compared with the statement of its year
        value, entry = resolve_target(series, dy)
        return Basis(year, dy, "same_year", formula, value, entry, dy if entry is not None else None, baseline_year=baseline_year)
    final = final_target(series, final_year)
    if rule.reference == "final":
        if final is None:
            return Basis(year, dy, "final", formula, None, None, None, baseline_year=baseline_year)
        return Basis(year, dy, "final", formula, final.value, final.entry, final.year, baseline_year=baseline_year)
    share = elapsed_share(series, dy, final)
    if rule.reference == "elapsed_share":
        formula = "progress"
    return Basis(
        year,
        dy,
        rule.reference,
        formula,
        line_value(series, dy, final),
        final.entry if final is not None else None,
        final.year if final is not None else None,
        share,
        baseline_year,
    )
