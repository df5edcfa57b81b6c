"""The computed plans are never stale: every write renews the plan's revision, no read does (issue 7).

Each write endpoint of the permission matrix is called with the cache warm; afterwards the
plan the pages are given (``core_plan``) and its evaluation must be exactly what a fresh
read of the rows gives, and differ from what was cached before when the write changed an
input. Reads of every main page leave the revision as it was, so the cache keeps working.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from test_permissions import ENDPOINTS, YEAR, Endpoint
from webforms import with_base

from hyoka.core.engine import evaluate
from hyoka.formats.evaluation import evaluation_dict
from hyoka.formats.hyoka1 import plan_from_dict, plan_to_dict
from hyoka.web.plans import computed
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan, document, evaluation

# Writes that change no input of the evaluation (a submission is workflow, a preview writes nothing).
NOT_INPUTS = {"submit", "submit_withdraw", "accept", "upload_preview"}
OTHER_OBJECTS = {"import_plan", "admin_add_user", "admin_departments", "admin_add_organization"}  # they do not write this plan
WRITES = [e for e in ENDPOINTS if e.name not in OTHER_OBJECTS and e.allowed]  # refused for everyone: nothing to follow


def _computed(plan: m.Plan) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the pages are given now: the plan document and the evaluation of the year (from the cache if it has them)."""
    return plan_to_dict(core_plan(plan)), evaluation_dict(evaluation(plan, YEAR))


def _fresh(plan: m.Plan) -> tuple[dict[str, Any], dict[str, Any]]:
    """The same, computed from the rows without any cache."""
    core = plan_from_dict(document(plan), where=plan.key)
    return plan_to_dict(core), evaluation_dict(evaluate(core, YEAR))


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda e: e.name)
def test_every_write_renews_the_revision_and_the_cache_follows(
    open_cycle: m.Plan,
    client_for: Callable[[str], Client],
    endpoint: Endpoint,
) -> None:
    before = _computed(open_cycle)
    revision = open_cycle.revision
    role = "sangyo" if endpoint.name.startswith("submit") else "planner"
    response = endpoint.request(client_for(role), open_cycle)
    assert response.status_code in (200, 302), response.status_code
    plan = m.Plan.objects.get(pk=open_cycle.pk)
    after = _computed(plan)
    print(
        f"{endpoint.name}: revision {'renewed' if plan.revision != revision else 'kept'}, computed plan {'changed' if after != before else 'same'}"
    )
    assert after == _fresh(plan), "the cached plan or evaluation is not what the rows say"
    if endpoint.name in NOT_INPUTS:
        assert after == before
    else:
        assert plan.revision != revision
        assert after != before, "the write changed no input (the test does not test)"


READS = [
    "/",
    "/plans/140007/{plan}/",
    "/plans/140007/{plan}/nodes/1/",
    "/plans/140007/{plan}/indicators/1-3-1-k1/",
    "/plans/140007/{plan}/indicators/1-3-1-k1/preview/?year=2025&value=12",
    "/plans/140007/{plan}/summary/",
    "/plans/140007/{plan}/council/",
    "/plans/140007/{plan}/history/",
    "/plans/140007/{plan}/inbox/",
    "/plans/140007/{plan}/rules/",
    "/plans/140007/{plan}/nodes/1-3-1-1/texts/",
    "/plans/140007/{plan}/export.json",
    "/plans/140007/{plan}/workbook.xlsx",
    "/public/index.html",
    "/api/v1/plans",
]


@pytest.mark.parametrize("role", ["planner", "sangyo"])
def test_no_read_renews_the_revision(open_cycle: m.Plan, client_for: Callable[[str], Client], role: str) -> None:
    client = client_for(role)
    revision = m.Plan.objects.get(pk=open_cycle.pk).revision
    for url in READS:
        response = client.get(url.format(plan=open_cycle.key))
        assert response.status_code == 200, (url, response.status_code)
        assert m.Plan.objects.get(pk=open_cycle.pk).revision == revision, url
    print(f"{len(READS)} pages read as {role}: revision unchanged")


SHARED = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hyoka_test_cache"}},
    "HYOKA_SHARED_RESULTS": True,
}


@pytest.fixture
def shared_cache(db: None) -> Iterator[None]:
    """The database cache table, as production configures it (HYOKA_CACHE_URL=db://…)."""
    with override_settings(**SHARED):
        call_command("createcachetable", verbosity=0)
        computed.forget_local()
        yield
    computed.forget_local()


def _tables(queries: CaptureQueriesContext) -> set[str]:
    """The tables read that only a read of the whole plan reads (a save reads its value row and its node)."""
    return {t for q in queries.captured_queries for t in ("plans_target", "plans_nodetext", "plans_review") if t in q["sql"]}


