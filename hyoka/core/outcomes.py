"""The figures of one plan's evaluation as flat rows: rates, judgements and grades.

The national evaluation (``hyoka evaluate --db --all``) computes these for every stored
plan, by the batch path where it can (``batch``) and by the engine where it cannot;
both give a `PlanOutcome`, so the table written is the same whichever path computed it,
and the tests compare the two paths on exactly what the user gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .engine import Evaluation
from .rates import NoRate
from .rules import PLAN_LEVEL


@dataclass(frozen=True)
class RateOutcome:
    """The rate of an indicator, or of one of its parts (*part* is the part's id, "" for the indicator)."""

    indicator: str
    part: str
    node: str
    rate: Decimal | None  # rounded and capped, as shown
    uncapped: Decimal | None
    no_rate: NoRate | None


@dataclass(frozen=True)
class GradeOutcome:
    """The grade of a node, or of the plan (node "", level ``plan``)."""

    node: str
    level: str
    label: str
    mean: Decimal | None
    inputs: int


@dataclass(frozen=True)
class PlanOutcome:
    plan: str
    organization: str  # 全国地方公共団体コード
    year: int
    rates: tuple[RateOutcome, ...]  # in the plan's order of indicators, parts in order
    judgements: tuple[tuple[str, str], ...]  # (indicator id, symbol), when the rules judge
    grades: tuple[GradeOutcome, ...]  # in the plan's order of nodes, the plan's grade last


def outcome_of(ev: Evaluation) -> PlanOutcome:
    """The flat figures of an engine evaluation."""
    plan = ev.plan
    rates = []
    judgements = []
    for ind in plan.indicators:
        result = ev.indicators[ind.id]
        for label, series, rate in result.rates:
            rates.append(RateOutcome(ind.id, series.id if label else "", ind.node, rate.value, rate.uncapped, rate.reason))
        if result.judgement is not None:
            judgements.append((ind.id, result.judgement.symbol))
    grades = [GradeOutcome(n.id, n.level, g.label, g.mean, len(g.inputs)) for n in plan.nodes if (g := ev.nodes[n.id].grade) is not None]
    if ev.plan_grade is not None:
        g = ev.plan_grade
        grades.append(GradeOutcome("", PLAN_LEVEL, g.label, g.mean, len(g.inputs)))
    return PlanOutcome(plan.id, plan.organization.code, ev.year, tuple(rates), tuple(judgements), tuple(grades))
