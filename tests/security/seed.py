"""Fill a fresh database for the tests that run real servers: ``python seed.py [--activity]``.

Run in its own process with HYOKA_DATABASE_URL set, like an operator would prepare one:
the migrations, the three sample plans, one user per role (password PASSWORD) and
FY2025 of the Kanagawa strategy open. ``--activity`` adds a year of work through the
same functions the views call (values, texts, a target revision, a review and its
answer, a submission accepted, a rule-set version, a login failure), so that every
table a backup holds has rows.
"""

from __future__ import annotations

import os
import sys

PASSWORD = "correct-horse-battery-9"
PLAN = "kanagawa-sousei-3"
YEAR = 2025
USERS = (  # all of Kanagawa (140007), whose plans the live tests work on
    ("admin", "admin", ""),
    ("planner", "planner", ""),
    ("sangyo", "department", "産業労働局"),
    ("fukushi", "department", "福祉子どもみらい局"),
    ("reviewer", "reviewer", ""),
)


def prepare() -> None:
    from hyoka.web.demo import migrate, use_database

    use_database(None)
    migrate()
    from hyoka.samples import load_sample, sample_names
    from hyoka.web.accounts.models import Department, Organization, Role, User
    from hyoka.web.plans import models as m
    from hyoka.web.plans.convert import store_plan

    for name in sample_names():
        store_plan(load_sample(name))
    kanagawa = Organization.objects.get(code="140007")
    for username, role, department in USERS:
        dept = Department.objects.get_or_create(organization=kanagawa, name=department)[0] if department else None
        admin = role == Role.ADMIN
        User.objects.create_user(username, password=PASSWORD, role=role, organization=kanagawa, department=dept, is_staff=admin)
    m.Cycle.objects.create(
        plan=m.Plan.objects.get(organization__code="140007", key=PLAN), year=YEAR, status=m.CycleStatus.OPEN, due="2026-05-29"
    )


def activity() -> None:
    from django.utils import timezone

    from hyoka.web.accounts.models import Department, User
    from hyoka.web.audit.models import EventKind
    from hyoka.web.audit.record import log_event
    from hyoka.web.plans import models as m
    from hyoka.web.plans.entry import ValueInput, save_review, save_target, save_texts, save_value
    from hyoka.web.plans.publication import correcting, publish
    from hyoka.web.plans.views.rules import save_rules
    from hyoka.web.workflow.models import Event, EventAction, Submission, SubmissionStatus

    users = {u.username: u for u in User.objects.all()}
    plan = m.Plan.objects.get(organization__code="140007", key=PLAN)

    def series(indicator: str, part: str = "") -> m.Series:
        return m.Series.objects.select_related("indicator__plan", "indicator__node").get(
            indicator__plan=plan, indicator__key=indicator, part=part
        )

    save_value(series("1-3-1-k1"), YEAR, ValueInput("５０．０％"), users["sangyo"])
    save_value(series("1-3-1-k1"), YEAR, ValueInput("50.5%", note="確定値"), users["sangyo"], "確定値に更新")
    save_value(series("1-3-1-k2"), YEAR, ValueInput("", "pending", "2026-09"), users["sangyo"])
    save_value(series("3-3-2-k1", "elementary"), YEAR, ValueInput("９３．５％", "estimate"), users["planner"])
    save_value(series("1-3-1-k3"), 2022, ValueInput(""), users["planner"], "誤りのため削除")
    node = m.Node.objects.select_related("plan").get(plan=plan, key="1-3-1-1")
    save_texts(node, YEAR, ["説明会を3回開催", "<script>alert(1)</script>"], ["参加者が少ない"], users["sangyo"])
    save_target(series("1-3-1-k1"), YEAR, "52.0％", users["planner"], "令和７年３月改定")
    top = m.Node.objects.select_related("plan").get(plan=plan, key="1")
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(status=m.CycleStatus.CLOSED)  # the council writes once the year is closed
    save_review(top, YEAR, users["reviewer"], grade="概ね順調に進んでいます", comments=["雇用は堅調", "人材確保が課題"])
    save_review(top, YEAR, users["sangyo"], answer="人材確保の支援を強化します")
    rounding = {"preset": "kanagawa-sousei", "rate": {"rounding": "half_up", "decimals": 1}}
    save_rules(plan, rounding, users["planner"], "四捨五入に変更", correction="端数処理の変更に伴う訂正")  # FY2024 is published
    publish(plan, YEAR, users["planner"], "速報として公表")
    with correcting(plan, YEAR, users["planner"], "確定値に訂正") as correction:
        save_value(series("1-3-1-k1"), YEAR, ValueInput("51.0%"), users["planner"], correction=correction)
    sub = Submission.objects.create(
        plan=plan,
        year=YEAR,
        department=Department.objects.get(organization=plan.organization, name="産業労働局"),
        status=SubmissionStatus.ACCEPTED,
        comment="確認しました",
        submitted_by=users["sangyo"],
        submitted_at=timezone.now(),
        decided_by=users["planner"],
        decided_at=timezone.now(),
    )
    Event.objects.create(submission=sub, action=EventAction.SUBMITTED, by=users["sangyo"], at=timezone.now())
    Event.objects.create(submission=sub, action=EventAction.ACCEPTED, comment="確認しました", by=users["planner"], at=timezone.now())
    log_event(EventKind.LOGIN_FAILED, username="nobody", detail="throttled")


if __name__ == "__main__":
    os.environ.setdefault("HYOKA_DATA_DIR", os.getcwd())
    prepare()
    if "--activity" in sys.argv:
        activity()
