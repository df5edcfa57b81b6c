"""The public site of the stored plans, shared by the public pages and the read-only API.

Only plans with at least one published cycle are public: a plan still being entered is
nobody's business yet. Each plan is read from the database afresh (not from the
editors' cache) whenever its revision or its cycles change, and then goes through the
same published copy as ``hyoka publish``, so the web shows exactly the static site.
"""

from __future__ import annotations

import threading

from ...core.model import Plan as CorePlan
from ...formats.hyoka1 import plan_from_dict
from ...site.published import PUBLISHED
from ...site.render import Site
from ..plans import models as m
from ..plans.convert import document

_lock = threading.Lock()
_cache: dict[tuple[object, ...], Site] = {}


def _state() -> tuple[tuple[int, str, tuple[tuple[int, str], ...]], ...]:
    """What the public site depends on: each plan's revision and its cycles' statuses."""
    cycles: dict[int, list[tuple[int, str]]] = {}
    for plan_id, year, status in m.Cycle.objects.values_list("plan_id", "year", "status").order_by("plan_id", "year"):
        cycles.setdefault(plan_id, []).append((year, status))
    rows = m.Plan.objects.order_by("key").values_list("pk", "revision")
    return tuple((pk, revision, tuple(cycles.get(pk, []))) for pk, revision in rows)


def _plan(pk: int) -> CorePlan:
    row = m.Plan.objects.get(pk=pk)
    return plan_from_dict(document(row), where=row.key)


def public_site() -> Site:
    """The site of every plan with a published cycle, rebuilt only when one of them changed."""
    state = _state()
    public = tuple(s for s in state if any(status == PUBLISHED for _year, status in s[2]))
    with _lock:
        site = _cache.get(public)
        if site is None:
            site = Site([_plan(pk) for pk, _revision, _cycles in public])
            _cache.clear()
            _cache[public] = site
    return site
