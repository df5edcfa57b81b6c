"""One page for a department's whole year: every value in a grid, every 一次評価 text on one page.

A department with 30 KPIs used to open 30 pages. Here each row (a series of an indicator)
has the value form's fields, the live rate and a save of its own: a row is posted to
the same view as the indicator page's form (``entry.value_edit``), with its own ``base``,
so a row someone else changed meanwhile is a conflict of that row alone. The texts page
does the same per initiative, with 「前年度の記載をコピー」 beside each. Both work without
their script (each row is a form of its own that comes back here).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ....core.rates import rate_of
from ...accounts import access
from ...workflow.work import Work, department_work, plan_departments
from .. import models as m
from ..conflicts import core_value_token, texts_token
from ..forms import TextsForm, ValueForm
from .common import chosen_year, plan_context, plan_view
from .pages import value_initial


def _department(request: HttpRequest, departments: list[str]) -> str:
    """The department's own; a planner picks any of the plan's."""
    own = access.department_of(request.user)
    if own is not None:
        return own
    if not access.may_manage(request.user):
        raise Http404
    asked = request.GET.get("department", "")
    return asked if asked in departments else (departments[0] if departments else "")


def _department_page(request: HttpRequest, plan: m.Plan) -> tuple[dict[str, Any], Work]:
    """The page's context (with the department shown and the plan's departments) and that department's work of the year."""
    year = chosen_year(request, plan)
    ctx = plan_context(plan, year)
    departments = plan_departments(ctx["core"])
    department = _department(request, departments)
    ctx |= {"department": department, "departments": departments, "may_manage": access.may_manage(request.user)}
    return ctx, department_work(ctx["core"], department, year)


@plan_view
@require_safe
def grid(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """Every value of a department's indicators for the year, one row each, saved row by row."""
    ctx, work = _department_page(request, plan)
    core, year = ctx["core"], ctx["year"]
    rows: list[dict[str, Any]] = []
    for i, v in enumerate(work.values):
        ind, series = v["indicator"], v["series"]
        part = series.id if series is not ind else ""
        rows.append(
            v
            | {
                "form_id": f"row-{i + 1}",
                "part": part,
                "previous": series.values.get(year - 1),
                "rate": rate_of(series, year, core.rules.rate),
                "base": core_value_token(v["value"]),
                "form": ValueForm(initial=value_initial(v["value"]), auto_id=f"id_r{i + 1}_%s"),
                "editable": access.may_enter(request.user, plan, year, core.departments_of(ind)),
            }
        )
    ctx["rows"] = rows
    return render(request, "plans/grid.html", ctx)


@plan_view
@require_safe
def texts_grid(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """Every initiative's 一次評価 of a department for the year on one page, each with last year's beside it to copy."""
    ctx, work = _department_page(request, plan)
    core, year = ctx["core"], ctx["year"]
    blocks = []
    for t in work.texts:
        node, texts = t["node"], t["texts"]
        previous_year = max((y for y in node.texts if y < year), default=None)
        initial = {"results": "\n".join(texts.results), "issues": "\n".join(texts.issues)} if texts else {}
        blocks.append(
            {
                "node": node,
                "form": TextsForm(initial=initial, auto_id=f"id_{node.id}_%s"),
                "base": texts_token(texts.results, texts.issues) if texts else "",
                "previous_year": previous_year,
                "previous": node.texts.get(previous_year) if previous_year else None,
                "editable": access.may_enter(request.user, plan, year, core.node_departments(node.id)),
            }
        )
    ctx["blocks"] = blocks
    return render(request, "plans/texts_grid.html", ctx)
