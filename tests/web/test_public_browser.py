"""The web app's public pages in headless Chromium: they render, charts draw, and axe-core finds
no WCAG 2.1 A/AA violation on the home, tree, node and indicator pages in either language."""

from __future__ import annotations

import pytest
from browser import axe_violations, chromium, screenshot

from hyoka.samples import load_sample
from hyoka.site import paths
from hyoka.web.plans.convert import store_plan
from hyoka.web.plans.models import Plan


@pytest.fixture
def served(db, live_server) -> str:
    """The app's public pages; the samples are stored again if a live-server test before flushed them."""
    for name in ("kanagawa-sousei-3", "kanagawa-dx"):
        if not Plan.objects.filter(key=name).exists():
            store_plan(load_sample(name))
    return f"{live_server.url}/public/"


def _pages(sample: str) -> dict[str, str]:
    plan = load_sample(sample)
    node = next(n for n in plan.nodes if plan.indicators_of.get(n.id))
    indicator = next(i for i in plan.indicators if any(s.values for s in i.series()))
    root = paths.of_plan(plan)  # under its organization's folder
    return {
        "home": paths.plan_home(root),
        "tree": paths.plan_page(root, "tree"),
        "node": paths.node_page(root, node.id),
        "indicator": paths.indicator_page(root, indicator.id),
    }


def test_public_pages_render_and_pass_axe(served):
    found: dict[str, list[dict[str, object]]] = {}
    with chromium() as browser:
        # The pages run under the app's Content-Security-Policy; axe-core is a test tool injected
        # inline, so it runs in a second page that bypasses the policy.
        strict = browser.new_page(viewport={"width": 1280, "height": 900})
        page = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()
        errors: list[str] = []
        for watched in (strict, page):
            watched.on("pageerror", lambda e: errors.append(str(e)))
        strict.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
        for plan_id in ("kanagawa-sousei-3", "kanagawa-dx"):
            for lang in ("ja", "en"):
                for kind, path in {"site": paths.home(), **_pages(plan_id)}.items():
                    strict.goto(served + paths.in_language(path, lang))
                    response = page.goto(served + paths.in_language(path, lang))
                    assert response is not None and response.status == 200, path
                    assert page.locator("h1").count() == 1
                    if kind == "indicator":
                        assert page.locator("figure.chart svg rect").count() > 0
                    found[f"{plan_id} {lang} {kind}"] = axe_violations(page)
                    if lang == "ja":
                        screenshot(page, "web-public", f"{plan_id}-{kind}")
        assert errors == []
    assert found == {key: [] for key in found}
