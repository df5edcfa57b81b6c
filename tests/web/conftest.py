"""Web fixtures: the three sample plans and one user per role, stored once per test session.

Each test runs in a transaction that is rolled back, so the stored plans are shared
cheaply; browser tests (live server, real commits) run after all others.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from opencycle import COUNCIL_YEAR, PLAN, YEAR

from hyoka.samples import load_sample, sample_names
from hyoka.web.accounts.models import Department, Role, User
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import store_plan, touch
from hyoka.web.workflow.models import Submission, SubmissionStatus

SAMPLES = tuple(sample_names())
PASSWORD = "correct-horse-battery-9"


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    department: str | None = None


ACCOUNTS = {
    "admin": Account("admin", Role.ADMIN),
    "planner": Account("planner", Role.PLANNER),
    "sangyo": Account("sangyo", Role.DEPARTMENT, "産業労働局"),
    "fukushi": Account("fukushi", Role.DEPARTMENT, "福祉子どもみらい局"),
    "reviewer": Account("reviewer", Role.REVIEWER),
}


def create_accounts() -> None:
    for a in ACCOUNTS.values():
        dept = Department.objects.get_or_create(name=a.department)[0] if a.department else None
        User.objects.create_user(
            a.username, password=PASSWORD, role=a.role, department=dept, is_superuser=a.role == Role.ADMIN, is_staff=a.role == Role.ADMIN
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for name in SAMPLES:
            store_plan(load_sample(name))
        create_accounts()


@pytest.fixture
def client_for(db):
    """A logged-in test client for one of ACCOUNTS."""

    def make(name: str) -> Client:
        c = Client()
        c.force_login(User.objects.get(username=name))
        return c

    return make


@pytest.fixture(scope="session")
def password() -> str:
    """The password of every account in ACCOUNTS (browser tests log in through the form)."""
    return PASSWORD


@pytest.fixture
def plan(db: None) -> m.Plan:
    """The Kanagawa strategy with FY2025 open for the departments' entries."""
    p = m.Plan.objects.get(key=PLAN)
    m.Cycle.objects.create(plan=p, year=YEAR, status=m.CycleStatus.OPEN, due="2026-05-29")
    touch(p)
    return p


@pytest.fixture
def open_cycle(plan: m.Plan) -> m.Plan:
    """The same, with one department's submission waiting for a decision (the security tests accept and return it),
    and FY2026 closed: the council's window, where 二次評価 and answers are written."""
    m.Cycle.objects.create(plan=plan, year=COUNCIL_YEAR, status=m.CycleStatus.CLOSED)
    Submission.objects.create(
        plan=plan,
        year=YEAR,
        department=Department.objects.get(name="政策局"),
        status=SubmissionStatus.SUBMITTED,
        submitted_at="2026-05-01T10:00:00+09:00",
    )
    touch(plan)
    return plan
