"""Every page renders for every sample plan and shows the core's figures."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from conftest import PLANNER_OF
from django.test import Client

from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.samples import load_sample, sample_names
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan


@pytest.mark.parametrize("name", sample_names())
def test_every_page_of_a_plan_renders(name: str, client_for: Callable[[str], Client]) -> None:
    c = client_for(PLANNER_OF[name])
    core = load_sample(name)
    ind = core.indicators[0]
    for path in [
        "/",
        f"/plans/{core.organization.code}/{name}/",
        f"/plans/{core.organization.code}/{name}/nodes/{core.nodes[0].id}/",
        f"/plans/{core.organization.code}/{name}/indicators/{ind.id}/",
        f"/plans/{core.organization.code}/{name}/summary/",
        f"/plans/{core.organization.code}/{name}/council/",
        f"/plans/{core.organization.code}/{name}/history/",
        f"/plans/{core.organization.code}/{name}/inbox/",
        f"/plans/{core.organization.code}/{name}/upload/",
        f"/plans/{core.organization.code}/{name}/nodes/{core.nodes[-1].id}/texts/",
    ]:
        response = c.get(path)
        assert response.status_code == 200, path


def test_dx_summary_matches_seed_001(client_for: Callable[[str], Client]) -> None:
    page = client_for("reviewer").get("/plans/140007/kanagawa-dx/summary/?year=2024")
    total = next(b for b in page.context["judgement_blocks"] if b["total"])
    assert [(s, n, str(share)) for s, n, share in total["cells"]] == [("◎", 126, "74.6"), ("○", 15, "8.9"), ("△", 28, "16.6")]
    assert (total["checked"], total["pending"]) == (169, 10)
    assert str(total["at_least"]["○"]) == "83.4"


def test_tree_shows_the_published_statuses_of_seed_000(client_for: Callable[[str], Client]) -> None:
    page = client_for("reviewer").get("/plans/140007/kanagawa-sousei-3/?year=2024")
    rows = {r.node.id: r for r in page.context["rows"]}
    assert rows["1-3-1"].result.grade.label == "順調に進んでいます" and str(rows["1-3-1"].result.grade.mean) == "98.4"
    assert "令和６年度" in page.content.decode()


def test_the_tree_is_rendered_once_per_revision_and_language(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """The tree's rows are cached by plan revision, year and language: a change shows at once, each language its own."""
    c = client_for("planner")
    url = "/plans/140007/kanagawa-sousei-3/?year=2025"
    before = c.get(url).content.decode()
    form = c.get("/plans/140007/kanagawa-sousei-3/nodes/1-3-1/edit/").context["form"]
    renamed = c.post("/plans/140007/kanagawa-sousei-3/nodes/1-3-1/edit/", dict(form.initial) | {"name": "改めた名称", "why": "名称変更"})
    assert renamed.status_code == 302
    after = c.get(url).content.decode()
    assert "改めた名称" not in before and "改めた名称" in after
    assert "指標のない取組も表示" in after and ">指標 " in after
    c.cookies["django_language"] = "en"
    english = c.get(url).content.decode()
    assert "改めた名称" in english and ">Indicators " in english and ">指標 " not in english


def test_indicator_page_has_chart_with_pending_years(client_for: Callable[[str], Client]) -> None:
    page = client_for("planner").get("/plans/140007/kanagawa-sousei-3/indicators/1-t1/?year=2024").content.decode()
    assert '<svg class="chart"' in page and "把握予定" in page
    chart = client_for("planner").get("/plans/140007/kanagawa-sousei-3/indicators/1-3-1-k1/?year=2024").content.decode()
    assert chart.count('class="target"') == 4 and chart.count('class="actual"') == 3  # 2024–2027 targets, 2022–2024 actuals


