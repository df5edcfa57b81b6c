"""Web fixtures: the three sample plans and one user per role, stored once per test session.

Two governments share the installation, as in production: Kanagawa (the sample plans and
the users below) and Yokohama, which keeps a plan of the same key as Kanagawa's strategy
with departments of the same names, so every test runs beside another organization's data.

Each test runs in a transaction that is rolled back, so the stored plans are shared
cheaply; browser tests (live server, real commits) run after all others.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pytest
from django.test import Client
from opencycle import COUNCIL_YEAR, ORG, OTHER_ORG, PLAN, YEAR

from hyoka.core.model import Organization as CoreOrganization
from hyoka.samples import load_sample, sample_names
from hyoka.web.accounts.models import Department, Organization, Role, User
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
    organization: str | None = ORG


ACCOUNTS = {
    "operator": Account("operator", Role.OPERATOR, organization=None),
    "admin": Account("admin", Role.ADMIN),
    "planner": Account("planner", Role.PLANNER),
    "sangyo": Account("sangyo", Role.DEPARTMENT, "産業労働局"),
    "fukushi": Account("fukushi", Role.DEPARTMENT, "福祉子どもみらい局"),
    "reviewer": Account("reviewer", Role.REVIEWER),
    "hiratsuka": Account("hiratsuka", Role.PLANNER, organization="142034"),  # the planner of the third sample plan's city
}
PLANNER_OF = {"kanagawa-sousei-3": "planner", "kanagawa-dx": "planner", "hiratsuka-juten": "hiratsuka"}
OTHER_ACCOUNTS = {  # Yokohama's: the people of the other organization
    "y-admin": Account("y-admin", Role.ADMIN, organization=OTHER_ORG),
    "y-planner": Account("y-planner", Role.PLANNER, organization=OTHER_ORG),
    "y-sangyo": Account("y-sangyo", Role.DEPARTMENT, "産業労働局", OTHER_ORG),
}


def create_accounts(accounts: dict[str, Account]) -> None:
    for a in accounts.values():
        org = Organization.objects.get(code=a.organization) if a.organization else None
        dept = Department.objects.get_or_create(organization=org, name=a.department)[0] if a.department else None
        User.objects.create_user(
            a.username,
            password=PASSWORD,
            role=a.role,
            organization=org,
            department=dept,
            is_superuser=a.role == Role.OPERATOR,
            is_staff=a.role in (Role.OPERATOR, Role.ADMIN),
        )


def store_other_organization() -> m.Plan:
    """Yokohama's copy of the Kanagawa strategy: the same plan key, the same department names, its own people."""
    copy = replace(load_sample(PLAN), name="横浜市の総合戦略（同じ ID の別団体の計画）", organization=CoreOrganization("横浜市", OTHER_ORG))
    row = store_plan(copy)
    m.Cycle.objects.create(plan=row, year=YEAR, status=m.CycleStatus.OPEN, due="2026-05-29")
    create_accounts(OTHER_ACCOUNTS)
    Submission.objects.create(
        plan=row,
        year=YEAR,
        department=Department.objects.get(organization=row.organization, name="政策局"),
        status=SubmissionStatus.SUBMITTED,
        submitted_at="2026-05-01T10:00:00+09:00",
    )
    touch(row)
    return row


def store_everything() -> None:
    for name in SAMPLES:
        store_plan(load_sample(name))
    create_accounts(ACCOUNTS)
    store_other_organization()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        store_everything()


@pytest.fixture
def stored(transactional_db: None) -> None:
    """The samples and accounts for a browser test: a live server's test commits, and the database is emptied after it."""
    if not User.objects.filter(username__in=list(ACCOUNTS)).exists():
        store_everything()


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
    p = m.Plan.objects.select_related("organization").get(organization__code=ORG, key=PLAN)
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
        department=Department.objects.get(organization=plan.organization, name="政策局"),
        status=SubmissionStatus.SUBMITTED,
        submitted_at="2026-05-01T10:00:00+09:00",
    )
    touch(plan)
    return plan
