"""Between the database and the core: rows → `hyoka/1` document → core ``Plan``, and back.

The web layer never parses a value or computes a rate itself: it writes the rows out as
the `hyoka/1` document the core already validates (``plan_from_dict``) and hands the
result to ``evaluate``. Building through the document also makes DB → file → DB lossless
by construction, which the round-trip tests check on every sample plan.

Reading and parsing a plan costs far more than any page does with it, so a computed plan
is built once per revision and kept (``computed``: in the process and in the shared
cache); a saved value carries it to the next revision instead of a new read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.db import transaction

from ...core.engine import Evaluation, evaluate
from ...core.errors import InputError
from ...core.model import BASELINE_PREFIX, Baseline, Cycle, Indicator, Node, NodeTexts, Review, Series
from ...core.model import Organization as CoreOrganization
from ...core.model import Plan as CorePlan
from ...core.model import Value as CoreValue
from ...core.rules import parse_rules
from ...core.schema import names
from ...formats.hyoka1 import corrections_from_list, corrections_to_list, fields_doc, plan_from_dict, plan_to_dict, value_from_dict
from ..accounts.models import Organization
from ..accounts.organizations import ensure_departments, organization_for
from ..snapshot import snapshot
from . import computed
from . import models as m
from .bulk_rows import db_row, indicator_columns, node_columns, plan_columns, series_columns, value_columns
from .computed import Computed, Key, Step


def document(plan: m.Plan) -> dict[str, Any]:
    """The `hyoka/1` document of a stored plan."""
    return documents([plan])[plan.pk]


def documents(plans: Sequence[m.Plan], *, year: int | None = None) -> dict[int, dict[str, Any]]:
    """The `hyoka/1` documents of stored plans by primary key, read with one query per table for all of them.

    Rows are read as tuples, not model instances: building ten thousand model objects cost
    more than the queries themselves, and the documents are all that is kept. They are
    ordered by the foreign key's id, not by the related model (whose ordering would join
    its table for nothing): only the order within one plan, indicator or series matters.

    With *year*, a document holds only what evaluating that year reads (``rates.quantities``):
    the year's targets, the values of the year and the year before, and no texts or reviews.
    """
    pks = [p.pk for p in plans]
    target_years = {} if year is None else {"year": year}
    value_years = {} if year is None else {"year__in": (year - 1, year)}
    nodes: dict[int, list[dict[str, Any]]] = defaultdict(list)
    node_keys: dict[int, str] = {}
    for n in m.Node.objects.filter(plan__in=pks).order_by("plan_id", "position").values():
        nodes[n["plan_id"]].append(n)
        node_keys[n["id"]] = n["key"]
    texts: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    reviews: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    if year is None:
        for t in m.NodeText.objects.filter(node__plan__in=pks).order_by("node_id", "year").values("node_id", "year", *names(NodeTexts)):
            texts[t["node_id"]][str(t["year"])] = fields_doc(t, NodeTexts)
        for r in m.Review.objects.filter(node__plan__in=pks).order_by("node_id", "year").values("node_id", "year", *names(Review)):
            reviews[r["node_id"]][str(r["year"])] = fields_doc(r, Review)
    indicators: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for i in m.Indicator.objects.filter(plan__in=pks).order_by("plan_id", "position").values():
        indicators[i["plan_id"]].append(i)
    series: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in m.Series.objects.filter(indicator__plan__in=pks).order_by("indicator_id", "position").values():
        series[s["indicator_id"]].append(s)
    targets: dict[int, dict[str, str]] = defaultdict(dict)
    for series_id, y, text in (
        m.Target.objects.filter(series__indicator__plan__in=pks, **target_years)
        .order_by("series_id", "year")
        .values_list("series_id", "year", "text")
    ):
        targets[series_id][str(y)] = text
    values: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for v in (
        m.Value.objects.filter(series__indicator__plan__in=pks, **value_years)
        .order_by("series_id", "year")
        .values("series_id", "year", *VALUE_FIELDS)
    ):
        values[v["series_id"]][str(v["year"])] = value_doc(v)
    specs: dict[int, Any] = {}
    for plan_id, spec in m.RuleSetVersion.objects.filter(plan__in=pks).order_by("plan_id", "-version").values_list("plan_id", "spec"):
        specs.setdefault(plan_id, spec)
    cycles: dict[int, dict[int, Cycle]] = defaultdict(dict)
    for c in m.Cycle.objects.filter(plan__in=pks).order_by("plan_id", "-year").values("plan_id", "year", "corrections", *names(Cycle)):
        corrections = corrections_from_list(c["corrections"], f"cycles.{c['year']}") if c["corrections"] else []
        cycles[c["plan_id"]][c["year"]] = Cycle(**{k: c[k] for k in names(Cycle)}, corrections=corrections)

    def series_doc(s: dict[str, Any]) -> dict[str, Any]:
        out = fields_doc(s, Series)
        if s["baseline_value"] is not None:
            out["baseline"] = {"value": s["baseline_value"]} | fields_doc(s, Baseline, BASELINE_PREFIX)
        return out | {"targets": targets[s["id"]], "values": values[s["id"]]}

    def indicator_doc(i: dict[str, Any]) -> dict[str, Any]:
        own, *parts = series[i["id"]]
        head = {"id": i["key"], "node": node_keys[i["node_id"]]} | series_doc(own) | fields_doc(i, Indicator)
        return head | ({"parts": [{"id": p["part"], **series_doc(p)} for p in parts]} if parts else {}) | i["extras"]

    def node_doc(n: dict[str, Any]) -> dict[str, Any]:
        nested = {"texts": texts[n["id"]], "reviews": reviews[n["id"]], "projects": n["projects"]}
        parent = node_keys[n["parent_id"]] if n["parent_id"] else None
        return {"id": n["key"], "parent": parent} | fields_doc(n, Node) | {k: v for k, v in nested.items() if v} | n["extras"]

    organizations = {pk: CoreOrganization(name, code) for pk, code, name in _organizations(plans)}
    out = {}
    for plan in plans:
        head = CorePlan(
            id=plan.key,
            name=plan.name,
            organization=organizations[plan.organization_id],
            period_start=plan.period_start,
            period_end=plan.period_end,
            levels=list(plan.levels),
            rules=parse_rules(specs[plan.pk], f"{plan.key}:rules"),
            rules_spec=specs[plan.pk],
            cycles=cycles[plan.pk],
            extras=plan.extras,
            **{name: getattr(plan, name) for name in names(CorePlan)},
        )
        doc = plan_to_dict(head)
        if plan.report:
            doc["plan"]["report"] = plan.report
        doc["nodes"] = [node_doc(n) for n in nodes[plan.pk]]
        doc["indicators"] = [indicator_doc(i) for i in indicators[plan.pk]]
        out[plan.pk] = doc
    return out


def _organizations(plans: Sequence[m.Plan]) -> list[tuple[int, str, str]]:
    """(pk, code, name) of the plans' organizations: those already loaded with their plans, the others in one query."""
    loaded = {p.organization_id: p.organization for p in plans if m.Plan.organization.is_cached(p)}
    missing = {p.organization_id for p in plans} - loaded.keys()
    rows = list(Organization.objects.filter(pk__in=missing).values_list("pk", "code", "name")) if missing else []
    return rows + [(pk, o.code, o.name) for pk, o in loaded.items()]


