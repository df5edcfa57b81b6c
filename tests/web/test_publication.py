"""公表, 公表取消 and 訂正 (SPEC 2.5): a published year is a record that changes only by a recorded
correction, which the public page, the API and the report print with its date and old → new."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from opencycle import ORG, PLAN, YEAR
from snapshot import snapshot

from hyoka.core.errors import InputError
from hyoka.core.wareki import wareki_date
from hyoka.reports import render_report
from hyoka.site import paths
from hyoka.web.accounts.models import Department, User
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan, evaluation
from hyoka.web.plans.entry import ValueInput, save_review, save_target, save_texts, save_value
from hyoka.web.plans.locks import YearLocked
from hyoka.web.plans.publication import correcting, publish, readiness, withdraw
from hyoka.web.workflow.models import Submission, SubmissionStatus

INDICATOR = "1-3-1-k1"

ROOT = f"{ORG}/{PLAN}"  # how the public site and the API name the plan


def _series(plan: m.Plan, key: str = INDICATOR) -> m.Series:
    return m.Series.objects.select_related("indicator__plan", "indicator__node").get(indicator__plan=plan, indicator__key=key, part="")


def _node(plan: m.Plan, key: str) -> m.Node:
    return m.Node.objects.select_related("plan").get(plan=plan, key=key)


def _close(plan: m.Plan) -> None:
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(status=m.CycleStatus.CLOSED)


@pytest.fixture
def planner(db) -> User:
    return User.objects.get(username="planner")


@pytest.fixture
def published(plan: m.Plan, planner: User) -> m.Plan:
    """FY2025 with one value entered, closed and published (unfinished, so with a reason)."""
    save_value(_series(plan), YEAR, ValueInput("50.0%"), planner)
    _close(plan)
    publish(plan, YEAR, planner, "速報として公表")
    cache.clear()
    return plan


def test_readiness_counts_what_is_not_finished(plan: m.Plan) -> None:
    ready = readiness(plan, YEAR)
    sangyo = next(w for w in ready.work if w.department == "産業労働局")
    assert sangyo.missing_values == sum(1 for v in sangyo.values if v["value"] is None) > 0
    assert "産業労働局" in ready.not_accepted and not ready.complete
    Submission.objects.create(
        plan=plan,
        year=YEAR,
        department=Department.objects.get(organization__code=ORG, name="産業労働局"),
        status=SubmissionStatus.ACCEPTED,
        submitted_at=timezone.now(),
    )
    assert "産業労働局" not in readiness(plan, YEAR).not_accepted


def test_publishing_needs_a_closed_cycle_and_a_reason_when_unfinished(plan: m.Plan, planner: User) -> None:
    before = snapshot()
    with pytest.raises(YearLocked):
        publish(plan, YEAR, planner, "理由")  # still open
    _close(plan)
    with pytest.raises(InputError) as e:
        publish(plan, YEAR, planner)
    assert e.value.problems[0].where == "reason"
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(status=m.CycleStatus.OPEN)
    assert snapshot() == before
    _close(plan)
    revision = publish(plan, YEAR, planner, "速報として公表")
    cycle = m.Cycle.objects.get(plan=plan, year=YEAR)
    assert cycle.status == "published" and cycle.published == timezone.localdate().isoformat() and cycle.corrections == []
    assert (revision.number, revision.kind, revision.reason) == (1, "published", "速報として公表")
    assert revision.snapshot["plan"]["cycles"][str(YEAR)]["status"] == "published"


def test_the_published_year_is_public_and_in_the_api(published: m.Plan) -> None:
    client = Client()
    page = client.get(f"/public/{paths.plan_home(ROOT)}").content.decode()
    assert "2025年度（令和７年度）" in page and wareki_date(timezone.localdate().isoformat()) in page
    doc = client.get(f"/api/v1/plans/{ROOT}?year={YEAR}").json()
    assert doc["year"] == YEAR and doc["publication"] == {"published": timezone.localdate().isoformat(), "corrections": []}
    ind = client.get(f"/api/v1/indicators/{ROOT}:{INDICATOR}?year={YEAR}").json()
    assert ind["evaluations"][0]["rate"] == "98.0" and ind["evaluations"][0]["actual"] == "50.0％"


@pytest.mark.parametrize("write", ["value", "target", "texts", "review", "answer"])
def test_a_published_year_is_read_only_even_for_planners(published: m.Plan, planner: User, write: str) -> None:
    before = snapshot()
    with pytest.raises(YearLocked):
        if write == "value":
            save_value(_series(published), YEAR, ValueInput("60.0%"), planner, "上書き")
        elif write == "target":
            save_target(_series(published), YEAR, "99%", planner, "改定")
        elif write == "texts":
            save_texts(_node(published, "1-3-1-1"), YEAR, ["成果"], ["課題"], planner)
        elif write == "review":
            save_review(_node(published, "1"), YEAR, planner, grade="順調", comments=["意見"])
        else:
            save_review(_node(published, "1"), YEAR, planner, answer="対応")
    assert snapshot() == before


@pytest.mark.parametrize("state", ["", "open", "published"])
def test_council_writes_only_between_closing_and_publication(plan: m.Plan, planner: User, state: str) -> None:
    year = 2030 if not state else YEAR
    if state == "published":
        _close(plan)
        publish(plan, YEAR, planner, "公表")
    before = snapshot()
    with pytest.raises(YearLocked):
        save_review(_node(plan, "1"), year, User.objects.get(username="reviewer"), grade="順調", comments=["意見"])
    assert snapshot() == before


def test_council_writes_once_the_year_is_closed(plan: m.Plan) -> None:
    _close(plan)
    assert save_review(_node(plan, "1"), YEAR, User.objects.get(username="reviewer"), grade="順調", comments=["意見"])
    assert save_review(_node(plan, "1"), YEAR, User.objects.get(username="sangyo"), answer="対応します")


def test_a_correction_is_published_with_its_date_and_old_to_new(published: m.Plan, planner: User) -> None:
    with correcting(published, YEAR, planner, "集計誤りの訂正") as c:
        save_value(_series(published), YEAR, ValueInput("51.0%"), planner, correction=c)
        save_texts(_node(published, "1-3-1-1"), YEAR, ["訂正後の成果"], [], planner, correction=c)
    assert len(c.changes) == 2
    cycle = m.Cycle.objects.get(plan=published, year=YEAR)
    today = timezone.localdate().isoformat()
    assert cycle.corrections[0]["date"] == today and cycle.corrections[0]["reason"] == "集計誤りの訂正"
    assert cycle.corrections[0]["changes"][0] == {
        "subject": f"{INDICATOR} {YEAR}年度 実績値",
        "old": "50.0%（確定）",
        "new": "51.0%（確定）",
        "indicator": INDICATOR,
    }
    revisions = list(cycle.publications.values_list("number", "kind", "reason"))
    assert revisions == [(1, "published", "速報として公表"), (2, "corrected", "集計誤りの訂正")]
    first, second = (p.snapshot for p in cycle.publications.all())
    assert _snapshot_value(first) == "50.0%" and _snapshot_value(second) == "51.0%"  # every revision can be read back
    value = m.Value.objects.get(series=_series(published), year=YEAR)
    assert value.text == "51.0%"
    assert published.changes.filter(kind="value", why="訂正: 集計誤りの訂正").exists()

    cache.clear()
    client = Client()
    note = f"{wareki_date(today)} 訂正"
    page = client.get(f"/public/{paths.plan_home(ROOT)}").content.decode()
    assert note in page and "集計誤りの訂正" in page and "50.0%（確定）" in page and "51.0%（確定）" in page
    indicator_page = client.get(f"/public/{paths.indicator_page(ROOT, INDICATOR)}").content.decode()
    assert note in indicator_page and "51.0%（確定）" in indicator_page
    doc = client.get(f"/api/v1/plans/{ROOT}?year={YEAR}").json()
    assert doc["publication"]["corrections"][0]["reason"] == "集計誤りの訂正"
    ind = client.get(f"/api/v1/indicators/{ROOT}:{INDICATOR}").json()
    assert ind["corrections"][0]["changes"][0]["new"] == "51.0%（確定）" and ind["corrections"][0]["year"] == YEAR
    html = render_report(core_plan(published), YEAR, "html", evaluation(published, YEAR)).decode()
    assert "【訂正版】" in html and note in html and "集計誤りの訂正" in html and "51.0%（確定）" in html


def _snapshot_value(doc: dict) -> str:
    ind = next(i for i in doc["indicators"] if i["id"] == INDICATOR)
    return ind["values"][str(YEAR)]["value"]


def test_a_correction_needs_a_planner_a_reason_and_a_published_year(plan: m.Plan, published: m.Plan, planner: User) -> None:
    before = snapshot()
    with pytest.raises(YearLocked), correcting(published, YEAR, User.objects.get(username="sangyo"), "理由"):
        pass
    with pytest.raises(InputError), correcting(published, YEAR, planner, " "):
        pass
    with pytest.raises(YearLocked), correcting(published, 2024 + 2, planner, "理由"):
        pass
    with correcting(published, YEAR, planner, "変更なし"):
        pass  # nothing changed: no revision
    assert snapshot() == before


def test_a_correction_reaches_only_its_own_year(published: m.Plan, planner: User) -> None:
    m.Cycle.objects.create(plan=published, year=YEAR + 1, status=m.CycleStatus.CLOSED)
    m.Cycle.objects.filter(plan=published, year=YEAR + 1).update(status=m.CycleStatus.PUBLISHED)
    with pytest.raises(YearLocked), correcting(published, YEAR, planner, "訂正") as c:
        save_value(_series(published), YEAR + 1, ValueInput("1%"), planner, correction=c)
    assert not m.Value.objects.filter(series__indicator__plan=published, year=YEAR + 1, series__indicator__key=INDICATOR).exists()


def test_withdrawing_a_publication_needs_a_reason_and_keeps_the_revisions(published: m.Plan, planner: User) -> None:
    with pytest.raises(InputError):
        withdraw(published, YEAR, planner, "")
    revision = withdraw(published, YEAR, planner, "誤って公表したため")
    cycle = m.Cycle.objects.get(plan=published, year=YEAR)
    assert cycle.status == "closed" and cycle.published == "" and revision.number == 2 and revision.kind == "withdrawn"
    cache.clear()
    assert Client().get(f"/api/v1/plans/{ROOT}?year={YEAR}").status_code == 404
    publish(published, YEAR, planner, "再公表")
    assert list(cycle.publications.values_list("kind", flat=True)) == ["published", "withdrawn", "published"]


def test_the_published_record_goes_through_the_plan_file(published: m.Plan, planner: User) -> None:
    with correcting(published, YEAR, planner, "訂正") as c:
        save_value(_series(published), YEAR, ValueInput("51.0%"), planner, correction=c)
    core = core_plan(published)
    cycle = core.cycles[YEAR]
    assert cycle.published == timezone.localdate().isoformat()
    assert [(c.reason, [(x.old, x.new) for x in c.changes]) for c in cycle.corrections] == [("訂正", [("50.0%（確定）", "51.0%（確定）")])]
    exported = json.loads(Client().get(f"/api/v1/plans/{ROOT}?year={YEAR}").content)
    assert exported["publication"]["published"] == cycle.published
