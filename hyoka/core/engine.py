"""The evaluation of a plan for one year: every rate, judgement, grade and count.

``evaluate(plan, year)`` is the one entry point; the CLI, the reports, the web app
and the public site all show what it returns, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from .arithmetic import round_fraction
from .assessment import assess
from .criteria import MeasureRule
from .grades import Grade, GradeInput, clamp, grade_from_inputs
from .judgement import Judgement, judge
from .measures import Measures, measure
from .model import Indicator, Node, Plan, Series
from .rates import SAME_YEAR, Rate, rate_of
from .rules import PLAN_LEVEL, GradeRule, RuleSet
from .targets import basis_of


@dataclass(frozen=True)
class PartResult:
    """The rate of one series (an indicator, or one of its parts) and, when asked, its measures."""

    series: Series
    rate: Rate
    final_year: int | None = None
    rule: MeasureRule = SAME_YEAR

    @cached_property
    def measures(self) -> Measures:
        assert self.rate.basis is not None
        return measure(self.series, self.rate.basis, self.rule, self.final_year)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    rate: Rate | None  # None for an indicator with parts (each part has its rate)
    parts: tuple[PartResult, ...]
    judgement: Judgement | None
    own: PartResult | None = None  # the plain indicator's series (None when it has parts)
    judgements: dict[str, Judgement] = field(default_factory=dict)  # named judgements (rules.judgements), in rule order

    @property
    def rates(self) -> list[tuple[str, Series, Rate]]:
        """Every rate of the indicator, with the part label ("" for a plain indicator)."""
        if self.rate is not None:
            return [("", self.indicator, self.rate)]
        return [(p.series.label or p.series.id, p.series, p.rate) for p in self.parts]

    @property
    def series_results(self) -> list[tuple[str, PartResult]]:
        """Every series with its label ("" for a plain indicator), for its measures."""
        if self.own is not None:
            return [("", self.own)]
        return [(p.series.label or p.series.id, p) for p in self.parts]

    def judgement_named(self, name: str | None) -> Judgement | None:
        """A named judgement, or the ◎○△ judgement for None."""
        return self.judgement if name is None else self.judgements.get(name)


@dataclass(frozen=True)
class NodeResult:
    node: Node
    grade: Grade | None


@dataclass
class Evaluation:
    plan: Plan
    year: int
    rules: RuleSet
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    nodes: dict[str, NodeResult] = field(default_factory=dict)
    plan_grade: Grade | None = None

    def indicators_under(self, node_id: str, *, scope: str = "descendants") -> list[IndicatorResult]:
        ids = [node_id]
        if scope == "descendants":
            ids += [n.id for n in self.plan.descendants(node_id)]
        out: list[IndicatorResult] = []
        for nid in ids:
            out.extend(self.indicators[i.id] for i in self.plan.indicators_of.get(nid, []))
        return out


def evaluate(plan: Plan, year: int, rules: RuleSet | None = None) -> Evaluation:
    """Evaluate *plan* for fiscal (or calendar) *year* with its own rules or *rules*."""
    rules = rules or plan.rules
    ev = Evaluation(plan, year, rules)
    for ind in plan.indicators:
        ev.indicators[ind.id] = indicator_result(ind, year, rules)
    for node in plan.nodes:
        ev.nodes[node.id] = NodeResult(node, None)
    for grade_rule in rules.grades:
        if grade_rule.level == PLAN_LEVEL:
            ev.plan_grade = _grade(ev, grade_rule, None)
            continue
        for node in plan.nodes:
            if node.level == grade_rule.level and node.status != "abolished":
                ev.nodes[node.id] = NodeResult(node, _grade(ev, grade_rule, node))
    return ev


def indicator_result(ind: Indicator, year: int, rules: RuleSet) -> IndicatorResult:
    """One indicator's rates and judgements, exactly as ``evaluate`` has them (they depend on nothing else)."""
    final_year = ind.final_target_year

    def result(series: Series) -> PartResult:
        basis = basis_of(series, year, rules.measures, final_year)
        return PartResult(series, rate_of(series, year, rules.rate, basis), final_year, rules.measures)

    if ind.parts:
        parts, own = tuple(result(p) for p in ind.parts), None
        measured = [(p.series.label or p.series.id, p.measures) for p in parts] if rules.judgements else []
    else:
        parts, own = (), result(ind)
        measured = [("", own.measures)] if rules.judgements else []
    bases = {p.series.id: p.rate.basis for p in (own, *parts) if p is not None and p.rate.basis is not None}
    judgement = judge(ind, year, rules.judgement, rules.measures, bases) if rules.judgement else None
    named = {rule.name: assess(rule, measured) for rule in rules.judgements}
    return IndicatorResult(ind, own.rate if own else None, parts, judgement, own, named)


