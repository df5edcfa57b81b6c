"""What every plan page needs: the plan, the year shown, and the computed evaluation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse

from ....core.engine import Evaluation, IndicatorResult, NodeResult
from ....core.errors import InputError
from ....core.model import Node as CoreNode
from ....core.model import Plan as CorePlan
from ....core.wareki import parse_year
from ...accounts import scope
from .. import models as m
from ..conflicts import writing
from ..convert import evaluation
from ..forms import CoreForm


def plan_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of one plan: the URL's organization code and plan key become the plan, fetched through ``scope``.

    Every URL with a plan in it goes through here (a test checks that), so no view can
    reach another organization's plan by forgetting a filter: it is a 404 before the view runs.
    """

    @wraps(view)
    def run(request: HttpRequest, org: str, plan_key: str, **kwargs: Any) -> HttpResponse:
        return view(request, scope.plan(request.user, org, plan_key), **kwargs)

    run.scoped_plan = True  # type: ignore[attr-defined]
    return run


def writing_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view that changes its plan (found by ``plan_view``): it runs in ``conflicts.writing`` of the plan.

    The lock is taken before any check, so saves, submissions and the close of a year happen
    one after another and what a view checked stays true until it commits.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, plan: m.Plan, *args: Any, **kwargs: Any) -> HttpResponse:
        with writing(plan):
            return view(request, plan, *args, **kwargs)

    return wrapped


def form_acted(request: HttpRequest, form: CoreForm, act: Callable[[], str]) -> bool:
    """Whether *form* was posted, valid, and *act* (which returns the words of its success) went through;
    a refusal of the core stands beside the form's fields, so the page is shown again with what was typed."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        done = act()
    except InputError as e:
        form.add_problems(e)
        return False
    messages.success(request, done)
    return True


def default_year(plan: m.Plan) -> int:
    """The open cycle's year, else the newest cycle's, else the first year of the plan."""
    cycles = list(plan.cycles.all())
    open_years = [c.year for c in cycles if c.is_open]
    if open_years:
        return max(open_years)
    if cycles:
        return max(c.year for c in cycles)
    return plan.period_start


def year_or_404(raw: str) -> int:
    """The year a form posts; a year nobody could have chosen is no page."""
    try:
        return parse_year(raw, "year")
    except InputError:
        raise Http404 from None


def chosen_year(request: HttpRequest, plan: m.Plan) -> int:
    """?year= in any form people write it (2025, 令和7年度, R7); anything else shows the default year."""
    raw = request.GET.get("year", "")
    if raw:
        try:
            return parse_year(raw, "year")
        except InputError:
            pass
    return default_year(plan)


@dataclass
class NodeRow:
    """A node of the tree with its grade and the counts a reader scans for."""

    node: CoreNode
    depth: int
    result: NodeResult
    indicators: int = 0
    rated: int = 0
    pending: int = 0
    judgements: Counter[str] = field(default_factory=Counter)
    leaf: bool = False  # an initiative without indicators: hidden in the tree until asked for

    @property
    def judgement_counts(self) -> list[tuple[str, int]]:
        """For templates, which would read ``judgements.items`` as the count of a symbol 「items」."""
        return sorted(self.judgements.items())


def _count(row: NodeRow, results: list[IndicatorResult]) -> None:
    for r in results:
        row.indicators += 1
        rates = [rate for _label, _s, rate in r.rates]
        if any(rate.value is not None for rate in rates):
            row.rated += 1
        if any(rate.reason is not None and rate.reason.value == "pending" for rate in rates):
            row.pending += 1
        if r.judgement is not None:
            row.judgements[r.judgement.symbol] += 1


def tree_rows(core: CorePlan, ev: Evaluation, *, under: str | None = None) -> list[NodeRow]:
    """Depth-first rows of the plan (or of the subtree below *under*), each with its own indicators counted."""
    rows: list[NodeRow] = []
    for node, depth in core.walk(under):
        row = NodeRow(node, depth, ev.nodes[node.id])
        _count(row, ev.indicators_under(node.id, scope="own"))
        row.leaf = depth > 0 and not core.children.get(node.id) and row.indicators == 0
        rows.append(row)
    return rows


def plan_context(plan: m.Plan, year: int, **extra: Any) -> dict[str, Any]:
    ev = evaluation(plan, year)
    cycles = list(plan.cycles.all())  # one query for both the years offered and the year's cycle
    return {
        "plan": plan,
        "core": ev.plan,  # the very objects the evaluation refers to
        "year": year,
        "years": sorted({*plan.years, *(c.year for c in cycles)}),
        "cycle": next((c for c in cycles if c.year == year), None),
        "ev": ev,
    } | extra
