"""A department user who puts another department's (or another plan's) ids into URLs and form fields.

産業労働局 (sangyo) is signed in while FY2025 is open. Every id a request can carry is
aimed at something that is not theirs: an indicator, a series (the hidden ``part``
field), a node, a 基本目標 they do not work under, a submission, a year that is not
open, another plan's ids, and the rows of an uploaded file. Each attempt gets 403 or 404
and the whole database stays as it was (tests/web/snapshot.py).
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from snapshot import snapshot

from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.web.accounts.models import Department
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan
from hyoka.web.workflow.models import Submission, SubmissionStatus

PLAN = "kanagawa-sousei-3"
YEAR = 2025
URL = f"/plans/140007/{PLAN}"
FUKUSHI_INDICATOR = "3-2-1-k1"
FUKUSHI_NODE = "3-2-1-1"  # an initiative of 福祉子どもみらい局 only
FUKUSHI_GOAL = "3"  # 基本目標 3: 産業労働局 works under none of it
OTHER_PLAN_INDICATOR = "s1-t1"  # hiratsuka-juten's; no such indicator in kanagawa-sousei-3


@dataclass(frozen=True)
class Attempt:
    name: str
    refused: tuple[int, ...]
    request: Callable[[Client, dict[str, object]], object]


def _session_upload(values: list[dict[str, object]], texts: list[dict[str, object]]) -> Callable[[Client, dict[str, object]], object]:
    """What a preview would have put in the session, naming another department's rows; then apply."""

    def run(c: Client, ids: dict[str, object]) -> object:
        session = c.session
        session["hyoka-upload"] = {"plan": PLAN, "revision": ids["revision"], "filename": "x.xlsx", "changes": values, "texts": texts}
        session.save()
        return c.post(f"{URL}/upload/apply/", {"why": "idor"})

    return run


OTHER_VALUE = {
    "indicator": FUKUSHI_INDICATOR,
    "part": "",
    "year": YEAR,
    "kind": "added",
    "old": "",
    "new": "3,900 施設",
    "text": "3,900 施設",
    "status": "confirmed",
    "expected": "",
    "note": "",
}
OTHER_TEXT = {"node": FUKUSHI_NODE, "year": YEAR, "results": ["乗っ取り"], "issues": [], "old_results": [], "old_issues": []}

ATTEMPTS = [
    Attempt(
        "value of another department's indicator (URL)",
        (403,),
        lambda c, ids: c.post(f"{URL}/indicators/{FUKUSHI_INDICATOR}/value/", {"year": YEAR, "value": "1", "status": "confirmed"}),
    ),
    Attempt(
        "own indicator, another indicator's series in the hidden part field",
        (404,),
        lambda c, ids: c.post(
            f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "1", "part": "elementary", "status": "confirmed"}
        ),
    ),
    Attempt(
        "another plan's indicator id under this plan",
        (404,),
        lambda c, ids: c.post(f"{URL}/indicators/{OTHER_PLAN_INDICATOR}/value/", {"year": YEAR, "value": "1", "status": "confirmed"}),
    ),
    Attempt(
        "own indicator, a year that is not open (hidden year field)",
        (403,),
        lambda c, ids: c.post(f"{URL}/indicators/1-3-1-k1/value/", {"year": 2026, "value": "1", "status": "confirmed"}),
    ),
    Attempt(
        "texts of another department's initiative (URL)",
        (403,),
        lambda c, ids: c.post(f"{URL}/nodes/{FUKUSHI_NODE}/texts/", {"year": YEAR, "results": "乗っ取り", "issues": ""}),
    ),
    Attempt("the texts form of another department's initiative (GET)", (403,), lambda c, ids: c.get(f"{URL}/nodes/{FUKUSHI_NODE}/texts/")),
    Attempt(
        "answer on a 基本目標 the department does not work under",
        (403,),
        lambda c, ids: c.post(f"{URL}/nodes/{FUKUSHI_GOAL}/answer/", {"year": YEAR, "answer": "乗っ取り"}),
    ),
    Attempt(
        "二次評価 on its own 基本目標",
        (403,),
        lambda c, ids: c.post(f"{URL}/nodes/1/review/", {"year": YEAR, "grade": "順調", "comments": "乗っ取り"}),
    ),
    Attempt(
        "target of its own indicator",
        (403,),
        lambda c, ids: c.post(f"{URL}/indicators/1-3-1-k1/target/", {"target_year": YEAR, "target": "1%", "why": "x"}),
    ),
    Attempt(
        "accept another department's submission (submission id)",
        (403,),
        lambda c, ids: c.post(f"{URL}/submissions/{ids['fukushi_submission']}/decide/", {"action": "accept"}),
    ),
    Attempt(
        "return another department's submission (submission id)",
        (403,),
        lambda c, ids: c.post(f"{URL}/submissions/{ids['fukushi_submission']}/decide/", {"action": "return", "comment": "x"}),
    ),
    Attempt(
        "another department's workbook (department parameter)",
        (403,),
        lambda c, ids: c.get(f"{URL}/workbook.xlsx?year={YEAR}&department=福祉子どもみらい局"),
    ),
    Attempt("close the year", (403,), lambda c, ids: c.post(f"{URL}/cycles/close/", {"year": YEAR})),
    Attempt("apply an upload naming another department's value", (403,), _session_upload([OTHER_VALUE], [])),
    Attempt("apply an upload naming another department's texts", (403,), _session_upload([], [OTHER_TEXT])),
]