VALUE_FIELDS = ("text", *names(CoreValue))  # what a value row puts in the plan


def value_doc(v: dict[str, Any]) -> dict[str, Any]:
    """A stored value (a row's fields by name) as the `hyoka/1` value object."""
    return {"value": v["text"]} | fields_doc(v, CoreValue)


def _read(plans: Sequence[m.Plan]) -> dict[Key, Computed]:
    """Build plans from their rows, each keyed by the revision its rows were read at.

    On PostgreSQL the rows are read in one repeatable-read snapshot, together with the
    revisions, so a save committed meanwhile is wholly in a plan or wholly out of it and
    the plan is filed under the revision it really has (not the one the caller read before).
    """
    with snapshot():
        revisions = dict(m.Plan.objects.filter(pk__in=[p.pk for p in plans]).values_list("pk", "revision"))
        docs = documents(plans)
        built = {}
        for plan in plans:
            plan.revision = revisions[plan.pk]  # the rest of the request asks for what it was shown
            key = (plan.pk, plan.revision)
            built[key] = Computed(plan_from_dict(docs[plan.pk], where=plan.key))
            computed.keep(key, built[key])
    return built


MAX_STEPS = 20  # saves followed one after another before a plan is read from its rows again


def _known(key: Key, depth: int = 0) -> Computed | None:
    """The computed plan of *key* without reading rows: kept here or shared, or followed from the revision before."""
    found = computed.lookup(key)
    if found is None or isinstance(found, Computed):
        return found
    if depth >= MAX_STEPS:
        return None
    base = _known((key[0], found.before), depth + 1)
    if base is None:
        return None
    after = Computed(_followed(base.plan, found))
    computed.keep(key, after, share=False)
    return after


