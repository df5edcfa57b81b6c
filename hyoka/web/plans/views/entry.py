"""Forms for entering values and 一次評価 texts, and the live rate preview beside them."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ....core.engine import indicator_result
from ....core.errors import InputError
from ....core.explain import explain_judgement, explain_rate
from ....core.explain_conditions import explain_criteria
from ...accounts import access
from .. import models as m
from ..conflicts import Conflict, texts_token, writing
from ..convert import core_plan, evaluation
from ..entry import ValueInput, check_value, core_series, lines, save_target, save_texts, save_value, shown
from .common import chosen_year, plan_context, plan_view, year_or_404
from .conflict import conflict_page


def _series(plan: m.Plan, indicator_key: str, part: str) -> m.Series:
    return get_object_or_404(
        m.Series.objects.select_related("indicator__plan", "indicator__node"),
        indicator__plan=plan,
        indicator__key=indicator_key,
        part=part,
    )


def _entered(data: dict[str, str]) -> ValueInput:
    status = data.get("status", m.ValueStatus.CONFIRMED)
    if status not in m.ValueStatus.values:
        status = m.ValueStatus.CONFIRMED
    return ValueInput(
        text=data.get("value", ""), status=status, expected=data.get("expected", "").strip(), note=data.get("note", "").strip()
    )


@plan_view
@require_POST
def value_edit(request: HttpRequest, plan: m.Plan, indicator_key: str) -> HttpResponse:
    series = _series(plan, indicator_key, request.POST.get("part", ""))
    year = year_or_404(request.POST.get("year", ""))
    target = reverse("indicator", args=[*plan.route, indicator_key]) + f"?year={year}#entry-{series.part or 'main'}"
    entered = _entered(request.POST)
    try:
        with writing(plan):  # the cycle and the submission are checked under the lock the close and submit take
            core = core_plan(plan)
            access.require(access.may_enter(request.user, plan, year, core.departments_of(core.indicator_by_id[indicator_key])))
            why = request.POST.get("why", "").strip()
            changed = save_value(series, year, entered, request.user, why, base=request.POST.get("base", ""))
    except InputError as e:
        for problem in e.problems:
            messages.error(request, str(problem))
        return redirect(target)
    except Conflict as c:
        return conflict_page(
            request,
            plan,
            year,
            c,
            mine=shown(entered.text, entered.status, entered.expected),
            back=target,
            editable={"value": _("実績値"), "note": _("備考"), "why": _("変更理由")},
        )
    if changed:
        messages.success(request, _("保存しました。") + _saved_rate(series, indicator_key, year))
    else:
        messages.info(request, _("変更はありません。"))
    return redirect(target)


def _saved_rate(series: m.Series, indicator_key: str, year: int) -> str:
    """How the saved value's rate comes about; "" when the database is lost right after the commit.

    The value is committed by then: answering with an error page would tell the person
    their save may be lost (and have them type it again) when it is not.
    """
    try:
        ev = evaluation(series.indicator.plan, year)  # the plan as just saved (its new revision)
        saved = core_series(series)
    except DatabaseError:
        return ""
    rate = next(r for _l, s, r in ev.indicators[indicator_key].rates if s.id == saved.id)
    return explain_rate(saved, year, rate, ev.rules)


@plan_view
@require_POST
def target_edit(request: HttpRequest, plan: m.Plan, indicator_key: str) -> HttpResponse:
    """Planners revise a target (SPEC 2: 【改定版】); the change is kept with its reason."""
    access.require(access.may_manage(request.user))
    series = _series(plan, indicator_key, request.POST.get("part", ""))
    year = year_or_404(request.POST.get("target_year", ""))
    shown_year = year_or_404(request.POST.get("year", "")) if request.POST.get("year") else year
    back = reverse("indicator", args=[*plan.route, indicator_key]) + f"?year={shown_year}#entry-{series.part or 'main'}"
    text = request.POST.get("target", "")
    try:
        changed = save_target(series, year, text, request.user, request.POST.get("why", ""), base=request.POST.get("base", ""))
    except InputError as e:
        for problem in e.problems:
            messages.error(request, str(problem))
    except Conflict as c:
        return conflict_page(request, plan, shown_year, c, mine=text, back=back, editable={"target": _("目標値"), "why": _("変更理由")})
    else:
        messages.success(request, _("目標値を変更しました。") if changed else _("変更はありません。"))
    return redirect(back)


@plan_view
@require_GET
def preview(request: HttpRequest, plan: m.Plan, indicator_key: str) -> JsonResponse:
    """The rate (and judgement) the value being typed would give, computed by the core; nothing is saved."""
    series = _series(plan, indicator_key, request.GET.get("part", ""))
    year = year_or_404(request.GET.get("year", ""))
    core = core_plan(plan)
    try:
        value = check_value(series, year, _entered(request.GET))
    except InputError as e:
        return JsonResponse({"ok": False, "problems": [p.message for p in e.problems]})
    indicator = copy.deepcopy(core.indicator_by_id[indicator_key])
    target = next((p for p in indicator.parts if p.id == series.part), indicator)
    target.values[year] = value
    result = indicator_result(indicator, year, core.rules)  # the engine's own: data year, reference target, named judgements
    rate = next(r for _l, s, r in result.rates if s is target)
    out: dict[str, object] = {
        "ok": True,
        "rate": None if rate.value is None else f"{rate.value:f}",
        "explanation": explain_rate(target, year, rate, core.rules),
        "status": value.status.value,
    }
    j = result.judgement
    if j is not None and core.rules.judgement is not None:
        basis = result.own.rate.basis if result.own is not None else None
        out["judgement"] = {
            "symbol": j.symbol,
            "label": j.label,
            "explanation": explain_judgement(indicator, year, j, core.rules.judgement, basis),
        }
    measured = [(label, p.measures) for label, p in result.series_results]
    out["judgements"] = [
        {
            "title": rule.title,
            "symbol": result.judgements[rule.name].symbol,
            "label": result.judgements[rule.name].label,
            "explanation": explain_criteria(result.judgements[rule.name], rule, measured),
        }
        for rule in core.rules.judgements
    ]
    return JsonResponse(out)


@plan_view
def text_edit(request: HttpRequest, plan: m.Plan, node_key: str) -> HttpResponse:
    node = get_object_or_404(m.Node.objects.select_related("plan"), plan=plan, key=node_key)
    year = year_or_404(request.POST.get("year", "")) if request.method == "POST" else chosen_year(request, plan)
    core = core_plan(plan)
    access.require(access.may_enter(request.user, plan, year, core.node_departments(node_key)))
    if request.method == "POST":
        results, issues = lines(request.POST.get("results", "")), lines(request.POST.get("issues", ""))
        try:
            with writing(plan):  # the permission once more, under the lock the close and submit take
                access.require(access.may_enter(request.user, plan, year, core.node_departments(node_key)))
                why = request.POST.get("why", "").strip()
                changed = save_texts(node, year, results, issues, request.user, why, base=request.POST.get("base", ""))
        except InputError as e:
            for problem in e.problems:
                messages.error(request, str(problem))
            return redirect(reverse("text_edit", args=[*plan.route, node_key]) + f"?year={year}")
        except Conflict as c:
            mine = "\n".join([*results, *issues])
            fields = {"results": _("取組結果"), "issues": _("今後の取組に向けた課題と方向性"), "why": _("変更理由")}
            back = reverse("text_edit", args=[*plan.route, node_key]) + f"?year={year}"
            return conflict_page(request, plan, year, c, mine=mine, back=back, editable=fields, multiline=("results", "issues"))
        messages.success(request, _("保存しました。") if changed else _("変更はありません。"))
        top = core.ancestors(node_key)
        shown_node = next((n for n in reversed(top) if n.departments), core.node_by_id[node_key])
        return redirect(reverse("node", args=[*plan.route, shown_node.id]) + f"?year={year}#texts-{node_key}")
    texts = core.node_by_id[node_key].texts.get(year)
    previous = max((y for y in core.node_by_id[node_key].texts if y < year), default=None)
    ctx = plan_context(
        plan,
        year,
        node=core.node_by_id[node_key],
        ancestors=core.ancestors(node_key),
        results="\n".join(texts.results) if texts else "",
        base=texts_token(texts.results, texts.issues) if texts else "",
        issues="\n".join(texts.issues) if texts else "",
        previous_year=previous,
        previous=core.node_by_id[node_key].texts.get(previous) if previous else None,
    )
    return render(request, "plans/text_edit.html", ctx)
