"""Between the database and the core: rows → `hyoka/1` document → core ``Plan``, and back.

The web layer never parses a value or computes a rate itself: it writes the rows out as
the `hyoka/1` document the core already validates (``plan_from_dict``) and hands the
result to ``evaluate``. Building through the document also makes DB → file → DB lossless
by construction, which the round-trip tests check on every sample plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ...core.engine import Evaluation, evaluate
from ...core.errors import InputError
from ...core.model import Cycle, NodeTexts, Organization, Project, Review
from ...core.model import Node as CoreNode
from ...core.model import Plan as CorePlan
from ...core.model import Series as CoreSeries
from ...core.rules import parse_rules
from ...formats.hyoka1 import node_to_dict, plan_from_dict, plan_to_dict
from ..accounts.models import Department
from . import models as m

_CACHE_SIZE = 16


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in ("", None, [], {})}


def _years(rows: Any, out: Any) -> dict[str, Any]:
    return {str(r.year): out(r) for r in sorted(rows, key=lambda r: r.year)}


def document(plan: m.Plan) -> dict[str, Any]:
    """The `hyoka/1` document of a stored plan, read with one query per table."""
    nodes = list(m.Node.objects.filter(plan=plan).select_related("parent").order_by("position"))
    texts: dict[int, list[m.NodeText]] = defaultdict(list)
    for t in m.NodeText.objects.filter(node__plan=plan):
        texts[t.node_id].append(t)
    reviews: dict[int, list[m.Review]] = defaultdict(list)
    for rv in m.Review.objects.filter(node__plan=plan):
        reviews[rv.node_id].append(rv)
    indicators = list(m.Indicator.objects.filter(plan=plan).select_related("node").order_by("position"))
    series: dict[int, list[m.Series]] = defaultdict(list)
    for s in m.Series.objects.filter(indicator__plan=plan).order_by("position"):
        series[s.indicator_id].append(s)
    targets: dict[int, list[m.Target]] = defaultdict(list)
    for t in m.Target.objects.filter(series__indicator__plan=plan):
        targets[t.series_id].append(t)
    values: dict[int, list[m.Value]] = defaultdict(list)
    for v in m.Value.objects.filter(series__indicator__plan=plan):
        values[v.series_id].append(v)
    spec = m.RuleSetVersion.objects.filter(plan=plan).order_by("-version").values_list("spec", flat=True)[0]

    def series_doc(s: m.Series) -> dict[str, Any]:
        out: dict[str, Any] = {"name": s.name, "unit": s.unit, "direction": s.direction}
        if s.label:
            out["label"] = s.label
        if s.formula:
            out["formula"] = s.formula
        if s.baseline_value is not None:
            out["baseline"] = {"value": s.baseline_value} | _drop_empty({"year": s.baseline_year, "note": s.baseline_note})
        out["targets"] = _years(targets[s.pk], lambda t: t.text)
        out["values"] = _years(values[s.pk], value_doc)
        if s.note:
            out["note"] = s.note
        return out

    def indicator_doc(i: m.Indicator) -> dict[str, Any]:
        own, *parts = series[i.pk]
        return (
            {
                "id": i.key,
                "node": i.node.key,
                "kind": i.kind,
                "aggregation": i.aggregation,
                "period_basis": i.period_basis,
            }
            | series_doc(own)
            | _drop_empty(
                {
                    "final_target_year": i.final_target_year,
                    "departments": i.departments,
                    "footnotes": i.footnotes,
                    "added_in": i.added_in,
                    "weight": i.weight,
                    "parts": [{"id": p.part, **series_doc(p)} for p in parts],
                }
            )
            | i.extras
        )

    def core_node(n: m.Node) -> CoreNode:
        return CoreNode(
            id=n.key,
            level=n.level,
            name=n.name,
            parent=n.parent.key if n.parent else None,
            number=n.number,
            description=n.description,
            departments=n.departments,
            tags=n.tags,
            status=n.status,
            note=n.note,
            texts={t.year: NodeTexts(t.results, t.issues, t.summary, t.funding) for t in texts[n.pk]},
            reviews={r.year: Review(r.grade, r.comments, r.answer) for r in reviews[n.pk]},
            projects=[Project(p["name"], p.get("departments", []), p.get("tags", [])) for p in n.projects],
            activities=n.activities,
            extras=n.extras,
        )

    head = CorePlan(
        id=plan.key,
        name=plan.name,
        organization=Organization(plan.organization_name, plan.organization_code),
        period_start=plan.period_start,
        period_end=plan.period_end,
        levels=list(plan.levels),
        rules=parse_rules(spec, f"{plan.key}:rules"),
        rules_spec=spec,
        description=plan.description,
        cycles={c.year: Cycle(c.status, c.due) for c in plan.cycles.all()},
        extras=plan.extras,
    )
    doc = plan_to_dict(head)
    doc["nodes"] = [node_to_dict(core_node(n)) for n in nodes]
    doc["indicators"] = [indicator_doc(i) for i in indicators]
    return doc


def value_doc(v: m.Value) -> dict[str, Any]:
    return {"value": v.text} | _drop_empty(
        {
            "status": v.status,
            "expected": v.expected,
            "note": v.note,
            "judgement": v.judgement,
            "judgement_reason": v.judgement_reason,
        }
    )


@dataclass
class _Computed:
    """A stored plan as the core sees it, and its evaluations, for one revision of the plan.

    Kept together so that every page sees one set of core objects (an evaluation's series
    *are* the plan's series), and dropped together when the plan changes.
    """

    plan: CorePlan
    evaluations: dict[int, Evaluation] = field(default_factory=dict)


_cache: dict[tuple[int, str], _Computed] = {}


def _computed(plan: m.Plan) -> _Computed:
    key = (plan.pk, plan.revision)
    found = _cache.get(key)
    if found is None:
        found = _Computed(plan_from_dict(document(plan), where=plan.key))
        if len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = found
    return found


def core_plan(plan: m.Plan) -> CorePlan:
    """The plan as the core knows it; shared between requests until the plan's revision changes.

    Callers must treat the result as read-only (copy what they want to change).
    """
    return _computed(plan).plan


def evaluation(plan: m.Plan, year: int) -> Evaluation:
    """``evaluate`` of the stored plan, computed once per revision and year; its ``.plan`` is ``core_plan(plan)``."""
    computed = _computed(plan)
    found = computed.evaluations.get(year)
    if found is None:
        found = computed.evaluations[year] = evaluate(computed.plan, year)
    return found


def touch(plan: m.Plan) -> None:
    """Mark the plan changed: computed plans and evaluations of older revisions are not used again."""
    plan.revision = m.new_revision()
    m.Plan.objects.filter(pk=plan.pk).update(revision=plan.revision)


@transaction.atomic
def store_plan(plan: CorePlan, *, replace: bool = False) -> m.Plan:
    """Write a core plan into the database (all or nothing); *replace* drops a stored plan of the same id."""
    existing = m.Plan.objects.filter(key=plan.id).first()
    if existing is not None:
        if not replace:
            raise InputError.one(
                f"plan.id={plan.id}", "同じ ID の計画がすでに登録されています", "a plan with this id is already stored", plan.id
            )
        existing.delete()
    row = m.Plan.objects.create(
        key=plan.id,
        name=plan.name,
        organization_name=plan.organization.name,
        organization_code=plan.organization.code,
        period_start=plan.period_start,
        period_end=plan.period_end,
        levels=list(plan.levels),
        description=plan.description,
        extras=plan.extras,
    )
    m.RuleSetVersion.objects.create(plan=row, version=1, spec=plan.rules_spec, note="取込み")
    m.Cycle.objects.bulk_create(m.Cycle(plan=row, year=y, status=c.status, due=c.due) for y, c in plan.cycles.items())
    _store_nodes(row, plan)
    _store_indicators(row, plan)
    names = {d for n in plan.nodes for d in n.departments} | {d for i in plan.indicators for d in i.departments}
    known = set(Department.objects.filter(name__in=names).values_list("name", flat=True))
    Department.objects.bulk_create(Department(name=n) for n in sorted(names - known))
    return row


def _store_nodes(row: m.Plan, plan: CorePlan) -> None:
    nodes = m.Node.objects.bulk_create(
        m.Node(
            plan=row,
            key=n.id,
            position=i,
            level=n.level,
            number=n.number,
            name=n.name,
            description=n.description,
            departments=n.departments,
            tags=n.tags,
            status=n.status,
            note=n.note,
            projects=[_drop_empty({"name": p.name, "departments": p.departments, "tags": p.tags}) for p in n.projects],
            activities=n.activities,
            extras=n.extras,
        )
        for i, n in enumerate(plan.nodes)
    )
    by_key = {n.key: n for n in nodes}
    children = []
    for n in plan.nodes:
        if n.parent is not None:
            child = by_key[n.id]
            child.parent = by_key[n.parent]
            children.append(child)
    m.Node.objects.bulk_update(children, ["parent"], batch_size=500)
    m.NodeText.objects.bulk_create(
        m.NodeText(node=by_key[n.id], year=y, results=t.results, issues=t.issues, summary=t.summary, funding=t.funding)
        for n in plan.nodes
        for y, t in n.texts.items()
    )
    m.Review.objects.bulk_create(
        m.Review(node=by_key[n.id], year=y, grade=r.grade, comments=r.comments, answer=r.answer)
        for n in plan.nodes
        for y, r in n.reviews.items()
    )


def _store_indicators(row: m.Plan, plan: CorePlan) -> None:
    nodes = {n.key: n for n in m.Node.objects.filter(plan=row)}
    indicators = m.Indicator.objects.bulk_create(
        m.Indicator(
            plan=row,
            node=nodes[i.node],
            key=i.id,
            position=k,
            kind=i.kind,
            aggregation=i.aggregation,
            period_basis=i.period_basis,
            final_target_year=i.final_target_year,
            departments=i.departments,
            footnotes=i.footnotes,
            added_in=i.added_in,
            weight=str(i.weight) if i.weight is not None else "",
            extras=i.extras,
        )
        for k, i in enumerate(plan.indicators)
    )
    pairs: list[tuple[m.Series, CoreSeries]] = []
    for ind_row, ind in zip(indicators, plan.indicators, strict=True):
        pairs.append((_series_row(ind_row, ind, "", 0), ind))
        pairs.extend((_series_row(ind_row, p, p.id, k + 1), p) for k, p in enumerate(ind.parts))
    rows = m.Series.objects.bulk_create(s for s, _core in pairs)
    m.Target.objects.bulk_create(
        m.Target(series=s, year=y, text=e.text) for s, (_r, c) in zip(rows, pairs, strict=True) for y, e in c.targets.items()
    )
    m.Value.objects.bulk_create(
        m.Value(
            series=s,
            year=y,
            text=v.entry.text,
            status=v.status.value,
            expected=v.expected or "",
            note=v.note,
            judgement=v.judgement or "",
            judgement_reason=v.judgement_reason,
        )
        for s, (_r, c) in zip(rows, pairs, strict=True)
        for y, v in c.values.items()
    )


def _series_row(indicator: m.Indicator, s: CoreSeries, part: str, position: int) -> m.Series:
    b = s.baseline
    return m.Series(
        indicator=indicator,
        part=part,
        position=position,
        label=s.label,
        name=s.name,
        unit=s.unit,
        direction=s.direction,
        formula=s.formula or "",
        baseline_value=b.entry.text if b else None,
        baseline_year=b.year if b else None,
        baseline_note=b.note if b else "",
        note=s.note,
    )