def test_a_plan_computed_in_one_process_is_reused_by_the_others(
    shared_cache: None,
    open_cycle: m.Plan,
    client_for: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = evaluation_dict(evaluation(open_cycle, YEAR))
    computed.forget_local()  # another worker: nothing in its memory
    with CaptureQueriesContext(connection) as queries:
        second = evaluation_dict(evaluation(open_cycle, YEAR))
    print(f"another process: {len(queries)} query (the cache table), plan rows read: {sorted(_tables(queries)) or 'none'}")
    assert second == first
    assert len(queries) == 1 and not _tables(queries)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("sangyo").post(
            f"/plans/140007/{open_cycle.key}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "47.5%", "status": "confirmed"}
        )
    assert response.status_code == 302
    computed.forget_local()
    plan = m.Plan.objects.get(pk=open_cycle.pk)
    with CaptureQueriesContext(connection) as queries:
        third = evaluation(plan, YEAR)
    print(f"after a save, another process: {len(queries)} queries, plan rows read: {sorted(_tables(queries)) or 'none'}")
    assert not _tables(queries), "the saving process left the new revision in the shared cache"
    assert third.plan.indicator_by_id["1-3-1-k1"].values[YEAR].entry.text == "47.5%"
    assert evaluation_dict(third) == _fresh(plan)[1]


def test_a_rolled_back_write_leaves_nothing_in_the_shared_cache(
    shared_cache: None,
    open_cycle: m.Plan,
) -> None:
    """Rows read inside a transaction that is rolled back never reach other processes."""
    try:
        with transaction.atomic():
            m.Value.objects.filter(series__indicator__plan=open_cycle).delete()
            core_plan(open_cycle)  # reads the transaction's own (uncommitted) rows under the revision that stays
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    computed.forget_local()
    assert plan_to_dict(core_plan(open_cycle)) == _fresh(open_cycle)[0]


ENTERED = ["12", "1,234人", "５０.５％", "3.2万人", "2026年9月頃把握予定", "―", "", "見込値 120", "運用開始", "△5", "0件"]


@pytest.mark.parametrize("plan_key", ["kanagawa-sousei-3", "kanagawa-dx"])
def test_a_saved_value_gives_the_plan_a_fresh_read_gives(
    open_cycle: m.Plan,
    client_for: Callable[[str], Client],
    plan_key: str,
) -> None:
    """After each save the next page gets the plan of the new revision from the one before plus the value
    (no read of the plan's rows); it must be exactly the plan and the evaluations a fresh read gives."""
    rng = random.Random(f"saves:{plan_key}")
    client = client_for("planner")
    plan = m.Plan.objects.get(organization__code="140007", key=plan_key)
    series = list(m.Series.objects.filter(indicator__plan=plan).select_related("indicator"))
    core_plan(plan)  # the page the form was on
    followed = refused = 0
    for _ in range(30):
        s = rng.choice(series)
        year = rng.choice([YEAR, YEAR + 1, YEAR + 2])  # not YEAR - 1: published, a record
        text = rng.choice(ENTERED)
        status = rng.choice(["confirmed", "confirmed", "estimate", "pending"])
        revision = m.Plan.objects.get(pk=plan.pk).revision
        path = f"/plans/140007/{plan_key}/indicators/{s.indicator.key}/value/"
        data = with_base(path, {"year": year, "part": s.part, "value": text, "status": status, "why": "試験"})
        with CaptureQueriesContext(connection) as queries:
            response = client.post(path, data | {"confirm": "on"})  # made-up figures: their warnings confirmed
        assert response.status_code in (302, 400)  # 400: refused beside the field (not a value, another unit)
        plan = m.Plan.objects.get(pk=plan.pk)
        if plan.revision == revision:
            refused += 1  # not a value (「運用開始」 for a number, 「件」 for a KPI in 人), or nothing changed
            continue
        assert not _tables(queries), "the save read the whole plan again"
        followed += 1
        fresh = plan_from_dict(document(plan), where=plan.key)
        assert plan_to_dict(core_plan(plan)) == plan_to_dict(fresh)
        for y in (year - 1, year, year + 1):
            assert evaluation_dict(evaluation(plan, y)) == evaluation_dict(evaluate(fresh, y))
    print(f"{plan_key}: {followed} saves followed from the previous revision, equal to a fresh read; {refused} refused or unchanged")
    assert followed >= 10


def test_another_process_follows_a_chain_of_saves(
    shared_cache: None,
    open_cycle: m.Plan,
    client_for: Callable[[str], Client],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Each save shares a step (the value), not the plan: a process that last saw the plan three saves ago
    follows the three steps from the plan it finds, and gets what a fresh read gives."""
    client = client_for("planner")
    with django_capture_on_commit_callbacks(execute=True):
        evaluation(open_cycle, YEAR)
    for text, indicator in (("44.0%", "1-3-1-k1"), ("45.5%", "1-3-1-k1"), ("3,800施設", "3-2-1-k1")):
        path = f"/plans/140007/{open_cycle.key}/indicators/{indicator}/value/"
        data = with_base(path, {"year": YEAR, "value": text, "status": "confirmed", "why": "試験"})
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path, data)
        assert response.status_code == 302
    computed.forget_local()
    plan = m.Plan.objects.get(pk=open_cycle.pk)
    with CaptureQueriesContext(connection) as queries:
        followed = evaluation(plan, YEAR)
    print(f"three saves later, another process: {len(queries)} cache queries, plan rows read: {sorted(_tables(queries)) or 'none'}")
    assert len(queries) == 4 and not _tables(queries)
    assert followed.plan.indicator_by_id["3-2-1-k1"].values[YEAR].entry.text == "3,800施設"
    assert (plan_to_dict(followed.plan), evaluation_dict(followed)) == _fresh(plan)


def test_saves_in_one_plan_leave_the_other_plans_in_memory(open_cycle: m.Plan, client_for: Callable[[str], Client], settings: Any) -> None:
    """A process keeps one revision of each plan: the revisions a save leaves behind do not push
    the other plans out of memory (with 20 % saves they had filled it, and most pages read rows)."""
    settings.HYOKA_PLANS_IN_MEMORY = 2
    other = m.Plan.objects.get(organization__code="140007", key="kanagawa-dx")
    core_plan(other)
    client = client_for("planner")
    for text in ("44.0%", "45.5%", "46.0%"):
        path = f"/plans/140007/{open_cycle.key}/indicators/1-3-1-k1/value/"
        assert client.post(path, with_base(path, {"year": YEAR, "value": text, "status": "confirmed", "why": "試験"})).status_code == 302
    with CaptureQueriesContext(connection) as queries:
        core_plan(other)
    assert len(queries) == 0, "the other plan was read again"
