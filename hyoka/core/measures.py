"""The measures of one series in an evaluation year, each exact, for the conditions of a judgement.

A judgement such as 健康日本21's asks several questions of one indicator: has the
final target been reached, did the value improve by 5 % or more since the baseline,
is it above or below the straight line from the baseline to the target. Each answer
is one measure here, computed once with Fractions from the data year and reference
target that `targets.basis_of` chose. A measure that cannot be computed (no baseline,
a baseline of 0 for a relative change) is None, and a condition on it does not hold.

Every measure is direction-aware where it says "better": for a lower-is-better
indicator a fall is an improvement, so ``change`` is positive when the value fell.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from .criteria import MeasureRule
from .model import Series
from .outlook import Outlook
from .projection import Projection, project
from .rates import Quantities, exact_rate, quantities
from .targets import Basis, FinalTarget, final_target, line_value
from .text import same_text
from .values import Kind


@dataclass(frozen=True)
class Measures:
    series: Series
    basis: Basis
    quantities: Quantities
    final: FinalTarget | None
    rule: MeasureRule

    @property
    def sign(self) -> int:
        return -1 if self.series.direction == "lower" else 1

    @property
    def has_figure(self) -> bool:
        value = self.series.values.get(self.basis.data_year)
        return value is not None and value.has_figure

    @cached_property
    def rate(self) -> Fraction | None:
        """The unrounded rate against the reference target (what judgements compare)."""
        q = self.quantities
        if q.actual is None or q.target is None or self.series.qualitative:
            return None
        return exact_rate(self.basis.formula, q)[0]

    @cached_property
    def progress(self) -> Fraction | None:
        """(A − B) ÷ (final target − B) × 100: how far along the way to the final target."""
        a, b = self.quantities.actual, self.quantities.baseline
        if a is None or b is None or self.final is None or self.final.value == b or self.series.qualitative:
            return None
        return (Fraction(a) - Fraction(b)) / (Fraction(self.final.value) - Fraction(b)) * 100

    @property
    def elapsed(self) -> Fraction | None:
        """The elapsed share of the period from the baseline year to the final target's year, in percent."""
        share = self.basis.share
        return None if share is None else share * 100

    @cached_property
    def change_points(self) -> Fraction | None:
        """A − B in the indicator's unit, positive when better."""
        a, b = self.quantities.actual, self.quantities.baseline
        if a is None or b is None:
            return None
        return self.sign * (Fraction(a) - Fraction(b)) / 10**self.series.unit_scale

    @cached_property
    def change(self) -> Fraction | None:
        """(A − B) ÷ |B| × 100, positive when better; None when the baseline is 0."""
        a, b = self.quantities.actual, self.quantities.baseline
        if a is None or b is None or b == 0:
            return None
        return self.sign * (Fraction(a) - Fraction(b)) / abs(Fraction(b)) * 100

    @property
    def lag(self) -> Fraction:
        return Fraction(self.basis.lag)

    @cached_property
    def line(self) -> Fraction | None:
        """The 目安値 of the data year: the point on the line from the baseline to the final target."""
        return line_value(self.series, self.basis.data_year, self.final)

    @cached_property
    def position(self) -> str | None:
        """above / on / below the line (above is the better side)."""
        a = self.quantities.actual
        if a is None or self.line is None or self.series.qualitative:
            return None
        gap = self.sign * (Fraction(a) - self.line)
        return "above" if gap > 0 else "on" if gap == 0 else "below"

    def _met(self, target: Decimal | Fraction | None) -> bool | None:
        a = self.quantities.actual
        if a is None or target is None:
            return None
        return self.sign * (Fraction(a) - Fraction(target)) >= 0

    @cached_property
    def reached(self) -> bool | None:
        """The reference target is reached (a statement: the actual says the same; a direction: it moved that way)."""
        entry = self.basis.entry
        value = self.series.values.get(self.basis.data_year)
        if self.series.qualitative or (entry is not None and entry.parsed.kind is Kind.TEXT):
            if entry is None or value is None or not value.has_figure:
                return None
            return same_text(value.entry.text, entry.text)
        if entry is not None and entry.parsed.trend is not None:
            a, b = self.quantities.actual, self.quantities.baseline
            if a is None or b is None:
                return None
            return a > b if entry.parsed.trend == "increase" else a < b
        return self._met(self.quantities.target)

    @cached_property
    def final_reached(self) -> bool | None:
        if self.series.qualitative:
            return self.reached
        return self._met(self.final.value if self.final is not None else None)

    @cached_property
    def projection(self) -> Projection | None:
        final_year = self.final.year if self.final is not None else None
        return project(self.series, self.basis.year, final_year, self.rule)

    @property
    def outlook(self) -> str | None:
        p = self.projection
        return None if p is None else Outlook(p.outlook).value

    @property
    def outlook_ratio(self) -> Fraction | None:
        p = self.projection
        return None if p is None or p.ratio is None else Fraction(p.ratio)

    def value(self, name: str) -> Fraction | bool | str | None:
        """The measure a condition names (criteria.MEASURE_NAMES)."""
        if name == "qualitative":
            return self.series.qualitative
        return getattr(self, name)


def measure(series: Series, basis: Basis, rule: MeasureRule, final_year: int | None) -> Measures:
    return Measures(series, basis, quantities(series, basis.year, basis), final_target(series, final_year), rule)
