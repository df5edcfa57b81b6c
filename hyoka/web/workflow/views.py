"""A department's side of the year: the inbox, 提出 (after a page that counts what is still
empty), 取下げ before a decision, and the planner's 承認 or 差戻し, each step an ``Event`` of
the submission's timeline. The planner's own steps (open, close, publish) are in ``cycles``."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ...core.schema import LONGEST_TEXT
from ...core.wareki import to_wareki
from ...reports.content import DRAFT
from ...site.published import evaluated_years
from ..accounts import access
from ..accounts.models import User
from ..history.models import Change, ChangeKind
from ..history.record import record
from ..plans import models as m
from ..plans.convert import core_plan, evaluation
from ..plans.views.common import chosen_year, plan_context, plan_view, writing_view, year_or_404
from ..plans.views.downloads import XLSX, attachment
from .mail import notify_decision
from .models import Event, EventAction, Submission, SubmissionStatus
from .review import review_list, visible_departments, year_submissions
from .review_xlsx import review_workbook
from .work import department_work, plan_departments


@plan_view
@require_safe
def inbox(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """A department's open work; planners pick the department and see every submission.
    Everyone sees the review list of the departments they may read (``review``)."""
    year = chosen_year(request, plan)
    ctx = plan_context(plan, year)
    core = ctx["core"]
    names = plan_departments(core)
    user = request.user
    visible_departments(user, names)  # anyone who is neither a department nor a planner or reviewer: no page
    department = (
        user.department.name if user.is_department else request.GET.get("department", "")
    )  # a planner: every department until one is chosen
    submissions = year_submissions(plan, year)
    submission = submissions.get(department)
    events = list(submission.events.select_related("by")) if submission else []
    overview = []
    if access.may_manage(user):
        for name in names:
            work = department_work(core, name, year)
            overview.append({"department": name, "work": work, "submission": submissions.get(name)})
    work = department_work(core, department, year) if department in names else None
    own = {v["indicator"].id for v in work.values} if work else set()
    warned = Change.objects.filter(plan=plan, year=year, indicator_key__in=own).exclude(warnings="").select_related("user")
    review, rows = review_list(user, plan, ctx["ev"], request.GET, submissions)
    query = request.GET.copy()
    query["year"] = str(year)
    ctx |= {
        "department": department,
        "departments": names,
        "work": work,
        "warned": list(warned[:100]) if access.may_manage(user) else [],
        "submission": submission,
        "overview": overview,
        "may_submit": user.is_department and department in names and access.may_enter(user, plan, year, [department]),
        "may_withdraw": user.is_department and submission is not None and submission.status == SubmissionStatus.SUBMITTED,
        "timeline": events,
        "may_manage": access.may_manage(user),
        "review": review,
        "review_rows": rows,
        "review_query": query.urlencode(),
    }
    return render(request, "workflow/inbox.html", ctx)


@plan_view
@require_safe
def inbox_review(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """The review list of the inbox, with the same filters, as ``PLAN-YEAR-提出状況.xlsx`` (「（案）」 before publication)."""
    year = chosen_year(request, plan)
    ev = evaluation(plan, year)
    _form, rows = review_list(request.user, plan, ev, request.GET, year_submissions(plan, year))
    draft = "" if year in evaluated_years(ev.plan) else DRAFT
    title = f"{plan.name} {to_wareki(year)} 提出状況{draft}"
    content = review_workbook(title, rows, ev.rules.display)
    return attachment(content, f"{plan.key}-{year}-提出状況{draft}.xlsx", XLSX)


def _may_submit(user: User, plan: m.Plan, year: int) -> bool:
    return (
        user.is_department
        and user.department.name in plan_departments(core_plan(plan))
        and access.may_enter(user, plan, year, [user.department.name])
    )


def _inbox(plan: m.Plan, year: int, department: str = "") -> HttpResponse:
    return redirect(reverse("inbox", args=plan.route) + f"?year={year}" + (f"&department={department}" if department else ""))


def _event(sub: Submission, action: str, user: User, comment: str = "") -> None:
    Event.objects.create(submission=sub, action=action, comment=comment, by=user, at=timezone.now())


@plan_view
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """GET: 「未入力 3 件、未記入 25 件」 and the question. POST: submit (the entries become read-only until a decision)."""
    if request.method == "POST":
        return _submit(request, plan)
    user = request.user
    year = chosen_year(request, plan)
    access.require(_may_submit(user, plan, year))
    work = department_work(core_plan(plan), user.department.name, year)
    return render(request, "workflow/submit.html", plan_context(plan, year, work=work, department=user.department.name))


@writing_view
def _submit(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    user = request.user
    year = year_or_404(request.POST.get("year", ""))
    access.require(_may_submit(user, plan, year))
    sub, _created = Submission.objects.update_or_create(
        plan=plan,
        year=year,
        department=user.department,
        defaults={
            "status": SubmissionStatus.SUBMITTED,
            "comment": "",  # a return comment stays in the timeline, not under 「提出済み」
            "submitted_by": user,
            "submitted_at": timezone.now(),
            "decided_by": None,
            "decided_at": None,
        },
    )
    work = department_work(core_plan(plan), user.department.name, year)
    _event(sub, EventAction.SUBMITTED, user, work.counts())
    record(
        plan,
        user,
        ChangeKind.SUBMISSION,
        f"{user.department.name} {year}年度 提出",
        new=sub.get_status_display(),
        why=work.counts(),
        year=year,
    )
    messages.success(request, _("提出しました。企画担当の確認をお待ちください。"))
    return _inbox(plan, year)


@plan_view
@require_POST
@writing_view
def withdraw(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """取下げ: the department takes back its submission before the planner decided, and may edit again."""
    user = request.user
    access.require(user.is_department)
    year = year_or_404(request.POST.get("year", ""))
    sub = Submission.objects.select_for_update().filter(plan=plan, year=year, department=user.department).first()
    access.require(sub is not None)
    if sub.status != SubmissionStatus.SUBMITTED:
        messages.error(request, _("判断済みの提出は取り下げられません。"))
        return _inbox(plan, year)
    sub.status = SubmissionStatus.WITHDRAWN
    sub.save()
    _event(sub, EventAction.WITHDRAWN, user)
    record(
        plan,
        user,
        ChangeKind.SUBMISSION,
        f"{user.department.name} {year}年度 取下げ",
        old="提出済み",
        new=sub.get_status_display(),
        year=year,
    )
    messages.success(request, _("提出を取り下げました。修正して、もう一度提出できます。"))
    return _inbox(plan, year)


@plan_view
@require_http_methods(["GET", "HEAD", "POST"])
def decide(request: HttpRequest, plan: m.Plan, submission_id: int) -> HttpResponse:
    """GET: the department's counts and the choice. POST: accept, or return with a comment (the department may edit again)."""
    access.require(access.may_manage(request.user))
    if request.method == "POST":
        return _decide(request, plan, submission_id)
    sub = get_object_or_404(Submission.objects.select_related("department"), pk=submission_id, plan=plan)
    work = department_work(core_plan(plan), sub.department.name, sub.year)
    ctx = plan_context(plan, sub.year, submission=sub, work=work, timeline=list(sub.events.select_related("by")))
    return render(request, "workflow/decide.html", ctx)


