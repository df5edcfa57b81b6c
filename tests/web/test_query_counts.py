"""The number of database queries of a page does not grow with the plan: no N+1 (issue 7).

Each main page is requested for a small and a big synthetic plan (bench/generate.py, the
same shape with four times the indicators per 小柱) and must make exactly as many
queries for both, once with the evaluation cache warm and once cold (right after a save,
which renews the plan's revision). The plan list and the public site must not grow with
the number of plans either. The counts are printed (``pytest -s``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from hyoka.formats.hyoka1 import check_digit, plan_from_dict
from hyoka.web.accounts.models import Department, Organization, Role, User
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import store_plan, touch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import plan_document
from webforms import with_base

SMALL, BIG = 60, 240  # one and four indicators per 小柱
OPEN_YEAR, PUBLISHED_YEAR = 2028, 2027
DEPARTMENT = "第12課"  # the department of 小柱 1-1-1, which has indicators in both plans
NODE, SMALL_PILLAR, INDICATOR = "1", "1-1-1", "k1"


@dataclass(frozen=True)
class Stored:
    key: str
    indicators: int


CODE = "99900" + check_digit("99900")  # one test city keeps both plans, and its people read them


def _store(index: int, indicators: int) -> Stored:
    doc = plan_document(index, CODE, "試験市", indicators_count=indicators)
    doc["plan"]["id"] = f"plan-{index}"
    row = store_plan(plan_from_dict(doc))
    m.Cycle.objects.create(plan=row, year=PUBLISHED_YEAR, status=m.CycleStatus.PUBLISHED)
    m.Cycle.objects.create(plan=row, year=OPEN_YEAR, status=m.CycleStatus.OPEN)
    touch(row)
    return Stored(row.key, indicators)


@pytest.fixture(scope="module")
def stored(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Stored, Stored]]:
    """The two plans, stored once for the module (each test's own writes are rolled back)."""
    with django_db_blocker.unblock():
        departments = set(Department.objects.values_list("pk", flat=True))
        plans = _store(900, SMALL), _store(901, BIG)
        city = Organization.objects.get(code=CODE)
        User.objects.create_user("q-planner", role=Role.PLANNER, organization=city)
        User.objects.create_user(
            "q-dept", role=Role.DEPARTMENT, organization=city, department=Department.objects.get(organization=city, name=DEPARTMENT)
        )
    yield plans
    with django_db_blocker.unblock():
        User.objects.filter(username__in=["q-dept", "q-planner"]).delete()
        m.Plan.objects.filter(organization__code=CODE).delete()
        Department.objects.exclude(pk__in=departments).delete()
        Organization.objects.filter(code=CODE).delete()


@pytest.fixture
def plans(stored: tuple[Stored, Stored], db: None) -> Iterator[tuple[Stored, Stored]]:
    cache.clear()
    yield stored
    cache.clear()


def _client(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


def _count(client: Client, url: str) -> int:
    client.get(url)  # the session and the user are loaded once and are not what is measured
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _save(client: Client, plan: Stored) -> None:
    """A department saves a value: the plan gets a new revision, so every computed result is cold."""
    row = m.Value.objects.filter(
        series__indicator__plan__organization__code=CODE,
        series__indicator__plan__key=plan.key,
        series__indicator__key=INDICATOR,
        year=OPEN_YEAR,
    ).first()
    why = {"why": "試験"} if row else {}
    path = f"/plans/{CODE}/{plan.key}/indicators/{INDICATOR}/value/"
    data = {
        "year": OPEN_YEAR,
        "value": f"{plan.indicators}件",
        "status": "confirmed",
        "confirm": "on",
    }  # a made-up figure: its warning confirmed
    response = client.post(path, with_base(path, data | why))
    assert response.status_code == 302


PAGES: dict[str, Callable[[str], str]] = {
    "tree": lambda key: f"/plans/{CODE}/{key}/?year={OPEN_YEAR}",
    "node": lambda key: f"/plans/{CODE}/{key}/nodes/{NODE}/?year={OPEN_YEAR}",
    "node_pillar": lambda key: f"/plans/{CODE}/{key}/nodes/{SMALL_PILLAR}/?year={OPEN_YEAR}",
    "indicator": lambda key: f"/plans/{CODE}/{key}/indicators/{INDICATOR}/?year={OPEN_YEAR}",
    "summary": lambda key: f"/plans/{CODE}/{key}/summary/?year={OPEN_YEAR}",
    "inbox": lambda key: f"/plans/{CODE}/{key}/inbox/?year={OPEN_YEAR}",
    "inbox_review": lambda key: f"/plans/{CODE}/{key}/inbox/review.xlsx?year={OPEN_YEAR}",
    "council": lambda key: f"/plans/{CODE}/{key}/council/?year={OPEN_YEAR}",
    "texts": lambda key: f"/plans/{CODE}/{key}/nodes/{SMALL_PILLAR}-1/texts/?year={OPEN_YEAR}",
    "preview": lambda key: f"/plans/{CODE}/{key}/indicators/{INDICATOR}/preview/?year={OPEN_YEAR}&value=12",
}
PUBLIC: dict[str, Callable[[str], str]] = {
    "public_plan": lambda key: f"/public/{CODE}/{key}/index.html",
    "public_tree": lambda key: f"/public/{CODE}/{key}/tree.html",
    "public_node": lambda key: f"/public/{CODE}/{key}/nodes/{NODE}.html",
    "public_indicator": lambda key: f"/public/{CODE}/{key}/indicators/{INDICATOR}.html",
    "api_plan": lambda key: f"/api/v1/plans/{CODE}/{key}",
    "api_indicator": lambda key: f"/api/v1/indicators/{CODE}/{key}:{INDICATOR}",
}


@pytest.mark.parametrize("user", ["q-planner", "q-dept"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_page_makes_as_many_queries_for_a_big_plan_as_for_a_small_one(plans: tuple[Stored, Stored], page: str, user: str) -> None:
    client = _client(user)
    counts: dict[str, tuple[int, int]] = {}
    for plan in plans:
        warm = _count(client, PAGES[page](plan.key))
        _save(_client("q-planner"), plan)
        counts[f"{plan.indicators} indicators"] = (warm, _count_cold(client, PAGES[page](plan.key), plan))
    print(f"{page} as {user}: queries (warm, cold) {counts}")
    assert len(set(counts.values())) == 1, counts


def _count_cold(client: Client, url: str, plan: Stored) -> int:
    """The count of the first request after a save, when nothing of the new revision is computed yet."""
    client.get(url)  # warm the session, then renew the revision again so the measured request is cold
    touch(m.Plan.objects.get(organization__code=CODE, key=plan.key))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@override_settings(HYOKA_API_BURST=1000)
@pytest.mark.parametrize("page", sorted(PUBLIC))
def test_a_public_page_makes_as_many_queries_for_a_big_plan_as_for_a_small_one(plans: tuple[Stored, Stored], page: str) -> None:
    client = Client()
    counts: dict[str, tuple[int, int]] = {}
    for plan in plans:
        warm = _count(client, PUBLIC[page](plan.key))
        counts[f"{plan.indicators} indicators"] = (warm, _count_cold(client, PUBLIC[page](plan.key), plan))
    print(f"{page}: queries (warm, cold) {counts}")
    assert len(set(counts.values())) == 1, counts


def _first(client: Client, url: str) -> int:
    """The count of a page's first request since the plans changed (nothing computed for them yet)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@override_settings(HYOKA_API_BURST=1000)
def test_the_plan_lists_do_not_grow_with_the_plans(plans: tuple[Stored, Stored]) -> None:
    """After one new plan and after three, the lists' first requests (which build the new plans) make as many queries."""
    client = _client("q-planner")
    lists = ("/", "/api/v1/plans", "/public/index.html")
    for url in lists:  # the session is loaded and the module's two plans are built: what follows builds only the new ones
        _first(client, url)
    _store(902, SMALL)
    one = [_first(client, url) for url in lists]
    _store(903, SMALL)
    _store(904, BIG)
    three = [_first(client, url) for url in lists]
    print(f"plan list, API plan list, public home: first-request queries after 1 new plan {one}, after 3 {three}")
    assert one == three
