"""The web app's public pages are the static site's pages, for plans with a published cycle only,
and no draft reaches a page, a download or an API answer."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from planted import DRAFT_TEXT, DRAFT_VALUE, RELEASED_TEXT, planted_plan

from hyoka.core.errors import InputError
from hyoka.samples import load_sample
from hyoka.site import paths
from hyoka.site.render import Site
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import store_plan, touch
from hyoka.web.public.site import public_site


@pytest.fixture
def client(db) -> Client:
    cache.clear()
    return Client()


def test_public_pages_are_the_pages_of_the_static_site(client):
    static = Site([load_sample("kanagawa-dx"), load_sample("kanagawa-sousei-3")])
    plan = load_sample("kanagawa-dx")
    root = paths.of_plan(plan)
    for path in (
        paths.plan_home(root),
        paths.in_language(paths.node_page(root, plan.nodes[3].id), "en"),
        paths.indicator_page(root, plan.indicators[5].id),
        paths.indicator_data(root, plan.indicators[5].id, "csv"),
        paths.package_file(root, "observations.csv"),
    ):
        response = client.get(f"/public/{path}")
        assert response.status_code == 200, path
        assert response.content == static.render(path), path
    assert client.get("/public/140007/kanagawa-dx/index.html")["Content-Type"] == "text/html; charset=utf-8"
    assert client.get("/public/" + paths.package_zip(root))["Content-Type"] == "application/zip"
    index = client.get("/public/data/search-index.json")  # linked from every page (it was a 404)
    assert index.status_code == 200 and {r["organization"] for r in json.loads(index.content)} == {"神奈川県", "横浜市"}


def test_a_plan_without_a_published_cycle_is_not_public(client):
    assert client.get("/public/" + paths.plan_home(paths.of_plan(load_sample("hiratsuka-juten")))).status_code == 404
    assert "hiratsuka-juten" not in {ps.id for ps in public_site().plans}
    assert client.post("/public/index.html").status_code == 405


@override_settings(HYOKA_API_BURST=1000)  # the rate limit is not under test here
def test_no_draft_reaches_a_public_page_a_download_or_an_api_answer(client):
    plan = planted_plan()
    store_plan(plan)
    site = public_site()
    root = paths.of_plan(plan)
    assert root in site.by_root
    bodies: dict[str, bytes] = {}
    for path in site.files:
        if path.startswith((f"{root}/", f"en/{root}/", f"data/{root}/")) or path.count("/") == 0 or path.startswith("assets/"):
            response = client.get(f"/public/{path}")
            assert response.status_code == 200, path
            bodies[path] = response.content
    api = ["plans", f"plans/{root}", f"plans/{root}?year=2024", f"plans/{root}?year=2025"]
    api += [f"indicators/{root}:{ind.id}" for ind in plan.indicators]
    api += [f"indicators/{root}:{ind.id}?year=2025" for ind in plan.indicators[:3]]
    for path in api:
        response = client.get(f"/api/v1/{path}")
        assert response.status_code in (200, 404), path
        bodies[f"api:{path}"] = response.content
    assert len(bodies) > 1000
    markers = [DRAFT_TEXT.encode(), DRAFT_VALUE.encode(), f"{int(DRAFT_VALUE):,}".encode()]
    assert [(p, m) for p, body in bodies.items() for m in markers if m in body] == []
    assert any(RELEASED_TEXT.encode() in body for body in bodies.values())  # the control: the published review is there
    assert json.loads(bodies[f"api:plans/{root}?year=2025"])["error"]["code"] == "not_published"


@override_settings(HYOKA_API_BURST=1000)
def test_a_page_about_one_plan_reads_that_plan_only(client):
    """A published plan that cannot be read (a row written around the web app) takes down the pages
    that list every plan, but not the pages and API answers of the other plans: a request about one
    plan builds that plan alone, which is also what keeps a national installation's first requests fast."""
    store_plan(planted_plan())
    series = m.Series.objects.filter(indicator__plan__key="planted-dx").first()
    m.Value.objects.update_or_create(series=series, year=2023, defaults={"text": "12ほげ"})
    touch(m.Plan.objects.get(key="planted-dx"))
    for path in (
        "/public/140007/kanagawa-dx/index.html",
        "/public/en/140007/kanagawa-dx/tree.html",
        "/public/data/140007/kanagawa-dx/kanagawa-dx-csv.zip",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/plans/140007/kanagawa-dx").status_code == 200
    with pytest.raises(InputError) as broken:
        client.get("/public/index.html")
    print(f"one plan unreadable: its pages fail ({broken.value.problems[0].message}), the other plans' pages and API answers are served")


def test_a_save_in_an_open_year_keeps_the_public_copy_and_a_correction_renews_it(client):
    """The public copy of a plan is built again only when what the public sees changed: a department's
    value in the open year renews the plan's revision but not its published copy."""
    from test_permissions import PUBLISHED_YEAR, YEAR
    from webforms import with_base

    from hyoka.web.accounts.models import User
    from hyoka.web.public.site import plan_site

    plan = m.Plan.objects.get(organization__code="140007", key="kanagawa-sousei-3")
    m.Cycle.objects.create(plan=plan, year=YEAR, status=m.CycleStatus.OPEN)
    touch(plan)
    answer = client.get("/api/v1/plans/140007/kanagawa-sousei-3").json()
    site = plan_site("140007", "kanagawa-sousei-3")
    planner = Client()
    planner.force_login(User.objects.get(username="planner"))
    path = "/plans/140007/kanagawa-sousei-3/indicators/1-3-1-k1/value/"
    saved = planner.post(path, with_base(path, {"year": YEAR, "value": "44.0%", "status": "confirmed", "why": "試験", "confirm": "on"}))
    assert saved.status_code == 302 and m.Plan.objects.get(pk=plan.pk).revision != plan.revision
    assert plan_site("140007", "kanagawa-sousei-3") is site  # kept: nothing public changed
    assert client.get("/api/v1/plans/140007/kanagawa-sousei-3").json() == answer

    corrected = planner.post(  # a published figure changed: the public copy is made again
        "/plans/140007/kanagawa-sousei-3/indicators/1-3-1-k1/correct/",
        {"year": PUBLISHED_YEAR, "value": "49.9%", "status": "confirmed", "reason": "集計誤り"},
    )
    assert corrected.status_code == 302
    renewed = plan_site("140007", "kanagawa-sousei-3")
    assert renewed is not site
    assert client.get("/api/v1/plans/140007/kanagawa-sousei-3").json() != answer