@writing_view
def _decide(request: HttpRequest, plan: m.Plan, submission_id: int) -> HttpResponse:
    sub = get_object_or_404(Submission.objects.select_for_update(), pk=submission_id, plan=plan)
    action = request.POST.get("action")
    comment = request.POST.get("comment", "").strip()
    if action not in ("accept", "return") or sub.status != SubmissionStatus.SUBMITTED:
        messages.error(request, _("この提出は承認・差戻しできる状態ではありません。"))
        return _inbox(plan, sub.year, sub.department.name)
    if action == "return" and not comment:
        messages.error(request, _("差戻しの理由をコメントに書いてください。"))
        return redirect(reverse("decide", args=[*plan.route, sub.pk]))
    if len(comment) > LONGEST_TEXT:
        messages.error(request, _("コメントは %(n)s 文字までです。") % {"n": f"{LONGEST_TEXT:,}"})
        return redirect(reverse("decide", args=[*plan.route, sub.pk]))
    old = sub.get_status_display()
    sub.status = SubmissionStatus.ACCEPTED if action == "accept" else SubmissionStatus.RETURNED
    sub.comment = comment
    sub.decided_by = request.user
    sub.decided_at = timezone.now()
    sub.save()
    _event(sub, EventAction.ACCEPTED if action == "accept" else EventAction.RETURNED, request.user, comment)
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
    transaction.on_commit(lambda: notify_decision(sub))
    messages.success(request, _("承認しました。") if action == "accept" else _("差し戻しました。"))
    return _inbox(plan, sub.year, sub.department.name)
