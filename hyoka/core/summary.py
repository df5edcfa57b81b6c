"""Counts and shares of judgements and grades, overall and per top-level node.

Seed 001 prints 126 ◎ (74.6 %), 15 ○ (8.9 %), 28 △ of 169 checked and 83.4 % for
◎+○ together: the combined share is computed from the counts, not by adding the
rounded shares (74.6 + 8.9 would give 83.5).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from .arithmetic import share
from .engine import Evaluation, IndicatorResult
from .judgement import Judgement
from .rules import Rounding

ALL = "__all__"


@dataclass
class JudgementCounts:
    symbols: list[str]  # band symbols, best first
    counts: dict[str, int] = field(default_factory=dict)
    pending: int = 0
    none: int = 0

    @property
    def checked(self) -> int:
        return sum(self.counts.get(s, 0) for s in self.symbols)

    @property
    def total(self) -> int:
        return self.checked + self.pending + self.none

    def shares(self, rounding: Rounding) -> dict[str, Decimal | None]:
        return {s: share(self.counts.get(s, 0), self.checked, rounding) for s in self.symbols}

    def at_least(self, rounding: Rounding) -> dict[str, Decimal | None]:
        """Share of checked indicators judged this band or better (◎+○ → 83.4 %)."""
        out: dict[str, Decimal | None] = {}
        running = 0
        for s in self.symbols:
            running += self.counts.get(s, 0)
            out[s] = share(running, self.checked, rounding)
        return out


@dataclass
class GradeCounts:
    labels: list[str]  # band labels, best first, then the no-data label
    no_data: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def graded(self) -> int:
        return sum(v for k, v in self.counts.items() if k != self.no_data)

    def shares(self, rounding: Rounding) -> dict[str, Decimal | None]:
        return {label: share(self.counts.get(label, 0), self.graded, rounding) for label in self.labels if label != self.no_data}


@dataclass
class RateCounts:
    with_rate: int = 0
    without_rate: Counter[str] = field(default_factory=Counter)


@dataclass
class Summary:
    judgements: dict[str, JudgementCounts]  # ALL and each top-level node id
    grades: dict[str, dict[str, GradeCounts]]  # level -> ALL / top-level node id -> counts
    rates: dict[str, RateCounts]
    share_rounding: Rounding
    named: dict[str, dict[str, JudgementCounts]] = field(default_factory=dict)  # judgement name -> ALL / top -> counts


def summarize(ev: Evaluation) -> Summary:
    plan = ev.plan
    tops = [n.id for n in plan.roots]
    rounding = ev.rules.summary.share_rounding
    judgements: dict[str, JudgementCounts] = {}
    rule = ev.rules.judgement
    if rule is not None:
        judgements = _counts(ev, [b.symbol for b in rule.bands], tops, None)
    named = {c.name: _counts(ev, list(dict.fromkeys(x.symbol for x in c.conditions)), tops, c.name) for c in ev.rules.judgements}
    rates = {key: RateCounts() for key in [ALL, *tops]}
    for result in ev.indicators.values():
        for key in (ALL, _top(ev, result)):
            for _label, _series, rate in result.rates:
                if rate.value is not None:
                    rates[key].with_rate += 1
                elif rate.reason is not None:
                    rates[key].without_rate[rate.reason.value] += 1
    grades: dict[str, dict[str, GradeCounts]] = {}
    for grade_rule in ev.rules.grades:
        if grade_rule.is_plan:
            continue
        labels = [b.label for b in grade_rule.bands] + [grade_rule.no_data]
        per = {key: GradeCounts(labels, grade_rule.no_data) for key in [ALL, *tops]}
        for node_id, node_result in ev.nodes.items():
            grade = node_result.grade
            if grade is None or grade.rule is not grade_rule:
                continue
            for key in (ALL, plan.top_of(node_id).id):
                per[key].counts[grade.label] = per[key].counts.get(grade.label, 0) + 1
        grades[grade_rule.level] = per
    return Summary(judgements, grades, rates, rounding, named)


def _top(ev: Evaluation, result: IndicatorResult) -> str:
    return ev.plan.top_of(result.indicator.node).id


def _counts(ev: Evaluation, symbols: list[str], tops: list[str], name: str | None) -> dict[str, JudgementCounts]:
    """Counts of one judgement (the ◎○△ one for *name* None), overall and per top-level node."""
    counts = {key: JudgementCounts(symbols) for key in [ALL, *tops]}
    for result in ev.indicators.values():
        j = result.judgement_named(name)
        if j is None:
            continue
        for key in (ALL, _top(ev, result)):
            _count_judgement(counts[key], j)
    return counts


def _count_judgement(counts: JudgementCounts, j: Judgement) -> None:
    if j.judged:
        counts.counts[j.symbol] = counts.counts.get(j.symbol, 0) + 1
    elif j.pending:
        counts.pending += 1
    else:
        counts.none += 1
