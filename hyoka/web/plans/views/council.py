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
from ..forms import AnswerForm, CoreForm, ReviewForm
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
    return council_page(request, plan, chosen_year(request, plan))


def council_page(
    request: HttpRequest, plan: m.Plan, year: int, *, bound: dict[str, CoreForm] | None = None, status: int = 200
) -> HttpResponse:
    """Per 基本目標 the grades, the 二次評価 and the answer; *bound* holds a refused form by its node, shown with its errors."""
    bound = bound or {}
    ctx = plan_context(plan, year)
    core, ev = ctx["core"], ctx["ev"]
    grades_offered = review_grades(core)
    window = council_open(plan, year)  # the forms are offered from the close of the year to its publication
    goals = []
    for top in core.roots:
        grades: Counter[str] = Counter()
        for n in core.descendants(top.id):
            g = ev.nodes[n.id].grade
            if g is not None:
                grades[g.label] += 1
        own = ev.nodes[top.id].grade
        review = top.reviews.get(year)
        held = bound.get(top.id)
        goals.append(
            {
                "node": top,
                "grade": own,
                "grade_explanation": explain_grade(own, top.level) if own else "",
                "grades": grades.most_common(),
                "targets": [ev.indicators[i.id] for i in core.indicators_of.get(top.id, [])],
                "review": review,
                "review_base": review_token(review.grade, review.comments) if review else "",
                "answer_base": answer_token(review.answer) if review else "",
                "review_form": held
                if isinstance(held, ReviewForm)
                else ReviewForm(
                    initial={"grade": review.grade, "comments": "\n".join(review.comments)} if review else {},
                    grades=grades_offered,
                    auto_id=f"id_{top.id}_%s",
                ),
                "answer_form": held
                if isinstance(held, AnswerForm)
                else AnswerForm(initial={"answer": review.answer} if review else {}, auto_id=f"id_{top.id}_a_%s"),
                "may_review": window and access.may_review(request.user, top),
                "may_answer": window and access.may_answer(request.user, core, top),
            }
        )
    ctx |= {"goals": goals, "council_open": window}
    return render(request, "plans/council.html", ctx, status=status)


def _node_for_review(request: HttpRequest, plan: m.Plan, node_key: str) -> tuple[m.Node, int]:
    node = get_object_or_404(m.Node.objects.select_related("plan"), plan=plan, key=node_key)
    return node, year_or_404(request.POST.get("year", ""))


def _url(plan: m.Plan, node_key: str, year: int) -> str:
    return reverse("council", args=plan.route) + f"?year={year}#goal-{node_key}"


@plan_view
@require_POST
def review_edit(request: HttpRequest, plan: m.Plan, node_key: str) -> HttpResponse:
    node, year = _node_for_review(request, plan, node_key)
    core = core_plan(plan)
    access.require(access.may_review(request.user, core.node_by_id[node_key]))
    form = ReviewForm(request.POST, grades=review_grades(core), auto_id=f"id_{node_key}_%s")
    changed = False
    try:
        if form.is_valid():
            d = form.cleaned_data
            changed = save_review(node, year, request.user, grade=d["grade"], comments=lines(d["comments"]), base=form.base)
    except InputError as e:
        form.add_problems(e)
    except Conflict as c:
        mine = review_shown(request.POST.get("grade", ""), lines(request.POST.get("comments", "")), "", answering=False)
        fields = {"grade": _("評価区分"), "comments": _("意見（1行に1項目）")}
        return conflict_page(request, plan, year, c, mine=mine, back=_url(plan, node_key, year), editable=fields, multiline=("comments",))
    if form.errors:
        return council_page(request, plan, year, bound={node_key: form}, status=400)
    messages.success(request, _("二次評価を保存しました。") if changed else _("変更はありません。"))
    return redirect(_url(plan, node_key, year))


@plan_view
@require_POST
def answer_edit(request: HttpRequest, plan: m.Plan, node_key: str) -> HttpResponse:
    node, year = _node_for_review(request, plan, node_key)
    core = core_plan(plan)
    access.require(access.may_answer(request.user, core, core.node_by_id[node_key]))
    form = AnswerForm(request.POST, auto_id=f"id_{node_key}_a_%s")
    changed = False
    try:
        if form.is_valid():
            changed = save_review(node, year, request.user, answer=form.cleaned_data["answer"], base=form.base)
    except InputError as e:
        form.add_problems(e)
    except Conflict as c:
        answer = request.POST.get("answer", "")
        fields = {"answer": _("対応・回答")}
        return conflict_page(request, plan, year, c, mine=answer, back=_url(plan, node_key, year), editable=fields, multiline=("answer",))
    if form.errors:
        return council_page(request, plan, year, bound={node_key: form}, status=400)
    messages.success(request, _("対応を保存しました。") if changed else _("変更はありません。"))
    return redirect(_url(plan, node_key, year))