def _computed(plan: m.Plan) -> Computed:
    found = _known((plan.pk, plan.revision))
    if found is None:
        (found,) = _read([plan]).values()
    return found


def core_plan(plan: m.Plan) -> CorePlan:
    """The plan as the core knows it; shared between requests until the plan's revision changes.

    Callers must treat the result as read-only (copy what they want to change).
    """
    return _computed(plan).plan


def core_plans(plans: Sequence[m.Plan]) -> list[CorePlan]:
    """``core_plan`` of many plans, with one query per table for all that are not computed yet."""
    keys = [(p.pk, p.revision) for p in plans]
    found = {k: c for k in keys if (c := _known(k)) is not None}
    missing = [p for p, k in zip(plans, keys, strict=True) if k not in found]
    built = {pk: c for (pk, _revision), c in _read(missing).items()} if missing else {}
    return [found[k].plan if k in found else built[k[0]].plan for k in keys]


def evaluation(plan: m.Plan, year: int) -> Evaluation:
    """``evaluate`` of the stored plan, computed once per revision and year; its ``.plan`` is ``core_plan(plan)``."""
    found = _computed(plan)
    result = found.evaluations.get(year)
    if result is None:
        result = found.evaluations[year] = evaluate(found.plan, year)
    return result


def follow_value(plan: m.Plan, before: str, indicator_key: str, part: str, year: int, stored: dict[str, Any] | None) -> None:
    """File the plan of *plan*'s new revision, which differs from revision *before* by one value only.

    A department saving a value would otherwise make the next page, in every process, read
    and parse the whole plan again. *stored* is the value row's fields (``VALUE_FIELDS``),
    None when the value was removed.
    """
    step = Step(before, indicator_key, part, year, stored)
    computed.keep_step((plan.pk, plan.revision), step)
    base = _known((plan.pk, before))
    if base is not None:
        computed.keep((plan.pk, plan.revision), Computed(_followed(base.plan, step)), share=False)


def _followed(core: CorePlan, step: Step) -> CorePlan:
    """*core* with the value of *step*, as a fresh read of the rows would give it.

    The value is made from its stored fields by the function the plan file's reader uses,
    and everything else is shared with *core* (both are read-only); the tests compare the
    result with a fresh read after random saves.
    """
    indicator = core.indicator_by_id[step.indicator]
    series = next(p for p in indicator.parts if p.id == step.part) if step.part else indicator
    values = dict(series.values)
    if step.stored is None:
        values.pop(step.year, None)
    else:
        place = f"indicators[{step.indicator}]" + (f".parts[{step.part}]" if step.part else "") + f".values.{step.year}"
        values[step.year] = value_from_dict(value_doc(step.stored), place, qualitative=series.qualitative, rules=core.rules)
    changed = replace(series, values=values)
    if step.part:
        changed = replace(indicator, parts=[changed if p is series else p for p in indicator.parts])
    return replace(core, indicators=[changed if i is indicator else i for i in core.indicators])


