"""The audit log: logins (and failures), every 403, every change in its own transaction, an admin-only page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from opencycle import PLAN, URL, YEAR
from webforms import with_base

from hyoka.web.accounts.models import User
from hyoka.web.audit.models import AuditEvent, EventKind
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.entry import ValueInput, save_value


def _kinds(**where: object) -> list[tuple[str, str]]:
    return [(e.kind, e.username) for e in AuditEvent.objects.filter(**where).order_by("id")]


@pytest.mark.django_db
def test_logins_failures_throttling_and_logouts_are_logged(password: str) -> None:
    c = Client()
    c.post("/accounts/login/", {"username": "sangyo", "password": "wrong"})
    for _ in range(settings.HYOKA_LOGIN_FAILURES):
        c.post("/accounts/login/", {"username": "fukushi", "password": "wrong"})
    c.post("/accounts/login/", {"username": "fukushi", "password": password})  # refused: throttled
    c.post("/accounts/login/", {"username": "sangyo", "password": password})
    c.post("/accounts/logout/")
    events = list(AuditEvent.objects.order_by("id"))
    seen = [(e.kind, e.username, e.detail) for e in events]
    print(f"audit events of 9 login attempts and a logout: {len(events)}")
    assert seen == [
        (EventKind.LOGIN_FAILED, "sangyo", ""),
        *[(EventKind.LOGIN_FAILED, "fukushi", "")] * (settings.HYOKA_LOGIN_FAILURES - 1),
        (EventKind.LOGIN_FAILED, "fukushi", "throttled"),  # the failure that reaches the limit, answered with the lock
        (EventKind.LOGIN_FAILED, "fukushi", "throttled"),  # the right password, refused while locked
        (EventKind.LOGIN, "sangyo", ""),
        (EventKind.LOGOUT, "sangyo", ""),
    ]
    assert all(e.address == "127.0.0.1" and e.path == "/accounts/" + ("logout/" if e.kind == "logout" else "login/") for e in events)
    assert not any(password in e.detail or "wrong" in e.detail for e in events)


def test_every_refusal_is_logged_with_who_and_where(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    sangyo = client_for("sangyo")
    assert sangyo.post(f"{URL}/indicators/3-2-1-k1/value/", {"year": YEAR, "value": "1"}).status_code == 403
    assert sangyo.get("/admin/").status_code == 403
    assert sangyo.get("/audit/").status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.get(username="planner"))
    assert strict.post(f"{URL}/cycles/close/", {"year": YEAR}).status_code == 403
    denied = list(AuditEvent.objects.filter(kind=EventKind.DENIED).order_by("id"))
    print("refusals logged: " + ", ".join(f"{e.username} {e.method} {e.path}" for e in denied))
    assert [(e.username, e.method, e.path, e.plan_key) for e in denied] == [
        ("sangyo", "POST", f"{URL}/indicators/3-2-1-k1/value/", PLAN),
        ("sangyo", "GET", "/admin/", ""),
        ("sangyo", "GET", "/audit/", ""),
        ("planner", "POST", f"{URL}/cycles/close/", PLAN),
    ]
    assert denied[-1].detail.startswith("CSRF: ")
    assert m.Cycle.objects.get(plan=plan, year=YEAR).status == m.CycleStatus.OPEN


def test_every_change_has_its_audit_event(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    sangyo, planner, reviewer = client_for("sangyo"), client_for("planner"), client_for("reviewer")
    sangyo.post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "50.0%"})
    sangyo.post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "たくさん", "why": "x"})  # refused by the core
    sangyo.post(f"{URL}/nodes/1-3-1-1/texts/", {"year": YEAR, "results": "成果", "issues": "課題"})
    reviewer.post(f"{URL}/nodes/1/review/", {"year": YEAR, "grade": "概ね順調に進んでいます", "comments": "意見"})
    target = f"{URL}/indicators/1-3-1-k1/target/"
    planner.post(target, with_base(target, {"target_year": YEAR, "target": "52.0％", "why": "改定"}))  # as its form posts it
    planner.post(f"{URL}/cycles/close/", {"year": YEAR})
    reviewer.post(f"{URL}/nodes/1/review/", {"year": YEAR, "grade": "概ね順調に進んでいます", "comments": "意見"})  # once closed
    changes = list(Change.objects.filter(plan=plan).order_by("id"))
    events = list(AuditEvent.objects.filter(kind=EventKind.CHANGE).order_by("id"))
    print(f"{len(changes)} changes, {len(events)} change events")
    assert len(changes) == 6
    assert [(e.change_id, e.username, e.subject, e.plan_key) for e in events] == [(c.pk, c.user.username, c.subject, PLAN) for c in changes]
    assert events[0].detail == " → 50.0%（確定）" and events[0].address == "127.0.0.1"


def test_a_rolled_back_change_leaves_no_audit_event(plan: m.Plan) -> None:
    series = m.Series.objects.select_related("indicator__plan", "indicator__node").get(
        indicator__plan=plan, indicator__key="1-3-1-k1", part=""
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        save_value(series, YEAR, ValueInput("50.0%"), None)
        assert AuditEvent.objects.filter(kind=EventKind.CHANGE).count() == 1  # written with the change ...
        raise RuntimeError("the transaction fails after the save")
    assert not AuditEvent.objects.filter(kind=EventKind.CHANGE).exists()  # ... and gone with it
    assert not Change.objects.filter(plan=plan).exists()


def test_user_administration_is_logged(client_for: Callable[[str], Client]) -> None:
    admin = client_for("admin")
    response = admin.post(
        "/admin/accounts/user/add/",
        {"username": "new-user", "password1": "a-Long-pass-4321", "password2": "a-Long-pass-4321", "role": "department"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(kind=EventKind.ADMIN)
    assert event.username == "admin" and "new-user" in event.subject and "a-Long-pass" not in event.detail


def test_the_audit_page_is_for_admins_and_filters(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    client_for("sangyo").post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "50.0%"})
    client_for("sangyo").post(f"{URL}/indicators/3-2-1-k1/value/", {"year": YEAR, "value": "1"})
    admin = client_for("admin")

    def shown(**query: str) -> list[str]:
        response = admin.get("/audit/", query)
        assert response.status_code == 200
        return [e.kind for e in response.context["page"]]

    assert shown(kind="change") == ["change"]
    assert shown(kind="denied", user="sang") == ["denied"]
    assert shown(plan=PLAN) == ["denied", "change"]
    assert shown(q="50.0%") == ["change"]
    assert {"denied", "change", "login"} == set(shown(since="2000-01-01", until="2999-12-31"))  # force_login logs in too
    assert shown(until="2000-01-01") == []
    assert shown(user="' OR 1=1 --", kind="x' OR '1'='1") == []  # words are values to look for, never SQL
    assert admin.get("/audit/", {"since": "昨日"}).status_code == 400
    page = admin.get("/audit/").content.decode()
    assert "1-3-1-k1 2025年度 実績値" in page and "3-2-1-k1/value/" in page
    for role in ("planner", "sangyo", "fukushi", "reviewer"):
        assert client_for(role).get("/audit/").status_code == 403
    assert Client().get("/audit/").status_code == 302


@override_settings(HYOKA_AUDIT_ANONYMOUS_PER_HOUR=20)
@pytest.mark.django_db
def test_requests_of_nobody_signed_in_add_a_bounded_number_of_audit_events() -> None:
    """Every refused anonymous request added a row: anyone could fill the database. Now at most the quota an hour
    per address; signed-in users' refusals are all kept."""
    nobody = Client(enforce_csrf_checks=True)
    for _ in range(35):
        assert nobody.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403  # no CSRF token
    anonymous = AuditEvent.objects.filter(user__isnull=True, kind=EventKind.DENIED).count()
    print(f"35 refused anonymous posts: {anonymous} audit events")
    assert anonymous == 20
