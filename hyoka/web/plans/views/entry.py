"""Forms for entering values, targets and 一次評価 texts, and the live rate preview beside them.

Each view reads its form (``plans.forms``), which asks the core; a refused form is shown
again with the text as typed and the reason beside the field (400), a form over a state
that moved on gets the conflict page with both versions (409). The grid page posts its
rows here one by one and reads the answer as JSON (``Accept: application/json``).
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ....core.display import entry_text, percent_text
from ....core.engine import indicator_result
from ....core.errors import InputError
from ....core.explain import explain_judgement, explain_rate
from ....core.explain_conditions import explain_criteria
from ...accounts import access
from .. import models as m
from ..conflicts import Conflict, core_value_token, texts_token, writing
from ..convert import core_plan, evaluation
from ..entry import core_series, lines, save_target, save_texts, save_value, shown
from ..forms import CoreForm, TargetForm, TextsForm, ValueForm
from ..locks import Write, require_writable
from .common import chosen_year, plan_context, plan_view, year_or_404
from .conflict import conflict_page
from .pages import indicator_page


def _series(plan: m.Plan, indicator_key: str, part: str) -> m.Series:
    return get_object_or_404(
        m.Series.objects.select_related("indicator__plan", "indicator__node"),
        indicator__plan=plan,
        indicator__key=indicator_key,
        part=part,
    )


def wants_json(request: HttpRequest) -> bool:
    """A row of the grid page, saved by its script: the answer is data, not a page."""
    return request.headers.get("Accept", "").startswith("application/json")


def back_to(request: HttpRequest, plan: m.Plan, default: str) -> str:
    """Where a saved form returns: the page it came from when that is a page of the same plan (the grid pages), else *default*."""
    asked = request.POST.get("next", "")
    home = reverse("tree", args=plan.route)
    if asked.startswith(home) and url_has_allowed_host_and_scheme(asked, allowed_hosts={request.get_host()}):
        return asked
    return default


def form_errors(form: CoreForm) -> dict[str, list[str]]:
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


@plan_view
@require_POST
def value_edit(request: HttpRequest, plan: m.Plan, indicator_key: str) -> HttpResponse:
    series = _series(plan, indicator_key, request.POST.get("part", ""))
    year = year_or_404(request.POST.get("year", ""))
    target = reverse("indicator", args=[*plan.route, indicator_key]) + f"?year={year}#entry-{series.part or 'main'}"
    form = ValueForm(request.POST, series=series, year=year, auto_id=f"id_{series.part or 'main'}_%s")
    changed = False
    try:
        with writing(plan):  # the cycle and the submission are checked under the lock the close and submit take
            core = core_plan(plan)
            access.require(access.may_enter(request.user, plan, year, core.departments_of(core.indicator_by_id[indicator_key])))
            require_writable(plan, year, Write.VALUE)  # a year closed to writes refuses first, whatever was typed
            if form.is_valid():
                why = form.cleaned_data["why"]
                changed = save_value(series, year, form.entered, request.user, why, base=form.base, warnings=form.warning_texts())
    except InputError as e:
        form.add_problems(e)
    except Conflict as c:
        status = request.POST.get("status", "")
        mine = shown(
            request.POST.get("value", ""), status if status in m.ValueStatus.values else "confirmed", request.POST.get("expected", "")
        )
        if wants_json(request):
            return JsonResponse({"ok": False, "conflict": {"stored": c.stored, "mine": mine, "base": c.token}}, status=409)
        editable = {"value": _("実績値"), "note": _("備考"), "shortfall": _("未達成の理由"), "why": _("変更理由")}
        return conflict_page(request, plan, year, c, mine=mine, back=target, editable=editable)
    if form.errors:
        if wants_json(request):
            return JsonResponse({"ok": False, "errors": form_errors(form), "warnings": form.warning_texts()}, status=400)
        return indicator_page(request, plan, indicator_key, year, bound={series.part: form}, status=400)
    explanation = _saved_rate(series, indicator_key, year)
    if wants_json(request):
        stored = core_series(series).values.get(year)
        return JsonResponse({"ok": True, "changed": changed, "base": core_value_token(stored), "explanation": explanation})
    if changed:
        messages.success(request, _("保存しました。") + explanation)
    else:
        messages.info(request, _("変更はありません。"))
    return redirect(back_to(request, plan, target))


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
    shown_year = year_or_404(request.POST.get("year", "")) if request.POST.get("year") else chosen_year(request, plan)
    back = reverse("indicator", args=[*plan.route, indicator_key]) + f"?year={shown_year}#entry-{series.part or 'main'}"
    years = sorted({*plan.years, *core_series(series).targets, year_or_404(request.POST.get("target_year", ""))})
    form = TargetForm(request.POST, years=years, auto_id=f"id_{series.part or 'main'}_t_%s")
    changed = False
    try:
        if form.is_valid():
            d = form.cleaned_data
            changed = save_target(series, d["target_year"], d["target"], request.user, d["why"], base=form.base)
    except InputError as e:
        form.add_problems(e)
    except Conflict as c:
        mine = request.POST.get("target", "")
        return conflict_page(request, plan, shown_year, c, mine=mine, back=back, editable={"target": _("目標値"), "why": _("変更理由")})
    if form.errors:
        return indicator_page(request, plan, indicator_key, shown_year, bound={series.part: form}, status=400)
    messages.success(request, _("目標値を変更しました。") if changed else _("変更はありません。"))
    return redirect(back)


@plan_view
@require_GET
def preview(request: HttpRequest, plan: m.Plan, indicator_key: str) -> JsonResponse:
    """What the value being typed would give, computed by the core: the figure as read, the rate, the judgement and any warning.

    Nothing is saved. The problems come by field, in the reader's language, as the saved form would give them.
    """
    series = _series(plan, indicator_key, request.GET.get("part", ""))
    year = year_or_404(request.GET.get("year", ""))
    core = core_plan(plan)
    form = ValueForm(request.GET, series=series, year=year)
    if not form.is_valid() and form.checked is None:
        return JsonResponse({"ok": False, "errors": form_errors(form)})
    assert form.checked is not None
    indicator = copy.deepcopy(core.indicator_by_id[indicator_key])
    target = next((p for p in indicator.parts if p.id == series.part), indicator)
    target.values[year] = form.checked
    result = indicator_result(indicator, year, core.rules)  # the engine's own: data year, reference target, named judgements
    rate = next(r for _l, s, r in result.rates if s is target)
    style = core.rules.display
    out: dict[str, Any] = {
        "ok": True,
        "reading": entry_text(form.checked.entry.parsed, target.unit, style),
        "rate": None if rate.value is None else f"{rate.value:f}",
        "rate_text": percent_text(rate.value, style, ""),
        "explanation": explain_rate(target, year, rate, core.rules),
        "status": form.checked.status.value,
        "warnings": form.warning_texts(),
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
    texts = core.node_by_id[node_key].texts.get(year)
    if request.method == "POST":
        form, changed = TextsForm(request.POST), False
        try:
            with writing(plan):  # the permission once more, under the lock the close and submit take
                access.require(access.may_enter(request.user, plan, year, core.node_departments(node_key)))
                require_writable(plan, year, Write.TEXT)
                if form.is_valid():
                    d = form.cleaned_data
                    changed = save_texts(node, year, lines(d["results"]), lines(d["issues"]), request.user, d["why"], base=form.base)
        except InputError as e:
            form.add_problems(e)
        except Conflict as c:
            mine = "\n".join([request.POST.get("results", ""), request.POST.get("issues", "")]).strip()
            if wants_json(request):
                return JsonResponse({"ok": False, "conflict": {"stored": c.stored, "mine": mine, "base": c.token}}, status=409)
            fields = {"results": _("取組結果"), "issues": _("今後の取組に向けた課題と方向性"), "why": _("変更理由")}
            back = reverse("text_edit", args=[*plan.route, node_key]) + f"?year={year}"
            return conflict_page(request, plan, year, c, mine=mine, back=back, editable=fields, multiline=("results", "issues"))
        if wants_json(request):
            if form.errors:
                return JsonResponse({"ok": False, "errors": form_errors(form)}, status=400)
            saved = m.NodeText.objects.filter(node=node, year=year).first()
            return JsonResponse({"ok": True, "changed": changed, "base": texts_token(saved.results, saved.issues) if saved else ""})
        if not form.errors:
            messages.success(request, _("保存しました。") if changed else _("変更はありません。"))
            top = core.ancestors(node_key)
            shown_node = next((n for n in reversed(top) if n.departments), core.node_by_id[node_key])
            node_page = reverse("node", args=[*plan.route, shown_node.id]) + f"?year={year}#texts-{node_key}"
            return redirect(back_to(request, plan, node_page))
        status = 400
    previous = max((y for y in core.node_by_id[node_key].texts if y < year), default=None)
    if request.method != "POST":
        # 「前年度の記載をコピー」 without the script: the form filled with last year's texts, to edit before saving.
        filled = core.node_by_id[node_key].texts.get(previous) if previous and request.GET.get("copy") == "previous" else texts
        initial = {"results": "\n".join(filled.results), "issues": "\n".join(filled.issues)} if filled else {}
        form, status = TextsForm(initial=initial), 200
    ctx = plan_context(
        plan,
        year,
        node=core.node_by_id[node_key],
        ancestors=core.ancestors(node_key),
        form=form,
        base=form.base if form.is_bound else texts_token(texts.results, texts.issues) if texts else "",
        previous_year=previous,
        previous=core.node_by_id[node_key].texts.get(previous) if previous else None,
    )
    return render(request, "plans/text_edit.html", ctx, status=status)
