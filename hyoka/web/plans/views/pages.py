"""Pages for reading: plan list, 体系図, node, indicator, year summary, change history, export."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ....core.engine import Evaluation, IndicatorResult, indicator_result
from ....core.explain import explain_grade, explain_judgement, explain_rate
from ....core.explain_conditions import explain_criteria
from ....core.model import Indicator as CoreIndicator
from ....core.model import Value as CoreValue
from ....core.rates import Rate
from ....core.summary import ALL, summarize
from ....formats.hyoka1 import plan_to_dict
from ....reports.charts import chart_of, words_for
from ...accounts import access, scope
from ...history.models import Change, ChangeKind
from ...workflow.todo import todo
from .. import forms
from .. import models as m
from ..conflicts import core_value_token, targets_token
from ..convert import core_plan
from ..locks import council_open
from .common import chosen_year, plan_context, plan_view, tree_rows


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The organization's plans with their size, counted in the database (index only): listing plans must not build each of them."""
    mine = scope.plans(request.user)
    nodes = dict(m.Node.objects.filter(plan__in=mine).values_list("plan").annotate(n=Count("plan")).order_by())
    indicators = dict(m.Indicator.objects.filter(plan__in=mine).values_list("plan").annotate(n=Count("plan")).order_by())
    plans = [
        {
            "plan": plan,
            "cycles": sorted(plan.cycles.all(), key=lambda c: -c.year),
            "nodes": nodes.get(plan.pk, 0),
            "indicators": indicators.get(plan.pk, 0),
            "levels": " → ".join(plan.levels),
        }
        for plan in mine.prefetch_related("cycles")
    ]
    ctx = {
        "plans": plans,
        "may_manage": access.may_manage(request.user),
        "organizations": scope.organizations(request.user),
        "todo": todo(request.user, [p["plan"] for p in plans]),
    }
    return render(request, "plans/home.html", ctx)


def _published(ctx: dict[str, Any]) -> bool:
    """The year shown is a published record: its forms give way to the 訂正 (``locks``)."""
    return ctx["cycle"] is not None and ctx["cycle"].is_published


