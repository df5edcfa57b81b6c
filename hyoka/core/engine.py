"""The evaluation of a plan for one year: every rate, judgement, grade and count.

``evaluate(plan, year)`` is the one entry point; the CLI, the reports, the web app
and the public site all show what it returns, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .arithmetic import round_fraction
from .grades import Grade, GradeInput, clamp, grade_from_inputs
from .judgement import Judgement, judge
from .model import Indicator, Node, Plan, Series
from .rates import Rate, rate_of
from .rules import PLAN_LEVEL, GradeRule, RuleSet


@dataclass(frozen=True)
class PartResult:
    series: Series
    rate: Rate


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    rate: Rate | None  # None for an indicator with parts (each part has its rate)
    parts: tuple[PartResult, ...]
    judgement: Judgement | None

    @property
    def rates(self) -> list[tuple[str, Series, Rate]]:
        """Every rate of the indicator, with the part label ("" for a plain indicator)."""
        if self.rate is not None:
            return [("", self.indicator, self.rate)]
        return [(p.series.label or p.series.id, p.series, p.rate) for p in self.parts]


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
    """One indicator's rates and judgement, exactly as ``evaluate`` has them (they depend on nothing else)."""
    judgement = judge(ind, year, rules.judgement) if rules.judgement else None
    if ind.parts:
        parts = tuple(PartResult(p, rate_of(p, year, rules.rate)) for p in ind.parts)
        return IndicatorResult(ind, None, parts, judgement)
    return IndicatorResult(ind, rate_of(ind, year, rules.rate), (), judgement)


def _grade(ev: Evaluation, rule: GradeRule, node: Node | None) -> Grade:
    if rule.source == "grades":
        return _grade_of_grades(ev, rule, node)
    if rule.source == "judgements":
        return _grade_of_judgements(ev, rule, node)
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
    judged = [r for r in _scope_results(ev, rule, node) if r.judgement is not None and r.judgement.judged]
    if not judged:
        return grade_from_inputs(rule, [], ev.rules.rate.rounding)
    met = sum(1 for r in judged if r.judgement is not None and r.judgement.symbol in rule.count)
    value = round_fraction(Fraction(met * 100, len(judged)), ev.rules.summary.share_rounding)
    single = GradeInput("share", "達成の割合", value, value)
    grade = grade_from_inputs(rule, [single], ev.rules.rate.rounding)
    return Grade(grade.rule, grade.band, grade.mean, grade.exact, grade.inputs, counted=met, judged=len(judged))
