"""The year's steps in the browser (issue 12 §3–5): confirmations that count, withdrawal, the timeline,
the council's window, the to-do panel of each role, and the mail of returns, acceptances and `hyoka remind`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from opencycle import ORG, PLAN, PUBLISHED_YEAR, URL, YEAR
from snapshot import snapshot
from typer.testing import CliRunner

from hyoka.cli import app
from hyoka.web.accounts.models import Department, User
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan
from hyoka.web.workflow.models import Submission, SubmissionStatus
from hyoka.web.workflow.work import department_work

SANGYO = "産業労働局"

ROOT = f"{ORG}/{PLAN}"  # how the public site and the API name the plan


@pytest.fixture
def mailed(db: None) -> None:
    """Every department user has an address, so mail has somewhere to go."""
    for user in User.objects.filter(role="department"):
        user.email = f"{user.username}@example.jp"
        user.save()


def _counts(plan: m.Plan, department: str = SANGYO) -> str:
    work = department_work(core_plan(plan), department, YEAR)
    assert work.missing_values and work.missing_texts  # the test must count something
    return f"未入力 {work.missing_values} 件、未記入 {work.missing_texts} 件"


def test_submit_asks_with_the_counts_and_withdrawal_opens_the_entries_again(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    sangyo = client_for("sangyo")
    page = sangyo.get(f"{URL}/submit/?year={YEAR}").content.decode()
    assert _counts(plan) in page and "このまま提出する" in page
    assert not Submission.objects.filter(plan=plan).exists()  # asking is not submitting
    assert sangyo.post(f"{URL}/submit/", {"year": YEAR}).status_code == 302
    sub = Submission.objects.get(plan=plan, year=YEAR, department__name=SANGYO)
    assert sub.status == "submitted" and sub.events.get().comment == _counts(plan)
    refused = sangyo.post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "50.0%"})
    assert refused.status_code == 403  # read-only while it waits
    assert sangyo.post(f"{URL}/withdraw/", {"year": YEAR}).status_code == 302
    sub.refresh_from_db()
    assert sub.status == "withdrawn" and [e.action for e in sub.events.all()] == ["submitted", "withdrawn"]
    assert sangyo.post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "50.0%"}).status_code == 302


def test_a_decided_submission_cannot_be_withdrawn(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    client_for("sangyo").post(f"{URL}/submit/", {"year": YEAR})
    sub = Submission.objects.get(plan=plan, year=YEAR)
    client_for("planner").post(f"{URL}/submissions/{sub.pk}/decide/", {"action": "accept"})
    before = snapshot()
    client_for("sangyo").post(f"{URL}/withdraw/", {"year": YEAR})
    assert snapshot() == before
    assert client_for("fukushi").post(f"{URL}/withdraw/", {"year": YEAR}).status_code == 403  # nothing of its own to withdraw


def test_accepting_shows_the_same_counts_and_a_return_moves_to_the_timeline(
    plan: m.Plan, client_for: Callable[[str], Client], mailed: None, django_capture_on_commit_callbacks: Any
) -> None:
    sangyo, planner = client_for("sangyo"), client_for("planner")
    sangyo.post(f"{URL}/submit/", {"year": YEAR})
    sub = Submission.objects.get(plan=plan, year=YEAR)
    page = planner.get(f"{URL}/submissions/{sub.pk}/decide/").content.decode()
    assert _counts(plan) in page and "承認する" in page
    assert Submission.objects.get(pk=sub.pk).status == "submitted"  # the page decides nothing
    assert planner.post(f"{URL}/submissions/{sub.pk}/decide/", {"action": "return"}).status_code == 302  # no comment: asked again
    assert Submission.objects.get(pk=sub.pk).status == "submitted"
    with django_capture_on_commit_callbacks(execute=True):  # the mail leaves once the decision is committed
        planner.post(f"{URL}/submissions/{sub.pk}/decide/", {"action": "return", "comment": "1-3-1-k1 を確認してください"})
    (returned,) = mail.outbox
    assert (
        returned.to == ["sangyo@example.jp"] and "差し戻されました" in returned.subject and "1-3-1-k1 を確認してください" in returned.body
    )
    inbox = sangyo.get(f"{URL}/inbox/?year={YEAR}").content.decode()
    assert "return-comment" in inbox and "1-3-1-k1 を確認してください" in inbox
    sangyo.post(f"{URL}/submit/", {"year": YEAR})
    inbox = sangyo.get(f"{URL}/inbox/?year={YEAR}").content.decode()
    badge = inbox.split('class="badge')[1].split("</section>")[0]
    assert "return-comment" not in badge  # no longer under 「提出済み」
    timeline = inbox.split('class="timeline"')[1].split("</ol>")[0]
    assert timeline.count("<li") == 3 and "1-3-1-k1 を確認してください" in timeline and "差戻し" in timeline
    with django_capture_on_commit_callbacks(execute=True):
        planner.post(f"{URL}/submissions/{sub.pk}/decide/", {"action": "accept"})
    assert "承認されました" in mail.outbox[-1].subject


def test_closing_lists_the_departments_not_submitted_or_not_accepted(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    client_for("sangyo").post(f"{URL}/submit/", {"year": YEAR})
    page = client_for("planner").get(f"{URL}/cycles/close/?year={YEAR}").content.decode()
    not_submitted = page.split('class="bullets not-submitted"')[1].split("</ul>")[0]
    not_accepted = page.split('class="bullets not-accepted"')[1].split("</ul>")[0]
    assert SANGYO in not_accepted and SANGYO not in not_submitted and "福祉子どもみらい局" in not_submitted
    assert m.Cycle.objects.get(plan=plan, year=YEAR).is_open  # the page closes nothing


def test_opening_a_year_says_what_it_does_and_never_offers_a_published_year(
    plan: m.Plan, client_for: Callable[[str], Client], mailed: None, django_capture_on_commit_callbacks: Any
) -> None:
    planner = client_for("planner")
    response = planner.get(f"{URL}/cycles/open/")
    page = response.content.decode()
    assert "担当課がその年度の実績値と取組" in page
    openable = response.context["form"].openable
    assert PUBLISHED_YEAR not in openable and YEAR in openable
    chooser = page.split('id="id_year"')[1].split("</select>")[0]
    assert f'<option value="{PUBLISHED_YEAR}"' not in chooser and f'<option value="{YEAR}"' in chooser
    assert '<option value="" selected>' in chooser  # no year chosen for the planner
    refused = planner.post(f"{URL}/cycles/open/", {"year": "", "due": "来年の春"})
    assert refused.status_code == 400 and set(refused.context["form"].errors) == {"year", "due"}
    assert 'value="来年の春"' in refused.content.decode()  # what was typed is kept
    before = snapshot()
    assert planner.post(f"{URL}/cycles/open/", {"year": PUBLISHED_YEAR}).status_code == 403
    assert snapshot() == before
    with django_capture_on_commit_callbacks(execute=True):
        assert planner.post(f"{URL}/cycles/open/", {"year": YEAR + 1, "due": "2027-05-31"}).status_code == 302
    assert {tuple(msg.to) for msg in mail.outbox} >= {("sangyo@example.jp",), ("fukushi@example.jp",)}


def test_publish_and_withdraw_pages(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    planner = client_for("planner")
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(status=m.CycleStatus.CLOSED)
    page = planner.get(f"{URL}/cycles/publish/?year={YEAR}").content.decode()
    assert "未承認の担当" in page and SANGYO in page and "終わっていないまま公表する理由" in page
    before = snapshot()
    refused = planner.post(f"{URL}/cycles/publish/", {"year": YEAR, "reason": "  "})  # unfinished without a reason
    assert refused.status_code == 400 and snapshot() == before
    assert refused.context["form"].errors["reason"] == ["未承認の担当や未入力の値があります。公表する理由を書いてください"]
    assert 'id="id_reason_errors"' in refused.content.decode()  # beside the field, not a banner
    assert planner.post(f"{URL}/cycles/publish/", {"year": YEAR, "reason": "速報"}).status_code == 302
    assert m.Cycle.objects.get(plan=plan, year=YEAR).is_published
    assert Client().get(f"/api/v1/plans/{ROOT}?year={YEAR}").status_code == 200
    refused = planner.post(f"{URL}/cycles/unpublish/", {"year": YEAR})  # a reason is required
    assert refused.status_code == 400 and "reason" in refused.context["form"].errors
    assert planner.post(f"{URL}/cycles/unpublish/", {"year": YEAR, "reason": "誤り"}).status_code == 302
    assert m.Cycle.objects.get(plan=plan, year=YEAR).status == "closed"


def test_the_council_form_has_no_grade_chosen_and_appears_only_in_its_window(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    reviewer = client_for("reviewer")
    page = reviewer.get(f"{URL}/council/?year={YEAR}").content.decode()
    assert 'name="grade"' not in page and "締切後から公表までの間" in page
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(status=m.CycleStatus.CLOSED)
    page = reviewer.get(f"{URL}/council/?year={YEAR}").content.decode()
    form = page.split('id="goal-1"')[1].split("</form>")[0]
    assert '<option value="" selected>' in form and " selected>" not in form.split('<option value="" selected>')[1]
    refused = reviewer.post(f"{URL}/nodes/1/review/", {"year": YEAR, "grade": "", "comments": "意見"})
    assert refused.status_code == 400 and 'id="id_1_grade_errors"' in refused.content.decode()
    assert not m.Review.objects.filter(node__plan=plan, year=YEAR).exists()  # a grade must be chosen
    page = reviewer.get(f"{URL}/council/?year={PUBLISHED_YEAR}").content.decode()
    assert 'name="grade"' not in page and "公表済み" in page


def test_each_role_sees_what_waits_for_it(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(due="2026-05-29")
    sangyo = client_for("sangyo").get("/").context["todo"]
    (own,) = [t for t in sangyo if t.plan == plan.name]
    assert own.kind == "enter" and own.text == _counts(plan) and own.due == "2026-05-29"
    assert client_for("reviewer").get("/").context["todo"] == []  # nothing closed yet
    client_for("sangyo").post(f"{URL}/submit/", {"year": YEAR})
    planner = client_for("planner").get("/").context["todo"]
    assert [t.text for t in planner if t.kind == "decide"] == [f"{SANGYO} の提出を承認・差戻し"]
    assert not [t for t in client_for("sangyo").get("/").context["todo"] if t.plan == plan.name]  # submitted: nothing to do
    sub = Submission.objects.get(plan=plan, year=YEAR)
    client_for("planner").post(f"{URL}/submissions/{sub.pk}/decide/", {"action": "return", "comment": "再確認"})
    (returned,) = [t for t in client_for("sangyo").get("/").context["todo"] if t.plan == plan.name]
    assert returned.kind == "returned" and "再確認" in returned.text
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(status=m.CycleStatus.CLOSED)
    reviews = [t for t in client_for("reviewer").get("/").context["todo"] if t.plan == plan.name]
    assert [t.kind for t in reviews] == ["review"] and "未記入 4 件" in reviews[0].text
    assert "publish" in {t.kind for t in client_for("planner").get("/").context["todo"]}
    page = client_for("reviewer").get("/").content.decode()
    assert "やること" in page and "二次評価 未記入 4 件" in page


def test_overdue_departments_are_on_the_planners_list(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(due="2020-01-01")
    items = client_for("planner").get("/").context["todo"]
    overdue = {t.text for t in items if t.kind == "overdue"}
    assert f"{SANGYO} 未提出（期限超過）" in overdue and all(t.overdue for t in items if t.kind == "overdue")


def test_hyoka_remind_mails_the_departments_with_work_missing(plan: m.Plan, mailed: None) -> None:
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(due="2026-05-29")
    Submission.objects.create(
        plan=plan,
        year=YEAR,
        department=Department.objects.get(organization__code=ORG, name="福祉子どもみらい局"),
        status=SubmissionStatus.SUBMITTED,
        submitted_at="2026-05-01T10:00+09:00",
    )
    early = CliRunner().invoke(app, ["remind", "--today", "2026-05-01"])
    assert early.exit_code == 0, early.output
    assert mail.outbox == []  # four weeks before the due date: nobody yet
    result = CliRunner().invoke(app, ["remind", "--today", "2026-05-25"])
    assert result.exit_code == 0, result.output
    (msg,) = [msg for msg in mail.outbox if plan.name in msg.subject]
    assert msg.to == ["sangyo@example.jp"]  # fukushi has submitted; another government's 産業労働局 hears only of its own plan
    assert all(other.to == ["y-sangyo@example.jp"] for other in mail.outbox if other is not msg)
    counts = _counts(plan).replace("未入力", "未入力の実績値").replace("未記入", "未記入の取組")
    assert "提出期限が近づいています" in msg.subject and counts in msg.body
    assert f"{ROOT} {YEAR} 産業労働局: 期限間近" in result.output and f"{ROOT} {YEAR} 福祉子どもみらい局" not in result.output
    late = CliRunner().invoke(app, ["remind", "--today", "2026-06-01"])
    assert "期限超過" in late.output and any("過ぎています" in m_.subject and m_.to == ["sangyo@example.jp"] for m_ in mail.outbox)
    assert CliRunner().invoke(app, ["remind", "--today", "5月"]).exit_code == 2
