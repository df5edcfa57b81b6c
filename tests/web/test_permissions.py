"""Every role against every write endpoint: allowed, or 403 with nothing changed (SPEC 1)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.web.accounts.models import Department, User
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan, touch
from hyoka.web.workflow.models import Submission, SubmissionStatus

PLAN = "kanagawa-sousei-3"
YEAR = 2025
OWN_INDICATOR = "1-3-1-k1"  # 産業労働局 (sangyo)
OTHER_INDICATOR = "3-2-1-k1"  # 福祉子どもみらい局 (fukushi)


@dataclass(frozen=True)
class Endpoint:
    name: str
    allowed: frozenset[str]
    request: Callable[[Client, m.Plan], object]


def _upload_file(plan: m.Plan, indicator: str) -> io.BytesIO:
    doc = plan_to_dict(core_plan(plan))
    for ind in doc["indicators"]:
        if ind["id"] == indicator:
            ind["values"][str(YEAR)] = {"value": "50.5%"}
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = f"{plan.key}.json"
    return f


def _new_plan_file(plan: m.Plan) -> io.BytesIO:
    doc = plan_to_dict(core_plan(plan))
    doc["plan"]["id"] = "imported-copy"
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "imported-copy.json"
    return f


def _apply(indicator: str) -> Callable[[Client, m.Plan], object]:
    def run(c: Client, plan: m.Plan) -> object:
        # The preview is made by the planner in the same session shape; apply is what is checked.
        session = c.session
        session["hyoka-upload"] = {
            "plan": plan.key,
            "revision": m.Plan.objects.get(pk=plan.pk).revision,
            "filename": "x.json",
            "changes": [
                {
                    "indicator": indicator,
                    "part": "",
                    "year": YEAR,
                    "kind": "added",
                    "old": "",
                    "new": "50.5%（確定）",
                    "text": "50.5%",
                    "status": "confirmed",
                    "expected": "",
                    "note": "",
                }
            ],
        }
        session.save()
        return c.post(f"/plans/{plan.key}/upload/apply/", {"why": "matrix"})

    return run


EVERYONE = frozenset({"admin", "planner", "sangyo", "fukushi", "reviewer"})
MANAGERS = frozenset({"admin", "planner"})

ENDPOINTS = [
    Endpoint(
        "value_own",
        MANAGERS | {"sangyo"},
        lambda c, p: c.post(
            f"/plans/{p.key}/indicators/{OWN_INDICATOR}/value/", {"year": YEAR, "value": "５０.０%", "status": "confirmed"}
        ),
    ),
    Endpoint(
        "value_other",
        MANAGERS | {"fukushi"},
        lambda c, p: c.post(
            f"/plans/{p.key}/indicators/{OTHER_INDICATOR}/value/", {"year": YEAR, "value": "3,900 施設", "status": "confirmed"}
        ),
    ),
    Endpoint(
        "value_closed_year",
        MANAGERS,
        lambda c, p: c.post(
            f"/plans/{p.key}/indicators/{OWN_INDICATOR}/value/", {"year": 2024, "value": "99%", "status": "confirmed", "why": "x"}
        ),
    ),
    Endpoint(
        "target",
        MANAGERS,
        lambda c, p: c.post(f"/plans/{p.key}/indicators/{OWN_INDICATOR}/target/", {"target_year": YEAR, "target": "52.0％", "why": "改定"}),
    ),
    Endpoint(
        "rules",
        MANAGERS,
        lambda c, p: c.post(f"/plans/{p.key}/rules/", {"spec": '{"preset": "kanagawa-sousei", "name": "改定"}', "why": "改定"}),
    ),
    Endpoint(
        "texts",
        MANAGERS | {"sangyo"},
        lambda c, p: c.post(f"/plans/{p.key}/nodes/1-3-1-1/texts/", {"year": YEAR, "results": "成果", "issues": "課題"}),
    ),
    Endpoint("submit", frozenset({"sangyo", "fukushi"}), lambda c, p: c.post(f"/plans/{p.key}/submit/", {"year": YEAR})),
    Endpoint(
        "accept",
        MANAGERS,
        lambda c, p: c.post(f"/plans/{p.key}/submissions/{Submission.objects.get(plan=p, year=YEAR).pk}/decide/", {"action": "accept"}),
    ),
    Endpoint("cycle_open", MANAGERS, lambda c, p: c.post(f"/plans/{p.key}/cycles/open/", {"year": 2026, "due": "2027-05-31"})),
    Endpoint("cycle_close", MANAGERS, lambda c, p: c.post(f"/plans/{p.key}/cycles/close/", {"year": YEAR})),
    Endpoint(
        "review",
        MANAGERS | {"reviewer"},
        lambda c, p: c.post(f"/plans/{p.key}/nodes/1/review/", {"year": YEAR, "grade": "概ね順調に進んでいます", "comments": "意見"}),
    ),
    Endpoint(
        "answer", MANAGERS | {"sangyo"}, lambda c, p: c.post(f"/plans/{p.key}/nodes/1/answer/", {"year": YEAR, "answer": "対応します"})
    ),
    Endpoint(
        "upload_preview",
        MANAGERS | {"sangyo", "fukushi"},
        lambda c, p: c.post(f"/plans/{p.key}/upload/", {"file": _upload_file(p, OWN_INDICATOR)}),
    ),
    Endpoint("upload_apply_own", MANAGERS | {"sangyo"}, _apply(OWN_INDICATOR)),
    Endpoint(
        "admin_add_user",
        frozenset({"admin"}),
        lambda c, p: c.post(
            "/admin/accounts/user/add/",
            {"username": "new-user", "password1": "a-Long-pass-4321", "password2": "a-Long-pass-4321", "role": "department"},
        ),
    ),
    Endpoint("import_plan", MANAGERS, lambda c, p: c.post("/plans/import/", {"file": _new_plan_file(p)})),
    Endpoint("admin_departments", frozenset({"admin"}), lambda c, p: c.post("/admin/accounts/department/add/", {"name": "新しい局"})),
]


@pytest.fixture
def open_cycle(db: None) -> m.Plan:
    plan = m.Plan.objects.get(key=PLAN)
    m.Cycle.objects.create(plan=plan, year=YEAR, status=m.CycleStatus.OPEN, due="2026-05-29")
    Submission.objects.create(
        plan=plan,
        year=YEAR,
        department=Department.objects.get(name="政策局"),
        status=SubmissionStatus.SUBMITTED,
        submitted_at="2026-05-01T10:00:00+09:00",
    )
    touch(plan)
    return plan


def _state(plan: m.Plan) -> tuple[int, ...]:
    return (
        Change.objects.filter(plan=plan).count(),
        m.Target.objects.filter(series__indicator__plan=plan).count()
        + sum(len(t) for t in m.Target.objects.filter(series__indicator__plan=plan).values_list("text", flat=True)),
        m.Value.objects.filter(series__indicator__plan=plan).count(),
        m.Cycle.objects.filter(plan=plan, status=m.CycleStatus.OPEN).count(),
        Submission.objects.filter(plan=plan).exclude(status=SubmissionStatus.SUBMITTED).count(),
        User.objects.count(),
        Department.objects.count(),
        m.RuleSetVersion.objects.filter(plan=plan).count(),
        m.Plan.objects.count(),
    )


@pytest.mark.parametrize("role", sorted(EVERYONE))
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_permission_matrix(open_cycle: m.Plan, client_for: Callable[[str], Client], endpoint: Endpoint, role: str) -> None:
    client = client_for(role)
    before = _state(open_cycle)
    response = endpoint.request(client, open_cycle)
    if role in endpoint.allowed:
        assert response.status_code in (200, 302), (endpoint.name, role, response.status_code)
        assert _state(open_cycle) != before or endpoint.name == "upload_preview", "an allowed write changed nothing"
    else:
        assert response.status_code == 403, (endpoint.name, role, response.status_code)
        assert _state(open_cycle) == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_anonymous_visitors_are_sent_to_login(open_cycle: m.Plan, endpoint: Endpoint) -> None:
    before = _state(open_cycle)
    response = endpoint.request(Client(), open_cycle)
    assert response.status_code == 302 and "login" in response["Location"]
    assert _state(open_cycle) == before


def test_a_form_field_cannot_reach_another_departments_series(open_cycle: m.Plan, client_for: Callable[[str], Client]) -> None:
    """The part field names a series of another indicator: not found, and nothing is written."""
    client = client_for("sangyo")
    response = client.post(
        f"/plans/{PLAN}/indicators/{OWN_INDICATOR}/value/", {"year": YEAR, "value": "1", "part": "elementary", "status": "confirmed"}
    )
    assert response.status_code == 404
    assert not m.Value.objects.filter(series__indicator__plan=open_cycle, year=YEAR).exists()


def test_department_cannot_apply_an_upload_touching_another_department(open_cycle: m.Plan, client_for: Callable[[str], Client]) -> None:
    before = _state(open_cycle)
    response = _apply(OTHER_INDICATOR)(client_for("sangyo"), open_cycle)
    assert response.status_code == 403
    assert _state(open_cycle) == before
