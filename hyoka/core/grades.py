"""Grades of nodes and of the whole plan, SPEC 4.2.

A grade takes the rates (or lower grades, or judgements) under a node, clamps them
if the rule says so, aggregates, rounds like a rate and looks the result up in the
bands. The inputs are kept so that the explanation can name every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .arithmetic import mean, median, round_fraction, weighted_mean
from .rules import Band, GradeRule, Rounding


@dataclass(frozen=True)
class GradeInput:
    """One number that went into a grade: a rate, a lower grade's mean or a share."""

    source_id: str  # indicator id (with part label) or node id
    name: str
    value: Decimal  # as shown (rounded rate, or a lower node's mean)
    used: Decimal  # after the clamp
    weight: Decimal | None = None


@dataclass(frozen=True)
class Grade:
    """The grade of a node (or of the plan) in one year."""

    rule: GradeRule
    band: Band | None  # None when there was nothing to average (no_data)
    mean: Decimal | None
    exact: Fraction | None
    inputs: tuple[GradeInput, ...]
    excluded: tuple[tuple[str, str, str], ...] = ()  # (id, name, reason) of inputs left out
    counted: int = 0  # for source "judgements": how many met
    judged: int = 0

    @property
    def label(self) -> str:
        return self.band.label if self.band else self.rule.no_data

    @property
    def symbol(self) -> str:
        return self.band.symbol if self.band else ""


def band_for(bands: tuple[Band, ...], value: Decimal) -> Band:
    for band in bands:
        if band.min is None or value >= band.min:
            return band
    return bands[-1]


def clamp(value: Decimal, bounds: tuple[Decimal, Decimal] | None) -> Decimal:
    if bounds is None:
        return value
    low, high = bounds
    return max(low, min(high, value))


def aggregate(rule: GradeRule, inputs: list[GradeInput]) -> Fraction | None:
    used = [Fraction(i.used) for i in inputs]
    if rule.aggregate == "mean":
        return mean(used)
    if rule.aggregate == "median":
        return median(used)
    if rule.aggregate == "min":
        return min(used) if used else None
    if rule.aggregate == "max":
        return max(used) if used else None
    if rule.aggregate == "sum":  # point sums (達成率 7 points + 取組方針 3 points)
        return sum(used, Fraction(0)) if used else None
    return weighted_mean((Fraction(i.used), Fraction(i.weight if i.weight is not None else 1)) for i in inputs)


def grade_from_inputs(
    rule: GradeRule,
    inputs: list[GradeInput],
    rounding: Rounding,
    excluded: list[tuple[str, str, str]] | None = None,
) -> Grade:
    exact = aggregate(rule, inputs)
    if exact is None:
        return Grade(rule, None, None, None, tuple(inputs), tuple(excluded or ()))
    shown = round_fraction(exact, rule.rounding or rounding)
    return Grade(rule, band_for(rule.bands, shown), shown, exact, tuple(inputs), tuple(excluded or ()))
