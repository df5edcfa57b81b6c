"""The council's page: per 基本目標 the computed grades, the 二次評価 and the department's answer."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ....core.errors import InputError
from ....core.explain import explain_grade
from ....core.model import Plan as CorePlan
from ...accounts import access
from .. import models as m
from ..conflicts import Conflict, answer_token, review_token
from ..convert import core_plan
from ..entry import lines, review_shown, save_review
from ..locks import council_open
from .common import chosen_year, plan_context, plan_view, year_or_404
from .conflict import conflict_page

DEFAULT_REVIEW_GRADES = ("順調", "概ね順調", "やや遅れ", "遅れ")


def review_grades(core: CorePlan) -> list[str]:
    """The council grades with the plan's own four levels when its rules have them (SPEC 2.4)."""
    for rule in core.rules.grades:
        if not rule.is_plan and len(rule.bands) == 4:
            return [b.label for b in rule.bands]
    return list(DEFAULT_REVIEW_GRADES)


@plan_view
@require_safe
def council(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    year = chosen_year(request, plan)
    ctx = plan_context(plan, year)
    core, ev = ctx["core"], ctx["ev"]
    window = council_open(plan, year)  # the forms are offered from the close of the year to its publication
    goals = []
    for top in core.roots:
        grades: Counter[str] = Counter()
        for n in core.descendants(top.id):
            g = ev.nodes[n.id].grade
            if g is not None:
                grades[g.label] += 1
        own = ev.nodes[top.id].grade
        goals.append(
            {
                "node": top,
                "grade": own,
                "grade_explanation": explain_grade(own, top.level) if own else "",
                "grades": grades.most_common(),
                "targets": [ev.indicators[i.id] for i in core.indicators_of.get(top.id, [])],
                "review": top.reviews.get(year),
                "comments_text": "\n".join(top.reviews[year].comments) if year in top.reviews else "",
                "review_base": review_token(top.reviews[year].grade, top.reviews[year].comments) if year in top.reviews else "",
                "answer_base": answer_token(top.reviews[year].answer) if year in top.reviews else "",
                "may_review": window and access.may_review(request.user, top),
                "may_answer": window and access.may_answer(request.user, core, top),
            }
        )
    ctx |= {"goals": goals, "review_grades": review_grades(core), "council_open": window}
    return render(request, "plans/council.html", ctx)


def _node_for_review(request: HttpRequest, plan: m.Plan, node_key: str) -> tuple[m.Node, int]:
    node = get_object_or_404(m.Node.objects.select_related("plan"), plan=plan, key=node_key)
    return node, year_or_404(request.POST.get("year", ""))


def _url(plan: m.Plan, node_key: str, year: int) -> str:
    return reverse("council", args=plan.route) + f"?year={year}#goal-{node_key}"


def _back(plan: m.Plan, node_key: str, year: int) -> HttpResponse:
    return redirect(_url(plan, node_key, year))


def _refused(request: HttpRequest, e: InputError, plan: m.Plan, node_key: str, year: int) -> HttpResponse:
    for problem in e.problems:
        messages.error(request, str(problem))
    return _back(plan, node_key, year)


@plan_view
@require_POST
def review_edit(request: HttpRequest, plan: m.Plan, node_key: str) -> HttpResponse:
    node, year = _node_for_review(request, plan, node_key)
    core = core_plan(plan)
    access.require(access.may_review(request.user, core.node_by_id[node_key]))
    grade = request.POST.get("grade", "")
    if grade not in review_grades(core):
        messages.error(request, _("二次評価の評価区分を選んでください。"))
        return _back(plan, node_key, year)
    comments = lines(request.POST.get("comments", ""))
    try:
        changed = save_review(node, year, request.user, grade=grade, comments=comments, base=request.POST.get("base", ""))
    except InputError as e:
        return _refused(request, e, plan, node_key, year)
    except Conflict as c:
        mine = review_shown(grade, comments, "", answering=False)
        fields = {"grade": _("評価区分"), "comments": _("意見（1行に1項目）")}
        return conflict_page(request, plan, year, c, mine=mine, back=_url(plan, node_key, year), editable=fields, multiline=("comments",))
    messages.success(request, _("二次評価を保存しました。") if changed else _("変更はありません。"))
    return _back(plan, node_key, year)


@plan_view
@require_POST
def answer_edit(request: HttpRequest, plan: m.Plan, node_key: str) -> HttpResponse:
    node, year = _node_for_review(request, plan, node_key)
    core = core_plan(plan)
    access.require(access.may_answer(request.user, core, core.node_by_id[node_key]))
    answer = request.POST.get("answer", "").strip()
    try:
        changed = save_review(node, year, request.user, answer=answer, base=request.POST.get("base", ""))
    except InputError as e:
        return _refused(request, e, plan, node_key, year)
    except Conflict as c:
        fields = {"answer": _("対応・回答")}
        return conflict_page(request, plan, year, c, mine=answer, back=_url(plan, node_key, year), editable=fields, multiline=("answer",))
    messages.success(request, _("対応を保存しました。") if changed else _("変更はありません。"))
    return _back(plan, node_key, year)
