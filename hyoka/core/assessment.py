"""A named judgement of one indicator: the first condition, from the top, that holds.

The value of the data year must be there (a figure, or a statement for a qualitative
indicator); a figure still to come gives the rule's ``pending`` marker, no figure its
``none`` marker. A condition whose measure cannot be computed does not hold, so an
indicator without a baseline falls through to ``none`` (健康日本21's E 評価困難) instead
of being judged on a number it does not have. Indicators with parts take the worst or
best part, or the mean of the parts' points rounded as the rule says (五捨六入) and read
back as the first condition with no more points than that.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .arithmetic import round_fraction
from .criteria import Condition, CriteriaRule
from .judgement import Judgement
from .measures import Measures
from .model import Status
from .rates import NoRate

NO_CONDITION = "no_condition"


def _marker(rule: CriteriaRule, pending: bool, detail: str, parts: tuple[tuple[str, Judgement], ...] = ()) -> Judgement:
    marker = rule.pending if pending else rule.none
    state = "pending" if pending else "none"
    return Judgement(marker.symbol, marker.label, None, "parts" if parts else state, state, detail=detail, parts=parts)


def _matched(rule: CriteriaRule, rank: int, m: Measures) -> Judgement:
    condition: Condition = rule.conditions[rank]
    return Judgement(condition.symbol, condition.label, rank, "conditions", ratio=m.rate, points=condition.points)


def assess_series(rule: CriteriaRule, m: Measures) -> Judgement:
    value = m.series.values.get(m.basis.data_year)
    if value is None or not m.has_figure:
        if value is not None and value.status is Status.PENDING:
            return _marker(rule, True, NoRate.PENDING.value)
        reason = NoRate.UNMEASURABLE if value is not None and value.status is Status.UNMEASURABLE else NoRate.NO_VALUE
        return _marker(rule, False, reason.value)
    undefined: list[str] = []
    for rank, condition in enumerate(rule.conditions):
        results = [(test.measure, test.holds(m.value(test.measure))) for test in condition.tests]
        if all(held is True for _name, held in results):
            return _matched(rule, rank, m)
        undefined += [name for name, held in results if held is None and name not in undefined]
    return _marker(rule, False, ",".join(undefined) or NO_CONDITION)


def assess(rule: CriteriaRule, parts: list[tuple[str, Measures]]) -> Judgement:
    """The judgement of an indicator: its own series, or its parts combined as ``rule.parts`` says."""
    if len(parts) == 1 and parts[0][0] == "":
        return assess_series(rule, parts[0][1])
    each = tuple((label, assess_series(rule, m)) for label, m in parts)
    judged = [(label, j) for label, j in each if j.judged]
    pending = next((label for label, j in each if j.pending), None)
    if rule.parts == "points":
        scored = [j.points for _label, j in judged if j.points is not None]
        if not scored:
            return _marker(rule, pending is not None, pending or NoRate.NO_VALUE.value, each)
        mean = sum((Fraction(p) for p in scored), Fraction(0)) / len(scored)
        rank = points_rank(rule, round_fraction(mean, rule.points_rounding))
        condition = rule.conditions[rank]
        return Judgement(condition.symbol, condition.label, rank, "parts", ratio=mean, detail="points", parts=each, points=condition.points)
    if pending is not None:
        return _marker(rule, True, pending, each)
    if not judged:
        return _marker(rule, False, NoRate.NO_VALUE.value, each)
    pick = max if rule.parts == "worst" else min
    deciding, decided = pick(judged, key=lambda item: item[1].rank or 0)
    assert decided.rank is not None
    condition = rule.conditions[decided.rank]
    return Judgement(condition.symbol, condition.label, decided.rank, "parts", detail=deciding, parts=each, points=condition.points)


def points_rank(rule: CriteriaRule, points: Decimal) -> int:
    """The first condition with no more points than *points* (B before B* when both have 4)."""
    for rank, condition in enumerate(rule.conditions):
        if condition.points is not None and condition.points <= points:
            return rank
    return len(rule.conditions) - 1
