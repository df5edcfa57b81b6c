"""The planner's steps of a year: 年度を開始, 締め切る, 公表 and 公表取消, each behind a page that
says what it will do and counts what is not finished (GET), and done by the POST from it.

A POST without the page (a script) does the same step with the same checks: the page is
there so that nobody acts on one click without seeing what it means.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..accounts import access
from ..history.models import ChangeKind
from ..history.record import record
from ..plans import models as m
from ..plans.conflicts import writing
from ..plans.convert import core_plan, touch
from ..plans.forms import CycleOpenForm, ReasonForm
from ..plans.locks import YearLocked
from ..plans.publication import publish, readiness, withdraw
from ..plans.views.common import chosen_year, form_acted, plan_context, plan_view, year_or_404
from .mail import notify_opened
from .models import Submission, SubmissionStatus
from .work import plan_departments


def _year(request: HttpRequest, plan: m.Plan) -> int:
    """The year a step acts on: a POST must name it (an empty POST does nothing); a page shows the chosen one."""
    return year_or_404(request.POST.get("year", "")) if request.method == "POST" else chosen_year(request, plan)


def _back(plan: m.Plan, name: str, year: int) -> HttpResponse:
    return redirect(reverse(name, args=plan.route) + f"?year={year}")


@plan_view
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_open(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """GET: what opening a year does (departments may enter and submit its values and texts). POST: open it."""
    access.require(access.may_manage(request.user))
    chosen = chosen_year(request, plan) if request.GET.get("year") else None
    published = {c.year: c.is_published for c in plan.cycles.all()}
    years, locked = sorted({*plan.years, *published}), {y for y, p in published.items() if p}
    form = CycleOpenForm(request.POST or None, years=years, published=locked, initial={"year": chosen})
    if request.method != "POST" or not form.is_valid():
        ctx = plan_context(plan, chosen or chosen_year(request, plan), form=form)
        return render(request, "workflow/cycle_open.html", ctx, status=400 if request.method == "POST" else 200)
    year, due = form.cleaned_data["year"], form.cleaned_data["due"]
    due = due.isoformat() if due else ""
    with writing(plan):  # before any check: saves, submissions and the close of a year happen one after another
        cycle, created = m.Cycle.objects.select_for_update().get_or_create(plan=plan, year=year, defaults={"due": due})
        if cycle.is_published:
            raise YearLocked(f"{plan.key}:{year}", f"{year}年度は公表済みです（再開するには公表取消）", f"{year} is published")
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
        transaction.on_commit(lambda: notify_opened(plan, year))
    messages.success(request, _("評価サイクルを開始しました。"))
    return _back(plan, "inbox", year)


def not_finished(plan: m.Plan, year: int) -> tuple[list[str], list[str]]:
    """The departments that have not submitted, and those whose submission is not accepted."""
    names = plan_departments(core_plan(plan))
    status = dict(Submission.objects.filter(plan=plan, year=year).values_list("department__name", "status"))
    missing = [d for d in names if status.get(d) in (None, SubmissionStatus.RETURNED, SubmissionStatus.WITHDRAWN)]
    waiting = [d for d in names if status.get(d) == SubmissionStatus.SUBMITTED]
    return missing, waiting


@plan_view
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_close(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """GET: the departments not submitted and not accepted. POST: close (entries end; the council's window opens)."""
    access.require(access.may_manage(request.user))
    year = _year(request, plan)
    if request.method != "POST":
        missing, waiting = not_finished(plan, year)
        ctx = plan_context(plan, year, missing=missing, waiting=waiting)
        return render(request, "workflow/cycle_close.html", ctx)
    with writing(plan):
        cycle = get_object_or_404(m.Cycle.objects.select_for_update(), plan=plan, year=year)
        if cycle.is_published:
            raise YearLocked(f"{plan.key}:{year}", f"{year}年度は公表済みです", f"{year} is published")
        old = cycle.get_status_display()
        cycle.status = m.CycleStatus.CLOSED
        cycle.save()
        record(plan, request.user, ChangeKind.CYCLE, f"{year}年度 評価サイクル", old=old, new=cycle.get_status_display(), year=year)
        touch(plan)
    messages.success(request, _("評価サイクルを締め切りました。"))
    return _back(plan, "tree", year)


@plan_view
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_publish(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """GET: what becomes public and what is not finished. POST: 公表 (a reason when something is unfinished)."""
    access.require(access.may_manage(request.user))
    year = _year(request, plan)
    form = ReasonForm(request.POST or None, label=_("終わっていないまま公表する理由"))
    if _published_step(request, plan, year, form, publish, _("公表しました。公開サイトと API に掲載されています。")):
        return _back(plan, "tree", year)
    ctx = plan_context(plan, year, ready=readiness(plan, year), form=form)
    return render(request, "workflow/cycle_publish.html", ctx, status=400 if request.method == "POST" else 200)


@plan_view
@require_http_methods(["GET", "HEAD", "POST"])
def cycle_unpublish(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """GET: the form for 公表取消 with its reason. POST: take the year off the public site (it goes back to 締切)."""
    access.require(access.may_manage(request.user))
    year = _year(request, plan)
    form = ReasonForm(request.POST or None, label=_("取り消す理由"))
    if _published_step(request, plan, year, form, withdraw, _("公表を取り消しました。")):
        return _back(plan, "tree", year)
    ctx = plan_context(plan, year, form=form)
    return render(request, "workflow/cycle_unpublish.html", ctx, status=400 if request.method == "POST" else 200)


def _published_step(request: HttpRequest, plan: m.Plan, year: int, form: ReasonForm, step: Callable[..., object], done: str) -> bool:
    """A posted 公表 or 公表取消 with its reason: True when done; a refusal is put beside the reason."""

    def act() -> str:
        step(plan, year, request.user, form.cleaned_data["reason"])
        return done

    return form_acted(request, form, act)
