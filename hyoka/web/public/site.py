"""The public site of the stored plans, shared by the public pages and the read-only API.

Only plans with at least one published cycle are public: a plan still being entered is
nobody's business yet. Each plan goes through the same published copy as ``hyoka publish``,
so the web shows exactly the static site. A plan's published copy is kept while its
revision and its cycles' statuses stay the same, so a change to one plan rebuilds that
plan only, and the plans to rebuild are read together (one query per table).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from typing import Any

from django.conf import settings
from django.db.models import Count

from ...core.model import Plan as CorePlan
from ...formats.hyoka1 import plan_from_dict
from ...site import records
from ...site.paths import ENGLISH
from ...site.plansite import PlanSite
from ...site.publish import fingerprint
from ...site.published import PUBLISHED, published_document
from ...site.render import Site
from ..plans import models as m
from ..plans.convert import core_plans, documents

PlanState = tuple[int, str, tuple[tuple[int, str], ...]]  # pk, revision, (year, status) of each cycle

_lock = threading.Lock()
_site: dict[tuple[PlanState, ...], Site] = {}
_published: dict[PlanState, PlanSite] = {}
_alone: OrderedDict[int, tuple[PlanState, str, Site]] = OrderedDict()  # per plan: its state, its copy's fingerprint, its site


def _state() -> tuple[PlanState, ...]:
    """What the public site depends on: each plan's revision and its cycles' statuses."""
    cycles: dict[int, list[tuple[int, str]]] = {}
    for plan_id, year, status in m.Cycle.objects.values_list("plan_id", "year", "status").order_by("plan_id", "year"):
        cycles.setdefault(plan_id, []).append((year, status))
    rows = m.Plan.objects.order_by("organization__code", "key").values_list("pk", "revision")
    return tuple((pk, revision, tuple(cycles.get(pk, []))) for pk, revision in rows)


def _plans(states: list[PlanState]) -> list[CorePlan]:
    """The stored plans as they are in *states*.

    The editors' computed plans are used when their cycles are the ones in *states*; a
    cycle's status changed without a new revision (by hand in the database) is read afresh,
    so what the public sees never depends on a write path remembering to renew the revision.
    """
    rows = {r.pk: r for r in m.Plan.objects.filter(pk__in=[pk for pk, _r, _c in states]).select_related("organization")}
    for row, (_pk, revision, _cycles) in zip((rows[s[0]] for s in states), states, strict=True):
        row.revision = revision
    cores = core_plans([rows[pk] for pk, _r, _c in states])
    stale = [s for s, core in zip(states, cores, strict=True) if sorted((y, c.status) for y, c in core.cycles.items()) != list(s[2])]
    fresh = documents([rows[pk] for pk, _r, _c in stale])
    by_pk = {pk: plan_from_dict(fresh[pk], where=rows[pk].key) for pk, _r, _c in stale}
    return [by_pk.get(s[0], core) for s, core in zip(states, cores, strict=True)]


def public_site() -> Site:
    """The site of every plan with a published cycle, rebuilt only when one of them changed."""
    public = tuple(s for s in _state() if any(status == PUBLISHED for _year, status in s[2]))
    with _lock:
        site = _site.get(public)
        if site is None:
            missing = [s for s in public if s not in _published]
            built = dict(zip(missing, (PlanSite.of(p) for p in _plans(missing)), strict=True)) if missing else {}
            kept = {s: _published.get(s) or built[s] for s in public}
            _published.clear()
            _published.update(kept)
            site = Site.of([kept[s] for s in public])
            _site.clear()
            _site[public] = site
    return site


def _plan_state(organization: str, key: str) -> PlanState | None:
    """The state of one plan if it has a published cycle (two small queries, whatever the number of plans)."""
    row = m.Plan.objects.filter(organization__code=organization, key=key).values_list("pk", "revision").first()
    if row is None:
        return None
    cycles = tuple(m.Cycle.objects.filter(plan_id=row[0]).order_by("year").values_list("year", "status"))
    if not any(status == PUBLISHED for _year, status in cycles):
        return None
    return (row[0], row[1], cycles)


def plan_site(organization: str, key: str) -> Site | None:
    """The public site of one published plan alone, for its pages and its API answers.

    A request about one plan reads and computes that plan only: building every published
    plan, as the home page and the list of plans must, would make a national installation
    answer its first request about any plan in minutes. A few of these sites are kept, the
    most recently used.
    """
    state = _plan_state(organization, key)
    if state is None:
        return None
    with _lock:
        held = _alone.get(state[0])
        if held is None or held[0] != state:
            held = _renewed(state, held)
            _alone[state[0]] = held
        _alone.move_to_end(state[0])
        while len(_alone) > settings.HYOKA_PLANS_IN_MEMORY:
            _alone.popitem(last=False)
    return held[2]


def _renewed(state: PlanState, held: tuple[PlanState, str, Site] | None) -> tuple[PlanState, str, Site]:
    """The site of a plan in *state*: the *held* one again when the published copy is the same.

    A department's save in the open year renews the plan's revision but changes nothing the
    public sees; the copy's document is compared (its fingerprint, as ``hyoka publish`` does)
    and the site, its evaluations and answers already made, are kept.
    """
    plan = _plans([state])[0]
    document = published_document(plan)
    print_ = fingerprint(document)
    if held is not None and held[1] == print_:
        return state, print_, held[2]
    ps = _published.get(state) or PlanSite(plan_from_dict(document, plan.id))  # PlanSite.of(plan), its document made once
    return state, print_, Site.of([ps])


def site_for(path: str) -> Site | None:
    """The site that holds *path*: one plan's own site for its pages and data (``ORG/PLAN/…``), else the whole public site."""
    parts = path.split("/")
    if parts[0] == ENGLISH:
        parts = parts[1:]
    if parts[0] == "data":
        parts = parts[1:]
    if len(parts) > 2 and parts[0] != "assets":
        return plan_site(parts[0], parts[1])
    return public_site()


def plan_summaries() -> list[dict[str, Any]]:
    """Every published plan as the API lists them (``records.plan_summary``), read from the plans' rows.

    A list of the country's plans must not build each plan: four queries, whatever their number.
    """
    years: dict[int, list[int]] = {}
    for plan_id, year in m.Cycle.objects.filter(status=PUBLISHED).order_by("year").values_list("plan_id", "year"):
        years.setdefault(plan_id, []).append(year)
    indicators = Counter(
        dict(m.Indicator.objects.filter(plan_id__in=years).values("plan_id").annotate(n=Count("id")).values_list("plan_id", "n"))
    )
    nodes = Counter(dict(m.Node.objects.filter(plan_id__in=years).values("plan_id").annotate(n=Count("id")).values_list("plan_id", "n")))
    rows = m.Plan.objects.filter(pk__in=years).order_by("organization__code", "key")
    fields = ("pk", "key", "name", "organization__name", "organization__code", "period_start", "period_end", "levels")
    return [
        records.summary(key, name, (org, code), (start, end), list(levels), years[pk], (indicators[pk], nodes[pk]))
        for pk, key, name, org, code, start, end, levels in rows.values_list(*fields)
    ]
