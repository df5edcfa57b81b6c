"""Mail about the year's work, through Django's email framework (SPEC 6: reminders).

Departments hear when a year opens for them, when their submission is returned (with the
comment) or accepted, and, from `hyoka remind` run daily by cron, when their due date is
near or past with values or texts still missing. The backend comes from the settings:
SMTP when ``HYOKA_EMAIL_HOST`` is set, else the console (the demo prints the mail).
Mail goes to the users of a department who have an address; nothing is sent to anyone else.
A failure to send is logged and never undoes the step that caused it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse

from ...core.wareki import to_wareki, wareki_date
from ..accounts.models import User
from ..plans import models as m
from ..plans.convert import core_plan
from .models import Submission, SubmissionStatus
from .work import department_work, plan_departments

logger = logging.getLogger(__name__)
Message = tuple[str, str, str | None, list[str]]


def _addresses(plan: m.Plan, department: str) -> list[str]:
    """The addresses of the department's users in the plan's organization (another government may have a 政策局 too)."""
    users = User.objects.filter(department__name=department, department__organization_id=plan.organization_id, is_active=True)
    return sorted(users.exclude(email="").values_list("email", flat=True).distinct())


def _site() -> str:
    return settings.HYOKA_SITE_URL.rstrip("/")


def _inbox_url(plan: m.Plan, year: int) -> str:
    return _site() + reverse("inbox", args=plan.route) + f"?year={year}"


def _send(messages: list[Message]) -> int:
    messages = [msg for msg in messages if msg[3]]
    if not messages:
        return 0
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError:  # the mail server is away: the step stands, the log says what was not sent
        logger.exception("mail not sent: %d messages", len(messages))
        return 0


def notify_opened(plan: m.Plan, year: int) -> int:
    """Each department of the plan: the year is open for its entries, with the due date."""
    cycle = m.Cycle.objects.get(plan=plan, year=year)
    due = f"提出期限: {wareki_date(cycle.due)}\n" if cycle.due else ""
    url = _inbox_url(plan, year)
    return _send(
        [
            (
                f"[hyoka] {plan.name} {to_wareki(year)}の評価を開始しました",
                f"{department} ご担当者様\n\n{plan.name}の{to_wareki(year)}の実績値と取組の記入をお願いします。\n{due}{url}\n",
                None,
                _addresses(plan, department),
            )
            for department in plan_departments(core_plan(plan))
        ]
    )


def notify_decision(submission: Submission) -> int:
    """The department hears that its submission was accepted, or returned with the comment."""
    plan, year = submission.plan, submission.year
    url = _inbox_url(plan, year)
    if submission.status == SubmissionStatus.RETURNED:
        subject = f"[hyoka] {plan.name} {to_wareki(year)}の提出が差し戻されました"
        body = f"差戻しの理由:\n{submission.comment}\n\n修正のうえ、もう一度提出してください。\n{url}\n"
    else:
        subject = f"[hyoka] {plan.name} {to_wareki(year)}の提出が承認されました"
        body = f"提出いただいた実績値と取組を承認しました。\n{url}\n"
    return _send([(subject, f"{submission.department.name} ご担当者様\n\n{body}", None, _addresses(plan, submission.department.name))])


@dataclass(frozen=True)
class Reminder:
    plan_pk: int
    plan: str  # 「140007/kanagawa-sousei-3」: its organization's code and key, as the command prints it
    year: int
    department: str
    due: str
    missing_values: int
    missing_texts: int
    overdue: bool
    sent: int


def reminders(today: date, days_before: int) -> list[Reminder]:
    """Every department with work missing in an open year whose due date is within *days_before* days or past.

    A department that has submitted (or whose submission is accepted) is not reminded.
    """
    out = []
    horizon = today + timedelta(days=days_before)
    cycles = (
        m.Cycle.objects.filter(status=m.CycleStatus.OPEN)
        .exclude(due="")
        .select_related("plan__organization")
        .order_by("plan__organization__code", "plan__key", "year")
    )
    for cycle in cycles:
        due = date.fromisoformat(cycle.due)
        if due > horizon:
            continue
        done = set(
            Submission.objects.filter(
                plan=cycle.plan, year=cycle.year, status__in=(SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)
            ).values_list("department__name", flat=True)
        )
        core = core_plan(cycle.plan)
        for department in plan_departments(core):
            work = department_work(core, department, cycle.year)
            if department in done or work.complete:
                continue
            out.append(
                Reminder(
                    cycle.plan.pk,
                    "/".join(cycle.plan.route),
                    cycle.year,
                    department,
                    cycle.due,
                    work.missing_values,
                    work.missing_texts,
                    due < today,
                    0,
                )
            )
    return out


def send_reminders(today: date, days_before: int = 7) -> list[Reminder]:
    """`hyoka remind`: mail each department of :func:`reminders`; returns them with the number of mails sent."""
    due = reminders(today, days_before)
    plans = m.Plan.objects.in_bulk({r.plan_pk for r in due})
    out = []
    for r in due:
        plan = plans[r.plan_pk]
        state = "提出期限を過ぎています" if r.overdue else "提出期限が近づいています"
        body = (
            f"{r.department} ご担当者様\n\n{plan.name}の{to_wareki(r.year)}について、{state}（{wareki_date(r.due)}）。\n"
            f"未入力の実績値 {r.missing_values} 件、未記入の取組 {r.missing_texts} 件があります。\n"
            f"{_inbox_url(plan, r.year)}\n"
        )
        sent = _send([(f"[hyoka] {plan.name} {to_wareki(r.year)} {state}", body, None, _addresses(plan, r.department))])
        out.append(replace(r, sent=sent))
    return out