def _grade(ev: Evaluation, rule: GradeRule, node: Node | None) -> Grade:
    if rule.source == "grades":
        return _grade_of_grades(ev, rule, node)
    if rule.source == "judgements":
        return _grade_of_judgements(ev, rule, node)
    if rule.source == "points":
        return _grade_of_points(ev, rule, node)
    return _grade_of_rates(ev, rule, node)


def _scope_results(ev: Evaluation, rule: GradeRule, node: Node | None) -> list[IndicatorResult]:
    if node is None:
        results = [ev.indicators[i.id] for i in ev.plan.indicators]
    else:
        results = ev.indicators_under(node.id, scope=rule.scope)
    return [r for r in results if r.indicator.kind in rule.kinds]


def _grade_of_rates(ev: Evaluation, rule: GradeRule, node: Node | None) -> Grade:
    inputs: list[GradeInput] = []
    excluded: list[tuple[str, str, str]] = []
    for result in _scope_results(ev, rule, node):
        ind = result.indicator
        rates = result.rates
        shown = [(label, r) for label, _s, r in rates if r.value is not None]
        for label, _s, r in rates:
            if r.value is None:
                excluded.append((_input_id(ind, label), ind.name, r.reason.value if r.reason else ""))
        if not shown:
            continue
        if rule.parts == "each" or len(shown) == 1:
            for label, r in shown:
                assert r.value is not None
                inputs.append(_input(rule, ind, label, r.value))
        else:
            values = [Fraction(r.value) for _l, r in shown if r.value is not None]
            if rule.parts == "worst":
                combined = min(values)
            else:
                combined = sum(values, Fraction(0)) / len(values)
            value = round_fraction(combined, ev.rules.rate.rounding)
            inputs.append(_input(rule, ind, "", value))
    return grade_from_inputs(rule, inputs, ev.rules.rate.rounding, excluded)


def _input_id(ind: Indicator, label: str) -> str:
    return f"{ind.id}[{label}]" if label else ind.id


def _input(rule: GradeRule, ind: Indicator, label: str, value: Decimal) -> GradeInput:
    name = f"{ind.name}（{label}）" if label else ind.name
    return GradeInput(_input_id(ind, label), name, value, clamp(value, rule.clamp), ind.weight)


def _grade_of_grades(ev: Evaluation, rule: GradeRule, node: Node | None) -> Grade:
    candidates = ev.plan.nodes if node is None else ev.plan.descendants(node.id)
    inputs: list[GradeInput] = []
    excluded: list[tuple[str, str, str]] = []
    for n in candidates:
        if n.level != rule.of_level:
            continue
        result = ev.nodes.get(n.id)
        grade = result.grade if result else None
        if grade is None or grade.mean is None:
            excluded.append((n.id, n.name, grade.label if grade else ""))
            continue
        inputs.append(GradeInput(n.id, n.name, grade.mean, clamp(grade.mean, rule.clamp)))
    return grade_from_inputs(rule, inputs, ev.rules.rate.rounding, excluded)


def _grade_of_judgements(ev: Evaluation, rule: GradeRule, node: Node | None) -> Grade:
    judgements = [r.judgement_named(rule.judgement) for r in _scope_results(ev, rule, node)]
    judged = [j for j in judgements if j is not None and j.judged]
    if not judged:
        return grade_from_inputs(rule, [], ev.rules.rate.rounding)
    met = sum(1 for j in judged if j.symbol in rule.count)
    value = round_fraction(Fraction(met * 100, len(judged)), ev.rules.summary.share_rounding)
    single = GradeInput("share", "達成の割合", value, value)
    grade = grade_from_inputs(rule, [single], ev.rules.rate.rounding)
    return Grade(grade.rule, grade.band, grade.mean, grade.exact, grade.inputs, counted=met, judged=len(judged))


def _grade_of_points(ev: Evaluation, rule: GradeRule, node: Node | None) -> Grade:
    """The points of each judged indicator (A=5 …), aggregated; indicators not judged (E, ■) are left out."""
    inputs: list[GradeInput] = []
    excluded: list[tuple[str, str, str]] = []
    for result in _scope_results(ev, rule, node):
        ind = result.indicator
        j = result.judgement_named(rule.judgement)
        if j is None or not j.judged or j.points is None:
            excluded.append((ind.id, ind.name, j.symbol if j is not None else ""))
            continue
        inputs.append(GradeInput(ind.id, f"{ind.name}（{j.symbol}）", j.points, clamp(j.points, rule.clamp), ind.weight))
    return grade_from_inputs(rule, inputs, ev.rules.rate.rounding, excluded)
