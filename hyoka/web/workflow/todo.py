"""What waits for each person (SPEC 6): the to-do panel of the home page.

A department sees the values and texts it still has to enter in each open year with the
due date, and its returned submissions with the comment; a planner the submissions to
decide, the departments past their due date, and the closed years not yet published; a
council member the 基本目標 of closed years without a 二次評価. Counted with the same
functions as the inbox and the confirmations (``work``), so every page says one number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone

from ..accounts.models import User
from ..plans import models as m
from ..plans.convert import core_plans
from .models import Submission, SubmissionStatus
from .work import department_work, plan_departments


@dataclass(frozen=True)
class Todo:
    kind: str  # enter | returned | decide | overdue | publish | review
    plan: str  # the plan's name
    year: int
    text: str
    url: str
    due: str = ""
    overdue: bool = False


def _inbox(plan: m.Plan, year: int, department: str = "") -> str:
    return reverse("inbox", args=plan.route) + f"?year={year}" + (f"&department={department}" if department else "")


def todo(user: User, plans: list[m.Plan], today: date | None = None) -> list[Todo]:
    """The to-do items of *user* over *plans* (the plans the user may see), most urgent first."""
    today = today or timezone.localdate()
    cycles = list(m.Cycle.objects.filter(plan__in=plans, status__in=(m.CycleStatus.OPEN, m.CycleStatus.CLOSED)).select_related("plan"))
    if not cycles:
        return []
    touched = list({c.plan_id: c.plan for c in cycles}.values())
    cores = dict(zip((p.pk for p in touched), core_plans(touched), strict=True))
    subs = {(s.plan_id, s.year, s.department.name): s for s in Submission.objects.filter(plan__in=touched).select_related("department")}
    out: list[Todo] = []
    for c in cycles:
        core, plan = cores[c.plan_id], c.plan
        overdue = bool(c.due) and date.fromisoformat(c.due) < today
        if user.is_department and c.is_open:
            name = user.department.name
            if name not in plan_departments(core):
                continue
            sub = subs.get((plan.pk, c.year, name))
            if sub is not None and sub.status == SubmissionStatus.RETURNED:
                out.append(Todo("returned", plan.name, c.year, f"差戻し: {sub.comment}", _inbox(plan, c.year), c.due, overdue))
            elif sub is None or sub.status == SubmissionStatus.WITHDRAWN:
                work = department_work(core, name, c.year)
                out.append(Todo("enter", plan.name, c.year, work.counts(), _inbox(plan, c.year), c.due, overdue))
        elif user.is_planner:
            if c.is_open:
                for name in plan_departments(core):
                    sub = subs.get((plan.pk, c.year, name))
                    if sub is not None and sub.status == SubmissionStatus.SUBMITTED:
                        out.append(
                            Todo("decide", plan.name, c.year, f"{name} の提出を承認・差戻し", reverse("decide", args=[*plan.route, sub.pk]))
                        )
                    elif overdue and (sub is None or sub.status in (SubmissionStatus.RETURNED, SubmissionStatus.WITHDRAWN)):
                        out.append(
                            Todo("overdue", plan.name, c.year, f"{name} 未提出（期限超過）", _inbox(plan, c.year, name), c.due, True)
                        )
            else:
                out.append(
                    Todo(
                        "publish",
                        plan.name,
                        c.year,
                        "締切済み: 公表を待っています",
                        reverse("cycle_publish", args=plan.route) + f"?year={c.year}",
                    )
                )
        elif user.is_reviewer and not c.is_open:
            missing = [n for n in core.roots if not (n.reviews.get(c.year) and n.reviews[c.year].grade)]
            if missing:
                url = reverse("council", args=plan.route) + f"?year={c.year}"
                out.append(Todo("review", plan.name, c.year, f"二次評価 未記入 {len(missing)} 件", url))
    return sorted(out, key=lambda t: (not t.overdue, t.due or "9999", t.plan, t.year))