def touch(plan: m.Plan) -> None:
    """Mark the plan changed: computed plans and evaluations of older revisions are not used again."""
    plan.revision = m.new_revision()
    m.Plan.objects.filter(pk=plan.pk).update(revision=plan.revision)


@transaction.atomic
def store_plan(plan: CorePlan, *, replace: bool = False, organization: Organization | None = None) -> m.Plan:
    """Write a core plan into the database (all or nothing); *replace* drops a stored plan of the same id.

    The plan goes to *organization*, else to the one its file names (``organization_for``).
    """
    owner = organization_for(plan.organization, organization)
    existing = m.Plan.objects.filter(organization=owner, key=plan.id).first()
    if existing is not None:
        if not replace:
            raise InputError.one(
                f"plan.id={plan.id}", "同じ ID の計画がすでに登録されています", "a plan with this id is already stored", plan.id
            )
        existing.delete()
    row = m.Plan.objects.create(organization=owner, **plan_columns(plan))
    m.RuleSetVersion.objects.create(plan=row, version=1, spec=plan.rules_spec, note="取込み")
    m.Cycle.objects.bulk_create(
        m.Cycle(plan=row, year=y, corrections=corrections_to_list(c.corrections), **db_row(c)) for y, c in plan.cycles.items()
    )
    _store_nodes(row, plan)
    _store_indicators(row, plan)
    ensure_departments(owner, {d for n in plan.nodes for d in n.departments} | {d for i in plan.indicators for d in i.departments})
    return row


def _store_nodes(row: m.Plan, plan: CorePlan) -> None:
    nodes = m.Node.objects.bulk_create(m.Node(plan=row, **node_columns(n, i)) for i, n in enumerate(plan.nodes))
    by_key = {n.key: n for n in nodes}
    children = []
    for n in plan.nodes:
        if n.parent is not None:
            child = by_key[n.id]
            child.parent = by_key[n.parent]
            children.append(child)
    m.Node.objects.bulk_update(children, ["parent"], batch_size=500)
    m.NodeText.objects.bulk_create(m.NodeText(node=by_key[n.id], year=y, **db_row(t)) for n in plan.nodes for y, t in n.texts.items())
    m.Review.objects.bulk_create(m.Review(node=by_key[n.id], year=y, **db_row(r)) for n in plan.nodes for y, r in n.reviews.items())


def _store_indicators(row: m.Plan, plan: CorePlan) -> None:
    nodes = {n.key: n for n in m.Node.objects.filter(plan=row)}
    indicators = m.Indicator.objects.bulk_create(
        m.Indicator(plan=row, node=nodes[i.node], **indicator_columns(i, k)) for k, i in enumerate(plan.indicators)
    )
    pairs: list[tuple[m.Series, Series]] = []
    for ind_row, ind in zip(indicators, plan.indicators, strict=True):
        pairs.append((m.Series(indicator=ind_row, **series_columns(ind, "", 0)), ind))
        pairs.extend((m.Series(indicator=ind_row, **series_columns(p, p.id, k + 1)), p) for k, p in enumerate(ind.parts))
    rows = m.Series.objects.bulk_create(s for s, _core in pairs)
    m.Target.objects.bulk_create(
        m.Target(series=s, year=y, text=e.text) for s, (_r, c) in zip(rows, pairs, strict=True) for y, e in c.targets.items()
    )
    m.Value.objects.bulk_create(
        m.Value(series=s, year=y, **value_columns(v)) for s, (_r, c) in zip(rows, pairs, strict=True) for y, v in c.values.items()
    )
