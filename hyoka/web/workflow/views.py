"""The yearly cycle in the browser: open a year, the department's inbox, submit, accept or return."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ...core.model import Plan as CorePlan
from ..accounts import access
from ..history.models import ChangeKind
from ..history.record import record
from ..plans import models as m
from ..plans.convert import core_plan, touch
from ..plans.views.common import chosen_year, get_plan, plan_context, writing_view, year_or_404
from .models import Submission, SubmissionStatus


def plan_departments(core: CorePlan) -> list[str]:
    """Every department named in the plan: the ones that have something to enter and submit."""
    return sorted({d for n in core.nodes for d in n.departments} | {d for i in core.indicators for d in i.departments})


def department_work(core: CorePlan, department: str, year: int) -> dict[str, Any]:
    """What *department* still has to enter for *year*: values per series and texts per initiative."""
    values = []
    for ind in core.indicators:
        if department not in core.departments_of(ind):
            continue
        for series in ind.series():
            v = series.values.get(year)
            state = "missing" if v is None else v.status.value
            values.append({"indicator": ind, "series": series, "value": v, "state": state, "target": series.targets.get(year)})
    leaf_level = core.levels[-1]
    texts = [
        {"node": n, "texts": n.texts.get(year)}
        for n in core.nodes
        if n.level == leaf_level and not core.children.get(n.id) and department in core.node_departments(n.id)
    ]
    return {
        "values": values,
        "texts": texts,
        "missing_values": sum(1 for v in values if v["state"] == "missing"),
        "pending_values": sum(1 for v in values if v["state"] == "pending"),
        "missing_texts": sum(1 for t in texts if t["texts"] is None),
    }


@require_safe
def inbox(request: HttpRequest, plan_key: str) -> HttpResponse:
    """A department's open work; planners pick the department and see every submission."""
    plan = get_plan(plan_key)
    year = chosen_year(request, plan)
    ctx = plan_context(plan, year)
    core = ctx["core"]
    names = plan_departments(core)
    user = request.user
    if user.is_department:
        department = user.department.name
    elif access.may_manage(user) or user.is_reviewer:
        department = request.GET.get("department") or (names[0] if names else "")
    else:
        raise Http404
    submissions = {
        s.department.name: s
        for s in Submission.objects.filter(plan=plan, year=year).select_related("department", "submitted_by", "decided_by")
    }
    submission = submissions.get(department)
    overview = []
    if access.may_manage(user):
        for name in names:
            work = department_work(core, name, year)
            overview.append({"department": name, "work": work, "submission": submissions.get(name)})
    ctx |= {
        "department": department,
        "departments": names,
        "work": department_work(core, department, year) if department in names else None,
        "submission": submission,
        "overview": overview,
        "may_submit": user.is_department and department in names and access.may_enter(user, plan, year, [department]),
        "may_manage": access.may_manage(user),
    }
    return render(request, "workflow/inbox.html", ctx)


@require_POST
@writing_view
def submit(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    year = year_or_404(request.POST.get("year", ""))
    user = request.user
    access.require(
        user.is_department
        and user.department.name in plan_departments(core_plan(plan))
        and access.may_enter(user, plan, year, [user.department.name])
    )
    sub, _created = Submission.objects.update_or_create(
        plan=plan,
        year=year,
        department=user.department,
        defaults={
            "status": SubmissionStatus.SUBMITTED,
            "submitted_by": user,
            "submitted_at": timezone.now(),
            "decided_by": None,
            "decided_at": None,
        },
    )
    record(plan, user, ChangeKind.SUBMISSION, f"{user.department.name} {year}年度 提出", new=sub.get_status_display(), year=year)
    messages.success(request, _("提出しました。企画担当の確認をお待ちください。"))
    return redirect(reverse("inbox", args=[plan.key]) + f"?year={year}")


@require_POST
@writing_view
def decide(request: HttpRequest, plan: m.Plan, submission_id: int) -> HttpResponse:
    """Accept a submission, or return it with a comment (the department can then edit again)."""
    access.require(access.may_manage(request.user))
    sub = get_object_or_404(Submission.objects.select_for_update(), pk=submission_id, plan=plan)
    action = request.POST.get("action")
    comment = request.POST.get("comment", "").strip()
    target = reverse("inbox", args=[plan.key]) + f"?year={sub.year}&department={sub.department.name}"
    if action not in ("accept", "return") or sub.status != SubmissionStatus.SUBMITTED:
        messages.error(request, _("この提出は承認・差戻しできる状態ではありません。"))
        return redirect(target)
    if action == "return" and not comment:
        messages.error(request, _("差戻しの理由をコメントに書いてください。"))
        return redirect(target)
    old = sub.get_status_display()
    sub.status = SubmissionStatus.ACCEPTED if action == "accept" else SubmissionStatus.RETURNED
    sub.comment = comment
    sub.decided_by = request.user
    sub.decided_at = timezone.now()
    sub.save()
    record(
        plan,
        request.user,
        ChangeKind.SUBMISSION,
        f"{sub.department.name} {sub.year}年度 {sub.get_status_display()}",
        old=old,
        new=sub.get_status_display(),
        why=comment,
        year=sub.year,
    )
    messages.success(request, _("承認しました。") if action == "accept" else _("差し戻しました。"))
    return redirect(target)


@require_POST
@writing_view
def cycle_open(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    access.require(access.may_manage(request.user))
    year = year_or_404(request.POST.get("year", ""))
    due = request.POST.get("due", "").strip()
    try:
        date.fromisoformat(due) if due else None
    except ValueError:
        messages.error(request, _("提出期限は日付（例: 2026-05-29）で入力してください。"))
        return redirect(reverse("tree", args=[plan.key]) + f"?year={year}")
    cycle, created = m.Cycle.objects.get_or_create(plan=plan, year=year, defaults={"status": m.CycleStatus.OPEN, "due": due})
    old = "" if created else cycle.get_status_display()
    cycle.status = m.CycleStatus.OPEN
    if due:
        cycle.due = due
    cycle.save()
    record(
        plan,
        request.user,
        ChangeKind.CYCLE,
        f"{year}年度 評価サイクル",
        old=old,
        new=f"{cycle.get_status_display()} {cycle.due}".strip(),
        year=year,
    )
    touch(plan)
    messages.success(request, _("評価サイクルを開始しました。"))
    return redirect(reverse("inbox", args=[plan.key]) + f"?year={year}")


@require_POST
@writing_view
def cycle_close(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    access.require(access.may_manage(request.user))
    year = year_or_404(request.POST.get("year", ""))
    cycle = get_object_or_404(m.Cycle, plan=plan, year=year)
    old = cycle.get_status_display()
    cycle.status = m.CycleStatus.CLOSED
    cycle.save()
    record(plan, request.user, ChangeKind.CYCLE, f"{year}年度 評価サイクル", old=old, new=cycle.get_status_display(), year=year)
    touch(plan)
    messages.success(request, _("評価サイクルを締め切りました。"))
    return redirect(reverse("tree", args=[plan.key]) + f"?year={year}")