@plan_view
@require_safe
def tree(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    year = chosen_year(request, plan)
    ctx = plan_context(plan, year)
    ctx["rows"] = tree_rows(ctx["core"], ctx["ev"])
    ctx["graded_levels"] = [g.level for g in ctx["ev"].rules.grades if not g.is_plan]
    return render(request, "plans/tree.html", ctx)


def _indicator_rows(ctx: dict[str, Any], indicators: list[CoreIndicator]) -> list[dict[str, Any]]:
    """One row per series (an indicator, or each of its parts) for the year shown."""
    ev = ctx["ev"]
    rows = []
    for ind in indicators:
        result = ev.indicators[ind.id]
        for i, (label, series, rate) in enumerate(result.rates):
            data_year = rate.basis.data_year if rate.basis is not None else ev.year
            rows.append(
                {
                    "indicator": ind,
                    "label": label,
                    "series": series,
                    "target": series.targets.get(ev.year),
                    "compared": _compared(rate),
                    "value": series.values.get(data_year),
                    "data_year": data_year if data_year != ev.year else None,
                    "rate": rate,
                    "explanation": explain_rate(series, ev.year, rate, ev.rules),
                    "judgement": result.judgement if i == 0 else None,
                    "named": named_judgements(ev, result) if i == 0 else [],
                    "first": i == 0,
                    "span": len(result.rates),
                }
            )
    return rows


def _compared(rate: Rate) -> str:
    """The final target or 目安値 the rate compared with, when the rules do not compare with the year's own target."""
    basis = rate.basis
    if basis is None or basis.reference == "same_year" or not rate.quantities.target_text:
        return ""
    if basis.reference == "final":
        return _("最終目標値 %(target)s（%(year)s）") % {"target": rate.quantities.target_text, "year": basis.target_year}
    return _("目安値 %(target)s") % {"target": rate.quantities.target_text}


def named_judgements(ev: Evaluation, result: IndicatorResult) -> list[dict[str, Any]]:
    """Each named judgement of the rules (達成度, 改善・悪化 …) with its title and explanation."""
    measured = [(label, p.measures) for label, p in result.series_results]
    return [
        {
            "title": rule.title,
            "judgement": result.judgements[rule.name],
            "explanation": explain_criteria(result.judgements[rule.name], rule, measured),
        }
        for rule in ev.rules.judgements
    ]


@plan_view
@require_safe
def node(request: HttpRequest, plan: m.Plan, node_key: str) -> HttpResponse:
    year = chosen_year(request, plan)
    ctx = plan_context(plan, year)
    core = ctx["core"]
    n = core.node_by_id.get(node_key)
    if n is None:
        raise Http404
    ev = ctx["ev"]
    grade = ev.nodes[n.id].grade
    # 一次評価 texts are written on the node or on its initiatives right below (主な取組 under a 小柱).
    text_nodes = [x for x in [n, *core.children.get(n.id, [])] if x.texts or (x.level == core.levels[-1] and not core.children.get(x.id))]
    user = request.user
    ctx |= {
        "node": n,
        "ancestors": core.ancestors(n.id),
        "departments": core.node_departments(n.id),
        "grade": grade,
        "grade_explanation": explain_grade(grade, n.level) if grade else "",
        "rows": _indicator_rows(ctx, core.indicators_of.get(n.id, [])),
        "children": [r for r in tree_rows(core, ev, under=n.id) if not r.leaf],  # leaves are shown with their texts
        "text_nodes": [
            {
                "node": x,
                "texts": x.texts.get(year),
                "editable": not _published(ctx) and access.may_enter(user, plan, year, core.node_departments(x.id)),
            }
            for x in text_nodes
        ],
        "review": n.reviews.get(year),
        "may_manage": access.may_manage(user),
        "may_review": council_open(plan, year) and access.may_review(user, n),
        "may_answer": council_open(plan, year) and access.may_answer(user, core, n),
    }
    return render(request, "plans/node.html", ctx)


@plan_view
@require_safe
def indicator(request: HttpRequest, plan: m.Plan, indicator_key: str) -> HttpResponse:
    return indicator_page(request, plan, indicator_key, chosen_year(request, plan))


def indicator_page(
    request: HttpRequest,
    plan: m.Plan,
    indicator_key: str,
    year: int,
    *,
    bound: dict[str, forms.CoreForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The indicator's page; *bound* holds a refused form by its series' part (its value or target form), shown with its errors."""
    bound = bound or {}
    ctx = plan_context(plan, year)
    core = ctx["core"]
    ind = core.indicator_by_id.get(indicator_key)
    if ind is None:
        raise Http404
    years = ctx["years"]
    history_years = sorted({*years, *(y for s in ind.series() for y in s.values)})
    rules = ctx["ev"].rules
    # This indicator's result of each year, not the whole plan's evaluation of each year (eight plans' worth of work).
    results = {y: indicator_result(ind, y, rules) for y in history_years}
    series_blocks = []
    for label, series, _rate in ctx["ev"].indicators[ind.id].rates:
        history = []
        for y in history_years:
            rate = next(r for lab, _s, r in results[y].rates if lab == label)
            history.append(
                {
                    "year": y,
                    "target": series.targets.get(y),
                    "value": series.values.get(y),
                    "rate": rate,
                    "explanation": explain_rate(series, y, rate, rules),
                }
            )
        chart = chart_of(ind, series, years, words=words_for(get_language()))
        part = series.id if series is not ind else ""
        current = series.values.get(year)
        targets = sorted({*history_years, *series.targets})
        series_blocks.append(
            {
                "label": label,
                "series": series,
                "part": part,
                "chart": mark_safe(chart.svg) if chart else "",  # built from escaped parts in charts.series_chart
                "history": history,
                "current": current,
                "base": core_value_token(current),
                "targets_base": targets_token({y: e.text for y, e in series.targets.items()}),
                "form": _bound(bound, part, forms.ValueForm)
                or forms.ValueForm(initial=value_initial(current), auto_id=f"id_{part or 'main'}_%s"),
                "target_form": _bound(bound, part, forms.TargetForm)
                or forms.TargetForm(initial={"target_year": year}, years=targets, auto_id=f"id_{part or 'main'}_t_%s"),
            }
        )
    result = ctx["ev"].indicators[ind.id]
    judgement = result.judgement
    basis = result.own.rate.basis if result.own is not None else None
    departments = core.departments_of(ind)
    shown_parts = {b["part"] for b in series_blocks}
    # A form posted for no series of the page (the indicator itself, when it has parts): its reasons at the top.
    stray = [str(e) for part, form in bound.items() if part not in shown_parts for errors in form.errors.values() for e in errors]
    ctx |= {
        "indicator": ind,
        "node": core.node_by_id[ind.node],
        "ancestors": [*core.ancestors(ind.node), core.node_by_id[ind.node]],
        "departments": departments,
        "blocks": series_blocks,
        "judgement": judgement,
        "judgement_explanation": explain_judgement(ind, year, judgement, rules.judgement, basis) if judgement and rules.judgement else "",
        "named": named_judgements(ctx["ev"], result),
        "editable": not _published(ctx) and access.may_enter(request.user, plan, year, departments),
        "may_correct": _published(ctx) and access.may_manage(request.user),  # a published year changes by a 訂正
        "may_manage": access.may_manage(request.user),
        "changes": Change.objects.filter(plan=plan, indicator_key=ind.id).select_related("user")[:200],
        "stray_errors": stray,
    }
    return render(request, "plans/indicator.html", ctx, status=status)


def _bound(bound: dict[str, forms.CoreForm], part: str, kind: type[forms.CoreForm]) -> forms.CoreForm | None:
    form = bound.get(part)
    return form if isinstance(form, kind) else None


def value_initial(value: CoreValue | None) -> dict[str, str]:
    """A value form's fields as stored: what the person edits is what was typed."""
    if value is None:
        return {}
    return {
        "value": value.entry.text,
        "status": value.status.value,
        "expected": value.expected or "",
        "note": value.note,
        "shortfall": value.shortfall,
    }


@plan_view
@require_safe
def summary(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    year = chosen_year(request, plan)
    ctx = plan_context(plan, year)
    ev = ctx["ev"]
    s = summarize(ev)
    core = ctx["core"]
    names = {n.id: f"{n.number} {n.name}" for n in core.roots}
    judgement_blocks = []
    if s.judgements:
        for key in [*names, ALL]:
            c = s.judgements[key]
            judgement_blocks.append(
                {
                    "name": names.get(key, _("合計")),
                    "total": key == ALL,
                    "cells": [(sym, c.counts.get(sym, 0), c.shares(s.share_rounding)[sym]) for sym in c.symbols],
                    "at_least": c.at_least(s.share_rounding),
                    "checked": c.checked,
                    "pending": c.pending,
                    "none": c.none,
                }
            )
    grade_blocks = []
    for level, per in s.grades.items():
        rows = []
        for key in [*names, ALL]:
            c = per[key]
            shares = c.shares(s.share_rounding)
            rows.append(
                {
                    "name": names.get(key, _("合計")),
                    "total": key == ALL,
                    "cells": [(label, c.counts.get(label, 0), shares.get(label)) for label in c.labels],
                    "graded": c.graded,
                }
            )
        grade_blocks.append({"level": level, "labels": per[ALL].labels, "rows": rows})
    rate_rows = [
        (names.get(k, _("合計")), rc.with_rate, sum(rc.without_rate.values()))
        for k, rc in [*((k, s.rates[k]) for k in names), (ALL, s.rates[ALL])]
    ]
    symbols = [b.symbol for b in ev.rules.judgement.bands] if ev.rules.judgement else []
    ctx |= {
        "judgement_blocks": judgement_blocks,
        "symbols": symbols,
        "labels": {b.symbol: b.label for b in ev.rules.judgement.bands} if ev.rules.judgement else {},
        "pending_symbol": ev.rules.judgement.pending.symbol if ev.rules.judgement else "",
        "grade_blocks": grade_blocks,
        "rate_rows": rate_rows,
        "plan_grade": ev.plan_grade,
        "plan_grade_explanation": explain_grade(ev.plan_grade, "plan") if ev.plan_grade else "",
        "report_kind": core_plan(plan).report.title_word,  # the plan's own word: 評価報告書, 点検報告書 …
    }
    return render(request, "plans/summary.html", ctx)


@plan_view
@require_safe
def history(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    year = chosen_year(request, plan)
    changes = Change.objects.filter(plan=plan).select_related("user")
    kind = request.GET.get("kind", "")
    if kind in ChangeKind.values:
        changes = changes.filter(kind=kind)
    only_year = request.GET.get("only_year") == "1"
    if only_year:
        changes = changes.filter(year=year)
    warned = request.GET.get("warned") == "1"  # what the planner checks: figures saved over a plausibility warning
    if warned:
        changes = changes.exclude(warnings="")
    ctx = plan_context(plan, year, changes=changes[:500], kind=kind, kinds=ChangeKind.choices, only_year=only_year, warned=warned)
    return render(request, "plans/history.html", ctx)


@plan_view
@require_safe
def export(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """The stored plan as a `hyoka/1` file, checked by the core on the way out."""
    doc = plan_to_dict(core_plan(plan))
    response = HttpResponse(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.key}.json"'
    return response