@pytest.fixture
def ids(open_cycle: m.Plan) -> dict[str, object]:
    fukushi = Submission.objects.create(
        plan=open_cycle,
        year=YEAR,
        department=Department.objects.get(organization__code="140007", name="福祉子どもみらい局"),
        status=SubmissionStatus.SUBMITTED,
        submitted_at="2026-05-02T10:00:00+09:00",
    )
    core = core_plan(open_cycle)
    assert core.node_departments(FUKUSHI_NODE) == ["福祉子どもみらい局"]
    goal = core.node_by_id[FUKUSHI_GOAL]
    assert "産業労働局" not in {d for n in [goal, *core.descendants(goal.id)] for d in n.departments}
    assert OTHER_PLAN_INDICATOR not in core.indicator_by_id
    return {"fukushi_submission": fukushi.pk, "revision": open_cycle.revision}


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: a.name)
def test_a_department_cannot_reach_what_is_not_its_own(
    ids: dict[str, object], client_for: Callable[[str], Client], attempt: Attempt
) -> None:
    before = snapshot()
    response = attempt.request(client_for("sangyo"), ids)
    print(f"sangyo tried {attempt.name}: {response.status_code}")
    assert response.status_code in attempt.refused
    assert snapshot() == before, "a refused request changed something"


def test_a_planner_cannot_decide_another_plans_submission_through_this_plan(
    ids: dict[str, object], client_for: Callable[[str], Client]
) -> None:
    """Ids are looked up within the plan of the URL: another plan's submission id is not found."""
    other = m.Plan.objects.get(key="kanagawa-dx")  # the same organization's other plan
    foreign = Submission.objects.create(
        plan=other,
        year=2024,
        department=Department.objects.get(organization__code="140007", name="産業労働局"),
        status=SubmissionStatus.SUBMITTED,
        submitted_at="2025-05-01T10:00:00+09:00",
    )
    before = snapshot()
    response = client_for("planner").post(f"{URL}/submissions/{foreign.pk}/decide/", {"action": "accept"})
    print(f"planner accepted kanagawa-dx's submission {foreign.pk} through {PLAN}: {response.status_code}")
    assert response.status_code == 404
    assert snapshot() == before


def test_an_inbox_asked_for_another_department_shows_ones_own(ids: dict[str, object], client_for: Callable[[str], Client]) -> None:
    response = client_for("sangyo").get(f"{URL}/inbox/?year={YEAR}&department=福祉子どもみらい局")
    print(f"sangyo's inbox asked for 福祉子どもみらい局: {response.status_code}, shows {response.context['department']}")
    assert response.status_code == 200 and response.context["department"] == "産業労働局"
    assert FUKUSHI_INDICATOR not in {row["indicator"].id for row in response.context["work"].values}


def test_an_uploaded_file_touching_another_department_is_previewed_as_forbidden_and_not_applied(
    ids: dict[str, object], client_for: Callable[[str], Client]
) -> None:
    """The real upload flow: a `hyoka/1` file with one own value, one of 福祉's and 福祉's texts."""
    plan = m.Plan.objects.get(organization__code="140007", key=PLAN)
    doc = plan_to_dict(core_plan(plan))
    for ind in doc["indicators"]:
        if ind["id"] in ("1-3-1-k1", FUKUSHI_INDICATOR):
            ind["values"][str(YEAR)] = {"value": "50.5%" if ind["id"] == "1-3-1-k1" else "3,900 施設"}
    node = next(n for n in doc["nodes"] if n["id"] == FUKUSHI_NODE)
    node.setdefault("texts", {})[str(YEAR)] = {"results": ["乗っ取り"], "issues": []}
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = f"{PLAN}.json"
    c = client_for("sangyo")
    before = snapshot()
    preview = c.post(f"{URL}/upload/", {"file": f})
    print(f"preview: {preview.status_code}, {preview.context['total']} changes, {preview.context['forbidden']} forbidden")
    assert preview.status_code == 200 and preview.context["total"] == 3 and preview.context["forbidden"] == 2
    applied = c.post(f"{URL}/upload/apply/", {"why": "idor"})
    print(f"apply: {applied.status_code}")
    assert applied.status_code == 403
    assert snapshot() == before, "not even the department's own value may be applied from a file that reaches further"