def test_english_is_available(client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    c.cookies["django_language"] = "en"
    page = c.get("/plans/140007/kanagawa-sousei-3/?year=2024").content.decode()
    assert 'lang="en"' in page and "FY2024" in page and "Plan structure" in page


def test_export_is_the_stored_plan(client_for: Callable[[str], Client]) -> None:
    response = client_for("hiratsuka").get("/plans/142034/hiratsuka-juten/export.json")
    assert json.loads(response.content) == json.loads(json.dumps(plan_to_dict(load_sample("hiratsuka-juten")), ensure_ascii=False))


def test_upload_previews_then_applies_all_changes(client_for: Callable[[str], Client]) -> None:
    plan = m.Plan.objects.get(organization__code="140007", key="kanagawa-sousei-3")
    doc = plan_to_dict(core_plan(plan))
    by_id = {i["id"]: i for i in doc["indicators"]}
    by_id["1-3-1-k1"]["values"]["2024"]["value"] = "49.9%"  # changed
    by_id["1-3-1-k2"]["values"]["2025"] = {"value": "81.0%", "status": "estimate"}  # added
    del by_id["1-3-1-k3"]["values"]["2022"]  # removed
    c = client_for("planner")
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "kanagawa-sousei-3.json"
    preview = c.post("/plans/140007/kanagawa-sousei-3/upload/", {"file": f})
    rows = [(ch.indicator, ch.year, ch.kind, ch.old, ch.new) for ch, ok in preview.context["rows"]]
    assert rows == [
        ("1-3-1-k1", 2024, "changed", "49.6%（確定）", "49.9%（確定）"),
        ("1-3-1-k2", 2025, "added", "", "81.0%（見込値）"),
        ("1-3-1-k3", 2022, "removed", "2.20%（確定）", ""),
    ]
    assert not Change.objects.filter(plan=plan).exists()  # nothing applied yet
    assert preview.context["corrected_years"] == [2024]  # published: the form asks for the reason of a 訂正
    c.post("/plans/140007/kanagawa-sousei-3/upload/apply/", {"why": "年次更新"})
    assert not Change.objects.filter(plan=plan).exists()  # no reason given for correcting the published year: nothing applied
    again = io.BytesIO(f.getvalue())
    again.name = f.name
    c.post("/plans/140007/kanagawa-sousei-3/upload/", {"file": again})
    c.post("/plans/140007/kanagawa-sousei-3/upload/apply/", {"why": "年次更新", "correction": "県統計の確定値"})
    plan.refresh_from_db()
    values = {i.id: i.values for i in core_plan(plan).indicators}
    assert values["1-3-1-k1"][2024].entry.text == "49.9%" and 2025 in values["1-3-1-k2"] and 2022 not in values["1-3-1-k3"]
    assert Change.objects.filter(plan=plan, why__contains="年次更新").count() == 2
    assert Change.objects.filter(plan=plan, kind="value", why="訂正: 県統計の確定値").count() == 1
    (correction,) = m.Cycle.objects.get(plan=plan, year=2024).corrections
    assert correction["reason"] == "県統計の確定値" and correction["changes"][0]["new"] == "49.9%（確定）"


def test_upload_of_a_broken_file_names_the_place(client_for: Callable[[str], Client]) -> None:
    plan = m.Plan.objects.get(organization__code="140007", key="kanagawa-sousei-3")
    doc = plan_to_dict(core_plan(plan))
    doc["indicators"][5]["values"]["2024"] = {"value": "たくさん"}
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "broken.json"
    response = client_for("planner").post("/plans/140007/kanagawa-sousei-3/upload/", {"file": f})
    assert response.status_code == 400
    assert "broken.json:indicators[5].values.2024.value" in response.content.decode()


def test_japanese_first_whatever_the_browser_asks(client_for: Callable[[str], Client]) -> None:
    page = client_for("planner").get("/plans/140007/kanagawa-sousei-3/?year=2024", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="ja"' in page and "体系図" in page and "令和６年度" in page


@pytest.mark.parametrize(
    "path",
    [
        "/plans/140007/kanagawa-dx/",
        "/plans/140007/kanagawa-dx/nodes/kurashi/",
        "/plans/140007/kanagawa-sousei-3/indicators/3-3-2-k1/",
        "/plans/140007/kanagawa-sousei-3/inbox/",
        "/plans/140007/kanagawa-sousei-3/council/",
    ],
)
def test_pages_do_not_query_per_node(path: str, client_for: Callable[[str], Client], django_assert_max_num_queries) -> None:
    """Reading a whole plan costs one query per table, however many nodes it has."""
    c = client_for("planner")
    plan = m.Plan.objects.get(organization__code=path.split("/")[2], key=path.split("/")[3])
    m.Plan.objects.filter(pk=plan.pk).update(revision="cold")  # nothing cached: the plan is read from the tables
    with django_assert_max_num_queries(20):
        assert c.get(path).status_code == 200


def test_planner_imports_a_new_plan_and_a_broken_one_changes_nothing(client_for: Callable[[str], Client]) -> None:
    c = client_for("hiratsuka")
    doc = plan_to_dict(load_sample("hiratsuka-juten"))
    doc["plan"]["id"] = "hiratsuka-copy"
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "copy.json"
    c.post("/plans/import/", {"file": f})
    assert plan_to_dict(core_plan(m.Plan.objects.get(key="hiratsuka-copy"))) == json.loads(json.dumps(doc, ensure_ascii=False))
    doc["plan"]["id"] = "broken"
    doc["indicators"][0]["targets"]["2027"] = "たくさん"
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "broken.json"
    page = c.post("/plans/import/", {"file": f}, follow=True).content.decode()
    assert "broken.json:indicators[0].targets.2027" in page and not m.Plan.objects.filter(key="broken").exists()


def test_importing_over_a_stored_plan_is_refused(client_for: Callable[[str], Client]) -> None:
    f = io.BytesIO(json.dumps(plan_to_dict(load_sample("hiratsuka-juten")), ensure_ascii=False).encode())
    f.name = "again.json"
    page = client_for("hiratsuka").post("/plans/import/", {"file": f}, follow=True).content.decode()
    assert "同じ ID の計画がすでに登録されています" in page


def test_a_planner_cannot_import_another_organizations_plan(client_for: Callable[[str], Client]) -> None:
    """Kanagawa's planner posts Hiratsuka's plan under a new id: refused, naming the file's organization code."""
    doc = plan_to_dict(load_sample("hiratsuka-juten"))
    doc["plan"]["id"] = "hiratsuka-by-kanagawa"
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "foreign.json"
    page = client_for("planner").post("/plans/import/", {"file": f}, follow=True).content.decode()
    assert "plan.organization.code" in page and "別の団体" in page
    assert not m.Plan.objects.filter(key="hiratsuka-by-kanagawa").exists()


def test_history_can_be_narrowed_to_a_kind_and_a_year(client_for: Callable[[str], Client]) -> None:
    plan = m.Plan.objects.get(organization__code="140007", key="kanagawa-sousei-3")
    from hyoka.web.history.record import record

    record(plan, None, "value", "a 2024", new="1", year=2024)
    record(plan, None, "cycle", "b 2025", new="open", year=2025)
    c = client_for("reviewer")
    assert [ch.subject for ch in c.get("/plans/140007/kanagawa-sousei-3/history/?kind=cycle").context["changes"]] == ["b 2025"]
    assert [ch.subject for ch in c.get("/plans/140007/kanagawa-sousei-3/history/?year=2024&only_year=1").context["changes"]] == ["a 2024"]
